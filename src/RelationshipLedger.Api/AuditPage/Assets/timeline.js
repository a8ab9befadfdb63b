// The events table: one row per recorded event (in stream order), with the state after it and
// what it changed. Events whose business time lies after the as-of instant are greyed or hidden.
import { element, instant, percent, words } from "./format.js";

const fieldsNotWorthARow = new Set(["tierSince", "stageSince"]);

/**
 * Fills tbody with the timeline's steps. asOf is a Date (the instant asked about); onPickInstant
 * is called with an event's occurredAt when the auditor asks to see the customer as of that event.
 * Returns how many rows lie after the as-of instant.
 */
export function renderTimeline(tbody, steps, asOf, hideLater, onPickInstant) {
  tbody.replaceChildren();
  let latestOccurred = null;
  let later = 0;
  for (const step of steps) {
    const event = step.event;
    const occurred = new Date(event.occurredAt);
    const isLater = occurred > asOf;
    const backDated = latestOccurred !== null && occurred < latestOccurred;
    if (latestOccurred === null || occurred > latestOccurred) latestOccurred = occurred;
    if (isLater) later++;
    if (isLater && hideLater) continue;
    tbody.append(row(step, isLater, backDated, onPickInstant));
  }
  return later;
}

function row(step, isLater, backDated, onPickInstant) {
  const { event, after, changes } = step;
  const pick = element(
    "button",
    {
      type: "button",
      className: "link",
      title: "Show the customer as of this event's business time",
      "aria-label": `Show the customer as of version ${event.version}'s business time`,
    },
    "as of here",
  );
  pick.addEventListener("click", () => onPickInstant(event.occurredAt));
  return element(
    "tr",
    {
      "data-testid": "event-row",
      "data-version": event.version,
      "data-after-as-of": isLater ? "true" : "false",
      className: isLater ? "later" : null,
    },
    element("th", { scope: "row" }, String(event.version)),
    element(
      "td",
      {},
      element("code", { "data-testid": "event-type" }, event.type),
      element("div", { className: "data" }, summary(event.data)),
      isLater ? element("span", { className: "tag muted" }, "after the as-of instant") : null,
    ),
    element(
      "td",
      {},
      instant(event.occurredAt),
      backDated
        ? element(
            "span",
            { className: "tag warn", title: "Its business time is earlier than an event recorded before it" },
            "back-dated",
          )
        : null,
      element("div", {}, pick),
    ),
    element("td", {}, instant(event.recordedAt)),
    element("td", {}, event.metadata?.actor ?? "—"),
    element("td", {}, reasonOf(event) ?? "—"),
    element("td", {}, stateSummary(after)),
    element("td", {}, changeList(changes)),
  );
}

function summary(data) {
  return Object.entries(data ?? {})
    .filter(([, value]) => value !== null && typeof value !== "object")
    .map(([name, value]) => `${name} ${value}`)
    .join(" · ");
}

function reasonOf(event) {
  return event.metadata?.reason ?? event.data?.reason ?? event.data?.cause ?? null;
}

function stateSummary(after) {
  return element(
    "ul",
    { className: "plain" },
    element("li", {}, `Tier: ${words(after.tier)}`),
    element("li", {}, `Stage: ${words(after.lifecycleStage)}`),
    element("li", {}, `CSAT: ${percent(after.satisfaction?.csat)}`),
    element("li", {}, `Owner: ${after.owner ?? "—"}`),
  );
}

function changeList(changes) {
  const shown = changes.filter((c) => !fieldsNotWorthARow.has(c.field));
  if (shown.length === 0) return element("span", { className: "muted" }, "nothing shown changed");
  return element(
    "ul",
    { className: "plain changes" },
    shown.map((c) =>
      element(
        "li",
        {},
        element("span", { className: "field" }, c.field),
        c.before === null ? "" : element("del", {}, c.before),
        c.before === null ? "" : " → ",
        element("ins", {}, c.after ?? "—"),
      ),
    ),
  );
}
