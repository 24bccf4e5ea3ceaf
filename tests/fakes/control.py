"""Request logging and the ``/__fake__`` control endpoints shared by every wire format.

Control endpoints let a test in another process steer the fake provider:

* ``PUT /__fake__/scenarios/{model}`` - body: a JSON object of :class:`Scenario` fields;
  ``*`` as the model sets the scenario for every model without its own.
* ``GET /__fake__/scenarios`` - the default scenario and the scenarios per model.
* ``DELETE /__fake__/scenarios`` - forget every scenario.
* ``GET /__fake__/requests`` - the received provider requests, oldest first.
* ``DELETE /__fake__/requests`` - empty that log.
* ``GET /__fake__/health`` - ``{"ok": true}`` once the server answers.
* ``PUT /__fake__/ollama/models`` - body: a JSON list of model names or ``/api/tags``
  entries; replaces the models Ollama's ``/api/tags`` lists (see :mod:`fakes.ollama_models`).

Every provider request (any wire format, unknown paths too) is logged with its
method, path and query, headers and parsed JSON body (``null`` when empty); ``HEAD``
requests (clients warming up connections) are not.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from fakes.scenario import Scenario, ScenarioError
from fakes.state import FakeState, RecordedRequest

__all__ = ["read_and_record", "request_id", "routes"]


def request_id() -> str:
    """A fresh ``x-request-id`` value in the providers' ``req_<hex>`` style."""
    return "req_" + secrets.token_hex(16)


async def read_and_record(state: FakeState, request: Request) -> Any:
    """Read a request body, log the request, and return the parsed JSON body.

    Returns ``None`` when the body is empty or not valid JSON (the log then holds
    ``None`` or the raw text). The logged path includes the query string, if any.
    ``HEAD`` requests are not logged.
    """
    raw = await request.body()
    parsed: Any = None
    logged: Any = None
    if raw:
        try:
            parsed = logged = json.loads(raw)
        except ValueError:
            logged = raw.decode("utf-8", errors="replace")
    query = request.url.query
    entry: RecordedRequest = {
        "method": request.method,
        "path": request.url.path + (f"?{query}" if query else ""),
        "headers": dict(request.headers),
        "body": logged,
    }
    if request.method != "HEAD":  # connection warm-ups carry nothing to assert on
        state.record(entry)
    return parsed


def _problem(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": {"message": message}}, status_code=status)


def routes(state: FakeState) -> list[BaseRoute]:
    """The control routes, bound to ``state``."""

    async def put_scenario(request: Request) -> Response:
        model = request.path_params["model"]
        try:
            scenario = Scenario.from_dict(json.loads(await request.body()))
        except ValueError as exc:  # JSON errors and ScenarioError alike
            return _problem(str(exc) if isinstance(exc, ScenarioError) else "invalid JSON")
        state.set_scenario(model, scenario)
        return JSONResponse({"model": model, "scenario": scenario.to_dict()})

    async def get_scenarios(request: Request) -> Response:
        per_model = {name: s.to_dict() for name, s in state.scenarios().items()}
        return JSONResponse({"default": state.default.to_dict(), "scenarios": per_model})

    async def reset_scenarios(request: Request) -> Response:
        state.reset_scenarios()
        return Response(status_code=204)

    async def get_requests(request: Request) -> Response:
        return JSONResponse(state.requests())

    async def clear_requests(request: Request) -> Response:
        state.clear_requests()
        return Response(status_code=204)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return [
        Route("/__fake__/scenarios/{model:path}", put_scenario, methods=["PUT"]),
        Route("/__fake__/scenarios", get_scenarios, methods=["GET"]),
        Route("/__fake__/scenarios", reset_scenarios, methods=["DELETE"]),
        Route("/__fake__/requests", get_requests, methods=["GET"]),
        Route("/__fake__/requests", clear_requests, methods=["DELETE"]),
        Route("/__fake__/health", health, methods=["GET"]),
    ]
