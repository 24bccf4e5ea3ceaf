"""A real LSP client (pytest-lsp) for the sidecar process, recording its custom notifications."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from smart_router import protocol

__all__ = ["KEY", "NOTIFICATIONS", "Sidecar", "SidecarFactory"]

KEY = "sk-test-e2e-0123456789"
NOTIFICATIONS = (
    protocol.ROUTED,
    protocol.STREAM,
    protocol.BUDGET_CHANGED,
    protocol.STATUS,
    protocol.BUDGET_ALERT,
    protocol.ARENA_STARTED,
    protocol.ARENA_STREAM,
    protocol.ARENA_CONTESTANT,
    protocol.ARENA_MERGE,
)


class Sidecar:
    """The client, and every custom notification the server sent it, in order."""

    def __init__(self, client: LanguageClient, process_env: dict[str, str]) -> None:
        self.client = client
        self.env = process_env
        self.received: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.order: list[str] = []
        self.server_capabilities: types.ServerCapabilities | None = None
        """What the server announced in its `initialize` result."""
        self._arrived = asyncio.Event()

    def record(self, method: str, params: Any) -> None:
        self.received[method].append(_plain(params))
        self.order.append(method)
        self._arrived.set()

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        return _plain(await self.client.protocol.send_request_async(method, params))

    async def wait_for(self, method: str, count: int = 1, within_s: float = 10) -> None:
        async def enough() -> None:
            while len(self.received[method]) < count:
                self._arrived.clear()
                await self._arrived.wait()

        await asyncio.wait_for(enough(), within_s)


def _plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


SidecarFactory = Callable[..., Awaitable[Sidecar]]
