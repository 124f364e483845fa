// The buying-center map (cytoscape): contacts as nodes, reporting lines as edges (manager above),
// each required role that is not covered as an empty slot linked to its candidates, and the
// introduction path from an engaged contact to the best candidate highlighted.

import { date } from "./dom.js";

export function mapElements(readiness, center) {
  const engaged = new Set(center.engaged_contacts.map((c) => c.id));
  const covering = new Map(); // contact -> roles it covers
  const candidateOf = new Map(); // contact -> roles it is a candidate for
  const pathNodes = new Set();
  const pathEdges = [];
  for (const role of center.roles) {
    for (const c of role.contacts) covering.set(c.id, [...(covering.get(c.id) || []), role.role]);
    for (const c of role.candidates) candidateOf.set(c.id, [...(candidateOf.get(c.id) || []), role.role]);
    const best = role.status === "covered" ? null : role.candidates.find((c) => c.intro_path && c.intro_path.length);
    if (best) {
      best.intro_path.forEach((p, i) => {
        pathNodes.add(p.id);
        if (i) pathEdges.push([best.intro_path[i - 1].id, p.id]);
      });
    }
  }
  const onPath = (a, b) => pathEdges.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  const nodes = readiness.contacts.map((c) => {
    const roles = c.roles.filter((r) => r.counts).map((r) => `${r.role} (${r.source})`);
    const covers = covering.get(c.id) || [];
    // stored roles (sales, import) and the required ones it covers; inferred guesses stay in the table
    const shown = [...covers.map((r) => `✔ ${r}`), ...c.roles.filter((r) => r.source !== "inferred" && !covers.includes(r.role))
      .map((r) => `${r.role} (${r.source})`)];
    const label = [c.name || c.id, c.title || "", shown.join(", ")].filter(Boolean).join("\n");
    const classes = [engaged.has(c.id) ? "engaged" : "cold"];
    if (covering.has(c.id)) classes.push("covers");
    if (candidateOf.has(c.id)) classes.push("candidate");
    if (pathNodes.has(c.id)) classes.push("path");
    return { data: { id: c.id, label, roles: roles.join(", "), last: date(c.last_engaged_at) }, classes: classes.join(" ") };
  });
  const ids = new Set(nodes.map((n) => n.data.id));
  const edges = center.reporting_lines.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e) => ({
    // drawn manager -> report, so the breadth-first layout puts managers above their teams
    data: { id: `rep:${e.from}`, source: e.to, target: e.from },
    classes: onPath(e.from, e.to) ? "reports path" : "reports",
  }));
  // the tops of the org chart: contacts nobody in the account is shown as managing
  const roots = nodes.filter((n) => !edges.some((e) => e.data.target === n.data.id))
    .map((n) => `#${CSS.escape(n.data.id)}`).join(", ");
  for (const role of center.roles.filter((r) => r.status !== "covered")) {
    const slot = `slot:${role.role}`;
    nodes.push({ data: { id: slot, label: `${role.role}\n${role.status === "unengaged" ? "not engaged" : "empty"}` },
      classes: "slot" });
    for (const c of role.candidates.filter((x) => ids.has(x.id))) {
      edges.push({ data: { id: `${slot}->${c.id}`, source: slot, target: c.id }, classes: "cand" });
    }
  }
  return { nodes, edges, roots };
}

const STYLE = [
  { selector: "node", style: { shape: "round-rectangle", width: 170, height: 70, "background-color": "#e4e9ef",
    "border-width": 1, "border-color": "#8b96a3", label: "data(label)", "text-wrap": "wrap", "text-max-width": 162,
    "text-valign": "center", "font-size": 12, color: "#1b1f24" } },
  { selector: "node.engaged", style: { "background-color": "#dcf2e3", "border-color": "#146c2e" } },
  { selector: "node.covers", style: { "border-width": 3, "border-color": "#146c2e" } },
  { selector: "node.candidate", style: { "border-style": "dashed", "border-width": 2, "border-color": "#a4161a" } },
  { selector: "node.path", style: { "border-width": 4, "border-color": "#c2410c", "border-style": "solid" } },
  { selector: "node.slot", style: { "background-color": "#fbe1e1", "border-style": "dashed", "border-width": 2,
    "border-color": "#a4161a", color: "#a4161a", "font-weight": "bold", width: 120 } },
  { selector: "edge", style: { width: 1.5, "line-color": "#8b96a3", "curve-style": "bezier",
    "target-arrow-shape": "none" } },
  { selector: "edge.cand", style: { "line-style": "dashed", "line-color": "#e3a0a0" } },
  { selector: "edge.path", style: { width: 5, "line-color": "#c2410c" } },
  // the node the keyboard is on: the page's focus colour, drawn around the node
  { selector: "node:selected", style: { "overlay-color": "#f59e0b", "overlay-opacity": 0.35, "overlay-padding": 6 } },
];

