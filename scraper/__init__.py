"""wparchive: archive WordPress blogs into SQLite, browse them in Datasette."""

__version__ = "0.1.0"
