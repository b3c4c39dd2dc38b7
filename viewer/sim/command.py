"""`viewer sim`: run the simulated Qlik tenant alone and print its ready line."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--flavor", choices=("cloud", "qseow"), default="cloud")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS/WSS with a generated CA")
    parser.add_argument(
        "--qps-port", type=int, default=0, help="QPS certificate port (qseow; 0 picks a free port)"
    )
    parser.add_argument(
        "--session-ttl",
        type=float,
        default=60.0,
        help="seconds an engine session outlives its last socket (default: 60)",
    )
    parser.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin the web integration id admits (repeatable; cloud)",
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
            session_ttl=args.session_ttl,
            allowed_origins=tuple(args.allowed_origin),
        )
    )
