// Controls and incidents: read and act through the admin API with the
// token in an Authorization header (never a cookie, so no CSRF). The token
// lives in this tab's sessionStorage only.
"use strict";
const access = { token: sessionStorage.getItem("lifeboat-token") || "", allowed: null, why: "checking access…" };
let lastFetch = 0, fetching = false, pastAt = 0;

const CALLS = {
  "ack": { what: "Acknowledge the open incident", path: id => `/admin/incidents/${id}/ack`, needsIncident: true },
  "pause": { what: "Pause the automation (nothing changes until resumed)", path: () => "/admin/automation/pause" },
  "resume": { what: "Resume the automation", path: () => "/admin/automation/resume" },
  "rollback": { what: "Roll back: send all traffic to the fallback now", path: () => "/admin/rollback" },
  "restore-start": { what: "Start the staged restore to the primary", path: () => "/admin/restore/start" },
  "restore-abort": { what: "Abort the restore and go back to the fallback", path: () => "/admin/restore/abort" },
  "restore-ack": { what: "Approve the restore to the primary", path: () => "/admin/restore/ack" },
};

async function admin(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (access.token) headers["Authorization"] = "Bearer " + access.token;
  const resp = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit" });
  if (resp.status === 401) {
    access.allowed = false;
    access.why = access.token ? "The admin token was refused: enter the right one above." :
      "Read-only: the gateway requires the admin token to act or to read incidents. Enter it above.";
    throw new Error(access.why);
  }
  access.allowed = true; access.why = "";
  const doc = await resp.json();
  if (doc.status !== "ok") throw new Error(doc.error ? doc.error.message : resp.statusText);
  return doc.result;
}

// onUpdate runs after every stream message: it refreshes the incident at
// most once a second and the past incidents every 10 seconds.
async function onUpdate(st) {
  if (st.tokenRequired && !access.token) {
    access.allowed = false;
    access.why = "Read-only: the gateway requires the admin token to act or to read incidents. Enter it above.";
    $("incident-why").textContent = st.incident ? `Incident ${st.incident} is open. ${access.why}` : "No incident is open.";
    $("past-why").textContent = access.why;
    renderControls(st);
    return;
  }
  renderControls(st);
  if (fetching || Date.now() - lastFetch < 900) return;
  fetching = true; lastFetch = Date.now();
  try {
    if (Date.now() - pastAt > 10000 || access.allowed === null) { pastAt = Date.now(); renderPast(await admin("GET", "/admin/incidents?limit=10")); }
    if (st.incident) renderIncident(await admin("GET", `/admin/incidents/${encodeURIComponent(st.incident)}`));
    else { $("incident").hidden = true; $("incident-why").textContent = "No incident is open."; }
  } catch (e) {
    $("incident-why").textContent = st.incident ? `Incident ${st.incident} is open. ${e.message}` : "No incident is open.";
    $("past-why").textContent = e.message;
  } finally { fetching = false; renderControls(st); }
}

function renderControls(st) {
  let why = access.allowed === false ? access.why : access.allowed === null ? "Checking access…" : "";
  if (!why && !st.status.escalation) why = "Escalation is off on this gateway: there is nothing to control.";
  $("controls-why").textContent = why;
  for (const b of document.querySelectorAll("#controls button[data-call]")) {
    const call = CALLS[b.dataset.call];
    const off = why || (call.needsIncident && !st.incident);
    b.disabled = !!off;
    b.title = why || (off ? "No incident is open." : call.what);
  }
}

function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }

function renderIncident(inc) {
  $("incident").hidden = false;
  $("incident-why").textContent = "";
  $("incident-id").textContent = inc.id;
  $("incident-summary").textContent = ` ${inc.level} (max ${inc.max_level}), opened ${ago(inc.opened_at)}` +
    (inc.trigger ? `, trigger ${inc.trigger}` : "") + (inc.acked_by ? `, acknowledged by ${inc.acked_by}` : ", not acknowledged");
  $("figures").tBodies[0].replaceChildren(...["detection", "containment", "recovery", "restore", "downtime", "data_loss", "manual_intervention"]
    .map(k => inc.metrics[k]).filter(Boolean).map(m => {
    const tr = el("tr");
    tr.append(el("td", m.name), el("td", m.text || "–"), el("td", m.target), el("td", m.status, m.pass ? "pass" : "fail"));
    return tr;
  }));
  const tl = inc.timeline || [];
  $("timeline").replaceChildren(...tl.map(e => el("li", `${new Date(e.time).toLocaleTimeString()} ${e.kind}: ${e.message}`, e.severity)));
  $("paging").replaceChildren(...tl.filter(e => e.kind.startsWith("notify.")).map(e =>
    el("li", `${e.fields.notifier} (${e.fields.tier}): ${e.kind === "notify.sent" ? "delivered" : "FAILED " + (e.fields.error || "")}`,
      e.kind === "notify.sent" ? "pass" : "fail")));
  if (!$("paging").children.length) $("paging").append(el("li", "nobody paged yet", "muted"));
  const j = state.status.journal;
  $("journal").textContent = j ? `${j.pending} pending, ${j.replayed} replayed, ${j.failed} lost` : "journal off";
  renderChecklists(inc);
}

function renderChecklists(inc) {
  $("checklists").replaceChildren(...(inc.checklists || []).map(cl => {
    const fs = el("fieldset"); fs.append(el("legend", cl.name.replaceAll("_", " ")));
    cl.items.forEach((it, i) => {
      const id = `cl-${cl.name}-${i}`, box = el("input"), label = el("label", " " + it.text + (it.done ? ` — ${it.by || "automation"}` : ""));
      box.type = "checkbox"; box.id = id; box.checked = !!it.done; box.disabled = !!it.done || !!access.why;
      label.htmlFor = id;
      box.addEventListener("change", () => { box.checked = false; act(`Tick “${it.text}”`, `/admin/incidents/${inc.id}/checklist`, { checklist: cl.name, item: it.text }); });
      const row = el("div"); row.append(box, label); fs.append(row);
    });
    return fs;
  }));
}

function renderPast(list) {
  $("past-why").textContent = "";
  $("past").replaceChildren(...list.filter(i => !i.open).map(i => {
    const li = el("li", `${i.id}: ${i.max_level}, ${new Date(i.opened_at).toLocaleString()} ${i.rollback || ""} `);
    const rep = el("button", "Report"), ch = el("button", "Chart");
    rep.addEventListener("click", () => showReport(i.id));
    ch.addEventListener("click", () => showChart(i.id));
    li.append(rep, " ", ch);
    return li;
  }));
}

async function document_(path) {
  const resp = await fetch(path, { headers: access.token ? { Authorization: "Bearer " + access.token } : {}, credentials: "omit" });
  if (!resp.ok) throw new Error(`${path}: ${resp.status}`);
  return resp;
}
async function showReport(id) { $("report").hidden = false; $("report").textContent = await (await document_(`/admin/incidents/${id}/report`)).text(); }
async function showChart(id) {
  const img = $("report-chart");
  img.src = URL.createObjectURL(await (await document_(`/admin/incidents/${id}/chart.svg`)).blob());
  img.hidden = false;
}

// act asks for confirmation and a name, then calls the admin API.
function act(what, path, body) {
  const dlg = $("confirm");
  $("confirm-text").textContent = what + "?";
  $("confirm-name").value = sessionStorage.getItem("lifeboat-name") || "";
  dlg.onclose = async () => {
    if (dlg.returnValue !== "ok") return;
    const by = $("confirm-name").value.trim();
    sessionStorage.setItem("lifeboat-name", by);
    try { await admin("POST", path, { ...body, by }); $("controls-result").textContent = `${what}: done by ${by}.`; lastFetch = 0; }
    catch (e) { $("controls-result").textContent = `${what}: refused: ${e.message}`; }
  };
  dlg.returnValue = "";
  dlg.showModal();
}

function setup() {
  $("token").value = access.token;
  $("token-form").addEventListener("submit", ev => {
    ev.preventDefault();
    access.token = $("token").value.trim(); access.allowed = null; lastFetch = 0; pastAt = 0;
    sessionStorage.setItem("lifeboat-token", access.token);
  });
  $("token-clear").addEventListener("click", () => { access.token = ""; $("token").value = ""; sessionStorage.removeItem("lifeboat-token"); access.allowed = null; pastAt = 0; });
  $("confirm-cancel").addEventListener("click", () => $("confirm").close(""));
  for (const b of document.querySelectorAll("#controls button[data-call]")) {
    const call = CALLS[b.dataset.call];
    b.addEventListener("click", () => act(call.what, call.path(encodeURIComponent(state.incident))));
  }
}
