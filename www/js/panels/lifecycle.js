// panels/lifecycle.js: the "Lifecycle" panel (root [data-panel=lifecycle]): the state diagram
// that lights up each transition as its event arrives, with the count of VMs in each state.
import { $ } from "../dom.js";
import { LifecycleDiagram, transitionOf } from "../widgets/lifecycle.js";
import * as store from "../store.js";

export function mountLifecycle(root) {
  const diagram = new LifecycleDiagram($("#lifecycle", root));
  let vmState = new Map(); // id -> state as known from events
  let destroyed = 0;

  store.on("reset", () => {
    vmState = new Map();
    destroyed = 0;
  });
  store.on("events", (evs) => {
    for (const e of evs) {
      const prev = e.vm != null ? vmState.get(e.vm) : undefined;
      const tr = transitionOf(e.type, prev);
      if (!tr || e.vm == null) continue;
      if (tr[1] === "destroyed") {
        vmState.delete(e.vm);
        destroyed++;
      } else vmState.set(e.vm, tr[1]);
      diagram.flash(tr[0] === "new" ? "created" : tr[0], tr[1]);
    }
  });

  return {
    update(perVm) {
      const c = {};
      for (const v of perVm) c[v.state] = (c[v.state] || 0) + 1;
      diagram.update(c, destroyed);
    },
    /** Let highlighted transitions fade (every frame). */
    expire() {
      if (diagram.hot.size) diagram.expire();
    },
  };
}
