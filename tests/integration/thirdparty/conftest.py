"""The third-party client tier: Node.js clients from npm (pinned in package.json and its lock
file, installed by `.ci/setup` with `npm ci`) run as child processes against the sim. When the
packages are missing but npm is there, the fixture installs them; the tier is skipped only when
Node.js itself is not installed."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
from node_clients import HERE, RUN_TIMEOUT, RunNode, ensure_installed


@pytest.fixture(scope="session")
def node() -> str:
    """The node executable, with the pinned packages installed next to this file."""
    return ensure_installed()


@pytest.fixture
def run_node(node: str) -> RunNode:
    """`run_node(script, config, extra_ca=None)` -> the JSON line the script printed last."""

    def run(script: str, config: dict[str, Any], extra_ca: str | None = None) -> dict[str, Any]:
        env = dict(os.environ)
        if extra_ca is not None:
            env["NODE_EXTRA_CA_CERTS"] = extra_ca
        done = subprocess.run(
            [node, str(HERE / script), json.dumps(config)],
            cwd=HERE, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.strip(), f"{script} printed nothing: {done.stderr[-3000:]}"
        seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return seen

    return run
