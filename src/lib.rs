//! BioXen: a biological hypervisor simulator.
//!
//! A host cell (the [`chassis`]) has finite expression machinery. The [`hypervisor`] runs
//! several biological VMs ([`vm`]) on it: it admits them against one resource [`resources`]
//! ledger that never over-commits, shares the machinery among them with a [`scheduler`]
//! policy over simulated time, and measures what happens ([`metrics`], [`trace`],
//! [`profiler`]). The [`factory`] module is the upstream-compatible entry point.
//!
//! The core is deterministic and uses simulated time only; it has no wasm or JS types.

pub mod chassis;
#[cfg(feature = "kinetics")]
pub mod circuits;
pub mod config;
pub mod custom_chassis;
pub mod error;
pub mod factory;
pub mod genome;
pub mod hypervisor;
#[cfg(any(target_arch = "wasm32", test))]
mod jsonsafe;
#[cfg(feature = "kinetics")]
pub mod kinetics;
pub mod machinery;
pub mod metrics;
pub mod profiler;
pub mod resources;
#[cfg(feature = "kinetics")]
pub mod sbml;
pub mod scheduler;
pub mod session;
pub mod trace;
pub mod vm;
pub mod workload;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use chassis::{ChassisKind, ChassisSpec};
pub use config::{ConfigFormat, ConfigManager, VmConfig};
pub use error::{BioxenError, ConfigIssue, Result};
pub use factory::{
    create_bio_vm, default_hypervisor, get_supported_biological_types, get_supported_chassis,
    get_supported_schedulers, get_supported_vm_types, validate_biological_type, validate_vm_type,
    BioResourceManager, BiologicalVm, SharedHypervisor,
};
pub use hypervisor::{Hypervisor, HypervisorOptions, ResourceRequest, SchedulingRequest};
pub use metrics::{ResourceSummary, SystemMetrics, VmStatus};
pub use scheduler::{SchedulerKind, SchedulerParams};
pub use vm::{Action, BiologicalType, VmId, VmState, VmType, XcpngConfig};
