// The graphsvc web app: a hash router over four screens, each allowed to some key roles.
// It knows the caller's roles from GET /v1/me and offers only the screens those roles may use;
// the API checks every call anyway, and a 401/403 is shown as a sentence, never a blank page.

import { ApiError, api, clearKey, explain, getKey, setKey } from "./api.js";
import { h, mount, setBanner } from "./dom.js";
import { renderBoard } from "./board.js";
import { renderAccount } from "./account.js";
import { renderAnalytics } from "./analytics.js";
import { renderRules } from "./rules.js";

// screen -> [title, roles that may open it, render]; admin may open every screen.
const SCREENS = {
  board: ["Board", ["sales"], renderBoard],
  account: ["Account", ["sales"], renderAccount],
  analytics: ["Analytics", ["analyst"], renderAnalytics],
  rules: ["Rules", ["admin"], renderRules],
};
const NAV = ["board", "analytics", "rules"];

export const session = { mode: null, roles: [], key: null, ruleset: null };

export function may(screen) {
  const allowed = SCREENS[screen][1];
  return session.roles.includes("admin") || allowed.some((r) => session.roles.includes(r));
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, qs] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { screen: parts[0] || "", arg: parts[1] || null, params: new URLSearchParams(qs || "") };
}

export function go(screen, arg, params) {
  const qs = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString() : "";
  location.hash = `#/${screen}${arg ? "/" + encodeURIComponent(arg) : ""}${qs ? "?" + qs : ""}`;
}

function renderNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren(...NAV.filter(may).map((s) =>
    h("a", { href: `#/${s}`, "aria-current": s === current || (s === "board" && current === "account") ? "page" : null },
      SCREENS[s][0])));
  const who = document.getElementById("who");
  if (session.mode === "keys") {
    const label = session.key && session.key.label ? `${session.key.label} · ` : "";
    who.replaceChildren(h("span", { id: "key-roles" }, `${label}roles: ${session.roles.join(", ")}`),
      h("button", { type: "button", onclick: () => { clearKey(); location.reload(); } }, "Sign out"));
  } else if (session.mode === "open") {
    who.replaceChildren(h("span", { title: "No API keys are configured: loopback clients may do everything" },
      "open mode (no API keys)"));
  } else {
    who.replaceChildren();
  }
}

function renderLogin(message) {
  renderNav(null);
  const input = h("input", { id: "api-key", name: "key", type: "password", autocomplete: "off", required: true,
    placeholder: "gsk_…", "aria-describedby": "login-help" });
  const form = h("form", { class: "login panel", onsubmit: async (e) => {
    e.preventDefault();
    setKey(input.value);
    await start();
  } },
  h("h1", null, "API key"),
  h("p", { id: "login-help" }, "This service uses API keys. Paste yours; it is kept for this browser tab only ",
    "(sessionStorage) and sent with every request. An admin makes keys with ",
    h("code", null, "graphsvc keys create --role sales"), "."),
  message ? h("p", { class: "fail", role: "alert", id: "login-error" }, message) : null,
  h("label", { for: "api-key" }, "Key", input),
  h("p", null, h("button", { class: "primary", type: "submit" }, "Continue")));
  mount(form);
  input.focus();
}

async function route() {
  setBanner(null);
  const { screen, arg, params } = parseHash();
  const name = SCREENS[screen] ? screen : (may("board") ? "board" : NAV.find(may));
  renderNav(name);
  if (!name) {
    mount(h("div", { class: "panel", role: "alert", id: "forbidden" }, h("h1", null, "Nothing to show for this key"),
      h("p", null, `This key's roles (${session.roles.join(", ") || "none"}) open none of the web app's screens: `,
        "the board needs a sales key, the analytics an analyst key, the rules an admin key.")));
    return;
  }
  if (!may(name)) {
    const needs = SCREENS[name][1].concat(["admin"]).filter((v, i, a) => a.indexOf(v) === i).join(" or ");
    mount(h("div", { class: "panel", role: "alert", id: "forbidden" },
      h("h1", null, `You cannot open the ${SCREENS[name][0].toLowerCase()} screen`),
      h("p", null, `This screen needs a key with the role ${needs}; this key's roles are: `,
        `${session.roles.join(", ")}. Ask an admin for such a key, or sign out and use another one.`)));
    return;
  }
  document.title = `graphsvc — ${SCREENS[name][0]}`;
  try {
    await SCREENS[name][2](arg, params);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return renderLogin(explain(err));
    mount(h("div", { class: "panel", role: "alert", id: "screen-error" }, h("h1", null, "This screen could not be shown"),
      h("p", null, explain(err))));
  }
}

// The ruleset names the roles, reasons and SLAs the screens offer; a key that may not read it
// (ingest, analyst-only screens still can) just gets fewer choices.
export async function ruleset() {
  if (session.ruleset) return session.ruleset;
  try { session.ruleset = (await api("/v1/rules")).ruleset; } catch { session.ruleset = null; }
  return session.ruleset;
}

async function start() {
  try {
    const me = await api("/v1/me");
    Object.assign(session, { mode: me.mode, roles: me.roles, key: me.key, ruleset: null });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      const had = getKey();
      clearKey();
      return renderLogin(had ? explain(err) : null);
    }
    mount(h("div", { class: "panel", role: "alert", id: "screen-error" }, h("h1", null, "The service is not answering"),
      h("p", null, explain(err))));
    return;
  }
  await route();
}

window.addEventListener("hashchange", () => { if (session.mode) route(); });
window.addEventListener("DOMContentLoaded", start);
