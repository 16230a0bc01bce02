/** Biological types a VM can be created with: the guest organism, which sets its default workload. */
export type BiologicalType = "syn3a" | "ecoli" | "minimal_cell" | "yeast";
/** How a VM is backed: simulated locally (`basic`) or by a remote XCP-ng host (`xcpng`). */
export type VmType = "basic" | "xcpng";
/** Preset host cells (chassis) a hypervisor can run on; `orthogonal` is E. coli with orthogonal ribosomes. */
export type ChassisName = "ecoli" | "yeast" | "syn3a" | "orthogonal" | "textbook";
/**
 * A custom chassis: the preset `base` (default "ecoli") with any of its numbers changed. The
 * result is of kind "custom" and must pass the same rules as every chassis (ranges in
 * `ChassisInfo`'s fields). `sources` replaces the base's list; without it the base's sources
 * are kept with a note that the chassis was changed.
 */
export interface ChassisDescription {
  /** The preset to start from (default "ecoli"). */
  base?: ChassisName;
  /** Human-readable name, 1–128 characters. */
  name?: string;
  /** Ribosomes per cell, 1..=10,000,000. */
  ribosomes?: number;
  /** RNA polymerases per cell, 1..=10,000,000. */
  rnaPolymerases?: number;
  /** Translation elongation, aa per second per ribosome (> 0). */
  elongationAaPerS?: number;
  /** Transcription elongation, nt per second per RNA polymerase (> 0). */
  transcriptionNtPerS?: number;
  /** ATP molecules in the pool (> 0). */
  atpPool?: number;
  /** ATP molecules turned over per second (> 0). */
  atpTurnoverPerS?: number;
  /** ATP spent per amino acid polymerised (> 0). */
  atpPerAa?: number;
  /** DNA capacity in kb, 1..=1,000,000,000. */
  memoryKb?: number;
  /** Doubling time in minutes (> 0). */
  doublingTimeMin?: number;
  /** VMs the chassis hosts by default, 1..=4096. */
  maxVms?: number;
  /** Mean protein length in aa (> 0): with the elongation rate it sets the switch cost. */
  meanProteinAa?: number;
  /** Fractions 0 <= f < 1 of each pool the host keeps; those not given stay the base's. */
  hostReserve?: {
    /** Of the ribosomes. */
    ribosomes?: number;
    /** Of the RNA polymerases. */
    rnaPolymerase?: number;
    /** Of the ATP supply. */
    atp?: number;
    /** Of the DNA capacity. */
    memory?: number;
  };
  /** Share of ribosomes made orthogonal, 0 < f < 1 (null: none). */
  orthogonalFraction?: number | null;
  /** Where the numbers come from (at most 32 lines of 500 characters); replaces the base's. */
  sources?: string[];
}
/** Scheduling policies (`describeScheduler(name)` gives a one-line description of each). */
export type SchedulerName =
  | "fcfs" | "sjf" | "srtf" | "round_robin" | "priority" | "mlfq" | "lottery" | "credit" | "eevdf";
/** Lifecycle state of a VM (`error`: it faulted and holds no resources until restarted). */
export type VmState = "created" | "running" | "paused" | "stopped" | "error";

