//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod cli;
pub mod oracle;

use bioxen::chassis::ChassisKind;
use bioxen::{BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType};

/// The `textbook` chassis preset (1 aa per ms of shared machinery, no host reserve, free
/// context switches, room for 1,024 VMs): a VM's `workload_aa` is its burst in ms.
pub fn lab_options(kind: SchedulerKind, quantum_ms: u64) -> HypervisorOptions {
    HypervisorOptions {
        scheduler: kind,
        quantum_ms: Some(quantum_ms),
        seed: 42,
        ..HypervisorOptions::on_preset(ChassisKind::Textbook).unwrap()
    }
}

pub fn lab(kind: SchedulerKind, quantum_ms: u64) -> Hypervisor {
    Hypervisor::new(lab_options(kind, quantum_ms)).unwrap()
}

/// A job: `burst` aa (= ms on the textbook chassis, where VMs reserve nothing by default),
/// one cycle.
pub fn job(burst: u64) -> VmConfig {
    VmConfig {
        workload_aa: Some(burst),
        cycles: Some(1),
        ..Default::default()
    }
}

/// A VM that never finishes (continuous cycles of a long workload), with a weight.
pub fn hog(weight: u32) -> VmConfig {
    VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(0),
        atp_percent: Some(0.0),
        memory_kb: Some(1),
        workload_aa: Some(1_000_000_000_000),
        weight: Some(weight),
        ..Default::default()
    }
}

pub fn add(h: &mut Hypervisor, id: &str, cfg: &VmConfig) {
    h.create_vm(id, BiologicalType::Syn3a, VmType::Basic, cfg)
        .unwrap();
}

/// Run textbook jobs `(arrival, burst)` to completion through the real hypervisor; returns
/// (waiting, turnaround, response) per job.
pub fn run_textbook(
    kind: SchedulerKind,
    quantum: u64,
    jobs: &[(u64, u64)],
    priorities: Option<&[u8]>,
) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let mut h = lab(kind, quantum);
    for (i, &(_, burst)) in jobs.iter().enumerate() {
        let mut cfg = job(burst);
        if let Some(p) = priorities {
            cfg.priority = Some(p[i]);
        }
        add(&mut h, &format!("P{}", i + 1), &cfg);
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| (jobs[i].0, i));
    for &i in &order {
        let t = jobs[i].0;
        if t > h.now_ms() {
            h.run_until(t).unwrap();
        }
        h.start_vm(&format!("P{}", i + 1)).unwrap();
    }
    let total: u64 =
        jobs.iter().map(|j| j.1).sum::<u64>() + jobs.iter().map(|j| j.0).max().unwrap();
    h.run_until(total + 1).unwrap();
    let mut w = vec![];
    let mut t = vec![];
    let mut r = vec![];
    for (i, &(_, burst)) in jobs.iter().enumerate() {
        let s = h.vm_status(&format!("P{}", i + 1)).unwrap();
        let ta = s.turnaround_time_ms.expect("job finished");
        t.push(ta);
        w.push(ta - burst);
        r.push(s.response_time_ms.unwrap());
        assert_eq!(s.state, bioxen::VmState::Stopped, "finished jobs stop");
    }
    (w, t, r)
}

/// A hypervisor on the kinetic machinery (the Weiße host), room for 16 VMs.
#[cfg(feature = "kinetics")]
pub fn kinetic(chassis: ChassisKind, scheduler: SchedulerKind, seed: u64) -> Hypervisor {
    Hypervisor::new(HypervisorOptions {
        chassis: bioxen::ChassisSpec::preset(chassis).unwrap(),
        scheduler,
        machinery: bioxen::machinery::MachineryKind::Kinetic,
        max_vms: Some(16),
        seed,
        ..Default::default()
    })
    .unwrap()
}
