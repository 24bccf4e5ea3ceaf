"""Conversations and the response cache through the real sidecar: continue, fork, rename, delete,
persistence across a restart (and a kill -9), cached answers marked and free."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from smart_router import protocol
from smart_router import protocol_context as wire
from support.sidecar import Sidecar, SidecarFactory

BILLING = '''def apply_discount(total, customer):
    """Loyal customers get ZEBRA_RATE off."""
    if customer.loyal:
        return total * (1 - ZEBRA_RATE)
    return total


ZEBRA_RATE = 0.15
'''


def chats(fake: FakeProvider) -> list[list[dict[str, Any]]]:
    """The messages of every chat request the fake provider received, oldest first."""
    return [
        r["body"]["messages"]
        for r in fake.requests
        if isinstance(r["body"], dict) and "messages" in r["body"]
    ]


def rows(user_env: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return db.execute(sql).fetchall()


async def ask(sidecar: Sidecar, rid: str, prompt: str, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = await sidecar.request(
        protocol.ASK, {"requestId": rid, "prompt": prompt, **extra}
    )
    return result


async def bad_input(sidecar: Sidecar, method: str, params: dict[str, Any]) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(method, params)
    assert info.value.code == -32002
    return info.value


async def test_an_ask_continues_its_conversation_with_the_earlier_turns(
    start_sidecar: SidecarFactory, fake: FakeProvider
) -> None:
    sidecar = await start_sidecar({"systemPrompt": "Be brief."})
    first = await ask(sidecar, "a1", "Explain closures")
    cid = first["conversationId"]
    assert cid and first["cached"] is None and first["contextMode"] in ("lexical", "embedding")
    routed = sidecar.received[protocol.ROUTED][-1]
    assert routed["conversationId"] == cid and routed["cached"] is None

    second = await ask(sidecar, "a2", "And in Python?", conversationId=cid)
    assert second["conversationId"] == cid
    sent = chats(fake)
    assert len(sent) == 2
    assert [m["role"] for m in sent[0]] == ["system", "user"]
    # the second request carries the first exchange between the system prompt and the new question
    assert [(m["role"], m["content"]) for m in sent[1][1:]] == [
        ("user", "Explain closures"),
        ("assistant", first["text"]),
        ("user", "And in Python?"),
    ]
    assert sent[1][0]["content"].startswith("Be brief.")

    detail = await sidecar.request(wire.CONVERSATION, {"id": cid})
    assert detail["title"] == "Explain closures" and detail["forkedFrom"] is None
    messages = detail["messages"]
    assert [(m["seq"], m["role"]) for m in messages] == [
        (1, "user"),
        (2, "assistant"),
        (3, "user"),
        (4, "assistant"),
    ]
    assert messages[3]["content"] == second["text"] and messages[3]["model"] == second["model"]
    assert messages[1]["costUsd"] == first["costUsd"] and not messages[1]["cached"]
    assert messages[1]["intent"] == routed["intent"]

    listed = (await sidecar.request(wire.CONVERSATIONS, {}))["conversations"]
    assert [c["id"] for c in listed] == [cid]
    assert listed[0]["messages"] == 4 and listed[0]["lastModel"] == second["model"]
    assert listed[0]["costUsd"] == pytest.approx(first["costUsd"] + second["costUsd"])


async def test_fork_rename_delete_and_unknown_ids(start_sidecar: SidecarFactory, fake: FakeProvider) -> None:
    sidecar = await start_sidecar()
    first = await ask(sidecar, "a1", "Explain closures")
    cid = first["conversationId"]
    await ask(sidecar, "a2", "And generators?", conversationId=cid)

    fork = await sidecar.request(wire.CONVERSATION_FORK, {"id": cid, "atSeq": 2})
    assert fork["id"] != cid and fork["forkedFrom"] == cid and fork["title"] == "Explain closures (fork)"
    assert [m["content"] for m in fork["messages"]] == ["Explain closures", first["text"]]

    # the fork goes its own way: its next ask carries only the copied exchange
    await ask(sidecar, "f1", "And decorators?", conversationId=fork["id"])
    assert [m["content"] for m in chats(fake)[-1] if m["role"] == "user"] == [
        "Explain closures",
        "And decorators?",
    ]
    listed = [c["id"] for c in (await sidecar.request(wire.CONVERSATIONS, {}))["conversations"]]
    assert listed == [fork["id"], cid]

    renamed = await sidecar.request(wire.CONVERSATION_RENAME, {"id": fork["id"], "title": "Decorators"})
    assert renamed == {"id": fork["id"], "title": "Decorators"}

    assert await sidecar.request(wire.CONVERSATION_DELETE, {"id": cid}) == {"removed": True}
    assert await sidecar.request(wire.CONVERSATION_DELETE, {"id": cid}) == {"removed": False}
    kept = await sidecar.request(wire.CONVERSATION, {"id": fork["id"]})
    assert kept["forkedFrom"] is None and len(kept["messages"]) == 4

    for method, params in (
        (wire.CONVERSATION, {"id": cid}),
        (wire.CONVERSATION_FORK, {"id": "nope"}),
        (wire.CONVERSATION_RENAME, {"id": "nope", "title": "x"}),
        (protocol.ASK, {"requestId": "u", "prompt": "hi", "conversationId": cid}),
    ):
        err = await bad_input(sidecar, method, params)
        assert err.data["kind"] == "unknown_conversation" and "Pick one from the list" in err.message
    err = await bad_input(sidecar, wire.CONVERSATION_FORK, {"id": fork["id"], "atSeq": 9})
    assert "messages 1 to 4" in err.message


async def test_a_repeated_question_is_answered_from_the_cache_marked_and_free(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    sidecar = await start_sidecar()
    first = await ask(sidecar, "c1", "What is a monad in Haskell?")
    assert first["cached"] is None and first["costMicroUsd"] > 0
    deltas_before = len(sidecar.received[protocol.STREAM])

    again = await ask(sidecar, "c2", "What is a monad in Haskell?")
    assert len(chats(fake)) == 1  # the provider was asked once
    assert again["text"] == first["text"] and again["costMicroUsd"] == 0 and again["costUsd"] == 0
    cached = again["cached"]
    assert cached["kind"] == "exact" and cached["model"] == first["model"]
    assert cached["prompt"] == "What is a monad in Haskell?" and cached["savedUsd"] > 0
    routed = sidecar.received[protocol.ROUTED][-1]
    assert routed["requestId"] == "c2" and routed["cached"] == cached
    assert (
        routed["reason"].startswith(f"cached answer from {first['model']}")
        and "asked afresh costs" in routed["reason"]
    )
    deltas = [d for d in sidecar.received[protocol.STREAM][deltas_before:] if d["requestId"] == "c2"]
    assert [d["delta"] for d in deltas] == [first["text"]]  # one delta
    assert rows(user_env, "SELECT request_id FROM ledger") == [("c1",)]  # nothing billed
    detail = await sidecar.request(wire.CONVERSATION, {"id": again["conversationId"]})
    assert [(m["role"], m["cached"], m["costUsd"]) for m in detail["messages"]] == [
        ("user", False, 0),
        ("assistant", True, 0),
    ]

    fresh = await ask(sidecar, "c3", "What is a monad in Haskell?", noCache=True)
    assert fresh["cached"] is None and fresh["costMicroUsd"] > 0 and len(chats(fake)) == 2
    assert [r[0] for r in rows(user_env, "SELECT request_id FROM ledger ORDER BY id")] == ["c1", "c3"]


async def test_with_context_off_history_still_goes_along_but_nothing_is_cached(
    start_sidecar: SidecarFactory, fake: FakeProvider
) -> None:
    sidecar = await start_sidecar({"context": {"enabled": False}})
    first = await ask(sidecar, "o1", "Explain closures")
    assert first["contextMode"] == "off" and first["context"] == []
    again = await ask(sidecar, "o2", "Explain closures")
    assert again["cached"] is None and len(chats(fake)) == 2
    await ask(sidecar, "o3", "Shorter?", conversationId=first["conversationId"])
    assert [m["content"] for m in chats(fake)[-1] if m["role"] != "system"] == [
        "Explain closures",
        first["text"],
        "Shorter?",
    ]


async def open_document(sidecar: Sidecar, uri: str, text: str) -> None:
    """didOpen, then wait until the sidecar has it as context (document sync stores it at once)."""
    sidecar.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    for _ in range(100):
        stats = await sidecar.request(wire.CONTEXT_STATS, {})
        if stats["entries"]["document"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the opened document never became context")


def has_billing_context(messages: list[dict[str, Any]]) -> bool:
    system = messages[0]["content"] if messages[0]["role"] == "system" else ""
    return "/proj/billing.py" in system and "return total * (1 - ZEBRA_RATE)" in system


async def test_a_conversation_survives_a_restart_and_a_kill_with_its_context(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    first = await start_sidecar()
    await open_document(first, "file:///proj/billing.py", BILLING)
    q1 = "How does apply_discount use ZEBRA_RATE?"
    a1 = await ask(first, "p1", q1, workspace="/proj")
    cid = a1["conversationId"]
    assert any(i["file"] == "/proj/billing.py" for i in a1["context"])
    assert has_billing_context(chats(fake)[-1])
    await first.client.shutdown_session()  # shutdown, exit: the process ends
    first.client.error = RuntimeError("stopped by the test")  # nothing left to shut down at the end

    second = await start_sidecar()
    listed = (await second.request(wire.CONVERSATIONS, {"workspace": "/proj"}))["conversations"]
    assert [(c["id"], c["messages"]) for c in listed] == [(cid, 2)]
    q2 = "Would a ZEBRA_RATE of zero break apply_discount?"
    a2 = await ask(second, "p2", q2, workspace="/proj", conversationId=cid)
    sent = chats(fake)[-1]
    assert has_billing_context(sent)  # the document stored before the restart is context again
    assert [(m["role"], m["content"]) for m in sent[1:]] == [
        ("user", q1),
        ("assistant", a1["text"]),
        ("user", q2),
    ]

    server = second.client._server
    assert server is not None
    os.kill(server.pid, signal.SIGKILL)  # no shutdown at all
    await server.wait()
    second.client.error = RuntimeError("killed by the test")

    third = await start_sidecar()
    q3 = "And ZEBRA_RATE above one?"
    await ask(third, "p3", q3, workspace="/proj", conversationId=cid)
    sent = chats(fake)[-1]
    assert has_billing_context(sent)
    assert [m["content"] for m in sent[1:]] == [q1, a1["text"], q2, a2["text"], q3]
    assert rows(user_env, f"SELECT COUNT(*) FROM messages WHERE conversation_id = '{cid}'") == [(6,)]


async def test_a_selection_asked_about_becomes_context_for_later_asks(
    start_sidecar: SidecarFactory, fake: FakeProvider
) -> None:
    sidecar = await start_sidecar()
    selection = "def backoff(attempt):\n    return min(30, 2 ** attempt)\n"
    editor = {"languageId": "python", "filePath": "/src/app/retry.py", "selection": selection}
    await ask(sidecar, "s1", "Why does backoff cap at 30?", context=editor)
    secret = {**editor, "filePath": "/src/app/.env", "selection": "TOKEN_LIMIT=5\n"}
    await ask(sidecar, "s2", "What does this limit do?", context=secret)  # an excluded file
    stats = await sidecar.request("smartRouter/contextStats", {})
    assert stats["entries"]["selection"] == 1
    found = await sidecar.request("smartRouter/contextSearch", {"query": "backoff attempt", "limit": 10})
    selections = [i for i in found["items"] if i["kind"] == "selection"]
    assert len(selections) == 1 and selections[0]["file"].endswith("retry.py")
    assert "2 ** attempt" in selections[0]["preview"] and "TOKEN_LIMIT" not in str(found)
