"""Subcommand modules of the `viewer` CLI that compose several subsystems (run, demo, check)."""
