// The operations page: one Server-Sent Events stream keeps it live.
"use strict";
const WINDOW_MS = 15 * 60 * 1000;
const state = { status: null, points: [], marks: [], drills: [], incident: "", now: Date.now() };
const $ = id => document.getElementById(id);

function connect() {
  const es = new EventSource("stream");
  const onMessage = (full) => (ev) => {
    const m = JSON.parse(ev.data);
    if (full) { state.points = []; state.marks = []; }
    state.points.push(...(m.points || []));
    state.marks.push(...(m.marks || []));
    if (m.drills) state.drills = m.drills;
    state.status = m.status; state.incident = m.incident; state.now = m.now; state.tokenRequired = m.token_required;
    const from = m.now - WINDOW_MS;
    state.points = state.points.filter(p => p.t >= from);
    state.marks = state.marks.filter(k => k.t >= from);
    $("conn").textContent = "live, updated " + new Date(m.now).toLocaleTimeString();
    render();
  };
  es.addEventListener("snapshot", onMessage(true));
  es.addEventListener("update", onMessage(false));
  es.onerror = () => { $("conn").textContent = "connection lost: reconnecting…"; };
}

function render() {
  const s = state.status, esc = s.escalation;
  $("verdict").textContent = s.status;
  $("verdict").className = "badge " + s.status;
  renderLevel(esc, s);
  renderRouting(s.routing, s.upstreams);
  renderTriggers(esc ? esc.triggers : []);
  renderTraffic();
  renderDrills();
  onUpdate(state); // controls.js: incident, past incidents, buttons
}

// ago prints a time as `lifeboat status` does: "20:31:02 (4m12s ago)".
function ago(iso) {
  if (!iso) return "unknown";
  const t = new Date(iso), s = Math.max(0, Math.round((state.now - t) / 1000));
  const span = s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor(s % 3600 / 60)}m${s % 60}s`
    : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
  return `${t.toLocaleTimeString()} (${span} ago)`;
}

function renderLevel(esc, s) {
  if (!esc) { $("level").textContent = "escalation off"; return; }
  $("level").textContent = esc.level;
  $("phase").textContent = "(" + esc.phase + ")";
  $("since").textContent = ago(esc.since);
  $("next").textContent = esc.next;
  let auto = esc.paused ? "PAUSED: nothing changes until it is resumed" : "running";
  if (esc.dry_run) auto += "; DRY RUN: decisions are recorded, not acted on";
  if (esc.manual) auto += "; a person intervened in this incident";
  $("automation").textContent = auto;
  $("rollback").textContent = esc.rollback || "–";
  if (esc.critical) $("rollback").textContent += " — CRITICAL: the fallback is not healthy enough to take traffic";
}

function renderRouting(rt, ups) {
  const share = rt.mode === "fallback" ? 0 : rt.mode === "split" ? rt.primary_weight / 100 : 1;
  $("mode").textContent = rt.mode;
  $("split-primary").style.width = (share * 100) + "%";
  $("split-fallback").style.width = ((1 - share) * 100) + "%";
  $("split-text").textContent = rt.mode === "backup"
    ? "backup: the primary first, the fallback when it fails"
    : `${Math.round(share * 100)}% of new requests to the primary, ${Math.round((1 - share) * 100)}% to the fallback`;
  $("upstreams").replaceChildren(...["primary", "fallback"].map(name => {
    const u = ups[name], li = document.createElement("li");
    const last = u.last_check ? `, last check ${u.last_check.reason} ${u.last_check.latency_ms} ms` : "";
    li.append(name + ": ");
    const b = document.createElement("strong"); b.className = u.state; b.textContent = u.state; li.append(b);
    li.append(` since ${ago(u.since)}${last}`);
    return li;
  }));
}

function withUnit(v, unit) {
  const s = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return unit ? s + " " + unit : s;
}

function renderTriggers(evs) {
  const from = state.now - WINDOW_MS, rows = [];
  for (const ev of evs) {
    const tr = document.createElement("tr");
    const state_ = ev.state === "inactive" || !ev.since ? ev.state : `${ev.state} ${ago(ev.since)}`;
    const cells = [ev.trigger, ev.kind, state_, ev.valid ? withUnit(ev.value, ev.unit) : "no data",
      ev.op + " " + withUnit(ev.threshold, ev.unit)];
    cells.forEach((c, i) => { const td = document.createElement("td"); td.textContent = c; if (i === 2) td.className = ev.state; tr.append(td); });
    const spark = document.createElement("td");
    const pts = state.points.map(p => ({ t: p.t, v: p.triggers ? p.triggers[ev.trigger] : null }));
    sparkline(spark, pts, ev.threshold, from, state.now, ev.trigger + " over the last 15 minutes");
    tr.append(spark);
    rows.push(tr);
  }
  $("triggers").tBodies[0].replaceChildren(...rows);
}

function renderTraffic() {
  const from = state.now - WINDOW_MS, to = state.now, marks = state.marks;
  const series = key => state.points.map(p => ({ t: p.t, v: p[key] }));
  const last = state.points[state.points.length - 1] || {};
  chart($("chart-rps"), { series: [series("rps")], from, to, marks, text: `${(last.rps || 0).toFixed(1)}/s`, label: "requests per second" });
  chart($("chart-err"), { series: [series("error_rate")], from, to, marks, min: 0.05,
    text: `${((last.error_rate || 0) * 100).toFixed(1)}%`, label: "error rate" });
  chart($("chart-lat"), { series: [series("p50_ms"), series("p99_ms")], from, to, marks,
    text: `p50 ${(last.p50_ms || 0).toFixed(1)} / p99 ${(last.p99_ms || 0).toFixed(1)} ms`, label: "latency" });
}

function renderDrills() {
  const rows = state.drills.slice().reverse().map(d => {
    const tr = document.createElement("tr");
    const rec = d.figures.find(f => f.name === "recovery");
    const passed = d.figures.filter(f => f.pass).length;
    for (const c of [d.id, d.scenario, new Date(d.ended).toLocaleString(), rec ? rec.text : "–", `${passed}/${d.figures.length} met`]) {
      const td = document.createElement("td"); td.textContent = c; tr.append(td);
    }
    return tr;
  });
  $("drills").tBodies[0].replaceChildren(...rows);
  const pts = state.drills.map((d, i) => { const r = d.figures.find(f => f.name === "recovery"); return { t: i, v: r ? r.value : null }; });
  if (pts.length) chart($("drill-trend"), { series: [pts], from: 0, to: Math.max(1, pts.length - 1), text: "recovery (s) by drill", label: "recovery trend" });
}

setup(); // controls.js
connect();
