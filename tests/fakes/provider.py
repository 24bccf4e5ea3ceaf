"""Deterministic fake LLM provider on loopback HTTP, for tests and benchmarks.

Use it in-process::

    with FakeProvider() as fake:
        fake.set_scenario("gpt-4o-mini", Scenario(ttft_ms=200))
        client = httpx.Client(base_url=fake.base_url)

One port speaks every wire format: OpenAI (``base_url``), Anthropic
(``anthropic_base_url``), Gemini (``gemini_base_url``), Ollama (``ollama_base_url``)
and Azure OpenAI (``azure_endpoint``); see ``fakes.serving.WIRE_FORMATS``.

or as a separate process (``--help`` lists the options)::

    python tests/fakes/provider.py --port 0 --ready-file /tmp/fake.port
    PYTHONPATH=tests python -m fakes.provider --ttft-ms 150 --tokens-per-second 80
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

if __package__ in (None, ""):  # run as a script: make the ``fakes`` package importable
    _HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    sys.path.insert(0, str(_HERE.parent))

from fakes.scenario import Scenario
from fakes.serving import (
    FakeServer,
    bind_loopback,
    create_app,
    loopback_host,
    make_server,
    url_host,
    write_ready_file,
)
from fakes.state import FakeState, RecordedRequest
from fakes.tokens import encoding

__all__ = ["FakeProvider", "RecordedRequest", "Scenario", "create_app", "main"]

DEFAULT_SCENARIO = Scenario()
"""Immediate, successful answers with the deterministic default reply."""


class FakeProvider:
    """A fake provider served from a background thread; a context manager.

    ``start()`` (or ``with``) binds the socket, so :attr:`port` and :attr:`base_url`
    are known as soon as it returns; ``stop()`` aborts any response still in flight.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        accepted_keys: Iterable[str] | None = None,
        default: Scenario = DEFAULT_SCENARIO,
        ollama_models: Iterable[str | dict[str, Any]] | None = None,
    ) -> None:
        """Configure (but do not start) a fake provider.

        Args:
            host: Loopback address to bind (``localhost`` means ``127.0.0.1``).
            port: Port to bind; 0 picks a free one.
            accepted_keys: API keys that authenticate (every format that has keys);
                ``None`` accepts ``sk-test*``.
            default: Scenario for every model without one of its own.
            ollama_models: Models Ollama has pulled (names such as ``"llama3.2:3b"`` or
                ``/api/tags`` entries); ``None`` for a few common ones.
        """
        self.host = loopback_host(host)
        self._wanted_port = port
        self.state = FakeState(accepted_keys, default, ollama_models)
        self._port: int | None = None
        self._server: FakeServer | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        """The bound port (only once started)."""
        if self._port is None:
            raise RuntimeError("the fake provider is not started")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://HOST:PORT`` (the control endpoints live under ``/__fake__``)."""
        return f"http://{url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL, ``http://HOST:PORT/v1``."""
        return self.root_url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        """Base URL of the Anthropic Messages API, ``http://HOST:PORT/v1``."""
        return self.root_url + "/v1"

    @property
    def gemini_base_url(self) -> str:
        """Base URL of the Gemini API, ``http://HOST:PORT/v1beta``."""
        return self.root_url + "/v1beta"

    @property
    def ollama_base_url(self) -> str:
        """Base URL of Ollama's native API, ``http://HOST:PORT`` (paths start ``/api``)."""
        return self.root_url

    @property
    def azure_endpoint(self) -> str:
        """Azure OpenAI resource endpoint, ``http://HOST:PORT`` (paths start ``/openai``)."""
        return self.root_url

    @property
    def requests(self) -> list[RecordedRequest]:
        """The received provider requests, oldest first (a copy)."""
        return self.state.requests()

    def set_scenario(self, model: str, scenario: Scenario) -> None:
        """Use ``scenario`` for ``model`` (``"*"``: every model without its own)."""
        self.state.set_scenario(model, scenario)

    def set_ollama_models(self, models: Iterable[str | dict[str, Any]]) -> None:
        """Replace the models Ollama lists and serves (names or ``/api/tags`` entries)."""
        self.state.set_ollama_models(models)

    def reset(self) -> None:
        """Forget scenarios and Ollama models set since start; empty the request log."""
        self.state.reset_scenarios()
        self.state.reset_ollama_models()
        self.state.clear_requests()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.state.clear_requests()

    def start(self, timeout: float = 10.0) -> FakeProvider:
        """Bind the socket and serve from a background thread; returns ``self``."""
        if self._thread is not None:
            raise RuntimeError("the fake provider was already started")
        encoding()  # load the tokenizer now, not during the first request
        sock = bind_loopback(self.host, self._wanted_port)
        self._port = sock.getsockname()[1]
        ready = threading.Event()
        server = self._server = make_server(self.state, ready.set)

        def serve() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # reported by start()
                self._error = exc
            finally:
                sock.close()
                ready.set()

        name = f"fake-provider-{self._port}"
        self._thread = threading.Thread(target=serve, name=name, daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or self._error is not None or not self._thread.is_alive():
            self.stop()
            raise RuntimeError(f"the fake provider did not start: {self._error!r}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving; responses still in flight are aborted. Idempotent."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.request_exit()
        thread.join(timeout)
        if thread.is_alive():
            server.request_exit()  # a second request forces the exit
            thread.join(timeout)

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--ready-file", help="write the port here once listening")
    parser.add_argument("--ttft-ms", type=float, default=0.0, help="default time to first token")
    parser.add_argument("--tokens-per-second", type=float, default=None, help="default pace")
    parser.add_argument(
        "--accept-key",
        dest="accept_keys",
        action="extend",
        nargs="+",
        metavar="KEY",
        help="accepted API key (repeatable); default: any key starting with sk-test",
    )
    parser.add_argument(
        "--ollama-model",
        dest="ollama_models",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="a model Ollama has pulled (repeatable); default: a few common ones",
    )
    args = parser.parse_args(argv)
    try:
        args.host = loopback_host(args.host)
        args.default = Scenario(ttft_ms=args.ttft_ms, tokens_per_second=args.tokens_per_second)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT; returns the process exit status."""
    args = _parse_args(argv)
    host: str = args.host
    default: Scenario = args.default
    state = FakeState(args.accept_keys, default, args.ollama_models)
    encoding()
    sock = bind_loopback(host, args.port)
    port: int = sock.getsockname()[1]

    def announce() -> None:
        if args.ready_file:
            write_ready_file(args.ready_file, port)
        print(f"fake provider listening on http://{url_host(host)}:{port}/v1", flush=True)

    server = make_server(state, announce)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
