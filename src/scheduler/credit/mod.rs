//! Xen's credit scheduler (credit1, `xen/common/sched/credit.c`), scaled to biological time.
//!
//! * **Slice** = `quantum_ms` (Xen's 30 ms), **tick** = slice / 3 (10 ms).
//! * **Credit** is kept in ms of machinery time: the time a VM runs on the shared machinery,
//!   not counting context switches. Every charge of `ran_ms` hands `ran_ms` of credit out to
//!   the active VMs in proportion to weight and debits the same `ran_ms` from the VM that ran,
//!   so what is burned equals what is earned. (Xen hands out one accounting period's worth
//!   every period, which is the same thing when a switch costs next to nothing. Here a switch
//!   costs a ribosome run-off, 20 s on E. coli, a third of a 1-min slice: handing out the
//!   time nobody ran kept every VM's credit positive, every VM UNDER, and credit degenerated
//!   into round robin, 1.000 instead of 2:1 for weights 512:256 at a 1-min slice.)
//!   Credit is clipped below at −one slice (at the charge, as in Xen). Above, only a
//!   *parked* VM is clipped: as in Xen, once its credit reaches one slice it stops earning
//!   and leaves the active set, and the rest of the handout goes to the VMs that can use it;
//!   it earns again once it leaves the park. A queued VM is not clipped, unlike Xen: credit
//!   is conserved and none falls below −one slice, so what a queued VM holds is what the
//!   others owe it, at most (n − 1) slices among n VMs, and clipping it at one slice handed
//!   its share to the others (random weights among 2–8 VMs ended up to 20 points of share
//!   off their weights; without the clip, 0.2 at most). Active = runnable (queued, parked or
//!   running) and not saturated.
//! * **The context switch** is charged to the VM being switched in (as Xen's tick charges
//!   whichever vCPU holds the CPU): the dispatch holds the machinery from its `pick` to its
//!   `charge`, and the part of it that is not `ran_ms` is the switch. It counts toward that
//!   VM's cap, and the hypervisor reports it as overhead, apart from the VM's machinery time.
//!   It burns no credit: a weight divides the machinery time the VMs receive, as under EEVDF
//!   and lottery, and burning the switch too would make a VM's share depend on how often it
//!   is switched in (charged so, 512:256 at a 1-min slice on E. coli gives 2.33, not 2).
//! * **Priorities** BOOST > UNDER > OVER, FIFO within each. Credit ≥ 0 is UNDER, < 0 is OVER.
//!   A VM that becomes runnable with credit ≥ 0 is BOOSTed until its next charge; a BOOST
//!   dispatch lasts at most one tick (Xen drops BOOST at the first tick that finds the VM
//!   running), and a BOOSTed arrival preempts a running VM that is not BOOSTed (Xen's
//!   wake-up tickle).
//! * **Caps** (`cap_percent`): a capped VM has a budget, a token bucket that fills at
//!   `cap_percent` % of elapsed time up to `cap_percent` % of one slice (Xen's per-period
//!   cap). A dispatch empties it by the whole time held, switch included, and may take it
//!   into debt: as in Xen, a capped VM with budget left runs a whole dispatch and is *parked*
//!   (not pickable) once the budget is ≤ 0, until it has filled back above 0. Cutting
//!   dispatches to the budget instead would pay a context switch for every sliver (a 20 %
//!   cap at a 1-min slice leaves 12 s, less than one 20 s switch). So over any time T from
//!   its start, a capped VM holds the machinery at most `cap% × T` plus one dispatch (a
//!   slice and a switch), and its long-run share is its cap. Parking makes the policy
//!   non-work-conserving on purpose: `pick` returns `None` when only parked VMs remain, and
//!   `next_wakeup` names the earliest unparking. An uncapped VM is never kept waiting by a
//!   cap: it runs whenever the capped VMs are parked (an OVER VM runs if nothing is UNDER).
//!
//! **Convergence.** Credit moves by at most one slice per dispatch, so the split settles at
//! once: on E. coli at any quantum from 1 to 60 min, two
//! always-runnable VMs 512:256 run heavy, heavy, light from the fifth slice on (after the
//! BOOST ticks of their start), and 256:512:1024 repeat a 7-slice cycle (4 : 2 : 1). The
//! share received since the start, which averages in those first slices, stays within 2
//! points of weight ÷ Σ weight after 23 slices (512:256) and 51 slices (256:512:1024), as
//! measured by `examples/credit_shares.rs`.
//!
//! **Cost.** Credit is handed out lazily: a global accumulator `acc` holds the credit earned
//! so far per unit of weight, so a queued VM's credit is
//! `credit + weight × (acc − mark)` (at most the clip if parked) and a handout is O(1). The events a handout
//! can cause for a queued VM (OVER turning UNDER, credit reaching the clip) happen when `acc`
//! crosses a threshold fixed when the VM was queued, so they sit in two min-heaps by
//! threshold and are handled as `acc` passes them; parked VMs sit in a third by the time
//! their budget turns positive. Every operation is O(log n) amortised in the number of VMs.

mod accounting;
mod policy;
mod state;
#[cfg(test)]
mod tests;

pub use state::{Credit, CreditPriority};
