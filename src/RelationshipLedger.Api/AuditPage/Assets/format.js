// Formatting shared by the table and the charts: instants in UTC, enum names as words.

/** "2026-03-01 09:00:00Z" for an ISO instant; "—" for none. */
export function instant(iso) {
  if (!iso) return "—";
  return new Date(iso).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** "2026-03-01" for an ISO instant. */
export function day(iso) {
  return new Date(iso).toISOString().slice(0, 10);
}

/** "PreferredSupplier" → "Preferred supplier". */
export function words(pascal) {
  if (pascal === null || pascal === undefined) return "—";
  const text = String(pascal).replace(/([a-z0-9])([A-Z])/g, "$1 $2");
  return text.charAt(0) + text.slice(1).toLowerCase();
}

/** "66.67 %" or "—". */
export function percent(value) {
  return value === null || value === undefined ? "—" : `${value} %`;
}

/** Creates an element with attributes and children (strings become text, never markup). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
