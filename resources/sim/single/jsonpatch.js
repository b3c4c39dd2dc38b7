// Applies the JSON-Patch (RFC 6902) operations a QIX engine sends in delta mode: add, remove,
// replace, plus move, copy and test (diff libraries emit moves for reordered lists).
// A patch never mutates its input: the result shares no objects with the old value.

const ROOT_PATHS = new Set(["", "/"]); // Qlik sends a whole new value as {op:"add", path:"/"}

function parsePointer(path) {
  if (!path.startsWith("/")) {
    throw new Error(`JSON pointer must start with "/": ${JSON.stringify(path)}`);
  }
  return path
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function arrayIndex(array, token, allowEnd) {
  if (token === "-" && allowEnd) return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new Error(`bad array index ${token}`);
  const index = Number(token);
  if (index > array.length || (!allowEnd && index === array.length)) {
    throw new Error(`array index ${index} out of range`);
  }
  return index;
}

function valueAt(document, path) {
  if (ROOT_PATHS.has(path)) return document;
  let value = document;
  for (const token of parsePointer(path)) {
    value = Array.isArray(value) ? value[arrayIndex(value, token, false)] : value?.[token];
    if (value === undefined) throw new Error(`path ${path} does not exist`);
  }
  return value;
}

function applyOperation(document, operation) {
  const { op, path, from, value } = operation;
  if (op === "move" || op === "copy") {
    const moved = structuredClone(valueAt(document, from));
    const rest = op === "move" ? applyOperation(document, { op: "remove", path: from }) : document;
    return applyOperation(rest, { op: "add", path, value: moved });
  }
  if (op === "test") {
    if (JSON.stringify(valueAt(document, path)) !== JSON.stringify(value)) {
      throw new Error(`test failed at ${path}`);
    }
    return document;
  }
  if (ROOT_PATHS.has(path)) {
    if (op === "add" || op === "replace") return structuredClone(value);
    if (op === "remove") return undefined;
  }
  if (!["add", "replace", "remove"].includes(op)) {
    throw new Error(`unsupported JSON-Patch operation ${JSON.stringify(op)}`);
  }
  const tokens = parsePointer(path);
  const last = tokens.pop();
  let parent = document;
  for (const token of tokens) {
    parent = Array.isArray(parent) ? parent[arrayIndex(parent, token, false)] : parent?.[token];
    if (parent === null || typeof parent !== "object") {
      throw new Error(`path ${path} does not exist`);
    }
  }
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last, op === "add");
    if (op === "add") parent.splice(index, 0, structuredClone(value));
    else if (op === "replace") parent[index] = structuredClone(value);
    else parent.splice(index, 1);
  } else {
    if (op !== "add" && !Object.hasOwn(parent, last)) throw new Error(`path ${path} does not exist`);
    if (op === "remove") delete parent[last];
    else parent[last] = structuredClone(value);
  }
  return document;
}

/** The value `operations` turn `document` into (the input is left untouched). */
export function applyPatch(document, operations) {
  let result = document === undefined ? undefined : structuredClone(document);
  for (const operation of operations) result = applyOperation(result, operation);
  return result;
}
