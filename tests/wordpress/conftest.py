"""Makes the WordPress fixtures available to tests/wordpress even if the top-level
tests/conftest.py does not list ``pytest_plugins = ["tests.wordpress.pytest_fixtures"]``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PLUGIN = "tests.wordpress.pytest_fixtures"

# `pytest` (unlike `python -m pytest`) does not put the repository root on sys.path.
_REPO_ROOT = str(Path(__file__).resolve().parents[2])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)


def pytest_configure(config: pytest.Config) -> None:
    # Registering (rather than importing the fixtures here) keeps ONE session-scoped stack even
    # when the top-level conftest registers the plugin too.
    if not config.pluginmanager.has_plugin(PLUGIN):
        config.pluginmanager.import_plugin(PLUGIN)
