"""Selections and field states (S, O, A, X) as the QIX engine defines them."""

from __future__ import annotations

from viewer.sim.engine.data import Table
from viewer.sim.engine.selection import (
    SELECTION_THRESHOLD,
    Selections,
    current_selections,
    values_for_elements,
)

TABLE = Table(
    fields=("Region", "Product", "Sales"),
    rows=(
        ("North", "Bikes", 10.0),
        ("North", "Locks", 5.0),
        ("South", "Bikes", 7.0),
        ("East", "Gloves", 1.0),
    ),
)


def test_select_replaces_and_toggle_flips_each_value() -> None:
    selections = Selections().select("Region", ["North"], toggle=False)
    assert selections.by_field == {"Region": ("North",)}
    selections = selections.select("Region", ["South", "North"], toggle=True)
    assert selections.by_field == {"Region": ("South",)}
    assert selections.select("Region", ["South"], toggle=True) == Selections()


def test_selecting_nothing_clears_the_field() -> None:
    selections = Selections({"Region": ("North",), "Product": ("Bikes",)})
    assert selections.select("Region", [], toggle=False).by_field == {"Product": ("Bikes",)}
    assert selections.cleared(["Product"]).by_field == {"Region": ("North",)}
    assert selections.cleared() == Selections()


def test_rows_honour_every_selection() -> None:
    selections = Selections({"Region": ("North", "South"), "Product": ("Bikes",)})
    assert selections.rows(TABLE) == [("North", "Bikes", 10.0), ("South", "Bikes", 7.0)]
    assert len(selections.rows(TABLE, ignoring="Product")) == 3


def test_value_states_distinguish_selected_alternative_optional_excluded() -> None:
    selections = Selections({"Region": ("North",)})
    assert selections.value_states(TABLE, "Region") == {"North": "S", "South": "A", "East": "A"}
    assert selections.value_states(TABLE, "Product") == {"Bikes": "O", "Locks": "O", "Gloves": "X"}
    both = selections.select("Product", ["Bikes"], toggle=False)
    # East has no Bikes: excluded by the other field, not merely an alternative
    assert both.value_states(TABLE, "Region") == {"North": "S", "South": "A", "East": "X"}
    counts = both.state_counts(TABLE, "Region")
    assert (counts["qSelected"], counts["qAlternative"], counts["qExcluded"]) == (1, 1, 1)


def test_element_numbers_index_distinct_values_and_unknown_ones_are_ignored() -> None:
    assert values_for_elements(TABLE, "Region", [2, 0, 9, -1]) == ["East", "North"]


def test_current_selections_name_few_values_and_count_many() -> None:
    layout = current_selections(TABLE, Selections({"Region": ("North", "South")}))
    (entry,) = layout["qSelections"]
    assert entry["qField"] == "Region"
    assert entry["qSelected"] == "North, South"
    assert (entry["qSelectedCount"], entry["qTotal"]) == (2, 3)
    many = Table(("N",), tuple((str(n),) for n in range(SELECTION_THRESHOLD + 2)))
    values = [str(n) for n in range(SELECTION_THRESHOLD + 1)]
    layout = current_selections(many, Selections({"N": tuple(values)}))
    assert layout["qSelections"][0]["qSelected"] == f"{len(values)} of {len(values) + 1}"
