// presets.js: scenarios that teach one thing each. A preset is a session (see session.js) plus
// a script of operations applied when the simulated clock reaches them, a lesson, and a
// suggested pair of schedulers for the comparison view. The last three run gene circuits inside
// VMs (the Circuits panel charts them): a circuit by its library id, or in full when the
// preset changes it.

const vm = (atMs, vmId, biologicalType, config = {}) => ({ atMs, op: "createVm", vmId, biologicalType, vmType: "basic", config });
const start = (atMs, vmId) => ({ atMs, op: "startVm", vmId });
const H = 3_600_000, MIN = 60_000;
// A kinetic guest: its transcription strength comes from 5 RNA polymerases; no ribosome
// reservation (the kinetic model shares every ribosome).
const KGUEST = { ribosomes: 0, rnaPolymerase: 5, atpPercent: 1, memoryKb: 100 };
// A circuit VM: the circuit's genes are its workload; no ribosome or ATP reservation (as in
// tests/circuit_vms.rs, where these behaviours are checked).
const cvm = (vmId, circuit) => vm(0, vmId, "ecoli", { circuit, ribosomes: 0, atpPercent: 0, memoryKb: 10 });
const inducer = (atMs, name, value) => ({ atMs, op: "setInducer", name, value });
const KCIRCUIT = { seed: 1, machinery: "kinetic" };
// The library's self-activator with a head start: 2,000 molecules of its switch protein at t = 0.
const AHEAD = { name: "self-activator", genes: [{ name: "switch", w: 30, length: 300, leak: 0.02, initialProtein: 2000,
  regulation: [{ by: "switch", mode: "activate", K: 10000, n: 2, inducer: { name: "inducer", K: 500, n: 1, effect: "activates" } }] }] };

