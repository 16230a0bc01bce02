//! Xen's credit scheduler (credit1, `xen/common/sched/credit.c`), scaled to biological time.
//!
//! * **Slice** = `quantum_ms` (Xen's 30 ms), **tick** = slice / 3 (10 ms), **accounting
//!   period** = one slice, aligned on multiples of the slice from time 0.
//! * **Credit** is kept in ms of machinery time. At every period boundary one period's worth
//!   of credit is handed out to the active VMs in proportion to weight. Running debits
//!   credit by the time actually run (timestamp accounting, not tick sampling), and a VM
//!   that is running when a boundary passes earns and spends in time order (its clip is
//!   applied at its charge). Credit is clipped to ±one period's worth. As in Xen, a queued
//!   VM whose credit reaches the upper clip stops earning and leaves the active set, so from
//!   the next period on its share goes to the VMs that can use it; it becomes active again
//!   when it next runs. Active = runnable (queued, parked or running) and not saturated.
//! * **Priorities** BOOST > UNDER > OVER, FIFO within each. Credit ≥ 0 is UNDER, < 0 is OVER.
//!   A VM that becomes runnable with credit ≥ 0 is BOOSTed until its next charge; a BOOST
//!   dispatch lasts at most one tick (Xen drops BOOST at the first tick that finds the VM
//!   running), and a BOOSTed arrival preempts a running VM that is not BOOSTed (Xen's
//!   wake-up tickle).
//! * **Caps** (`cap_percent`): a capped VM may use `cap% × slice` of the machinery per
//!   accounting period; once it has, it is *parked* (not pickable) until the next period.
//!   Dispatches are cut to the remaining budget rounded up to a whole ms, and the sub-ms
//!   overrun is carried as debt into the next period, so the long-run share never exceeds
//!   the cap. Parking makes the policy non-work-conserving on purpose: `pick` returns `None`
//!   when only parked VMs remain, and `next_wakeup` names the next period boundary. Without
//!   caps it is work-conserving (an OVER VM runs if nothing is UNDER).
//!
//! **Cost.** Credit is handed out lazily: a global accumulator `acc` holds the credit earned
//! so far per unit of weight, so a queued VM's credit is
//! `min(clip, credit + weight × (acc − mark))` and a period boundary is O(1). The events a
//! boundary can cause for a queued VM (OVER turning UNDER, credit reaching the clip) happen
//! when `acc` crosses a threshold fixed when the VM was queued, so they sit in two min-heaps
//! by threshold and are handled as boundaries pass. Parked VMs are rechecked once, at the
//! next boundary. Every operation is O(log n) amortised in the number of VMs.

mod accounting;
mod policy;
mod state;
#[cfg(test)]
mod tests;

pub use state::{Credit, CreditPriority};
