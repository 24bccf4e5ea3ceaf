"""Gathering context for an ask on a real SQLite database: keyword ranking while the embedding model
is not ready, cosine ranking with the boosts (same file, workspace, conversation, pinned),
fitting into the budget with the chosen family's tokenizer, no overlaps, no repeats of the
selection or of the conversation's last messages, the fingerprint and the files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import aiosqlite
import pytest

from smart_router.config import Settings
from smart_router.context.relevance import ITEM_OVERHEAD_TOKENS
from smart_router.context.service import HISTORY_TAIL, ContextService
from smart_router.editor import EditorContext
from smart_router.embeddings import EmbeddingService
from smart_router.store import open_database
from smart_router.tokens import count_text
from support.context_embedder import FakeEmbeddings, axis, blend

DOCS = {
    "file:///w/budget.py": "def reserve_budget(amount, limit):\n"
    "    '''Hold the amount against the daily budget limit.'''\n"
    "    if amount > limit:\n        raise BudgetExceeded(limit)\n    return amount\n",
    "file:///w/parser.py": "def parse_config(text):\n"
    "    '''Parse the settings file into a config object.'''\n"
    "    data = json.loads(text)\n    return Config(**data)\n",
    "file:///w/http.py": "async def fetch(client, url):\n    '''Download a page with a timeout.'''\n"
    "    response = await client.get(url, timeout=10)\n    return response.text\n",
}
Q = "where is the config parsed from the settings file"


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


def _service(
    db: aiosqlite.Connection, fake: FakeEmbeddings, settings: Settings | None = None
) -> ContextService:
    chosen = settings or Settings()
    return ContextService(db, cast(EmbeddingService, fake), lambda: chosen)


async def _fill(svc: ContextService, workspace: str = "/w") -> None:
    for uri, text in DOCS.items():
        await svc.document_changed(uri, text, workspace=workspace, language="python")


async def _gather(svc: ContextService, query: str = Q, **kw: object) -> object:
    args: dict[str, object] = {
        "editor": None,
        "workspace": "/w",
        "conversation_id": None,
        "budget_tokens": 2000,
        "family": "claude",
    }
    args.update(kw)
    return await svc.gather(query, **args)  # type: ignore[arg-type]


async def test_keywords_rank_while_the_model_loads(db: aiosqlite.Connection) -> None:
    svc = _service(db, FakeEmbeddings(state="loading"))
    await _fill(svc)
    g = await svc.gather(
        Q, editor=None, workspace="/w", conversation_id=None, budget_tokens=2000, family="claude"
    )
    assert g.mode == "lexical"
    assert g.items[0].uri == "file:///w/parser.py"
    assert g.items[0].reasons[0].startswith("matched words: ") and "config" in g.items[0].reasons[0]
    assert all(i.uri != "file:///w/http.py" for i in g.items)  # no word in common: not sent
    assert svc.status() == ("lexical", "Ranking context by keywords while the embedding model loads.")
    mode, found = await svc.search("timeout download", workspace=None, file=None)
    assert mode == "lexical" and found[0].uri == "file:///w/http.py"


async def test_an_empty_store_or_disabled_context_gives_nothing(db: aiosqlite.Connection) -> None:
    svc = _service(db, FakeEmbeddings())
    g = await svc.gather(
        Q, editor=None, workspace=None, conversation_id="c", budget_tokens=500, family="openai"
    )
    assert g.items == () and g.tokens == 0 and g.files == {}
    off = Settings.model_validate({"context": {"enabled": False}})
    svc_off = _service(db, FakeEmbeddings(), off)
    update = await svc_off.document_changed(
        "file:///w/a.py", "def a():\n    return 1\n", workspace="/w", language=None
    )
    assert not update.changed
    g = await svc_off.gather(
        Q, editor=None, workspace=None, conversation_id=None, budget_tokens=500, family="openai"
    )
    assert g.mode == "off" and g.items == ()
    assert svc_off.status()[0] == "off"


async def test_excluded_files_are_never_stored(db: aiosqlite.Connection) -> None:
    svc = _service(db, FakeEmbeddings())
    await svc.document_changed("file:///w/.env", "OPENAI_API_KEY=sk-secret\n", workspace="/w", language=None)
    _mode, found = await svc.search("OPENAI_API_KEY secret", workspace=None, file=None)
    assert found == []


async def test_cosine_ranking_with_the_boosts(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings()
    svc = _service(db, fake)
    q = axis(0)
    fake.vectors["the question"] = blend((1.0, q))
    texts = {
        "close": "alpha text close to the question",
        "same_file": "beta text a bit less close",
        "elsewhere": "gamma text from another workspace, closest",
        "note": "delta pinned note, as close as beta",
    }
    fake.vectors[texts["close"]] = blend((0.62, q), (0.78, axis(1)))
    fake.vectors[texts["same_file"]] = blend((0.55, q), (0.83, axis(2)))
    fake.vectors[texts["elsewhere"]] = blend((0.9, q), (0.43, axis(3)))
    fake.vectors[texts["note"]] = blend((0.55, q), (0.83, axis(4)))
    await svc.document_changed("file:///w/a.py", texts["close"], workspace="/w", language=None)
    await svc.document_changed("file:///w/current.py", texts["same_file"], workspace="/w", language=None)
    await svc.document_changed("file:///other/x.py", texts["elsewhere"], workspace="/other", language=None)
    await svc.store.add_note(texts["note"], title="delta", workspace="/w")
    assert await svc.indexer.run_once() == 4

    editor = EditorContext(file_path="/w/current.py", workspace="/w")
    g = await svc.gather(
        "the question",
        editor=editor,
        workspace=None,
        conversation_id=None,
        budget_tokens=2000,
        family="openai",
    )
    assert g.mode == "embedding"
    order = [i.text for i in g.items]
    # same file (0.55 + 0.15) beats the closer entry elsewhere in the workspace (0.62); the pinned
    # note (0.55 + 0.10) follows; the closest text, from another workspace, is demoted below them
    assert order[:3] == [texts["same_file"], texts["note"], texts["close"]] or order[:2] == [
        texts["same_file"],
        texts["note"],
    ]
    assert texts["elsewhere"] not in order[:3]
    by_text = {i.text: i for i in g.items}
    assert "same file" in by_text[texts["same_file"]].reasons
    assert by_text[texts["same_file"]].reasons[0] == "similar to your question (0.55)"
    assert "pinned note" in by_text[texts["note"]].reasons
    if texts["elsewhere"] in by_text:
        assert "from another workspace" in by_text[texts["elsewhere"]].reasons
    mode, found = await svc.search("the question", workspace="/other", file=None)
    assert mode == "embedding" and found[0].text == texts["elsewhere"]
    assert svc.status()[0] == "embedding"


async def test_the_budget_is_counted_with_the_family_tokenizer(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings()
    svc = _service(db, fake)
    words = "budget ledger reservation settle forecast"
    for n in range(12):
        await svc.store.add_note(
            f"Note {n}: {words} " + " ".join(f"detail{k}" for k in range(20 + n)), title=None, workspace="/w"
        )
    await svc.indexer.run_once()
    for family in ("claude", "openai", "qwen"):
        g = await svc.gather(
            words, editor=None, workspace="/w", conversation_id=None, budget_tokens=200, family=family
        )
        assert g.items and g.tokens == sum(i.tokens for i in g.items)
        assert g.tokens + ITEM_OVERHEAD_TOKENS * len(g.items) <= 200
        assert all(i.tokens == count_text(i.text, family) for i in g.items)
        assert g.budget_tokens == 200
    big = await svc.gather(
        words, editor=None, workspace="/w", conversation_id=None, budget_tokens=5000, family="claude"
    )
    assert len(big.items) == 12


async def test_no_overlap_no_repeat_of_the_selection(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings(state="off")
    svc = _service(db, fake)
    body = "\n".join(f"    total += price_{i} * quantity_{i}" for i in range(30))
    code = f"def invoice_total(items):\n    total = 0\n{body}\n    return total\n"
    await svc.document_changed("file:///w/invoice.py", code, workspace="/w", language="python")
    inner = "\n".join(code.split("\n")[3:6])
    await svc.store.add_selection("file:///w/invoice.py", inner, workspace="/w", start_line=3, end_line=5)
    g = await svc.gather(
        "invoice total price quantity",
        editor=None,
        workspace="/w",
        conversation_id=None,
        budget_tokens=4000,
        family="openai",
    )
    spans = [(i.start_line, i.end_line) for i in g.items if i.uri == "file:///w/invoice.py"]
    for n, (a, b) in enumerate(spans):
        for c, d in spans[n + 1 :]:
            assert b < c or d < a, spans
    # asked about that selection: it is in the prompt already, so not repeated as context
    editor = EditorContext(file_path="/w/invoice.py", selection=inner, workspace="/w")
    g2 = await svc.gather(
        "invoice total price quantity",
        editor=editor,
        workspace="/w",
        conversation_id=None,
        budget_tokens=4000,
        family="openai",
    )
    assert all(i.text.strip() != inner.strip() for i in g2.items)
    assert g2.fingerprint != g.fingerprint


async def test_conversation_continuity_and_history_tail(db: aiosqlite.Connection) -> None:
    svc = _service(db, FakeEmbeddings(state="off"))
    for cid in ("c1", "c2"):
        await db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, 't', 'x', 'x')", (cid,)
        )
    early = await svc.store.add_message(
        "c1", "user", "We chose sqlite WAL mode for the ledger database", workspace="/w"
    )
    other = await svc.store.add_message(
        "c2", "user", "The ledger database uses sqlite WAL mode too", workspace="/w"
    )
    for n in range(HISTORY_TAIL):
        await svc.store.add_message(
            "c1", "assistant", f"answer {n} about the sqlite ledger database WAL", workspace="/w"
        )
    g = await svc.gather(
        "sqlite ledger database WAL mode",
        editor=None,
        workspace="/w",
        conversation_id="c1",
        budget_tokens=4000,
        family="openai",
    )
    ids = [i.entry_id for i in g.items]
    assert early in ids and "earlier in this conversation" in g.items[ids.index(early)].reasons
    assert ids.index(early) < ids.index(other)
    assert all(not i.text.startswith("answer ") for i in g.items)  # the prompt carries them as history


async def test_fingerprint_and_files(db: aiosqlite.Connection) -> None:
    svc = _service(db, FakeEmbeddings(state="off"))
    await _fill(svc)
    g1 = await _gather(svc)
    g2 = await _gather(svc)
    assert g1.fingerprint == g2.fingerprint  # type: ignore[attr-defined]
    await svc.close()  # lets the usage records finish
    async with db.execute("SELECT uses FROM context_entries WHERE uri = 'file:///w/parser.py'") as cur:
        assert [r[0] for r in await cur.fetchall()] == [2]  # each gather recorded what went in
    hashes = await svc.store.file_hashes(["file:///w/parser.py"])
    assert g1.files == {"file:///w/parser.py": hashes["file:///w/parser.py"]}  # type: ignore[attr-defined]
    changed: list[tuple[str, str]] = []

    async def invalidate(uri: str, file_hash: str) -> int:
        changed.append((uri, file_hash))
        return 0

    svc.on_file_changed = invalidate
    update = await svc.document_changed(
        "file:///w/parser.py",
        DOCS["file:///w/parser.py"] + "\n# parse the settings file strictly\n",
        workspace="/w",
        language="python",
    )
    assert changed == [("file:///w/parser.py", update.file_hash)]
    g3 = await _gather(svc)
    assert g3.fingerprint != g1.fingerprint  # type: ignore[attr-defined]
    assert g3.files["file:///w/parser.py"] == update.file_hash  # type: ignore[attr-defined]