export const PRESETS = [
  {
    id: "rr-vs-credit",
    blurb: "Equal turns vs shares that follow Xen weights.",
    title: "Round robin vs credit with unequal weights",
    lesson: [
      "Three guests with Xen weights 256, 512 and 1024 share E. coli's ribosomes. Round robin ignores weights: every VM gets one quantum in turn, so each receives about a third of the machinery.",
      "At 3 h the preset switches to Xen's credit scheduler (no restart, VMs keep running). The Gantt lanes take the new split at once: in every 7 slices heavy runs 4, medium 2 and light 1, and the machinery time received since the switch is within 2 points of 1 : 2 : 4 (14 %, 29 %, 57 %) after about 50 slices, 8.4 h at this 10-min quantum. The share column still averages in round robin's 3 h and loses 2.3 % to switches, so it creeps: within 2 points of 14, 28 and 56 % after about 44 h.",
      "The quantum trades speed for overhead. Each switch costs a 20 s ribosome run-off, so a 1-min quantum settles in 1 h but spends 19 % of the machinery switching; 10 min costs 2.3 %, and 60 min 0.4 % but takes 49 h. Try it in the scheduler panel, or run the comparison (round_robin vs credit) to see both side by side.",
    ],
    session: {
      chassis: "ecoli", scheduler: "round_robin", options: { seed: 1 },
      ops: [vm(0, "light", "syn3a", { weight: 256 }), vm(0, "medium", "ecoli", { weight: 512 }), vm(0, "heavy", "yeast", { weight: 1024 }),
        start(0, "light"), start(0, "medium"), start(0, "heavy")],
    },
    script: [{ atMs: 3 * H, op: "setScheduler", name: "credit" }],
    compare: ["round_robin", "credit"],
    speed: "10m",
  },
  {
    id: "greedy-cap",
    blurb: "Weight 4096 takes almost everything, until capped.",
    title: "A greedy VM and a cap",
    lesson: [
      "Under the credit scheduler a VM with weight 4096 next to two VMs with weight 256 takes about 89 % of the shared ribosomes: weights are relative, and nothing stops a heavy guest.",
      "At 2 h the preset caps the greedy VM at 30 % (Xen's cap: a ceiling even when the machinery would otherwise sit idle). The recent utilisation and share lines show the other two guests getting the rest. Try other caps with “Tune a VM”.",
    ],
    session: {
      chassis: "ecoli", scheduler: "credit", options: { seed: 1 },
      ops: [vm(0, "greedy", "ecoli", { weight: 4096 }), vm(0, "web", "syn3a", { weight: 256 }), vm(0, "db", "syn3a", { weight: 256 }),
        start(0, "greedy"), start(0, "web"), start(0, "db")],
    },
    script: [{ atMs: 2 * H, op: "setScheduling", vmId: "greedy", request: { cap: 30 } }],
    compare: ["credit", "eevdf"],
    speed: "10m",
  },
  {
    id: "fcfs-starving",
    blurb: "An endless first job never gives the ribosomes back.",
    title: "FCFS starving everyone else",
    lesson: [
      "First come, first served never takes the machinery away: a job runs until it is done, and a guest with an endless workload is never done. The first VM keeps every shared ribosome; the others wait with a share of 0 % and no response time at all.",
      "At 4 h the preset switches to round robin and the waiting VMs finally run. Compare fcfs with round_robin: Jain's index goes from 1/3 to ≈ 1.",
    ],
    session: {
      chassis: "ecoli", scheduler: "fcfs", options: { seed: 1 },
      ops: [vm(0, "first", "ecoli"), vm(0, "second", "syn3a"), vm(0, "third", "syn3a"),
        start(0, "first"), start(0, "second"), start(0, "third")],
    },
    script: [{ atMs: 4 * H, op: "setScheduler", name: "round_robin" }],
    compare: ["fcfs", "round_robin"],
    speed: "10m",
  },
  {
    id: "priority-aging",
    blurb: "A priority-2 job waits ~10 h for aging to rescue it.",
    title: "Priority scheduling starving a long job (and aging)",
    lesson: [
      "Three priority-8 guests and one priority-2 guest under preemptive priority scheduling. The low-priority VM is starved: it waits for hours while the others take turns.",
      "Aging raises a waiting VM's priority by one every agingMs (default: ten quanta = 100 min here), so after six steps — about 10 h — it finally gets a slot. Lower the aging time in the scheduler panel and apply it to rescue it sooner; compare priority with eevdf.",
    ],
    session: {
      chassis: "ecoli", scheduler: "priority", options: { seed: 1 },
      ops: [vm(0, "short1", "syn3a", { priority: 8 }), vm(0, "short2", "syn3a", { priority: 8 }), vm(0, "short3", "syn3a", { priority: 8 }),
        vm(0, "long", "yeast", { priority: 2 }),
        start(0, "short1"), start(0, "short2"), start(0, "short3"), start(0, "long")],
    },
    script: [],
    compare: ["priority", "eevdf"],
    speed: "1h",
  },
  {
    id: "orthogonal",
    blurb: "Guests confined to a 5 % o-ribosome pool.",
    title: "An orthogonal chassis",
    lesson: [
      "The orthogonal chassis is E. coli with an orthogonal-ribosome pool (Darlington 2018): guests translate only on o-ribosomes, 5.1 % of the 45,100 ribosomes, so the host reserve is 94.9 % and the shared machinery is about 2,300 ribosomes instead of 18,500.",
      "The guests are insulated from the host but produce roughly eight times fewer amino acids per second. Switch the chassis to ecoli: the same operations replay there, and throughput jumps.",
    ],
    session: {
      chassis: "orthogonal", scheduler: "round_robin", options: { seed: 1 },
      ops: [vm(0, "o1", "syn3a"), vm(0, "o2", "syn3a"), vm(0, "o3", "minimal_cell"),
        start(0, "o1"), start(0, "o2"), start(0, "o3")],
    },
    script: [],
    compare: ["round_robin", "eevdf"],
    speed: "10m",
  },
  {
    id: "overcommit",
    blurb: "The ledger refuses a reservation that does not fit.",
    title: "Overcommit refused",
    lesson: [
      "The resource ledger never over-commits: two VMs have reserved 9,000 ribosomes each, leaving 491 of E. coli's guest ribosomes free (the host keeps 59 % for itself).",
      "The “Create a VM” form asks for a third VM with 9,000 ribosomes and was submitted: the package refused it with INSUFFICIENT_RESOURCES and nothing changed. Lower the reservation to 400 and it fits; a fifth VM is refused with CAPACITY_REACHED (E. coli hosts at most 4).",
    ],
    session: {
      chassis: "ecoli", scheduler: "credit", options: { seed: 1 },
      ops: [vm(0, "big1", "ecoli", { ribosomes: 9000 }), vm(0, "big2", "ecoli", { ribosomes: 9000 }), start(0, "big1"), start(0, "big2")],
    },
    script: [],
    form: { vmId: "big3", biologicalType: "ecoli", ribosomes: 9000, submit: true },
    compare: ["credit", "round_robin"],
    speed: "10m",
  },
  {
    id: "atp-shift",
    blurb: "ATP drops to 70 %: the lowest-priority VM faults.",
    title: "A nutrient shift faults a VM",
    lesson: [
      "At 30 min the ATP supply drops to 70 % of normal. The host keeps its reserve, so the guests' ATP reservations no longer fit: the ledger faults the lowest-priority VM (state error), and the profiler reports the ATP bottleneck.",
      "Restarting it is refused (INSUFFICIENT_RESOURCES) until you restore the supply to 100 % in the chassis panel; then restart works.",
    ],
    session: {
      chassis: "ecoli", scheduler: "round_robin", options: { seed: 1 },
      ops: [vm(0, "low", "syn3a", { priority: 2 }), vm(0, "mid", "syn3a", { priority: 5 }), vm(0, "high", "syn3a", { priority: 9 }),
        start(0, "low"), start(0, "mid"), start(0, "high")],
    },
    script: [{ atMs: 30 * MIN, op: "setAtpSupply", percent: 70 }],
    compare: ["round_robin", "priority"],
    speed: "1m",
  },
  {
    id: "kinetic-burden",
    blurb: "Kinetic host: every guest gene slows the cell's growth.",
    title: "Burden: guests slow the host's growth",
    lesson: [
      "The kinetic machinery runs the Weiße 2015 host–circuit model: each VM expresses a gene whose strength comes from its RNA polymerases (5 each here: at most about 15 transcripts/min, 5 × 45 nt/s ÷ 927 nt), and every guest mRNA holds ribosomes the host needs to make ribosomes, enzymes and energy. Under the credit scheduler all runnable guests' genes are on at once, promoters scaled by weight.",
      "Two guests start at 0; a third joins at 2 h and a fourth at 4 h. Watch the growth line in “Host growth and burden” fall with each one, and the capacity monitor (a constitutive host gene's production, Ceroni 2015) drop with it. Then try the orthogonal-ribosome preset.",
    ],
    session: {
      chassis: "ecoli", scheduler: "credit", options: { seed: 1, machinery: "kinetic", maxVms: 8 },
      ops: [vm(0, "g1", "ecoli", KGUEST), vm(0, "g2", "ecoli", KGUEST), start(0, "g1"), start(0, "g2")],
    },
    script: [vm(2 * H, "g3", "ecoli", KGUEST), start(2 * H, "g3"), vm(4 * H, "g4", "ecoli", KGUEST), start(4 * H, "g4")],
    compare: ["credit", "round_robin"],
    speed: "30m",
  },
  {
    id: "kinetic-orthogonal",
    blurb: "O-ribosomes cap what guests can take from the host.",
    title: "Orthogonal ribosomes shield the host from guest demand",
    lesson: [
      "The same four guests on the orthogonal chassis (Darlington 2018): their mRNAs are read only by orthogonal ribosomes, made from a small o-rRNA supply that competes with host rRNA for one ribosomal-protein pool. The o-ribosome pool caps how much translation the guests can take.",
      "At 3 h each guest's RNA polymerases go from 5 to 40 (eight times the transcription). The o-ribosome pool limits how much more the guests can take: five hours later the capacity monitor has fallen about 2.4-fold (23 % → 9 % of its guest-free value) and growth by 38 % (52 % → 33 %). Switch the chassis to ecoli: the same operations replay there, the monitor falls about 8-fold (35 % → 4 %) and growth by 62 % (61 % → 23 %).",
      "The price of isolation shows before the step: the o-rRNA supply takes ribosomal protein from the host, so at the guests' first setting this host grows slower than plain E. coli (52 % vs 61 %). O-ribosomes buy robustness to guest demand, not free capacity.",
    ],
    session: {
      chassis: "orthogonal", scheduler: "credit", options: { seed: 1, machinery: "kinetic", maxVms: 8 },
      ops: ["o1", "o2", "o3", "o4"].flatMap((id) => [vm(0, id, "ecoli", KGUEST), start(0, id)]),
    },
    script: ["o1", "o2", "o3", "o4"].map((vmId) => ({ atMs: 3 * H, op: "allocateResources", vmId, request: { rnaPolymerase: 40 } })),
    compare: ["credit", "round_robin"],
    speed: "30m",
  },
  {
    id: "circuit-hidden-coupling",
    blurb: "IPTG for one VM's circuit slows its neighbour's reporter.",
    title: "Hidden coupling: inducing one VM silences its neighbour",
    lesson: [
      "Two circuit VMs share the kinetic host under the credit scheduler: “reporter” makes GFP all the time and nothing regulates it; “sensor” runs the lac circuit, whose GFP LacI keeps off until IPTG takes LacI off its promoter. Open the Circuits panel to see each VM's proteins and the host's growth on one time axis.",
      "At 2 h the preset adds 1 mM IPTG to the medium (a setInducer operation, recorded like any other). The sensor's GFP climbs about fiftyfold, and the reporter's GFP falls by about 7 % (15,200 → 14,200 molecules) while growth drops from 1.86 to 1.51 doublings/h: nothing links the two circuits, yet the sensor's new mRNAs take the ribosomes the reporter and the host needed.",
      "Wash the IPTG out in the Circuits panel's medium controls and watch the reporter recover; or rewind to 1 h and induce earlier.",
    ],
    session: { chassis: "ecoli", scheduler: "credit", options: KCIRCUIT, ops: [cvm("reporter", "reporter"), cvm("sensor", "lac"), start(0, "reporter"), start(0, "sensor")] },
    script: [inducer(2 * H, "IPTG", 1000)],
    compare: ["credit", "round_robin"],
    speed: "10m",
  },
  {
    id: "circuit-winner-takes-all",
    blurb: "Two self-activating switches: only one can stay on.",
    title: "Winner takes all: two switches compete for the host",
    lesson: [
      "Each VM runs a self-activating switch: its protein, with the inducer, turns its own promoter on (Sechkar, Steel & Stan 2024). In 1.5 mM inducer, from t = 0, one switch alone in the cell switches fully on (about 34,000 molecules). Here there are two, under the credit scheduler, and “ahead” starts with 2,000 molecules of its switch protein (its circuit is given in full, with initialProtein 2000).",
      "Watch the two switch proteins in the Circuits panel: for about 10 h both creep up together, then “ahead” takes off to about 33,800 while “plain” falls back below 1,000 and stays there. The ribosomes the winner's mRNAs hold are what the loser would need to switch itself on: the host's shared machinery couples the two switches into a winner-takes-all choice.",
      "Give “plain” the head start instead (a circuit in full, in the Circuits panel's JSON) and the winner swaps.",
    ],
    session: { chassis: "ecoli", scheduler: "credit", options: KCIRCUIT, ops: [cvm("plain", "self-activator"), cvm("ahead", AHEAD), start(0, "plain"), start(0, "ahead"), inducer(0, "inducer", 1500)] },
    script: [],
    compare: ["credit", "round_robin"],
    speed: "1h",
  },
  {
    id: "circuit-toggle-memory",
    blurb: "A toggle-switch VM remembers a 2-hour IPTG pulse.",
    title: "Memory in a VM: the toggle switch",
    lesson: [
      "The VM “memory” runs Gardner's toggle switch: LacI and TetR repress each other, and GFP follows TetR. It starts LacI-high, with GFP off.",
      "From 2 h to 4 h the preset adds 1 mM IPTG to the medium (two setInducer operations): IPTG takes LacI off TetR's promoter, TetR and GFP rise and shut LacI down (12,000 → about 4 molecules). After the IPTG is washed out at 4 h the switch stays in its new state: GFP is still about 16,000 molecules at 24 h: the circuit remembers the pulse.",
      "Rewind to 3 h and wash the IPTG out then, in the Circuits panel: is one hour of IPTG enough to flip it?",
    ],
    session: { chassis: "ecoli", scheduler: "credit", options: KCIRCUIT, ops: [cvm("memory", "toggle"), start(0, "memory")] },
    script: [inducer(2 * H, "IPTG", 1000), inducer(4 * H, "IPTG", 0)],
    compare: ["credit", "round_robin"],
    speed: "30m",
  },
];
