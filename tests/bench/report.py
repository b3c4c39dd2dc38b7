"""BENCHMARKS.md from the benchmark results (a JSON file the runner keeps): the machine, each
figure beside its peer, the goals and by how much a missed one is missed."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil

from viewer.config.models import NetworkConfig

Results = dict[str, Any]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "chromium": _version(["chromium", "--version"]),
        "node": _version(["node", "--version"]),
        "pyside6": _version([sys.executable, "-c", "import PySide6; print(PySide6.__version__)"]),
    }


def _version(command: list[str]) -> str:
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "not installed"
    return run.stdout.strip() or "unknown"


def _ms(entry: dict[str, Any]) -> str:
    return f"{entry['median_ms']:.0f} ms / {entry['p95_ms']:.0f} ms (n={entry['n']})"


def _goal(value: float, limit: float, unit: str = "") -> str:
    if value <= limit:
        return f"met (≤ {limit:g}{unit})"
    return f"**missed** by {value - limit:.2f}{unit} ({(value / limit - 1) * 100:.0f} % over {limit:g}{unit})"


def _startup(result: Results) -> list[str]:
    frozen = result.get("frozen")
    return [
        "| | median / p95 |",
        "|---|---|",
        f"| viewer: process start → LIVE (sheet loaded, view shown) | {_ms(result['viewer'])} |",
        *(
            [f"| frozen app (PyInstaller one-folder): process start → LIVE | {_ms(frozen)} |"]
            if frozen
            else []
        ),
        f"| bare headless Chromium: process start → page rendered | {_ms(result['chromium'])} |",
        "",
        f"Ratio viewer / Chromium (medians): **{result['ratio']:.2f}** — goal ≤ 1.3: "
        f"{_goal(result['ratio'], 1.3)}.",
        *(
            [
                f"Ratio frozen app / Chromium (medians): **{result['frozen_ratio']:.2f}** — goal "
                f"≤ 1.1: {_goal(result['frozen_ratio'], 1.1)}."
            ]
            if frozen
            else []
        ),
        *_milestones(result.get("viewer_milestones_ms", {})),
    ]


def _milestones(milestones: dict[str, float]) -> list[str]:
    if not milestones:
        return []
    steps = ", ".join(f"`{event}` {ms:.0f} ms" for event, ms in milestones.items())
    return ["", f"Where the viewer's time goes (medians from process start): {steps}."]


def _detection(result: Results, peer: Results | None) -> list[str]:
    lines = [
        "| fault | viewer: fault → view hidden (median / p95) | enigma.js: fault → `closed`/`suspended` event |",
        "|---|---|---|",
    ]
    names = {"drop": "socket drop (no close frame)", "close": "clean close (1000)"}
    names["partition"] = "silent partition (socket open, nothing passes)"
    for kind, name in names.items():
        lines.append(f"| {name} | {_ms(result[kind])} | {_peer_cell(peer, kind)} |")
    version = (peer or {}).get("enigma_version", "?")
    network = NetworkConfig()
    silent_bound_s = network.keepalive_interval_s + network.keepalive_timeout_s + 0.5
    partition_s = result["partition"]["median_ms"] / 1000
    return [
        *lines,
        "",
        f"Goals (issue 6): socket drop → hidden, median {result['drop']['median_ms']:.0f} ms — "
        f"goal ≤ 100 ms: {_goal(result['drop']['median_ms'], 100)}; silent partition → hidden, "
        f"median {partition_s:.1f} s — goal ≤ keepalive interval + timeout + 0.5 s = "
        f"{silent_bound_s:g} s: {_goal(partition_s, silent_bound_s)} (p95 "
        f"{result['partition']['p95_ms'] / 1000:.1f} s).",
        "",
        "The viewer's figure is fault injected → `view.visible false` in its log (the sheet is "
        "hidden behind the overlay). enigma.js "
        f"{version} under Node ran with its defaults (`suspendOnClose: false`), one idle session "
        "per event, the fault aimed at its identity only; its figure is fault → its `closed` "
        "or `suspended` event. Why it stays silent where it does (from its source): "
        "`onRpcClosed` returns without an event for close codes 1000 and 4000, and it sends no "
        "keepalive, so a partition that keeps the TCP connection open is never noticed.",
    ]


def _peer_cell(peer: Results | None, kind: str) -> str:
    if peer is None or "not_measured" in peer or "error" in peer:
        why = (peer or {}).get("not_measured") or (peer or {}).get("error") or "not run"
        return f"not measured: {why}"
    entry = peer[kind]
    text = f"noticed {entry['noticed']} of {entry['events']}"
    if entry["noticed"]:
        text += f"; {_ms(entry)}"
    if entry["noticed"] < entry["events"]:
        text += f"; the rest: nothing within {entry['waited_s']:g} s"
    return text


def _recovery(result: Results) -> list[str]:
    heal = result["heal"]
    bound_ms = 1000 + NetworkConfig().reconnect_min_s * 1000
    return [
        "| | median / p95 |",
        "|---|---|",
        f"| heal → LIVE (resume; re-attached to the same engine session in "
        f"{heal['resumed_attached']} of {heal['n']}) | {_ms(heal)} |",
        f"| engine restart → LIVE (new session, sheet reloaded) | {_ms(result['restart'])} |",
        "",
        f"Goal (issue 6): network back → LIVE after a resume-attached, median ≤ 1 s plus the "
        f"first backoff step ({bound_ms:.0f} ms): {heal['median_ms']:.0f} ms, "
        f"{_goal(heal['median_ms'], bound_ms)}.",
    ]


def _memory(result: Results) -> list[str]:
    rows = [
        ("viewer after warm-up", "pss_warm_mib"),
        (f"after {result['cycles']} disconnect/recover cycles", "pss_after_cycles_mib"),
        (
            f"after {result['reloads']} sheet reloads ({result.get('restarts', '?')} engine restarts)",
            "pss_after_reloads_mib",
        ),
        (
            f"when the viewer got stuck ({result['cycles']} cycles, {result['reloads']} reloads)",
            "pss_at_stop_mib",
        ),
        ("bare headless Chromium, same page", "chromium_pss_mib"),
    ]
    lines = ["| PSS of the process tree (median of 5 samples, 1 s apart) | MiB |", "|---|---|"]
    lines += [f"| {name} | {result[key]:.0f} |" for name, key in rows if key in result]
    lines += [
        "",
        f"Growth: **{result['growth_percent']:+.1f} %** — goal ≤ 10 %: "
        f"{_goal(result['growth_percent'], 10, ' %')}. Viewer / Chromium: "
        f"**{result['pss_ratio']:.2f}** — goal ≤ 1.2: {_goal(result['pss_ratio'], 1.2)}.",
    ]
    if "stuck" in result:
        lines += [
            "",
            "**The run stopped early: the viewer did not come back LIVE** (a product bug, "
            "reported in the issue); growth is measured up to that point. Last log lines:",
            "",
            "```",
            result["stuck"][:1500],
            "```",
        ]
    return lines


def _idle(result: Results) -> list[str]:
    cpu = result["idle_cpu_percent"]
    return [
        f"CPU of the viewer's process tree over {result['idle_s']:g} s LIVE on a static sheet: "
        f"**{cpu:.2f} % of one core** — goal ≤ 2 %: {_goal(cpu, 2, ' %')}."
    ]


def _rpc(result: Results) -> list[str]:
    ours, peer = result["ours"], result["peer"]
    lines = [
        f"Pipelined `GetLayout`, {result['calls']} calls, {result['window']} in flight, "
        "delta mode, both clients against the same sim (median run of 3, alternating).",
        "",
        "| client | calls/s | p50 | p99 | client CPU per call |",
        "|---|---|---|---|---|",
    ]
    for run in (ours, peer):
        if isinstance(run, dict):
            lines.append(
                f"| {run['client']} | {run['calls_per_s']:.0f} | {run['p50_ms']:.2f} ms | "
                f"{run['p99_ms']:.2f} ms | {run['client_cpu_us_per_call']:.0f} µs |"
            )
        else:
            lines.append(f"| enigma.js | {run} | | | |")
    if "throughput_ratio_ours_to_peer" in result:
        lines += [
            "",
            f"Throughput ours / enigma.js: **{result['throughput_ratio_ours_to_peer']:.2f}**; "
            f"client CPU per call ours / enigma.js: **{result['cpu_per_call_ratio_ours_to_peer']:.2f}**.",
        ]
    return lines


def _package(result: Results) -> list[str]:
    lines = ["| | |", "|---|---|"]
    deb = result.get("deb")
    if deb:
        lines += [
            f"| {deb['deb']}: compressed (zstd 6) | {deb['compressed_mib']:.1f} MiB — budget "
            f"≤ {deb['budget_mib']} MiB: {_goal(deb['compressed_mib'], deb['budget_mib'], ' MiB')} |",
            f"| installed | {deb['installed_mib']:.1f} MiB |",
        ]
    wheel = result["wheel"]
    lines += [
        f"| fresh venv + `pip install` of the wheel (dependencies from the local index) | "
        f"{wheel['pip_install_s']:.1f} s |",
        f"| then `viewer demo` from an empty directory: process start → LIVE | "
        f"{wheel['demo_to_live_s']:.1f} s |",
        f"| wheel to a live sheet, together | {wheel['total_s']:.1f} s |",
    ]
    return lines


SECTIONS = (
    ("startup", "1. Start-up", _startup),
    ("detection", "2. Detection", None),
    ("recovery", "3. Recovery", _recovery),
    ("memory", "4. Memory", _memory),
    ("idle", "5. Idle cost", _idle),
    ("rpc", "6. Engine RPC", _rpc),
    ("package", "7. Packages", _package),
)


FLEET_OUTAGES = {
    "cut": "network cut (silent: no data, no resets; new connections unanswered)",
    "refuse": "tenant down (open connections reset, new ones refused)",
}


def _fleet(runs: dict[str, Any]) -> list[str]:
    """The fleet-scale recovery runs (tests/bench/fleet.py), one row per scenario."""
    out = [
        "N virtual displays (the viewer's state machine, reconnect policy, auth and engine "
        "session; no web view) against one simulated client-managed tenant, each its own user "
        "and engine identity; the network between them is cut, then healed. Sign-ins are "
        "proxy sessions created at the tenant (their timestamps); engine opens are socket "
        "opens and resumes the displays asked for; rates are the busiest one-second window "
        "after the heal. The tenant and the cutting proxy run in processes of their own, the "
        "displays share one event loop with the file-descriptor limit raised to the hard limit. "
        "`python -m tests.bench.fleet --displays N --outage S --kind K [--expire] "
        "--results test-artifacts/bench.json`.",
        "",
        "| outage | sessions ended meanwhile | displays | all LIVE after heal | peak sign-ins/s "
        "| peak engine opens/s | first attempts after heal (p50 / max) "
        "| engine + proxy sessions per display at the end |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs.values():
        first = run.get("first_attempt_after_heal_s", {})
        exact = run["displays_with_one_engine_and_one_proxy_session"]
        out.append(
            f"| {run['outage_s']:.0f} s {run['outage']} "
            f"| {'yes' if run['sessions_expired_during_outage'] else 'no'} "
            f"| {run['displays']} | {run['all_live_after_heal_s']} s "
            f"| {run['peak_sign_ins_per_s']} | {run['peak_engine_opens_per_s']} "
            f"| {first.get('p50')} s / {first.get('max')} s "
            f"| exactly 1 + 1: {exact} of {run['displays']} |"
        )
    out.append("")
    for key, run in runs.items():
        live = run["all_live_after_heal_s"]
        goals = [
            f"all LIVE {_goal(live, 60.0, ' s') if live is not None else '**never**'}",
            f"peak sign-ins {_goal(run['peak_sign_ins_per_s'], 100.0, '/s')}",
            "sessions " + ("met" if exact_all(run) else "**missed**"),
        ]
        kind = FLEET_OUTAGES.get(run["outage"], run["outage"])
        measured = f" Measured {run['measured']}." if run.get("measured") else ""
        note = f" {run['note']}." if run.get("note") else ""
        out.append(f"- {key}, {kind}: " + "; ".join(goals) + "." + measured + note)
    return out


def exact_all(run: dict[str, Any]) -> bool:
    """Every display ends with exactly one engine session and one proxy session."""
    return bool(run["displays_with_one_engine_and_one_proxy_session"] == run["displays"])


def render(results: Results) -> str:
    """The whole report as Markdown."""
    info = results.get("machine", {})
    out = [
        "# Benchmarks",
        "",
        "Written by `python -m tests.bench.run` (see `tests/bench/`); the figures are measured, "
        "not estimated. Medians and 95th percentiles; times from the viewer's JSON log.",
        "",
        f"- Date: {results.get('date', '?')}",
        f"- Machine: {info.get('cpus')} CPUs ({info.get('cpu_model')}), "
        f"{info.get('memory_gib')} GiB RAM, {info.get('system')}, Python {info.get('python')}; "
        f"load average at start {info.get('load_average_at_start')}",
        f"- Software: {info.get('chromium')}; PySide6 / QtWebEngine {info.get('pyside6')}; "
        f"Node {info.get('node')}; the viewer's modules compiled to bytecode before the runs "
        "(as an installed package ships them)",
        f"- Display: {results.get('display', 'Xvfb 1280x800x24')}",
    ]
    out += [f"- Note: {note}" for note in results.get("notes", [])]
    for key, title, section in SECTIONS:
        out += ["", f"## {title}", ""]
        source = {"recovery": "detection", "idle": "memory"}.get(key, key)
        if "error" in results.get(source, {}):
            out.append(f"This part failed in this run: `{results[source]['error']}`")
        elif key == "detection" and "detection" in results:
            out += _detection(results["detection"], results.get("peer_detection"))
        elif key == "recovery" and "detection" in results:
            out += _recovery(results["detection"])
        elif key == "idle" and "memory" in results:
            out += _idle(results["memory"])
        elif section is not None and key in results:
            out += section(results[key])
            if key == "memory" and "memory_reloads" in results:
                out += [
                    "",
                    "A separate run for the sheet reloads:",
                    "",
                    *_memory(results["memory_reloads"]),
                ]
        else:
            out.append("Not measured in this run.")
    out += ["", "## Chaos / soak", ""]
    chaos = results.get("chaos", [])
    out += [f"- {entry}" for entry in chaos] or ["Not run."]
    if results.get("fleet"):
        out += ["", "## Fleet-scale recovery", "", *_fleet(results["fleet"])]
    return "\n".join(out) + "\n"
