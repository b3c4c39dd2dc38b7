"""What enigma.js (the peer) notices of the detection benchmark's faults: one idle enigma.js
session under Node per event, a fault aimed at its identity, and the time until enigma.js emits
`closed` or `suspended` — or nothing within a bounded wait (a silent partition)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.bench_engine_rpc import install_peer
from tests.bench.faults import FaultBody
from tests.bench.standalone import BenchTenant
from tests.bench.viewer_bench import summary
from viewer.core.urls import engine_url

PEER_SCRIPT = Path(__file__).with_name("detection_peer.mjs")
READY_WITHIN_S = 30.0


def peer_detection(
    tenant: BenchTenant, events: int, partitions: int, partition_wait_s: float
) -> dict[str, Any]:
    """Drop and clean close `events` times each, partition `partitions` times (waiting
    `partition_wait_s` each); per kind: how often enigma.js noticed, and how fast."""
    with tempfile.TemporaryDirectory(prefix="enigma-peer-") as work:
        schema = install_peer(work)
        if not isinstance(schema, Path):
            return {"not_measured": schema}
        plan: list[tuple[str, FaultBody, int, float]] = [
            ("drop", {"kind": "drop"}, events, 10.0),
            ("close", {"kind": "close", "code": 1000, "reason": "bench"}, events, 10.0),
            ("partition", {"kind": "partition"}, partitions, partition_wait_s),
        ]
        package = Path(work) / "node_modules/enigma.js/package.json"
        result: dict[str, Any] = {"enigma_version": json.loads(package.read_text())["version"]}
        for kind, body, count, wait_s in plan:
            delays: list[float] = []
            for index in range(count):
                noticed = _one_event(tenant, work, schema, f"peer-{kind}-{index}", body, wait_s)
                if noticed is not None:
                    delays.append(noticed)
                tenant.admin.fault({"kind": "heal"})
            entry: dict[str, Any] = {"events": count, "noticed": len(delays), "waited_s": wait_s}
            if delays:
                entry.update(summary(delays))
            result[kind] = entry
        return result


def _one_event(
    tenant: BenchTenant, work: str, schema: Path, identity: str, body: FaultBody, wait_s: float
) -> float | None:
    """Seconds from the fault to enigma.js's event, or None if it noticed nothing."""
    ready = tenant.sim.ready
    app_id = ready["apps"][0]["id"]
    config = {
        "url": engine_url(ready["url"], app_id, flavor="cloud", identity=identity),
        "headers": {"Authorization": f"Bearer {ready['credentials']['api_key']}"},
        "appId": app_id,
        "schema": str(schema),
        "waitMs": int(wait_s * 1000),
    }
    node = shutil.which("node")
    assert node is not None
    with subprocess.Popen(
        [node, str(PEER_SCRIPT), json.dumps(config)],
        cwd=work, stdout=subprocess.PIPE, text=True,
    ) as peer:  # fmt: skip
        assert peer.stdout is not None
        first = json.loads(peer.stdout.readline() or "{}")
        if not first.get("ready"):
            peer.kill()
            raise RuntimeError(f"enigma.js did not open the app: {first}")
        injected = time.time()
        tenant.admin.fault({**body, "identity": identity})
        answer = json.loads(peer.stdout.readline() or "{}")
        peer.wait(timeout=wait_s + READY_WITHIN_S)
    if answer.get("noticed") is None:
        return None
    return float(answer["at"]) - injected