/** Stable codes on every thrown `Error` (`err.code`). */
export type BioxenErrorCode =
  /** The biological type is not one of {@link BiologicalType}. */
  | "UNSUPPORTED_BIOLOGICAL_TYPE"
  /** The VM type is not one of {@link VmType}. */
  | "UNSUPPORTED_VM_TYPE"
  /** A VM id that is not 1-64 characters of ASCII letters, digits, `_`, `.` and `-`. */
  | "INVALID_ID"
  /** A VM with this id already exists on the hypervisor. */
  | "DUPLICATE_VM"
  /** The hypervisor already hosts its maximum number of VMs (`maxVms`). */
  | "CAPACITY_REACHED"
  /** A reservation asks for more of a pool than is free. */
  | "INSUFFICIENT_RESOURCES"
  /** A lifecycle action the VM's current state does not allow (e.g. pausing a stopped VM). */
  | "INVALID_TRANSITION"
  /** No VM with this id. */
  | "NOT_FOUND"
  /** A VM config with bad keys or values; `err.issues` lists every one with its path. */
  | "INVALID_CONFIG"
  /** An argument or option out of range or of the wrong type (also: an unknown chassis or scheduler, a freed object). */
  | "INVALID_ARGUMENT"
  /** Starting an `xcpng` VM: the remote XCP-ng backend is not available. */
  | "BACKEND_UNAVAILABLE"
  /** `Hypervisor.restore` got text that is not a snapshot of a supported version. */
  | "INVALID_SNAPSHOT"
  /** A genome file or gene table that cannot be read; the message names the line and column where known. */
  | "INVALID_GENOME"
  /** A genome input over `genomeInputLimit()` bytes, before or after decompression. */
  | "INPUT_TOO_LARGE"
  /** The operation needs a feature (`kinetics` or `genome`) this build leaves out, as `bioxen/lite` does; the message names it. */
  | "FEATURE_UNAVAILABLE";

/** What every BioXen function throws. */
export interface BioxenError extends Error {
  /** Which kind of error, stable across versions (the message may change). */
  code: BioxenErrorCode;
  /** For INVALID_CONFIG: every bad key with its path. */
  issues?: ConfigIssue[];
  /**
   * For FEATURE_UNAVAILABLE: the cargo feature this build was compiled without. `bioxen/lite`
   * leaves out both: "kinetics" (`machinery: "kinetic"`, `simulateWeisse`, `weisseSteadyState`)
   * and "genome" (`parseGenome`, and `createVm` with a genome file as `config.genome`).
   */
  feature?: "kinetics" | "genome";
}

/** Options of `new Hypervisor(options)`; every key is optional. */
export interface HypervisorOptions {
  /** Host cell whose machinery the VMs share (default "ecoli"): a preset's name, or a custom
   * chassis that starts from a preset and changes its numbers (every bad field is reported
   * with its path, e.g. `chassis.hostReserve.atp`, as INVALID_CONFIG). */
  chassis?: ChassisName | ChassisDescription;
  /** Scheduling policy (default "round_robin"). */
  scheduler?: SchedulerName;
  /** Base time slice in simulated ms (default: 30 ribosome run-off times of the chassis). */
  quantumMs?: number;
  /** VM limit (default: the chassis's). */
  maxVms?: number;
  /** Seed of every random choice (lottery). */
  seed?: number;
  /** Context-switch cost in ms (default: the chassis's ribosome run-off time). */
  contextSwitchMs?: number;
  /** Finished Gantt segments kept for `traceSince`, 1..10,000,000 (default 50,000); older ones are dropped. */
  traceCapacity?: number;
  /** Lifecycle and scheduling events kept for `events`, 1..10,000,000 (default 10,000). */
  eventCapacity?: number;
}

/**
 * Options of `setScheduler(name, options)`. Without options the current parameters stay; with
 * a new `quantumMs`, the MLFQ boost and the aging interval not given are derived from it again.
 */
export interface SchedulerOptions {
  /** Base time slice in simulated ms (round robin quantum, MLFQ top-level quantum, credit slice, EEVDF base slice). */
  quantumMs?: number;
  /** Seed of the randomised policy (lottery). */
  seed?: number;
  /** MLFQ: number of levels, 1..16 (default 3). */
  mlfqLevels?: number;
  /** MLFQ: every this many ms all VMs return to the top level, as OSTEP's `mlfq.py -B` (0 = never; default 20 quanta). */
  mlfqBoostMs?: number;
  /**
   * MLFQ: the quantum of each level in ms, top level first, as `mlfq.py -Q`: exactly
   * `mlfqLevels` whole numbers from 1 to 1e12. Default: `quantumMs × 2^level`. Given a new
   * `mlfqLevels` or `quantumMs` without it, the default comes back.
   */
  mlfqQuantaMs?: number[];
  /**
   * MLFQ: the allotment of each level in quanta, top level first, as `mlfq.py -A`: how many
   * quanta a VM runs at a level before it moves down; exactly `mlfqLevels` whole numbers from
   * 1 to 1,000,000. Default: 1 per level.
   */
  mlfqAllotments?: number[];
  /**
   * MLFQ: what a boost gives each VM at the top level: "fresh" (default) a fresh top quantum and
   * allotment, as OSTEP's rule 5 says; "ostep" what OSTEP's mlfq.py -B computes (ticks left =
   * the top queue's allotment count in ms, quanta left kept), so answers match mlfq.py -c.
   */
  mlfqBoostRule?: "fresh" | "ostep";
  /** Priority: waiting this long raises a VM's effective priority by one (0 = no aging; default 10 quanta). */
  agingMs?: number;
}

