// An account: readiness (every check), next action, buying-center map, contacts and their roles,
// actions (transitions, role confirmation), stage history, and as_of replay.

import { api, explain } from "./api.js";
import { date, fmt, h, mount, stageChip, table } from "./dom.js";
import { go, ruleset, session } from "./app.js";
import { drawMap } from "./map.js";

const ACTIONS = [
  ["accept", "Accept"], ["reject", "Reject"], ["recycle", "Recycle (nurture)"], ["disqualify", "Disqualify"],
  ["open_opportunity", "Open opportunity"], ["won", "Won"], ["lost", "Lost"],
];
const ACTOR = "graphsvc.actor";
let lastResult = null; // what the last action answered, shown again after the page re-renders

function actor() {
  return sessionStorage.getItem(ACTOR) || (session.key && session.key.label) || "web user";
}

// A bar for a check whose value and bar are numbers compared "at least": how far the value goes.
function checkBar(c) {
  if (typeof c.value !== "number" || typeof c.threshold !== "number" || c.threshold <= 0) return "";
  if (c.passed !== (c.value >= c.threshold)) return ""; // "at most" checks (days since intent): no bar
  const pct = Math.max(0, Math.min(100, (100 * c.value) / c.threshold));
  return h("span", { class: `bar${c.passed ? "" : " failing"}`, role: "img",
    "aria-label": `${fmt(pct, 0)}% of the bar` }, h("span", { style: `width:${pct}%` }));
}

function value(v) {
  if (Array.isArray(v)) return v.length ? v.join(", ") : "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  return fmt(v, 2);
}

function checks(title, block, id) {
  return h("section", { class: "panel", "aria-labelledby": `${id}-h` },
    h("h2", { id: `${id}-h` }, `${title} `, h("span", { class: block.passed ? "pass" : "fail" },
      block.passed ? "passed" : "not passed")),
    table(["Check", "Value", "Bar", "", "Result"], block.checks.map((c) => h("tr", { "data-check": c.name },
      h("td", null, h("b", null, c.name), h("div", { class: "muted" }, c.detail || "")),
      h("td", null, value(c.value)), h("td", null, value(c.threshold)), h("td", null, checkBar(c)),
      h("td", { class: c.passed ? "pass" : "fail", "data-passed": String(c.passed) }, c.passed ? "✔ pass" : "✘ fail"))),
    { id }));
}

async function act(accountId, action, reason) {
  try {
    const out = await api(`/v1/accounts/${encodeURIComponent(accountId)}/transitions`,
      { method: "POST", json: { action, reason: reason || null, actor: actor() } });
    lastResult = { ok: true, text: `${action}: ${out.from} → ${out.to}. The account is now ${out.to}.` };
  } catch (err) {
    lastResult = { ok: false, text: explain(err) };
  }
}

async function changeRole(contactId, kind, role) {
  try {
    const out = await api(`/v1/contacts/${encodeURIComponent(contactId)}/roles`,
      { method: "PUT", json: { [kind]: [{ role }], actor: actor() } });
    const moved = (out.stage_changes || []).map((c) => `${c.from} → ${c.to}`).join(", ");
    lastResult = { ok: true, text: `${kind === "confirm" ? "Confirmed" : "Removed"} ${role} for ${contactId}.` +
      (moved ? ` Stage changed: ${moved}.` : " The stage did not change.") };
  } catch (err) {
    lastResult = { ok: false, text: explain(err) };
  }
}

