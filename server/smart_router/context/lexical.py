"""Ranking by keywords: the FTS5 index (`context_fts`, porter stemming) scored with BM25.

This keeps retrieval working while the embedding model loads, when it is missing or turned off,
and for entries not embedded yet. A question becomes an OR of its words (identifiers split at
`snake_case` and `camelCase` boundaries, common English words dropped); each hit's score in
[0, 1] is half its BM25 relative to the best hit and half the share of the question's words the
entry contains, so one rare word does not outrank an entry that has them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

__all__ = ["LexicalHit", "lexical_search", "matched_words", "query_terms"]

_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_STOP_WORDS = """
a an and are as at be but by can could do does did for from has have how i if in into is it its
me my no not of on or our please should so such than that the their them then there these this
those to too us was we were what when where which while who why will with would you your yours
about also any all some just get make use using used want need like code file function method
explain fix write show give tell here
"""
_STOP = frozenset(_STOP_WORDS.split())
MAX_TERMS = 24


@dataclass(frozen=True, slots=True)
class LexicalHit:
    entry_id: int
    score: float
    """0-1: half BM25 relative to the best hit, half the share of the question's words matched."""
    matched: tuple[str, ...]


def query_terms(text: str) -> list[str]:
    """The searchable words of a question, lower-case, in order, without duplicates."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        parts = [word] + [p for p in _CAMEL.findall(word) if p != word]
        for part in parts:
            term = part.lower()
            if len(term) < 2 or term in _STOP or term in terms:
                continue
            terms.append(term)
    return terms[:MAX_TERMS]


def matched_words(terms: Sequence[str], text: str) -> tuple[str, ...]:
    """The terms that occur in `text` (as words or inside identifiers, any case)."""
    lower = text.lower()
    return tuple(t for t in terms if t in lower)


async def lexical_search(
    db: aiosqlite.Connection, query: str, *, limit: int = 200, unembedded_for: str | None = None
) -> list[LexicalHit]:
    """The entries matching the question's words, best first (none for a question of stop words).

    `unembedded_for` (an embedding model's name) keeps only the entries without a vector of that
    model: the ones the vector ranking cannot see yet."""
    terms = query_terms(query)
    if not terms:
        return []
    match = " OR ".join(f'"{t}"' for t in terms)
    sql = (
        "SELECT f.rowid AS id, bm25(context_fts) AS rank, e.text AS text FROM context_fts f "
        "JOIN context_entries e ON e.id = f.rowid WHERE context_fts MATCH ?"
    )
    args: list[object] = [match]
    if unembedded_for is not None:
        sql += (
            " AND NOT EXISTS (SELECT 1 FROM embeddings v WHERE v.content_hash = e.content_hash"
            " AND v.model = ?)"
        )
        args.append(unembedded_for)
    rows = list(await db.execute_fetchall(sql + " ORDER BY rank LIMIT ?", (*args, limit)))
    if not rows:
        return []
    best = min(float(r["rank"]) for r in rows)  # bm25() is negative: lower is better
    hits = []
    for r in rows:
        words = matched_words(terms, r["text"])
        relative = float(r["rank"]) / best if best < 0 else 1.0
        hits.append(LexicalHit(int(r["id"]), 0.5 * relative + 0.5 * len(words) / len(terms), words))
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits
