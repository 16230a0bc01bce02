//! Issue 17 through the real hypervisor: weights hold at every quantum although a context
//! switch costs a ribosome run-off (20 s on E. coli), caps never idle the machinery while an
//! uncapped VM is runnable, and a property over random weights, quanta, switch costs and VM
//! counts for credit, EEVDF and lottery. The shares are of the machinery time the VMs
//! receive (switches are overhead, apart from it).

mod common;

use bioxen::{Hypervisor, HypervisorOptions, SchedulerKind, SystemMetrics, VmConfig};
use common::{add, hog};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const MIN: u64 = 60_000;
const HOUR: u64 = 3_600_000;
/// The quanta.
const QUANTA: [u64; 4] = [MIN, 2 * MIN, 10 * MIN, 60 * MIN];

fn capped(weight: u32, cap: u32) -> VmConfig {
    VmConfig {
        cap: Some(cap),
        ..hog(weight)
    }
}

/// Always-runnable VMs on `options` until `until_ms`; the final metrics.
fn run(options: HypervisorOptions, vms: &[VmConfig], until_ms: u64) -> SystemMetrics {
    let mut h = Hypervisor::new(options).expect("valid options");
    for (i, cfg) in vms.iter().enumerate() {
        let id = format!("vm{i}");
        add(&mut h, &id, cfg);
        h.start_vm(&id).expect("starts");
    }
    h.run_until(until_ms).expect("in range");
    h.metrics()
}

fn ecoli(kind: SchedulerKind, quantum_ms: u64) -> HypervisorOptions {
    HypervisorOptions {
        scheduler: kind,
        quantum_ms: Some(quantum_ms),
        seed: 1,
        ..Default::default()
    }
}

/// Each VM's share of the machinery time the VMs received.
fn shares(m: &SystemMetrics) -> Vec<f64> {
    let total: u64 = m.per_vm.iter().map(|v| v.machinery_time_ms).sum();
    m.per_vm
        .iter()
        .map(|v| v.machinery_time_ms as f64 / total as f64)
        .collect()
}

/// The largest gap between a VM's share and weight ÷ Σ weight.
fn worst_gap(m: &SystemMetrics, weights: &[u32]) -> f64 {
    let sum: u32 = weights.iter().sum();
    shares(m)
        .iter()
        .zip(weights)
        .map(|(s, &w)| (s - f64::from(w) / f64::from(sum)).abs())
        .fold(0.0, f64::max)
}

/// Lottery's tolerance: `z` standard deviations of the share of `n` draws at weight ÷ Σ
/// weight, plus the one draw the horizon may cut short.
fn lottery_tolerance(weights: &[u32], n: f64, z: f64) -> Vec<f64> {
    let sum: u32 = weights.iter().sum();
    weights
        .iter()
        .map(|&w| {
            let p = f64::from(w) / f64::from(sum);
            z * (p * (1.0 - p) / n).sqrt() + 1.0 / n
        })
        .collect()
}

#[test]
fn weights_hold_at_every_quantum_on_ecoli() {
    for q in QUANTA {
        for (weights, tol) in [(&[512, 256][..], 0.02), (&[256, 512, 1024][..], 0.03)] {
            let vms: Vec<VmConfig> = weights.iter().map(|&w| hog(w)).collect();
            for kind in [SchedulerKind::Credit, SchedulerKind::Eevdf] {
                let m = run(ecoli(kind, q), &vms, 100 * HOUR);
                let gap = worst_gap(&m, weights);
                assert!(
                    gap <= tol,
                    "{kind} at {} min, {weights:?}: shares {:?}, {gap:.4} off",
                    q / MIN,
                    shares(&m)
                );
            }
            let m = run(ecoli(SchedulerKind::Lottery, q), &vms, 100 * HOUR);
            let received: u64 = m.per_vm.iter().map(|v| v.machinery_time_ms).sum();
            let draws = received as f64 / q as f64;
            let tols = lottery_tolerance(weights, draws, sidak_z(weights.len()));
            let sum: u32 = weights.iter().sum();
            for ((s, &w), t) in shares(&m).iter().zip(weights).zip(tols) {
                let want = f64::from(w) / f64::from(sum);
                assert!(
                    (s - want).abs() <= t,
                    "lottery at {} min, {weights:?}: share {s:.4} vs {want:.4} ± {t:.4}",
                    q / MIN
                );
            }
        }
    }
}

