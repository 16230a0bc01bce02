// panels/log.js: the "Event log" panel (root [data-panel=log]): the hypervisor's events,
// newest first, described in words and filtered by kind (lifecycle, scheduling, work cycles).
// A context switch says why the scheduler chose the VM (`reason`, from the core).
// At full speed only the newest events reach the log (all of them reach the lifecycle diagram).
import { el, $ } from "../dom.js";
import { fmtClock } from "../format.js";
import * as store from "../store.js";

const LOG_MAX = 250;
const SCHED_EVENTS = new Set(["context_switch", "scheduler_changed", "scheduling_changed", "reservation_changed", "atp_supply_changed"]);
const CYCLE_EVENTS = new Set(["cycle_completed", "workload_finished"]);
const kindOf = (type) => (SCHED_EVENTS.has(type) ? "sched" : CYCLE_EVENTS.has(type) ? "cycles" : "lifecycle");

function describeEvent(e) {
  const who = e.vm ?? "";
  switch (e.type) {
    case "context_switch": {
      const took = e.from ? `${who} takes the machinery from ${e.from}` : `${who} takes the idle machinery`;
      return e.reason ? `${took}: ${e.reason}` : took;
    }
    case "cycle_completed": return `${who} completed work cycle ${e.cycle}`;
    case "workload_finished": return `${who} finished its workload (stopped)`;
    case "faulted": return `${who} faulted: ${e.reason}`;
    case "scheduler_changed": return `scheduler changed to ${e.scheduler}`;
    case "scheduling_changed": return `${who}: scheduling parameters changed`;
    case "reservation_changed": return `${who}: reservation changed`;
    case "atp_supply_changed": return `ATP supply set to ${e.percent} % of normal`;
    default: return `${who} ${e.type}`;
  }
}

export function mountLog(root) {
  const log = $("#log", root);
  const boxes = { lifecycle: $("#log-lifecycle", root), sched: $("#log-sched", root), cycles: $("#log-cycles", root) };
  let pending = []; // events read but not yet shown (newest last)

  store.on("reset", () => {
    pending = [];
    log.replaceChildren();
  });
  store.on("events", (evs) => {
    const keep = store.state.playing ? 25 : LOG_MAX;
    pending = pending.length + evs.length > keep ? pending.concat(evs).slice(-keep) : pending.concat(evs);
  });
  for (const box of Object.values(boxes)) box.addEventListener("change", () => {
    for (const li of log.children) li.hidden = !boxes[li.dataset.kind].checked;
  });

  return {
    /** Show the pending events (newest first). */
    flush() {
      if (!pending.length) return;
      const frag = document.createDocumentFragment();
      for (const e of pending) {
        const kind = kindOf(e.type);
        const li = el("li", { class: `ev ev-${kind}`, dataset: { type: e.type, kind } }, el("span", { class: "t" }, fmtClock(e.timeMs)), " ", describeEvent(e));
        li.hidden = !boxes[kind].checked;
        frag.prepend(li);
      }
      pending = [];
      log.prepend(frag);
      while (log.childElementCount > LOG_MAX) log.lastElementChild.remove();
    },
  };
}
