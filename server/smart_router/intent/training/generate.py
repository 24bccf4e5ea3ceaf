"""The training corpus of the learned intent models: thousands of editor requests per intent,
composed from the templates (`templates_*.py`) and fragments (`fragments.py`) with a seeded
random generator, in realistic registers (terse, lower-case, typos, greetings and "pls").

    python -m smart_router.intent.training.generate [--seed 7] [--per-template 60] [--out FILE]

Each line of the output is `{"text", "intent", "template", "lang", "editor"?}`; `template` names
the template the request came from, so an evaluation can hold out whole templates (`train.py`).
The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

from smart_router.config import INTENTS
from smart_router.intent.training.fragments import (
    CODE,
    DIAGNOSTICS,
    ERRORS,
    FILES,
    LANGS,
    SYMBOLS,
    THINGS_EN,
    THINGS_NL,
    TRACES,
)
from smart_router.intent.training.templates_code import CODE_TEMPLATES
from smart_router.intent.training.templates_dev import DEV_TEMPLATES
from smart_router.intent.training.templates_more import MORE_TEMPLATES
from smart_router.intent.training.templates_text import TEXT_SLOTS, TEXT_TEMPLATES

__all__ = ["CORPUS_PATH", "Sample", "generate", "templates"]

CORPUS_PATH = Path(__file__).with_name("corpus.jsonl")
Sample = dict[str, Any]

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
_PASTED = ("code", "trace")
_PREFIX = {
    "en": ("hey, ", "hi! ", "quick question: ", "ok so ", "hmm ", "@workspace ", "so ", "yo ", "question - "),
    "nl": ("hoi, ", "hallo! ", "snelle vraag: ", "ok dus ", "he ", "vraagje: "),
}
_SUFFIX = {
    "en": (" thanks", " thx", " pls", " please", " asap", " :)", " ty", "!!", " cheers"),
    "nl": (" bedankt", " alvast bedankt", " aub", " graag", " :)", " thx"),
}
_PROSE_EDITOR = ("markdown", "plaintext")
_CODE_EXT = {
    "python": "py",
    "javascript": "js",
    "typescript": "ts",
    "java": "java",
    "go": "go",
    "rust": "rs",
    "csharp": "cs",
    "sql": "sql",
    "bash": "sh",
    "php": "php",
    "cpp": "cpp",
}


def templates() -> dict[str, list[str]]:
    """Every template, per intent."""
    merged = {**CODE_TEMPLATES, **DEV_TEMPLATES, **TEXT_TEMPLATES}
    return {intent: merged[intent] + MORE_TEMPLATES.get(intent, []) for intent in INTENTS}


def _choices(text: str, rng: random.Random) -> str:
    while True:
        new = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        if new == text:
            return new
        text = new


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.75:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _register(text: str, lang: str, rng: random.Random) -> str:
    """Terse, sloppy or chatty versions of a request's own words (never of pasted code)."""
    if rng.random() < 0.35:
        text = text.lower()
    if rng.random() < 0.25:
        text = text.rstrip("?.!")
    if rng.random() < 0.18:
        words = text.split(" ")
        for _ in range(rng.choice((1, 1, 2))):
            k = rng.randrange(len(words))
            words[k] = _typo(words[k], rng)
        text = " ".join(words)
    pool = "nl" if lang == "nl" else "en"
    if rng.random() < 0.12:
        text = rng.choice(_PREFIX[pool]) + text
    if rng.random() < 0.12:
        text = text + rng.choice(_SUFFIX[pool])
    return text


