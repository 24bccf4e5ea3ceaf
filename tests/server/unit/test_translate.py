"""Style profiles: lookup by kind and model family, and what each one does to a unified request."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import httpx
import pytest

from smart_router.providers.base import ChatRequest, Message
from smart_router.providers.errors import classify
from smart_router.providers.http import retry_after_s
from smart_router.providers.translate import JSON_INSTRUCTION, StyleProfile, profile_for, translate

FULL = ChatRequest(
    "model",
    (
        Message("system", "S"),
        Message("user", "U1"),
        Message("assistant", "A"),
        Message("user", "U2"),
    ),
    max_output_tokens=64,
    temperature=1.5,
    top_p=0.9,
    stop=("a", "b", "c", "d", "e", "f"),
    response_format="json",
    seed=7,
)
SYSTEM = f"S\n\n{JSON_INSTRUCTION}"
ROLE = (Message("system", SYSTEM), Message("user", "U1"), Message("assistant", "A"), Message("user", "U2"))
TURNS = (Message("user", "U1"), Message("assistant", "A"), Message("user", "U2"))
FOLDED = (Message("user", f"{SYSTEM}\n\nU1"), Message("assistant", "A"), Message("user", "U2"))
OPENAI_JSON = {"response_format": {"type": "json_object"}}
STOP4 = ["a", "b", "c", "d"]

# kind, api_name, profile, system, messages, params, json fields, dropped
CASES: list[
    tuple[str, str, str, str | None, tuple[Message, ...], dict[str, Any], dict[str, Any], set[str]]
] = [
    (
        "openai",
        "gpt-4o-mini",
        "openai",
        None,
        ROLE,
        {"max_tokens": 64, "temperature": 1.5, "top_p": 0.9, "stop": STOP4, "seed": 7},
        OPENAI_JSON,
        set(),
    ),
    (
        "openai",
        "o3-mini",
        "openai/reasoning",
        None,
        ROLE,
        {"max_completion_tokens": 64, "seed": 7},
        OPENAI_JSON,
        {"temperature", "top_p", "stop"},
    ),
    (
        "azure",
        "gpt-5-mini",
        "openai/reasoning",
        None,
        ROLE,
        {"max_completion_tokens": 64, "seed": 7},
        OPENAI_JSON,
        {"temperature", "top_p", "stop"},
    ),
    (
        "openai",
        "o1-mini",
        "openai/reasoning-no-system",
        None,
        FOLDED,
        {"max_completion_tokens": 64, "seed": 7},
        OPENAI_JSON,
        {"temperature", "top_p", "stop"},
    ),
    (
        "openai",
        "deepseek-reasoner",
        "deepseek/reasoner",
        None,
        ROLE,
        {"max_tokens": 64, "stop": STOP4, "seed": 7},
        OPENAI_JSON,
        {"temperature", "top_p"},
    ),
    (
        "openai",
        "glm-4.6",
        "zhipu/glm",
        None,
        ROLE,
        {"max_tokens": 64, "temperature": 1.0, "top_p": 0.9, "stop": ["a"]},
        OPENAI_JSON,
        {"seed"},
    ),
    (
        "openai",
        "kimi-k2-0905-preview",
        "moonshot/kimi",
        None,
        ROLE,
        {"max_tokens": 64, "temperature": 1.0, "top_p": 0.9, "stop": ["a", "b", "c", "d", "e"]},
        OPENAI_JSON,
        {"seed"},
    ),
    (
        "openai",
        "MiniMax-M2",
        "minimax",
        None,
        ROLE,
        {"max_tokens": 64, "temperature": 1.0, "top_p": 0.9, "stop": STOP4},
        {},
        {"seed"},
    ),
    (
        "openai",
        "qwen-plus",
        "dashscope/qwen",
        None,
        ROLE,
        {"max_tokens": 64, "temperature": 1.5, "top_p": 0.9, "stop": STOP4, "seed": 7},
        OPENAI_JSON,
        set(),
    ),
    (
        "anthropic",
        "claude-haiku-4-5",
        "anthropic",
        SYSTEM,
        TURNS,
        {"max_tokens": 64, "temperature": 1.0, "stop_sequences": ["a", "b", "c", "d", "e", "f"]},
        {},
        {"top_p", "seed"},
    ),
    (
        "gemini",
        "gemini-2.5-flash",
        "gemini",
        SYSTEM,
        TURNS,
        {
            "maxOutputTokens": 64,
            "temperature": 1.5,
            "topP": 0.9,
            "stopSequences": ["a", "b", "c", "d", "e"],
            "seed": 7,
        },
        {"responseMimeType": "application/json"},
        set(),
    ),
    (
        "gemini",
        "gemma-3-27b-it",
        "gemini/gemma",
        None,
        FOLDED,
        {
            "maxOutputTokens": 64,
            "temperature": 1.5,
            "topP": 0.9,
            "stopSequences": ["a", "b", "c", "d", "e"],
            "seed": 7,
        },
        {},
        set(),
    ),
    (
        "ollama",
        "llama3.2:3b",
        "ollama",
        None,
        ROLE,
        {
            "num_predict": 64,
            "temperature": 1.5,
            "top_p": 0.9,
            "stop": ["a", "b", "c", "d", "e", "f"],
            "seed": 7,
        },
        {"format": "json"},
        set(),
    ),
    (
        "ollama",
        "gemma3:4b",
        "ollama/no-system",
        None,
        FOLDED,
        {
            "num_predict": 64,
            "temperature": 1.5,
            "top_p": 0.9,
            "stop": ["a", "b", "c", "d", "e", "f"],
            "seed": 7,
        },
        {"format": "json"},
        set(),
    ),
]


@pytest.mark.parametrize(
    ("kind", "api_name", "name", "system", "messages", "params", "json_fields", "dropped"),
    CASES,
    ids=[f"{c[2]}:{c[1]}" for c in CASES],
)
def test_each_profile_places_renames_clamps_cuts_and_drops(
    kind: str,
    api_name: str,
    name: str,
    system: str | None,
    messages: tuple[Message, ...],
    params: dict[str, Any],
    json_fields: dict[str, Any],
    dropped: set[str],
) -> None:
    profile = profile_for(kind, api_name)
    assert profile.name == name
    out = translate(replace(FULL, model=api_name), profile)
    assert out.system == system
    assert out.messages == messages
    assert out.params == params
    assert out.json_fields == json_fields
    assert set(out.dropped) == dropped


@pytest.mark.parametrize(
    ("kind", "api_name", "name"),
    [
        ("openai", "gpt-4.1", "openai"),
        ("openai", "gpt-5-chat-latest", "openai"),
        ("openai", "o4-mini-2025-04-16", "openai/reasoning"),
        ("openai", "openai/o3-mini", "openai"),  # OpenRouter adapts its own parameters
        ("openai", "anthropic/claude-haiku-4.5", "openai"),
        ("openai", "omni-moderation", "openai"),
        ("azure", "my-deployment", "openai"),
        ("openai", "deepseek-chat", "openai"),
        ("anthropic", "claude-opus-4-1", "anthropic"),
        ("gemini", "models/gemma-3n-e4b-it", "gemini/gemma"),
        ("ollama", "hf.co/bartowski/gemma-2-9b-it-GGUF:Q4_K_M", "ollama/no-system"),
        ("ollama", "deepseek-r1:8b", "ollama/no-system"),
        ("ollama", "qwen3:8b", "ollama"),
        ("something-new", "gpt-4o", "openai"),
    ],
)
def test_profile_lookup_by_kind_and_family(kind: str, api_name: str, name: str) -> None:
    assert profile_for(kind, api_name).name == name


def test_a_dropped_parameter_is_logged_as_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    request = ChatRequest("o3", (Message("user", "hi"),), max_output_tokens=5, temperature=0.2)
    with caplog.at_level(logging.WARNING, logger="smart_router.providers"):
        out = translate(request, profile_for("openai", "o3"))
    assert "temperature" not in out.params and out.dropped == ("temperature",)
    [record] = caplog.records
    assert record.name == "smart_router.providers" and record.levelno == logging.WARNING
    assert "temperature dropped" in record.getMessage() and "o3" in record.getMessage()


def test_clamping_and_cutting_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    request = ChatRequest(
        "MiniMax-M2", (Message("user", "hi"),), max_output_tokens=5, temperature=0.0, stop=tuple("abcde")
    )
    with caplog.at_level(logging.WARNING, logger="smart_router.providers"):
        out = translate(request, profile_for("openai", "MiniMax-M2"))
    assert out.params["temperature"] == 0.01 and out.params["stop"] == ["a", "b", "c", "d"]
    assert "clamped to 0.01" in caplog.text and "stop cut from 5 to 4" in caplog.text
    assert out.notes and out.dropped == ()


def test_a_request_that_fits_changes_nothing_and_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    request = ChatRequest(
        "gpt-4o", (Message("user", "hi"),), max_output_tokens=5, temperature=0.5, stop=("x",)
    )
    with caplog.at_level(logging.DEBUG, logger="smart_router.providers"):
        out = translate(request, profile_for("openai", "gpt-4o"))
    assert out.messages == (Message("user", "hi"),) and out.notes == () and caplog.records == []


def test_json_mode_asks_in_the_prompt_only_when_no_message_mentions_json() -> None:
    request = ChatRequest(
        "gpt-4o", (Message("user", "Answer in JSON"),), max_output_tokens=5, response_format="json"
    )
    out = translate(request, profile_for("openai", "gpt-4o"))
    assert out.messages == (Message("user", "Answer in JSON"),) and out.json_fields == OPENAI_JSON


def test_anthropic_json_is_an_instruction_in_the_system_prompt_even_without_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = ChatRequest(
        "claude-sonnet-4-5", (Message("user", "hi"),), max_output_tokens=5, response_format="json"
    )
    with caplog.at_level(logging.WARNING, logger="smart_router.providers"):
        out = translate(request, profile_for("anthropic", "claude-sonnet-4-5"))
    assert out.system == JSON_INSTRUCTION and out.json_fields == {}
    assert "no JSON mode" in caplog.text


def test_several_system_messages_are_joined_and_put_first() -> None:
    request = ChatRequest(
        "gpt-4o",
        (Message("system", "one"), Message("user", "hi"), Message("system", "two")),
        max_output_tokens=5,
    )
    out = translate(request, profile_for("openai", "gpt-4o"))
    assert out.messages == (Message("system", "one\n\ntwo"), Message("user", "hi"))


def test_folding_without_a_user_turn_makes_one() -> None:
    profile = StyleProfile("test", system="fold")
    out = translate(ChatRequest("m", (Message("system", "S"),), max_output_tokens=5), profile)
    assert out.messages == (Message("user", "S"),)


def test_turns_of_one_role_are_merged_where_alternation_is_required() -> None:
    request = ChatRequest(
        "gemini-2.5-pro",
        (Message("user", "a"), Message("user", "b"), Message("assistant", "c"), Message("assistant", "d")),
        max_output_tokens=5,
    )
    out = translate(request, profile_for("gemini", "gemini-2.5-pro"))
    assert out.messages == (Message("user", "a\n\nb"), Message("assistant", "c\n\nd"))


def test_empty_stop_strings_are_not_sent_and_top_p_is_kept_alone() -> None:
    request = ChatRequest(
        "claude-sonnet-4-5", (Message("user", "hi"),), max_output_tokens=5, top_p=1.5, stop=("",)
    )
    out = translate(request, profile_for("anthropic", "claude-sonnet-4-5"))
    assert out.params == {"max_tokens": 5, "top_p": 1.0}


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after-ms": "250", "retry-after": "1"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_reads_seconds_milliseconds_and_dates(
    headers: dict[str, str], seconds: float | None
) -> None:
    assert retry_after_s(httpx.Headers(headers)) == seconds


@pytest.mark.parametrize(
    ("status", "code", "detail", "kind"),
    [
        (429, "rate_limit_error", "would exceed 40,000 input tokens per minute", "rate_limited"),
        (400, "", "input token count exceeds the maximum", "context_too_long"),
        (
            400,
            "invalid_prompt",
            "Invalid prompt: your prompt was flagged as potentially violating our usage policy",
            "content_filtered",
        ),
        (400, "invalid_request_error", "Output blocked by content filtering policy", "content_filtered"),
        (400, "", "the input length exceeds the context length", "context_too_long"),
        (400, "invalid_request_error", "max_tokens: Field required", "provider_error"),
    ],
)
def test_status_kinds_beyond_the_shared_classifier(status: int, code: str, detail: str, kind: str) -> None:
    assert classify(status, code, detail) == kind
