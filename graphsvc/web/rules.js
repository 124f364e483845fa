// The rules screen (admin): the active ruleset as TOML; a new one is validated, applied to every
// account and activated by PUT /v1/rules, or refused with every error and its path.

import { ApiError, api, explain } from "./api.js";
import { fmt, h, mount } from "./dom.js";

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
  mount(h("h1", null, "Rules"), h("p", null, `Active version ${current.version}`,
    current.default ? " (the default ruleset)" : "", ". Saving applies the new ruleset to every account."),
  text, h("p", null, save), result);
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
