// The ledger's HTTP API as the audit page uses it: the auditor's key (kept for this tab only),
// GETs that send it as X-Api-Key, and problems turned into messages a person can act on.

const keyStorageName = "relationship-ledger.audit-key";

export function storedKey() {
  return sessionStorage.getItem(keyStorageName) ?? "";
}

export function storeKey(key) {
  sessionStorage.setItem(keyStorageName, key.trim());
}

export function forgetKey() {
  sessionStorage.removeItem(keyStorageName);
}

/** An error whose message says what went wrong and what to do about it. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, query = {}) {
  const key = storedKey();
  if (!key) throw new ApiError(0, "Enter the auditor key first.");
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) search.set(name, value);
  const url = search.size > 0 ? `${path}?${search}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { "X-Api-Key": key, Accept: "application/json" } });
  } catch (error) {
    throw new ApiError(0, `The ledger could not be reached (${error.message}).`);
  }
  if (response.ok) return response.json();
  throw new ApiError(response.status, await problemMessage(response));
}

/** The whole log verified against an exported digest file (its text), by the ledger. */
export async function verifyAgainstDigest(fileText) {
  const key = storedKey();
  if (!key) throw new ApiError(0, "Enter the auditor key first.");
  let response;
  try {
    response = await fetch("/ledger/verify", {
      method: "POST",
      headers: { "X-Api-Key": key, Accept: "application/json", "Content-Type": "application/json" },
      body: fileText,
    });
  } catch (error) {
    throw new ApiError(0, `The ledger could not be reached (${error.message}).`);
  }
  if (response.ok) return response.json();
  throw new ApiError(response.status, await problemMessage(response));
}

async function problemMessage(response) {
  let detail = "";
  try {
    const problem = await response.json();
    detail = problem.detail ?? problem.title ?? "";
    if (problem.errors) detail += " " + Object.entries(problem.errors).map(([f, m]) => `${f}: ${m}`).join("; ");
  } catch {
    // Not a problem document: the status alone is the message.
  }
  switch (response.status) {
    case 401:
      return `The key was not accepted (401): it is unknown or revoked. ${detail}`.trim();
    case 403:
      return `This key may not read audit data (403): it needs the auditor role. ${detail}`.trim();
    case 404:
      return `Not found (404): ${detail || "no such customer."}`;
    default:
      return `The ledger answered ${response.status}. ${detail}`.trim();
  }
}

const path = (customerId, rest = "") => `/customers/${encodeURIComponent(customerId)}${rest}`;

// The projected answers are 404 for an instant before the customer was registered (or known):
// that is an answer too, shown as "not registered yet", not an error.
async function getJsonOrNull(path, query) {
  try {
    return await getJson(path, query);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/**
 * Everything the page shows about one customer, for business instant asOf as known at knownAt
 * (ISO strings, or "" for now). The timeline and the verification are about the whole stream; a
 * customer the ledger does not know makes them fail with a 404.
 */
export async function loadCustomer(customerId, asOf, knownAt) {
  const travel = { asOf, knownAt };
  const [timeline, verification, overview, tiers, stages, satisfaction] = await Promise.all([
    getJson(path(customerId, "/timeline"), { knownAt }),
    getJson(path(customerId, "/verify")),
    getJsonOrNull(path(customerId), travel),
    getJsonOrNull(path(customerId, "/tiers"), travel),
    getJsonOrNull(path(customerId, "/stages"), travel),
    getJsonOrNull(path(customerId, "/satisfaction"), travel),
  ]);
  return { timeline, verification, overview, tiers: tiers ?? [], stages: stages ?? [], satisfaction };
}

/** The first page of the portfolio's customer ids, for suggestions; empty when it cannot be read. */
export async function customerSuggestions() {
  try {
    const page = await getJson("/customers", { limit: "100" });
    return page.customers.map((c) => ({ id: c.customerId, name: c.name }));
  } catch {
    return [];
  }
}
