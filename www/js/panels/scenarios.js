// panels/scenarios.js: the list of presets (root [data-panel=scenarios]). A click hands the
// preset to `onPick` (app.js loads it through the store and the panels it touches).
import { el, $ } from "../dom.js";
import { PRESETS } from "../presets.js";

export function mountScenarios(root, { onPick }) {
  const list = $("#presets", root);
  for (const p of PRESETS) {
    const b = el("button", { type: "button", class: "preset", dataset: { preset: p.id }, "aria-describedby": `preset-${p.id}-d` }, p.title);
    list.append(el("li", null, b, el("p", { id: `preset-${p.id}-d`, class: "hint" }, p.blurb)));
    b.addEventListener("click", () => onPick(p));
  }
}
