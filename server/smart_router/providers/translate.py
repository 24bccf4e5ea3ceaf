"""One unified request, many wire dialects: style profiles as data, and the shared readers of answers.

A `StyleProfile` says how one provider kind and model family wants a chat request: where the
system prompt goes, what the output limit is called, which sampling parameters exist and in
which range, how many stop sequences fit, how JSON output is switched on. `profile_for(kind,
api_name)` looks it up in the table below (first family rule that matches, else the kind's
default), and `translate(request, profile)` applies it, so every adapter shares one logic:

    ChatRequest --profile_for/translate--> Translated(system, messages, params, json_fields, ...)

A parameter the profile does not support is dropped, never sent, with a warning on the
`smart_router.providers` logger; a value out of range is clamped and a list too long is cut,
with a warning too. `Translated.notes` repeats those warnings for the caller.

The second half holds what every adapter needs to read an answer back: the error kind of an
HTTP status, the retry-after delay, and the mapping of transport failures to error kinds.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from smart_router.providers.base import ChatRequest, Message

__all__ = [
    "FAMILY_RULES",
    "JSON_INSTRUCTION",
    "KIND_DEFAULTS",
    "JsonStyle",
    "StyleProfile",
    "SystemPlacement",
    "Translated",
    "profile_for",
    "translate",
]

log = logging.getLogger("smart_router.providers")

SystemPlacement = Literal["system_role", "top_level", "instruction", "fold"]
"""`system_role`: a `system` message first; `top_level`: Anthropic's `system` field;
`instruction`: Gemini's `systemInstruction`; `fold`: prepended to the first user message."""

JsonStyle = Literal["response_format", "mime_type", "format"]
"""How JSON output is switched on: OpenAI `response_format`, Gemini `responseMimeType`, Ollama `format`."""

JSON_INSTRUCTION = "Respond with one valid JSON object and nothing else."

_JSON_FIELDS: dict[JsonStyle, tuple[str, Any]] = {
    "response_format": ("response_format", {"type": "json_object"}),
    "mime_type": ("responseMimeType", "application/json"),
    "format": ("format", "json"),
}


@dataclass(frozen=True, slots=True)
class StyleProfile:
    """How one provider kind and model family wants a chat request. Defaults: OpenAI chat models."""

    name: str
    system: SystemPlacement = "system_role"
    max_tokens_param: str = "max_tokens"
    temperature_param: str | None = "temperature"
    """Wire name of the temperature; None: not supported (dropped)."""
    temperature_range: tuple[float, float] = (0.0, 2.0)
    top_p_param: str | None = "top_p"
    stop_param: str | None = "stop"
    stop_limit: int | None = 4
    """How many stop sequences the provider accepts; None: no documented limit."""
    seed_param: str | None = "seed"
    json_mode: JsonStyle | None = "response_format"
    """None: no JSON mode; the system prompt asks for JSON instead."""
    merge_turns: bool = False
    """Consecutive messages of one role are merged (the API requires user/assistant alternation)."""
    one_sampler: bool = False
    """Temperature and top_p may not be sent together: top_p is dropped when both are set."""


# -- the table -------------------------------------------------------------------------------------

