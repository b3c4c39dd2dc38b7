"""Switching the screen off and on for a kiosk's planned-off hours.

On X11 with the DPMS extension the monitor itself is put to sleep (`DPMSForceLevel`, what
`xset dpms force off` does, through libXext). Elsewhere — Wayland (no client may switch outputs
off), X servers without DPMS (Xvfb, some VNC servers) — the kiosk window is covered black: the
panel stays lit but shows nothing. `backend_for(window)` picks the one that works here."""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

DPMS_MODE_ON = 0
DPMS_MODE_OFF = 3


class DisplayPower(Protocol):
    """Puts the screen on or off."""

    name: str

    def set_on(self, on: bool) -> None: ...


class X11Dpms:
    """The X server's DPMS extension on the display Qt uses ($DISPLAY)."""

    name = "x11-dpms"

    def __init__(self, x11: ctypes.CDLL, xext: ctypes.CDLL, display: int) -> None:
        self._x11 = x11
        self._xext = xext
        self._display = ctypes.c_void_p(display)

    @classmethod
    def open(cls) -> X11Dpms | None:
        """A connection to the X server when it offers DPMS; None otherwise."""
        x11_path, xext_path = ctypes.util.find_library("X11"), ctypes.util.find_library("Xext")
        if x11_path is None or xext_path is None:
            return None
        x11, xext = ctypes.CDLL(x11_path), ctypes.CDLL(xext_path)
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        display = x11.XOpenDisplay(None)
        if not display:
            return None
        pointer = ctypes.c_void_p(display)
        events, errors = ctypes.c_int(), ctypes.c_int()
        xext.DPMSQueryExtension.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        xext.DPMSCapable.argtypes = [ctypes.c_void_p]
        if not (
            xext.DPMSQueryExtension(pointer, ctypes.byref(events), ctypes.byref(errors))
            and xext.DPMSCapable(pointer)
        ):
            x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
            x11.XCloseDisplay(pointer)
            return None
        xext.DPMSEnable.argtypes = [ctypes.c_void_p]
        xext.DPMSForceLevel.argtypes = [ctypes.c_void_p, ctypes.c_ushort]
        x11.XFlush.argtypes = [ctypes.c_void_p]
        return cls(x11, xext, display)

    def set_on(self, on: bool) -> None:
        self._xext.DPMSEnable(self._display)
        self._xext.DPMSForceLevel(self._display, DPMS_MODE_ON if on else DPMS_MODE_OFF)
        self._x11.XFlush(self._display)


class BlankCover:
    """A black widget over the whole kiosk window (where the screen cannot be switched off)."""

    name = "blank"

    def __init__(self, window: QWidget) -> None:
        self._cover = QWidget(window)
        self._cover.setObjectName("displayOffCover")
        self._cover.setStyleSheet("background: #000000;")
        self._cover.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._cover.hide()
        self._window = window

    def set_on(self, on: bool) -> None:
        if on:
            self._cover.hide()
            return
        self._cover.setGeometry(self._window.rect())
        self._cover.show()
        self._cover.raise_()


def backend_for(window: QWidget) -> DisplayPower:
    """DPMS on X11 when the server has it, else the black cover."""
    if QGuiApplication.platformName() == "xcb":
        dpms = X11Dpms.open()
        if dpms is not None:
            return dpms
    return BlankCover(window)
