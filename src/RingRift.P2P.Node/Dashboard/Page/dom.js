// Small DOM and formatting helpers shared by the dashboard's parts. Text always goes in as text, never as HTML.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'data') for (const [k, v] of Object.entries(value)) node.dataset[k] = v;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

export function setText(id, text) {
  byId(id).textContent = text;
}

/** Replaces the rows of a table's body. */
export function fillBody(tableId, rows) {
  byId(tableId).tBodies[0].replaceChildren(...rows);
}

/** A bar of 0–100 % (width set through the CSSOM, which the page's CSP allows), coloured by level. */
export function bar(percent, label) {
  const value = Number.isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0;
  const fill = el('span', { class: 'fill ' + level(value) });
  fill.style.width = value.toFixed(1) + '%';
  return el('div', { class: 'bar', title: label ?? value.toFixed(0) + ' %' }, fill, el('span', { class: 'bar-text', text: value.toFixed(0) + ' %' }));
}

export function level(percent) {
  return percent >= 90 ? 'high' : percent >= 70 ? 'mid' : 'low';
}

/** "4 s", "3 min", "2 h" for a duration in seconds. */
export function duration(seconds) {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, seconds);
  if (s < 10) return s.toFixed(1) + ' s';
  if (s < 120) return Math.round(s) + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return (s / 3600).toFixed(1) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** How long ago a Unix time (seconds) was. */
export function ago(unixSeconds) {
  return Number.isFinite(unixSeconds) ? duration(Date.now() / 1000 - unixSeconds) + ' ago' : '–';
}

/** HH:MM:SS in the browser's time zone. */
export function clock(unixSeconds) {
  if (!Number.isFinite(unixSeconds)) return '–';
  return new Date(unixSeconds * 1000).toLocaleTimeString([], { hour12: false });
}

export function number(value, digits = 0) {
  return Number.isFinite(value) ? value.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
}
