"""API keys: from the environment or the OS keyring, and nowhere else.

A key is looked up in the provider's environment variable first, then in the OS keyring
(service `smart-router`, user = provider id). Keys are never logged, written to settings or
the database, or put in an error message. `keyring` is imported on first use: on some
systems loading its backends is slow.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import TYPE_CHECKING

from smart_router.errors import KeyringError

if TYPE_CHECKING:
    from smart_router.catalog import ProviderSpec

__all__ = ["SERVICE", "KeyStore"]

SERVICE = "smart-router"


class KeyStore:
    """Reads and writes provider keys. Keyring calls run off the event loop."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ
        self._cache: dict[str, str | None] = {}

    async def get(self, provider: ProviderSpec) -> str | None:
        if provider.api_key_env and self._environ.get(provider.api_key_env):
            return self._environ[provider.api_key_env]
        if provider.id not in self._cache:
            self._cache[provider.id] = await asyncio.to_thread(_keyring_get, provider.id)
        return self._cache[provider.id]

    async def set(self, provider: ProviderSpec, key: str) -> str:
        """Store (or, with an empty key, delete) a key; returns the keyring backend's name."""
        backend = await asyncio.to_thread(_keyring_set, provider.id, key)
        self._cache[provider.id] = key or None
        return backend


def _keyring_get(user: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError as BackendError

    try:
        return keyring.get_password(SERVICE, user)
    except BackendError:
        return None


def _keyring_set(user: str, key: str) -> str:
    import keyring
    from keyring.errors import KeyringError as BackendError
    from keyring.errors import PasswordDeleteError

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        if key:
            keyring.set_password(SERVICE, user, key)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, user)
    except BackendError as exc:
        raise KeyringError(
            f"No usable OS keyring ({type(exc).__name__}). Unlock or install one (GNOME Keyring, "
            "KWallet, macOS Keychain, Windows Credential Locker), or set the provider's API key "
            "environment variable instead.",
        ) from None
    return name
