// The sandbox page: a thin Slack client. The server renders Block Kit to HTML;
// this script polls for what the current persona sees, forwards clicks on the
// elements actually rendered, opens confirm dialogs and modals, and keeps the
// composer's history. No build step: plain browser JavaScript.
"use strict";

const $ = (sel) => document.querySelector(sel);
const ui = {
  persona: null, channel: null, version: "", setup: null, channels: [],
  seen: JSON.parse(localStorage.getItem("sandbox.seen") || "{}"),
  history: JSON.parse(localStorage.getItem("sandbox.history") || "[]"), historyAt: -1,
  modalID: "", modalHTML: "",
};

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({ error: "bad response" }));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function toast(text) {
  const t = $("#toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 5000);
}

async function start() {
  ui.setup = await api("/api/setup");
  const params = new URLSearchParams(location.search);
  const ids = ui.setup.personas.map((p) => p.id);
  ui.persona = [params.get("persona"), localStorage.getItem("sandbox.persona")].find((p) => ids.includes(p)) || ids[0];
  ui.channel = params.get("channel") || "C0SUPPORT";
  $("#config-yaml").textContent = ui.setup.config;
  $("#backend").textContent = "The bot runs against an embedded Slack emulator and " + ui.setup.backend;
  renderTry();
  renderPersonas();
  poll();
}

function renderPersonas() {
  const box = $("#personas");
  box.replaceChildren(...ui.setup.personas.map((p) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "persona" + (p.id === ui.persona ? " active" : "");
    b.dataset.persona = p.id;
    b.innerHTML = `<span class="persona-name"></span><span class="persona-role"></span>`;
    b.querySelector(".persona-name").textContent = p.realName.replace(/ \(.*\)$/, "");
    b.querySelector(".persona-role").textContent = p.role;
    b.title = p.blurb;
    b.onclick = () => switchPersona(p.id);
    return b;
  }));
  const me = ui.setup.personas.find((p) => p.id === ui.persona);
  $("#persona-blurb").textContent = `You are ${me.realName}: ${me.blurb}`;
}

function switchPersona(id) {
  ui.persona = id;
  localStorage.setItem("sandbox.persona", id);
  ui.version = "";
  ui.modalID = "";
  // The channel list names this persona's own DM; drop the old one until the
  // new persona's state arrives.
  $("#channels").replaceChildren();
  renderPersonas();
  poll();
}

function switchChannel(id) {
  ui.channel = id;
  ui.version = "";
  // Opening the app's Home tab is the app_home_opened event: the bot publishes it anew.
  if (id === HOME) api("/api/home", { persona: ui.persona }).catch((e) => toast(e.message)).finally(poll);
  poll();
}

// HOME is the pseudo-channel showing the persona's Home tab of the app.
const HOME = "HOME";

function channelIcon(kind) { return kind === "dm" ? "✉ " : kind === "home" ? "⌂ " : "# "; }

function renderTry() {
  $("#try").replaceChildren(...ui.setup.try.map((u) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "try-user";
    b.innerHTML = `<code></code><span></span>`;
    b.querySelector("code").textContent = u.username.length > 18 ? u.username.slice(0, 17) + "…" : u.username;
    b.querySelector("span").textContent = u.note;
    b.onclick = () => { const i = $("#composer-input"); i.value = `${ui.setup.command} lookup ${u.username}`; i.focus(); };
    return b;
  }));
  const more = ui.setup.users - ui.setup.try.length;
  if (more > 0) $("#try").append(Object.assign(document.createElement("div"), { className: "try-more", textContent: `…and ${more} more: try ${ui.setup.command} list` }));
}

function renderChannels(state) {
  const seen = ui.seen[ui.persona] || (ui.seen[ui.persona] = {});
  seen[ui.channel] = state.counts[ui.channel] || 0;
  localStorage.setItem("sandbox.seen", JSON.stringify(ui.seen));
  $("#channels").replaceChildren(...state.channels.map((c) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "channel" + (c.id === ui.channel ? " active" : "");
    b.dataset.channel = c.id;
    b.textContent = channelIcon(c.kind) + c.name;
    const unread = (state.counts[c.id] || 0) - (seen[c.id] || 0);
    if (unread > 0) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = unread;
      b.append(badge);
    }
    b.onclick = () => switchChannel(c.id);
    return b;
  }));
  const cur = state.channels.find((c) => c.id === ui.channel);
  $("#conv-name").textContent = cur ? channelIcon(cur.kind) + cur.name : "";
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  const asked = { persona: ui.persona, channel: ui.channel };
  try {
    const q = new URLSearchParams({ ...asked, since: ui.version });
    const res = await fetch("/api/state?" + q);
    // A persona or channel switch while the request was out makes its answer stale.
    if (asked.persona !== ui.persona || asked.channel !== ui.channel) return;
    if (res.status === 200) {
      ui.version = res.headers.get("X-State-Version") || "";
      apply(await res.json());
    } else if (res.status === 400) {
      ui.channel = "C0SUPPORT";
      ui.version = "";
    }
  } catch (e) {
    // the sandbox was stopped or restarted; keep trying
  } finally {
    polling = false;
  }
}
setInterval(poll, 400);

