"""The learned intent models' parts: the features the linear model reads, the model file format,
the training-corpus generator (reproducible, broad), and the shipped models' agreement with the
data they were trained on."""

from __future__ import annotations

import functools
import json
from array import array
from collections import Counter
from pathlib import Path

import pytest

from smart_router.config import INTENTS
from smart_router.editor import EditorContext
from smart_router.intent import modelfile
from smart_router.intent.linear import linear_model
from smart_router.intent.probe import blend, embedding_text, probe
from smart_router.intent.training.generate import CORPUS_PATH, generate, templates
from smart_router.intent.vectorize import BUCKETS, vectorize

_corpus = functools.cache(generate)
"""The default corpus, generated once for this module."""
_TRACE = "Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n    f()\nKeyError: 'x'"


def _names(prompt: str, editor: EditorContext | None = None) -> tuple[set[int], set[int], set[int]]:
    groups, _ = vectorize(prompt, editor)
    words, chars, shape = (set(buckets) for buckets, _ in groups)
    return words, chars, shape


def test_features_are_hashed_into_the_bucket_range_and_normalised() -> None:
    groups, shape = vectorize("Write a Python function that parses dates")
    assert shape.words == 7
    for buckets, scale in groups:
        assert buckets and all(0 <= b < BUCKETS for b in buckets)
        assert len(set(buckets)) == len(buckets)
        assert scale > 0
    (words, word_scale), (chars, char_scale), _ = groups
    assert word_scale == pytest.approx(len(words) ** -0.5)
    assert char_scale == pytest.approx(len(chars) ** -0.5)


def test_pasted_code_and_traces_change_the_shape_features_not_the_words() -> None:
    plain = _names("why does this fail")
    traced = _names(f"why does this fail\n{_TRACE}")
    assert plain[0] < traced[0]  # the trace's frames are not read as words (its message line is)
    assert len(traced[0]) - len(plain[0]) <= 8
    assert plain[2] != traced[2]  # its presence is a feature


def test_the_editor_context_is_a_feature() -> None:
    bare = _names("why?")
    selected = _names("why?", EditorContext(language="python", selection="x = f(y)\n"))
    diagnosed = _names("why?", EditorContext(language="python", selection="x = f(y)\n", diagnostics=("E1",)))
    assert bare[2] != selected[2] != diagnosed[2]
    assert len(selected[0]) > len(bare[0])  # the words' "code is on the table" twins


def test_a_huge_prompt_is_read_at_its_ends_only() -> None:
    huge = "please fix this. " + "lorem ipsum dolor " * 20_000 + " thanks"
    words, chars, _ = _names(huge)
    assert len(words) < 200 and len(chars) < 1500


def test_the_model_file_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.bin"
    size = modelfile.write_model(str(path), {"k": 1}, {"a": array("i", [3, -1]), "b": array("f", [0.5, 2.0])})
    assert size == path.stat().st_size
    monkeypatch.setattr(modelfile, "resources", _Folder(tmp_path))
    header, arrays = modelfile.read_model("m.bin")
    assert header == {"k": 1}
    assert list(arrays["a"]) == [3, -1] and list(arrays["b"]) == [0.5, 2.0]


class _Folder:
    """`importlib.resources` pointed at a folder that holds `models/`."""

    def __init__(self, root: Path) -> None:
        (root / "models").mkdir(exist_ok=True)
        for file in root.glob("*.bin"):
            file.replace(root / "models" / file.name)
        self.root = root

    def files(self, _package: str) -> Path:
        return self.root


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "x.bin").write_bytes(zlib.compress(b"hello"))
    monkeypatch.setattr(modelfile, "resources", _Folder(tmp_path))
    with pytest.raises(ValueError, match="retrain"):
        modelfile.read_model("x.bin")


def test_the_generator_is_reproducible_and_broad() -> None:
    first, again = generate(seed=3, per_template=4), generate(seed=3, per_template=4)
    assert first == again
    assert generate(seed=4, per_template=4) != first
    per_intent = Counter(s["intent"] for s in first)
    assert set(per_intent) == set(INTENTS)
    langs = Counter(s["lang"] for s in first)
    assert langs["en"] > langs["nl"] > 0 and langs["de"] > 0 and langs["fr"] > 0 and langs["es"] > 0
    texts = [s["text"] for s in first]
    assert any("Traceback" in t for t in texts) and any("```" in t for t in texts)
    assert any("selection" in s.get("editor", {}) for s in first)
    assert any(s.get("editor", {}).get("diagnostics") for s in first)
    assert all("{" + slot + "}" not in t for t in texts for slot in ("thing", "sym", "lang", "code", "trace"))


def test_the_committed_corpus_is_what_the_generator_makes() -> None:
    with CORPUS_PATH.open(encoding="utf-8") as handle:
        head = [json.loads(next(handle)) for _ in range(200)]
    assert head == _corpus()[:200]
    assert sum(map(len, templates().values())) >= 300


def test_the_linear_model_knows_its_training_data() -> None:
    model = linear_model()
    rows = _corpus()[::97]
    hits = 0
    for sample in rows:
        editor = (
            EditorContext(
                **{
                    **sample.get("editor", {}),
                    "diagnostics": tuple(sample.get("editor", {}).get("diagnostics", ())),
                }
            )
            if "editor" in sample
            else None
        )
        probs = model.probabilities(vectorize(sample["text"], editor)[0])
        assert sum(probs.values()) == pytest.approx(1.0)
        hits += max(probs, key=probs.__getitem__) == sample["intent"]
    assert hits / len(rows) > 0.95


def test_the_probe_and_the_blend_are_distributions() -> None:
    model = probe()
    assert model.dim == 384 and model.linear_weight > 0
    vector = array("f", [1.0 / 384**0.5] * 384)
    embedded = model.probabilities(vector)
    assert set(embedded) == set(INTENTS) and sum(embedded.values()) == pytest.approx(1.0)
    mixed = blend({"debugging": 0.9, "general": 0.1}, embedded, model)
    assert sum(mixed.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="384"):
        model.probabilities(array("f", [0.0] * 10))


def test_the_selection_is_embedded_with_the_prompt() -> None:
    assert embedding_text("why?", EditorContext(selection="x = f(y)")) == "why?\nx = f(y)"
    assert embedding_text("why?", None) == "why?"
