//! The kinetic machinery under the hypervisor: burden, schedulers as promoters, measured
//! context switches, orthogonal relief, determinism and snapshots.
#![cfg(feature = "kinetics")]

mod common;

use bioxen::kinetics::host::KineticMetrics;
use bioxen::machinery::MachineryKind;
use bioxen::{
    BiologicalType, ChassisKind, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType,
};
#[cfg(feature = "genome")]
use proptest::prelude::*;

const MIN: u64 = 60_000;

fn kinetic(chassis: ChassisKind, scheduler: SchedulerKind) -> Hypervisor {
    common::kinetic(chassis, scheduler, 7)
}

/// A guest expressing with `rnap` RNA polymerases (its transcription strength), no ribosome
/// reservation (the kinetic model shares every ribosome).
fn guest(rnap: u64) -> VmConfig {
    VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(rnap),
        atp_percent: Some(0.0),
        memory_kb: Some(10),
        ..Default::default()
    }
}

/// A guest built on a small genome with three gene groups (three gene classes).
#[cfg(feature = "genome")]
fn genome_guest(rnap: u64) -> VmConfig {
    let gff = "##gff-version 3\n##sequence-region c 1 20000\n\
c\tt\tCDS\t1\t3000\t.\t+\t0\tID=a;product=DNA-directed RNA polymerase subunit beta\n\
c\tt\tCDS\t4001\t4900\t.\t-\t0\tID=b;product=hypothetical protein\n\
c\tt\tCDS\t5001\t6200\t.\t+\t0\tID=c;product=50S ribosomal protein L2\n\
c\tt\tCDS\t7001\t7600\t.\t+\t0\tID=d;product=30S ribosomal protein S4\n";
    let s = bioxen::genome::parse(gff.as_bytes(), &Default::default()).unwrap();
    VmConfig {
        genome: Some(std::sync::Arc::new(s.workload().unwrap())),
        ..guest(rnap)
    }
}

fn add_running(h: &mut Hypervisor, id: &str, cfg: &VmConfig) {
    h.create_vm(id, BiologicalType::Ecoli, VmType::Basic, cfg)
        .unwrap();
    h.start_vm(id).unwrap();
}

fn km(h: &Hypervisor) -> KineticMetrics {
    h.kinetic_metrics().expect("kinetic machinery")
}

fn growth_after(h: &mut Hypervisor, minutes: u64) -> f64 {
    h.step(minutes * MIN).unwrap();
    h.check_consistency().unwrap();
    km(h).growth_rate_per_min
}

#[test]
fn simple_is_the_default_and_reports_no_kinetics() {
    let h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    assert_eq!(h.machinery_kind(), MachineryKind::Simple);
    assert!(h.metrics().kinetic.is_none());
    assert!(h.kinetic_series_since(0, 10).is_none());
}

