// panels/create.js: the "Create a VM" form (root [data-panel=create]): id, biological and VM
// type, reservation and scheduling fields with the type's defaults as placeholders, the XCP-ng
// fields. Dispatches createVm (and startVm when asked) to the store; shows refusals next to
// the form. A preset can fill and submit it (fillFromPreset).
import { $, fillSelect, readNumbers, showError, clearError } from "../dom.js";
import { nextId } from "../format.js";
import * as store from "../store.js";

const FIELDS = {
  ribosomes: "#vm-ribosomes", rnaPolymerase: "#vm-rnap", atpPercent: "#vm-atp", memoryKb: "#vm-mem",
  priority: "#vm-priority", weight: "#vm-weight", cap: "#vm-cap", cycles: "#vm-cycles", workloadAa: "#vm-workload",
};

export function mountCreate(root, { refresh }) {
  const q = (sel) => $(sel, root);
  const api = store.state.api;
  const defaults = {};
  for (const t of api.getSupportedBiologicalTypes()) defaults[t] = api.ConfigManager.defaults(t);
  fillSelect(q("#vm-bio"), api.getSupportedBiologicalTypes());
  fillSelect(q("#vm-type"), api.getSupportedVmTypes());
  const errEl = q("#create-error");

  function updatePlaceholders() {
    const d = defaults[q("#vm-bio").value] || {};
    for (const [key, sel] of Object.entries(FIELDS)) {
      if (key !== "cycles") q(sel).placeholder = d[key] == null ? "" : `default ${d[key]}`; // cycles: "empty = endless"
    }
    q("#xcpng-fields").hidden = q("#vm-type").value !== "xcpng";
  }

  /** Create the VM the form describes. Returns null, or the package's refusal. */
  function submit() {
    const vmId = q("#vm-id").value;
    const vmType = q("#vm-type").value;
    const config = readNumbers(root, FIELDS);
    let password;
    if (vmType === "xcpng") {
      config.xapiUrl = q("#vm-xapi").value;
      config.username = q("#vm-user").value;
      config.sshUser = q("#vm-ssh").value;
      password = q("#vm-password").value;
      config.password = password;
    }
    // The package checks everything; an empty xcpng password is its error too.
    const err = store.perform({ op: "createVm", vmId, biologicalType: q("#vm-bio").value, vmType, config }, { password });
    if (err) {
      showError(errEl, err);
      return err;
    }
    clearError(errEl);
    q("#vm-password").value = "";
    if (q("#vm-autostart").checked) {
      const e2 = store.perform({ op: "startVm", vmId });
      if (e2) showError(errEl, e2);
    }
    q("#vm-id").value = nextId(vmId);
    refresh();
    return null;
  }

  q("#vm-bio").addEventListener("change", updatePlaceholders);
  q("#vm-type").addEventListener("change", updatePlaceholders);
  q("#create-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  store.on("reset", () => clearError(errEl));
  updatePlaceholders();

  return {
    /** Focus the VM id field (selecting its text unless `select` is false). */
    focusId({ select = true } = {}) {
      q("#vm-id").focus();
      if (select) q("#vm-id").select();
    },
    /** A preset's form: fill it in, and submit it when it says so (null, or the refusal). */
    fillFromPreset(form) {
      q("#vm-id").value = form.vmId;
      q("#vm-bio").value = form.biologicalType;
      q("#vm-type").value = "basic";
      for (const sel of Object.values(FIELDS)) q(sel).value = "";
      q("#vm-ribosomes").value = String(form.ribosomes);
      updatePlaceholders();
      return form.submit ? submit() : null;
    },
  };
}
