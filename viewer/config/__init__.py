"""Typed configuration: pydantic profile models, TOML loading, layering, secret references."""
