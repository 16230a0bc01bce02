//! Which structs the snapshot writes as arrays of their fields (the rule the reader and the
//! writer share).

/// Structs written as arrays of their fields in declaration order instead of objects: the
/// bulky internal state (VM records, schedulers, trace, ledger, chassis). Reading an array
/// needs no field-name matching, so restoring them takes much less code; the top level, the
/// resource amounts and the events stay keyed. Writer and reader use this same rule, so a
/// struct may be added or removed here freely (the check folds away at compile time), as
/// long as it writes every field every time (no `skip_serializing_if`, no `flatten`).
#[inline(always)]
pub(super) fn positional(name: &str) -> bool {
    matches!(
        name,
        "VmRecord"
            | "Current"
            | "Segment"
            | "Vm"
            | "Threshold"
            | "Credit"
            | "Entity"
            | "Key"
            | "Eevdf"
            | "Fcfs"
            | "RngState"
            | "Lottery"
            | "VmState"
            | "Bucket"
            | "Mlfq"
            | "Priority"
            | "FifoQueue"
            | "RoundRobin"
            | "Sjf"
            | "Srtf"
            | "ChassisSpec"
            | "HostReserve"
            | "SchedulerParams"
            | "SimpleMachinery"
            | "Ledger"
            | "Trace"
            | "EventLog"
            | "XcpngConfig"
    )
}