/** VM settings; omitted keys take the biological type's defaults. */
export interface VmConfig {
  /** Ribosomes reserved for this VM alone, 0..10,000,000. */
  ribosomes?: number;
  /** RNA polymerases reserved for this VM, 0..10,000,000. */
  rnaPolymerase?: number;
  /** Share of the chassis's ATP supply reserved, percent (0..100). */
  atpPercent?: number;
  /** DNA capacity reserved, kb (default: the guest genome's length). */
  memoryKb?: number;
  /** 1..10, higher runs first. */
  priority?: number;
  /** 1..65535 (Xen default 256). */
  weight?: number;
  /** Percent of the shared machinery, 0 = no cap. */
  cap?: number;
  /** Amino acids per work cycle. */
  workloadAa?: number;
  /** Cycles before the VM stops by itself (null/absent: runs until stopped). */
  cycles?: number | null;
  /**
   * A genome to take the workload from (memory = genome length, workload = its coded proteins,
   * reservation floor from its essential genes): a summary from `parseGenome`, or the file
   * itself (parsed with default options).
   */
  genome?: GenomeSummary | string | Uint8Array;
  /**
   * A gene circuit to run (kinetic machinery, not the orthogonal chassis): a built-in id from
   * `getSupportedCircuits()` or a circuit in full. Its genes replace the VM's default gene; its
   * RNA polymerases (by default enough for the circuit's full rates) are their budget.
   */
  circuit?: string | Circuit;
  /** xcpng only. */
  xapiUrl?: string;
  /** xcpng only: XAPI user name, 1-64 printable characters without spaces. */
  username?: string;
  /** xcpng only: XAPI password, 1-1024 bytes; never echoed in messages nor written to snapshots. */
  password?: string;
  /** xcpng only: Unix user for SSH (lowercase letters, digits, `_` or `-`, at most 32 characters). */
  sshUser?: string;
}

/** A partial change of a VM's reservation: keys left out keep their current amount. */
export interface ResourceRequest {
  /** Ribosomes reserved for the VM alone. */
  ribosomes?: number;
  /** RNA polymerases reserved for the VM. */
  rnaPolymerase?: number;
  /** Share of the chassis's ATP supply reserved, percent. */
  atpPercent?: number;
  /** DNA capacity reserved, kb. */
  memoryKb?: number;
}

/** A change of a VM's scheduling parameters: keys left out keep their current value. */
export interface SchedulingRequest {
  /** 1..10, higher runs first. */
  priority?: number;
  /** Proportional-share weight, 1..65535. */
  weight?: number;
  /** Percent of the shared machinery, 0 = no cap. */
  cap?: number;
}