#[test]
fn kinetic_refuses_a_fixed_switch_cost() {
    let e = Hypervisor::new(HypervisorOptions {
        machinery: MachineryKind::Kinetic,
        context_switch_ms: Some(5),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    assert!(e.to_string().contains("context_switch_ms"), "{e}");
}

#[test]
fn host_alone_grows_at_its_steady_state() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
    let m0 = km(&h);
    // Weiße Table S1 at s0 = 1e4: the steady state the model finds (λ·ln2 → doubling).
    assert!(m0.growth_rate_per_min > 0.01 && m0.growth_rate_per_min < 0.05);
    let lam = growth_after(&mut h, 120);
    assert!(
        (lam / m0.baseline_growth_rate_per_min - 1.0).abs() < 1e-4,
        "{lam} vs {}",
        m0.baseline_growth_rate_per_min
    );
    assert!((km(&h).capacity_percent - 100.0).abs() < 0.1);
}

#[test]
fn more_vm_demand_lowers_growth_through_the_hypervisor() {
    // Proportional share: every runnable VM's genes are on at once, so more VMs burden more.
    let mut lam = Vec::new();
    let mut cap = Vec::new();
    for n in [0usize, 1, 4] {
        let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
        for i in 0..n {
            add_running(&mut h, &format!("vm{i}"), &guest(300));
        }
        lam.push(growth_after(&mut h, 300));
        cap.push(km(&h).capacity_percent);
    }
    assert!(lam[0] > lam[1] && lam[1] > lam[2], "growth {lam:?}");
    assert!(cap[0] > cap[1] && cap[1] > cap[2], "capacity {cap:?}");
    // Stronger expression of one VM (time slicing): lower growth too.
    let mut by_strength = Vec::new();
    for rnap in [50, 500, 2000] {
        let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
        add_running(&mut h, "a", &guest(rnap));
        by_strength.push(growth_after(&mut h, 300));
    }
    assert!(
        by_strength[0] > by_strength[1] && by_strength[1] > by_strength[2],
        "{by_strength:?}"
    );
}

#[test]
fn guests_make_protein_and_pausing_represses_their_genes() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut h, "a", &guest(400));
    h.step(120 * MIN).unwrap();
    let before = km(&h);
    let a = &before.per_vm[0];
    assert_eq!(a.vm_id, "a");
    assert_eq!(a.induction, 1.0);
    assert!(
        a.expression.mrna > 0.0
            && a.expression.protein > 0.0
            && a.expression.translation_aa_per_min > 0.0
    );
    let made = h.vm_status("a").unwrap().aa_produced;
    assert!(made > 0.0);
    h.pause_vm("a").unwrap();
    h.step(30 * MIN).unwrap();
    h.check_consistency().unwrap();
    let after = km(&h);
    let p = &after.per_vm[0];
    assert_eq!(p.induction, 0.0);
    // Free mRNA decays at d_m + λ ≥ 0.1/min (fed a little by ribosomes running off).
    assert!(
        p.expression.mrna < a.expression.mrna * 0.1,
        "{} vs {}",
        p.expression.mrna,
        a.expression.mrna
    );
    assert!(
        p.expression.translation_aa_per_min < a.expression.translation_aa_per_min * 0.3,
        "{} vs {}",
        p.expression.translation_aa_per_min,
        a.expression.translation_aa_per_min
    );
    // A paused VM is credited nothing more; the capacity monitor recovers at once, growth
    // once the host has rebuilt its proteome.
    assert_eq!(h.vm_status("a").unwrap().aa_produced, made);
    assert!(after.capacity_percent > 1.5 * before.capacity_percent);
    assert!(growth_after(&mut h, 300) > 1.5 * before.growth_rate_per_min);
}

#[test]
fn time_slicing_switches_promoters_and_measures_the_switch() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
    add_running(&mut h, "strong", &guest(1200));
    add_running(&mut h, "weak", &guest(150));
    h.step(24 * 60 * MIN).unwrap();
    h.check_consistency().unwrap();
    let m = h.metrics();
    let k = m.kinetic.as_ref().unwrap();
    // Exactly one VM's genes are on at a time.
    let on: Vec<f64> = k.per_vm.iter().map(|v| v.induction).collect();
    assert_eq!(on.iter().filter(|&&u| u == 1.0).count(), 1, "{on:?}");
    assert_eq!(on.iter().filter(|&&u| u == 0.0).count(), 1, "{on:?}");
    assert!(k.switches_measured >= 10, "{}", k.switches_measured);
    let mean = k.mean_switch_ms.unwrap();
    // Neither free nor the whole slice: mRNA lifetimes are 10 min, the slice 60 min.
    assert!(mean > MIN as f64 && mean < 40.0 * MIN as f64, "{mean}");
    assert!(m.overhead_percent > 1.0 && m.overhead_percent < 60.0);
    // Not a constant: switching to the weak VM (whose translation must overtake the strong
    // one's decaying output) takes longer than switching to the strong one.
    let chunk = h.trace_since(0, usize::MAX);
    let mean_into = |vm: &str| {
        let d: Vec<u64> = chunk
            .segments
            .iter()
            .filter(|s| &*s.vm == vm && s.kind == bioxen::trace::SegmentKind::Switch)
            .map(|s| s.end - s.start)
            .collect();
        assert!(!d.is_empty());
        d.iter().sum::<u64>() as f64 / d.len() as f64
    };
    assert!(
        mean_into("weak") > 1.5 * mean_into("strong"),
        "{} vs {}",
        mean_into("weak"),
        mean_into("strong")
    );
    assert_eq!(h.switch_cost_ms(), k.last_switch_ms.unwrap());
}

