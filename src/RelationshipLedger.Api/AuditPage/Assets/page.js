// The page: the key form, the customer/instant form, and drawing one customer's answers.
// The address keeps the customer and instants (#customer=…&asOf=…&knownAt=…), so a view can be shared.
import { customerSuggestions, forgetKey, loadCustomer, storedKey, storeKey } from "./api.js";
import { renderBands, renderSatisfaction, timeScale } from "./charts.js";
import { element, instant, percent, words } from "./format.js";
import { renderTimeline } from "./timeline.js";
import "./digest.js";

const byId = (id) => document.getElementById(id);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
let latestRequest = 0;
let shown = null;

/** "2026-03-01T09:00:00" from a datetime-local input, read as UTC → ISO instant; "" when empty. */
function utcInstant(input) {
  if (!input.value) return "";
  const date = new Date(`${input.value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function toInputValue(iso) {
  return iso ? new Date(iso).toISOString().slice(0, 19) : "";
}

// body[data-state] is idle, loading, ready or error; body[data-loads] counts finished loads, so a
// test (or a person's script) can wait for the answer to the request it made.
function setState(state) {
  document.body.dataset.state = state;
  byId("result").setAttribute("aria-busy", state === "loading" ? "true" : "false");
  if (state === "ready" || state === "error") document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
}

function showMessage(text, kind = "error") {
  const message = byId("message");
  message.textContent = text;
  message.className = kind;
  message.hidden = !text;
}

function showKeyState() {
  byId("key-state").textContent = storedKey() ? "A key is in use for this tab." : "No key yet.";
}

async function fillSuggestions() {
  const list = byId("customer-suggestions");
  list.replaceChildren(...(await customerSuggestions()).map((c) => element("option", { value: c.id }, c.name)));
}

async function show() {
  const customerId = byId("customer-id").value.trim();
  const asOf = utcInstant(byId("as-of"));
  const knownAt = utcInstant(byId("known-at"));
  if (!customerId) return showMessage("Enter a customer id.");
  if (asOf === null || knownAt === null) return showMessage("An instant is not a valid date and time.");
  const request = ++latestRequest;
  setState("loading");
  showMessage("");
  try {
    const answers = await loadCustomer(customerId, asOf, knownAt);
    if (request !== latestRequest) return;
    shown = { customerId, asOf, knownAt, answers };
    history.replaceState(null, "", `#${new URLSearchParams({ customer: customerId, asOf, knownAt })}`);
    render();
    setState("ready");
  } catch (error) {
    if (request !== latestRequest) return;
    byId("result").hidden = true;
    showMessage(error.message);
    setState("error");
  }
}

function render() {
  const { asOf, knownAt, answers } = shown;
  const { timeline, verification, overview, tiers, stages, satisfaction } = answers;
  const asOfDate = asOf ? new Date(asOf) : new Date();
  byId("result").hidden = false;

  byTestId("summary-instant").textContent =
    `${asOf ? instant(asOf) : "now"}, as known ${knownAt ? `at ${instant(knownAt)}` : "now"}`;
  byTestId("customer-name").textContent = overview
    ? `${overview.name} (${overview.customerId})`
    : `${shown.customerId}: not registered at this instant`;
  byTestId("tier-at").textContent = overview ? words(overview.tier) : "—";
  byTestId("stage-at").textContent = overview ? words(overview.lifecycleStage) : "—";
  byTestId("csat-at").textContent = overview ? percent(overview.satisfaction.csat) : "—";
  byTestId("owner-at").textContent = overview?.owner ?? "—";
  byTestId("version-at").textContent = overview ? String(overview.version) : "—";
  renderVerification(verification);

  const scale = timeScale(tiers, stages, satisfaction?.points ?? [], asOfDate);
  renderBands(byId("bands"), tiers, stages, scale);
  renderSatisfaction(byId("satisfaction"), satisfaction, scale);

  const hideLater = byId("hide-later").checked;
  const later = renderTimeline(byId("events-body"), timeline, asOfDate, hideLater, pickInstant);
  byTestId("events-caption").textContent =
    `${timeline.length} event${timeline.length === 1 ? "" : "s"} recorded` +
    `${knownAt ? ` by ${instant(knownAt)}` : ""}, in the order they were recorded; ` +
    `${later} lie after the as-of instant${later > 0 ? (hideLater ? " (hidden)" : " (greyed)") : ""}.`;
}

function renderVerification(verification) {
  const status = byTestId("verify-status");
  status.dataset.valid = String(verification.valid);
  status.className = verification.valid ? "ok" : "bad";
  status.textContent = verification.valid
    ? `valid — all ${verification.events} events link up (checked now, over the whole stream)`
    : `broken at version ${verification.firstBroken?.version}: ${verification.firstBroken?.reason}`;
}

function pickInstant(occurredAt) {
  byId("as-of").value = toInputValue(occurredAt);
  show();
}

function restoreFromAddress() {
  const state = new URLSearchParams(location.hash.slice(1));
  byId("customer-id").value = state.get("customer") ?? "";
  byId("as-of").value = toInputValue(state.get("asOf"));
  byId("known-at").value = toInputValue(state.get("knownAt"));
  return Boolean(state.get("customer"));
}

byId("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId("api-key");
  if (!input.value.trim()) return showMessage("Enter a key.");
  storeKey(input.value);
  input.value = "";
  showKeyState();
  showMessage("");
  fillSuggestions();
  if (byId("customer-id").value.trim()) show();
});

byId("forget-key").addEventListener("click", () => {
  forgetKey();
  showKeyState();
});

byId("find-form").addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});

byId("now").addEventListener("click", () => {
  byId("as-of").value = "";
  byId("known-at").value = "";
  show();
});

byId("hide-later").addEventListener("change", () => {
  if (shown) render();
});

showKeyState();
setState("idle");
if (storedKey()) {
  fillSuggestions();
  if (restoreFromAddress()) show();
} else restoreFromAddress();
