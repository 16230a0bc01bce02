/** Machinery models: "simple" (linear, constant switch cost) or "kinetic" (Weiße 2015 host). */
export type MachineryName = "simple" | "kinetic";

/** Options of `new Hypervisor(options)` (continued): the machinery model. */
export interface HypervisorOptions {
  /** Machinery model (default "simple"). "kinetic" refuses `contextSwitchMs`: it measures switches. */
  machinery?: MachineryName;
}

/** System-wide measurements (continued): the kinetic host. */
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
  /** Free mRNA, molecules. */
  mrna: number;
  /** Ribosome-bound mRNA (translating ribosomes), molecules. */
  translatingRibosomes: number;
  /** Protein, molecules. */
  protein: number;
  /** Translation flux now (aa/min). */
  translationAaPerMin: number;
}

/** One heterologous gene class of a VM in the kinetic host. */
export interface KineticGeneClass extends KineticExpression {
  /** The genome's gene group (see `GeneGroup`), the circuit gene's name, or "mean_protein" for a VM with one gene. */
  group: string;
  /** Circuit genes only: promoter activity f = leak + (1 - leak)·Π h, 0..1 (1 when constitutive). */
  activity?: number;
  /** Circuit genes only: protein production ν = c·γ(a)/length, molecules/min. */
  productionPerMin?: number;
}

/**
 * One VM's heterologous genes in the kinetic host, summed over its gene classes: one class,
 * or one per gene group when the VM was created with a genome.
 */
export interface KineticVm extends KineticExpression {
  /** The VM's id. */
  vmId: string;
  /** 0..1: how far the scheduler has switched its promoter(s) on. */
  induction: number;
  /** Each gene class (one unless the VM was built on a genome with several gene groups). */
  geneClasses: KineticGeneClass[];
}

/** The kinetic host's report (`SystemMetrics.kinetic`). */
export interface KineticMetrics {
  /** The host model: Weiße 2015, or Darlington 2018's with orthogonal ribosomes (orthogonal chassis). */
  hostModel: "weisse2015" | "darlington2018";
  /** Time of the model state reported (the last grid point, ms). */
  modelTimeMs: number;
  /** The integration grid step, ms. */
  tickMs: number;
  /** Host growth rate λ (per min). */
  growthRatePerMin: number;
  /** Doubling time ln 2/λ, min (null when λ = 0). */
  doublingTimeMin: number | null;
  /** λ of the host alone (steady state without guests), for comparison. */
  baselineGrowthRatePerMin: number;
  /** Free ribosomes (host ribosomes on the orthogonal chassis). */
  freeRibosomes: number;
  /** All ribosomes. */
  totalRibosomes: number;
  /** Free orthogonal ribosomes (orthogonal chassis only). */
  freeOrthogonalRibosomes: number | null;
  /** Energy a, molecules. */
  energy: number;
  /** The elongation rate the energy allows, aa/s per ribosome. */
  elongationAaPerS: number;
  /** Ribosomal share of all protein mass. */
  ribosomalFraction: number;
  /** Guest (heterologous) share of all protein mass. */
  heterologousFraction: number;
  /** Capacity monitor (Ceroni 2015): a constitutive host gene's production rate, molecules/min. */
  capacityMonitorPerMin: number;
  /** The capacity monitor's rate as a percent of its guest-free value. */
  capacityPercent: number;
  /** Transcriptional context switches measured so far. */
  switchesMeasured: number;
  /** Length of the last measured switch, ms (null before the first). */
  lastSwitchMs: number | null;
  /** Mean length of the measured switches, ms (null before the first). */
  meanSwitchMs: number | null;
  /** Ticks whose integration failed (the state was held); 0 in every known case. */
  integrationFailures: number;
  /** Every VM's genes in the host. */
  perVm: KineticVm[];
}

/** Kinetic chart samples as typed arrays (sample i at t[i] ms). */
export interface KineticSeriesChunk {
  /** Sample times, simulated ms. */
  t: Float64Array;
  /** λ, per min. */
  growthRate: Float64Array;
  /** Free ribosomes (host ribosomes on the orthogonal chassis). */
  freeRibosomes: Float64Array;
  /** Energy a, molecules. */
  energy: Float64Array;
  /** Capacity monitor, percent of its guest-free value. */
  capacityPercent: Float64Array;
  /** Guest protein mass over all protein mass. */
  heterologousFraction: Float64Array;
  /** Each live circuit VM's genes: protein at the same samples (NaN before the gene joined the model). */
  genes: KineticGeneSeries[];
  /** Pass this as `cursor` to the next `kineticSeriesSince` call. */
  nextCursor: number;
  /** Samples after the given cursor that were dropped (older than the series keeps). */
  dropped: number;
}