/** Everything about one VM: identity, reservation, and what it received. */
export interface VmStatus {
  /** The VM's id. */
  vmId: string;
  /** Lifecycle state. */
  state: VmState;
  /** Guest organism. */
  biologicalType: BiologicalType;
  /** How the VM is backed. */
  vmType: VmType;
  /** Reserved ribosomes (0 while in `error`: a faulted VM holds nothing). */
  ribosomes: number;
  /** Reserved RNA polymerases. */
  rnaPolymerase: number;
  /** Reserved share of the chassis's ATP supply, percent. */
  atpPercent: number;
  /** Reserved DNA capacity, kb. */
  memoryKb: number;
  /** 1..10, higher runs first. */
  priority: number;
  /** Proportional-share weight. */
  weight: number;
  /** Percent of the shared machinery, 0 = no cap. */
  cap: number;
  /** Simulated ms this VM held the shared machinery. */
  machineryTimeMs: number;
  /** Simulated ms this VM was runnable but did not hold the shared machinery. */
  waitTimeMs: number;
  /** Simulated ms this VM was runnable (state `running`). */
  runnableTimeMs: number;
  /** First time it held the machinery minus first start (null until then). */
  responseTimeMs: number | null;
  /** First completion of its workload (first cycle, or all cycles of a finite workload) minus first start (null until then). */
  turnaroundTimeMs: number | null;
  /** Times the shared machinery passed to this VM from another. */
  contextSwitches: number;
  /** Amino acids polymerised for this VM so far. */
  aaProduced: number;
  /** Work cycles completed. */
  cyclesCompleted: number;
  /** Amino acids per work cycle. */
  workloadAa: number;
  /** Progress through the current cycle, 0..1. */
  progress: number;
  /** Its fair share of the machinery while runnable (weights under proportional-share policies, equal shares otherwise), as a fraction of its runnable time. */
  fairShare: number;
  /** What it received, as a fraction of its runnable time. */
  shareReceived: number;
}

/** Per-VM metrics (the same record as the status). */
export type VmMetrics = VmStatus;

/** One pool's totals in a resource summary, in the pool's unit. */
export interface PoolSummary {
  /** The chassis's capacity. */
  total: number;
  /** Kept by the host for its own housekeeping. */
  reserved: number;
  /** Reserved by VMs. */
  allocated: number;
  /** Neither kept by the host nor reserved by a VM: the shared guest pool. */
  free: number;
}

/** One VM's line in a resource summary: what it has reserved. */
export interface VmHolding {
  /** The VM's id. */
  vmId: string;
  /** Reserved ribosomes. */
  ribosomes: number;
  /** Reserved RNA polymerases. */
  rnaPolymerase: number;
  /** Reserved share of the chassis's ATP supply, percent. */
  atpPercent: number;
  /** Reserved DNA capacity, kb. */
  memoryKb: number;
}

/** The resource ledger as users read it: each pool's totals and every VM's reservation. */
export interface ResourceSummary {
  /** The hypervisor's chassis ("custom" for a user-defined one). */
  chassis: ChassisName | "custom";
  /** Ribosomes. */
  ribosomes: PoolSummary;
  /** RNA polymerases. */
  rnaPolymerase: PoolSummary;
  /** Percent of the chassis's ATP supply. */
  atp: PoolSummary;
  /** DNA capacity, kb. */
  memoryKb: PoolSummary;
  /** VMs on the hypervisor. */
  vmCount: number;
  /** VMs that are runnable now (state `running`). */
  activeVms: number;
  /** The hypervisor's VM limit. */
  maxVms: number;
  /** Every VM's reservation. */
  perVm: VmHolding[];
}

/** Utilisation of each pool, 0..1: guest allocations over guest capacity (capacity − host reserve). */
export interface PoolUtilisation {
  /** Ribosomes. */
  ribosomes: number;
  /** RNA polymerases. */
  rnaPolymerase: number;
  /** ATP supply. */
  atp: number;
  /** DNA capacity. */
  memory: number;
}