#[test]
fn orthogonal_ribosomes_relieve_the_host() {
    // Growth kept, as a fraction of each host's own growth without guests.
    let kept = |chassis, rnap| {
        let mut h = kinetic(chassis, SchedulerKind::Credit);
        let base = km(&h).baseline_growth_rate_per_min;
        for i in 0..4 {
            add_running(&mut h, &format!("vm{i}"), &guest(rnap));
        }
        growth_after(&mut h, 600) / base
    };
    let (e1, e8) = (kept(ChassisKind::Ecoli, 100), kept(ChassisKind::Ecoli, 800));
    let (o1, o8) = (
        kept(ChassisKind::Orthogonal, 100),
        kept(ChassisKind::Orthogonal, 800),
    );
    // Heavy demand: the o-ribosome pool (fed by o-rRNA at w_rP) caps what guests can take,
    // so the orthogonal host keeps several times more of its growth.
    assert!(o8 > 2.0 * e8, "orthogonal {o8} vs E. coli {e8}");
    // And its growth barely depends on how hard the guests push; E. coli's does.
    assert!((o1 - o8).abs() < 0.5 * (e1 - e8), "{o1} {o8} vs {e1} {e8}");
    let h = kinetic(ChassisKind::Orthogonal, SchedulerKind::Credit);
    assert!(km(&h).free_orthogonal_ribosomes.unwrap() > 0.0);
}

#[test]
fn every_chassis_runs_guests() {
    for c in [ChassisKind::Syn3a, ChassisKind::Yeast] {
        let mut h = kinetic(c, SchedulerKind::Eevdf);
        h.create_vm("g", BiologicalType::Syn3a, VmType::Basic, &guest(2))
            .unwrap();
        h.start_vm("g").unwrap();
        h.step(200 * MIN).unwrap();
        h.check_consistency().unwrap();
        let k = km(&h);
        assert!(k.growth_rate_per_min > 0.0 && k.per_vm[0].expression.protein > 0.0);
        assert!(h.vm_status("g").unwrap().aa_produced > 0.0);
    }
}

/// Every kind of operation on a kinetic hypervisor.
fn scenario(h: &mut Hypervisor, steps: &[u64]) {
    add_running(h, "a", &guest(600));
    add_running(h, "b", &guest(200));
    h.create_vm("c", BiologicalType::Yeast, VmType::Basic, &guest(300))
        .unwrap();
    for (i, &dt) in steps.iter().enumerate() {
        h.step(dt).unwrap();
        match i % 6 {
            0 => h.start_vm("c").or_else(|_| h.resume_vm("c")).unwrap(),
            1 => h.pause_vm("a").unwrap(),
            2 => h.resume_vm("a").unwrap(),
            3 => {
                let _ = h.set_scheduling(
                    "b",
                    &bioxen::SchedulingRequest {
                        weight: Some(512),
                        ..Default::default()
                    },
                );
            }
            4 => h.pause_vm("c").unwrap(),
            _ => {}
        }
    }
}

#[test]
fn stepping_in_chunks_or_at_once_gives_the_same_bits() {
    for kind in [SchedulerKind::RoundRobin, SchedulerKind::Credit] {
        let mut a = kinetic(ChassisKind::Ecoli, kind);
        let mut b = kinetic(ChassisKind::Ecoli, kind);
        scenario(&mut a, &[0, 0, 0]);
        scenario(&mut b, &[0, 0, 0]);
        a.step(90 * MIN).unwrap();
        for _ in 0..90 * 60 {
            b.step(1000).unwrap();
        }
        b.step(0).unwrap();
        // The kinetic state, the schedule and what each VM made are identical; so is the
        // whole snapshot, fair-share clock included (tests/chunking.rs covers every policy).
        let (va, vb) = (snap_value(&a), snap_value(&b));
        for key in ["machinery", "trace", "events", "completions", "current"] {
            assert!(va[key] == vb[key], "{kind:?}: {key} differs");
        }
        assert!(a.snapshot() == b.snapshot(), "{kind:?}: snapshots differ");
        let made =
            |h: &Hypervisor| -> Vec<f64> { h.list_vms().iter().map(|s| s.aa_produced).collect() };
        assert_eq!(made(&a), made(&b));
    }
}

fn snap_value(h: &Hypervisor) -> serde_json::Value {
    serde_json::from_str(&h.snapshot()).unwrap()
}