OPENAI = StyleProfile("openai")
OPENAI_REASONING = replace(
    OPENAI,
    name="openai/reasoning",
    max_tokens_param="max_completion_tokens",
    temperature_param=None,
    top_p_param=None,
    stop_param=None,
)
OPENAI_REASONING_NO_SYSTEM = replace(OPENAI_REASONING, name="openai/reasoning-no-system", system="fold")
DEEPSEEK_REASONER = replace(OPENAI, name="deepseek/reasoner", temperature_param=None, top_p_param=None)
ZHIPU = replace(OPENAI, name="zhipu/glm", temperature_range=(0.0, 1.0), stop_limit=1, seed_param=None)
MOONSHOT = replace(OPENAI, name="moonshot/kimi", temperature_range=(0.0, 1.0), stop_limit=5, seed_param=None)
MINIMAX = replace(OPENAI, name="minimax", temperature_range=(0.01, 1.0), seed_param=None, json_mode=None)
QWEN = replace(OPENAI, name="dashscope/qwen", temperature_range=(0.0, 1.99))
ANTHROPIC = StyleProfile(
    "anthropic",
    system="top_level",
    temperature_range=(0.0, 1.0),
    stop_param="stop_sequences",
    stop_limit=None,
    seed_param=None,
    json_mode=None,
    merge_turns=True,
    one_sampler=True,
)
GEMINI = StyleProfile(
    "gemini",
    system="instruction",
    max_tokens_param="maxOutputTokens",
    top_p_param="topP",
    stop_param="stopSequences",
    stop_limit=5,
    json_mode="mime_type",
    merge_turns=True,
)
GEMMA_ON_GEMINI = replace(GEMINI, name="gemini/gemma", system="fold", json_mode=None)
OLLAMA = StyleProfile("ollama", max_tokens_param="num_predict", stop_limit=None, json_mode="format")
OLLAMA_NO_SYSTEM = replace(OLLAMA, name="ollama/no-system", system="fold")

_OPENAI_KINDS = frozenset({"openai", "azure"})
FAMILY_RULES: tuple[tuple[frozenset[str], re.Pattern[str], StyleProfile], ...] = (
    (_OPENAI_KINDS, re.compile(r"o1-(mini|preview)"), OPENAI_REASONING_NO_SYSTEM),
    (_OPENAI_KINDS, re.compile(r"(o1|o3|o4)(-|$)|gpt-5(?!.*chat)"), OPENAI_REASONING),
    (_OPENAI_KINDS, re.compile(r"deepseek-(reasoner|r1)"), DEEPSEEK_REASONER),
    (_OPENAI_KINDS, re.compile(r"glm-"), ZHIPU),
    (_OPENAI_KINDS, re.compile(r"(kimi|moonshot)-"), MOONSHOT),
    (_OPENAI_KINDS, re.compile(r"(minimax|abab)"), MINIMAX),
    (_OPENAI_KINDS, re.compile(r"(qwen|qwq)"), QWEN),
    (frozenset({"gemini"}), re.compile(r"(models/)?gemma"), GEMMA_ON_GEMINI),
    (frozenset({"ollama"}), re.compile(r"([^:]*/)?(gemma|deepseek-r1)"), OLLAMA_NO_SYSTEM),
)
"""Family rules, first match wins; a pattern matches the start of the lower-cased API name."""

KIND_DEFAULTS: dict[str, StyleProfile] = {
    "openai": OPENAI,
    "azure": OPENAI,
    "anthropic": ANTHROPIC,
    "gemini": GEMINI,
    "ollama": OLLAMA,
}


def profile_for(kind: str, api_name: str) -> StyleProfile:
    """The profile for a model `api_name` served by a provider of `kind` (OpenAI's for an unknown kind)."""
    name = api_name.lower()
    for kinds, pattern, profile in FAMILY_RULES:
        if kind in kinds and pattern.match(name):
            return profile
    return KIND_DEFAULTS.get(kind, OPENAI)


# -- applying a profile ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Translated:
    """A `ChatRequest` in one profile's terms; the adapter only places the pieces in its body."""

    system: str | None
    """The system prompt for a `top_level` or `instruction` placement; None for the others
    (it is then inside `messages`) or when there is none."""
    messages: tuple[Message, ...]
    params: dict[str, Any]
    """Generation parameters under their wire names (output limit, temperature, top_p, stop, seed)."""
    json_fields: dict[str, Any]
    """The wire fields that switch JSON output on; empty when not asked for or not supported."""
    dropped: tuple[str, ...] = ()
    """Parameters that were asked for but not sent."""
    notes: tuple[str, ...] = ()
    """Every change made to the request (dropped, clamped, cut, instructed), as logged."""


