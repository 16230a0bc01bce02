// dom.js: build DOM from data without ever parsing markup.
// Every string becomes a text node or an attribute value set with setAttribute; there is no
// innerHTML / insertAdjacentHTML / outerHTML anywhere in the playground.

const SVG_NS = "http://www.w3.org/2000/svg";

function applyProps(e, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "class") e.setAttribute("class", v);
    else if (k === "text") e.textContent = String(v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) {
      if (typeof v !== "function") throw new TypeError(`${k} must be a function`);
      e.addEventListener(k.slice(2), v);
    } else if (k === "innerHTML" || k === "outerHTML" || k === "srcdoc") {
      throw new TypeError(`${k} is not allowed`);
    } else if (k === "value" || k === "checked" || k === "selected" || k === "disabled") {
      e[k] = v;
    } else e.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** el("p", { class: "x", text: "hi" }, child, "text", ...) */
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  applyProps(e, props);
  append(e, children);
  return e;
}

/** The same for SVG elements. */
export function svg(tag, props, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  applyProps(e, props);
  append(e, children);
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** Replace all children of `e` (text nodes for strings). */
export function setChildren(e, ...children) {
  e.replaceChildren();
  append(e, children);
}

/** Set textContent only when it changed (cheap, avoids layout work). */
export function setText(e, s) {
  s = String(s);
  if (e.textContent !== s) e.textContent = s;
}

/** Show a refused operation next to its control: "CODE: message" plus config issues. */
export function showError(target, err) {
  if (!target) return;
  const code = err && err.code ? String(err.code) : "ERROR";
  const msg = err && err.message ? String(err.message) : String(err);
  const parts = [el("strong", { class: "err-code" }, code), " ", msg];
  if (err && Array.isArray(err.issues) && err.issues.length) {
    parts.push(el("ul", { class: "err-issues" }, err.issues.map((i) => el("li", null, `${i.path}: ${i.message}`))));
  }
  setChildren(target, parts);
  target.hidden = false;
  for (let d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  target.classList.add("error");
  target.dataset.code = code;
}

export function clearError(target) {
  if (!target) return;
  target.replaceChildren();
  target.hidden = true;
  delete target.dataset.code;
}

/** Fill a <select> with options (keeping its value when still offered). */
export function fillSelect(sel, values, labels = {}) {
  const keep = sel.value;
  sel.replaceChildren(...values.map((v) => el("option", { value: v }, labels[v] ?? v)));
  if (values.includes(keep)) sel.value = keep;
}

/**
 * Number fields to a request object: `map` is { key: selector } inside `root`. Empty fields are
 * left out; bad text is passed as NaN so the package says why.
 */
export function readNumbers(root, map) {
  const out = {};
  for (const [key, sel] of Object.entries(map)) {
    const input = $(sel, root);
    const s = input.value.trim();
    if (s === "" && !input.validity.badInput) continue;
    out[key] = s === "" ? NaN : Number(s);
  }
  return out;
}

/** Offer `text` as a file download named `name` (an object URL, revoked after a while). */
export function download(text, name, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
