"""Run the benchmarks and write BENCHMARKS.md at the repository root.

    python -m tests.bench.run [--only startup,detection,peer,memory,rpc,package] [counts...]
        [--frozen build/dist/viewer/viewer]

Counts default to the issue's numbers. Results are kept in a JSON file and merged, so a part can
be run again alone (`--only`) and the report rewritten (`--render-only`). Runs under Xvfb:
without a DISPLAY it starts itself again under `xvfb-run`.
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.package_bench import package
from tests.bench.peer_detection import peer_detection
from tests.bench.report import machine, render
from tests.bench.standalone import BenchTenant, bench_tenant
from tests.bench.viewer_bench import detection_and_recovery, memory_and_idle, startup
from tests.bench.watched import ensure_display

ROOT = Path(__file__).resolve().parents[2]
RPC_BENCHMARK = Path(__file__).with_name("bench_engine_rpc.py")
PARTS = ("startup", "detection", "peer", "memory", "rpc", "package")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument(
        "--frozen", type=Path, help="also start the frozen app (build/dist/viewer/viewer)"
    )
    parser.add_argument("--events", type=int, default=20, help="detection/recovery events each")
    parser.add_argument("--peer-events", type=int, default=20)
    parser.add_argument("--peer-partitions", type=int, default=3)
    parser.add_argument("--partition-wait", type=float, default=60.0, help="enigma.js, seconds")
    parser.add_argument("--cycles", type=int, default=200, help="disconnect/recover cycles")
    parser.add_argument("--reloads", type=int, default=500, help="sheet reloads")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of idle CPU")
    parser.add_argument("--rpc-calls", type=int, default=5000)
    parser.add_argument("--chaos", action="append", default=[], help="a chaos result line")
    parser.add_argument("--note", action="append", default=[], help="a note for the report")
    parser.add_argument("--results", type=Path, default=ROOT / "test-artifacts/bench.json")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--render-only", action="store_true")
    return parser.parse_args(argv)


def _rpc(calls: int) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, str(RPC_BENCHMARK), "--calls", str(calls)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=True,
    )  # fmt: skip
    return dict(json.loads(run.stdout))


def _parts(args: argparse.Namespace) -> dict[str, Callable[[BenchTenant], Any]]:
    return {
        "startup": lambda t: startup(t, args.startup_runs, args.frozen),
        "detection": lambda t: detection_and_recovery(t, args.events),
        "peer": lambda t: peer_detection(
            t, args.peer_events, args.peer_partitions, args.partition_wait
        ),
        "memory": lambda t: memory_and_idle(t, args.cycles, args.reloads, args.idle),
        "rpc": lambda _: _rpc(args.rpc_calls),
        "package": package,
    }


RESULT_KEYS = {"peer": "peer_detection"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    results: dict[str, Any] = json.loads(args.results.read_text()) if args.results.exists() else {}
    results.setdefault("notes", [])
    results["notes"] += args.note
    results.setdefault("chaos", [])
    results["chaos"] += args.chaos
    if not args.render_only:
        ensure_display("tests.bench.run", argv)
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        unknown = sorted(set(wanted) - set(PARTS))
        if unknown:
            print(f"bench: unknown parts {unknown}; choose from {', '.join(PARTS)}")
            return 2
        results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        results["machine"] = machine()
        compile_viewer()
        parts = _parts(args)
        with bench_tenant() as tenant:
            for part in wanted:
                print(f"bench: {part} ...", flush=True)
                try:
                    results[RESULT_KEYS.get(part, part)] = parts[part](tenant)
                except Exception as error:  # one part failing must not lose the others
                    print(f"bench: {part} failed: {error!r}", flush=True)
                    results[RESULT_KEYS.get(part, part)] = {"error": repr(error)[:500]}
                args.results.parent.mkdir(parents=True, exist_ok=True)
                args.results.write_text(json.dumps(results, indent=1))
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1))
    args.output.write_text(render(results))
    print(f"bench: wrote {args.output}")
    return 0


def compile_viewer() -> None:
    """Compile the viewer's modules to bytecode first, as an installed package or a bundle ships
    them: an editable checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every
    module from source at each start and measure the compiler, not the viewer."""
    if not compileall.compile_dir(ROOT / "viewer", quiet=1):
        raise SystemExit("bench: the viewer's modules do not compile")


if __name__ == "__main__":
    raise SystemExit(main())