/** System-wide measurements (`Hypervisor.metrics()`). */
export interface SystemMetrics {
  /** Simulated time, ms. */
  nowMs: number;
  /** Jain's fairness index over received ÷ fair share of the VMs that have been runnable (1 = perfectly fair). */
  fairnessIndex: number;
  /** Context-switch time ÷ elapsed time, percent. */
  overheadPercent: number;
  /** Context switches so far. */
  contextSwitches: number;
  /** Scheduling decisions taken (picks). */
  decisions: number;
  /** Amino acids per simulated second (same as throughputAaPerS). */
  throughput: number;
  /** Amino acids polymerised for guests per simulated second. */
  throughputAaPerS: number;
  /** Work cycles completed by all VMs. */
  completedCycles: number;
  /** Fraction of elapsed time the shared machinery was held by a VM. */
  machineryBusy: number;
  /** Ribosomes in the shared (unreserved guest) pool now. */
  sharedRibosomes: number;
  /** Each pool's utilisation. */
  poolUtilisation: PoolUtilisation;
  /** Spare guest ATP supply at the current production rate, percent (100 = untouched). */
  atpLevelPercent: number;
  /** Every VM's metrics. */
  perVm: VmMetrics[];
}

/** One segment `[start, end)` of the schedule. */
export interface Segment {
  /** The VM that held (or was switched to) the machinery. */
  vm: string;
  /** Start, simulated ms. */
  start: number;
  /** End, simulated ms (exclusive). */
  end: number;
  /** The VM ran, or the machinery was switching to it (ribosome run-off of the previous holder). */
  kind: "run" | "switch";
  /** Why the scheduler dispatched the VM, in words (run segments; null for a switch). */
  reason?: string | null;
}

/** Gantt segments as typed arrays: segment i is names[vmIndex[i]] from start[i] to end[i]. */
export interface TraceChunk {
  /** Per segment: its VM, as an index into `names`. */
  vmIndex: Uint32Array;
  /** Per segment: start, simulated ms. */
  start: Float64Array;
  /** Per segment: end, simulated ms (exclusive). */
  end: Float64Array;
  /** 0 = run, 1 = context switch. */
  kind: Uint8Array;
  /** The VM ids the segments refer to. */
  names: string[];
  /** Per segment: why the scheduler dispatched the VM, in words (null for a switch). */
  reasons: (string | null)[];
  /** Pass this as `cursor` to the next `traceSince` call. */
  nextCursor: number;
  /** Segments after the given cursor that were dropped (older than the trace keeps). */
  dropped: number;
  /** The segment in progress, not final yet. */
  open: Segment | null;
}

/** A dispatch's reason as numbers: one key naming the rule (`first_in_line`, `next_in_queue`, `shortest`, `priority`, `mlfq`, `lottery`, `credit`, `eevdf`) holding its fields. */
export type ReasonNumbers = Record<string, Record<string, number | string | boolean | null>>;

/**
 * What happened, for the event log: a `type` tag and, for some types, one more field (said in
 * the member's description).
 */
export type EventKind =
  /** The VM was created. */
  | { /** Event type. */ type: "created" }
  /** The VM was started. */
  | { /** Event type. */ type: "started" }
  /** The VM was paused. */
  | { /** Event type. */ type: "paused" }
  /** The VM was resumed. */
  | { /** Event type. */ type: "resumed" }
  /** The VM was stopped. */
  | { /** Event type. */ type: "stopped" }
  /** The VM was restarted. */
  | { /** Event type. */ type: "restarted" }
  /** The VM was destroyed. */
  | { /** Event type. */ type: "destroyed" }
  /** The VM moved to `error`; its reservation was returned. `reason`: why. */
  | { /** Event type. */ type: "faulted"; /** Why it faulted. */ reason: string }
  /** One work cycle finished; `cycle` counts from 1. */
  | { /** Event type. */ type: "cycle_completed"; /** The cycle's number, counted from 1. */ cycle: number }
  /** The VM's finite workload is done; it stopped. */
  | { /** Event type. */ type: "workload_finished" }
  /** The shared machinery passed to this VM; `from` held it before (null: nobody). */
  | { /** Event type. */ type: "context_switch"; /** The VM that held it before (null: none). */ from: string | null; /** Why the scheduler chose this VM, in words, e.g. "ticket 17 of 40, one of its 10". */ reason?: string; /** The same reason as numbers, under one key naming the rule, e.g. { lottery: { ticket, total, held } }. */ why?: ReasonNumbers }
  /** The VM's reservation changed. */
  | { /** Event type. */ type: "reservation_changed" }
  /** The VM's priority, weight or cap changed. */
  | { /** Event type. */ type: "scheduling_changed" }
  /** The hypervisor's scheduling policy changed to `scheduler`. */
  | { /** Event type. */ type: "scheduler_changed"; /** The new policy. */ scheduler: SchedulerName }
  /** The ATP supply changed (a nutrient shift) to `percent` % of normal. */
  | { /** Event type. */ type: "atp_supply_changed"; /** The new supply, percent of normal. */ percent: number };