function apply(state) {
  if (!state.channels.some((c) => c.id === ui.channel)) {
    ui.channel = state.channels[0].id;
    ui.version = "";
  }
  renderChannels(state);
  const box = $("#messages");
  if (box.dataset.html !== state.messages) {
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.innerHTML = state.messages;
    box.dataset.html = state.messages;
    if (atBottom || box.dataset.channel !== ui.channel + ui.persona) box.scrollTop = box.scrollHeight;
    box.dataset.channel = ui.channel + ui.persona;
  }
  const audit = $("#audit");
  if (audit.dataset.html !== state.audit) {
    audit.innerHTML = state.audit;
    audit.dataset.html = state.audit;
  }
  renderModal(state.modal);
}

// fieldState snapshots what the user did in a modal's fields (typed text,
// ticked boxes), so a re-render keeps it.
function fieldState(layer) {
  const state = {};
  layer.querySelectorAll("[name]").forEach((el) => {
    if (el.type === "checkbox" || el.type === "radio") state[el.name + "\n" + el.value] = el.checked;
    else state[el.name] = el.value;
  });
  return state;
}

function restoreFields(layer, state) {
  layer.querySelectorAll("[name]").forEach((el) => {
    const key = el.type === "checkbox" || el.type === "radio" ? el.name + "\n" + el.value : el.name;
    if (!(key in state)) return;
    if (key === el.name) el.value = state[key];
    else el.checked = state[key];
  });
  layer.querySelectorAll(".bk-multi").forEach(syncChips);
}

// renderModal shows the persona's open modal, keeping what was typed when the
// bot updates it (e.g. with input errors).
function renderModal(modal) {
  const layer = $("#modal-layer");
  if (!modal) {
    layer.hidden = true;
    layer.replaceChildren();
    ui.modalID = ui.modalHTML = "";
    return;
  }
  if (modal.id === ui.modalID && modal.html === ui.modalHTML) return;
  const typed = fieldState(layer);
  layer.innerHTML = modal.html;
  layer.hidden = false;
  if (modal.id === ui.modalID) restoreFields(layer, typed);
  for (const [block, msg] of Object.entries(modal.errors || {})) {
    const slot = layer.querySelector(`[data-error-for="${CSS.escape(block)}"]`);
    if (slot) slot.textContent = msg;
  }
  ui.modalID = modal.id;
  ui.modalHTML = modal.html;
  const first = layer.querySelector("textarea, input:not([type=checkbox]):not([type=radio]), select");
  if (first) first.focus();
}

// syncChips redraws a multi-select's chips from its ticked options and, at
// max_selected_items, stops more from being ticked.
function syncChips(multi) {
  const ticked = [...multi.querySelectorAll("input[type=checkbox]")].filter((c) => c.checked);
  multi.querySelector(".bk-chips").replaceChildren(...ticked.map((c) => {
    const chip = document.createElement("span");
    chip.className = "bk-chip";
    chip.dataset.value = c.value;
    chip.innerHTML = c.nextElementSibling.innerHTML;
    const x = document.createElement("button");
    x.type = "button";
    x.className = "bk-chip-x";
    x.setAttribute("aria-label", "Remove");
    x.textContent = "×";
    x.onclick = (ev) => { ev.preventDefault(); c.checked = false; syncChips(multi); };
    chip.append(x);
    return chip;
  }));
  const max = Number(multi.dataset.max || 0);
  multi.querySelectorAll("input[type=checkbox]").forEach((c) => { c.disabled = max > 0 && !c.checked && ticked.length >= max; });
}

$("#modal-layer").addEventListener("change", (ev) => {
  const multi = ev.target.closest(".bk-multi");
  if (multi) syncChips(multi);
});

// A click outside an open multi-select's menu closes it, as in Slack.
$("#modal-layer").addEventListener("click", (ev) => {
  document.querySelectorAll("#modal-layer details.bk-multi[open]").forEach((d) => { if (!d.contains(ev.target)) d.open = false; });
});

// fieldValue reads one field the way Slack's client reports it: a string for
// text, selects and dates, the ticked radio's value, or a list of ticked values.
function fieldValue(el) {
  switch (el.dataset.shape) {
    case "list": return [...el.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value);
    case "one": return el.querySelector("input[type=radio]:checked")?.value || "";
    case "file": return el.dataset.fileId ? [el.dataset.fileId] : [];
    default: return el.value;
  }
}

