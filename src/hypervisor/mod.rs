//! The hypervisor: one chassis, one resource ledger, one scheduler and one clock for all VMs.
//!
//! It owns the VM records and their lifecycle, admits VMs against the [`Ledger`](crate::resources::Ledger), and
//! advances simulated time event by event: dispatches chosen by the scheduler, context
//! switches (ribosome run-off), completions of work cycles. Between events nothing is
//! computed, so an idle hour costs nothing. Same options and operations give the same
//! trace, bit for bit, and a snapshot restores a hypervisor that continues exactly as the
//! original would.
//!
//! What is scheduled: the chassis's shared expression machinery, i.e. the guest ribosomes
//! that no VM has reserved. A running VM always polymerises with its own reserved
//! ribosomes; while it holds the shared machinery it also gets the shared pool.
//!
//! The files of this module, each one concern: [`options`](HypervisorOptions) (how to build
//! one, the change requests, the limits); `state` (the struct, its VM records, construction
//! and queries); `rates` (production and the runnable set); `dispatch` (the event loop);
//! `lifecycle` (VM transitions); `ledger` (reservations, ATP supply); `scheduling` (priority,
//! weight, cap, policy); `reports` (status, metrics, resource summary, trace, events);
//! `kinetic` and `machinery` (the machinery models behind one type, and the glue to one that
//! takes demand); `snapshot` (snapshot, restore, invariants, and the JSON codec).

#[cfg(feature = "kinetics")]
mod circuits;
mod dispatch;
mod kinetic;
mod ledger;
mod lifecycle;
mod machinery;
mod options;
mod rates;
mod reports;
mod scheduling;
mod snapshot;
mod state;

pub use crate::chassis::MAX_VMS_LIMIT;
pub use options::{HypervisorOptions, ResourceRequest, SchedulingRequest, MAX_TIME_MS};
pub use state::{Hypervisor, SNAPSHOT_VERSION};
