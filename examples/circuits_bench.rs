//! Native timing of the bare circuit model for `node bench/circuits.mjs`: reads a JSON array
//! of cases `{ reps?, options }` (`options` as `simulateCircuits` takes them) on standard
//! input, runs each `reps` (default `--reps N`) times after a warm-up, and prints one JSON
//! line: per case, median and best ms and the integrator's accepted steps.
//!
//!   echo '[{ "options": { "circuits": [...], "tEndMin": 10000, "points": 101 } }]' |
//!     cargo run --release --example circuits_bench -- --reps 30
use std::io::Read;
use std::time::Instant;

use bioxen::circuits::{simulate_circuits, CircuitOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .max(1);
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .expect("options on standard input");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
    let out: Vec<serde_json::Value> = cases
        .iter()
        .map(|v| {
            let opts = CircuitOptions::from_value(&v["options"]).expect("valid options");
            let reps = v
                .get("reps")
                .and_then(|r| r.as_u64())
                .map_or(reps, |r| r as usize);
            let warm = simulate_circuits(&opts).expect("a run");
            let mut t: Vec<f64> = (0..reps)
                .map(|_| {
                    let t0 = Instant::now();
                    std::hint::black_box(simulate_circuits(std::hint::black_box(&opts)).unwrap());
                    t0.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            t.sort_by(|a, b| a.total_cmp(b));
            serde_json::json!({
                "medianMs": t[t.len() / 2],
                "bestMs": t[0],
                "steps": warm.stats.accepted,
                "stats": warm.stats,
                "lambdaEnd": warm.growth_rate.last(),
            })
        })
        .collect();
    println!("{}", serde_json::Value::Array(out));
}