function actionsPanel(account, rs, rerender) {
  const reasons = rs ? rs.transitions.reject_reasons : [];
  const reason = h("select", { id: "reject-reason", "aria-label": "Reason to reject" },
    h("option", { value: "" }, "reason…"), reasons.map((r) => h("option", { value: r }, r.replaceAll("_", " "))));
  const note = h("input", { id: "action-reason", size: 18, placeholder: "reason (recycle, disqualify)",
    "aria-label": "Reason for recycle or disqualify" });
  const who = h("input", { id: "actor", value: actor(), size: 14, "aria-label": "Your name",
    onchange: (e) => sessionStorage.setItem(ACTOR, e.target.value) });
  const result = h("div", { id: "result", role: "status", "aria-live": "polite",
    class: lastResult ? (lastResult.ok ? "ok" : "error") : null }, lastResult ? lastResult.text : "");
  lastResult = null;
  const buttons = ACTIONS.map(([action, label]) => h("button", { type: "button", "data-action": action, onclick: async () => {
    const why = action === "reject" ? reason.value : (["recycle", "disqualify", "lost"].includes(action) ? note.value : "");
    await act(account.id, action, why);
    await rerender();
  } }, label));
  return h("section", { class: "panel", "aria-labelledby": "actions-h" }, h("h2", { id: "actions-h" }, "Actions"),
    h("div", { class: "actions" }, h("label", null, "You", who), h("label", null, "Reject reason", reason),
      h("label", null, "Other reason", note), buttons), result);
}

function rolesPanel(center, rs, rerender) {
  const items = center.roles.map((role) => h("li", { "data-role": role.role },
    h("b", null, role.role), " ",
    h("span", { class: `chip ${role.status === "covered" ? "ok" : "missing"}` }, role.status === "covered" ? "covered" :
      (role.status === "unengaged" ? "known, not engaged" : "empty")),
    role.contacts.length ? h("div", null, "by ", role.contacts.map((c) =>
      `${c.name || c.id} (${c.source}, last engaged ${date(c.last_engaged_at)})`).join("; ")) : null,
    role.candidates.length ? h("ul", null, role.candidates.map((c, i) => h("li", { "data-candidate": c.id },
      `${c.name || c.id}, ${c.title || "—"} (${c.source} ${fmt(c.confidence, 2)}; ${c.engaged ? "engaged" : "not engaged"}) `,
      h("button", { type: "button", "data-confirm": `${c.id}:${role.role}`, onclick: async () => {
        await changeRole(c.id, "confirm", role.role);
        await rerender();
      } }, `Confirm as ${role.role}`),
      c.intro_path && c.intro_path.length ? h("div", { class: i === 0 ? "path-text" : "muted" },
        "introduction: ", c.intro_path.map((p) => p.name || p.id).join(" → ")) : null))) : null));
  return h("section", { "aria-labelledby": "roles-h" }, h("h2", { id: "roles-h" }, "Required roles"),
    h("ul", { id: "roles" }, items),
    rs ? null : h("p", { class: "muted" }, "The ruleset could not be read: role names come from the answers only."));
}

function contactsTable(readiness, center, rs, rerender) {
  const vocab = rs ? rs.roles.vocabulary : [];
  const engaged = new Set(center.engaged_contacts.map((c) => c.id));
  return table(["Contact", "Engagement", "Last engaged", "Buying roles", "Confirm a role"],
    readiness.contacts.map((c) => {
      const pick = h("select", { "aria-label": `Role to confirm for ${c.name || c.id}` }, vocab.map((r) => h("option", { value: r }, r)));
      return h("tr", { "data-contact": c.id },
        h("td", null, h("b", null, c.name || c.id), h("div", { class: "muted" }, c.title || "")),
        h("td", { class: "num" }, fmt(c.engagement), engaged.has(c.id) ? h("div", { class: "chip ok" }, "engaged") : null),
        h("td", null, date(c.last_engaged_at)),
        h("td", null, c.roles.map((r) => h("span", { class: `chip${r.counts ? " ok" : ""}`,
          title: r.counts ? "counts towards coverage" : "does not count (source or confidence)" },
        `${r.role} · ${r.source} ${fmt(r.confidence, 2)}`,
        r.source === "inferred" ? null : h("button", { type: "button", "aria-label": `Remove ${r.role} from ${c.name || c.id}`,
          "data-remove": `${c.id}:${r.role}`, onclick: async () => { await changeRole(c.id, "remove", r.role); await rerender(); } },
        "×")))),
        h("td", null, vocab.length ? [pick, " ", h("button", { type: "button", onclick: async () => {
          await changeRole(c.id, "confirm", pick.value);
          await rerender();
        } }, "Confirm")] : "—"));
    }), { id: "contacts" });
}