// What a node says when the keyboard lands on it: the same facts the colours and borders show.
export function describe(node, index, total) {
  const d = node.data();
  const lines = String(d.label || d.id).split("\n");
  const facts = [];
  if (node.hasClass("slot")) {
    const who = node.connectedEdges(".cand").targets().map((c) => String(c.data("label")).split("\n")[0]);
    facts.push(`required role ${lines[0]}, ${lines[1]}`, who.length ? `candidates: ${who.join(", ")}` : "no candidates");
  } else {
    facts.push(lines.join(", "), node.hasClass("engaged") ? "engaged" : "not engaged");
    if (d.last) facts.push(`last engaged ${d.last}`);
    if (node.hasClass("candidate")) facts.push("candidate for a missing role");
    if (node.hasClass("path")) facts.push("on the introduction path");
  }
  return `${index + 1} of ${total}: ${facts.join("; ")}.`;
}

// The canvas cannot take focus by itself: the container does, and the arrow keys walk the nodes top
// to bottom, left to right (Home/End: first/last); Enter goes to the contact's row, or the role's entry.
function keyboard(container, cy, status) {
  const order = cy.nodes().sort((a, b) => a.position("y") - b.position("y") || a.position("x") - b.position("x"));
  let at = -1;
  const show = (i) => {
    at = (i + order.length) % order.length;
    const node = order[at];
    cy.nodes().unselect();
    node.select();
    const ext = cy.extent(), p = node.position();
    if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) cy.center(node);
    if (status) status.textContent = describe(node, at, order.length);
  };
  container.tabIndex = 0;
  container.addEventListener("keydown", (e) => {
    if (!order.length) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step) show(at < 0 && step < 0 ? -1 : at + step);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(order.length - 1);
    else if (e.key === "Enter" && at >= 0) {
      const id = order[at].id();
      const target = id.startsWith("slot:")
        ? document.querySelector(`#roles li[data-role="${CSS.escape(id.slice(5))}"]`)
        : document.querySelector(`#contacts tr[data-contact="${CSS.escape(id)}"]`);
      if (!target) return;
      target.scrollIntoView({ block: "center" });
      const focusable = target.querySelector("select, button, a");
      if (!focusable) target.tabIndex = -1; // a role's entry has no control: focus the entry itself
      (focusable || target).focus();
    } else return;
    e.preventDefault();
  });
}

export function drawMap(container, readiness, center, status = null) {
  const { nodes, edges, roots } = mapElements(readiness, center);
  if (typeof window.cytoscape !== "function") {
    container.textContent = "The map library did not load; the roles and contacts are listed beside it.";
    return null;
  }
  const cy = window.cytoscape({ container, elements: { nodes, edges }, style: STYLE, layout: { name: "preset" } });
  // The org chart alone decides the tree (a slot's candidate edges would pull candidates up a
  // level); the empty role slots then stand in a column to the right, their dashed edges reaching in.
  cy.elements().not(".slot, .cand").layout({ name: "breadthfirst", directed: true, roots, spacingFactor: 1.05,
    animate: false }).run();
  const box = cy.elements().not(".slot, .cand").boundingBox();
  cy.nodes(".slot").forEach((slot, i) => { slot.position({ x: box.x2 + 110, y: box.y1 + 31 + i * 90 }); });
  cy.fit(undefined, 12);
  keyboard(container, cy, status);
  window.graphsvcMap = cy; // for the end-to-end tests and for poking at in the browser console
  return cy;
}
