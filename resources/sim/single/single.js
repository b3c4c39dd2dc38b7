// The simulated tenant's /single/ page: opens its own engine socket (same identity, so the
// same engine session as any other client), renders the requested sheet or object and keeps
// it current from the engine's `change` lists; a closed socket leaves a dialog over the
// stale sheet, as Qlik's own page does. Tests read `document.body.dataset.state`
// (loading | ready | error) and the read-only `window.simPage` facts.

import { QixError, QixSocket } from "./qix.js";
import { cubeOf, renderFilterPane, renderObject, renderSelections } from "./render.js";

const config = JSON.parse(document.getElementById("sim-config").textContent);
const GLOBAL = -1;
const MAX_CELLS = 10000; // the engine's limit per data page
const FATAL_STATES = /^SESSION_(ERROR|ACCESS)/;

const facts = {
  state: "loading",
  sessionState: null, // qSessionState of OnConnected
  objectIds: [], // ids of the visualizations on screen, in sheet order
  renders: 0, // visualizations drawn so far (grows on every change)
  selections: [], // [{field, values}] as the selections bar shows them
  theme: null,
  lang: config.lang,
  closed: null, // {code, reason} once the engine socket has closed
  notification: null, // the last proxy/engine notification method
  error: null, // {code, message} when state is "error"
  warnings: [...config.warnings], // parameters that could not be applied (unknown field...)
};
const page = {};
for (const key of Object.keys(facts)) {
  Object.defineProperty(page, key, { enumerable: true, get: () => structuredClone(facts[key]) });
}
window.simPage = Object.freeze(page);

const objects = new Map(); // engine handle -> {id, cell, layout, children?}
const redraws = new Map(); // engine handle -> promise chain of pending redraws
const dirty = new Set();
let qix = null;
let doc = null;
let selectionsHandle = null;

