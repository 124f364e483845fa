// The rules screen (admin): the active ruleset as TOML; a new one is previewed (POST
// /v1/rules/simulate: what would move, nothing written) or validated, applied to every account and
// activated by PUT /v1/rules, or refused with every error and its path.

import { ApiError, api, explain } from "./api.js";
import { fmt, h, mount, stageChip, table } from "./dom.js";

const MOVES_SHOWN = 50;

export async function renderRules() {
  const current = await api("/v1/rules");
  const text = h("textarea", { class: "toml", id: "rules-toml", spellcheck: "false", "aria-label": "Ruleset (TOML)" });
  text.value = current.toml;
  const result = h("div", { id: "result", role: "status", "aria-live": "polite" });
  const save = h("button", { class: "primary", type: "button", onclick: async () => {
    save.disabled = true;
    result.className = "";
    result.textContent = "Validating and applying to every account…";
    try {
      let out = await api("/v1/rules", { method: "PUT", text: text.value });
      if (out.status === "running") out = await follow(out, result);  // 202: still being applied
      result.className = "ok";
      result.textContent = `Activated version ${out.version}: ${fmt(out.accounts, 0)} accounts requalified, ${fmt(out.changed, 0)} changed stage.`;
    } catch (err) {
      result.className = "error";
      result.textContent = explain(err);
    } finally {
      save.disabled = false;
    }
  } }, "Validate, apply and activate");
  const preview = h("div", { id: "preview" });
  const simulate = h("button", { type: "button", id: "simulate", onclick: async () => {
    simulate.disabled = true;
    preview.replaceChildren();
    result.className = "";
    result.textContent = "Simulating every account under this ruleset (nothing is written)…";
    try {
      let out = await api("/v1/rules/simulate", { method: "POST", text: text.value, params: { max_moves: MOVES_SHOWN } });
      if (out.status === "running") out = await followRun(out, result);  // 202: a large graph
      result.className = "ok";
      result.textContent = `Preview of version ${out.candidate_version} against the active ${out.current_version}: ${fmt(out.accounts, 0)} accounts, ${fmt(out.moves_total, 0)} would change stage (${fmt(out.moves_because_of_candidate, 0)} because of the new rules). Nothing was written.`;
      preview.replaceChildren(...previewOf(out));
      result.scrollIntoView({ block: "start" });  // the answer is below the ruleset's long text
    } catch (err) {
      result.className = "error";
      result.textContent = explain(err);
    } finally {
      simulate.disabled = false;
    }
  } }, "Preview: what would change");
  mount(h("h1", null, "Rules"), h("p", null, `Active version ${current.version}`,
    current.default ? " (the default ruleset)" : "", ". Preview shows which accounts a new ruleset would move; saving applies it to every account."),
  text, h("p", null, simulate, " ", save), result, preview);
}

// A simulation's answer: accounts per stage now and under the candidate, then the moving accounts
// with the checks that decide each move.
function previewOf(out) {
  const stages = Object.entries(out.stages).map(([stage, n]) => h("tr", null,
    h("td", null, stageChip(stage)), h("td", { class: "num" }, fmt(n.now, 0)), h("td", { class: "num" }, fmt(n.candidate, 0)),
    h("td", { class: "num" }, n.change > 0 ? `+${fmt(n.change, 0)}` : fmt(n.change, 0))));
  const moves = out.moves.map((m) => h("tr", { "data-account": m.account_id },
    h("td", null, h("a", { href: `#/account/${encodeURIComponent(m.account_id)}` }, m.name || m.account_id)),
    h("td", null, stageChip(m.from), " → ", stageChip(m.to)),
    h("td", null, m.because_of_candidate ? "the new rules" : "time (the active rules would move it too)"),
    h("td", null, m.deciding.length ? m.deciding.map((c) => c.detail).join("; ") : m.reason)));
  return [
    h("h2", null, "Accounts per stage"),
    table(["Stage", { label: "Now", num: true }, { label: "New rules", num: true }, { label: "Change", num: true }], stages, { id: "preview-stages" }),
    h("h2", null, `Accounts that would move${out.moves_truncated ? ` (the first ${fmt(out.moves.length, 0)} of ${fmt(out.moves_total, 0)})` : ""}`),
    out.moves.length
      ? table(["Account", "Move", "Because of", "Deciding checks"], moves, { id: "preview-moves" })
      : h("p", { class: "muted" }, "None."),
  ];
}

// A simulation answered 202: its progress, once a second, until its answer (or its error, thrown).
async function followRun(run, result) {
  for (;;) {
    result.textContent = `Simulating: ${fmt(run.done, 0)} of ${fmt(run.total, 0)} accounts so far, ${fmt(run.moves || 0, 0)} would move…`;
    if (run.status === "done") return run.result;
    if (run.status === "failed" || run.status === "interrupted") throw new ApiError(run.error.status || 0, run.error);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run = await api(`/v1/rules/simulations/${run.id}`);
  }
}

// An activation answered 202 (a large graph takes longer than a request may): its progress, once a
// second, until it ends with the answer PUT would have given, or its error (thrown like PUT's).
async function follow(activation, result) {
  for (;;) {
    result.textContent = activation.phase === "engagement"
      ? `Applying version ${activation.version}: its half-life is new, so every contact's engagement is rebuilt first (${fmt(activation.contacts_done, 0)} contacts so far)…`
      : `Applying version ${activation.version}: ${fmt(activation.accounts_done, 0)} accounts requalified so far…`;
    if (activation.status === "done") return activation.result;
    if (activation.status === "failed" || activation.status === "interrupted") {
      throw new ApiError(activation.error.status || 0, activation.error);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    activation = await api(`/v1/rules/activations/${activation.id}`);
  }
}
