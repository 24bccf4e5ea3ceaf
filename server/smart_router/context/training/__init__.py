"""Offline training of the response cache's hit decision (`fit_cache.py`)."""
