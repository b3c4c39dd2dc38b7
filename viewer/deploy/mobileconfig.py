"""The macOS configuration profile (.mobileconfig) that pushes a site's settings as managed
preferences of the viewer's domain — what `viewer.config.policy.ManagedPreferences` reads from
`/Library/Managed Preferences/<domain>.plist` once an MDM (or `profiles install`) applied it.
The settings are the tables of a site file, as they are (MCX "Forced" preferences)."""

from __future__ import annotations

import plistlib
import uuid
from collections.abc import Mapping
from typing import Any

from viewer.config.policy import MACOS_DOMAIN

PROFILE_IDENTIFIER = f"{MACOS_DOMAIN}.site"


def _uuid(seed: str) -> str:
    """A stable UUID for a payload, so a re-generated profile replaces the installed one."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PROFILE_IDENTIFIER}/{seed}")).upper()


def mobileconfig(
    settings: Mapping[str, Any], *, organization: str, domain: str = MACOS_DOMAIN
) -> bytes:
    """The profile (XML property list) forcing `settings` (nested tables, without `locks`:
    every managed preference is locked anyway) for `domain`."""
    forced = {k: v for k, v in settings.items() if k != "locks"}
    payload = {
        "PayloadType": "com.apple.ManagedClient.preferences",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{PROFILE_IDENTIFIER}.preferences",
        "PayloadUUID": _uuid("preferences"),
        "PayloadDisplayName": "Viewer settings",
        "PayloadEnabled": True,
        "PayloadContent": {domain: {"Forced": [{"mcx_preference_settings": forced}]}},
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": PROFILE_IDENTIFIER,
        "PayloadUUID": _uuid("profile"),
        "PayloadDisplayName": "Viewer site configuration",
        "PayloadOrganization": organization,
        "PayloadScope": "System",
        "PayloadContent": [payload],
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)


def forced_settings(profile: bytes, domain: str = MACOS_DOMAIN) -> dict[str, Any]:
    """The settings a profile forces for `domain` (what macOS writes to the managed plist)."""
    parsed = plistlib.loads(profile)
    for payload in parsed.get("PayloadContent", []):
        if payload.get("PayloadType") == "com.apple.ManagedClient.preferences":
            forced = payload["PayloadContent"][domain]["Forced"][0]
            return dict(forced["mcx_preference_settings"])
    return {}
