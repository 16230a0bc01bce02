// panels/lesson.js: the lesson of the loaded preset (root [data-panel=lesson]): its text, the
// operations it will script, and the package's answer when one of them (or the preset's form)
// is refused. Hidden when no preset is active.
import { el, $, setText, setChildren, showError, clearError } from "../dom.js";
import { fmtClock } from "../format.js";
import * as store from "../store.js";

const describeOp = (o) =>
  `${o.op}${o.name ? " " + o.name : ""}${o.vmId ? " " + o.vmId : ""}${o.percent != null ? " " + o.percent + " %" : ""}${o.request ? " " + JSON.stringify(o.request) : ""} at ${fmtClock(o.atMs)}`;

export function mountLesson(root) {
  const title = $("#h-lesson", root), body = $("#lesson-body", root);
  let errBox = null;

  store.on("reset", () => { if (!store.state.activePreset) root.hidden = true; });
  store.on("preset", (p) => {
    const script = store.state.script;
    errBox = el("div", { id: "lesson-error", class: "error", role: "alert", hidden: true });
    setText(title, `Scenario: ${p.title}`);
    setChildren(body,
      p.lesson.map((t) => el("p", null, t)),
      script.length ? el("p", { class: "hint" }, `Scripted: ${script.map(describeOp).join("; ")}.`) : null,
      errBox);
    root.hidden = false;
  });
  store.on("refused", ({ source, error }) => {
    if (source !== "script" || !errBox) return;
    if (error) showError(errBox, error);
    else clearError(errBox);
  });

  return {
    /** The package's refusal of the preset's own form submission. */
    showRefusal(error) {
      showError(errBox, error);
      errBox.prepend(el("span", null, "The package's answer: "));
    },
    reveal: () => root.scrollIntoView?.({ block: "nearest" }),
  };
}
