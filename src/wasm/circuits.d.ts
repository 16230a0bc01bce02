/** How a regulator acts on a promoter. */
export type RegulationMode = "repress" | "activate";

/** What an inducer does to its regulator: IPTG and aTc inactivate, arabinose activates. */
export type InducerEffect = "inactivates" | "activates";

/** A small molecule of the medium that binds a regulator. */
export interface CircuitInducer {
  /** 1-32 characters of [A-Za-z0-9_.-] (`IPTG`, `aTc`, `arabinose`). */
  name: string;
  /** Half-effect concentration (µM), > 0. */
  K: number;
  /** Hill coefficient, > 0. */
  n: number;
  /** x = (I/K)^n; inactivates: P_eff = P/(1 + x); activates: P_eff = P·x/(1 + x). */
  effect: InducerEffect;
}

/** One regulator of a gene's promoter: h = 1/(1 + (P_eff/K)^n) (repress) or its complement. */
export interface Regulation {
  /** A gene of the same circuit. */
  by: string;
  /** Repression or activation. */
  mode: RegulationMode;
  /** Half-effect level of the effective regulator (molecules), > 0. */
  K: number;
  /** Hill coefficient, > 0. */
  n: number;
  /** An inducer of the medium acting on the regulator. */
  inducer?: CircuitInducer;
}

/** A gene of a circuit: a heterologous gene of the Weiße model with a regulated promoter. */
export interface CircuitGene {
  /** Unique in its circuit; 1-32 characters of [A-Za-z0-9_.-]. */
  name: string;
  /** Maximal transcription rate (molecules/min, as Weiße's w_x), finite, >= 0. */
  w: number;
  /** Protein length (aa), integer 1..=10000. */
  length: number;
  /** Promoter activity when fully off, 0..=1 (default 0): f = leak + (1 - leak)·Π h. */
  leak?: number;
  /** Active protein degradation (/min, default 0), on top of dilution by growth. */
  degradation?: number;
  /** Protein molecules at t = 0 (default 0). */
  initialProtein?: number;
  /** 0..=4 regulations; none: constitutive. */
  regulation?: Regulation[];
}

/** A gene circuit: the program a biological VM runs (1..=32 genes). */
export interface Circuit {
  /** A name for the circuit. */
  name?: string;
  /** Its genes. */
  genes: CircuitGene[];
}

/** Options of `simulateCircuits` and `toSbml`. */
export interface CircuitOptions {
  /** External nutrient (molecules), default 1e4 (Weiße 2015, Table S1). */
  s0?: number;
  /** The circuits sharing the host. */
  circuits: Circuit[];
  /** Inducer schedules: name -> [tMin, µM][] sorted by time; a value holds from its tMin, 0 before the first. */
  inducers?: Record<string, [number, number][]>;
  /** Simulated time (min). */
  tEndMin: number;
  /** Output points, evenly spaced over [0, tEndMin] with both ends. */
  points: number;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance, molecules (default 1e-6). */
  atol?: number;
  /** Host species at t = 0 by name, as `simulateWeisse` takes them. */
  initial?: Partial<Record<"si" | "a" | "r" | "et" | "em" | "q" | "mr" | "mt" | "mm" | "mq" | "cr" | "ct" | "cm" | "cq", number>>;
  /**
   * The integrator: "bdf" (default; variable-order NDF/BDF that reuses its Jacobian and
   * factorisation, fast on long runs) or "rodas4" (Rosenbrock; a smaller phase error per
   * tolerance on oscillators, as `simulateWeisse` and the hypervisor use).
   */
  method?: "bdf" | "rodas4";
}

/** One gene's series in a `CircuitResult`. */
export interface CircuitGeneSeries {
  /** The gene's name. */
  name: string;
  /** Protein, molecules. */
  protein: Float64Array;
  /** Free mRNA, molecules. */
  mrna: Float64Array;
  /** Ribosome-bound mRNA, molecules. */
  complex: Float64Array;
  /** Promoter activity f, 0..1. */
  activity: Float64Array;
}

/** One circuit's series in a `CircuitResult`. */
export interface CircuitSeries {
  /** The circuit's name, or null when it has none. */
  name: string | null;
  /** Each gene, in the circuit's order. */
  genes: CircuitGeneSeries[];
}

/** What `simulateCircuits` returns: every series on the output grid. */
export interface CircuitResult {
  /** Output times (min). */
  t: Float64Array;
  /** Host growth rate λ (/min). */
  growthRate: Float64Array;
  /** Host species by name. */
  host: Record<"si" | "a" | "r" | "et" | "em" | "q" | "mr" | "mt" | "mm" | "mq" | "cr" | "ct" | "cm" | "cq", Float64Array>;
  /** Each circuit, in order. */
  circuits: CircuitSeries[];
  /** The integrator's work. */
  stats: Record<string, number>;
}

/** A built-in circuit of `getSupportedCircuits()`. */
export interface LibraryCircuit {
  /** The id `createVm(.., { circuit })` takes. */
  id: string;
  /** A readable title. */
  title: string;
  /** One sentence on what it teaches. */
  teaches: string;
  /** Where the design and its parameters come from. */
  sources: string[];
  /** What was adapted to the Weiße host, and why. */
  adapted: string;
  /** The inducers it responds to. */
  inducers: string[];
  /** Its description. */
  circuit: Circuit;
}
