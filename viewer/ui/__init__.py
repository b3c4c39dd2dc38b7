"""Widgets only: main window, branded dialogs and overlay, status indicator, kiosk and desktop shells."""
