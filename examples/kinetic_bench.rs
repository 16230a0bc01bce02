//! Native timing of the bare Weiße model for `node bench/kinetic.mjs` (prints one JSON line):
//! 10 000 min, 101 points, rtol = atol = 1e-6, `genes` heterologous genes at w = 100
//! (length 300 aa), median and best of `reps` runs after a warm-up.
//!
//!   cargo run --release --example kinetic_bench -- [--reps N]
use std::time::Instant;

use bioxen::kinetics::{simulate_weisse, Gene, WeisseOptions};

fn time(genes: usize, reps: usize) -> serde_json::Value {
    let opts = WeisseOptions {
        heterologous: vec![Gene::new(100.0, 300.0); genes],
        t_end_min: 10_000.0,
        points: 101,
        rtol: 1e-6,
        atol: 1e-6,
        ..Default::default()
    };
    let warm = simulate_weisse(&opts).expect("valid options");
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let t0 = Instant::now();
            std::hint::black_box(simulate_weisse(std::hint::black_box(&opts)).expect("valid"));
            t0.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "genes": genes,
        "medianMs": t[t.len() / 2],
        "bestMs": t[0],
        "lambdaEnd": warm.lambda[100],
        "steps": warm.stats.accepted,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(200usize);
    let out: Vec<serde_json::Value> = [1, 16].iter().map(|&g| time(g, reps)).collect();
    println!("{}", serde_json::Value::Array(out));
}
