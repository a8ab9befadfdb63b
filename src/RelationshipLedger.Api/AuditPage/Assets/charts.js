// The charts, drawn as inline SVG: bands of tier and lifecycle stage over time, and satisfaction
// (each survey's rating and the rolling CSAT). Both share one time axis, from registration to the
// as-of instant, so they only show what the ledger says about times up to that instant.
import { day, element, instant, words } from "./format.js";

const svgNs = "http://www.w3.org/2000/svg";
const width = 960;
const left = 120;
const right = 40;
const dayMs = 24 * 60 * 60 * 1000;
const csatWindowMs = 365 * dayMs;

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The time axis: from the earliest instant the answers mention to the as-of instant. */
export function timeScale(tiers, stages, points, asOf) {
  const starts = [...tiers.map((t) => t.from), ...stages.map((s) => s.at), ...points.map((p) => p.at)];
  const start = starts.length > 0 ? Math.min(...starts.map((s) => Date.parse(s))) : asOf.getTime() - dayMs;
  const end = Math.max(asOf.getTime(), start + dayMs);
  const x = (at) => left + ((Date.parse(at) - start) / (end - start)) * (width - left - right);
  return { start, end, x, xOf: (ms) => left + ((ms - start) / (end - start)) * (width - left - right) };
}

function axis(scale, y) {
  const ticks = 6;
  const parts = [svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "axis" })];
  for (let i = 0; i <= ticks; i++) {
    const ms = scale.start + ((scale.end - scale.start) * i) / ticks;
    const x = scale.xOf(ms);
    parts.push(svg("line", { x1: x, x2: x, y1: y, y2: y + 4, class: "axis" }));
    parts.push(svg("text", { x, y: y + 16, "text-anchor": "middle", class: "tick" }, day(new Date(ms).toISOString())));
  }
  return parts;
}

function band(scale, y, height, label, segments, testId) {
  const parts = [svg("text", { x: left - 8, y: y + height / 2 + 4, "text-anchor": "end", class: "band-label" }, label)];
  for (const segment of segments) {
    const x1 = scale.x(segment.from);
    const x2 = segment.to ? scale.x(segment.to) : scale.xOf(scale.end);
    const w = Math.max(x2 - x1, 1);
    parts.push(
      svg(
        "rect",
        {
          x: x1,
          y,
          width: w,
          height,
          class: `band ${testId}-${segment.value}`,
          "data-testid": testId,
          "data-value": segment.value,
        },
        svg("title", {}, `${words(segment.value)} from ${instant(segment.from)}${segment.to ? ` to ${instant(segment.to)}` : ""}`),
      ),
    );
    if (w > 70)
      parts.push(svg("text", { x: x1 + 6, y: y + height / 2 + 4, class: "band-text" }, words(segment.value)));
  }
  return parts;
}