// Issue 15: every buying group's SQL gate (only when the account has more than the default group),
// and the other accounts' contacts of the hierarchy that took part (only when there are some).
function groupsPanel(readiness) {
  if (!readiness.groups) return null;
  return h("section", { class: "panel", "aria-labelledby": "groups-h", id: "groups" },
    h("h2", { id: "groups-h" }, "Buying groups", readiness.qualified_group ? ` — SQL through ${readiness.qualified_group}` : ""),
    table(["Group", "Kind", "Required", "Missing", "Failing", "SQL gate"], readiness.groups.map((g) => h("tr", { "data-group": g.name },
      h("td", null, h("b", null, g.name), g.name === readiness.group ? h("div", { class: "muted" }, "shown above") : null),
      h("td", null, g.kind || "—"), h("td", null, g.required.join(", ")),
      h("td", null, g.missing.map((r) => h("span", { class: "chip missing" }, r))),
      h("td", null, g.sql.checks.filter((c) => !c.passed).map((c) => c.name).join(", ")),
      h("td", { class: g.passed ? "pass" : "fail" }, g.passed ? "✔ pass" : "✘ fail")))));
}

function hierarchyPanel(readiness) {
  if (!readiness.hierarchy) return null;
  return h("section", { class: "panel", "aria-labelledby": "hier-h", id: "hierarchy" },
    h("h2", { id: "hier-h" }, "From the account hierarchy"),
    table(["Contact", "Sits at", "How", { label: "Engagement", num: true }], readiness.hierarchy.map((c) => h("tr", null,
      h("td", null, c.name || c.contact_id), h("td", null, h("a", { href: `#/account/${encodeURIComponent(c.account_id)}` },
        c.account_name || c.account_id), ` (${c.relation})`),
      h("td", null, c.counted ? "engagement counts here" : `covers ${c.covers.join(", ")}`),
      h("td", { class: "num" }, fmt(c.engagement))))));
}