#[test]
fn snapshot_restore_continue_is_bit_identical() {
    for kind in [
        SchedulerKind::RoundRobin,
        SchedulerKind::Mlfq,
        SchedulerKind::Credit,
        SchedulerKind::Lottery,
    ] {
        let mut h = kinetic(ChassisKind::Orthogonal, kind);
        scenario(&mut h, &[7 * MIN + 123, 31 * MIN, 3 * MIN + 1, 45 * MIN]);
        let snap = h.snapshot();
        let mut r = Hypervisor::restore(&snap).unwrap();
        assert!(
            r.snapshot() == snap,
            "{kind:?}: restore changed the snapshot"
        );
        for x in [&mut h, &mut r] {
            x.step(77 * MIN + 5).unwrap();
            x.destroy_vm("b").unwrap();
            x.step(50 * MIN).unwrap();
        }
        assert!(
            h.snapshot() == r.snapshot(),
            "{kind:?}: continuations differ"
        );
        assert!(h.metrics() == r.metrics(), "{kind:?}: metrics differ");
        r.check_consistency().unwrap();
    }
}

#[test]
fn series_reads_like_a_cursor() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut h, "a", &guest(1500));
    h.step(30 * MIN).unwrap();
    let (s, next, dropped) = h.kinetic_series_since(0, usize::MAX).unwrap();
    // One sample per simulated minute (2 ticks of 30 s), from t = 0.
    assert_eq!(s.len(), 31);
    assert_eq!((next, dropped), (31, 0));
    assert!(s.windows(2).all(|w| w[1].t_ms == w[0].t_ms + MIN));
    assert!(s.last().unwrap().growth_rate < s[0].growth_rate);
    h.step(5 * MIN).unwrap();
    let (s2, next2, _) = h.kinetic_series_since(next, 2).unwrap();
    assert_eq!((s2.len(), next2), (2, 33));
    assert_eq!(s2[0].t_ms, 31 * MIN);
}

#[test]
fn hostile_kinetic_snapshots_are_refused() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut h, "a", &guest(100));
    h.step(10 * MIN).unwrap();
    let snap = h.snapshot();
    // A negative state, a missing gene, a clock mismatch.
    let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
    let k = &v["machinery"]["kinetic"];
    assert!(k.is_object(), "snapshot layout changed");
    for (path, bad) in [
        ("y", serde_json::json!([-1.0])),
        ("genes", serde_json::json!([])),
        ("t_grid", serde_json::json!(0)),
    ] {
        let mut w = v.clone();
        w["machinery"]["kinetic"][path] = bad;
        let e = Hypervisor::restore(&w.to_string()).unwrap_err();
        assert_eq!(e.code(), "INVALID_SNAPSHOT", "{path}");
    }
}

// Genome VMs need the genome parser (the `genome` feature).
#[cfg(feature = "genome")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
    /// Random VM sets (some built on a genome: several gene classes each) and schedules never
    /// produce negative or non-finite states.
    #[test]
    fn random_schedules_stay_physical(
        sched in 0usize..9,
        ops in proptest::collection::vec((0u8..6, 0usize..4, 1u64..40 * MIN, 0u64..3000), 1..14),
    ) {
        let kind = SchedulerKind::ALL[sched];
        let mut h = kinetic(ChassisKind::Ecoli, kind);
        for (op, vm, dt, rnap) in ops {
            let id = format!("v{vm}");
            let _ = match op {
                0 if vm % 2 == 1 => h.create_vm(&id, BiologicalType::Ecoli, VmType::Basic, &genome_guest(rnap % 1000)),
                0 => h.create_vm(&id, BiologicalType::Syn3a, VmType::Basic, &guest(rnap % 1000)),
                1 => h.start_vm(&id),
                2 => h.pause_vm(&id),
                3 => h.resume_vm(&id),
                4 => h.destroy_vm(&id),
                _ => h.set_reservation(&id, &bioxen::ResourceRequest { rna_polymerase: Some(rnap), ..Default::default() }),
            };
            h.step(dt).unwrap();
            prop_assert!(h.check_consistency().is_ok(), "{:?}", h.check_consistency());
            let k = km(&h);
            prop_assert!(k.growth_rate_per_min.is_finite() && k.growth_rate_per_min >= 0.0);
            prop_assert_eq!(k.integration_failures, 0);
            for s in h.list_vms() {
                prop_assert!(s.aa_produced.is_finite() && s.aa_produced >= 0.0);
            }
            for v in &k.per_vm {
                let genome = v.vm_id.trim_start_matches('v').parse::<usize>().unwrap() % 2 == 1;
                prop_assert_eq!(v.gene_classes.len(), if genome { 3 } else { 1 });
                prop_assert!(v.gene_classes.iter().all(|c| c.expression.mrna >= 0.0 && c.expression.protein >= 0.0 && c.expression.translation_aa_per_min.is_finite()));
            }
        }
    }
}
