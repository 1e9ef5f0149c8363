"""The plugin registers with its hooks whichever is imported first, it or Datasette."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import {first}
from datasette.plugins import pm
print(sorted(h.plugin_name for h in pm.hook.register_routes.get_hookimpls()))
"""


@pytest.mark.parametrize("first", ["scraper.reading_room.images", "datasette.app"])
def test_the_plugin_has_its_hooks_whatever_is_imported_first(first: str) -> None:
    result = subprocess.run([sys.executable, "-c", CHECK.format(first=first)],
                            capture_output=True, text=True, timeout=60, check=True)
    assert "wparchive" in result.stdout, result.stdout + result.stderr
