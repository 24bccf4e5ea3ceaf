"""Gemini ``GenerateContentRequest`` bodies, parsed and validated as Google does.

Field names are accepted in camelCase and snake_case (as Google's JSON parser does);
unknown fields are a 400. Prompt tokens are an approximation: the ``cl100k_base``
tokens of every text part and of the system instruction, without per-message overhead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from fakes.gemini_errors import invalid_argument, unknown_field
from fakes.tokens import count_tokens

__all__ = ["GenerateRequest", "field", "parse_generate_request"]

TOP_FIELDS = frozenset(
    {"contents", "tools", "tool_config", "safety_settings", "system_instruction", "generation_config",
     "cached_content", "model"}
)  # fmt: skip
CONFIG_FIELDS = frozenset(
    {"stop_sequences", "response_mime_type", "response_schema", "response_json_schema",
     "response_modalities", "candidate_count", "max_output_tokens", "temperature", "top_p", "top_k",
     "seed", "presence_penalty", "frequency_penalty", "response_logprobs", "logprobs",
     "enable_enhanced_civic_answers", "speech_config", "thinking_config", "media_resolution",
     "image_config"}
)  # fmt: skip
MIME_TYPES = ("text/plain", "application/json", "application/xml", "application/yaml", "text/x.enum")
CONTENT_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta.Content"
MAX_STOP_SEQUENCES = 5
MAX_TEMPERATURE = 2.0
_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    return _UPPER.sub("_", name).lower()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def field(obj: dict[str, Any], snake: str) -> Any:
    """A field given in camelCase or snake_case (``snake`` names it in snake_case)."""
    head, *rest = snake.split("_")
    camel = head + "".join(word.title() for word in rest)
    return obj.get(camel, obj.get(snake))


def _parts_text(content: Any) -> str:
    parts = content.get("parts") if isinstance(content, dict) else None
    if not isinstance(parts, list):
        return ""
    return "".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))


@dataclass(frozen=True)
class GenerateRequest:
    """The fields of a ``generateContent`` request the fake model uses."""

    messages: list[dict[str, Any]]  # as chat messages: {"role": "user"|"assistant", "content"}
    system: str
    max_tokens: int | None
    stop: tuple[str, ...]
    json_mode: bool

    @property
    def prompt_tokens(self) -> int:
        """Approximate prompt tokens (see the module docstring)."""
        return count_tokens(self.system) + sum(count_tokens(m["content"]) for m in self.messages)


def _unknown(obj: dict[str, Any], known: frozenset[str], where: str | None) -> Response | None:
    for name in obj:
        if _snake(name) not in known:
            return unknown_field(name, where)
    return None


def _contents_error(contents: Any) -> str | None:
    if not isinstance(contents, list) or not contents:
        return "* GenerateContentRequest.contents: contents is not specified\n"
    for n, content in enumerate(contents):
        if not isinstance(content, dict):
            return f"Invalid value at 'contents[{n}]' ({CONTENT_TYPE}), {content!r}"
        if content.get("role", "user") not in ("user", "model"):
            return "Please use a valid role: user, model."
        parts = content.get("parts")
        if not isinstance(parts, list) or not parts:
            return f"* GenerateContentRequest.contents[{n}].parts: contents.parts must not be empty.\n"
    return None


def parse_generate_request(body: Any) -> GenerateRequest | Response:
    """Validate a ``generateContent`` body like Google does, for the fields the fake uses."""
    if not isinstance(body, dict):
        return invalid_argument("Invalid JSON payload received. Unexpected token.")
    config = field(body, "generation_config") or {}
    if not isinstance(config, dict):
        return invalid_argument("Invalid value at 'generation_config': expected an object.")
    problem = _unknown(body, TOP_FIELDS, None) or _unknown(config, CONFIG_FIELDS, "generation_config")
    if problem is not None:
        return problem
    contents = field(body, "contents")
    message = _contents_error(contents)
    if message:
        return invalid_argument(message)
    limit = field(config, "max_output_tokens")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        return invalid_argument(
            f"Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32), {limit!r}"
        )
    stops = field(config, "stop_sequences") or []
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        return invalid_argument("Invalid value at 'generation_config.stop_sequences' (TYPE_STRING)")
    if len(stops) > MAX_STOP_SEQUENCES:
        return invalid_argument(
            "* GenerateContentRequest.generation_config.stop_sequences: "
            f"must have at most {MAX_STOP_SEQUENCES} elements\n"
        )
    temperature = field(config, "temperature")
    if temperature is not None and not (_is_number(temperature) and 0 <= temperature <= MAX_TEMPERATURE):
        return invalid_argument(
            "* GenerateContentRequest.generation_config.temperature: "
            f"temperature must be in the range [0.0, {MAX_TEMPERATURE}]\n"
        )
    mime = field(config, "response_mime_type") or "text/plain"
    if mime not in MIME_TYPES:
        return invalid_argument(
            "* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are "
            "`text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.\n"
        )
    messages = [
        {"role": "assistant" if c.get("role") == "model" else "user", "content": _parts_text(c)}
        for c in contents
    ]
    system = _parts_text(field(body, "system_instruction"))
    return GenerateRequest(messages, system, limit, tuple(stops), mime == "application/json")
