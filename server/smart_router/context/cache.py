"""The response cache: a question asked again is answered from the database, at no cost.

`ResponseCache.lookup` finds, for a new prompt, an earlier answer made under the same conditions:
the same intent, the same model tier, the same context fingerprint (the content of the context
that went in), and the same workspace (or none). Two kinds of hit:

- exact: the prompt reads the same once case, spacing, Unicode forms and trailing punctuation
  are set aside (`prompt_key`); no word is dropped, so "sort a list" never meets "sort a list
  descending";
- semantic (only when the embedding model is ready): the prompt's vector is at least
  `smartRouter.context.cacheSimilarity` (cosine) from a cached prompt's vector, the cached answer
  is of the same kind (code for a code intent, prose for the others: `answer_kind`; the exact
  intent label is not required, the classifier often labels a paraphrase otherwise), and the
  hit decision (`cache_match.py`) lets it through: no hard refusal of the near-miss guard
  (`guard.py`: another version, count, language, identifier, negation, opposite word ...) and a
  learned probability, over how well the two questions' words align, above its threshold.
  Vectors of prompts and of their single content words (the guard's word similarity) live in
  the `embeddings` table keyed by the sha256 of the text, so each is embedded once; a lookup
  costs at most one batched call to the embedding worker (with a short timeout: a slow worker
  means no semantic hit, not a slow ask).

`store` keeps an answer with the files it drew on (uri -> content hash); `invalidate(uri, hash)`,
called when a document changes, drops the answers made from another version of that file.
`record_hit` counts the hits and the money they saved. Expiry and the size cap are the context
limits' job (`limits.py`).

numpy is imported inside the ranking function only, never at import: the sidecar's idle memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import aiosqlite

from smart_router.config import Settings
from smart_router.context.cache_match import near_miss
from smart_router.context.guard import WordSimilarity, content_words
from smart_router.embeddings import PACKAGED_MODEL
from smart_router.errors import SmartRouterError
from smart_router.store.transaction import transaction

__all__ = [
    "CODE_INTENTS",
    "EMBED_TIMEOUT_S",
    "CacheEmbedder",
    "CacheHit",
    "ResponseCache",
    "answer_kind",
    "prompt_key",
]

log = logging.getLogger(__name__)

EMBED_TIMEOUT_S = 0.5
"""Longest a lookup waits for the embedding worker before it settles for exact hits only."""
MAX_GUARDED = 8
"""Most candidates above the threshold that the near-miss guard examines, best first."""
BACKFILL = 64
"""Most cached prompts without a vector (stored while the model loaded) embedded in one lookup."""

CODE_INTENTS = frozenset({"code_generation", "refactoring", "test_generation"})
"""Intents whose answer is mainly code; a semantic hit never serves prose for these, nor code for
the others."""

_SPACE = re.compile(r"\s+")
_TRAILING = " \t\n?!.,;:\u2026\u3002\uff1f\uff01"


def prompt_key(prompt: str) -> str:
    """sha256 hex of the prompt as an exact hit compares it: Unicode NFKC, case folded, runs of
    white space as one space, trailing punctuation and spaces removed. No word is removed."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", prompt).casefold()).strip().rstrip(_TRAILING)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answer_kind(intent: str | None) -> str:
    """ "code" or "prose": what a semantic hit must agree on (see `CODE_INTENTS`)."""
    return "code" if intent in CODE_INTENTS else "prose"


def _prompt_hash(prompt: str) -> str:
    """sha256 hex of the prompt as written: the key of its vector in `embeddings`."""
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()


class CacheEmbedder(Protocol):
    """What the cache needs of the embedding service (`smart_router.embeddings.EmbeddingService`)."""

    @property
    def state(self) -> str:
        """`ready` when `embed` can answer."""

    @property
    def model_path(self) -> str:
        """`smartRouter.embeddingModel`; empty for the packaged model."""

    async def embed(self, texts: Sequence[str]) -> Sequence[Any]:
        """One L2-normalised float32 vector per text: a little-endian blob, or a row of floats."""


@dataclass(frozen=True, slots=True)
class CacheHit:
    """An earlier answer that serves the new prompt."""

    cache_id: int
    kind: Literal["exact", "semantic"]
    similarity: float
    """1.0 for an exact hit; the cosine similarity of the two prompts for a semantic one."""
    prompt: str
    """The prompt the answer was made for."""
    answer: str
    model: str
    provider: str
    asked_at: str
    """When the answer was made (UTC, ISO 8601)."""
    cost_micro_usd: int
    """What the answer cost when it was made: what a hit saves."""


