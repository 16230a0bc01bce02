//! The factory API: the upstream library's entry points, made real.
//!
//! Every VM created through the factory lives on one shared hypervisor (one chassis, one
//! scheduler, one clock): [`default_hypervisor`] unless a [`SharedHypervisor`] is given.
//! Handles ([`BiologicalVm`], [`BioResourceManager`]) are cheap clones of that shared handle.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::chassis::ChassisKind;
use crate::config::VmConfig;
use crate::error::{BioxenError, Result};
use crate::hypervisor::{Hypervisor, HypervisorOptions, ResourceRequest};
use crate::metrics::{ResourceSummary, VmStatus};
use crate::scheduler::SchedulerKind;
use crate::vm::{BiologicalType, VmState, VmType};

/// A hypervisor shared by handles.
#[derive(Debug, Clone)]
pub struct SharedHypervisor(Arc<Mutex<Hypervisor>>);

impl SharedHypervisor {
    pub fn new(h: Hypervisor) -> Self {
        SharedHypervisor(Arc::new(Mutex::new(h)))
    }

    /// Lock it (a poisoned lock is recovered: the hypervisor never panics mid-operation).
    pub fn lock(&self) -> MutexGuard<'_, Hypervisor> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Create a VM on this hypervisor (`None`: the biological type's default config).
    pub fn create_vm(
        &self,
        vm_id: &str,
        biological_type: BiologicalType,
        vm_type: VmType,
        config: Option<&VmConfig>,
    ) -> Result<BiologicalVm> {
        let default = VmConfig::default();
        self.lock()
            .create_vm(vm_id, biological_type, vm_type, config.unwrap_or(&default))?;
        Ok(BiologicalVm {
            hv: self.clone(),
            vm_id: vm_id.to_string(),
            biological_type,
            vm_type,
        })
    }

    /// A handle to an existing VM.
    pub fn get_vm(&self, vm_id: &str) -> Option<BiologicalVm> {
        let h = self.lock();
        let s = h.vm_status(vm_id).ok()?;
        Some(BiologicalVm {
            hv: self.clone(),
            vm_id: s.vm_id,
            biological_type: s.biological_type,
            vm_type: s.vm_type,
        })
    }

    pub fn same_as(&self, other: &SharedHypervisor) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A weak reference (does not keep the hypervisor alive).
    pub fn downgrade(&self) -> WeakHypervisor {
        WeakHypervisor(Arc::downgrade(&self.0))
    }
}

/// A weak handle to a [`SharedHypervisor`].
#[derive(Debug, Clone)]
pub struct WeakHypervisor(std::sync::Weak<Mutex<Hypervisor>>);

impl WeakHypervisor {
    pub fn upgrade(&self) -> Option<SharedHypervisor> {
        self.0.upgrade().map(SharedHypervisor)
    }
}

static DEFAULT: OnceLock<SharedHypervisor> = OnceLock::new();

/// The process-wide hypervisor the factory functions use: an E. coli chassis with round robin.
pub fn default_hypervisor() -> SharedHypervisor {
    DEFAULT
        .get_or_init(|| {
            // The default options are valid by construction (see the tests).
            let h = Hypervisor::new(HypervisorOptions::default())
                .expect("default hypervisor options are valid");
            SharedHypervisor::new(h)
        })
        .clone()
}

/// Create a VM on the default hypervisor (upstream: `create_bio_vm`). The names are the
/// string edge for Rust callers: parsed here, then [`SharedHypervisor::create_vm`].
pub fn create_bio_vm(
    vm_id: &str,
    biological_type: &str,
    vm_type: &str,
    config: Option<&VmConfig>,
) -> Result<BiologicalVm> {
    default_hypervisor().create_vm(
        vm_id,
        BiologicalType::parse(biological_type)?,
        VmType::parse(vm_type)?,
        config,
    )
}

