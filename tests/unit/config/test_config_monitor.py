"""The `monitor` section: off loopback the endpoint needs a token, and the problem is located."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_problems import only, problems_in

PROFILE = """\
[tenant]
kind = "cloud"
base_url = "https://acme.example.com"
app_id = "app-1"

[monitor]
port = 9405
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "key_path", "code"),
    [
        ('address = "0.0.0.0"', "monitor.token", "token_required"),
        ("screenshot = true", "monitor.token", "token_required"),
        ('address = "display-7.example.com"', "monitor.address", "ip_address"),
        ("max_connections = 0", "monitor.max_connections", "greater_than_equal"),
    ],
)
def test_monitor_problems_name_their_key(
    tmp_path: Path, extra: str, key_path: str, code: str
) -> None:
    problem = only(problems_in(tmp_path, PROFILE.format(extra=extra)))
    assert (problem.key_path, problem.code) == (key_path, code)


def test_a_token_opens_the_endpoint_to_the_network(tmp_path: Path) -> None:
    text = PROFILE.format(extra='address = "0.0.0.0"\ntoken = "env:VIEWER_MONITOR_TOKEN"')
    assert problems_in(tmp_path, text) == []
