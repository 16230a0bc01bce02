// panels/chassis.js: the "Chassis (host cell)" panel (root [data-panel=chassis]): the chassis
// and the machinery model (changing either replays the session, the kinetic model on the full
// build), the chassis's facts with their sources, and the ATP supply (a nutrient shift). A
// session's custom chassis (a chassis object) is shown as one more choice, "custom: name", above
// the presets; picking a preset replaces it, as any chassis switch does.
import { el, $, fillSelect, setText, setChildren, showError, clearError } from "../dom.js";
import { fmtDur, fmtInt } from "../format.js";
import { chassisLabel, isCustomChassis } from "../session.js";
import * as store from "../store.js";

export function mountChassis(root) {
  const q = (sel) => $(sel, root);
  const { state } = store;
  const chassis = q("#chassis"), machinery = q("#machinery"), errEl = q("#chassis-error"), atpErr = q("#atp-error");
  fillSelect(chassis, state.api.getSupportedChassis());

  /** The select shows the session's chassis: a preset, or the custom one as its own option. */
  function showChassis() {
    const c = state.session.chassis;
    let custom = chassis.querySelector('option[value="custom"]');
    if (!isCustomChassis(c)) {
      custom?.remove();
      chassis.value = c;
      return;
    }
    if (!custom) {
      custom = el("option", { value: "custom" });
      chassis.prepend(custom);
    }
    custom.textContent = `custom: ${chassisLabel(c, state.api)}`;
    chassis.value = "custom";
  }

  function renderInfo() {
    const custom = isCustomChassis(state.session.chassis);
    const c = state.api.chassisInfo(state.session.chassis);
    const hr = c.hostReserve;
    setChildren(q("#chassis-info"),
      el("p", null, el("strong", null, c.name), custom ? `: a custom chassis, the ${state.session.chassis.base ?? "ecoli"} preset with the numbers this session's chassis object changes.` : "."),
      el("ul", { class: "facts" },
        el("li", null, `${fmtInt(c.ribosomes)} ribosomes${c.orthogonalFraction != null ? ` (${(c.orthogonalFraction * 100).toFixed(1)} % orthogonal, the only ones guests may use)` : ""}, ${fmtInt(c.rnaPolymerases)} RNA polymerases`),
        el("li", null, `elongation ${c.elongationAaPerS} aa/s; mean protein ${fmtInt(c.meanProteinAa)} aa`),
        el("li", null, `host reserve: ${(hr.ribosomes * 100).toFixed(1)} % of ribosomes, ${(hr.atp * 100).toFixed(0)} % of ATP`),
        el("li", null, `context switch = ribosome run-off ${fmtDur(c.switchCostMs)}; default quantum ${fmtDur(c.defaultQuantumMs)}`),
        el("li", null, `doubling time ${c.doublingTimeMin} min; at most ${c.maxVms} VMs`)),
      el("details", null, el("summary", null, "Where the numbers come from"), el("ul", { class: "sources" }, c.sources.map((s) => el("li", null, s)))));
  }

  /** Run a replaying switch; the selects then show what the session really is. */
  async function replaying(action) {
    const err = await action();
    showChassis();
    machinery.value = state.h.machinery;
    if (err) showError(errEl, err);
  }

  chassis.addEventListener("change", () => {
    if (chassis.value !== "custom") replaying(() => store.switchChassis(chassis.value));
  });
  machinery.addEventListener("change", () => replaying(() => store.switchMachinery(machinery.value)));
  q("#atp-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const s = q("#atp-supply").value.trim();
    const before = new Set(state.metrics?.perVm.filter((v) => v.state === "error").map((v) => v.vmId));
    const err = store.perform({ op: "setAtpSupply", percent: s === "" ? NaN : Number(s) });
    if (err) return showError(atpErr, err);
    clearError(atpErr);
    const now = state.h.listVms().filter((v) => v.state === "error" && !before.has(v.vmId)).map((v) => v.vmId);
    setText(q("#atp-result"), now.length ? `Faulted by the shortfall: ${now.join(", ")}.` : "No VM faulted.");
  });
  store.on("reset", () => {
    showChassis();
    machinery.value = state.h.machinery;
    renderInfo();
    clearError(errEl);
    clearError(atpErr);
    setText(q("#atp-result"), "");
  });
}
