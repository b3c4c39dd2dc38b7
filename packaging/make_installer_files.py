"""Write the generated parts of the installers into one folder (default build/installer):

    .venv/bin/python packaging/make_installer_files.py [--out build/installer]
        [--site site.toml --organization "Acme"]

- `site-properties.iss`: the Windows installer's [Run] entry turning its properties into the
  site file (viewer.deploy.windows), included by packaging/windows/viewer.iss;
- `viewer.admx` + `en-US/viewer.adml`: the Group Policy template (viewer.deploy.admx);
- with `--site`: `viewer-site.mobileconfig`, a macOS configuration profile forcing that site
  file's settings as managed preferences (viewer.deploy.mobileconfig).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.config.loading import load_layers
from viewer.deploy.admx import adml, admx
from viewer.deploy.mobileconfig import mobileconfig
from viewer.deploy.windows import inno_include


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "installer")
    parser.add_argument("--site", type=Path, help="a site file for the macOS profile")
    parser.add_argument("--organization", default="Viewer", help="shown in the macOS profile")
    args = parser.parse_args()
    (args.out / "en-US").mkdir(parents=True, exist_ok=True)
    (args.out / "site-properties.iss").write_text(inno_include(), encoding="utf-8")
    (args.out / "viewer.admx").write_text(admx(), encoding="utf-8")
    (args.out / "en-US" / "viewer.adml").write_text(adml(), encoding="utf-8")
    if args.site is not None:
        _, _, problems = load_layers(site_file=args.site, user_file=None, require_complete=False)
        if problems:
            raise SystemExit("\n".join(p.render() for p in problems))
        settings = tomllib.loads(args.site.read_text(encoding="utf-8"))
        profile = mobileconfig(settings, organization=args.organization)
        (args.out / "viewer-site.mobileconfig").write_bytes(profile)
    for path in sorted(args.out.rglob("*")):
        if path.is_file():
            print(path)


if __name__ == "__main__":
    main()
