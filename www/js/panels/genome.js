// panels/genome.js: the "Genome" panel (root [data-panel=genome]). Load a genome file (picker or
// drag-and-drop; GenBank, GFF3, FASTA or BioXen .genome, optionally gzip-compressed) and an
// optional gene table, parse it in a Web Worker (the page never freezes; large files show
// progress), show the summary and a gene map, and create a VM that takes its workload from the
// genome. Genome parsing is in the full build only: picking a file first switches the page to
// it (store.ensureFull) and hands its compiled module to the worker.
import { el, $, fillSelect, setText, setChildren, showError, clearError } from "../dom.js";
import { nextId } from "../format.js";
import * as store from "../store.js";

const TYPE_COLOURS = {
  protein_coding: "#3b6fd8",
  tRNA: "#2e9d5b",
  rRNA: "#d8862b",
  ncRNA: "#9b4fd0",
  pseudogene: "#999999",
  other: "#5f6b7a",
};
const TYPE_LABELS = {
  protein_coding: "protein-coding", tRNA: "tRNA", rRNA: "rRNA", ncRNA: "ncRNA", pseudogene: "pseudogene", other: "other",
};

const fmt = (n) => Number(n).toLocaleString("en-US");

export function mountGenome(root, { refresh }) {
  const q = (sel) => $(sel, root);
  let worker = null;
  let seq = 0;
  let current = null; // the last summary
  let table = null; // { name, bytes }

  function getWorker(onMessage) {
    if (!worker) worker = new Worker(new URL("../genome-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = onMessage;
    worker.onerror = (e) => fail({ code: "WORKER", message: `the parsing worker failed: ${e.message || "unknown error"}` });
    return worker;
  }

  function fail(error) {
    q("#genome-progress").hidden = true;
    setText(q("#genome-status"), "");
    showError(q("#genome-error"), error);
  }

  async function parseFile(file) {
    clearError(q("#genome-error"));
    current = null;
    q("#genome-create").disabled = true;
    setChildren(q("#genome-summary"));
    setChildren(q("#genome-warnings"));
    const prog = q("#genome-progress");
    prog.value = 0;
    prog.hidden = false;
    setText(q("#genome-status"), `Reading ${file.name} (${fmt(file.size)} bytes)…`);
    // the full build (with the genome parsers) for the page and the worker, while the file is read
    const [bytes, err] = await Promise.all([file.arrayBuffer(), store.ensureFull()]);
    if (err) return fail(err);
    const id = ++seq;
    const t0 = performance.now();
    getWorker((ev) => {
      const m = ev.data;
      if (m.id !== seq) return; // a newer file was chosen
      if (m.progress !== undefined) {
        prog.value = m.progress;
        setText(q("#genome-status"), `Parsing ${file.name}: ${Math.round(m.progress * 100)} %`);
      } else if (m.error) {
        fail(m.error);
      } else {
        prog.value = 1;
        prog.hidden = true;
        current = m.summary;
        current.fileName = file.name;
        setText(q("#genome-status"), `${file.name}: parsed in ${Math.round(performance.now() - t0)} ms`);
        render(current);
      }
    }).postMessage({ id, bytes, table: table ? table.bytes.slice(0) : null, module: store.state.fullModule }, [bytes]);
  }

  function render(s) {
    const c = s.geneCounts;
    const rows = [
      ["Format", `${s.format}${s.compressed ? " (gzip)" : ""}`],
      ["Organism", s.organism ?? "—"],
      ["Accession", s.accession ?? "—"],
      ["Length", `${fmt(s.length)} bp, ${s.topology}${s.records > 1 ? `, ${s.records} records` : ""}`],
      ["GC content", s.gcContent == null ? "—" : `${(s.gcContent * 100).toFixed(2)} %`],
      ["Genes", s.genesKnown ? fmt(c.total) : "unknown (sequence only)"],
      ["Protein-coding", fmt(c.proteinCoding)],
      ["tRNA / rRNA / ncRNA", `${fmt(c.tRNA)} / ${fmt(c.rRNA)} / ${fmt(c.ncRNA)}`],
      ["Pseudogenes", fmt(c.pseudogene)],
      ["Coding length", `${fmt(s.totalCodingAa)} aa`],
      ["Essential genes", `${fmt(s.essential.count)} (${s.essential.source === "table" ? "from the gene table" : s.essential.source === "heuristic" ? "keyword heuristic, a guess" : "none known"})`],
    ];
    if (s.workload) {
      const w = s.workload.workload;
      rows.push(["VM workload", `${fmt(w.totalAa)} aa per cycle, ${fmt(w.genomeKb)} kb of memory, minimal set of ${fmt(s.workload.minimalGeneSet.length)} genes`]);
    }
    const dl = q("#genome-summary");
    setChildren(dl, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, dataset: { key: k } })]));
    setChildren(q("#genome-warnings"), s.warnings.map((w) => el("li", { text: `${w.code}: ${w.message}` })));
    q("#genome-create").disabled = !s.workload;
    setText(q("#genome-create-note"), s.workload ? "" : "No protein-coding genes: load an annotated genome (or a FASTA with a gene table) to build a VM.");
    drawMap(s);
  }

  /** A linear gene map: + strand above the axis, - strand below, coloured by type. */
  function drawMap(s) {
    const canvas = q("#genome-map");
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 600;
    const h = 90;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const mid = h / 2;
    ctx.fillStyle = "#444";
    ctx.fillRect(0, mid - 1, w, 2);
    const len = Math.max(1, s.length);
    for (const g of s.genes) {
      const x = ((g.start - 1) / len) * w;
      const gw = Math.max(1, ((g.end - g.start + 1) / len) * w);
      ctx.fillStyle = TYPE_COLOURS[g.type] ?? "#000";
      if (g.strand === "-") ctx.fillRect(x, mid + 4, gw, 16);
      else ctx.fillRect(x, mid - 20, gw, 16);
    }
    ctx.fillStyle = "#444";
    ctx.font = "11px sans-serif";
    ctx.fillText("1", 2, h - 4);
    const end = `${fmt(s.length)} bp`;
    ctx.fillText(end, w - ctx.measureText(end).width - 2, h - 4);
    canvas.setAttribute("aria-label", `Gene map of ${s.accession ?? "the genome"}: ${s.genes.length} genes on ${fmt(s.length)} bp; + strand above, - strand below`);
    setChildren(q("#genome-legend"), Object.entries(TYPE_LABELS)
      .filter(([t]) => s.genes.some((g) => g.type === t))
      .map(([t, label]) => {
        const sw = el("span", { class: "swatch" });
        sw.style.backgroundColor = TYPE_COLOURS[t]; // CSSOM, allowed by the CSP (a style attribute is not)
        return el("li", {}, sw, label);
      }));
  }

  q("#genome-file").addEventListener("change", (e) => {
    const f = e.target.files[0];
    if (f) parseFile(f);
  });
  q("#genome-table").addEventListener("change", async (e) => {
    const f = e.target.files[0];
    table = f ? { name: f.name, bytes: await f.arrayBuffer() } : null;
    setText(q("#genome-table-name"), table ? `Gene table: ${table.name}` : "");
  });
  const drop = q("#genome-drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const f = e.dataTransfer && e.dataTransfer.files[0];
    if (f) parseFile(f);
  });
  q("#genome-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!current || !current.workload) return;
    const vmId = q("#genome-vm-id").value;
    const errEl = q("#genome-error");
    // Only the workload travels in the session (not the whole gene list).
    const err = store.perform({
      op: "createVm", vmId, biologicalType: q("#genome-bio").value, vmType: "basic",
      config: { genome: { workload: current.workload } },
    });
    if (err) return showError(errEl, err);
    clearError(errEl);
    q("#genome-vm-id").value = nextId(vmId);
    refresh();
  });
  fillSelect(q("#genome-bio"), store.state.api.getSupportedBiologicalTypes());

  /** The last parsed summary (for tests). */
  return { summary: () => current };
}
