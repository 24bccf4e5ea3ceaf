"""The per-user SQLite database: connection and numbered migrations."""

from smart_router.store.db import open_database

__all__ = ["open_database"]