def translate(request: ChatRequest, profile: StyleProfile) -> Translated:
    """Apply `profile` to `request`: place the system prompt, rename, clamp, cut and drop parameters."""
    notes: list[str] = []
    dropped: list[str] = []

    def drop(param: str, why: str) -> None:
        dropped.append(param)
        notes.append(f"{param} dropped: {why}")

    params: dict[str, Any] = {profile.max_tokens_param: request.max_output_tokens}
    temperature, top_p = request.temperature, request.top_p
    if temperature is not None and profile.temperature_param is None:
        drop("temperature", f"{profile.name} models accept only their default")
        temperature = None
    if top_p is not None and profile.top_p_param is None:
        drop("top_p", f"{profile.name} models accept only their default")
        top_p = None
    if temperature is not None and top_p is not None and profile.one_sampler:
        drop("top_p", f"{profile.name} accepts temperature or top_p, not both")
        top_p = None
    if temperature is not None and profile.temperature_param is not None:
        low, high = profile.temperature_range
        clamped = min(max(temperature, low), high)
        if clamped != temperature:
            notes.append(
                f"temperature {temperature:g} clamped to {clamped:g} ({profile.name} range {low:g}-{high:g})"
            )
        params[profile.temperature_param] = clamped
    if top_p is not None and profile.top_p_param is not None:
        params[profile.top_p_param] = min(max(top_p, 0.0), 1.0)

    stops = [s for s in request.stop if s]
    if stops and profile.stop_param is None:
        drop("stop", f"{profile.name} models do not accept stop sequences")
    elif stops and profile.stop_param is not None:
        if profile.stop_limit is not None and len(stops) > profile.stop_limit:
            notes.append(
                f"stop cut from {len(stops)} to {profile.stop_limit} sequences ({profile.name} limit)"
            )
            stops = stops[: profile.stop_limit]
        params[profile.stop_param] = stops

    if request.seed is not None:
        if profile.seed_param is None:
            drop("seed", f"{profile.name} does not accept a seed")
        else:
            params[profile.seed_param] = request.seed

    json_fields: dict[str, Any] = {}
    instruct_json = False
    if request.response_format == "json":
        if profile.json_mode is None:
            instruct_json = True
            notes.append(f"{profile.name} has no JSON mode: the system prompt asks for JSON instead")
        else:
            field, value = _JSON_FIELDS[profile.json_mode]
            json_fields[field] = dict(value) if isinstance(value, dict) else value
            # OpenAI refuses json_object unless a message mentions JSON; Ollama advises it.
            instruct_json = not any("json" in m.content.lower() for m in request.messages)

    system_parts = [m.content for m in request.messages if m.role == "system" and m.content]
    if instruct_json:
        system_parts.append(JSON_INSTRUCTION)
    system_text = "\n\n".join(system_parts) or None
    turns = [m for m in request.messages if m.role != "system"]
    if profile.merge_turns:
        turns = _merge_turns(turns)

    system: str | None = None
    if system_text is None:
        messages = tuple(turns)
    elif profile.system == "system_role":
        messages = (Message("system", system_text), *turns)
    elif profile.system == "fold":
        messages = _fold(system_text, turns)
    else:
        system, messages = system_text, tuple(turns)

    for note in notes:
        log.warning("%s (model %s): %s", profile.name, request.model, note)
    return Translated(system, messages, params, json_fields, tuple(dropped), tuple(notes))


def _merge_turns(turns: list[Message]) -> list[Message]:
    merged: list[Message] = []
    for m in turns:
        if merged and merged[-1].role == m.role:
            merged[-1] = Message(m.role, f"{merged[-1].content}\n\n{m.content}")
        else:
            merged.append(m)
    return merged


def _fold(system_text: str, turns: list[Message]) -> tuple[Message, ...]:
    for i, m in enumerate(turns):
        if m.role == "user":
            folded = Message("user", f"{system_text}\n\n{m.content}")
            return (*turns[:i], folded, *turns[i + 1 :])
    return (Message("user", system_text), *turns)
