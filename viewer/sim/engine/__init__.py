"""The simulated QIX engine: sample apps, JSON-RPC sessions over websockets, and fault injection.

`EngineHub` (hub.py) is what the sim's server mounts; `sample_apps` (data.py) are the apps it
serves. Inside: protocol.py (framing, errors, params), delta.py (JSON-Patch answers),
connection.py (one socket), registry.py (sessions by user/identity/app, ttl), session.py and the
*_object.py modules (handles and methods), layout.py, hypercube.py and selection.py (the data
model: layouts computed from the data and the session's selections).
"""

from viewer.sim.engine.data import App, AppInfo, SheetInfo, sample_apps
from viewer.sim.engine.hub import EngineHub

__all__ = ["App", "AppInfo", "EngineHub", "SheetInfo", "sample_apps"]
