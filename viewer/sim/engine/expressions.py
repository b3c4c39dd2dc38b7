"""Evaluate/EvaluateEx: the few expressions clients send on open, computed over the rows the
session's selections leave possible. Aggregations (`Sum(Sales)`, `Count(distinct Region)`),
`ReloadTime()`, `DocumentTitle()`, `GetSelectedCount(F)`, `GetPossibleCount(F)`,
`GetFieldSelections(F)`, variables by name or `$(name)`, number and string literals. Anything
else is an error value, as the engine returns one for an expression it cannot parse."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from viewer.sim.engine.data import App
from viewer.sim.engine.hypercube import aggregation, format_value
from viewer.sim.engine.selection import Selections

_CALL = re.compile(r"^(?P<func>\w+)\s*\(\s*\[?(?P<arg>[^()\]]*?)\]?\s*\)$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DOLLAR = re.compile(r"^\$\((?P<name>\w+)\)$")


@dataclass(frozen=True)
class Value:
    """An evaluated expression: its text, and its number when it has one."""

    text: str
    number: float | None = None
    error: bool = False

    def ex(self) -> dict[str, object]:
        """The FieldValue EvaluateEx answers with."""
        numeric = self.number is not None
        return {
            "qText": self.text,
            "qIsNumeric": numeric,
            "qNumber": self.number if numeric else "NaN",
        }


def evaluate(app: App, selections: Selections, expression: str) -> Value:
    """The value of `expression` in the app with these selections."""
    source = expression.strip().removeprefix("=").strip()
    if _NUMBER.fullmatch(source):
        return _number(float(source))
    if len(source) >= 2 and source[0] == source[-1] == "'":
        return Value(source[1:-1])
    variables = {variable.name: variable.definition for variable in app.variables}
    dollar = _DOLLAR.fullmatch(source)
    name = dollar["name"] if dollar else source
    if name in variables:
        return evaluate(app, selections, variables[name])
    compute = aggregation(app.table, source)
    if compute is not None:
        return _number(compute(selections.rows(app.table)))
    call = _CALL.fullmatch(source)
    if call is not None:
        found = _function(app, selections, call["func"].lower(), call["arg"].strip())
        if found is not None:
            return found
    return Value(f"Error: cannot evaluate '{expression}'", error=True)


def _function(app: App, selections: Selections, func: str, arg: str) -> Value | None:
    if func == "reloadtime" and not arg:
        return Value(app.last_reload_time.replace("T", " ").removesuffix("Z")[:19])
    if func == "documenttitle" and not arg:
        return Value(app.info.name)
    if arg not in app.table.fields:
        return None
    selected = selections.by_field.get(arg, ())
    if func == "getselectedcount":
        return _number(float(len(selected)))
    if func == "getpossiblecount":
        states = selections.value_states(app.table, arg).values()
        return _number(float(sum(state in ("S", "O") for state in states)))
    if func == "getfieldselections":
        return Value(", ".join(format_value(value) for value in selected))
    return None


def _number(number: float) -> Value:
    if math.isnan(number):
        return Value("-")
    return Value(format_value(number), number)
