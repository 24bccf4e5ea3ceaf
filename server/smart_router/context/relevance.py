"""Which context goes with an ask, and why.

Every entry gets a relevance to the question: the cosine of its vector and the question's
(embedding mode), or its keyword score (lexical mode: while the model loads, without it, and for
entries not embedded yet; see lexical.py). Then (`WEIGHTS`, applied by `Weights.combine`):

    score = (relevance + same file 0.15 + this conversation 0.12 + pinned 0.10)
            x recency (1 falling to 0.6, half-way after 14 days since created or last used)
            x 0.3 for an entry of another workspace (0.7 for a note: notes are shared)

Entries under `MIN_SCORE` are left out however much room there is. The best are taken greedily
while they fit the budget, counted with the real tokenizer of the chosen model's family (not the
stored cl100k count); an entry that overlaps a chunk already taken (same file, intersecting
lines), repeats a taken text, or is part of the editor's selection (the prompt carries it) is
skipped, and so are the conversation's last messages (the prompt carries them as history).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import aiosqlite

from smart_router.context.documents import file_key
from smart_router.context.lexical import LexicalHit, lexical_search
from smart_router.context.vectors import Focus, Ranked, VectorIndex, Weights, epoch
from smart_router.tokens import count_text

__all__ = [
    "CANDIDATES",
    "ITEM_OVERHEAD_TOKENS",
    "LEXICAL_SCALE",
    "MIN_SCORE",
    "WEIGHTS",
    "ContextItem",
    "Gathered",
    "Scored",
    "fingerprint",
    "fit",
    "rank",
]

WEIGHTS = Weights(
    same_file=0.15,
    conversation=0.12,
    pinned=0.10,
    other_workspace=0.3,
    other_workspace_note=0.7,
    recency_floor=0.6,
    half_life_s=14 * 86400.0,
)
MIN_SCORE = 0.25
"""An entry scoring less is not sent, even when the budget has room."""
LEXICAL_SCALE = 0.7
"""Keyword scores are scaled by this when mixed with cosines (a full keyword match is about a
0.7 cosine with all-MiniLM-L6-v2)."""
CANDIDATES = 64
"""Entries ranked in full (rows read, exclusions and budget applied) per ask."""
ITEM_OVERHEAD_TOKENS = 12
"""Tokens counted per item on top of its text: the header and fence the prompt wraps it in."""
_RECENT_S = 86400.0


@dataclass(frozen=True, slots=True)
class ContextItem:
    entry_id: int
    kind: str
    label: str
    uri: str | None
    start_line: int | None
    end_line: int | None
    text: str
    tokens: int
    """In the tokenizer family the items were gathered for (cl100k for a search)."""
    score: float
    reasons: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class Gathered:
    items: tuple[ContextItem, ...]
    mode: Literal["embedding", "lexical", "off"]
    tokens: int
    budget_tokens: int
    fingerprint: str
    """sha256 over the items' content hashes and the editor's selection: what the context was."""
    files: dict[str, str]
    """uri -> content hash of each document the items came from."""


@dataclass(frozen=True, slots=True)
class Scored:
    row: aiosqlite.Row
    score: float
    reasons: tuple[str, ...]


def fingerprint(items: Sequence[ContextItem], selection: str | None) -> str:
    """What the context of an ask was: the same items and selection give the same fingerprint."""
    digest = hashlib.sha256()
    for h in sorted(item.content_hash for item in items):
        digest.update(h.encode("ascii") + b"\n")
    digest.update(b"selection\n" + (selection or "").strip().encode("utf-8"))
    return digest.hexdigest()


async def rank(
    db: aiosqlite.Connection,
    index: VectorIndex | None,
    query: str,
    query_vector: bytes | None,
    focus: Focus,
    *,
    model: str | None,
    candidates: int = CANDIDATES,
    unembedded: bool = True,
) -> list[Scored]:
    """The best entries for a question, best first: by cosine over the index when a query vector
    is given (plus keywords for entries without a vector, unless `unembedded` says there are
    none), else by keywords alone."""
    ranked: list[Ranked] = []
    if query_vector is not None and index is not None:
        ranked = index.rank(query_vector, focus, WEIGHTS, candidates)
    hits: list[LexicalHit] = []
    if query_vector is None or unembedded:
        hits = await lexical_search(
            db, query, limit=candidates, unembedded_for=model if query_vector is not None else None
        )
    ids = [r.entry_id for r in ranked] + [h.entry_id for h in hits]
    rows = await _rows(db, ids)
    if index is not None:
        gone = [r.entry_id for r in ranked if r.entry_id not in rows]
        if gone:  # deleted behind the index's back (eviction, clear): it heals here
            index.remove(gone)
    scale = LEXICAL_SCALE if query_vector is not None else 1.0
    out = [_vector_scored(rows[r.entry_id], r, focus) for r in ranked if r.entry_id in rows]
    out += [_lexical_scored(rows[h.entry_id], h, focus, scale) for h in hits if h.entry_id in rows]
    out.sort(key=lambda s: s.score, reverse=True)
    return out


def fit(
    scored: Sequence[Scored],
    *,
    budget_tokens: int,
    family: str,
    selection: str | None = None,
    skip_ids: frozenset[int] = frozenset(),
    min_score: float = MIN_SCORE,
) -> list[ContextItem]:
    """Take the best entries while they fit `budget_tokens` (counted for `family`), skipping
    overlaps, repeats, the editor's selection and `skip_ids`. Counting is CPU work: the caller
    makes sure the family's encoding is loaded."""
    chosen: list[ContextItem] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    seen: set[str] = set()
    left = budget_tokens
    picked = selection.strip() if selection and selection.strip() else None
    for s in scored:
        row = s.row
        if s.score < min_score or left <= ITEM_OVERHEAD_TOKENS:
            break
        if row["id"] in skip_ids or row["content_hash"] in seen:
            continue
        text: str = row["text"]
        if picked is not None and row["kind"] in ("document", "selection") and text.strip() in picked:
            continue
        key = file_key(row["uri"]) if row["uri"] else None
        lines = (row["start_line"], row["end_line"] if row["end_line"] is not None else row["start_line"])
        if (
            key is not None
            and lines[0] is not None
            and any(a <= lines[1] and lines[0] <= b for a, b in spans.get(key, ()))
        ):
            continue
        tokens = _tokens_of(row["content_hash"], text, family)
        if tokens + ITEM_OVERHEAD_TOKENS > left:
            continue
        left -= tokens + ITEM_OVERHEAD_TOKENS
        seen.add(row["content_hash"])
        if key is not None and lines[0] is not None:
            spans.setdefault(key, []).append(lines)
        chosen.append(_item(s, tokens))
    return chosen


