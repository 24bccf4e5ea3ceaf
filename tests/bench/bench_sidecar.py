"""Sidecar figures: ask overhead against a direct streaming call, cold start, idle memory.

    python tests/bench/bench_sidecar.py [--asks 60] [--starts 8]

Every figure is measured in one run against the same local fake provider:
- overhead: time to first token and total time of `smartRouter/ask` through the real sidecar
  process (as the editor sees them: request sent -> first `smartRouter/stream` notification,
  -> result) minus the same figures of a direct httpx + SSE call to the fake, pairs
  interleaved so drift affects both alike. Targets: median < 5 ms, p95 < 15 ms.
- cold start: process spawn -> `initialize` -> first `smartRouter/budgetStatus` answered.
  Target < 1.5 s.
- idle memory: resident set of the sidecar after start-up and a few asks. Target < 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import httpx_sse
from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from fakes.provider import FakeProvider  # noqa: E402
from fakes.scenario import Scenario  # noqa: E402

KEY = "sk-test-bench-0001"
PROMPT = "Explain what a closure is in one paragraph."


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Client:
    """A pygls client on a sidecar process, timing the first stream notification."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.lsp = LanguageClient("bench", "1")
        self.first_delta: dict[str, float] = {}
        self.lsp.feature("smartRouter/stream")(lambda params: self._on_stream(params))
        for method in ("smartRouter/routed", "smartRouter/budgetChanged"):
            self.lsp.feature(method)(lambda params: None)

    def _on_stream(self, params: Any) -> None:
        self.first_delta.setdefault(params.requestId, time.perf_counter())

    async def start(self, base_url: str) -> float:
        t0 = time.perf_counter()
        await self.lsp.start_io(sys.executable, "-m", "smart_router", env=self.env)
        self._drain = asyncio.ensure_future(self._drain_stderr())
        await self.lsp.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                initialization_options={
                    "settings": {
                        "providers": {"openai": {"baseUrl": base_url}},
                        "defaultModel": "gpt-4o-mini",
                    }
                },
            )
        )
        self.lsp.initialized(types.InitializedParams())
        await self.lsp.protocol.send_request_async("smartRouter/budgetStatus", {})
        return time.perf_counter() - t0

    async def _drain_stderr(self) -> None:
        stderr = self.lsp._server.stderr  # type: ignore[union-attr]
        while await stderr.read(65536):
            pass

    async def ask(self, n: int) -> tuple[float, float]:
        rid = f"bench-{n}"
        t0 = time.perf_counter()
        # a new question each time: the response cache would answer a repeated one without the model
        prompt = f"{PROMPT} (ask {n})"
        await self.lsp.protocol.send_request_async("smartRouter/ask", {"requestId": rid, "prompt": prompt})
        return self.first_delta[rid] - t0, time.perf_counter() - t0

    def rss_mb(self) -> float:
        pid = self.lsp._server.pid  # type: ignore[union-attr]
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> None:
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()


async def direct(client: httpx.AsyncClient, base_url: str) -> tuple[float, float]:
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": PROMPT}],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": 1024,
    }
    t0 = time.perf_counter()
    first = None
    async with httpx_sse.aconnect_sse(
        client, "POST", f"{base_url}/chat/completions", json=body, headers={"Authorization": f"Bearer {KEY}"}
    ) as source:
        async for sse in source.aiter_sse():
            if sse.data == "[DONE]":
                break
            if first is None and any(c["delta"].get("content") for c in json.loads(sse.data)["choices"]):
                first = time.perf_counter()
    end = time.perf_counter()
    return (first or end) - t0, end - t0


def env_for(tmp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "SMART_ROUTER_DB": str(tmp / "bench.db"),
        "SMART_ROUTER_CONFIG": str(tmp / "none.json"),
        "OPENAI_API_KEY": KEY,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }


async def main(asks: int, starts: int) -> None:
    with tempfile.TemporaryDirectory() as d, FakeProvider() as fake:
        tmp = Path(d)
        # a realistic stream: 40 ms to the first token, then 400 tokens/s
        fake.set_scenario("*", Scenario(ttft_ms=40, tokens_per_second=400))

        cold = []
        for i in range(starts):
            env = env_for(tmp) | {"SMART_ROUTER_DB": str(tmp / f"cold-{i}.db")}
            c = Client(env)
            cold.append(await c.start(fake.base_url))
            await c.stop()

        client = Client(env_for(tmp))
        await client.start(fake.base_url)
        ttft_over, total_over, ttft_direct, total_direct = [], [], [], []
        async with httpx.AsyncClient(timeout=30) as http:
            for n in range(-3, asks):  # three warm-up pairs
                d_ttft, d_total = await direct(http, fake.base_url)
                s_ttft, s_total = await client.ask(n)
                if n >= 0:
                    ttft_direct.append(d_ttft * 1000)
                    total_direct.append(d_total * 1000)
                    ttft_over.append((s_ttft - d_ttft) * 1000)
                    total_over.append((s_total - d_total) * 1000)
        await asyncio.sleep(1.0)
        rss = client.rss_mb()
        await client.stop()

    print(f"sidecar benchmark ({asks} ask pairs, {starts} cold starts, fake: 40 ms TTFT, 400 tok/s)")
    print(
        f"  direct httpx   TTFT median {statistics.median(ttft_direct):7.1f} ms   total median "
        f"{statistics.median(total_direct):7.1f} ms"
    )
    for name, values in (("TTFT overhead ", ttft_over), ("total overhead", total_over)):
        print(
            f"  {name} median {statistics.median(values):6.2f} ms   p95 {pct(values, 0.95):6.2f} ms"
            f"   (targets: median < 5 ms, p95 < 15 ms)"
        )
    print(
        f"  cold start to budgetStatus: median {statistics.median(cold) * 1000:6.0f} ms, "
        f"max {max(cold) * 1000:6.0f} ms   (target < 1500 ms)"
    )
    print(f"  idle resident memory of the sidecar: {rss:5.1f} MB   (target < 100 MB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--asks", type=int, default=60)
    parser.add_argument("--starts", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.asks, args.starts))
