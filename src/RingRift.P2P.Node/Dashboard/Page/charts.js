// Line and step charts drawn as inline SVG by hand: no library, nothing fetched.
import { el } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above value. */
function niceCeil(value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * A chart of series [{name, cls, points: [[x, y], …]}] (x ascending) with a legend.
 * options: title, width, height, xMin, xMax, yMin, yMax (default: from the data), step (hold each value until the next),
 * markers (dots on each series' marks, or on its points), xLabel(x) and yLabel(y) for the axis texts.
 */
export function lineChart(series, options) {
  const width = options.width ?? 600;
  const height = options.height ?? 180;
  const pad = { left: 48, right: 10, top: 10, bottom: 22 };
  const ys = series.flatMap(s => s.points.map(p => p[1]));
  const yMin = options.yMin ?? (ys.length ? Math.min(...ys) : 0);
  let yMax = options.yMax ?? (ys.length ? Math.max(...ys) : 1);
  if (options.yMax === undefined) yMax = yMin >= 0 && options.yMin === 0 ? niceCeil(yMax) : yMax;
  if (yMax <= yMin) yMax = yMin + 1;
  const xMin = options.xMin;
  const xMax = options.xMax > options.xMin ? options.xMax : options.xMin + 1;
  const sx = x => pad.left + (x - xMin) / (xMax - xMin) * (width - pad.left - pad.right);
  const sy = y => height - pad.bottom - (y - yMin) / (yMax - yMin) * (height - pad.top - pad.bottom);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img' });
  root.append(svg('title', {}, options.title ?? 'chart'));
  for (const y of [yMin, (yMin + yMax) / 2, yMax]) {
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: sy(y), y2: sy(y), class: 'grid' }));
    root.append(svg('text', { x: pad.left - 6, y: sy(y) + 4, class: 'axis', 'text-anchor': 'end' }, (options.yLabel ?? String)(y)));
  }
  for (const [x, anchor] of [[xMin, 'start'], [(xMin + xMax) / 2, 'middle'], [xMax, 'end']]) {
    root.append(svg('text', { x: sx(x), y: height - 6, class: 'axis', 'text-anchor': anchor }, (options.xLabel ?? String)(x)));
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    let d = '';
    s.points.forEach(([x, y], i) => {
      if (i === 0) d += `M${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      else if (options.step) d += `H${sx(x).toFixed(1)}V${sy(y).toFixed(1)}`;
      else d += `L${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    });
    root.append(svg('path', { d, class: 'line ' + s.cls }));
    if (options.markers) {
      for (const [x, y] of s.marks ?? s.points) {
        root.append(svg('circle', { cx: sx(x), cy: sy(y), r: 3.5, class: 'dot ' + s.cls }));
      }
    }
  }
  const legend = el('ul', { class: 'legend' }, series.map(s => {
    const last = s.points.length ? s.points[s.points.length - 1][1] : null;
    return el('li', {}, el('span', { class: 'swatch ' + s.cls }), s.name + (last === null ? '' : ' ' + (options.yLabel ?? String)(last)));
  }));
  return el('div', { class: 'chart-box' }, root, legend);
}
