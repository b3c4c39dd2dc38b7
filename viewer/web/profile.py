"""Web profiles: persistent per viewer profile on the desktop (cookies and cache on disk, so a
restart re-attaches), configurable for kiosks (off the record when not persistent); downloads
are cancelled unless the configuration allows them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEngineProfile

from viewer.log import emit, get_logger
from viewer.web.flags import guard_once

_log = get_logger("web")


@dataclass(frozen=True)
class ProfileSettings:
    """How to build a profile: `storage_dir` None means off the record (nothing on disk)."""

    name: str
    storage_dir: Path | None
    downloads_allowed: bool = False


def _on_download_requested(allowed: bool, download: QWebEngineDownloadRequest) -> None:
    if allowed:
        download.accept()
        emit(_log, "web.download", allowed=True, file=download.downloadFileName())
    else:
        download.cancel()
        emit(_log, "web.download", allowed=False, file=download.downloadFileName())


def create_profile(settings: ProfileSettings, parent: QObject | None = None) -> QWebEngineProfile:
    """A profile per `settings`. Persistent profiles force persistent cookies so the session
    cookies of a grant survive a restart. The first profile starts Chromium: switches that
    weaken its security are taken out of the environment first (viewer.web.flags)."""
    guard_once()
    if settings.storage_dir is None:
        profile = QWebEngineProfile(parent)
    else:
        profile = QWebEngineProfile(settings.name, parent)
        storage = settings.storage_dir
        storage.mkdir(parents=True, exist_ok=True, mode=0o700)
        profile.setPersistentStoragePath(str(storage / "storage"))
        profile.setCachePath(str(storage / "cache"))
        profile.setPersistentCookiesPolicy(
            QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies
        )
        profile.setDownloadPath(str(storage / "downloads"))
    allowed = settings.downloads_allowed
    profile.downloadRequested.connect(lambda item: _on_download_requested(allowed, item))
    return profile
