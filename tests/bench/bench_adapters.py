"""Streaming throughput of each provider adapter against raw httpx over the same fake.

    python tests/bench/bench_adapters.py [--runs 15] [--tokens 2000]

For each wire format, the fake streams the same long reply as fast as it can. The raw side
is plain httpx reading the response body line by line (no parsing); the adapter side is the
product's adapter producing its events. Pairs are interleaved; the ratio adapter / raw of the
median times is printed (close to 1 means the adapter adds little on top of the transfer).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from fakes.provider import FakeProvider  # noqa: E402
from fakes.scenario import Scenario  # noqa: E402
from smart_router.catalog import ProviderSpec  # noqa: E402
from smart_router.providers import ChatRequest, Message, TextDelta  # noqa: E402
from smart_router.providers.registry import make_provider  # noqa: E402

KEY = "sk-test-bench-adapters"


def formats(fake: FakeProvider) -> list[tuple[str, ProviderSpec, str, str, dict[str, str], dict[str, Any]]]:
    """(name, spec, model, raw URL, raw headers, raw body) per wire format."""
    msgs = [{"role": "user", "content": "bench"}]
    return [
        (
            "openai",
            ProviderSpec("openai", "OpenAI", fake.base_url, None),
            "m",
            f"{fake.base_url}/chat/completions",
            {"authorization": f"Bearer {KEY}"},
            {
                "model": "m",
                "messages": msgs,
                "stream": True,
                "stream_options": {"include_usage": True},
                "max_tokens": 100000,
            },
        ),
        (
            "anthropic",
            ProviderSpec("anthropic", "Anthropic", fake.anthropic_base_url, None, kind="anthropic"),
            "m",
            f"{fake.anthropic_base_url}/messages",
            {"x-api-key": KEY, "anthropic-version": "2023-06-01"},
            {"model": "m", "messages": msgs, "stream": True, "max_tokens": 100000},
        ),
        (
            "gemini",
            ProviderSpec("gemini", "Gemini", fake.gemini_base_url, None, kind="gemini"),
            "m",
            f"{fake.gemini_base_url}/models/m:streamGenerateContent?alt=sse",
            {"x-goog-api-key": KEY},
            {
                "contents": [{"role": "user", "parts": [{"text": "bench"}]}],
                "generationConfig": {"maxOutputTokens": 100000},
            },
        ),
        (
            "ollama",
            ProviderSpec("ollama", "Ollama", fake.ollama_base_url, None, local=True, kind="ollama"),
            "llama3.2:3b",
            f"{fake.ollama_base_url}/api/chat",
            {},
            {"model": "llama3.2:3b", "messages": msgs, "stream": True, "options": {"num_predict": 100000}},
        ),
    ]


async def raw(client: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    async with client.stream("POST", url, headers=headers, json=body) as response:
        async for _ in response.aiter_lines():
            pass
    return time.perf_counter() - t0


async def adapter(client: httpx.AsyncClient, spec: ProviderSpec, model: str) -> tuple[float, int]:
    provider = make_provider(spec, client, None if spec.local else KEY)
    request = ChatRequest(model, (Message("user", "bench"),), max_output_tokens=100000)
    t0 = time.perf_counter()
    deltas = 0
    async for event in provider.stream(request):
        deltas += isinstance(event, TextDelta)
    return time.perf_counter() - t0, deltas


async def main(runs: int, tokens: int) -> None:
    reply = " ".join(f"word{i % 97}" for i in range(tokens // 2))
    with FakeProvider(ollama_models=["llama3.2:3b"]) as fake:
        fake.set_scenario("*", Scenario(reply=reply))
        async with httpx.AsyncClient(timeout=60) as client:
            print(f"adapter streaming throughput ({runs} interleaved pairs, reply of ~{tokens} tokens)")
            for name, spec, model, url, headers, body in formats(fake):
                raw_t, ad_t, ratio = [], [], []
                count = 0
                for i in range(runs + 2):
                    r = await raw(client, url, headers, body)
                    a, count = await adapter(client, spec, model)
                    if i >= 2:  # two warm-up pairs
                        raw_t.append(r)
                        ad_t.append(a)
                        ratio.append(a / r)
                ad_med = statistics.median(ad_t)
                print(
                    f"  {name:<9} raw {statistics.median(raw_t) * 1000:7.1f} ms   adapter "
                    f"{ad_med * 1000:7.1f} ms   ({count / ad_med:8.0f} deltas/s)"
                    f"   ratio median {statistics.median(ratio):.3f}  max {max(ratio):.3f}"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tokens", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.tokens))