pub fn get_supported_biological_types() -> Vec<&'static str> {
    BiologicalType::ALL.iter().map(|t| t.as_str()).collect()
}
pub fn get_supported_vm_types() -> Vec<&'static str> {
    VmType::ALL.iter().map(|t| t.as_str()).collect()
}
pub fn get_supported_chassis() -> Vec<&'static str> {
    ChassisKind::PRESETS.iter().map(|t| t.as_str()).collect()
}
pub fn get_supported_schedulers() -> Vec<&'static str> {
    SchedulerKind::ALL.iter().map(|t| t.as_str()).collect()
}
pub fn validate_biological_type(t: &str) -> bool {
    BiologicalType::parse(t).is_ok()
}
pub fn validate_vm_type(t: &str) -> bool {
    VmType::parse(t).is_ok()
}

/// A handle to one VM on a shared hypervisor.
#[derive(Debug, Clone)]
pub struct BiologicalVm {
    hv: SharedHypervisor,
    vm_id: String,
    biological_type: BiologicalType,
    vm_type: VmType,
}

impl BiologicalVm {
    pub fn vm_id(&self) -> &str {
        &self.vm_id
    }
    pub fn biological_type(&self) -> BiologicalType {
        self.biological_type
    }
    pub fn vm_type(&self) -> VmType {
        self.vm_type
    }
    pub fn hypervisor(&self) -> &SharedHypervisor {
        &self.hv
    }
    /// Current state (`NOT_FOUND` once destroyed).
    pub fn state(&self) -> Result<VmState> {
        self.hv.lock().vm_state(&self.vm_id)
    }
    pub fn start(&self) -> Result<()> {
        self.hv.lock().start_vm(&self.vm_id)
    }
    pub fn pause(&self) -> Result<()> {
        self.hv.lock().pause_vm(&self.vm_id)
    }
    pub fn resume(&self) -> Result<()> {
        self.hv.lock().resume_vm(&self.vm_id)
    }
    pub fn stop(&self) -> Result<()> {
        self.hv.lock().stop_vm(&self.vm_id)
    }
    pub fn restart(&self) -> Result<()> {
        self.hv.lock().restart_vm(&self.vm_id)
    }
    pub fn destroy(&self) -> Result<()> {
        self.hv.lock().destroy_vm(&self.vm_id)
    }
    pub fn status(&self) -> Result<VmStatus> {
        self.hv.lock().vm_status(&self.vm_id)
    }
    /// Change this VM's reservation (partial; all or nothing).
    pub fn allocate_resources(&self, req: &ResourceRequest) -> Result<()> {
        self.hv.lock().set_reservation(&self.vm_id, req)
    }
    /// What this VM holds now.
    pub fn resource_usage(&self) -> Result<crate::metrics::VmHolding> {
        let h = self.hv.lock();
        h.resource_summary()
            .per_vm
            .into_iter()
            .find(|v| v.vm_id == self.vm_id)
            .ok_or_else(|| BioxenError::NotFound(self.vm_id.clone()))
    }
}

/// The resource view of a hypervisor (upstream: `BioResourceManager`, constructible without
/// arguments).
#[derive(Debug, Clone)]
pub struct BioResourceManager {
    hv: SharedHypervisor,
}

impl Default for BioResourceManager {
    fn default() -> Self {
        Self::new()
    }
}

impl BioResourceManager {
    /// On the default hypervisor.
    pub fn new() -> Self {
        BioResourceManager {
            hv: default_hypervisor(),
        }
    }
    pub fn with_hypervisor(hv: SharedHypervisor) -> Self {
        BioResourceManager { hv }
    }
    pub fn get_resource_summary(&self) -> ResourceSummary {
        self.hv.lock().resource_summary()
    }
    pub fn allocate(&self, vm_id: &str, req: &ResourceRequest) -> Result<()> {
        self.hv.lock().set_reservation(vm_id, req)
    }
    pub fn release(&self, vm_id: &str) -> Result<()> {
        self.hv.lock().release_resources(vm_id)
    }
}
