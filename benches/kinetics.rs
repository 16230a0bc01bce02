//! Kinetic-model benchmarks (issue 5): the Weiße host model over 10 000 simulated minutes,
//! 101 output points, rtol = atol = 1e-6, with one heterologous gene at w = 100 (and with 16
//! and 64 genes), native Rust through the direct entry point `simulate_weisse`.
//!
//! After the criterion groups, a summary table prints the native time per run (median and
//! best of repeated runs) and, when `python3` can import libroadrunner and antimony
//! (`pip install libroadrunner antimony`), times the same model in libRoadRunner (CVODE) with
//! `scripts/weisse_roadrunner_bench.py` in the same session and prints the ratios. Set
//! `BIOXEN_BENCH_NO_ROADRUNNER=1` to skip that part.
//!
//!     cargo bench --bench kinetics

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use bioxen::kinetics::{simulate_weisse, Gene, WeisseOptions};
use criterion::{BenchmarkId, Criterion};

fn options(genes: usize) -> WeisseOptions {
    WeisseOptions {
        s0: 1e4,
        heterologous: vec![Gene::new(100.0, 300.0); genes],
        t_end_min: 10_000.0,
        points: 101,
        rtol: 1e-6,
        atol: 1e-6,
        ..Default::default()
    }
}

fn weisse(c: &mut Criterion) {
    let mut g = c.benchmark_group("weisse_10000min_101pts_tol1e-6");
    g.measurement_time(Duration::from_secs(5));
    for genes in [1usize, 16, 64] {
        let opts = options(genes);
        g.bench_with_input(BenchmarkId::new("genes", genes), &opts, |b, o| {
            b.iter(|| simulate_weisse(black_box(o)).expect("valid options"))
        });
    }
    g.finish();
}

/// Median and best of `reps` timed runs (ms), after a warm-up.
fn time_native(genes: usize, reps: usize) -> (f64, f64, f64, usize) {
    let opts = options(genes);
    let warm = simulate_weisse(&opts).expect("valid options");
    let mut t = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t0 = Instant::now();
        black_box(simulate_weisse(black_box(&opts)).expect("valid options"));
        t.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    t.sort_by(|a, b| a.total_cmp(b));
    (t[t.len() / 2], t[0], warm.lambda[100], warm.stats.accepted)
}

/// libRoadRunner timings from the Python script, if it can run here.
fn roadrunner() -> Option<serde_json::Value> {
    if std::env::var_os("BIOXEN_BENCH_NO_ROADRUNNER").is_some() {
        return None;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scripts/weisse_roadrunner_bench.py"
    );
    let out = Command::new("python3")
        .args([script, "--json", "--reps", "200"])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "libRoadRunner not timed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

fn summary() {
    println!("\n== Weiße model, 10 000 min, 101 points, rtol = atol = 1e-6, genes at w = 100 ==");
    let rr = roadrunner();
    println!(
        "{:<18} {:>14} {:>12} {:>8} {:>22} {:>14}",
        "case", "native median", "native best", "steps", "libRoadRunner median", "ratio (RR/us)"
    );
    for (genes, label) in [
        (1usize, "1 gene (w=100)"),
        (16, "16 genes (w=100)"),
        (64, "64 genes (w=100)"),
    ] {
        let reps = if genes > 16 { 50 } else { 300 };
        let (med, best, lam, steps) = time_native(genes, reps);
        let rr_ms = rr
            .as_ref()
            .and_then(|v| v.get(label))
            .and_then(|v| v.get("median_ms"))
            .and_then(|v| v.as_f64());
        let rr_lam = rr
            .as_ref()
            .and_then(|v| v.get(label))
            .and_then(|v| v.get("lambda_end"))
            .and_then(|v| v.as_f64());
        let (rr_s, ratio) = match rr_ms {
            Some(r) => (format!("{r:.3} ms"), format!("{:.2}x", r / med)),
            None => ("-".to_string(), "-".to_string()),
        };
        println!(
            "{label:<18} {:>11.3} ms {:>9.3} ms {steps:>8} {rr_s:>22} {ratio:>14}",
            med, best
        );
        if let Some(l) = rr_lam {
            println!(
                "{:<18} λ(10000): native {lam:.10e}, libRoadRunner {l:.10e} (rel diff {:.1e})",
                "",
                (lam - l).abs() / l
            );
        }
    }
    if let Some(v) = rr.as_ref().and_then(|v| v.get("roadrunner")) {
        println!("libRoadRunner version {v} (CVODE, rtol = atol = 1e-6), timed in this session");
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    weisse(&mut c);
    c.final_summary();
    // `cargo test --benches` runs this binary in test mode: skip the long summary then.
    if !std::env::args().any(|a| a == "--test" || a == "--list") {
        summary();
    }
}
