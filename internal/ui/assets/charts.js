// Small SVG charts: no library, so the page stays light and works offline.
"use strict";
const SVG = "http://www.w3.org/2000/svg";

function svgEl(name, attrs) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// path draws points [{t, v}] scaled into w x h; a null v breaks the line,
// so a reading that could not be judged shows as a gap, not a zero.
function path(points, x, y) {
  let d = "", pen = false;
  for (const p of points) {
    if (p.v == null || !isFinite(p.v)) { pen = false; continue; }
    d += (pen ? "L" : "M") + x(p.t).toFixed(1) + " " + y(p.v).toFixed(1);
    pen = true;
  }
  return d;
}

// chart draws one or two series over [from, to] with marks as vertical
// lines and an optional threshold as a dashed line.
function chart(box, opts) {
  const w = 300, h = 80, pad = 2;
  const all = opts.series.flat().map(p => p.v).filter(v => v != null && isFinite(v));
  if (opts.threshold != null) all.push(opts.threshold);
  const top = Math.max(opts.min || 0, ...all, 1e-9) * 1.1;
  const x = t => pad + (w - 2 * pad) * (t - opts.from) / Math.max(1, opts.to - opts.from);
  const y = v => h - pad - (h - 2 * pad) * v / top;
  const svg = svgEl("svg", { viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: "none", role: "img", "aria-label": opts.label || "" });
  svg.appendChild(svgEl("line", { x1: 0, y1: h - pad, x2: w, y2: h - pad, class: "axis" }));
  for (const m of opts.marks || []) {
    if (m.t < opts.from) continue;
    const line = svgEl("line", { x1: x(m.t), x2: x(m.t), y1: 0, y2: h, class: "mark-" + markClass(m.kind) });
    const title = svgEl("title"); title.textContent = m.text; line.appendChild(title);
    svg.appendChild(line);
  }
  if (opts.threshold != null) svg.appendChild(svgEl("line", { x1: 0, x2: w, y1: y(opts.threshold), y2: y(opts.threshold), class: "threshold" }));
  opts.series.forEach((s, i) => svg.appendChild(svgEl("path", { d: path(s, x, y), class: i ? "series two" : "series" })));
  if (opts.text) { const t = svgEl("text", { x: 4, y: 10 }); t.textContent = opts.text; svg.appendChild(t); }
  box.replaceChildren(svg);
  return svg;
}

function markClass(kind) {
  if (kind.startsWith("rollback")) return "rollback";
  if (kind.startsWith("restore")) return "restore";
  return "level";
}

// sparkline is a chart small enough for a table cell.
function sparkline(cell, points, threshold, from, to, label) {
  const svg = chart(cell, { series: [points], threshold, from, to, label });
  svg.setAttribute("class", "spark");
}
