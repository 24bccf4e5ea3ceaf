"""Serving the fake provider: the ASGI app, loopback sockets and the uvicorn server."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from types import FrameType

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from fakes import anthropic_wire, azure_wire, control, gemini_wire, ollama_wire, openai_wire
from fakes.state import ConnectionCut, FakeState

__all__ = [
    "WIRE_FORMATS",
    "FakeServer",
    "RouteFactory",
    "bind_loopback",
    "create_app",
    "loopback_host",
    "make_server",
    "url_host",
    "write_ready_file",
]

RouteFactory = Callable[[FakeState], list[BaseRoute]]
WIRE_FORMATS: tuple[RouteFactory, ...] = (
    openai_wire.routes,
    anthropic_wire.routes,
    gemini_wire.routes,
    ollama_wire.routes,
    azure_wire.routes,
)
"""Route factories of the wire formats the fake provider speaks, all on one port.

A wire format is one module with a ``routes(state)`` factory; it parses its own
requests and errors and streams through :func:`fakes.streaming.event_stream` with
its own :class:`fakes.streaming.StreamEncoder`, so scenarios, timing, failure modes,
the request log and the control endpoints are shared.
"""


def _fallback(state: FakeState) -> Route:
    """The 404 of every unknown path, logged like any provider request.

    Under ``/v1`` it is OpenAI's JSON error; elsewhere Go's plain ``404 page not found``
    (what Ollama answers).
    """

    async def not_found(request: Request) -> Response:
        if request.url.path.startswith("/__fake__/"):
            return PlainTextResponse("Not Found", status_code=404)
        await control.read_and_record(state, request)
        if request.url.path.startswith("/v1/"):
            return openai_wire.invalid_url(request)
        return PlainTextResponse("404 page not found", status_code=404)

    return Route("/{rest:path}", not_found, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])


def create_app(state: FakeState, wires: Sequence[RouteFactory] = WIRE_FORMATS) -> Starlette:
    """The ASGI app: control endpoints, the routes of every wire format, then a 404."""
    routes = control.routes(state)
    for wire in wires:
        routes.extend(wire(state))
    routes.append(_fallback(state))
    return Starlette(routes=routes)


class _QuietCuts(logging.Filter):
    """Drop the server's error log of connections the fake aborts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionCut)


_QUIET_CUTS = _QuietCuts()


def loopback_host(host: str) -> str:
    """``host`` as a loopback IP address; anything else is refused."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"not an IP address: {host!r} (loopback only)") from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address (loopback only)")
    return str(address)


def url_host(host: str) -> str:
    """``host`` as written in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


def bind_loopback(host: str, port: int) -> socket.socket:
    """A listening TCP socket on loopback ``host`` (``port`` 0 picks a free port)."""
    host = loopback_host(host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP (not 0) so asyncio turns Nagle off on accepted connections; without it
    # every keep-alive response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class FakeServer(uvicorn.Server):
    """A uvicorn server that stops promptly and aborts in-flight streams when it does."""

    def __init__(self, config: uvicorn.Config, state: FakeState, on_started: Callable[[], None]):
        """Wrap ``config``; ``on_started`` runs in the server loop once it listens."""
        super().__init__(config)
        self._state = state
        self._on_started = on_started
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()

    def request_exit(self) -> None:
        """Ask the server to shut down; callable from any thread or a signal handler."""
        self.force_exit = self.should_exit
        self.should_exit = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then report it."""
        self._loop = asyncio.get_running_loop()
        self._state.bind_loop(self._loop)
        await super().startup(sockets)
        if self.started:
            self._on_started()

    async def main_loop(self) -> None:
        """Uvicorn's housekeeping ticks, but waking at once when asked to exit."""
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Abort in-flight responses, then shut down as uvicorn does."""
        self._state.stop_streams()
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """On SIGINT/SIGTERM shut down cleanly (in the main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self.request_exit()

        watched = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, on_signal) for sig in watched}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def make_server(state: FakeState, on_started: Callable[[], None]) -> FakeServer:
    """A uvicorn server for ``state``; ``on_started`` runs once it listens."""
    logger = logging.getLogger("uvicorn.error")
    if _QUIET_CUTS not in logger.filters:
        logger.addFilter(_QUIET_CUTS)
    config = uvicorn.Config(
        create_app(state),
        http="h11",
        ws="none",
        lifespan="off",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return FakeServer(config, state, on_started)


def write_ready_file(path: str, port: int) -> None:
    """Write the port atomically: readers see no file or the whole number."""
    target = Path(path).resolve()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(str(port))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