/** One entry of the event log (`Hypervisor.events()`): its id, time and VM, and the fields of its kind. */
export type LifecycleOrSchedulingEvent = {
  /** Increasing event id; pass the next one as `sinceId` to get only newer events. */
  id: number;
  /** Simulated time, ms. */
  timeMs: number;
  /** The VM it concerns (null for hypervisor-wide events). */
  vm: string | null;
} & EventKind;

/** One profiler finding: a measurement past its threshold, with advice. */
export interface Bottleneck {
  /** What is short or wasted. */
  kind: "ribosomes" | "atp" | "memory" | "fairness" | "context_switches";
  /** The measured value, in the unit of `threshold`. */
  measured: number;
  /** The limit it crossed: ribosome utilisation 80 %, ATP level 30 %, memory utilisation 85 %, fairness index 0.7, switch overhead 10 %. */
  threshold: number;
  /** What was measured, in words. */
  message: string;
  /** What to do about it. */
  recommendation: string;
}

/** The profiler's report (`Hypervisor.profilerReport()`). */
export interface ProfilerReport {
  /** Simulated time of the measurements, ms. */
  nowMs: number;
  /** Every finding; empty when nothing crosses a threshold. */
  bottlenecks: Bottleneck[];
  /** The findings' recommendations, in the same order. */
  recommendations: string[];
}

/** One problem with a VM config. */
export interface ConfigIssue {
  /** Where, e.g. `"priority"` or `"$"` for the config as a whole. */
  path: string;
  /** What is wrong and what was expected. */
  message: string;
}

/** Result of `ConfigManager.validate`. */
export interface ConfigValidation {
  /** True when there is no issue. */
  valid: boolean;
  /** Every problem found. */
  errors: ConfigIssue[];
}

/** A biological type's default VM config (`ConfigManager.defaults`); see {@link VmConfig} for the units. */
export interface ConfigDefaults {
  /** Reserved ribosomes: one per ten essential genes. */
  ribosomes: number;
  /** Reserved RNA polymerases: one per fifty essential genes. */
  rnaPolymerase: number;
  /** Reserved share of the ATP supply, percent (5). */
  atpPercent: number;
  /** Reserved DNA capacity: the genome length, kb. */
  memoryKb: number;
  /** Priority (5). */
  priority: number;
  /** Weight (256). */
  weight: number;
  /** Cap (0 = none). */
  cap: number;
  /** Amino acids per work cycle: one copy of every coded protein. */
  workloadAa: number;
  /** Cycles before the VM stops by itself (null: runs until stopped). */
  cycles: number | null;
}