// uploadFiles sends each chosen file first, as Slack's client does, and keeps
// the file id the form then carries.
async function uploadFiles(form) {
  for (const el of form.querySelectorAll("[data-shape=file]")) {
    delete el.dataset.fileId;
    const file = el.files && el.files[0];
    if (!file) continue;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const res = await api("/api/file", { persona: ui.persona, name: file.name, content: btoa(bin) });
    el.dataset.fileId = res.id;
  }
}

$("#modal-layer").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const values = {};
  let missing = false;
  try {
    await uploadFiles(form);
  } catch (e) { toast(e.message); return; }
  form.querySelectorAll("[data-shape]").forEach((el) => {
    const v = fieldValue(el);
    const slot = form.querySelector(`[data-error-for="${CSS.escape(el.dataset.blockId)}"]`);
    // The browser checks required text fields; lists and radios are checked
    // here, as Slack's client does, before anything is sent.
    if (el.dataset.required !== undefined && el.dataset.shape !== "text" && v.length === 0) {
      missing = true;
      if (slot) slot.textContent = "Please complete this required field.";
      return;
    }
    (values[el.dataset.blockId] || (values[el.dataset.blockId] = {}))[el.dataset.actionId] = v;
  });
  if (missing) return;
  try {
    await api("/api/submit", { persona: ui.persona, viewId: form.dataset.viewId, values });
  } catch (e) { toast(e.message); }
});

$("#modal-layer").addEventListener("click", async (ev) => {
  const close = ev.target.closest("[data-modal=close]");
  if (!close) return;
  const form = close.closest("form");
  try {
    await api("/api/close", { persona: ui.persona, viewId: form.dataset.viewId });
  } catch (e) { toast(e.message); }
  poll();
});

// confirmFirst opens the element's confirm dialog, if it has one, and
// resolves true when the user confirms (Slack's client does the same).
function confirmFirst(el) {
  const tpl = el.closest(".bk-el")?.querySelector("template.bk-confirm");
  if (!tpl) return Promise.resolve(true);
  const layer = $("#dialog-layer");
  const dialog = $("#dialog");
  dialog.replaceChildren(tpl.content.cloneNode(true));
  layer.hidden = false;
  return new Promise((resolve) => {
    dialog.onclick = (ev) => {
      const b = ev.target.closest("[data-dialog]");
      if (!b) return;
      layer.hidden = true;
      dialog.onclick = null;
      resolve(b.dataset.dialog === "confirm");
    };
    dialog.querySelector("[data-dialog=confirm]").focus();
  });
}

async function act(el, value) {
  const msg = el.closest(".msg");
  if (!msg) return;
  if (!(await confirmFirst(el))) return;
  if (el.dataset.url) window.open(el.dataset.url, "_blank", "noopener");
  try {
    // The message's checkboxes travel with the click, as Slack sends state.
    const ticked = {};
    msg.querySelectorAll('.bk-choices[data-kind="checkboxes"]').forEach((g) => {
      ticked[g.dataset.actionId] = [...g.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value);
    });
    await api("/api/action", {
      persona: ui.persona, channel: msg.dataset.channel, ts: msg.dataset.ts,
      kind: el.dataset.kind, actionId: el.dataset.actionId, value, ticked,
    });
  } catch (e) { toast(e.message); }
  poll();
}

$("#messages").addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-kind=button], [data-kind=overflow]");
  if (!el) return;
  el.closest("details")?.removeAttribute("open");
  act(el, el.dataset.value);
});

$("#messages").addEventListener("change", (ev) => {
  const el = ev.target.closest("select[data-kind=static_select]");
  if (el) act(el, el.value);
});

$("#composer").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("#composer-input");
  let text = input.value.trim();
  if (!text) return;
  const cmd = ui.setup.command;
  if (!text.startsWith("/")) text = `${cmd} ${text}`;
  ui.history = [text, ...ui.history.filter((h) => h !== text)].slice(0, 50);
  localStorage.setItem("sandbox.history", JSON.stringify(ui.history));
  ui.historyAt = -1;
  input.value = "";
  try {
    await api("/api/command", { persona: ui.persona, channel: ui.channel, text });
  } catch (e) {
    toast(e.message);
    input.value = text;
  }
  poll();
});

$("#composer-input").addEventListener("keydown", (ev) => {
  if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") return;
  const n = ui.history.length;
  if (!n) return;
  ui.historyAt = Math.max(-1, Math.min(n - 1, ui.historyAt + (ev.key === "ArrowUp" ? 1 : -1)));
  ev.target.value = ui.historyAt < 0 ? "" : ui.history[ui.historyAt];
  ev.preventDefault();
});

$("#show-config").onclick = () => { $("#config-layer").hidden = false; };
$("#config-close").onclick = () => { $("#config-layer").hidden = true; };
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") { $("#config-layer").hidden = true; }
});

start().catch((e) => toast("The sandbox is not answering: " + e.message));