function t(key, values = {}) {
  const text = config.labels[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function setState(state) {
  facts.state = state;
  document.body.dataset.state = state;
  document.getElementById("sheet").setAttribute("aria-busy", String(state === "loading"));
}

function showDialog(title, message, action) {
  document.getElementById("dialog-title").textContent = title;
  document.getElementById("dialog-message").textContent = message;
  const button = document.getElementById("dialog-action");
  button.textContent = action.label;
  button.onclick = action.run;
  document.getElementById("dialog").hidden = false;
}

function fail(error) {
  if (facts.state === "error") return;
  facts.error = { code: error.code ?? null, message: error.message };
  setState("error");
  showDialog(t("errorTitle"), error.message, { label: t("reload"), run: () => location.reload() });
}

function applyTheme(name) {
  facts.theme = config.themes.includes(name) ? name : config.themes[0];
  document.body.dataset.theme = facts.theme;
}

async function csrfToken() {
  for (const path of config.csrfPaths) {
    const response = await fetch(path, { credentials: "same-origin" }).catch(() => null);
    const token = response?.ok ? response.headers.get("qlik-csrf-token") : null;
    if (token) return token;
  }
  return null;
}

function engineUrl(token) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let path = `${config.prefix}/app/${encodeURIComponent(config.appId)}`;
  if (config.identity) path += `/identity/${encodeURIComponent(config.identity)}`;
  const query = token ? `?qlik-csrf-token=${encodeURIComponent(token)}` : "";
  return `${scheme}://${location.host}${path}${query}`;
}

function onNotification(method, params) {
  facts.notification = method;
  if (method === "OnConnected") {
    facts.sessionState = params.qSessionState ?? null;
    if (FATAL_STATES.test(facts.sessionState ?? "")) {
      fail({ code: facts.sessionState, message: t("sessionRefused", { state: facts.sessionState }) });
    }
  } else if (method === "OnAuthenticationInformation" && params.mustAuthenticate) {
    if (params.loginUri) location.assign(params.loginUri);
  }
}

function onClosed(closed) {
  if (facts.state === "error") return;
  const timedOut = facts.notification === "OnSessionTimedOut";
  facts.closed = closed;
  facts.error = { code: closed.code, message: closed.reason };
  setState("error");
  showDialog(
    t(timedOut ? "sessionTimedOut" : "connectionLost"),
    t("connectionLostDetail", { code: closed.code }),
    { label: t("reload"), run: () => location.reload() },
  );
}

function onChange(handles) {
  for (const handle of handles) {
    if (objects.has(handle)) scheduleRedraw(handle);
    if (handle === selectionsHandle) scheduleSelections();
  }
}

function objectHandle(reply, what, id) {
  const handle = reply.qReturn?.qHandle;
  if (handle === null || handle === undefined) {
    throw new QixError("GetObject", { code: 1003, message: t(what, { id }) });
  }
  return handle;
}

async function openDoc() {
  let reply;
  try {
    reply = await qix.call(GLOBAL, "OpenDoc", [config.appId]);
  } catch (error) {
    if (error.code !== 1002) throw error; // 1002: already open in this (attached) session
    reply = await qix.call(GLOBAL, "GetActiveDoc", []);
  }
  return objectHandle(reply, "appNotFound", config.appId);
}

/** A layout whose hypercube or list object carries its first data page (fetched when the
 * layout has none). */
async function layoutWithData(handle) {
  const layout = (await qix.call(handle, "GetLayout", [])).qLayout;
  const list = layout.qListObject;
  if (list && !list.qDataPages?.length && list.qSize?.qcy) {
    const page = { qTop: 0, qLeft: 0, qWidth: 1, qHeight: Math.min(list.qSize.qcy, MAX_CELLS) };
    const data = await qix.call(handle, "GetListObjectData", ["/qListObjectDef", [page]]);
    return { ...layout, qListObject: { ...list, qDataPages: data.qDataPages } };
  }
  const cube = layout.qHyperCube;
  if (!cube || cube.qDataPages?.length || !cube.qSize?.qcy) return layout;
  const width = Math.max(1, cube.qSize.qcx);
  const height = Math.min(cube.qSize.qcy, Math.floor(MAX_CELLS / width));
  const page = { qTop: 0, qLeft: 0, qWidth: width, qHeight: height };
  const data = await qix.call(handle, "GetHyperCubeData", ["/qHyperCubeDef", [page]]);
  return { ...layout, qHyperCube: { ...cube, qDataPages: data.qDataPages } };
}

async function createSessionObject(properties) {
  const reply = await qix.call(doc, "CreateSessionObject", [properties]);
  return objectHandle(reply, "objectNotFound", properties.qInfo.qType);
}

/** The app's theme name, read through a short-lived appprops list object. */
async function appTheme() {
  const handle = await createSessionObject({
    qInfo: { qType: "AppPropsList" },
    qAppObjectListDef: { qType: "appprops", qData: { theme: "/theme" } },
  });
  const layout = (await qix.call(handle, "GetLayout", [])).qLayout;
  await qix.call(doc, "DestroySessionObject", [layout.qInfo.qId]);
  return layout.qAppObjectList?.qItems?.[0]?.qData?.theme ?? null;
}

async function select(handle, dimension, elemNumber) {
  if (config.options.includes("noselections")) return;
  if (objects.get(handle)?.layout?.qListObject) {
    await qix.call(handle, "SelectListObjectValues", ["/qListObjectDef", [elemNumber], true]);
    return;
  }
  await qix.call(handle, "SelectHyperCubeValues", ["/qHyperCubeDef", dimension, [elemNumber], true]);
}

/** Select `values` in `field` (the `select=` parameter) through a temporary list hypercube. */
async function selectFieldValues({ field, values }) {
  const handle = await createSessionObject({
    qInfo: { qType: "sim-select" },
    qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [field] } }] },
  });
  const layout = await layoutWithData(handle);
  const wanted = cubeOf(layout)
    .rows.filter((row) => values.includes(row[0]?.qText))
    .map((row) => row[0].qElemNumber);
  if (wanted.length) {
    await qix.call(handle, "SelectHyperCubeValues", ["/qHyperCubeDef", 0, wanted, false]);
  } else {
    facts.warnings.push(`select: no value ${values.join(",")} in field ${field}`);
  }
  await qix.call(doc, "DestroySessionObject", [layout.qInfo.qId]);
}

/** Apply the `bookmark=` parameter, an id or else a bookmark title. */
async function applyBookmark(idOrTitle) {
  let reply = await qix.call(doc, "ApplyBookmark", [idOrTitle]);
  if (!reply.qSuccess) {
    const options = { qTypes: ["bookmark"], qData: { title: "/title" } };
    const { qList } = await qix.call(doc, "GetBookmarks", [options]);
    const match = (qList ?? []).find((item) => item.qMeta?.title === idOrTitle);
    if (match) reply = await qix.call(doc, "ApplyBookmark", [match.qInfo.qId]);
  }
  if (!reply.qSuccess) facts.warnings.push(`bookmark: no bookmark ${idOrTitle}`);
}

/** A filter pane's list boxes, each its own engine object with a slot in the pane (once). */
async function drawFilterPane(entry) {
  if (entry.children) return;
  entry.children = [];
  const slots = [];
  for (const item of entry.layout.qChildList?.qItems ?? []) {
    const id = item.qInfo.qId;
    const child = objectHandle(await qix.call(doc, "GetObject", [id]), "objectNotFound", id);
    const slot = document.createElement("div");
    slot.className = "listbox-slot";
    objects.set(child, { id, cell: slot, layout: null });
    entry.children.push(child);
    slots.push(slot);
  }
  entry.cell.replaceChildren(renderFilterPane(entry.layout, slots));
  await Promise.all(entry.children.map((child) => redraw(child)));
}

