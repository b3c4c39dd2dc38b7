"""The viewer's own engine objects (viewer.engine.objects) against the running sim, in both delta
modes: bookmark, sheet and field lists, fields, Evaluate, the doc list and the last reload time,
which changes (and the Doc says so) when the app is reloaded."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from engine_sim_helpers import api_key_grant, app_id, fault, make_session, run, within

from viewer.engine.connection import SessionConfig
from viewer.engine.objects import ApiObject, Doc, Field
from viewer.engine.session import Session
from viewer.sim.engine.data import sample_apps
from viewer.sim.engine.hypercube import format_value

pytestmark = pytest.mark.integration

SALES = sample_apps()[0]


async def _open(sim: Any, identity: str, delta: bool = True) -> tuple[Session, Doc]:
    session, _ = make_session(sim, api_key_grant(sim, identity), SessionConfig(delta=delta))
    doc = await (await session.open()).open_doc(app_id(sim))
    return session, doc


@pytest.mark.parametrize("delta", [True, False])
def test_bookmark_sheet_and_field_lists(cloud_sim: Any, delta: bool) -> None:
    async def main() -> None:
        session, doc = await _open(cloud_sim, f"lists-{delta}", delta)
        assert await doc.get_bookmark_list() == [
            {"id": "bm-north", "title": "North only"},
            {"id": "bm-bikes-q1", "title": "Bikes in Q1"},
        ]
        sheets = await doc.get_sheet_list()
        announced = cloud_sim.ready["apps"][0]["sheets"]
        assert [(s["id"], s["title"], s["description"]) for s in sheets] == [
            (s["id"], s["title"], s["description"]) for s in announced
        ]
        assert all(s["description"] for s in sheets)
        fields = {f["name"]: f for f in await doc.get_field_list()}
        assert list(fields) == ["Region", "Month", "Product", "Sales", "Quantity"]
        assert fields["Region"]["cardinal"] == 4
        assert "$text" in fields["Region"]["tags"]
        assert "$numeric" in fields["Sales"]["tags"]
        await session.close()

    run(main)


def test_a_field_selects_and_evaluate_follows_the_selection(cloud_sim: Any) -> None:
    async def main() -> None:
        session, doc = await _open(cloud_sim, "fields")
        total = sum(float(row[3]) for row in SALES.table.rows)
        north = sum(float(row[3]) for row in SALES.table.rows if row[0] == "North")
        assert await doc.evaluate("Sum(Sales)") == format_value(total)
        region = await doc.get_field("Region")
        assert isinstance(region, Field)
        assert await region.get_cardinal() == 4
        assert await region.select("North")
        assert await doc.evaluate("=Sum(Sales)") == format_value(north)
        assert (await doc.evaluate_ex("Sum(Sales)"))["qNumber"] == north
        assert await doc.evaluate("GetFieldSelections(Region)") == "North"
        assert await region.select_values(["South", "East"])
        assert await doc.evaluate("GetSelectedCount(Region)") == "2"
        assert await region.clear()
        assert await doc.evaluate("GetSelectedCount(Region)") == "0"
        assert await region.select("N*")
        await doc.clear_all()
        assert await doc.evaluate("Sum(Sales)") == format_value(total)
        assert await doc.get_field("No such field") is None
        assert (await doc.evaluate_ex("Nonsense(")).get("qIsNumeric") is False
        await session.close()

    run(main)


def test_doc_list_names_every_app_with_space_owner_and_reload_time(cloud_sim: Any) -> None:
    async def main() -> None:
        session, _ = make_session(cloud_sim, api_key_grant(cloud_sim, "docs"))
        docs = await (await session.open()).get_doc_list()
        assert [d["qDocId"] for d in docs] == [a["id"] for a in cloud_sim.ready["apps"]]
        assert len(docs) >= 4
        for entry, announced in zip(docs, cloud_sim.ready["apps"], strict=True):
            assert entry["qTitle"] == announced["name"]
            assert entry["qLastReloadTime"] == announced["last_reload_time"]
            assert entry["qMeta"]["stream"]["name"] == announced["space"]
            assert entry["qMeta"]["owner"]["userId"] == announced["owner"]
        await session.close()

    run(main)


def test_a_reload_changes_the_last_reload_time_and_tells_the_doc(cloud_sim: Any) -> None:
    async def main() -> None:
        session, doc = await _open(cloud_sim, "reload")
        before = await doc.get_last_reload_time()
        assert before == cloud_sim.ready["apps"][0]["last_reload_time"]
        changed: asyncio.Future[ApiObject] = asyncio.get_running_loop().create_future()
        doc.changed.add(lambda obj: changed.done() or changed.set_result(obj))
        reply = await fault(cloud_sim, "reload", app=app_id(cloud_sim))
        assert reply["affected"] == {"apps": 1}
        assert await within(changed, 5) is doc
        after = await doc.get_last_reload_time()
        assert after is not None
        assert before is not None
        assert after > before
        await session.close()

    run(main)
