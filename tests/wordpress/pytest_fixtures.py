"""pytest fixtures for the real WordPress test site (a pytest plugin module).

Register once for the whole suite, in the top-level ``tests/conftest.py``::

    pytest_plugins = ["tests.wordpress.pytest_fixtures"]

(``tests/wordpress/conftest.py`` registers it by itself when that line is absent, so the
fixture's own tests run either way.)

Fixtures:

``wordpress_stack`` (session)
    The :class:`~tests.wordpress.wpsite.WordPressStack`: provisions/starts MariaDB and seeds on
    first use; at session end stops what this session started (a server that was already
    running, e.g. from ``python -m tests.wordpress.wpsite up``, is reused and left running).

``wordpress_site`` (session) -> :class:`~tests.wordpress.wpsite.WordPressSite`
    A running server. Default theme twentytwentyone; choose others with indirect
    parametrization, by theme name or by a dict with ``theme``/``disable``::

        @pytest.mark.parametrize("wordpress_site", WORDPRESS_THEMES, indirect=True)
        def test_x(wordpress_site): ...

        NO_REST = {"theme": "twentytwentytwo", "disable": "rest,sitemap"}

        @pytest.mark.parametrize("wordpress_site", [NO_REST], indirect=True)
        def test_y(wordpress_site): ...

    Each (theme, disable) server is started once per session, whatever the test order.

``wordpress_truth`` (session) -> dict
    Ground truth exported from WordPress's database for ``wordpress_site`` (URLs use that
    site's origin). See tests/wordpress/README.md for the structure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.wordpress.wpsite import (
    DEFAULT_THEME,
    THEMES,
    WordPressError,
    WordPressSite,
    WordPressStack,
)

WORDPRESS_THEMES: tuple[str, ...] = THEMES
"""For ``@pytest.mark.parametrize("wordpress_site", WORDPRESS_THEMES, indirect=True)``."""

__all__ = ["WORDPRESS_THEMES", "wordpress_site", "wordpress_stack", "wordpress_truth"]


def _site_spec(param: Any) -> tuple[str, Any]:
    if param is None:
        return DEFAULT_THEME, None
    if isinstance(param, str):
        return param, None
    if isinstance(param, dict):
        return param.get("theme", DEFAULT_THEME), param.get("disable")
    raise TypeError(f"wordpress_site param must be a theme name or a dict, not {param!r}")


@pytest.fixture(scope="session")
def wordpress_stack() -> Iterator[WordPressStack]:
    stack = WordPressStack()
    try:
        stack.provision()
    except WordPressError as exc:
        pytest.fail(f"WordPress fixture could not be provisioned: {exc}", pytrace=False)
    yield stack
    stack.stop_started()


@pytest.fixture(scope="session")
def wordpress_site(
    request: pytest.FixtureRequest, wordpress_stack: WordPressStack
) -> WordPressSite:
    # Servers belong to wordpress_stack (stopped at session end), so pytest re-creating this
    # fixture when the parameter changes only looks the running server up again.
    theme, disable = _site_spec(getattr(request, "param", None))
    try:
        return wordpress_stack.start_site(theme, disable)
    except WordPressError as exc:
        pytest.fail(f"WordPress site {theme} could not be started: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def wordpress_truth(
    wordpress_stack: WordPressStack, wordpress_site: WordPressSite
) -> dict[str, Any]:
    return wordpress_stack.truth(wordpress_site)