_HIT_COLUMNS = "id, prompt, answer, model, provider, ts, cost_micro_usd"
_SAME_CONDITIONS = "intent IS ? AND tier = ? AND fingerprint = ? AND (workspace IS ? OR workspace IS NULL)"
_SAME_CONDITIONS_RC = (
    "rc.intent IS ? AND rc.tier = ? AND rc.fingerprint = ? AND (rc.workspace IS ? OR rc.workspace IS NULL)"
)


class ResponseCache:
    """Answers by prompt, intent, tier and context fingerprint; see the module docstring."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        embeddings: CacheEmbedder,
        settings: Callable[[], Settings],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        guard: Callable[[str, str, WordSimilarity | None], str | None] = near_miss,
    ) -> None:
        self._db = db
        self._guard = guard
        """(asked, cached prompt, word similarity) -> why the cached answer may not serve, or None
        (`cache_match.near_miss`)."""
        self._embeddings = embeddings
        self._settings = settings
        self._now = now

    def enabled(self) -> bool:
        """`smartRouter.context.enabled` and `smartRouter.context.responseCache` are both on."""
        context = self._settings().context
        return context.enabled and context.response_cache

    @property
    def model(self) -> str:
        """The `embeddings.model` key of the current embedding model's vectors."""
        return self._embeddings.model_path.strip() or PACKAGED_MODEL

    async def lookup(
        self, prompt: str, *, intent: str | None, tier: str, fingerprint: str, workspace: str | None
    ) -> CacheHit | None:
        """The cached answer for `prompt` under these conditions: an exact hit first, else the
        most similar cached prompt above the threshold that the near-miss guard lets through."""
        if not self.enabled():
            return None
        conditions = (intent, tier, fingerprint, workspace)
        async with self._db.execute(
            f"SELECT {_HIT_COLUMNS} FROM response_cache WHERE prompt_key = ? AND {_SAME_CONDITIONS} "
            "ORDER BY id DESC LIMIT 1",
            (prompt_key(prompt), *conditions),
        ) as cur:
            row = await cur.fetchone()
        if row is not None:
            return _hit(row, "exact", 1.0)
        if self._embeddings.state != "ready":
            return None
        return await self._semantic(prompt, conditions, self._settings().context.cache_similarity)

    async def store(
        self,
        prompt: str,
        answer: str,
        *,
        intent: str | None,
        tier: str,
        fingerprint: str,
        workspace: str | None,
        model: str,
        provider: str,
        cost_micro_usd: int,
        files: dict[str, str],
    ) -> int:
        """Keep `answer` for `prompt`, with the files (uri -> content hash) its context came from;
        the id of the new entry, or 0 when the cache is off. An older answer to the same prompt
        under the same conditions is replaced. The prompt's vector is stored too when the model is
        ready (usually the lookup before the ask has stored it already)."""
        if not self.enabled():
            return 0
        prompt_hash = _prompt_hash(prompt)
        if self._embeddings.state == "ready":
            texts = {_prompt_hash(t): t for t in (prompt, *content_words(prompt))}
            await self._embed_and_keep(await self._missing(texts))
        key = prompt_key(prompt)
        async with transaction(self._db) as tx:
            await tx.execute(
                "DELETE FROM response_cache WHERE prompt_key = ? AND intent IS ? AND tier = ? "
                "AND fingerprint = ? AND workspace IS ?",
                (key, intent, tier, fingerprint, workspace),
            )
            cur = await tx.execute(
                "INSERT INTO response_cache (ts, prompt, prompt_key, prompt_hash, intent, tier, "
                "fingerprint, workspace, model, provider, answer, cost_micro_usd) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._now().isoformat(),
                    prompt,
                    key,
                    prompt_hash,
                    intent,
                    tier,
                    fingerprint,
                    workspace,
                    model,
                    provider,
                    answer,
                    max(0, cost_micro_usd),
                ),
            )
            cache_id = cur.lastrowid
            assert cache_id is not None
            await tx.executemany(
                "INSERT INTO response_cache_files (cache_id, uri, content_hash) VALUES (?, ?, ?)",
                [(cache_id, uri, digest) for uri, digest in sorted(files.items())],
            )
        return int(cache_id)

    async def record_hit(self, hit: CacheHit, saved_micro_usd: int) -> None:
        """Count a served hit, when it happened and what it saved."""
        async with transaction(self._db) as tx:
            await tx.execute(
                "UPDATE response_cache SET hits = hits + 1, hit_at = ?, "
                "saved_micro_usd = saved_micro_usd + ? WHERE id = ?",
                (self._now().isoformat(), max(0, saved_micro_usd), hit.cache_id),
            )

    async def invalidate(self, uri: str, file_hash: str) -> int:
        """Drop the answers that drew on `uri` at another content hash than `file_hash` (the file
        changed since); the number dropped. Their prompts' vectors go too unless still used."""
        async with transaction(self._db) as tx:
            async with tx.execute(
                "SELECT DISTINCT rc.id, rc.prompt_hash FROM response_cache rc "
                "JOIN response_cache_files f ON f.cache_id = rc.id WHERE f.uri = ? AND f.content_hash != ?",
                (uri, file_hash),
            ) as cur:
                stale = [(int(r[0]), str(r[1])) for r in await cur.fetchall()]
            if not stale:
                return 0
            await tx.executemany("DELETE FROM response_cache WHERE id = ?", [(i,) for i, _ in stale])
            await tx.executemany(
                "DELETE FROM embeddings WHERE content_hash = ? "
                "AND NOT EXISTS (SELECT 1 FROM response_cache WHERE prompt_hash = ?) "
                "AND NOT EXISTS (SELECT 1 FROM context_entries WHERE content_hash = ?)",
                [(h, h, h) for h in {h for _, h in stale}],
            )
        return len(stale)

    # -- semantic hits -------------------------------------------------------------------------

    async def _semantic(
        self, prompt: str, conditions: tuple[str | None, str, str, str | None], threshold: float
    ) -> CacheHit | None:
        intent, tier, fingerprint, workspace = conditions
        async with self._db.execute(
            "SELECT rc.id, rc.prompt, rc.prompt_hash, v.vector, rc.intent FROM response_cache rc "
            "LEFT JOIN embeddings v ON v.content_hash = rc.prompt_hash AND v.model = ? "
            "WHERE rc.tier = ? AND rc.fingerprint = ? AND (rc.workspace IS ? OR rc.workspace IS NULL)",
            (self.model, tier, fingerprint, workspace),
        ) as cur:
            rows = [
                (int(r[0]), str(r[1]), str(r[2]), r[3])
                for r in await cur.fetchall()
                if answer_kind(r[4]) == answer_kind(intent)
            ]
        if not rows:
            return None
        known = {h: bytes(v) for _, _, h, v in rows if v is not None}
        # one batched worker call: the prompt and its words, plus the prompts of older entries
        # stored while the model loaded; the words of cached prompts were embedded by `store`
        texts = {_prompt_hash(t): t for t in (prompt, *content_words(prompt))}
        texts.update({h: p for _, p, h, v in rows if v is None})
        vectors = await self._vectors(texts)
        known.update(vectors)
        query = known.get(_prompt_hash(prompt))
        if query is None:
            return None
        candidates = [(i, p, known[h]) for i, p, h, _ in rows if h in known]
        ranked = _ranked(query, candidates, threshold)[:MAX_GUARDED]
        words = {w for _, _, p in ranked for w in content_words(p)} - set(content_words(prompt))
        vectors.update(await self._vectors({_prompt_hash(w): w for w in words}))

        vectors.update({h: v for h, v in known.items() if h not in vectors})

        def similar(x: str, y: str) -> float:  # two words, or the two whole prompts
            vx, vy = vectors.get(_prompt_hash(x)), vectors.get(_prompt_hash(y))
            return 0.0 if vx is None or vy is None else _cosine(vx, vy)

        for similarity, cache_id, cached_prompt in ranked:
            why = self._guard(prompt, cached_prompt, similar)
            if why is not None:
                log.debug("cache near miss (%.3f) %r ~ %r: %s", similarity, prompt, cached_prompt, why)
                continue
            async with self._db.execute(
                f"SELECT {_HIT_COLUMNS} FROM response_cache WHERE id = ?", (cache_id,)
            ) as cur:
                row = await cur.fetchone()
            if row is not None:
                return _hit(row, "semantic", round(similarity, 4))
        return None

    async def _vectors(self, texts: dict[str, str]) -> dict[str, bytes]:
        """The vectors of `texts` (hash -> text): stored ones read, the others (at most BACKFILL)
        embedded in one worker call and kept."""
        stored: dict[str, bytes] = {}
        hashes = list(texts)
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            async with self._db.execute(
                f"SELECT content_hash, vector FROM embeddings WHERE model = ? "
                f"AND content_hash IN ({','.join('?' * len(part))})",
                (self.model, *part),
            ) as cur:
                stored.update({str(r[0]): bytes(r[1]) for r in await cur.fetchall()})
        wanted = {h: t for h, t in texts.items() if h not in stored}
        if wanted:
            stored.update(await self._embed_and_keep(dict(list(wanted.items())[:BACKFILL])))
        return stored

    async def _missing(self, texts: dict[str, str]) -> dict[str, str]:
        """The texts (hash -> text) that have no stored vector yet."""
        have = await self._vectors_only_stored(list(texts))
        return {h: t for h, t in texts.items() if h not in have}

    async def _vectors_only_stored(self, hashes: list[str]) -> set[str]:
        if not hashes:
            return set()
        async with self._db.execute(
            f"SELECT content_hash FROM embeddings WHERE model = ? "
            f"AND content_hash IN ({','.join('?' * len(hashes))})",
            (self.model, *hashes),
        ) as cur:
            return {str(r[0]) for r in await cur.fetchall()}

    async def _embed_and_keep(self, texts: dict[str, str]) -> dict[str, bytes]:
        """Embed texts (hash -> text) and store their vectors; {} when the worker cannot answer in time."""
        if not texts:
            return {}
        hashes = list(texts)
        try:
            vectors = await asyncio.wait_for(
                self._embeddings.embed([texts[h] for h in hashes]), EMBED_TIMEOUT_S
            )
        except TimeoutError:
            log.debug("embedding worker slower than %.2fs; no semantic cache hit", EMBED_TIMEOUT_S)
            return {}
        except (SmartRouterError, OSError, ValueError) as exc:  # the semantic path is optional
            log.info("response cache: no vector (%s: %s)", type(exc).__name__, exc)
            return {}
        blobs = {h: _blob(v) for h, v in zip(hashes, vectors, strict=True)}
        stamp = self._now().isoformat()
        async with transaction(self._db) as tx:
            await tx.executemany(
                "INSERT OR IGNORE INTO embeddings (content_hash, model, dim, vector, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(h, self.model, len(b) // 4, b, stamp) for h, b in blobs.items()],
            )
        return blobs