_COUNTED: OrderedDict[tuple[str, str], int] = OrderedDict()
_COUNTED_MAX = 20_000


def _tokens_of(digest: str, text: str, family: str) -> int:
    """`count_text(text, family)`, remembered by content hash: the same entries come up ask after
    ask, and counting (or estimating) them again is most of what fitting costs."""
    key = (digest, family)
    tokens = _COUNTED.get(key)
    if tokens is None:
        tokens = _COUNTED[key] = count_text(text, family)
        if len(_COUNTED) > _COUNTED_MAX:
            _COUNTED.popitem(last=False)
    else:
        _COUNTED.move_to_end(key)
    return tokens


def _item(s: Scored, tokens: int) -> ContextItem:
    row = s.row
    return ContextItem(
        entry_id=int(row["id"]),
        kind=row["kind"],
        label=row["label"],
        uri=row["uri"],
        start_line=row["start_line"],
        end_line=row["end_line"],
        text=row["text"],
        tokens=tokens,
        score=s.score,
        reasons=s.reasons,
        content_hash=row["content_hash"],
    )


async def _rows(db: aiosqlite.Connection, ids: Sequence[int]) -> dict[int, aiosqlite.Row]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = await db.execute_fetchall(  # one round trip to the database thread
        "SELECT id, kind, workspace, uri, label, start_line, end_line, text, content_hash, tokens, "
        f"conversation_id, created_at, used_at, pinned FROM context_entries WHERE id IN ({marks})",
        wanted,
    )
    return {int(r["id"]): r for r in rows}


def _vector_scored(row: aiosqlite.Row, r: Ranked, focus: Focus) -> Scored:
    reasons = [f"similar to your question ({r.similarity:.2f})"]
    reasons += _boost_reasons(row, r.same_file, r.conversation, r.other_workspace)
    if focus.now - max(epoch(row["created_at"]), epoch(row["used_at"])) < _RECENT_S:
        reasons.append("recent")
    return Scored(row, r.score, tuple(reasons))


def _lexical_scored(row: aiosqlite.Row, hit: LexicalHit, focus: Focus, scale: float) -> Scored:
    same_file = bool(row["uri"] and focus.file and file_key(row["uri"]) == file_key(focus.file))
    conversation = bool(focus.conversation_id and row["conversation_id"] == focus.conversation_id)
    other = bool(
        focus.workspace and row["workspace"] and file_key(row["workspace"]) != file_key(focus.workspace)
    )
    stamp = max(epoch(row["created_at"]), epoch(row["used_at"]))
    score = WEIGHTS.combine(
        hit.score * scale,
        same_file=same_file,
        conversation=conversation,
        pinned=bool(row["pinned"]),
        other_workspace=other,
        note=row["kind"] == "note",
        age_s=focus.now - stamp,
    )
    reasons = (
        [f"matched words: {', '.join(hit.matched[:5])}"] if hit.matched else ["matched the full-text search"]
    )
    reasons += _boost_reasons(row, same_file, conversation, other)
    if focus.now - stamp < _RECENT_S:
        reasons.append("recent")
    return Scored(row, score, tuple(reasons))


def _boost_reasons(row: aiosqlite.Row, same_file: bool, conversation: bool, other: bool) -> list[str]:
    reasons = []
    if same_file:
        reasons.append("same file")
    if conversation:
        reasons.append("earlier in this conversation")
    if row["pinned"]:
        reasons.append("pinned note")
    if other:
        reasons.append("from another workspace")
    return reasons
