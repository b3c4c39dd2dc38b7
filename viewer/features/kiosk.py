"""The wall-display features a kiosk's `[kiosk]` settings ask for (idle reset, freshness, …),
built for the application's first sheet and its window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from viewer.core import state as vs
from viewer.features.base import Feature
from viewer.features.rotation import Rotation

if TYPE_CHECKING:
    from viewer.application import Application


def kiosk_features(app: Application, rotation: Rotation | None) -> list[Feature]:
    """The kiosk features `app`'s configuration enables, in start order."""
    from viewer.features.idle_reset import IdleReset

    kiosk = app.config.kiosk
    tenant = app.config.tenant
    sheet = app.sheets[0]
    from viewer.core.capacity import paced_interval_s
    from viewer.features.capacity import CapacityUse

    capacity = CapacityUse()
    features: list[Feature] = [capacity]
    if rotation is not None:
        rotation.on_navigate = capacity.activity
        rotation.interval_s = paced_interval_s(rotation.interval_s, kiosk.capacity_minutes_per_day)
    if kiosk.idle_reset_s is not None:
        start = tenant.sheet_id or (tenant.sheets[0] if tenant.sheets else None)
        features.append(
            IdleReset(
                sheet,
                kiosk.idle_reset_s,
                start_sheet=start,
                single=tenant.single,
                watch=lambda on_input: _watch_input(app, on_input),
                rotation=rotation,
                on_activity=capacity.activity,
            )
        )
    if kiosk.freshness_badge or kiosk.stale_after_s is not None:
        from viewer.features.freshness import FreshnessWatch
        from viewer.ui.freshness import FreshnessBadge

        badge = FreshnessBadge(app.shell.window)
        features.append(
            FreshnessWatch(
                sheet, badge, stale_after_s=kiosk.stale_after_s, always=kiosk.freshness_badge
            )
        )
    if kiosk.reload_at or kiosk.display_off:
        features.append(_schedules(app))
    return features


def _schedules(app: Application) -> Feature:
    from viewer.core.schedule import DailySchedule
    from viewer.features.schedule import RESTART_EXIT_CODE, Schedules
    from viewer.ui.display_power import backend_for

    kiosk = app.config.kiosk
    sheet = app.sheets[0]
    power = backend_for(app.shell.window)
    return Schedules(
        DailySchedule.parse(kiosk.reload_at, kiosk.display_off),
        reload_action=kiosk.reload_action,
        reload=lambda: sheet.reload() if sheet.phase is vs.Phase.LIVE else None,
        restart=lambda: app.request_quit(RESTART_EXIT_CODE),
        set_display_on=power.set_on,
        display_backend=power.name,
        park=sheet.park if kiosk.display_off_close_session else None,
        wake=sheet.wake,
        wake_lead_s=kiosk.display_on_lead_s,
        reported=app.health.step if app.health is not None else lambda: None,
    )


def _watch_input(app: Application, on_input: Callable[[], None]) -> Callable[[], None]:
    """Watch the kiosk window's input; returns the function that stops watching."""
    from viewer.ui.activity import InputWatcher

    watcher = InputWatcher(on_input, app.shell)
    watcher.start(app.shell.window)
    return watcher.stop