/** One circuit gene's protein series in a `KineticSeriesChunk`. */
export interface KineticGeneSeries {
  /** The VM running the circuit. */
  vmId: string;
  /** The gene's name in its circuit. */
  gene: string;
  /** Protein, molecules, at each sample of the chunk. */
  protein: Float64Array;
}

/** A heterologous gene: maximal transcription w (molecules/min) and protein length (aa). */
export interface WeisseGene {
  /** Maximal transcription rate, molecules/min. */
  w: number;
  /** Protein length, aa. */
  length: number;
}

/** Options of `simulateWeisse(options)`; every key is optional. */
export interface WeisseOptions {
  /** External nutrient (molecules), default 1e4. */
  s0?: number;
  /** Heterologous genes expressed in the host (default none). */
  heterologous?: WeisseGene[];
  /** Simulated minutes, default 1000. */
  tEndMin?: number;
  /** Output points over [0, tEndMin] including both ends, default 101. */
  points?: number;
  /** Relative tolerance, in (0, 1), default 1e-6. */
  rtol?: number;
  /** Absolute tolerance, in (0, 1), default 1e-6. */
  atol?: number;
  /** Initial values by state name ("a", "r", "p[0]", …); default a = 1000, r = et = em = q = 10. */
  initial?: Record<string, number>;
  /** Darlington 2018's host with orthogonal ribosomes (states xr, rr, pr, rp, pp instead of r). */
  orthogonal?: boolean;
}

/** Host state names of the Weiße model (the orthogonal model has xr, rr, pr, rp, pp instead of r). */
export type WeisseStateName =
  | "si" | "a" | "r" | "et" | "em" | "q" | "mr" | "mt" | "mm" | "mq" | "cr" | "ct" | "cm" | "cq";

/** Result of `simulateWeisse`: every series on an even time grid. */
export interface WeisseResult {
  /** Output times (min). */
  t: Float64Array;
  /** Growth rate λ (per min) at each time. */
  lambda: Float64Array;
  /** Every host state series by name. */
  states: Record<string, Float64Array>;
  /** Per heterologous gene: protein, free mRNA, ribosome-bound mRNA. */
  genes: {
    /** Protein, molecules. */
    p: Float64Array;
    /** Free mRNA, molecules. */
    mp: Float64Array;
    /** Ribosome-bound mRNA, molecules. */
    cp: Float64Array;
  }[];
  /** Every state name in layout order. */
  names: string[];
  /** Work done by the integrator. */
  stats: {
    /** Accepted steps. */
    accepted: number;
    /** Rejected steps. */
    rejected: number;
    /** Evaluations of the right-hand side. */
    rhsEvals: number;
    /** Jacobian evaluations. */
    jacobianEvals: number;
    /** LU decompositions. */
    luDecompositions: number;
  };
}

/** Options of `weisseSteadyState(options)`; every key is optional. */
export interface WeisseSteadyStateOptions {
  /** External nutrient (molecules), default 1e4. */
  s0?: number;
  /** Heterologous genes expressed in the host (default none). */
  heterologous?: WeisseGene[];
  /** Relative tolerance of the integration to convergence, in (0, 1), default 1e-8. */
  rtol?: number;
  /** Absolute tolerance of the integration to convergence, in (0, 1), default 1e-8. */
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
  /** The same values in layout order. */
  state: Float64Array;
  /** The state names in layout order. */
  names: string[];
  /** Growth rate λ (per min). */
  lambda: number;
  /** Doubling time ln 2/λ, min (null when λ = 0). */
  doublingTimeMin: number | null;
  /** Ribosomal mass fraction n_r·(r + Σc)/P. */
  ribosomalFraction: number;
  /** Total protein mass P (aa); equals M at steady state. */
  proteinMass: number;
  /** Elongation rate γ(a) (aa/min per translating ribosome). */
  elongationAaPerMin: number;
  /** max_i |f_i(y)| / max(|y_i|, 1) at the returned state (per min). */
  residual: number;
  /** Simulated time integrated before the Newton polish (min). */
  timeMin: number;
  /** Newton iterations of the polish. */
  newtonIterations: number;
}
