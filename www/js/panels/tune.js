// panels/tune.js: the "Tune a VM" panel (root [data-panel=tune]): pick a VM, change its
// scheduling (priority, weight, cap) or its reservation. Fields start from the latest metrics
// in the store; dispatches setScheduling and allocateResources.
import { $, fillSelect, readNumbers, showError, clearError } from "../dom.js";
import * as store from "../store.js";

const FIELDS = { priority: "#tune-priority", weight: "#tune-weight", cap: "#tune-cap",
  ribosomes: "#tune-ribosomes", rnaPolymerase: "#tune-rnap", atpPercent: "#tune-atp", memoryKb: "#tune-mem" };
const SCHEDULING = { priority: FIELDS.priority, weight: FIELDS.weight, cap: FIELDS.cap };
const RESOURCES = { ribosomes: FIELDS.ribosomes, rnaPolymerase: FIELDS.rnaPolymerase, atpPercent: FIELDS.atpPercent, memoryKb: FIELDS.memoryKb };

export function mountTune(root) {
  const q = (sel) => $(sel, root);
  const sel = q("#tune-vm"), schedErr = q("#tune-sched-error"), resErr = q("#tune-res-error");

  function fill(id) {
    const v = store.state.metrics?.perVm.find((x) => x.vmId === id);
    for (const [key, s] of Object.entries(FIELDS)) q(s).value = v?.[key] == null ? "" : String(v[key]);
    clearError(schedErr);
    clearError(resErr);
  }

  function submit(op, fields, errEl) {
    const id = sel.value;
    if (!id) return showError(errEl, { code: "NOT_FOUND", message: "Create a VM first." });
    const err = store.perform({ op, vmId: id, request: readNumbers(root, fields) });
    if (err) showError(errEl, err);
    else clearError(errEl);
  }

  sel.addEventListener("change", () => fill(sel.value));
  q("#tune-sched-form").addEventListener("submit", (e) => { e.preventDefault(); submit("setScheduling", SCHEDULING, schedErr); });
  q("#tune-res-form").addEventListener("submit", (e) => { e.preventDefault(); submit("allocateResources", RESOURCES, resErr); });
  store.on("reset", () => { clearError(schedErr); clearError(resErr); });

  return {
    /** Offer these VM ids (in this order). */
    sync(ids) {
      const cur = [...sel.options].map((o) => o.value);
      if (cur.join("\u0000") === ids.join("\u0000")) return;
      const keep = sel.value;
      fillSelect(sel, ids);
      if (ids.includes(keep)) sel.value = keep;
      if (sel.value !== keep) fill(sel.value);
    },
    /** Tune this VM: select it, fill the fields, focus the first. */
    select(id) {
      sel.value = id;
      fill(id);
      q("#tune-priority").focus();
    },
  };
}
