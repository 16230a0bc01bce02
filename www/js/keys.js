// keys.js: the keyboard shortcuts (when the focus is not in a text field): k or p play/pause,
// . single step, , step back (rewind one step), [ ] slower/faster, n new VM, g go to the VM table. Each goes through the
// panel that owns the control.
export function mountKeys({ transport, create, vms, rewind }) {
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName))) return;
    switch (e.key) {
      case "k":
      case "p":
        transport.togglePlay();
        break;
      case ".":
        transport.stepOnce();
        break;
      case ",":
        if (rewind) rewind.stepBack();
        break;
      case "]":
        transport.faster(1);
        break;
      case "[":
        transport.faster(-1);
        break;
      case "n":
        create.focusId();
        break;
      case "g":
        if (!vms.focusFirst()) create.focusId({ select: false });
        break;
      default:
        return;
    }
    e.preventDefault();
  });
}
