"""Watchers around the session: network reachability and the health/metrics endpoint."""
