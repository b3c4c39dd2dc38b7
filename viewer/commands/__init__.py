"""Subcommand modules of the `viewer` CLI that compose several subsystems (run, demo, check)."""

PROFILE_HELP = "the profile NAME.toml in the user config dir (~/.config/viewer/profiles/ on Linux)"
"""What `--profile NAME` means, in every command that takes it."""
