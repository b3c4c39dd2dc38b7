"""`viewer sim`: run the simulated Qlik tenant alone and print its ready line."""

from __future__ import annotations

import argparse

from viewer.commands.preflight import positive_seconds


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _port(text: str) -> int:
    value = _whole_number(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0-65535; 0 picks a free one)")
    return value


def _at_least_one(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be 1 or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--flavor", choices=("cloud", "qseow"), default="cloud",
        help="Qlik Cloud or client-managed Qlik Sense (default: cloud)",
    )  # fmt: skip
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=_port, default=0, help="0 picks a free port")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS/WSS with a generated CA")
    parser.add_argument(
        "--qps-port",
        type=_port,
        default=0,
        help="QPS certificate port (qseow; 0 picks a free port)",
    )
    parser.add_argument(
        "--engine-port",
        type=_port,
        default=0,
        help="engine port for certificate + X-Qlik-User clients (qseow; 0 picks a free port)",
    )
    parser.add_argument(
        "--session-ttl",
        type=positive_seconds,
        default=60.0,
        help="seconds an engine session outlives its last socket (default: 60)",
    )
    parser.add_argument(
        "--inactivity-timeout",
        type=positive_seconds,
        default=None,
        metavar="SECONDS",
        help="engine sockets idle this long get OnSessionTimedOut, then close (default: never)",
    )
    parser.add_argument(
        "--max-parallel-sessions",
        type=_at_least_one,
        default=5,
        help="proxy sessions per user that may reach the engine (qseow; default: 5)",
    )
    parser.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin the web integration id admits (repeatable; cloud)",
    )

    parser.add_argument(
        "--stop-on-stdin-eof",
        action="store_true",
        help="also stop when stdin closes (for a parent process that starts the sim as a child)",
    )


def run(args: argparse.Namespace) -> int:
    import asyncio

    from viewer.sim.runner import serve_until_signalled

    return asyncio.run(
        serve_until_signalled(
            flavor=args.flavor,
            tls=args.tls,
            host=args.host,
            port=args.port,
            qps_port=args.qps_port,
            engine_port=args.engine_port,
            session_ttl=args.session_ttl,
            inactivity_timeout=args.inactivity_timeout,
            max_parallel_sessions=args.max_parallel_sessions,
            allowed_origins=tuple(args.allowed_origin),
            stop_on_stdin_eof=args.stop_on_stdin_eof,
        )
    )
