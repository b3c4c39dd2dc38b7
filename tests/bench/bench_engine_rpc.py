"""Benchmark: pipelined GetLayout calls against the simulated tenant on loopback, our engine
client side by side with enigma.js under Node (the peer), reported as a ratio.

Not part of the test run (the file name does not match `test_*.py`). Run it with
`.venv/bin/python tests/bench/bench_engine_rpc.py [--calls N] [--window W]`. It starts
`viewer sim` as its own process, so neither client shares a CPU core's GIL with the server, and
installs `enigma.js` and `ws` with npm into a temporary directory (skipped with a note when
node/npm are missing or offline). Both clients use delta mode (enigma.js's default) and no
compression; each keeps `window` calls in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from viewer.core.grant import SessionGrant
from viewer.core.urls import engine_url
from viewer.engine.connection import SessionConfig
from viewer.engine.objects import GenericObject
from viewer.engine.session import Session

PEER_SCRIPT = Path(__file__).with_name("bench_engine_rpc_peer.mjs")
OBJECT_ID = "bar-region"
IDENTITY = "bench"  # every run gets its own identity, hence a fresh engine session


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(
    name: str, calls: int, seconds: float, cpu_seconds: float, latencies_ms: list[float]
) -> dict[str, Any]:
    """Throughput, latency percentiles, and the client's own CPU per call (which still compares
    the clients when the shared server is the bottleneck)."""
    return {
        "client": name,
        "calls_per_s": round(calls / seconds, 1),
        "p50_ms": round(statistics.median(latencies_ms), 3),
        "p99_ms": round(percentile(latencies_ms, 0.99), 3),
        "client_cpu_us_per_call": round(cpu_seconds / calls * 1e6, 1),
    }


def start_sim() -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`viewer sim` in its own process; returns it and its ready line."""
    command = [sys.executable, "-m", "viewer", "sim", "--flavor", "cloud", "--port", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("{") and json.loads(line).get("event") == "sim.ready":
            return process, json.loads(line)
    process.kill()
    raise RuntimeError("the simulated tenant did not print its ready line within 30 s")


async def pipelined(obj: GenericObject, calls: int, window: int, latencies: list[float]) -> None:
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await obj.get_layout()
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(window)))


async def run_ours(
    url: str, grant: SessionGrant, app_id: str, calls: int, window: int, warmup: int
) -> dict[str, Any]:
    session = Session(url, grant, SessionConfig(delta=True, compression=False))
    doc = await (await session.open()).open_doc(app_id)
    obj = await doc.get_object(OBJECT_ID)
    assert obj is not None
    await pipelined(obj, warmup, window, [])
    latencies: list[float] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    await pipelined(obj, calls, window, latencies)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    await session.close()
    return summary("viewer.engine", calls, seconds, cpu_seconds, latencies)


def install_peer(work: str) -> Path | str:
    """Install enigma.js and ws into `work`; the schema path, or why the peer cannot run."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        return "node/npm not found"
    install = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "enigma.js", "ws"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if install.returncode != 0:
        return f"npm install failed: {install.stderr.strip()[:200]}"
    schemas = sorted((Path(work) / "node_modules/enigma.js/schemas").glob("*.json"))
    return schemas[-1] if schemas else "enigma.js ships no schema"


def run_peer(work: str, config: dict[str, Any]) -> dict[str, Any]:
    """One enigma.js run with the installed peer."""
    node = shutil.which("node")
    assert node is not None
    answer = subprocess.run(
        [node, str(PEER_SCRIPT), json.dumps(config)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(answer.stdout.strip().splitlines()[-1])
    return summary(
        "enigma.js",
        result["calls"],
        result["seconds"],
        result["cpu_seconds"],
        result["latencies_ms"],
    )


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median throughput (runs alternate between the clients to share noise)."""
    return sorted(runs, key=lambda run: run["calls_per_s"])[len(runs) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--window", type=int, default=32, help="calls in flight")
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per client")
    args = parser.parse_args()
    sim, ready = start_sim()
    ours_runs: list[dict[str, Any]] = []
    peer_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="enigma-peer-") as work:
        try:
            schema = install_peer(work)
            app_id = ready["apps"][0]["id"]
            headers = {"Authorization": f"Bearer {ready['credentials']['api_key']}"}
            for round_number in range(args.rounds):
                identity = f"{IDENTITY}-{round_number}"
                grant = SessionGrant(base_url=ready["url"], identity=identity, headers=headers)
                url = engine_url(ready["url"], app_id, flavor="cloud", identity=identity)
                ours_runs.append(
                    asyncio.run(run_ours(url, grant, app_id, args.calls, args.window, args.warmup))
                )
                if isinstance(schema, Path):
                    peer_url = engine_url(
                        ready["url"], app_id, flavor="cloud", identity=f"{identity}-peer"
                    )
                    config = {
                        "url": peer_url,
                        "headers": headers,
                        "appId": app_id,
                        "objectId": OBJECT_ID,
                        "calls": args.calls,
                        "window": args.window,
                        "warmup": args.warmup,
                        "schema": str(schema),
                    }
                    peer_runs.append(run_peer(work, config))
        finally:
            sim.terminate()
            sim.wait(10)
    ours = median_run(ours_runs)
    report: dict[str, Any] = {"calls": args.calls, "window": args.window, "ours": ours}
    if peer_runs:
        peer = median_run(peer_runs)
        report["peer"] = peer
        report["throughput_ratio_ours_to_peer"] = round(
            ours["calls_per_s"] / peer["calls_per_s"], 3
        )
        report["cpu_per_call_ratio_ours_to_peer"] = round(
            ours["client_cpu_us_per_call"] / peer["client_cpu_us_per_call"], 3
        )
    else:
        report["peer"] = f"not measured: {schema}"
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
