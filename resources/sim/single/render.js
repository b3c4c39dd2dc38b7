// Builds the DOM of the sheet's visualizations (KPI, SVG bar chart, table) and of the
// selections bar from engine layouts. Pure rendering: no engine calls, clicks go to callbacks.

const SVG = "http://www.w3.org/2000/svg";
const CHART = { width: 640, height: 320, top: 24, bottom: 48, left: 16, right: 16 };

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** Dimension/measure headers and the rows of a layout's hypercube (first data page). */
export function cubeOf(layout) {
  const cube = layout.qHyperCube ?? {};
  return {
    dimensions: cube.qDimensionInfo ?? [],
    measures: cube.qMeasureInfo ?? [],
    rows: cube.qDataPages?.[0]?.qMatrix ?? [],
    grandTotals: cube.qGrandTotalRow ?? [],
  };
}

export function titleOf(layout) {
  const cube = cubeOf(layout);
  return (
    layout.title ||
    layout.qMeta?.title ||
    cube.measures[0]?.qFallbackTitle ||
    layout.qInfo?.qId ||
    ""
  );
}

function kpi(layout) {
  const cube = cubeOf(layout);
  const cell = cube.rows[0]?.[cube.dimensions.length] ?? cube.grandTotals[0];
  const value = element("div", { class: "kpi-value" }, [cell?.qText ?? "–"]);
  if (layout.showMeasureTitle === false) return value;
  const label = element("div", { class: "kpi-label" }, [cube.measures[0]?.qFallbackTitle ?? ""]);
  return element("div", { class: "kpi" }, [value, label]);
}

function barChart(layout, select) {
  const { rows, dimensions } = cubeOf(layout);
  const { width, height, top, bottom, left, right } = CHART;
  const svg = svgElement("svg", {
    class: "barchart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
  });
  const values = rows.map((row) => Number(row[dimensions.length]?.qNum) || 0);
  const max = Math.max(1, ...values);
  const slot = (width - left - right) / Math.max(1, rows.length);
  const plotHeight = height - top - bottom;
  const fontSize = `font-size: ${Math.min(12, slot / 5).toFixed(1)}px`; // labels must not touch
  svg.append(svgElement("line", {
    class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom,
  }));
  rows.forEach((row, index) => {
    const dimension = row[0];
    const barHeight = Math.max(1, (values[index] / max) * plotHeight);
    const x = left + index * slot + slot * 0.15;
    const bar = svgElement("rect", {
      class: `bar state-${dimension.qState ?? "O"}`,
      x: x.toFixed(1),
      y: (height - bottom - barHeight).toFixed(1),
      width: (slot * 0.7).toFixed(1),
      height: barHeight.toFixed(1),
      "data-elem": dimension.qElemNumber,
      "data-text": dimension.qText,
    });
    bar.addEventListener("click", () => select(0, dimension.qElemNumber));
    const tip = svgElement("title");
    tip.textContent = `${dimension.qText}: ${row[dimensions.length]?.qText ?? ""}`;
    bar.append(tip);
    const label = svgElement("text", {
      class: "bar-label", x: (x + slot * 0.35).toFixed(1), y: height - bottom + 18,
      "text-anchor": "middle", style: fontSize,
    });
    label.textContent = dimension.qText;
    const value = svgElement("text", {
      class: "bar-value", x: (x + slot * 0.35).toFixed(1),
      y: (height - bottom - barHeight - 6).toFixed(1), "text-anchor": "middle", style: fontSize,
    });
    value.textContent = row[dimensions.length]?.qText ?? "";
    svg.append(bar, label, value);
  });
  return svg;
}

function table(layout, select) {
  const { dimensions, measures, rows } = cubeOf(layout);
  const headers = [...dimensions, ...measures].map((info) =>
    element("th", {}, [info.qFallbackTitle ?? ""]));
  const body = rows.map((row) =>
    element("tr", {}, row.map((cell, column) => {
      if (column >= dimensions.length) return element("td", { class: "num" }, [cell.qText ?? ""]);
      const td = element("td", {
        class: `dim state-${cell.qState ?? "O"}`, "data-elem": cell.qElemNumber,
      }, [cell.qText ?? ""]);
      td.addEventListener("click", () => select(column, cell.qElemNumber));
      return td;
    })));
  const head = [element("tr", {}, headers)];
  const totals = layout.totals;
  const grandTotals = cubeOf(layout).grandTotals;
  if (totals?.show && totals.position !== "noTotals" && grandTotals.length) {
    const label = element("td", { class: "totals-label" }, [totals.label || "Totals"]);
    const cells = grandTotals.map((cell) => element("td", { class: "num" }, [cell.qText ?? ""]));
    const filler = dimensions.slice(1).map(() => element("td"));
    const row = element("tr", { class: "totals" }, [label, ...filler, ...cells]);
    if (totals.position === "bottom") body.push(row);
    else head.push(row);
  }
  return element("table", { class: "sim-table" }, [
    element("thead", {}, head),
    element("tbody", {}, body),
  ]);
}

/** A list box: the field's values, each coloured by its state (S, O, A, X) as Qlik does. */
function listbox(layout, select) {
  const list = layout.qListObject ?? {};
  const rows = list.qDataPages?.[0]?.qMatrix ?? [];
  const items = rows.map((row) => {
    const cell = row[0] ?? {};
    const item = element("li", {
      class: `value state-${cell.qState ?? "O"}`,
      "data-elem": cell.qElemNumber,
      "data-state": cell.qState ?? "O",
      title: cell.qText ?? "",
    }, [cell.qText ?? ""]);
    item.addEventListener("click", () => select(0, cell.qElemNumber));
    return item;
  });
  return element("ul", { class: "listbox-values", role: "listbox" }, items);
}

const RENDERERS = { kpi, barchart: barChart, table, listbox };

/** A filter pane: a column of slots, one per list box (each list box draws into its slot). */
export function renderFilterPane(layout, slots) {
  return element("section", {
    class: "object object-filterpane",
    "data-object-id": layout.qInfo?.qId ?? "",
  }, slots);
}

/**
 * The card for one object: its title and its visualization.
 * @param select (dimensionIndex, elemNumber) => void, called when a bar or a cell is clicked
 */
export function renderObject(layout, select, t) {
  const type = layout.qInfo?.qType ?? "";
  const render = RENDERERS[type];
  const body = render
    ? render(layout, select)
    : element("div", { class: "unsupported" }, [t("unsupportedObject", { type })]);
  return element("section", {
    class: `object object-${type || "unknown"}`,
    "data-object-id": layout.qInfo?.qId ?? "",
  }, [element("h2", { class: "object-title" }, [titleOf(layout)]), body]);
}

/** The selections bar: one chip per field with its selected values, and a clear-all button. */
export function renderSelections(selections, clearAll, t) {
  const chips = selections.length
    ? selections.map((s) => element("span", { class: "chip", "data-field": s.field }, [
        element("b", {}, [s.field]), ` ${s.values.join(", ")}`,
      ]))
    : [element("span", { class: "none" }, [t("noSelections")])];
  const clear = element("button", { type: "button", class: "clear-all" }, [t("clearAll")]);
  clear.disabled = selections.length === 0;
  clear.addEventListener("click", clearAll);
  return element("div", { class: "selections-inner" }, [
    element("span", { class: "selections-label" }, [t("selections")]),
    ...chips,
    clear,
  ]);
}
