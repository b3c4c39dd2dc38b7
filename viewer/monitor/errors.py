"""The health endpoint's own error, in a module of its own: the composition root catches it on
every start, and importing it must not bring in the endpoint's server and metrics stack
(h11, prometheus_client), which a start without a health port never uses."""

from __future__ import annotations


class HealthServerError(Exception):
    """The health endpoint cannot start as configured; the message says why and what to do."""
