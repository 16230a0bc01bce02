// circuits/presets.js: the Circuits panel's presets that teach, on the bare host: each picks a
// library circuit and sets an inducer protocol (or a dose sweep) that shows one behaviour, and
// says what to look for. Data only; what happens is computed by the package when it runs.

export const CIRCUIT_PRESETS = Object.freeze([
  {
    id: "toggle-memory",
    title: "Toggle-switch memory",
    circuit: "toggle",
    tEndMin: 1400,
    inducers: { IPTG: { level: 1000, from: 200, until: 560 } },
    look: "An IPTG pulse from 200 to 560 min takes LacI off TetR's promoter: TetR and GFP rise and shut LacI down. After IPTG is washed out the switch stays on: the circuit remembers the pulse.",
  },
  {
    id: "repressilator",
    title: "The repressilator",
    circuit: "repressilator",
    tEndMin: 3000,
    inducers: {},
    look: "Each repressor shuts off the next around the ring: the three proteins rise and fall in turn with a steady period and amplitude, while the host's growth wobbles with them.",
  },
  {
    id: "hidden-coupling",
    title: "Hidden coupling: inducing one circuit silences its neighbour",
    circuit: "lac",
    companion: "reporter",
    tEndMin: 900,
    inducers: { IPTG: { level: 1000, from: 300 } },
    look: "The reporter shares the cell with the IPTG-inducible circuit and nothing regulates it, yet its protein falls once IPTG switches the other circuit on at 300 min: the two compete for the host's ribosomes.",
  },
  {
    id: "tipping-point",
    title: "The burden tipping point",
    circuit: "reporter",
    tEndMin: 600,
    inducers: {},
    sweep: { what: "w:gfp", lo: 1, hi: 100_000, n: 12 },
    look: "Raising the reporter's transcription rate w raises its output at first; past a point the ribosomes it takes slow growth so much that output falls too, while growth falls all along.",
  },
]);
