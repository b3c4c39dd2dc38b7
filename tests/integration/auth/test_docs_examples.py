"""Every example profile under docs/examples/ is a valid profile, and each one whose mode the
simulated tenant serves passes `viewer check` against it once its deployment coordinates (URL,
app, keys, certificates) are the sim's — every other key stays the example's. Interactive
examples get as far as a machine can: every step up to the stored sign-in passes, and that step
says to sign in with `viewer run`."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from authsim import in_sim

from viewer.commands.check_steps import StepResult, run_checks
from viewer.commands.demo import demo_config
from viewer.config.loading import ConfigLocations, load_profile
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
SIM_SERVED = {"cloud-jwt", "api-key", "qseow-ticket", "qseow-session", "qseow-header"}
INTERACTIVE = {"cloud-interactive", "qseow-interactive"}
NOT_ON_THE_SIM = {"qseow-jwt", "anonymous"}  # validated only: the sim has no such proxy


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.toml"))


def _locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(tmp_path / "site.toml", tmp_path / "profiles", tmp_path / "state")


def test_there_is_an_example_for_every_auth_mode() -> None:
    from viewer.config.models import AUTH_MODELS, auth_mode_of

    modes = {tomllib.loads(p.read_text())["auth"]["mode"] for p in _examples()}
    assert modes == {auth_mode_of(model) for model in AUTH_MODELS}
    assert modes == SIM_SERVED | INTERACTIVE | NOT_ON_THE_SIM


@pytest.mark.parametrize("example", _examples(), ids=lambda p: p.stem)
def test_every_example_is_a_valid_profile(example: Path, tmp_path: Path) -> None:
    profile = load_profile(
        config_file=example, locations=_locations(tmp_path), environ={"QLIK_API_KEY": "k"}
    )
    assert profile.config.auth.mode == tomllib.loads(example.read_text())["auth"]["mode"]


def _on_the_sim(example: dict[str, Any], sim: RunningSim) -> tuple[dict[str, Any], dict[str, str]]:
    """The example with the sim's coordinates in place of the example's deployment's."""
    mode = example["auth"]["mode"]
    flavor = sim.ready["flavor"]
    environ: dict[str, str] = {}
    if mode == "api-key":
        coordinates = demo_config(sim.ready, flavor, "cloud-jwt")
        coordinates["auth"] = {}
        environ["QLIK_API_KEY"] = sim.ready["credentials"]["api_key"]
    else:
        coordinates = demo_config(sim.ready, flavor, mode)
    merged = {section: dict(values) for section, values in example.items()}
    for section in ("tenant", "auth"):
        merged[section].update(coordinates[section])
    merged["tenant"].pop("sheet_id", None)  # the sim's sheets have their own ids: the first
    if "network" in merged:
        merged["network"].pop("ca_bundle", None)  # the sim speaks plain HTTP here
    return merged, environ


def _check(tmp_path: Path, example: Path, env: pytest.MonkeyPatch) -> list[StepResult]:
    data = tomllib.loads(example.read_text())
    flavor = data["tenant"]["kind"]

    async def main(sim: RunningSim) -> list[StepResult]:
        merged, environ = _on_the_sim(data, sim)
        for name, value in environ.items():
            env.setenv(name, value)  # secret references are read from the environment
        path = tmp_path / example.name
        path.write_bytes(tomli_w.dumps(merged).encode())
        profile = load_profile(
            config_file=path, locations=_locations(tmp_path), environ=dict(os.environ)
        )
        return await run_checks(profile)

    return in_sim(main, flavor=flavor)


@pytest.mark.parametrize(
    "example", [p for p in _examples() if p.stem in SIM_SERVED], ids=lambda p: p.stem
)
def test_each_example_the_sim_serves_passes_viewer_check(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _check(tmp_path, example, monkeypatch)
    failed = [r for r in results if r.outcome == "fail"]
    assert not failed, failed
    assert [r.step for r in results if r.outcome == "pass"][-1] == "/single/ reachable"


@pytest.mark.parametrize(
    "example", [p for p in _examples() if p.stem in INTERACTIVE], ids=lambda p: p.stem
)
def test_each_interactive_example_checks_up_to_the_sign_in(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = {r.step: r for r in _check(tmp_path, example, monkeypatch)}
    assert all(results[s].outcome == "pass" for s in ("name resolves", "TCP", "TLS"))
    stored = results["stored session"]
    assert stored.outcome == "fail"
    assert "`viewer run`" in stored.hint