export async function renderAccount(accountId, params) {
  const asOfDay = params.get("as_of") || "";
  let asOf = null;
  if (asOfDay) {
    const end = new Date(`${asOfDay}T23:59:59Z`);
    if (end < new Date()) asOf = end.toISOString(); // today or later: now (the API refuses the future)
  }
  const path = `/v1/accounts/${encodeURIComponent(accountId)}`;
  const [rs, account, readiness, center, history] = await Promise.all([
    ruleset(), api(path), api(`${path}/readiness`, { params: { as_of: asOf } }),
    api(`${path}/buying-center`, { params: { as_of: asOf } }), api(`${path}/history`)]);
  const rerender = () => renderAccount(accountId, params);
  const asOfTime = asOf ? new Date(asOf) : new Date();
  // the history mixes stage changes and owner changes (issue 12): the stage's "since" is the last stage change
  const shownHistory = history.filter((c) => c.type !== "owner_changed" && new Date(c.at) <= asOfTime);
  const since = shownHistory.length ? shownHistory[shownHistory.length - 1].at : account.stage_since;

  const picker = h("input", { type: "date", id: "as-of", value: asOfDay, max: new Date().toISOString().slice(0, 10),
    "aria-label": "Show the account as it was on", onchange: (e) => go("account", accountId, { as_of: e.target.value }) });
  const header = h("header", null,
    h("p", null, h("a", { href: "#/board" }, "← Board")),
    h("h1", null, account.name || account.id, " ", stageChip(readiness.stage)),
    h("p", { class: "muted" }, [account.domain, account.segment, account.industry, account.country,
      account.employees ? `${fmt(account.employees, 0)} employees` : null, account.owner ? `owner ${account.owner}` : null]
      .filter(Boolean).join(" · ")),
    h("p", { id: "stage-line" }, `Stage `, h("b", { id: "stage" }, readiness.stage), ` since ${date(since)}`,
      asOf ? ` — as of ${date(asOf)} (stored stage now: ${readiness.stored_stage})` : ""),
    h("div", { class: "actions" }, h("label", null, "As of (replay)", picker),
      asOfDay ? h("button", { type: "button", onclick: () => go("account", accountId) }, "Back to now") : null));
  const scores = h("div", { class: "tiles" },
    [["Fit", readiness.scores.fit], ["Engagement", readiness.scores.engagement], ["MQA score", readiness.scores.mqa_score]]
      .map(([k, v]) => h("div", { class: "tile", "data-score": k }, k, h("b", null, fmt(v)))));
  const next = h("section", { class: "panel next", "aria-labelledby": "next-h", id: "next-action" },
    h("h2", { id: "next-h" }, "Next action: ", readiness.next_action.action.replaceAll("_", " ")),
    h("p", null, readiness.next_action.why),
    readiness.next_action.due_at ? h("p", { class: "muted" }, `due ${date(readiness.next_action.due_at)}`) : null,
    h("p", { class: "muted" }, readiness.reason));
  const mapStatus = h("p", { id: "map-status", class: "muted", role: "status", "aria-live": "polite" },
    "Keyboard: focus the map, walk its nodes with the arrow keys, Enter goes to the contact or the role.");
  const mapBox = h("div", { id: "map", role: "application", "aria-roledescription": "buying-center map",
    "aria-describedby": "map-status",
    "aria-label": "Buying-center map: contacts, reporting lines, empty role slots and the introduction path" });
  const top = h("div", { class: "grid" },
    h("section", null, h("h2", null, "Top contacts"), table(["Contact", { label: "Engagement", num: true },
      { label: "Counts", num: true }], readiness.top_contacts.map((c) => h("tr", null,
      h("td", null, c.name || c.contact_id, h("div", { class: "muted" }, c.title || "")),
      h("td", { class: "num" }, fmt(c.engagement)), h("td", { class: "num" }, fmt(c.contribution)))))),
    h("section", null, h("h2", null, "Top activities"), table(["Activity", "Contact", "Last", { label: "Points", num: true }],
      readiness.top_activities.map((a) => h("tr", null, h("td", null, `${a.type} ×${a.count}`), h("td", null, a.contact_id),
        h("td", null, date(a.at)), h("td", { class: "num" }, fmt(a.points)))))));
  const entry = (c) => c.type === "owner_changed"
    ? h("li", { "data-type": "owner_changed" }, h("b", null, date(c.at)), ` owner ${c.from_owner || "none"} → `,
      h("b", null, c.to_owner || "none"), c.source === "routing" ? ` by routing rule ${c.rule}${c.team ? ` (team ${c.team}, ${c.strategy})` : ""}`
        : ` by ${c.actor}`, c.reason ? h("div", { class: "muted" }, c.reason) : null)
    : h("li", { "data-type": "stage_changed" }, h("b", null, date(c.at)), " ", stageChip(c.from), " → ", stageChip(c.to),
      ` by ${c.actor}`, c.group && c.group !== "default" ? ` (buying group ${c.group})` : "",
      c.reason ? h("div", { class: "muted" }, c.reason) : null);
  const timeline = h("section", { "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, "Stage and owner history"),
    history.length ? h("ol", { class: "timeline", id: "history" }, history.slice().reverse().map(entry))
      : h("p", { class: "muted" }, "No stage changes yet."));

  mount(header, scores, next,
    asOf ? h("p", { class: "muted" }, "Actions act on the account now, not as of the replayed date.") : null,
    actionsPanel(account, rs, rerender),
    checks("MQA", readiness.mqa, "mqa-checks"), checks("SQL", readiness.sql, "sql-checks"),
    groupsPanel(readiness), hierarchyPanel(readiness),
    h("h2", null, "Buying center"),
    mapBox, mapStatus, h("div", { class: "legend" },
      h("span", null, "green: engaged"), h("span", null, "grey: not engaged"), h("span", null, "thick green border: covers a role"),
      h("span", null, "dashed red: empty role slot and its candidates"), h("span", { class: "path-text" }, "orange: introduction path")),
    rolesPanel(center, rs, rerender),
    h("h2", null, "Contacts"), contactsTable(readiness, center, rs, rerender),
    top, timeline);
  drawMap(mapBox, readiness, center, mapStatus);
}