def _ranked(
    query: bytes, candidates: Sequence[tuple[int, str, bytes]], threshold: float
) -> list[tuple[float, int, str]]:
    """(similarity, id, prompt) of the candidates at or above `threshold`, most similar first."""
    import numpy as np  # lazily: only a semantic lookup pays for numpy, never the idle sidecar

    same = [c for c in candidates if len(c[2]) == len(query)]
    if not same:
        return []
    matrix = np.frombuffer(b"".join(c[2] for c in same), dtype="<f4").reshape(len(same), -1)
    scores = matrix @ np.frombuffer(query, dtype="<f4")
    order = np.argsort(-scores, kind="stable")
    return [
        (float(scores[i]), same[i][0], same[i][1]) for i in order.tolist() if float(scores[i]) >= threshold
    ]


def _cosine(x: bytes, y: bytes) -> float:
    """Cosine of two L2-normalised float32 blobs (their dot product)."""
    import numpy as np  # lazily, as in `_ranked`

    if len(x) != len(y):
        return 0.0
    return float(np.frombuffer(x, dtype="<f4") @ np.frombuffer(y, dtype="<f4"))


def _blob(vector: Any) -> bytes:
    """A vector as the database keeps it: little-endian float32 bytes."""
    if isinstance(vector, bytes | bytearray | memoryview):
        return bytes(vector)
    floats = array("f", (float(x) for x in vector))
    if sys.byteorder == "big":  # pragma: no cover
        floats.byteswap()
    return floats.tobytes()


def _hit(row: Any, kind: Literal["exact", "semantic"], similarity: float) -> CacheHit:
    return CacheHit(
        cache_id=int(row[0]),
        kind=kind,
        similarity=similarity,
        prompt=str(row[1]),
        answer=str(row[2]),
        model=str(row[3]),
        provider=str(row[4]),
        asked_at=str(row[5]),
        cost_micro_usd=int(row[6]),
    )