def _paste(code: str, lang: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"\n```{lang}\n{code}```"
    return ("\n" if roll < 0.8 else ":\n") + code


def _slots(lang: str, rng: random.Random) -> dict[str, str]:
    trace_lang = lang if lang in TRACES else rng.choice(list(TRACES))
    pools = {name: rng.choice(values) for name, values in TEXT_SLOTS.items()}
    a, b = rng.randint(2, 120), rng.randint(2, 12)
    return {
        **pools,
        "lang": LANGS[lang],
        "code": _paste(rng.choice(CODE[lang]), lang, rng),
        "trace": rng.choice(TRACES[trace_lang]),
        "err": rng.choice(ERRORS),
        "sym": rng.choice(SYMBOLS),
        "file": rng.choice(FILES),
        "thing": rng.choice(THINGS_EN),
        "ding": rng.choice(THINGS_NL),
        "regex": rng.choice((r"^\d{4}\s?[A-Z]{2}$", r"(?<=@)\w+", r"^(?!.*\s).{8,}$", r"\b(\w+)\s+\1\b")),
        "json": '{"id": 1, "name": "x", "tags": ["a"]}',
        "a": str(a),
        "b": str(b),
        "c": str(rng.randint(2, 60)),
    }


def _editor(
    intent: str, flags: set[str], lang: str, prompt: str, rng: random.Random
) -> tuple[dict[str, Any] | None, str]:
    """The editor context for a request and, when the snippet is pasted instead, the text to append.

    `rng` is the request's own stream for its context, so the words of the requests that follow
    do not depend on it."""
    path = f"/w/src/{rng.choice(SYMBOLS).lower()}.{_CODE_EXT[lang]}"
    if flags & {"sel", "diag", "seltrace"}:
        roll = rng.random()
        code = rng.choice(CODE[lang])
        if "seltrace" in flags or (intent == "debugging" and rng.random() < 0.3):
            code = rng.choice(TRACES[lang if lang in TRACES else "python"])  # the error output is selected
        if roll < 0.12:
            return None, _paste(code, lang, rng)
        if roll < 0.2 and "diag" not in flags and len(prompt.split()) >= 4:
            return None, ""  # "explain this function" with nothing attached: the user counts on the context
        editor: dict[str, Any] = {"language": lang, "file_path": path, "selection": code}
        # A diagnostic next to another clear intent ("add docstrings" with a warning in range);
        # a vague request ("why?") next to a diagnostic is about the diagnostic.
        clear = len(prompt.split()) >= 3
        if "diag" in flags or (intent != "debugging" and clear and rng.random() < 0.07):
            editor["diagnostics"] = rng.sample(DIAGNOSTICS, rng.choice((1, 1, 2)))
        elif intent == "debugging" and rng.random() < 0.3:
            editor["diagnostics"] = [rng.choice(DIAGNOSTICS)]
        return editor, ""
    if rng.random() < 0.25:
        if intent in ("writing", "general", "reasoning") and rng.random() < 0.6:
            return {"language": rng.choice(_PROSE_EDITOR), "file_path": "/w/notes/todo.md"}, ""
        return {"language": lang, "file_path": path}, ""
    return None, ""


def _expand(intent: str, template: str, rng: random.Random) -> Sample:
    flags: set[str] = set()
    body = template
    while body.startswith("@") or body[:3] in ("en ", "nl ", "de ", "fr ", "es "):
        head, body = body.split(" ", 1)
        if head.startswith("@"):
            flags.add(head[1:])
        else:
            lang_tag = head
    lang = rng.choice(list(CODE))
    values = _slots(lang, rng)
    text = _choices(body, rng)
    # The request's own words get the register treatment; pasted code and traces stay intact.
    parts = re.split(r"(\{(?:code|trace)\})", text)
    out = []
    for part in parts:
        if part in ("{code}", "{trace}"):
            out.append(values[part[1:-1]])
        else:
            filled = _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), part)
            out.append(_register(filled, lang_tag, rng) if filled.strip() else filled)
    prompt = "".join(out).strip()
    editor, appended = _editor(intent, flags, lang, prompt, random.Random(rng.random()))
    sample: Sample = {"text": prompt + appended, "intent": intent, "lang": lang_tag}
    if editor is not None:
        sample["editor"] = editor
    return sample


def generate(seed: int = 7, per_template: int = 60) -> list[Sample]:
    """Up to `per_template` distinct requests from every template (fewer when a template has
    fewer variations). Each template has its own random stream, so adding a template leaves the
    requests of the others unchanged."""
    out: list[Sample] = []
    for intent, pool in templates().items():
        seen: set[str] = set()
        for number, template in enumerate(pool):
            rng = random.Random(f"{seed}:{intent}:{number}")
            made = attempts = 0
            while made < per_template and attempts < per_template * 4:
                attempts += 1
                sample = _expand(intent, template, rng)
                key = sample["text"] + json.dumps(sample.get("editor"), sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                sample["template"] = f"{intent}:{number}"
                out.append(sample)
                made += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-template", type=int, default=60)
    parser.add_argument("--out", type=Path, default=CORPUS_PATH)
    args = parser.parse_args()
    samples = generate(args.seed, args.per_template)
    with args.out.open("w", encoding="utf-8") as handle:
        for sample in samples:
            handle.write(json.dumps(sample, ensure_ascii=False) + "\n")
    print(f"{len(samples)} requests from {sum(map(len, templates().values()))} templates -> {args.out}")


if __name__ == "__main__":
    main()
