"""The benchmark tools' pure parts are imported as `tests.bench.…`: the checkout's root on
sys.path (the tiers run as `pytest tests/unit`, which puts only test directories there)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
