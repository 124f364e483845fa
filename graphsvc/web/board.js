// The ABM board: GET /v1/accounts with its filters, a table with stage chips, paged by cursor.

import { api } from "./api.js";
import { date, fmt, h, mount, stageChip, table } from "./dom.js";
import { go, ruleset } from "./app.js";

export const STAGES = ["target", "engaged", "mqa", "sql", "accepted", "opportunity", "won", "lost", "nurture", "disqualified"];
const SEGMENTS = ["enterprise", "mid_market", "smb"];
const INDUSTRIES = ["industrial_automation", "semiconductors", "microelectronics", "test_and_measurement", "software"];
const SORTS = { mqa_score: "MQA score", fit: "Fit", stage_since: "Days in stage", engagement: "Engagement", name: "Name" };
const FIELDS = ["q", "stage", "segment", "industry", "owner", "missing_role", "sort", "limit", "group_by"];

// Cursors of the pages before this one, per filter set, so "Previous" works without the API
// paging backwards.
const back = { filters: null, cursors: [] };

function select(name, label, options, value, any = "any") {
  return h("label", null, label, h("select", { name, id: `f-${name}` },
    any ? h("option", { value: "" }, any) : null,
    options.map((o) => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return h("option", { value: v, selected: v === value }, text);
    })));
}

function sla(item) {
  if (!item.sla) return "";
  const due = new Date(item.sla.due_at);
  if (item.sla.state === "breached") return h("span", { class: "chip missing", title: `due ${date(item.sla.due_at)}` }, "SLA breached");
  const hours = Math.max(0, (due - Date.now()) / 3.6e6);
  return h("span", { class: "chip warn", title: `due ${date(item.sla.due_at)}` }, `act within ${fmt(hours, 0)} h`);
}

// Issue 15, `group_by=parent`: the accounts below this one (indented by level) with their stages.
function subsidiaries(a) {
  if (a.parent_id) return h("div", { class: "muted" }, "part of ", h("a", { href: `#/account/${encodeURIComponent(a.parent_id)}` }, a.parent_id));
  return (a.subsidiaries || []).map((s) => h("div", null, "↳ ".repeat(s.level),
    h("a", { href: `#/account/${encodeURIComponent(s.id)}` }, s.name || s.id), " ", stageChip(s.stage)));
}

export async function renderBoard(_arg, params) {
  const rs = await ruleset();
  const get = (k) => params.get(k) || "";
  const filters = Object.fromEntries(FIELDS.map((k) => [k, get(k)]));
  filters.sort = filters.sort || "mqa_score";
  filters.limit = filters.limit || "50";
  const key = JSON.stringify(filters);
  if (back.filters !== key) Object.assign(back, { filters: key, cursors: [] });
  const cursor = get("cursor");

  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter the board", onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    go("board", null, data);
  } },
  h("label", null, "Search name or domain", h("input", { name: "q", id: "f-q", type: "search", value: filters.q, size: 22 })),
  select("stage", "Stage", STAGES, filters.stage),
  select("segment", "Segment", SEGMENTS, filters.segment),
  select("industry", "Industry", INDUSTRIES, filters.industry),
  h("label", null, "Owner", h("input", { name: "owner", id: "f-owner", value: filters.owner, size: 14 })),
  select("missing_role", "Missing role", rs ? rs.roles.vocabulary : [], filters.missing_role),
  select("sort", "Sort by", Object.entries(SORTS), filters.sort, null),
  select("limit", "Per page", ["25", "50", "100", "250", "500"], filters.limit, null),
  select("group_by", "Hierarchy", [["parent", "with subsidiaries"]], filters.group_by, "flat"),
  h("button", { class: "primary", type: "submit" }, "Apply"),
  h("button", { type: "button", onclick: () => go("board") }, "Clear"));
  for (const el of form.querySelectorAll("select")) el.addEventListener("change", () => form.requestSubmit());

  const status = h("p", { class: "muted", role: "status", id: "board-status" }, "Loading accounts…");
  mount(h("h1", null, "ABM board"), form, status);

  const page = await api("/v1/accounts", { params: { ...filters, cursor } });
  const grouped = filters.group_by === "parent";
  const rows = page.items.map((a) => h("tr", { "data-account": a.id },
    h("td", null, h("a", { href: `#/account/${encodeURIComponent(a.id)}` }, a.name || a.id),
      h("div", { class: "muted" }, a.domain || "")),
    h("td", null, stageChip(a.stage)),
    h("td", null, a.segment || "—"), h("td", null, a.industry || "—"), h("td", null, a.owner || "—"),
    h("td", { class: "num" }, fmt(a.fit, 0)), h("td", { class: "num" }, fmt(a.mqa_score)),
    h("td", { class: "num" }, fmt(a.days_in_stage)),
    h("td", null, (a.missing_roles || []).map((r) => h("span", { class: "chip missing" }, r))),
    h("td", null, sla(a)),
    grouped ? h("td", { class: "subsidiaries" }, subsidiaries(a)) : null));
  const grid = table(["Account", "Stage", "Segment", "Industry", "Owner", { label: "Fit", num: true },
    { label: "MQA score", num: true }, { label: "Days in stage", num: true }, "Missing roles", "SLA",
    ...(grouped ? ["Subsidiaries"] : [])], rows,
  { id: "board", "aria-describedby": "board-status" });
  const pageNo = back.cursors.length + 1;
  status.textContent = page.items.length
    ? `Page ${pageNo}: ${page.items.length} accounts${page.next_cursor ? ", more on the next page" : ""}.`
    : "No accounts match these filters.";
  const pager = h("div", { class: "pager" },
    h("button", { type: "button", disabled: !cursor, onclick: () => {
      const prev = back.cursors.pop();
      go("board", null, { ...filters, cursor: prev || "" });
    } }, "Previous"),
    h("span", { class: "muted" }, `Page ${pageNo}`),
    h("button", { type: "button", id: "next-page", disabled: !page.next_cursor, onclick: () => {
      back.cursors.push(cursor);
      go("board", null, { ...filters, cursor: page.next_cursor });
    } }, "Next"));
  document.getElementById("main").append(grid, pager);
}
