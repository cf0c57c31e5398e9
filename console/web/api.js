// The JSON API as the console calls it: the token from sessionStorage as a Bearer header
// (never in a URL), errors turned into words, and the server's clock, which every
// countdown runs on (the browser's clock may be off by minutes).
import { t } from "./i18n.js";

const TOKEN_KEY = "inquiryd.token";

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, body, path) {
    super(describe(status, body));
    this.status = status;
    this.field = body.field || "";
    this.path = path;
  }
}

// A refusal in words: which rule refused it (403), that the token is not accepted (401).
function describe(status, body) {
  const why = body.error || "";
  if (status === 401) return t("err_401") + (why ? " (" + why + ")" : "");
  if (status === 403) {
    const rule = (body.field || "").replace(/^access\./, "");
    return t("err_403", { rule: rule || "?" }) + " " + why;
  }
  if (status === 409) return t("err_409") + " " + why;
  if (status === 404) return t("err_404") + " " + why;
  if (status === 503) return t("err_503") + " " + why;
  if (status === 0) return t("err_network");
  return status + ": " + why;
}

export function authHeaders() {
  const value = token.get();
  return value ? { Authorization: "Bearer " + value } : {};
}

export async function api(method, path, body) {
  const headers = authHeaders();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                              cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, {}, path);
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data, path);
  return data;
}

// Every page of a listing that pages by id (next_after).
export async function listAll(path) {
  const out = [];
  let after = 0;
  for (let i = 0; i < 50; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api("GET", path + sep + "limit=1000&after=" + after);
    out.push(...page.inquiries);
    if (page.next_after === null || page.next_after === undefined) break;
    after = page.next_after;
  }
  return out;
}

// ---- the server's clock ----
let offsetMs = 0;  // server minus browser
let bestRtt = Infinity;

// `serverIso` read between the browser times `sent` and `received`: the midpoint is the
// best guess; a sample from a quicker round trip replaces a slower one's.
export function syncClock(serverIso, sent, received) {
  const server = Date.parse(serverIso);
  if (Number.isNaN(server)) return;
  const rtt = Math.max(0, received - sent);
  if (rtt > bestRtt * 2 + 50) return;
  bestRtt = Math.min(bestRtt, rtt);
  offsetMs = server - (sent + received) / 2;
}

export const serverNow = () => Date.now() + offsetMs;
export const clockOffset = () => offsetMs;