/** A chassis's machinery with the sources of its numbers (`chassisInfo`): a preset's, or a custom one's. */
export interface ChassisInfo {
  /** The chassis's name in the API ("custom" for a chassis built from a description). */
  kind: ChassisName | "custom";
  /** Human-readable name, e.g. "Escherichia coli K-12 MG1655". */
  name: string;
  /** Ribosomes per cell (orthogonal chassis: host + orthogonal, one pool of r-protein). */
  ribosomes: number;
  /** RNA polymerases per cell. */
  rnaPolymerases: number;
  /** Translation elongation rate, amino acids per second per ribosome. */
  elongationAaPerS: number;
  /** Transcription elongation rate, nucleotides per second per RNA polymerase. */
  transcriptionNtPerS: number;
  /** ATP molecules in the cell's pool. */
  atpPool: number;
  /** ATP molecules turned over per second in exponential growth. */
  atpTurnoverPerS: number;
  /** ATP (equivalents) spent per amino acid polymerised. */
  atpPerAa: number;
  /** DNA capacity in kb: the VM "memory" (host chromosome + room for guest DNA). */
  memoryKb: number;
  /** Doubling time, minutes. */
  doublingTimeMin: number;
  /** How many VMs the chassis hosts by default. */
  maxVms: number;
  /** Mean protein length, aa: with the elongation rate it sets the ribosome run-off time, the cost of a context switch. */
  meanProteinAa: number;
  /** Fractions (0 ≤ f < 1) of each pool the host keeps for its own housekeeping. */
  hostReserve: {
    /** Of the ribosomes. */
    ribosomes: number;
    /** Of the RNA polymerases. */
    rnaPolymerase: number;
    /** Of the ATP supply. */
    atp: number;
    /** Of the DNA capacity. */
    memory: number;
  };
  /** Orthogonal chassis: the fraction of the ribosomal-protein pool made into orthogonal ribosomes, which VMs draw on (null otherwise). */
  orthogonalFraction: number | null;
  /** Where the numbers come from. */
  sources: string[];
  /** Context-switch cost, ms: the ribosome run-off time (mean protein ÷ elongation rate). */
  switchCostMs: number;
  /** Default scheduling quantum, ms: 30 run-off times. */
  defaultQuantumMs: number;
}

// ------------------------------------------------------------------ genomes (parseGenome)

/** Genome file formats `parseGenome` reads (`bioxen`: BioXen's `.genome` columns). */
export type GenomeFormat = "genbank" | "gff3" | "fasta" | "bioxen";
/** Topology of a genome's records (`mixed`: records differ; `unknown`: the file does not say). */
export type GenomeTopology = "circular" | "linear" | "mixed" | "unknown";
/** Kinds of gene in a genome summary. */
export type GeneType = "protein_coding" | "tRNA" | "rRNA" | "ncRNA" | "pseudogene" | "other";
/** Strand of a gene: forward, reverse, or not known. */
export type Strand = "+" | "-" | ".";
/** Where the essential genes come from: a supplied gene table, the product-keyword heuristic (a guess), or nowhere (no genes known). */
export type EssentialSource = "table" | "heuristic" | "none";
/** Codes of the warnings in a genome summary. */
export type GenomeWarningCode =
  /** A `.genome` file's coordinates do not fit a real genome (ends differ from start + length, genes past the stated size, a gene count unlike the header's). */
  | "COORDINATES_DO_NOT_FIT"
  /** Every FASTA record is a BioXen gene sequence, not a chromosome: the genes have no place on a genome. */
  | "GENE_SEQUENCES_NOT_GENOME"
  /** The file states no genome length: it is taken as the last gene or feature end. */
  | "LENGTH_ESTIMATED"
  /** The input is sequence only: gene content is unknown (supply an annotation or a gene table). */
  | "NO_GENES"
  /** The essential genes come from the product-keyword heuristic, not measurements. */
  | "ESSENTIAL_HEURISTIC"
  /** The gene table names only some of the genes; the others count as not essential. */
  | "TABLE_IDS_UNMATCHED";

/** Options of `parseGenome(input, options)`. */
export interface ParseGenomeOptions {
  /**
   * A gene table (CSV/TSV with a header; optionally gzip-compressed): essentiality by gene id
   * and, for a FASTA input, the genes themselves (columns wid/id/locus_tag, is_essential/essential,
   * optional name, symbol, product, type, coordinate_nt/start, length_nt/length, end, direction).
   */
  geneTable?: string | Uint8Array;
  /** Skip format detection. */
  format?: GenomeFormat;
  /** Called now and then with the fraction parsed (0..1). */
  onProgress?: (fraction: number) => void;
}

/** One gene of a genome summary. */
export interface Gene {
  /** Locus tag, else gene name, else `<feature>_<start>`. */
  id: string;
  /** Gene name, when the file gives one. */
  name: string | null;
  /** Product description, when the file gives one. */
  product: string | null;
  /** 1-based, inclusive. */
  start: number;
  /** 1-based, inclusive. */
  end: number;
  /** Strand. */
  strand: Strand;
  /** Kind of gene. */
  type: GeneType;
  /** Nucleotides (a join() counts its parts only). */
  length: number;
  /** Marked essential (see the summary's `essential` for how). */
  essential: boolean;
}

