/** Machinery models: "simple" (linear, constant switch cost) or "kinetic" (Weiße 2015 host). */
export type MachineryName = "simple" | "kinetic";

export interface HypervisorOptions {
  /** Machinery model (default "simple"). "kinetic" refuses `contextSwitchMs`: it measures switches. */
  machinery?: MachineryName;
}

export interface SystemMetrics {
  /** The kinetic host; null under the simple machinery. */
  kinetic: KineticMetrics | null;
}

/** Expression of heterologous genes in the kinetic host: one gene class, or a VM's classes summed. */
export interface KineticExpression {
  /** Maximal transcription rate w (molecules/min), from the VM's RNA-polymerase reservation. */
  maxTranscriptionPerMin: number;
  /** Protein length (aa): a class's mean protein; for a VM, Σ w·length ÷ Σ w over its classes. */
  proteinLength: number;
  /** Free mRNA, ribosome-bound mRNA (translating ribosomes) and protein, molecules. */
  mrna: number;
  translatingRibosomes: number;
  protein: number;
  /** Translation flux now (aa/min). */
  translationAaPerMin: number;
}

/** One heterologous gene class of a VM in the kinetic host. */
export interface KineticGeneClass extends KineticExpression {
  /** The genome's gene group (see `GeneGroup`), or "mean_protein" for a VM with one gene. */
  group: string;
}

/**
 * One VM's heterologous genes in the kinetic host, summed over its gene classes: one class,
 * or one per gene group when the VM was created with a genome.
 */
export interface KineticVm extends KineticExpression {
  vmId: string;
  /** 0..1: how far the scheduler has switched its promoter(s) on. */
  induction: number;
  geneClasses: KineticGeneClass[];
}

export interface KineticMetrics {
  hostModel: "weisse2015" | "darlington2018";
  /** Time of the model state reported (the last grid point, ms) and the grid step. */
  modelTimeMs: number;
  tickMs: number;
  /** Host growth rate λ (per min), ln 2/λ (null when λ = 0), and λ without guests. */
  growthRatePerMin: number;
  doublingTimeMin: number | null;
  baselineGrowthRatePerMin: number;
  /** Free ribosomes (host ribosomes on the orthogonal chassis) and all ribosomes. */
  freeRibosomes: number;
  totalRibosomes: number;
  /** Free orthogonal ribosomes (orthogonal chassis only). */
  freeOrthogonalRibosomes: number | null;
  /** Energy a (molecules) and the elongation rate it allows (aa/s per ribosome). */
  energy: number;
  elongationAaPerS: number;
  ribosomalFraction: number;
  heterologousFraction: number;
  /** Capacity monitor (Ceroni 2015): a constitutive host gene's production rate, and that as % of its guest-free value. */
  capacityMonitorPerMin: number;
  capacityPercent: number;
  switchesMeasured: number;
  lastSwitchMs: number | null;
  meanSwitchMs: number | null;
  integrationFailures: number;
  perVm: KineticVm[];
}

/** Kinetic chart samples as typed arrays (sample i at t[i] ms). */
export interface KineticSeriesChunk {
  t: Float64Array;
  /** λ, per min. */
  growthRate: Float64Array;
  freeRibosomes: Float64Array;
  energy: Float64Array;
  capacityPercent: Float64Array;
  heterologousFraction: Float64Array;
  nextCursor: number;
  dropped: number;
}

/** A heterologous gene: maximal transcription w (molecules/min) and protein length (aa). */
export interface WeisseGene {
  w: number;
  length: number;
}

export interface WeisseOptions {
  /** External nutrient (molecules), default 1e4. */
  s0?: number;
  heterologous?: WeisseGene[];
  /** Simulated minutes, default 1000. */
  tEndMin?: number;
  /** Output points over [0, tEndMin] including both ends, default 101. */
  points?: number;
  /** Tolerances in (0, 1), default 1e-6. */
  rtol?: number;
  atol?: number;
  /** Initial values by state name ("a", "r", "p[0]", …); default a = 1000, r = et = em = q = 10. */
  initial?: Record<string, number>;
  /** Darlington 2018's host with orthogonal ribosomes (states xr, rr, pr, rp, pp instead of r). */
  orthogonal?: boolean;
}

/** Host state names of the Weiße model (the orthogonal model has xr, rr, pr, rp, pp instead of r). */
export type WeisseStateName =
  | "si" | "a" | "r" | "et" | "em" | "q" | "mr" | "mt" | "mm" | "mq" | "cr" | "ct" | "cm" | "cq";

export interface WeisseResult {
  /** Output times (min). */
  t: Float64Array;
  /** Growth rate λ (per min) at each time. */
  lambda: Float64Array;
  /** Every host state series by name. */
  states: Record<string, Float64Array>;
  /** Per heterologous gene: protein, free mRNA, ribosome-bound mRNA. */
  genes: { p: Float64Array; mp: Float64Array; cp: Float64Array }[];
  /** Every state name in layout order. */
  names: string[];
  stats: { accepted: number; rejected: number; rhsEvals: number; jacobianEvals: number; luDecompositions: number };
}

export interface WeisseSteadyStateOptions {
  /** External nutrient (molecules), default 1e4. */
  s0?: number;
  heterologous?: WeisseGene[];
  /** Tolerances of the integration to convergence, in (0, 1), default 1e-8. */
  rtol?: number;
  atol?: number;
  /** Without a steady state within this much simulated time (default 1e6 min): INVALID_ARGUMENT naming max_time_min. */
  maxTimeMin?: number;
  /** Where the integration starts, as for simulateWeisse. */
  initial?: Record<string, number>;
  /** Darlington 2018's host with orthogonal ribosomes. */
  orthogonal?: boolean;
}

/** A steady state of the bare model. */
export interface WeisseSteadyState {
  /** Every state by name ("a", "r", …, "p[0]", "mp[0]", "cp[0]", …). */
  values: Record<string, number>;
  /** The same values in layout order, and their names. */
  state: Float64Array;
  names: string[];
  /** Growth rate λ (per min) and ln 2/λ (null when λ = 0). */
  lambda: number;
  doublingTimeMin: number | null;
  /** Ribosomal mass fraction n_r·(r + Σc)/P. */
  ribosomalFraction: number;
  /** Total protein mass P (aa); equals M at steady state. */
  proteinMass: number;
  /** Elongation rate γ(a) (aa/min per translating ribosome). */
  elongationAaPerMin: number;
  /** max_i |f_i(y)| / max(|y_i|, 1) at the returned state (per min). */
  residual: number;
  /** Simulated time integrated before the Newton polish (min), and Newton iterations. */
  timeMin: number;
  newtonIterations: number;
}
