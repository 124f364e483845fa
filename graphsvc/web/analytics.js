// Analysts and managers: the funnel and stage velocity as charts (chart.js), SLA breaches, stuck MQAs.

import { api } from "./api.js";
import { date, fmt, h, mount, stageChip, table } from "./dom.js";
import { go } from "./app.js";

const charts = [];
const COLORS = ["#0b5cad", "#c2410c", "#146c2e", "#6d28d9", "#a4161a", "#0e7490", "#7a4a00"];

function chart(canvas, config) {
  if (typeof window.Chart !== "function") {
    canvas.replaceWith(h("p", { class: "muted" }, "The chart library did not load; the numbers are in the tables."));
    return;
  }
  charts.push(new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false,
    animation: false, ...config.options } }));
}

function isoDay(d) { return d ? `${d}T00:00:00Z` : null; }

export async function renderAnalytics(_arg, params) {
  while (charts.length) charts.pop().destroy();
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const by = params.get("by") || "none";
  const minDays = params.get("min_days") || "30";
  const form = h("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    go("analytics", null, Object.fromEntries(new FormData(form).entries()));
  } },
  h("label", null, "From", h("input", { type: "date", name: "from", id: "a-from", value: from })),
  h("label", null, "To", h("input", { type: "date", name: "to", id: "a-to", value: to })),
  h("label", null, "Funnel by", h("select", { name: "by", id: "a-by" },
    ["none", "segment", "industry", "source"].map((b) => h("option", { value: b, selected: b === by }, b)))),
  h("label", null, "Stuck after (days in MQA)", h("input", { type: "number", min: 0, name: "min_days", id: "a-min-days",
    value: minDays, size: 5 })),
  h("button", { class: "primary", type: "submit" }, "Show"));
  mount(h("h1", null, "Analytics"), form, h("p", { class: "muted", role: "status" }, "Loading reports…"));

  const period = { from: isoDay(from), to: isoDay(to) };
  const [funnel, velocity, sla, stuck] = await Promise.all([
    api("/v1/reports/funnel", { params: { ...period, by } }),
    api("/v1/queries/stage_velocity", { method: "POST", json: { params: { ...period, include_open: true } } }),
    api("/v1/reports/sla", { params: period }),
    api("/v1/queries/stuck_mqas", { method: "POST", json: { params: { min_days: Number(minDays) || 0 } } }),
  ]);

  const stages = funnel.groups.length ? funnel.groups[0].stages_now.map((s) => s.stage) : [];
  const funnelCanvas = h("canvas", { id: "funnel-chart", role: "img", "aria-label": "Accounts per stage now" });
  const convCanvas = h("canvas", { id: "conversion-chart", role: "img", "aria-label": "Stage-to-stage conversion rate" });
  const velCanvas = h("canvas", { id: "velocity-chart", role: "img", "aria-label": "Days in each stage" });
  const conv = funnel.groups.flatMap((g) => g.conversion.map((c) => h("tr", null, h("td", null, g.group),
    h("td", null, stageChip(c.stage)), h("td", { class: "num" }, fmt(c.reached, 0)),
    h("td", null, c.next_stage ? stageChip(c.next_stage) : "—"), h("td", { class: "num" }, fmt(c.advanced, 0)),
    h("td", { class: "num" }, c.rate === null ? "—" : `${fmt(100 * c.rate, 1)}%`))));
  const velRows = velocity.rows.map((r) => h("tr", null, h("td", null, stageChip(r.stage)), h("td", { class: "num" }, fmt(r.stays, 0)),
    h("td", { class: "num" }, fmt(r.open, 0)), h("td", { class: "num" }, fmt(r.median_days)), h("td", { class: "num" }, fmt(r.p90_days)),
    h("td", { class: "num" }, fmt(r.mean_days))));
  mount(h("h1", null, "Analytics"), form,
    h("p", { class: "muted", id: "period" }, `Period ${date(funnel.from)} to ${date(funnel.to)}.`),
    h("div", { class: "charts" },
      h("section", { id: "funnel" }, h("h2", null, "Funnel: accounts per stage now"), h("div", { class: "chart-box" }, funnelCanvas)),
      h("section", null, h("h2", null, "Conversion in the period"), h("div", { class: "chart-box" }, convCanvas)),
      h("section", null, h("h2", null, "Stage velocity (days in stage)"), h("div", { class: "chart-box" }, velCanvas))),
    h("h2", null, "Conversion"), table(["Group", "Stage", { label: "Reached", num: true }, "Next stage",
      { label: "Advanced", num: true }, { label: "Rate", num: true }], conv, { id: "conversion" }),
    h("h2", null, "Stage velocity"), velRows.length ? table(["Stage", { label: "Stays", num: true }, { label: "Open", num: true },
      { label: "Median days", num: true }, { label: "p90 days", num: true }, { label: "Mean days", num: true }], velRows)
      : h("p", { class: "muted" }, "No stage changes in the period."),
    h("h2", null, "SLA"), table(["Stage", { label: "SLA hours", num: true }, { label: "Entered", num: true },
      { label: "Acted within SLA", num: true }, { label: "Open", num: true }, { label: "Breached", num: true },
      { label: "Median hours to act", num: true }], sla.stages.map((s) => h("tr", null, h("td", null, stageChip(s.stage)),
      h("td", { class: "num" }, fmt(s.sla_hours)), h("td", { class: "num" }, fmt(s.entered, 0)),
      h("td", { class: "num" }, fmt(s.acted_within_sla, 0)), h("td", { class: "num" }, fmt(s.open, 0)),
      h("td", { class: "num" }, fmt(s.breached, 0)), h("td", { class: "num" }, fmt(s.median_hours_to_act))))),
    h("h3", null, "SLA breaches"), sla.breaches.length ? h("ul", { id: "breaches" }, sla.breaches.map((b) => h("li", null,
      h("a", { href: `#/account/${encodeURIComponent(b.account_id || b.id)}` }, b.name || b.account_id || b.id), " ",
      Object.entries(b).filter(([k]) => !["account_id", "id", "name"].includes(k))
        .map(([k, v]) => `${k.replaceAll("_", " ")}: ${typeof v === "number" ? fmt(v) : v}`).join(" · "))))
      : h("p", { class: "muted", id: "breaches" }, "No SLA breaches in the period."),
    h("h2", null, `Stuck MQAs (in MQA for more than ${minDays} days, with their missing roles)`),
    stuck.rows.length ? table(["Account", "Owner", { label: "Days in MQA", num: true }, { label: "MQA score", num: true },
      "Missing roles"], stuck.rows.map((r) => h("tr", null,
      h("td", null, h("a", { href: `#/account/${encodeURIComponent(r.id)}` }, r.name || r.id)), h("td", null, r.owner || "—"),
      h("td", { class: "num" }, fmt(r.days_in_mqa)), h("td", { class: "num" }, fmt(r.mqa_score)),
      h("td", null, r.missing_roles.length ? r.missing_roles.map((m) => h("span", { class: "chip missing" }, m))
        : h("span", { class: "muted" }, "none: needs intent")))), { id: "stuck" })
      : h("p", { class: "muted", id: "stuck" }, "No stuck MQAs."));

  chart(funnelCanvas, { type: "bar", data: { labels: stages, datasets: funnel.groups.map((g, i) => ({
    label: g.group, data: g.stages_now.map((s) => s.accounts), backgroundColor: COLORS[i % COLORS.length] })) },
  options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
  const convStages = funnel.groups.length ? funnel.groups[0].conversion.filter((c) => c.next_stage) : [];
  chart(convCanvas, { type: "bar", data: { labels: convStages.map((c) => `${c.stage} → ${c.next_stage}`),
    datasets: funnel.groups.map((g, i) => ({ label: g.group, backgroundColor: COLORS[i % COLORS.length],
      data: g.conversion.filter((c) => c.next_stage).map((c) => (c.rate === null ? null : 100 * c.rate)) })) },
  options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "% advanced" } } } } });
  chart(velCanvas, { type: "bar", data: { labels: velocity.rows.map((r) => r.stage), datasets: [
    { label: "median days", data: velocity.rows.map((r) => r.median_days), backgroundColor: COLORS[0] },
    { label: "p90 days", data: velocity.rows.map((r) => r.p90_days), backgroundColor: COLORS[1] }] },
  options: { scales: { y: { beginAtZero: true } } } });
}
