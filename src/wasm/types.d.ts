/** Names the package accepts. */
export type BiologicalType = "syn3a" | "ecoli" | "minimal_cell" | "yeast";
export type VmType = "basic" | "xcpng";
export type ChassisName = "ecoli" | "yeast" | "syn3a" | "orthogonal";
export type SchedulerName =
  | "fcfs" | "sjf" | "srtf" | "round_robin" | "priority" | "mlfq" | "lottery" | "credit" | "eevdf";
export type VmState = "created" | "running" | "paused" | "stopped" | "error";

/** Stable codes on every thrown `Error` (`err.code`). */
export type BioxenErrorCode =
  | "UNSUPPORTED_BIOLOGICAL_TYPE" | "UNSUPPORTED_VM_TYPE" | "INVALID_ID" | "DUPLICATE_VM"
  | "CAPACITY_REACHED" | "INSUFFICIENT_RESOURCES" | "INVALID_TRANSITION" | "NOT_FOUND"
  | "INVALID_CONFIG" | "INVALID_ARGUMENT" | "BACKEND_UNAVAILABLE" | "INVALID_SNAPSHOT"
  | "INVALID_GENOME" | "INPUT_TOO_LARGE" | "FEATURE_UNAVAILABLE";

/** What every BioXen function throws. */
export interface BioxenError extends Error {
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

export interface HypervisorOptions {
  chassis?: ChassisName;
  scheduler?: SchedulerName;
  /** Base time slice in simulated ms (default: 30 ribosome run-off times of the chassis). */
  quantumMs?: number;
  /** VM limit (default: the chassis's). */
  maxVms?: number;
  /** Seed of every random choice (lottery). */
  seed?: number;
  /** Context-switch cost in ms (default: the chassis's ribosome run-off time). */
  contextSwitchMs?: number;
  traceCapacity?: number;
  eventCapacity?: number;
}

export interface SchedulerOptions {
  quantumMs?: number;
  seed?: number;
  mlfqLevels?: number;
  mlfqBoostMs?: number;
  agingMs?: number;
}

/** VM settings; omitted keys take the biological type's defaults. */
export interface VmConfig {
  ribosomes?: number;
  rnaPolymerase?: number;
  atpPercent?: number;
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
  /** xcpng only. */
  xapiUrl?: string;
  username?: string;
  password?: string;
  sshUser?: string;
}

export interface ResourceRequest {
  ribosomes?: number;
  rnaPolymerase?: number;
  atpPercent?: number;
  memoryKb?: number;
}

export interface SchedulingRequest {
  priority?: number;
  weight?: number;
  cap?: number;
}

export interface VmStatus {
  vmId: string;
  state: VmState;
  biologicalType: BiologicalType;
  vmType: VmType;
  ribosomes: number;
  rnaPolymerase: number;
  atpPercent: number;
  memoryKb: number;
  priority: number;
  weight: number;
  cap: number;
  machineryTimeMs: number;
  waitTimeMs: number;
  runnableTimeMs: number;
  responseTimeMs: number | null;
  turnaroundTimeMs: number | null;
  contextSwitches: number;
  aaProduced: number;
  cyclesCompleted: number;
  workloadAa: number;
  progress: number;
  fairShare: number;
  shareReceived: number;
}

/** Per-VM metrics (the same record as the status). */
export type VmMetrics = VmStatus;

export interface PoolSummary {
  total: number;
  reserved: number;
  allocated: number;
  free: number;
}

export interface VmHolding {
  vmId: string;
  ribosomes: number;
  rnaPolymerase: number;
  atpPercent: number;
  memoryKb: number;
}

export interface ResourceSummary {
  chassis: ChassisName | "custom";
  ribosomes: PoolSummary;
  rnaPolymerase: PoolSummary;
  /** Percent of the chassis's ATP supply. */
  atp: PoolSummary;
  memoryKb: PoolSummary;
  vmCount: number;
  activeVms: number;
  maxVms: number;
  perVm: VmHolding[];
}

export interface PoolUtilisation {
  ribosomes: number;
  rnaPolymerase: number;
  atp: number;
  memory: number;
}

export interface SystemMetrics {
  nowMs: number;
  fairnessIndex: number;
  overheadPercent: number;
  contextSwitches: number;
  decisions: number;
  /** Amino acids per simulated second (same as throughputAaPerS). */
  throughput: number;
  throughputAaPerS: number;
  completedCycles: number;
  machineryBusy: number;
  sharedRibosomes: number;
  poolUtilisation: PoolUtilisation;
  atpLevelPercent: number;
  perVm: VmMetrics[];
}

export interface Segment {
  vm: string;
  start: number;
  end: number;
  kind: "run" | "switch";
}

/** Gantt segments as typed arrays: segment i is names[vmIndex[i]] from start[i] to end[i]. */
export interface TraceChunk {
  vmIndex: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  /** 0 = run, 1 = context switch. */
  kind: Uint8Array;
  names: string[];
  nextCursor: number;
  dropped: number;
  /** The segment in progress, not final yet. */
  open: Segment | null;
}

export type EventKind =
  | { type: "created" } | { type: "started" } | { type: "paused" } | { type: "resumed" }
  | { type: "stopped" } | { type: "restarted" } | { type: "destroyed" }
  | { type: "faulted"; reason: string }
  | { type: "cycle_completed"; cycle: number }
  | { type: "workload_finished" }
  | { type: "context_switch"; from: string | null }
  | { type: "reservation_changed" } | { type: "scheduling_changed" }
  | { type: "scheduler_changed"; scheduler: SchedulerName }
  | { type: "atp_supply_changed"; percent: number };

export type LifecycleOrSchedulingEvent = { id: number; timeMs: number; vm: string | null } & EventKind;

export interface Bottleneck {
  kind: "ribosomes" | "atp" | "memory" | "fairness" | "context_switches";
  measured: number;
  threshold: number;
  message: string;
  recommendation: string;
}

export interface ProfilerReport {
  nowMs: number;
  bottlenecks: Bottleneck[];
  recommendations: string[];
}

export interface ConfigIssue {
  path: string;
  message: string;
}

export interface ConfigValidation {
  valid: boolean;
  errors: ConfigIssue[];
}

export interface ConfigDefaults {
  ribosomes: number;
  rnaPolymerase: number;
  atpPercent: number;
  memoryKb: number;
  priority: number;
  weight: number;
  cap: number;
  workloadAa: number;
  cycles: number | null;
}

export interface ChassisInfo {
  kind: ChassisName;
  name: string;
  ribosomes: number;
  rnaPolymerases: number;
  elongationAaPerS: number;
  transcriptionNtPerS: number;
  atpPool: number;
  atpTurnoverPerS: number;
  atpPerAa: number;
  memoryKb: number;
  doublingTimeMin: number;
  maxVms: number;
  meanProteinAa: number;
  hostReserve: { ribosomes: number; rnaPolymerase: number; atp: number; memory: number };
  orthogonalFraction: number | null;
  sources: string[];
  switchCostMs: number;
  defaultQuantumMs: number;
}

// ------------------------------------------------------------------ genomes (parseGenome)

export type GenomeFormat = "genbank" | "gff3" | "fasta" | "bioxen";
export type GenomeTopology = "circular" | "linear" | "mixed" | "unknown";
export type GeneType = "protein_coding" | "tRNA" | "rRNA" | "ncRNA" | "pseudogene" | "other";
export type Strand = "+" | "-" | ".";
export type EssentialSource = "table" | "heuristic" | "none";
export type GenomeWarningCode =
  | "COORDINATES_DO_NOT_FIT" | "GENE_SEQUENCES_NOT_GENOME" | "LENGTH_ESTIMATED" | "NO_GENES"
  | "ESSENTIAL_HEURISTIC" | "TABLE_IDS_UNMATCHED";

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

export interface Gene {
  /** Locus tag, else gene name, else `<feature>_<start>`. */
  id: string;
  name: string | null;
  product: string | null;
  /** 1-based, inclusive. */
  start: number;
  end: number;
  strand: Strand;
  type: GeneType;
  /** Nucleotides (a join() counts its parts only). */
  length: number;
  essential: boolean;
}

export interface GeneCounts {
  total: number;
  proteinCoding: number;
  tRNA: number;
  rRNA: number;
  ncRNA: number;
  pseudogene: number;
  other: number;
}

export interface Essentiality {
  source: EssentialSource;
  count: number;
  /** How the essential genes were chosen, in words. */
  method: string;
  tableRows: number;
  tableMatched: number;
}

export interface GenomeWarning {
  code: GenomeWarningCode;
  message: string;
}

/** What a VM's workload is made of (a built-in type's facts or a parsed genome's). */
export interface Workload {
  organism: string;
  geneCount: number;
  proteinCoding: number;
  essentialGenes: number;
  /** Amino acids in one work cycle (one copy of every coded protein). */
  totalAa: number;
  /** Default memory reservation: the genome length in kb, rounded up. */
  genomeKb: number;
  source: string;
}

export interface GeneGroup {
  name: string;
  genes: number;
  aa: number;
}

export interface GenomeWorkload {
  workload: Workload;
  /** Ids of the essential genes. */
  minimalGeneSet: string[];
  essentialSource: EssentialSource;
  groups: GeneGroup[];
}

export interface GenomeSummary {
  format: GenomeFormat;
  compressed: boolean;
  /** Bytes parsed (after decompression). */
  bytes: number;
  organism: string | null;
  accession: string | null;
  records: number;
  /** bp */
  length: number;
  topology: GenomeTopology;
  /** (G+C)/(A+C+G+T), when the input has a sequence. */
  gcContent: number | null;
  /** False for a sequence without annotation or gene table. */
  genesKnown: boolean;
  geneCounts: GeneCounts;
  /** Raw feature counts by feature type, as in the file. */
  featureCounts: Record<string, number>;
  totalCodingAa: number;
  essential: Essentiality;
  genes: Gene[];
  warnings: GenomeWarning[];
  /** The workload of a VM built on this genome (null without protein-coding genes). */
  workload: GenomeWorkload | null;
}
