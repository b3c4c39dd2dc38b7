"""The page's JSON-Patch applier (resources/sim/single/jsonpatch.js), run in Chromium, turns
every value into the target the Python `jsonpatch` library diffed it against — including the
`move` operations that library emits — and never mutates its input."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import jsonpatch
import pytest
from aiohttp import web
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from sheet_driver import PageDriver

from viewer.sim import page
from viewer.sim.engine.delta import patches_between

pytestmark = pytest.mark.gui

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]
HARNESS = """<!doctype html><html><body><script type="module">
import { applyPatch } from "/resources/sim/single/jsonpatch.js";
window.applyPatch = applyPatch;
document.body.dataset.state = "ready";
</script></body></html>"""
CASES = 200


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice([0, 1, 2.5, "a", "b", None, True, ""])
    if roll < 0.65:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {rng.choice(["a", "b", "c", "/", "~", "a/b"]): _value(rng, depth + 1) for _ in range(4)}


def _cases() -> list[tuple[Any, Any]]:
    rng = random.Random(6902)
    cases = []
    for _ in range(CASES):
        before = {"v": _value(rng), "rows": [_value(rng) for _ in range(4)]}
        after = json.loads(json.dumps(before))
        rng.shuffle(after["rows"])  # reordered rows make the library emit moves
        after["v"] = _value(rng) if rng.random() < 0.5 else after["v"]
        cases.append((before, after))
    return cases


@pytest.fixture
def harness(qtbot: QtBot, run_async: Runner) -> Iterator[PageDriver]:
    """A page that imports jsonpatch.js from the routes `add_static_routes` serves."""

    async def start() -> tuple[web.AppRunner, str]:
        app = web.Application()
        page.add_static_routes(app)

        async def index(_: web.Request) -> web.Response:
            return web.Response(text=HARNESS, content_type="text/html")

        app.router.add_get("/", index)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return runner, f"http://127.0.0.1:{port}"

    runner, url = run_async(start(), 10.0)
    view = QWebEngineView()
    qtbot.addWidget(view)
    driver = PageDriver(qtbot, view, url, ("", ""))
    driver.load(f"{url}/")
    driver.wait_state("ready")
    yield driver
    run_async(runner.cleanup(), 10.0)


def test_patches_from_the_python_library_give_the_same_values(harness: PageDriver) -> None:
    cases = _cases()
    patches = [jsonpatch.make_patch(before, after).patch for before, after in cases]
    assert any(op["op"] == "move" for patch in patches for op in patch)
    inputs = json.dumps(
        [[before, patch] for (before, _), patch in zip(cases, patches, strict=True)]
    )

    results = harness.js(
        f"{inputs}.map(([before, patch]) => {{ const copy = JSON.stringify(before);"
        " const after = applyPatch(before, patch);"
        " return {after, untouched: JSON.stringify(before) === copy}; })"
    )

    assert [r["after"] for r in results] == [after for _, after in cases]
    assert all(r["untouched"] for r in results)


def test_engine_deltas_replace_the_root_and_keep_unchanged_values(harness: PageDriver) -> None:
    first = patches_between(None, {"qLayout": 1}, known=False)
    again = patches_between({"a": 1}, {"a": 1})
    script = (
        f"[applyPatch(undefined, {json.dumps(first)}), applyPatch({{a: 1}}, {json.dumps(again)})]"
    )
    assert harness.js(script) == [{"qLayout": 1}, {"a": 1}]


def test_an_operation_it_cannot_apply_is_an_error(harness: PageDriver) -> None:
    outcome = harness.js(
        "(() => { try { applyPatch({}, [{op: 'remove', path: '/missing'}]); return 'applied'; }"
        " catch (error) { return error.message; } })()"
    )
    assert outcome == "path /missing does not exist"
