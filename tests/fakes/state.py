"""State shared by every wire format: scenarios, accepted keys, request log, shutdown."""

from __future__ import annotations

import asyncio
import copy
import itertools
import threading
from collections.abc import Iterable
from typing import Any, TypedDict

from fakes.ollama_models import DEFAULT_OLLAMA_MODELS, model_entries
from fakes.scenario import Scenario

__all__ = ["WILDCARD_MODEL", "ConnectionCut", "FakeState", "RecordedRequest"]

WILDCARD_MODEL = "*"
"""Scenario key that applies to every model without a scenario of its own."""


class ConnectionCut(Exception):
    """Raised inside a response body to abort the connection mid-response."""


class RecordedRequest(TypedDict):
    """One received request, as the control endpoint reports it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeState:
    """Mutable state of one fake provider; safe to change from any thread."""

    def __init__(
        self,
        accepted_keys: Iterable[str] | None = None,
        default: Scenario | None = None,
        ollama_models: Iterable[str | dict[str, Any]] | None = None,
    ) -> None:
        """Create the state.

        Args:
            accepted_keys: API keys that authenticate; ``None`` accepts any key that
                starts with ``sk-test``.
            default: Scenario for models without one (restored by :meth:`reset`).
            ollama_models: Models Ollama has pulled (names or ``/api/tags`` entries);
                ``None`` for :data:`fakes.ollama_models.DEFAULT_OLLAMA_MODELS`.
        """
        self.accepted_keys: frozenset[str] | None = (
            None if accepted_keys is None else frozenset(accepted_keys)
        )
        self.default = default if default is not None else Scenario()
        self._lock = threading.Lock()
        self._scenarios: dict[str, Scenario] = {}
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self._initial_ollama = model_entries(
            DEFAULT_OLLAMA_MODELS if ollama_models is None else ollama_models
        )
        self._ollama = self._initial_ollama
        self._stopping = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- authentication -------------------------------------------------------------

    def key_accepted(self, key: str) -> bool:
        """Whether ``key`` authenticates."""
        if self.accepted_keys is None:
            return key.startswith("sk-test")
        return key in self.accepted_keys

    # --- scenarios ------------------------------------------------------------------

    def set_scenario(self, model: str, scenario: Scenario) -> None:
        """Use ``scenario`` for ``model`` (``"*"``: for every model without its own)."""
        with self._lock:
            self._scenarios[model] = scenario

    def scenario_for(self, model: str) -> Scenario:
        """The scenario that applies to ``model``."""
        with self._lock:
            found = self._scenarios.get(model) or self._scenarios.get(WILDCARD_MODEL)
        return found if found is not None else self.default

    def scenarios(self) -> dict[str, Scenario]:
        """A copy of the scenarios set per model."""
        with self._lock:
            return dict(self._scenarios)

    def reset_scenarios(self) -> None:
        """Forget every scenario set since start."""
        with self._lock:
            self._scenarios.clear()

    # --- Ollama's local models -----------------------------------------------------

    def set_ollama_models(self, models: Iterable[str | dict[str, Any]]) -> None:
        """Replace the models Ollama lists (names or ``/api/tags`` entries)."""
        entries = model_entries(models)
        with self._lock:
            self._ollama = entries

    def ollama_models(self) -> list[dict[str, Any]]:
        """The ``/api/tags`` entries of the models Ollama has (copies)."""
        with self._lock:
            entries = self._ollama
        return copy.deepcopy(list(entries))

    def reset_ollama_models(self) -> None:
        """Go back to the models given at start."""
        with self._lock:
            self._ollama = self._initial_ollama

    # --- request log ----------------------------------------------------------------

    def record(self, request: RecordedRequest) -> None:
        """Append a received request to the log."""
        with self._lock:
            self._requests.append(request)

    def requests(self) -> list[RecordedRequest]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._lock:
            self._requests.clear()

    def next_id(self) -> int:
        """A new sequence number for response ids."""
        with self._lock:
            return next(self._ids)

    # --- timing and shutdown --------------------------------------------------------

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Remember the event loop that serves requests (needed by :meth:`stop_streams`)."""
        self._loop = loop

    def stop_streams(self) -> None:
        """Make every pending and future wait abort its response (server shutdown)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._stopping.set()
        else:
            loop.call_soon_threadsafe(self._stopping.set)

    async def sleep(self, seconds: float) -> None:
        """Sleep, but raise :class:`ConnectionCut` at once if the server is stopping."""
        if self._stopping.is_set():
            raise ConnectionCut("server stopping")
        if seconds <= 0:
            return
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            return
        raise ConnectionCut("server stopping")
