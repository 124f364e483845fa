// The API client of the web app: the public /v1 API with the same keys a script uses.
// The key is kept in sessionStorage: it lives as long as the browser tab, never on disk for good.

const KEY = "graphsvc.apiKey";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error) || "http_error";
    this.details = body ? body.details : null;
  }
}

export function getKey() { return sessionStorage.getItem(KEY); }
export function setKey(key) { sessionStorage.setItem(KEY, key.trim()); }
export function clearKey() { sessionStorage.removeItem(KEY); }

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

// Every call of the page goes through here. Errors come back in the API's one format,
// {error, message, details}; anything else (a proxy's HTML page, a dropped connection) still
// becomes an ApiError with a sentence a person can read.
export async function api(path, { method = "GET", params, json, text } = {}) {
  const headers = { Accept: "application/json" };
  const key = getKey();
  if (key) headers["X-API-Key"] = key;
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (text !== undefined) { headers["Content-Type"] = "application/toml"; body = text; }
  let response;
  try {
    response = await fetch(`${path}${query(params)}`, { method, headers, body });
  } catch (err) {
    throw new ApiError(0, { error: "network", message: `The service did not answer (${err.message}). Is it running?` });
  }
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data && data.message ? data : {
      error: "http_error", message: `The service answered ${response.status} ${response.statusText}.`,
    });
  }
  return data;
}

// A sentence for people, for any failure: what happened and, for 401/403, what to do about it.
export function explain(err) {
  if (!(err instanceof ApiError)) return `Something went wrong in the page: ${err.message}`;
  if (err.status === 401) return `Your API key was not accepted: ${err.message} Enter a valid key.`;
  if (err.status === 403) return `Not allowed: ${err.message}`;
  let text = err.status ? `${err.status} ${err.code}: ${err.message}` : err.message;
  if (Array.isArray(err.details) && err.details.length) {
    text += " — " + err.details.map((d) => [d.field || d.path, d.message].filter(Boolean).join(": ")).join("; ");
  }
  return text;
}
