"""Azure OpenAI wire format: ``POST /openai/deployments/{deployment}/chat/completions``.

An adapter's endpoint is ``http://HOST:PORT``; the ``api-version`` query parameter is
required and the key goes in the ``api-key`` header (accepted keys as for OpenAI;
``Authorization: Bearer`` is for Entra ID tokens and is refused here). The deployment
names the model (and the scenario); the body's ``model`` is ignored. Bodies are
OpenAI's, with Azure's content filter annotations and its own error shapes.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from fakes import openai_errors
from fakes.control import read_and_record
from fakes.openai_wire import SYSTEM_FINGERPRINT, completion_usage, parse_chat_request
from fakes.replies import reply_for
from fakes.state import FakeState
from fakes.streaming import event_stream, reply_response, served_generation, upfront_failure
from fakes.tokens import Generation, count_chat_tokens, generate

__all__ = ["AzureChunkEncoder", "azure_error", "failure_response", "filter_results", "routes"]

API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
CATEGORIES = ("hate", "self_harm", "sexual", "violence")
ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
    "valid key for an active subscription and use a correct regional API endpoint for your resource."
)
FILTERED_PROMPT = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content management "
    "policy. Please modify your prompt and retry. To learn more about our content filtering "
    "policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766"
)
SERVER_ERROR = (
    "The server had an error processing your request. Sorry about that! You can retry your "
    "request, or contact us through an Azure support request at: "
    "https://go.microsoft.com/fwlink/?linkid=2213926 if you keep seeing this error."
)


def filter_results(flagged: str | None = None, jailbreak: bool = False) -> dict[str, Any]:
    """``content_filter_results``: every category safe, or ``flagged`` filtered at medium."""
    results: dict[str, Any] = {
        name: {"filtered": name == flagged, "severity": "medium" if name == flagged else "safe"}
        for name in CATEGORIES
    }
    if jailbreak:
        results["jailbreak"] = {"filtered": False, "detected": False}
    return dict(sorted(results.items()))


def azure_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Azure's own error shape: ``{"error": {"code", "message"}}``."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _deployment_action(deployment: str) -> str:
    return (
        "The principal `00000000-0000-0000-0000-000000000000` lacks the required data action "
        "`Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action` to perform "
        f"`POST /openai/deployments/{deployment}/chat/completions` operation."
    )


def failure_response(fail: str, deployment: str, retry_after_s: int, api_version: str) -> Response | None:
    """The error response of a scenario failure mode answered before any body."""
    if fail == "auth":
        return azure_error(401, "401", ACCESS_DENIED)
    if fail == "permission":
        return azure_error(403, "PermissionDenied", _deployment_action(deployment))
    if fail == "rate_limit":
        message = (
            f"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version {api_version} "
            "have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after "
            f"{retry_after_s} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would "
            "like to further increase the default rate limit."
        )
        headers = {"retry-after": str(retry_after_s), "retry-after-ms": str(retry_after_s * 1000)}
        return azure_error(429, "429", message, headers)
    if fail in ("server_error", "stream_error"):
        return openai_errors.error_response(500, SERVER_ERROR, "server_error")
    if fail == "overloaded":
        message = "The service is temporarily unable to process your request. Please try again later."
        return azure_error(503, "ServiceUnavailable", message)
    if fail == "not_found":
        message = (
            "The API deployment for this resource does not exist. If you created the deployment within "
            "the last 5 minutes, please wait a moment and try again."
        )
        return azure_error(404, "DeploymentNotFound", message)
    if fail in ("content_filter", "prompt_blocked"):
        inner = {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": filter_results("sexual", True),
        }
        error = {
            "message": FILTERED_PROMPT,
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": inner,
        }
        return JSONResponse({"error": error}, status_code=400)
    return openai_errors.failure_response(fail, deployment, "", retry_after_s)  # context_length


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class AzureChunkEncoder:
    """``chat.completion.chunk`` events as Azure sends them (sorted keys, filter results)."""

    def __init__(self, completion_id: str, model: str, prompt_tokens: int):
        """Prepare the parts shared by every chunk of one response."""
        self._id, self._model, self._prompt = completion_id, model, prompt_tokens
        self._created = int(time.time())

    def _chunk(self, choices: list[dict[str, Any]], **extra: Any) -> bytes:
        chunk = {
            "choices": choices,
            "created": self._created,
            "id": self._id,
            "model": self._model,
            "object": "chat.completion.chunk",
            "system_fingerprint": SYSTEM_FINGERPRINT,
            **extra,
        }
        return f"data: {_dumps(chunk)}\n\n".encode()

    @staticmethod
    def _choice(delta: dict[str, Any], finish: str | None, results: dict[str, Any]) -> dict[str, Any]:
        return {
            "content_filter_results": results,
            "delta": delta,
            "finish_reason": finish,
            "index": 0,
            "logprobs": None,
        }

    def opening(self) -> Sequence[bytes]:
        """The prompt filter results (empty choices, no id), then the assistant role."""
        prompt = {"prompt_index": 0, "content_filter_results": filter_results(jailbreak=True)}
        head = {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": [prompt],
        }
        role = self._choice({"content": "", "refusal": None, "role": "assistant"}, None, {})
        return [f"data: {_dumps(head)}\n\n".encode(), self._chunk([role])]

    def text(self, piece: str) -> bytes:
        """A content chunk, annotated as safe."""
        return self._chunk([self._choice({"content": piece}, None, filter_results())])

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """The finish chunk (filtered when blocked), the usage chunk when wanted, ``[DONE]``."""
        blocked = generation.finish_reason == "content_filter"
        results = filter_results("violence") if blocked else {}
        events = [self._chunk([self._choice({}, generation.finish_reason, results)])]
        if send_usage:
            events.append(self._chunk([], usage=completion_usage(self._prompt, generation.completion_tokens)))
        events.append(b"data: [DONE]\n\n")
        return events

    def malformed(self) -> Sequence[bytes]:
        """Truncated JSON, then ``[DONE]`` as if nothing were wrong."""
        return [
            b'data: {"choices":[{"content_filter_results":{},"delta":{"content":\n\n',
            b"data: [DONE]\n\n",
        ]

    def stream_error(self) -> Sequence[bytes]:
        """An error object in place of a chunk; the stream then ends."""
        error = {"message": SERVER_ERROR, "type": "server_error", "param": None, "code": None}
        return [f"data: {_dumps({'error': error})}\n\n".encode()]


async def _chat_completions(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    api_version = request.query_params.get("api-version", "")
    if not API_VERSION.match(api_version):
        return azure_error(404, "404", "Resource not found")
    key = request.headers.get("api-key", "")
    if not state.key_accepted(key):
        return azure_error(401, "401", ACCESS_DENIED)
    deployment = request.path_params["deployment"]
    parsed = parse_chat_request(body, model=deployment)
    if isinstance(parsed, Response):
        return parsed
    scenario = state.scenario_for(deployment)
    fail = upfront_failure(scenario, parsed.stream)
    if fail is not None:
        failed = failure_response(fail, deployment, scenario.retry_after_s, api_version)
        if failed is not None:
            return failed
    generation = generate(reply_for(scenario.reply, parsed.messages), parsed.max_tokens, parsed.stop)
    prompt_tokens = count_chat_tokens(parsed.messages)
    completion_id = f"chatcmpl-fake{state.next_id():016d}"
    headers = {
        "apim-request-id": str(uuid.uuid4()),
        "x-ms-region": "East US",
        "x-request-id": str(uuid.uuid4()),
    }
    override = scenario.include_usage_override
    if parsed.stream:
        send_usage = parsed.include_usage if override is None else override
        encoder = AzureChunkEncoder(completion_id, deployment, prompt_tokens)
        return StreamingResponse(
            event_stream(state, scenario, generation, encoder, send_usage),
            media_type="text/event-stream; charset=utf-8",
            headers={**headers, "cache-control": "no-cache"},
        )
    generation = served_generation(scenario, generation)
    blocked = generation.finish_reason == "content_filter"
    choice = {
        "content_filter_results": filter_results("violence" if blocked else None),
        "finish_reason": generation.finish_reason,
        "index": 0,
        "logprobs": None,
        "message": {"annotations": [], "content": generation.text, "refusal": None, "role": "assistant"},
    }
    prompt_filter = {"prompt_index": 0, "content_filter_results": filter_results(jailbreak=True)}
    completion: dict[str, Any] = {
        "choices": [choice],
        "created": int(time.time()),
        "id": completion_id,
        "model": deployment,
        "object": "chat.completion",
        "prompt_filter_results": [prompt_filter],
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    if override is not False:
        completion["usage"] = completion_usage(prompt_tokens, generation.completion_tokens)
    data = _dumps(completion).encode()
    return await reply_response(state, scenario, generation, data, "application/json", headers)


def routes(state: FakeState) -> list[BaseRoute]:
    """The routes of this wire format, bound to ``state``."""

    async def chat_completions(request: Request) -> Response:
        return await _chat_completions(state, request)

    return [Route("/openai/deployments/{deployment}/chat/completions", chat_completions, methods=["POST"])]