async function redraw(handle) {
  const entry = objects.get(handle);
  entry.layout = await layoutWithData(handle);
  if (entry.layout.qInfo?.qType === "filterpane") {
    await drawFilterPane(entry);
    facts.renders += 1;
    return;
  }
  entry.cell.replaceChildren(
    renderObject(entry.layout, (dim, elem) => select(handle, dim, elem).catch(fail), t),
  );
  facts.renders += 1;
}

function scheduleRedraw(handle) {
  if (dirty.has(handle)) return;
  dirty.add(handle);
  const previous = redraws.get(handle) ?? Promise.resolve();
  const next = previous.then(() => {
    dirty.delete(handle);
    return redraw(handle);
  });
  redraws.set(handle, next.catch(fail));
}

function placeCell(cell, placement) {
  const { col, row, colspan, rowspan } = placement ?? {};
  if ([col, row, colspan, rowspan].every(Number.isFinite)) {
    cell.style.gridColumn = `${col + 1} / span ${colspan}`;
    cell.style.gridRow = `${row + 1} / span ${rowspan}`;
  }
}

/** The sheet's objects as [{id, placement}], from its `cells` or else its child list. */
function sheetChildren(layout) {
  if (Array.isArray(layout.cells) && layout.cells.length) {
    return layout.cells.map((cell) => ({ id: cell.name, placement: cell }));
  }
  return (layout.qChildList?.qItems ?? []).map((item) => ({ id: item.qInfo.qId }));
}

async function renderSheet(sheetId) {
  const sheet = objectHandle(
    await qix.call(doc, "GetObject", [sheetId]),
    "sheetNotFound",
    sheetId,
  );
  const layout = (await qix.call(sheet, "GetLayout", [])).qLayout;
  const title = layout.qMeta?.title ?? layout.title;
  if (title) document.getElementById("sheet-title").textContent = title;
  const grid = document.getElementById("sheet");
  grid.classList.toggle("placed", sheetChildren(layout).some((c) => c.placement));
  if (Number.isFinite(layout.columns)) grid.style.setProperty("--columns", layout.columns);
  if (Number.isFinite(layout.rows)) grid.style.setProperty("--rows", layout.rows);
  await renderObjects(sheetChildren(layout));
}

async function renderObjects(children) {
  const grid = document.getElementById("sheet");
  const cells = [];
  for (const { id, placement } of children) {
    const handle = objectHandle(await qix.call(doc, "GetObject", [id]), "objectNotFound", id);
    const cell = document.createElement("div");
    cell.className = "cell";
    placeCell(cell, placement);
    objects.set(handle, { id, cell, layout: null });
    cells.push(cell);
  }
  grid.replaceChildren(...cells);
  facts.objectIds = [...objects.values()].map((entry) => entry.id);
  await Promise.all([...objects.keys()].map((handle) => redraw(handle)));
}

async function currentSelections() {
  const layout = (await qix.call(selectionsHandle, "GetLayout", [])).qLayout;
  return (layout.qSelectionObject?.qSelections ?? []).map((s) => ({
    field: s.qField,
    values: s.qSelectedFieldSelectionInfo?.map((v) => v.qName) ?? String(s.qSelected).split(", "),
  }));
}

async function drawSelections() {
  facts.selections = await currentSelections();
  const bar = document.getElementById("selections");
  const clear = () => qix.call(doc, "ClearAll", [false]).catch(fail);
  bar.replaceChildren(renderSelections(facts.selections, clear, t));
  bar.hidden = false;
}

let selectionsPending = null;
function scheduleSelections() {
  selectionsPending ??= Promise.resolve().then(() => {
    selectionsPending = null;
    return drawSelections();
  });
  selectionsPending.catch(fail);
}

async function watchSelections() {
  selectionsHandle = await createSessionObject({
    qInfo: { qType: "CurrentSelections" },
    qSelectionObjectDef: {},
  });
}

async function main() {
  if (config.theme) applyTheme(config.theme);
  qix = new QixSocket(engineUrl(await csrfToken()), { onNotification, onChange, onClosed });
  await qix.open();
  doc = await openDoc();
  if (!config.theme) applyTheme(await appTheme().catch(() => null));
  if (config.bookmark) await applyBookmark(config.bookmark);
  for (const selection of config.selections) await selectFieldValues(selection);
  if (config.options.includes("currsel")) await watchSelections();
  if (config.objectId) {
    document.body.classList.add("single-object");
    await renderObjects([{ id: config.objectId }]);
  } else {
    await renderSheet(config.sheetId);
  }
  if (config.options.includes("currsel")) await drawSelections();
  if (facts.state === "loading") setState("ready");
}

main().catch(fail);