/** Tier and lifecycle-stage bands up to the as-of instant. */
export function renderBands(container, tiers, stages, scale) {
  const tierSegments = tiers.map((t) => ({ value: t.tier, from: t.from, to: t.to }));
  const stageSegments = stages.map((s, i) => ({ value: s.to, from: s.at, to: stages[i + 1]?.at ?? null }));
  const description =
    `Tier: ${tierSegments.map((s) => `${words(s.value)} from ${day(s.from)}`).join(", ") || "none"}. ` +
    `Stage: ${stageSegments.map((s) => `${words(s.value)} from ${day(s.from)}`).join(", ") || "none"}.`;
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${width} 110`, role: "img", "aria-label": description, class: "chart" },
    band(scale, 10, 30, "Tier", tierSegments, "tier-band"),
    band(scale, 50, 30, "Stage", stageSegments, "stage-band"),
    axis(scale, 88),
  );
  container.replaceChildren(chart);
}

/** CSAT (share of ratings 4–5, as a percentage) over the 365 days up to each instant, as the ledger computes it. */
function rollingCsat(surveys, atMs) {
  const inWindow = surveys.filter((s) => Date.parse(s.at) <= atMs && Date.parse(s.at) > atMs - csatWindowMs);
  if (inWindow.length === 0) return null;
  return (100 * inWindow.filter((s) => s.rating >= 4).length) / inWindow.length;
}

/** Ratings (1–5, dots), rolling CSAT (0–100 %, line), complaints and resolutions (marks) up to the as-of instant. */
export function renderSatisfaction(container, satisfaction, scale) {
  const points = satisfaction?.points ?? [];
  const surveys = points.filter((p) => p.source === "Survey" && p.rating !== null);
  if (points.length === 0) {
    container.replaceChildren(element("p", { className: "muted" }, "No surveys or complaints up to this instant."));
    return;
  }
  const top = 10;
  const plotHeight = 140;
  const yRating = (rating) => top + plotHeight - ((rating - 1) / 4) * plotHeight;
  const yCsat = (csat) => top + plotHeight - (csat / 100) * plotHeight;
  const parts = [];
  for (const rating of [1, 2, 3, 4, 5]) {
    parts.push(svg("line", { x1: left, x2: width - right, y1: yRating(rating), y2: yRating(rating), class: "grid" }));
    parts.push(svg("text", { x: left - 8, y: yRating(rating) + 4, "text-anchor": "end", class: "tick" }, `${rating}★`));
  }
  for (const csat of [0, 50, 100])
    parts.push(svg("text", { x: width - right + 4, y: yCsat(csat) + 4, class: "tick csat-tick" }, `${csat}%`));

  const csatSteps = surveys.map((s) => [scale.x(s.at), rollingCsat(surveys, Date.parse(s.at))]);
  const atEnd = rollingCsat(surveys, scale.end);
  if (atEnd !== null) csatSteps.push([scale.xOf(scale.end), atEnd]);
  if (csatSteps.length > 0) {
    const path = csatSteps.map(([x, csat], i) => {
      const y = csat === null ? yCsat(0) : yCsat(csat);
      return i === 0 ? `M ${x} ${y}` : `H ${x} V ${y}`;
    });
    parts.push(svg("path", { d: path.join(" "), class: "csat-line", "data-testid": "csat-line" }));
  }
  for (const s of surveys)
    parts.push(
      svg(
        "circle",
        { cx: scale.x(s.at), cy: yRating(s.rating), r: 5, class: "rating", "data-testid": "rating-dot" },
        svg("title", {}, `Survey ${instant(s.at)}: rating ${s.rating}${s.recommend !== null ? `, recommend ${s.recommend}` : ""}`),
      ),
    );
  const markY = top + plotHeight + 22;
  for (const p of points.filter((p) => p.source !== "Survey")) {
    const x = scale.x(p.at);
    const complaint = p.source === "Complaint";
    parts.push(
      svg(
        "path",
        {
          d: complaint ? `M ${x} ${markY - 6} L ${x - 6} ${markY + 5} L ${x + 6} ${markY + 5} Z` : `M ${x - 5} ${markY} L ${x - 1} ${markY + 5} L ${x + 6} ${markY - 5}`,
          class: complaint ? "complaint" : "resolution",
        },
        svg("title", {}, `${complaint ? "Complaint filed" : "Complaint resolved"} ${p.complaintId} at ${instant(p.at)}`),
      ),
    );
  }
  parts.push(svg("text", { x: left - 8, y: markY + 4, "text-anchor": "end", class: "tick" }, "complaints"));
  const description =
    `Ratings: ${surveys.map((s) => `${s.rating} on ${day(s.at)}`).join(", ") || "none"}. ` +
    `Rolling CSAT at the end: ${atEnd === null ? "none" : `${Math.round(atEnd * 100) / 100} %`}.`;
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${width} ${top + plotHeight + 60}`, role: "img", "aria-label": description, class: "chart" },
    parts,
    axis(scale, top + plotHeight + 36),
  );
  const legend = element(
    "p",
    { className: "legend" },
    element("span", { className: "key rating-key" }, "●"),
    " rating (left axis) ",
    element("span", { className: "key csat-key" }, "━"),
    " rolling CSAT over 365 days (right axis) ",
    element("span", { className: "key complaint-key" }, "▲"),
    " complaint ",
    element("span", { className: "key resolution-key" }, "✓"),
    " resolution",
  );
  container.replaceChildren(chart, legend);
}
