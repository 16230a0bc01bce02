//! Reports: each VM's status, the resource summary, the system metrics, and the trace and
//! events since a cursor. Everything here reads; nothing changes the hypervisor.

use crate::error::Result;
use crate::metrics::{
    jain_index, PoolUtilisation, ResourceSummary, SystemMetrics, VmHolding, VmStatus,
};
use crate::resources::{Amounts, Pool, ATP_TOTAL_CENTI};
use crate::scheduler::Ms;
use crate::trace::{Event, Segment, SegmentKind, TraceChunk};

use super::state::{secs, Hypervisor, VmRecord};

impl Hypervisor {
    pub(super) fn status_of(&self, r: &VmRecord) -> VmStatus {
        let now = self.now;
        let runnable = r.runnable_ms + r.runnable_since.map_or(0, |s| now - s);
        let live = r.rate * (now - r.mark) as f64;
        let fair = self.fair_ms(r);
        let (held, res) = (r.held, r.reservation);
        let res = if held { res } else { Amounts::default() };
        VmStatus {
            vm_id: r.id.to_string(),
            state: r.state,
            biological_type: r.bio,
            vm_type: r.vm_type,
            ribosomes: res.ribosomes,
            rna_polymerase: res.rna_polymerase,
            atp_percent: res.atp_percent(),
            memory_kb: res.memory_kb,
            priority: r.priority,
            weight: r.weight,
            cap: r.cap,
            machinery_time_ms: r.machinery_ms,
            wait_time_ms: runnable.saturating_sub(r.machinery_ms),
            runnable_time_ms: runnable,
            response_time_ms: r.first_run.zip(r.first_start).map(|(a, b)| a - b),
            turnaround_time_ms: r.first_completion.zip(r.first_start).map(|(a, b)| a - b),
            context_switches: r.switches_in,
            aa_produced: r.produced_aa + live,
            cycles_completed: r.cycles_completed,
            workload_aa: r.workload_aa,
            progress: ((r.done_aa + live) / r.workload_aa as f64).clamp(0.0, 1.0),
            fair_share: if runnable > 0 {
                fair / runnable as f64
            } else {
                0.0
            },
            share_received: if runnable > 0 {
                r.machinery_ms as f64 / runnable as f64
            } else {
                0.0
            },
        }
    }

    pub(super) fn records(&self) -> Vec<&VmRecord> {
        let mut v: Vec<&VmRecord> = self.slots.iter().flatten().collect();
        v.sort_by_key(|r| r.seq);
        v
    }

    /// One VM's status.
    pub fn vm_status(&self, id: &str) -> Result<VmStatus> {
        Ok(self.status_of(self.rec_of(id)?))
    }

    /// Every VM's status in creation order.
    pub fn list_vms(&self) -> Vec<VmStatus> {
        self.records()
            .into_iter()
            .map(|r| self.status_of(r))
            .collect()
    }

    /// The ledger with totals, host reserve, allocations and what each VM holds.
    pub fn resource_summary(&self) -> ResourceSummary {
        let l = &self.ledger;
        let per_vm = self
            .records()
            .into_iter()
            .map(|r| {
                let a = l.held_by(r.id.as_str());
                VmHolding {
                    vm_id: r.id.to_string(),
                    ribosomes: a.ribosomes,
                    rna_polymerase: a.rna_polymerase,
                    atp_percent: a.atp_percent(),
                    memory_kb: a.memory_kb,
                }
            })
            .collect();
        ResourceSummary {
            chassis: self.chassis.kind.as_str().to_string(),
            ribosomes: l.pool_summary(Pool::Ribosomes),
            rna_polymerase: l.pool_summary(Pool::RnaPolymerase),
            atp: l.pool_summary(Pool::Atp),
            memory_kb: l.pool_summary(Pool::Memory),
            vm_count: self.index.len(),
            active_vms: self.runnable as usize,
            max_vms: self.max_vms,
            per_vm,
        }
    }

    /// Every measurement, computed from what happened.
    pub fn metrics(&self) -> SystemMetrics {
        let per_vm: Vec<VmStatus> = self.list_vms();
        let ratios: Vec<f64> = self
            .records()
            .iter()
            .zip(&per_vm)
            .filter_map(|(r, s)| {
                let fair = self.fair_ms(r);
                (fair > 0.0).then(|| s.machinery_time_ms as f64 / fair)
            })
            .collect();
        let elapsed = self.now.max(1) as f64;
        let total_aa: f64 = per_vm.iter().map(|s| s.aa_produced).sum();
        let util = |p: Pool| {
            let s = self.ledger.pool_summary(p);
            let guest = s.total - s.reserved;
            if guest > 0.0 {
                s.allocated / guest
            } else {
                0.0
            }
        };
        // Current guest production → ATP demand, against the guests' share of supply.
        let rate_aa_per_s: f64 = self.slots.iter().flatten().map(|r| r.rate).sum::<f64>() * 1000.0;
        let atp_demand = rate_aa_per_s * self.chassis.atp_per_aa;
        let guest_atp_fraction = (self.ledger.capacity().atp_centi as f64
            - self.ledger.reserve().atp_centi as f64)
            .max(0.0)
            / ATP_TOTAL_CENTI as f64;
        let supply = self.chassis.atp_turnover_per_s * guest_atp_fraction;
        let atp_level = if supply > 0.0 {
            (100.0 * (1.0 - atp_demand / supply)).clamp(0.0, 100.0)
        } else if atp_demand > 0.0 {
            0.0
        } else {
            100.0
        };
        SystemMetrics {
            now_ms: self.now,
            fairness_index: jain_index(&ratios),
            overhead_percent: 100.0 * self.overhead_ms as f64 / elapsed,
            context_switches: self.switches,
            decisions: self.decisions,
            throughput_aa_per_s: if self.now > 0 {
                total_aa / secs(self.now)
            } else {
                0.0
            },
            completed_cycles: self.completed_cycles,
            machinery_busy: self.busy_ms as f64 / elapsed,
            shared_ribosomes: self.shared_ribosomes(),
            pool_utilisation: PoolUtilisation {
                ribosomes: util(Pool::Ribosomes),
                rna_polymerase: util(Pool::RnaPolymerase),
                atp: util(Pool::Atp),
                memory: util(Pool::Memory),
            },
            atp_level_percent: atp_level,
            per_vm,
            kinetic: self.kinetic_metrics(),
        }
    }

    /// Finished Gantt segments from `cursor` (at most `limit`), plus the open one.
    pub fn trace_since(&self, cursor: u64, limit: usize) -> TraceChunk {
        let (segments, next_cursor, dropped) = self.trace.since(cursor, limit);
        let open = self.current.and_then(|c| {
            let vm = self.rec(c.slot)?.id.shared();
            let (start, kind) = if c.running {
                (c.run_start, SegmentKind::Run)
            } else {
                (c.switch_start, SegmentKind::Switch)
            };
            (self.now > start).then_some(Segment {
                vm,
                start,
                end: self.now,
                kind,
                reason: c.reason.filter(|_| c.running),
            })
        });
        TraceChunk {
            segments,
            next_cursor,
            dropped,
            open,
        }
    }

    /// Events with id ≥ `since`, at most `limit`.
    pub fn events_since(&self, since: u64, limit: usize) -> Vec<Event> {
        self.events.since(since, limit)
    }

    /// Total context-switch time so far.
    pub fn overhead_ms(&self) -> Ms {
        self.overhead_ms
    }
}