#[test]
fn a_cap_never_idles_the_machinery_while_an_uncapped_vm_waits() {
    // The pair: weight 4096 capped at 20 % beside weight 256 uncapped.
    let horizon = 100 * HOUR;
    let switch = 20_000;
    for q in QUANTA {
        let m = run(
            ecoli(SchedulerKind::Credit, q),
            &[capped(4096, 20), hog(256)],
            horizon,
        );
        let (c, u) = (&m.per_vm[0], &m.per_vm[1]);
        let t = horizon as f64;
        let ctx = format!("at {} min: capped {c:?}, uncapped {u:?}", q / MIN);
        // Nothing idles: the machinery runs a VM or switches all the time.
        let idle =
            t - (c.machinery_time_ms + u.machinery_time_ms) as f64 - m.overhead_percent / 100.0 * t;
        assert!(idle.abs() < 1.0, "{idle} ms idle {ctx}");
        // The capped VM holds the machinery (its runs and the switches into it) for its cap,
        // give or take one dispatch (a slice and a switch).
        let held = (c.machinery_time_ms + c.context_switches * switch) as f64;
        let dispatch = (q + switch) as f64;
        assert!(held <= 0.2 * t + dispatch, "held {held} ms {ctx}");
        assert!(held >= 0.2 * t - dispatch, "held {held} ms {ctx}");
        // The uncapped VM takes what is left: 80 %, less the switch into it once per dispatch
        // of the capped VM (within one dispatch of the horizon).
        let want = 0.8 - 0.2 * switch as f64 / dispatch;
        let got = u.machinery_time_ms as f64 / t;
        assert!(
            got >= want - dispatch / t,
            "uncapped {got}, want {want} {ctx}"
        );
    }
}

/// A quantum from 1 ms to 1 h, spread over the orders of magnitude.
fn quantum() -> impl Strategy<Value = u64> {
    prop_oneof![1u64..1_000, 1_000u64..MIN, MIN..=HOUR]
}

/// Random always-runnable VMs under `kind`; (weights, metrics, quantum). The horizon gives
/// every VM 200 quanta and 200 switches on average, however long the switch.
fn random_run(
    kind: SchedulerKind,
    weights: &[u32],
    quantum_ms: u64,
    switch_ms: u64,
    seed: u64,
) -> SystemMetrics {
    let n = weights.len() as u64;
    let options = HypervisorOptions {
        scheduler: kind,
        quantum_ms: Some(quantum_ms),
        context_switch_ms: Some(switch_ms),
        max_vms: Some(8),
        seed,
        ..Default::default()
    };
    let vms: Vec<VmConfig> = weights.iter().map(|&w| hog(w)).collect();
    run(options, &vms, 200 * n * (quantum_ms + switch_ms))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn credit_and_eevdf_share_by_weight(
        weights in prop::collection::vec(1u32..=4096, 2..=8),
        q in quantum(),
        switch in 0u64..=60_000,
    ) {
        for kind in [SchedulerKind::Credit, SchedulerKind::Eevdf] {
            let m = random_run(kind, &weights, q, switch, 1);
            let gap = worst_gap(&m, &weights);
            prop_assert!(gap <= 0.05, "{} off: {kind}, shares {:?}", gap, shares(&m));
        }
    }
}

/// Standard deviations per share such that a case of `n` shares strays by chance as rarely
/// as one share strays beyond three (0.27 %): Šidák's correction, z = Φ⁻¹(1 − (1 − (1 −
/// 0.0027)^(1/n)) / 2), tabulated for 2..=8 VMs.
fn sidak_z(n: usize) -> f64 {
    [3.0, 3.0, 3.205, 3.32, 3.399, 3.46, 3.509, 3.549, 3.584][n.min(8)]
}

proptest! {
    // Three standard deviations per share: a share strays beyond them by chance alone. Over
    // 1 500 random cases like these (7 492 shares) 0.36 % did, with a mean squared z-score
    // of 1.014 (unbiased draws, binomial spread); so a case of n shares gets the bound that
    // it exceeds as rarely as one share exceeds 3 σ, and the cases are fixed (a failure is
    // then a fault, not bad luck on one run). Tickets that did not follow the weights would
    // miss these bounds by far.
    #![proptest_config(ProptestConfig {
        cases: 24,
        rng_seed: RngSeed::Fixed(17),
        ..ProptestConfig::default()
    })]

    #[test]
    fn lottery_shares_by_weight_within_its_sampling_spread(
        weights in prop::collection::vec(1u32..=4096, 2..=8),
        q in quantum(),
        switch in 0u64..=60_000,
        seed in any::<u64>(),
    ) {
        let m = random_run(SchedulerKind::Lottery, &weights, q, switch, seed);
        let received: u64 = m.per_vm.iter().map(|v| v.machinery_time_ms).sum();
        let draws = received as f64 / q as f64;
        let sum: u32 = weights.iter().sum();
        let tols = lottery_tolerance(&weights, draws, sidak_z(weights.len()));
        for (i, (s, &w)) in shares(&m).iter().zip(&weights).enumerate() {
            let want = f64::from(w) / f64::from(sum);
            prop_assert!((s - want).abs() <= tols[i], "VM {i}: {s} vs {want} ± {}", tols[i]);
        }
    }
}
