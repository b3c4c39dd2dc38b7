"""Widgets only: main windows (the kiosk shell, the analyst's tabbed window), branded dialogs and
overlay, status indicator."""
