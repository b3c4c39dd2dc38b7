"""One simulated tenant shared by the viewer and its peers in a benchmark: `viewer sim` as its own
process, a profile file that points `viewer run` at it (the demo's cloud-jwt profile), and the
same sign-in done here so bare Chromium can load the same `/single/` page with a session cookie."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import tomli_w

from tests.bench.chromium import BrowserCookie
from tests.bench.faults import SimAdmin
from viewer.auth.base import run_flow
from viewer.auth.factory import strategy_for
from viewer.commands.demo import demo_config
from viewer.commands.simproc import SimProcess
from viewer.config.models import ViewerConfig
from viewer.core.urls import single_url

FLAVOR = "cloud"
AUTH_MODE = "cloud-jwt"


@dataclass
class BenchTenant:
    """The running sim, and the profile `viewer run --config` uses against it."""

    sim: SimProcess
    profile: Path

    @property
    def admin(self) -> SimAdmin:
        return SimAdmin(self.sim.url)

    def config(self) -> ViewerConfig:
        return ViewerConfig.model_validate(demo_config(self.sim.ready, FLAVOR, AUTH_MODE))

    def viewer_args(self) -> tuple[str, ...]:
        return ("run", "--config", str(self.profile), "--kiosk", "--log-file", "none")

    def browser_page(self, identity: str) -> tuple[str, list[BrowserCookie]]:
        """Sign in as the viewer does; the `/single/` URL of the viewer's sheet for `identity`
        and the session cookies to load it with."""
        config = self.config()
        grant = asyncio.run(_sign_in(config, identity))
        tenant = config.tenant
        sheet = self.sim.ready["apps"][0]["sheets"][0]["id"]
        url = single_url(
            tenant.base_url, tenant.app_id, sheet=sheet, identity=identity,
            web_integration_id=tenant.web_integration_id,
        )  # fmt: skip
        cookies = [BrowserCookie(c.name, c.value, tenant.base_url) for c in grant.cookies]
        return url, cookies


async def _sign_in(config: ViewerConfig, identity: str) -> Any:
    strategy = strategy_for(config, identity)
    async with httpx.AsyncClient() as client:
        return await run_flow(client, strategy.authenticate())


@contextlib.contextmanager
def bench_tenant() -> Iterator[BenchTenant]:
    """Start the sim and write the profile; stop and remove both afterwards."""
    with SimProcess.start(FLAVOR) as sim, tempfile.TemporaryDirectory(prefix="bench-") as work:
        profile = Path(work) / "profile.toml"
        data = demo_config(sim.ready, FLAVOR, AUTH_MODE)
        profile.write_text(tomli_w.dumps(data))
        yield BenchTenant(sim, profile)
