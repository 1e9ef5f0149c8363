"""Suite-wide pytest configuration."""

# The real WordPress fixtures (tests/wordpress/pytest_fixtures.py) for every test module.
pytest_plugins = ["tests.wordpress.pytest_fixtures"]
