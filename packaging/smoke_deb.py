"""Smoke test of the built Debian package, installed into a throwaway root on this machine:

    .venv/bin/python packaging/smoke_deb.py build/viewer_0.1.0_amd64.deb

1. `dpkg --root` installs it into an empty root (maintainer scripts run without chroot and, seeing
   DPKG_ROOT, leave the running system alone); the files, conffiles and the /usr/bin link are
   where they belong, every Depends entry is a package installed on this machine, and
   `systemd-analyze verify` accepts the kiosk unit.
2. The installed `viewer --version` answers.
3. The installed `viewer demo` (any working directory, no project checkout) reaches LIVE under
   the current X display and saves a screenshot.
4. A site file in the root's /etc/xdg/viewer/site.toml, pointing at the installed `viewer sim`, is
   honoured: a bare `viewer` (no arguments) opens the site's profile and reaches LIVE.
5. Reinstalling the package keeps the administrator's site file (a conffile).
Every stderr line of the viewer must be either a log line below error level or known noise of
Chromium/Qt (viewer.deploy.noise); anything else fails the run. Run under Xvfb; as root the Chromium
sandbox is switched off for the test runs only (QTWEBENGINE_DISABLE_SANDBOX=1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tomli_w

from viewer import __version__
from viewer.commands.demo import demo_config
from viewer.deploy import linux
from viewer.deploy.noise import unexpected_lines


def step(text: str) -> None:
    print(f"== smoke: {text}", flush=True)


def env_for(root: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIEWER_", "PYTHON", "QT_"))}
    env.update(
        XDG_CONFIG_DIRS=str(root / "etc" / "xdg"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        HOME=str(home),
    )
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def install(package: Path, root: Path) -> None:
    admin = root / "var" / "lib" / "dpkg"
    for folder in ("info", "updates", "triggers"):
        (admin / folder).mkdir(parents=True, exist_ok=True)
    for name in ("status", "available"):
        (admin / name).touch()
    subprocess.run(
        ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends",
         "--force-not-root", "--log=/dev/null", "-i", str(package)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip


def check_layout(root: Path) -> None:
    binary = root / linux.BIN_LINK
    assert binary.is_symlink(), "/usr/bin/viewer is not a link"
    assert binary.resolve() == (root / linux.APP_DIR / "viewer").resolve()
    for path in (linux.DESKTOP_FILE, linux.ICON_FILE, linux.UNIT_FILE, linux.SITE_FILE,
                 linux.KIOSK_DEFAULTS, linux.APPARMOR_FILE):  # fmt: skip
        assert (root / path).is_file(), f"/{path} is missing"
    assert (root / linux.POLICY_DIR).is_dir()
    status = subprocess.run(
        ["dpkg-query", f"--admindir={root / 'var/lib/dpkg'}", "-s", linux.PACKAGE],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "Status: install ok installed" in status, status
    for conffile in linux.CONFFILES:
        assert f" /{conffile} " in status, f"/{conffile} is not a conffile"
    depends = re.search(r"^Depends: (.*)$", status, re.MULTILINE)
    assert depends is not None
    for entry in depends.group(1).split(", "):
        name = entry.split(" ", 1)[0]
        query = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False
        )
        assert "install ok installed" in query.stdout, f"Depends {name} is not a real package here"


def check_unit(root: Path, work: Path) -> None:
    """`systemd-analyze verify` on the kiosk unit (as an instance): unknown directives or bad
    values fail. It checks ExecStart on this machine, where /usr/bin/viewer is not installed:
    that one complaint is expected."""
    if shutil.which("systemd-analyze") is None:
        print("   (systemd-analyze not here: unit not verified)")
        return
    instance = work / "viewer-kiosk@smoke.service"
    shutil.copyfile(root / linux.UNIT_FILE, instance)
    result = subprocess.run(
        ["systemd-analyze", "--man=no", "verify", str(instance)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "Command /usr/bin/viewer is not executable" not in line
    ]  # fmt: skip
    assert not complaints, "systemd-analyze verify:\n" + "\n".join(complaints)


def check_version(binary: Path, env: dict[str, str]) -> None:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True, env=env,
                            timeout=60, check=True)  # fmt: skip
    assert result.stdout.strip() == f"viewer {__version__}", result.stdout


def check_demo(binary: Path, env: dict[str, str], work: Path) -> float:
    screenshot = work / "demo.png"
    started = time.monotonic()
    result = subprocess.run(
        [str(binary), "demo", "--quit-after", "5", "--screenshot", str(screenshot),
         "--log-format", "json", "--log-file", "none"],
        capture_output=True, text=True, env=env, cwd=work, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    states = [json.loads(line) for line in result.stderr.splitlines() if '"ui.state"' in line]
    assert any(s.get("state") == "LIVE" for s in states), result.stderr[-3000:]
    # a blank 1280x800 PNG is a few KiB; a rendered sheet is tens of KiB
    assert screenshot.stat().st_size > 20_000, "the screenshot looks blank"
    bad = unexpected_lines(result.stderr)
    assert not bad, "unexpected stderr lines:\n" + "\n".join(bad)
    return time.monotonic() - started


@contextmanager
def sim(binary: Path, env: dict[str, str]) -> Iterator[dict[str, object]]:
    process = subprocess.Popen(
        [str(binary), "sim", "--flavor", "cloud", "--stop-on-stdin-eof", "--log-file", "none"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready.get("event") == "sim.ready", ready
        yield ready
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def check_site_file(binary: Path, root: Path, env: dict[str, str]) -> None:
    site = root / linux.SITE_FILE
    with sim(binary, env) as ready:
        config = demo_config(ready, "cloud", "cloud-jwt")
        config["branding"] = {"product_name": "Site smoke"}
        site.write_bytes(tomli_w.dumps(config).encode())
        process = subprocess.Popen(
            [str(binary)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
        )
        assert process.stderr is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        try:
            for line in process.stderr:
                lines.append(line.rstrip("\n"))
                if 'ui.state state="LIVE"' in line or time.monotonic() > deadline:
                    break
            assert any('ui.state state="LIVE"' in line for line in lines), "\n".join(lines[-30:])
            assert any('source="site"' in line for line in lines), "\n".join(lines[-30:])
        finally:
            process.send_signal(signal.SIGTERM)
            rest = process.communicate(timeout=30)[1]
        lines.extend(rest.splitlines())
        assert process.returncode == 0, "\n".join(lines[-30:])
        bad = unexpected_lines("\n".join(lines))
        assert not bad, "unexpected stderr lines:\n" + "\n".join(bad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="viewer-smoke-") as scratch:
        root, home, work = (Path(scratch) / name for name in ("root", "home", "work"))
        for folder in (root, home, work):
            folder.mkdir()
        step(f"install {args.package.name} into {root}")
        install(args.package, root)
        check_layout(root)
        check_unit(root, work)
        binary = root / linux.BIN_LINK
        env = env_for(root, home)
        step("viewer --version")
        check_version(binary, env)
        step("viewer demo reaches LIVE")
        print(f"   demo run took {check_demo(binary, env, work):.1f} s")
        step("a bare `viewer` opens the site file's sheet")
        check_site_file(binary, root, env)
        step("reinstalling keeps the administrator's site file")
        edited = (root / linux.SITE_FILE).read_text(encoding="utf-8")
        install(args.package, root)
        assert (root / linux.SITE_FILE).read_text(encoding="utf-8") == edited
    step("passed")


if __name__ == "__main__":
    main()