/** Genes by type. */
export interface GeneCounts {
  /** All genes. */
  total: number;
  /** Protein-coding genes. */
  proteinCoding: number;
  /** tRNA genes. */
  tRNA: number;
  /** rRNA genes. */
  rRNA: number;
  /** Other non-coding RNA genes. */
  ncRNA: number;
  /** Pseudogenes. */
  pseudogene: number;
  /** Everything else. */
  other: number;
}

/** Essential genes and how they were found. */
export interface Essentiality {
  /** Where the essentiality comes from. */
  source: EssentialSource;
  /** Genes marked essential. */
  count: number;
  /** How the essential genes were chosen, in words. */
  method: string;
  /** Rows of the supplied gene table (0 without one). */
  tableRows: number;
  /** Genes of the summary that the table names (0 without one). */
  tableMatched: number;
}

/** Something a genome summary wants the reader to know. */
export interface GenomeWarning {
  /** Stable code. */
  code: GenomeWarningCode;
  /** The same in words. */
  message: string;
}

/** What a VM's workload is made of (a built-in type's facts or a parsed genome's). */
export interface Workload {
  /** Organism the facts describe. */
  organism: string;
  /** Genes in the genome. */
  geneCount: number;
  /** Protein-coding genes. */
  proteinCoding: number;
  /** Essential genes (the minimal gene set). */
  essentialGenes: number;
  /** Amino acids in one work cycle (one copy of every coded protein). */
  totalAa: number;
  /** Default memory reservation: the genome length in kb, rounded up. */
  genomeKb: number;
  /** Where the numbers come from. */
  source: string;
}

/** Protein-coding genes of one functional group (from product keywords). */
export interface GeneGroup {
  /** The group, e.g. "protein_synthesis". */
  name: string;
  /** Genes in the group. */
  genes: number;
  /** Amino acids per copy of every protein of the group. */
  aa: number;
}

/** What a VM built on a genome demands. */
export interface GenomeWorkload {
  /** The workload facts. */
  workload: Workload;
  /** Ids of the essential genes. */
  minimalGeneSet: string[];
  /** Where the essential genes come from. */
  essentialSource: EssentialSource;
  /** Protein-coding genes by functional group, with their amino-acid demand. */
  groups: GeneGroup[];
}

/** What a genome file holds (`parseGenome`). */
export interface GenomeSummary {
  /** The file's format (detected, or as given in the options). */
  format: GenomeFormat;
  /** The input was gzip-compressed. */
  compressed: boolean;
  /** Bytes parsed (after decompression). */
  bytes: number;
  /** Organism, when the file names it. */
  organism: string | null;
  /** Accession.version of the first record (GenBank VERSION, GFF3 seqid, FASTA id). */
  accession: string | null;
  /** Sequence records (GenBank records, GFF3 sequence regions, FASTA records; `.genome`: 1). */
  records: number;
  /** bp */
  length: number;
  /** Topology of the records. */
  topology: GenomeTopology;
  /** (G+C)/(A+C+G+T), when the input has a sequence. */
  gcContent: number | null;
  /** False for a sequence without annotation or gene table. */
  genesKnown: boolean;
  /** Genes by type. */
  geneCounts: GeneCounts;
  /** Raw feature counts by feature type, as in the file. */
  featureCounts: Record<string, number>;
  /** Σ over protein-coding genes of their CDS lengths in amino acids (stop codons excluded). */
  totalCodingAa: number;
  /** The essential genes and how they were found. */
  essential: Essentiality;
  /** Every gene, in file order. */
  genes: Gene[];
  /** Things to know about the result. */
  warnings: GenomeWarning[];
  /** The workload of a VM built on this genome (null without protein-coding genes). */
  workload: GenomeWorkload | null;
}
