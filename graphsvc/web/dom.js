// A tiny DOM builder: every value goes in as text (never as HTML), so data from the API cannot
// inject markup into the page.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function mount(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.filter(Boolean));
  return main;
}

export function fmt(n, digits = 1) {
  if (n === null || n === undefined || n === "") return "—";
  if (typeof n !== "number") return String(n);
  return n.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function date(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function stageChip(stage) {
  return h("span", { class: `chip stage-${stage || "none"}`, "data-stage": stage || "" }, stage || "—");
}

export function table(headers, rows, attrs = {}) {
  return h("div", { class: "scroll" }, h("table", attrs,
    h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col", class: x.num ? "num" : null }, x.label || x)))),
    h("tbody", null, rows)));
}

export function setBanner(text, kind = "error") {
  const b = document.getElementById("banner");
  if (!text) { b.hidden = true; b.textContent = ""; return; }
  b.className = kind === "info" ? "info" : "";
  b.textContent = text;
  b.hidden = false;
}
