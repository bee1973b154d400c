// SMTP Shield's dashboard: reads the shield's WebAdmin routes of this same server and lifts blocks through them.
// Nothing is loaded from elsewhere (the page's Content-Security-Policy forbids it); text from the server is only ever
// set as text, never as markup. The WebAdmin JWT, when WebAdmin asks for one, stays in this tab's sessionStorage.
"use strict";

const TOKEN_KEY = "smtpshield.webadmin.token";
const REFRESH_EVERY_MS = 5000;
const COLOURS = ["#2456c7", "#d1495b", "#edae49", "#00798c", "#8e5ea2", "#3c8d2f", "#e07a1f", "#6b7385", "#30343f"];
const SVG = "http://www.w3.org/2000/svg";

const colours = new Map();
// What each part of the page shows now, as JSON: a part is drawn again only when its data changed, so that a
// refresh never replaces a button under the operator's pointer.
const shown = new Map();

function changed(part, data) {
  const json = JSON.stringify(data);
  if (shown.get(part) === json) {
    return false;
  }
  shown.set(part, json);
  return true;
}

function colour(rule) {
  if (!colours.has(rule)) {
    colours.set(rule, COLOURS[colours.size % COLOURS.length]);
  }
  return colours.get(rule);
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

async function call(method, path) {
  const headers = { Accept: "application/json" };
  if (token()) {
    headers.Authorization = "Bearer " + token();
  }
  const response = await fetch(path, { method, headers, credentials: "omit", cache: "no-store" });
  if (response.status === 401) {
    throw new Error("WebAdmin asks for a valid JWT: paste it in the token field");
  }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try {
      message = (await response.json()).message || message;
    } catch (ignored) {
      // Not James's JSON error: the status says enough.
    }
    throw new Error(method + " " + path + ": " + message);
  }
  return response.status === 204 ? null : response.json();
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

function fill(tableId, emptyId, items, addRow) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  items.forEach((item) => addRow(body.insertRow(), item));
  if (emptyId) {
    document.getElementById(emptyId).hidden = items.length > 0;
  }
}

// UTC, to the second, without the year: 12-02 06:36:21.
function time(iso) {
  return new Date(iso).toISOString().slice(5, 19).replace("T", " ");
}

function showBlocks(blocks) {
  fill("blocks", "no-blocks", blocks, (row, block) => {
    row.dataset.ip = block.ip;
    cell(row, block.ip);
    cell(row, block.reason);
    cell(row, time(block.since));
    cell(row, time(block.until));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lift";
    button.textContent = "Lift";
    button.title = "Lift the block of " + block.ip;
    button.addEventListener("click", () => lift(block.ip, button));
    row.insertCell().append(button);
  });
}

async function lift(ip, button) {
  button.disabled = true;
  try {
    await call("DELETE", "/smtpshield/blocked/" + encodeURIComponent(ip));
    await refresh();
  } catch (e) {
    showError(e);
    button.disabled = false;
  }
}

function showStatus(status) {
  fill("rules", null, status.rules, (row, rule) => {
    cell(row, rule.rule);
    cell(row, rule.state || "-", rule.state ? "state-" + rule.state : "");
    cell(row, String(rule.refused), "number");
    cell(row, String(rule.observed), "number");
  });
  fill("clients", "no-clients", status.topClients, (row, client) => {
    cell(row, client.ip);
    cell(row, String(client.refused), "number");
    cell(row, String(client.observed), "number");
  });
  const store = document.getElementById("store");
  store.textContent = status.store.type + (status.store.up ? " up, " + status.store.millis + " ms" : " DOWN: " + status.store.detail);
  store.className = status.store.up ? "" : "down";
}

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG, name);
  Object.entries(attributes).forEach(([key, value]) => element.setAttribute(key, String(value)));
  parent.append(element);
  return element;
}

// Stacked bars, one per minute, one colour per rule: refused and observed counts together.
function showChart(refusals) {
  const minutes = refusals.minutes;
  const chart = document.getElementById("chart");
  const width = Math.max(360, chart.clientWidth || 720), height = 220, left = 36, bottom = 20, top = 8;
  const plotWidth = width - left - 4, plotHeight = height - bottom - top;
  const rules = new Set();
  const totals = minutes.map((minute) => {
    let total = 0;
    for (const counts of [minute.refused, minute.observed]) {
      for (const [rule, n] of Object.entries(counts)) {
        rules.add(rule);
        total += n;
      }
    }
    return total;
  });
  const max = Math.max(1, ...totals);
  const root = document.createElementNS(SVG, "svg");
  root.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg("line", { x1: left, y1: top + plotHeight, x2: width - 4, y2: top + plotHeight, stroke: "#d9dde5" }, root);
  svg("text", { x: left - 4, y: top + 8, "text-anchor": "end" }, root).textContent = String(max);
  svg("text", { x: left - 4, y: top + plotHeight, "text-anchor": "end" }, root).textContent = "0";
  const step = plotWidth / minutes.length;
  minutes.forEach((minute, i) => {
    let y = top + plotHeight;
    const sorted = [...rules].sort();
    for (const rule of sorted) {
      const n = (minute.refused[rule] || 0) + (minute.observed[rule] || 0);
      if (n > 0) {
        const h = (n / max) * plotHeight;
        y -= h;
        const bar = svg("rect", { x: left + i * step + 1, y, width: Math.max(1, step - 2), height: h, fill: colour(rule) }, root);
        svg("title", {}, bar).textContent = time(minute.start) + " " + rule + ": " + n;
      }
    }
    if (i % 10 === 0 || i === minutes.length - 1) {
      const label = svg("text", { x: left + i * step + step / 2, y: height - 6, "text-anchor": "middle" }, root);
      label.textContent = time(minute.start).slice(6, 11);
    }
  });
  chart.replaceChildren(root);
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  [...rules].sort().forEach((rule) => {
    const item = document.createElement("li");
    item.textContent = rule;
    item.style.setProperty("--swatch", colour(rule));
    legend.append(item);
  });
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error ? error.message : "";
  box.hidden = !error;
}

async function refresh() {
  try {
    const [status, blocks, refusals, policy] = await Promise.all([
      call("GET", "/smtpshield/status"),
      call("GET", "/smtpshield/blocked"),
      call("GET", "/smtpshield/refusals"),
      call("GET", "/smtpshield/policy"),
    ]);
    if (changed("status", status)) {
      showStatus(status);
    }
    if (changed("blocks", blocks)) {
      showBlocks(blocks);
    }
    if (changed("refusals", refusals)) {
      showChart(refusals);
    }
    if (changed("policy", policy)) {
      document.getElementById("policy").textContent = JSON.stringify(policy, null, 2);
    }
    document.getElementById("updated").textContent = "updated " + time(new Date().toISOString()) + " UTC";
    showError(null);
  } catch (e) {
    showError(e);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const field = document.getElementById("token");
  field.value = token();
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, field.value.trim());
    refresh();
  });
  refresh();
  setInterval(refresh, REFRESH_EVERY_MS);
});
