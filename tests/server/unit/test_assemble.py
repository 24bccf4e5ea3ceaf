"""Putting an ask together: the budget and its split, the history that fits, the messages sent, and
the engine pricing what is really sent without classifying again (real SQLite, MockTransport)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from smart_router.budget import SpendSummary
from smart_router.config import parse_settings
from smart_router.context.assemble import HISTORY_SHARE, cache_fingerprint, context_budget
from smart_router.context.conversations import ConversationMessage
from smart_router.context.messages import ask_messages, context_block, fit_history
from smart_router.context.relevance import ContextItem
from smart_router.editor import EditorContext
from smart_router.engine import Engine
from smart_router.intent.types import Classification
from smart_router.keys import KeyStore
from smart_router.router import Decision
from smart_router.store import open_database
from support.openai_sse import chunk, sse_response, usage_chunk


class Quiet:
    def routed(self, request_id: str, decision: Decision) -> None: ...
    def delta(self, request_id: str, text: str) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...


def msg(seq: int, role: str, content: str) -> ConversationMessage:
    return ConversationMessage(seq, "c", seq, "2026-11-22T09:00:00+00:00", role, content)  # type: ignore[arg-type]


def item(kind: str, text: str, **kw: Any) -> ContextItem:
    fields: dict[str, Any] = {
        "entry_id": 1,
        "kind": kind,
        "label": "apply_discount",
        "uri": None,
        "start_line": None,
        "end_line": None,
        "text": text,
        "tokens": 10,
        "score": 0.5,
        "reasons": ("keywords",),
        "content_hash": f"h-{text}",
    }
    return ContextItem(**{**fields, **kw})


def test_the_budget_is_the_setting_or_a_quarter_of_the_window_less_the_prompt() -> None:
    class M:
        context_window = 8000

    class D:
        model = M()
        input_tokens = 500

    assert context_budget(4000, D()) == 1500  # type: ignore[arg-type]
    assert context_budget(1000, D()) == 1000  # type: ignore[arg-type]
    D.input_tokens = 2500
    assert context_budget(4000, D()) == 0  # type: ignore[arg-type]  (never below 0)


def test_history_keeps_the_latest_whole_exchanges_that_fit_and_skips_unanswered_questions() -> None:
    words = lambda t: len(t.split())  # noqa: E731
    talk = [
        msg(1, "user", "one two"),
        msg(2, "assistant", "three four five six"),
        msg(3, "user", "unanswered question left by a failed ask"),
        msg(4, "user", "seven"),
        msg(5, "assistant", "eight nine"),
    ]
    kept, used = fit_history(talk, 100, words)
    assert [m.seq for m in kept] == [1, 2, 4, 5] and used == 6 + 3 + 4 * 3  # + per-message overhead
    kept, used = fit_history(talk, 12, words)  # only the newest exchange fits
    assert [m.seq for m in kept] == [4, 5] and used == 9
    assert fit_history(talk, 8, words) == ((), 0)  # never a half exchange, never a gap


def test_the_messages_carry_system_context_history_then_the_prompt_with_the_selection() -> None:
    doc = item("document", "def f():\n    return 1", uri="file:///proj/a.py", start_line=9, end_line=10)
    note = item("note", "Deploy with make ship", label="Deploy steps")
    fenced = item("selection", "```py\nx = 1\n```", uri="/proj/b.md", start_line=0, end_line=2)
    editor = EditorContext(language="python", file_path="/proj/a.py", selection="f()")
    messages = ask_messages(
        "Why?", "Be brief.", editor, [doc, note, fenced], [msg(1, "user", "q"), msg(2, "assistant", "a")]
    )
    assert [m.role for m in messages] == ["system", "user", "assistant", "user"]
    system = messages[0].content
    assert system.startswith("Be brief.\n\nContext from the user's project")
    assert "[1] /proj/a.py lines 10-11 (apply_discount)\n```\ndef f():\n    return 1\n```" in system
    assert '[2] Note "Deploy steps"' in system
    assert "````\n```py\nx = 1\n```\n````" in system  # a fence longer than any inside
    assert messages[3].content.startswith("Why?\n\nSelected code from /proj/a.py:\n```python\nf()\n```")
    # no system prompt and no context: the user's message alone
    assert [m.role for m in ask_messages("Why?", "", None)] == ["user"]
    assert context_block([]).startswith("Context from")


def test_the_cache_fingerprint_ignores_past_messages_but_not_documents_selection_or_history() -> None:
    doc, other = item("document", "a"), item("document", "b")
    past = item("message", "an answer from another conversation")
    base = cache_fingerprint([doc], None, ())
    assert cache_fingerprint([doc, past], None, ()) == base
    assert cache_fingerprint([other], None, ()) != base
    assert cache_fingerprint([doc], EditorContext(selection="x"), ()) != base
    assert cache_fingerprint([doc], None, (msg(1, "user", "q"), msg(2, "assistant", "a"))) != base


@pytest.fixture
async def engine() -> AsyncIterator[tuple[Engine, list[dict[str, Any]]]]:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method != "POST":  # local model discovery: no Ollama here
            return httpx.Response(404)
        sent.append(json.loads(request.content))
        return sse_response(chunk("Use "), chunk("make ship."), chunk(finish="stop"), usage_chunk(400, 5))

    settings = parse_settings(
        {"defaultModel": "gpt-4o-mini", "systemPrompt": "", "context": {"maxTokens": 300}}
    )
    e = Engine(
        settings,
        await open_database(":memory:"),
        httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        keys=KeyStore({"OPENAI_API_KEY": "sk-test-1"}),
    )
    yield e, sent
    await e.close()


async def test_an_ask_is_priced_on_what_is_sent_and_classified_once(
    engine: tuple[Engine, list[dict[str, Any]]],
) -> None:
    e, sent = engine
    await e.context.store.add_note(
        "To deploy the billing service run make ship from the repo root.", title="Deploy", workspace=None
    )
    calls: list[str] = []
    classify = e.classifier.classify_async

    async def counting(*args: Any, **kwargs: Any) -> Classification:
        calls.append(args[0])
        return await classify(*args, **kwargs)

    e.classifier.classify_async = counting  # type: ignore[method-assign]
    bare = await e.route("How do I deploy the billing service?")
    calls.clear()
    outcome = await e.ask("r1", "How do I deploy the billing service?", Quiet())
    assert calls == ["How do I deploy the billing service?"]  # once, on the bare prompt
    assert outcome.context is not None and [i.kind for i in outcome.context.items] == ["note"]
    assert 'Note "Deploy"' in sent[0]["messages"][0]["content"]
    assert outcome.decision.input_tokens > bare.input_tokens + 10  # the note is priced in
    assert outcome.decision.classification == bare.classification


async def test_history_takes_at_most_its_share_and_context_gets_the_rest(
    engine: tuple[Engine, list[dict[str, Any]]],
) -> None:
    e, sent = engine
    c = await e.conversations.create("Deploying", None)
    for n in range(6):  # six exchanges of ~40 tokens each: more than half of the 300-token budget
        await e.conversations.append(c.id, "user", f"question {n} " + "about deploys " * 15)
        await e.conversations.append(c.id, "assistant", f"answer {n} " + "run make ship " * 12, model="m")
    decision = await e.route("And rollbacks?")
    prep = await e.assembler.prepare("And rollbacks?", decision, None, None, c.id, False)
    total = context_budget(300, decision)
    assert 0 < prep.history_tokens <= total * HISTORY_SHARE
    assert prep.history[-1].content.startswith("answer 5") and prep.history[0].role == "user"
    assert prep.context.budget_tokens == total - prep.history_tokens
    await e.ask("r2", "And rollbacks?", Quiet(), conversation_id=c.id)
    sent_history = [m["content"] for m in sent[-1]["messages"][:-1] if m["role"] != "system"]
    assert sent_history == [m.content for m in prep.history]
