"""The embedded context entries as one in-memory matrix, ranked by cosine with the boosts applied
to all rows at once (numpy).

The index is loaded from SQLite the first time a ranking needs it (entries joined to their
embeddings of the current model), then kept in step by the indexer (`add`, after it stored
vectors) and the store (`remove`, `touch`); changes that arrive while it loads are replayed
after the load. Rows a ranking finds deleted meanwhile (eviction, clear) are dropped when the
caller reports them (`remove`), so the index heals itself. A changed embedding model empties it.

numpy is imported inside the functions that need it, never when the sidecar starts: the index
costs memory only once context is ranked by embeddings (about `dim` x 4 bytes per entry, 1.5 KB
with all-MiniLM-L6-v2, plus some 50 bytes of boost columns).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from smart_router.context.documents import file_key

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["ROWS_SQL", "Focus", "IndexRow", "Ranked", "VectorIndex", "Weights", "epoch"]


def epoch(stamp: str | None) -> float:
    """Seconds since 1970 of a stored ISO 8601 time (0 for none)."""
    return datetime.fromisoformat(stamp).timestamp() if stamp else 0.0


@dataclass(frozen=True, slots=True)
class Weights:
    """How relevance, recency and the boosts combine (see `combine`)."""

    same_file: float
    conversation: float
    pinned: float
    other_workspace: float
    other_workspace_note: float
    recency_floor: float
    half_life_s: float

    def combine(
        self,
        relevance: float,
        *,
        same_file: bool,
        conversation: bool,
        pinned: bool,
        other_workspace: bool,
        note: bool,
        age_s: float,
    ) -> float:
        """(relevance + boosts) x recency x workspace factor. Recency decays from 1 to
        `recency_floor`, halving the difference every `half_life_s`."""
        score = max(0.0, relevance) + self.same_file * same_file + self.conversation * conversation
        score += self.pinned * pinned
        decay = math.pow(0.5, max(0.0, age_s) / self.half_life_s)
        score *= self.recency_floor + (1 - self.recency_floor) * decay
        if other_workspace:
            score *= self.other_workspace_note if note else self.other_workspace
        return score


@dataclass(frozen=True, slots=True)
class Focus:
    """What the ranking favours: the ask's workspace, file and conversation."""

    workspace: str | None
    file: str | None
    """A path or URI (compared with `file_key`)."""
    conversation_id: str | None
    now: float


@dataclass(frozen=True, slots=True)
class IndexRow:
    entry_id: int
    kind: str
    workspace: str | None
    uri: str | None
    conversation_id: str | None
    pinned: bool
    stamp: float
    """The later of created and last used, epoch seconds."""
    vector: bytes


@dataclass(frozen=True, slots=True)
class Ranked:
    entry_id: int
    similarity: float
    score: float
    same_file: bool
    conversation: bool
    other_workspace: bool


ROWS_SQL = (
    "SELECT e.id, e.kind, e.workspace, e.uri, e.conversation_id, e.pinned, "
    "(max(coalesce(julianday(e.created_at), 0), coalesce(julianday(e.used_at), 0)) - 2440587.5) * 86400.0, "
    "v.vector "
    "FROM context_entries e JOIN embeddings v ON v.content_hash = e.content_hash AND v.model = ?"
)
"""The index's columns of the entries that have a vector of a model (one per row)."""


class VectorIndex:
    """Vectors and boost columns of the embedded entries; see the module docstring."""

    def __init__(self, db: aiosqlite.Connection, model: Callable[[], str]) -> None:
        self._db = db
        self._model_of = model
        self.model: str | None = None
        """The embedding model the loaded vectors belong to; None: not loaded."""
        self._lock = asyncio.Lock()
        self._loading = False
        self._backlog: list[Callable[[], None]] = []
        self._n = 0
        self._dead = 0
        self._row_of: dict[int, int] = {}
        self._codes: dict[str | None, int] = {None: -1}
        self._cols: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self._row_of)

    @property
    def loaded(self) -> bool:
        return self.model is not None and not self._loading

    def holds(self, entry_id: int) -> bool:
        return entry_id in self._row_of

    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(int(a.nbytes) for a in self._cols.values())

    def reset(self) -> None:
        """Forget everything; the next ranking loads again."""
        self.model = None
        self._n = self._dead = 0
        self._row_of.clear()
        self._cols = {}
        self._backlog.clear()

    async def ensure_loaded(self) -> None:
        """Load the vectors of the current model unless they are loaded."""
        model = self._model_of()
        if self.model == model and not self._loading:
            return
        async with self._lock:
            if self.model == model:
                return
            self.reset()
            self._loading = True
            try:
                async with self._db.execute(ROWS_SQL, (model,)) as cur:
                    rows = [IndexRow(*r) for r in await cur.fetchall()]
                self._loading = False
                self.model = model
                self._append(rows)
                backlog, self._backlog = self._backlog, []
                for change in backlog:
                    change()
            finally:
                self._loading = False

    def add(self, rows: Sequence[IndexRow]) -> None:
        """Add (or replace) rows; before the load they are left to it."""
        if self._loading:
            self._backlog.append(lambda: self.add(rows))
        elif self.model is not None and rows:
            self.remove([r.entry_id for r in rows if r.entry_id in self._row_of])
            self._append(rows)

    def remove(self, ids: Sequence[int]) -> None:
        if self._loading:
            self._backlog.append(lambda: self.remove(ids))
            return
        for entry_id in ids:
            row = self._row_of.pop(entry_id, None)
            if row is not None:
                self._cols["alive"][row] = False
                self._dead += 1
        if self._dead > 1024 and self._dead > self._n // 2:
            self._compact()

    def touch(self, ids: Sequence[int], stamp: float) -> None:
        """These entries were used at `stamp` (recency counts from then)."""
        if self._loading:
            self._backlog.append(lambda: self.touch(ids, stamp))
            return
        for entry_id in ids:
            row = self._row_of.get(entry_id)
            if row is not None:
                self._cols["stamp"][row] = stamp

    def rank(self, query: bytes, focus: Focus, weights: Weights, top: int) -> list[Ranked]:
        """The `top` rows by combined score, best first."""
        import numpy as np

        if not self._row_of:
            return []
        c, n = self._cols, self._n
        q = np.frombuffer(query, dtype="<f4")
        if q.shape[0] != c["vecs"].shape[1]:
            return []
        # einsum, not BLAS's gemv: as fast single-threaded, and no thread pool that a busy
        # machine's other processes would stall
        sims = np.einsum("ij,j->i", c["vecs"][:n], q)
        score = np.maximum(sims, 0.0).astype(np.float64)
        same_file = self._equals("file", file_key(focus.file) if focus.file else None)
        conversation = self._equals("conv", focus.conversation_id)
        if same_file is not None:
            score += weights.same_file * same_file
        if conversation is not None:
            score += weights.conversation * conversation
        score += weights.pinned * c["pinned"][:n]
        age = np.maximum(focus.now - c["stamp"][:n], 0.0)
        score *= weights.recency_floor + (1 - weights.recency_floor) * np.exp2(-age / weights.half_life_s)
        other = None
        if focus.workspace is not None:
            code = self._codes.get(file_key(focus.workspace), -2)
            ws = c["ws"][:n]
            other = (ws != code) & (ws != -1)
            score *= np.where(
                other, np.where(c["note"][:n], weights.other_workspace_note, weights.other_workspace), 1.0
            )
        score[~c["alive"][:n]] = -math.inf
        k = min(top, len(self._row_of))
        best = np.argpartition(-score, k - 1)[:k] if k < n else np.arange(n)
        best = best[np.argsort(-score[best], kind="stable")]
        return [
            Ranked(
                int(c["ids"][i]),
                float(sims[i]),
                float(score[i]),
                bool(same_file[i]) if same_file is not None else False,
                bool(conversation[i]) if conversation is not None else False,
                bool(other[i]) if other is not None else False,
            )
            for i in best
            if score[i] > -math.inf
        ]

    # -- internals ----------------------------------------------------------------------------

    def _code(self, value: str | None) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._codes)
        return code

    def _equals(self, column: str, value: str | None) -> npt.NDArray[np.bool_] | None:
        if value is None:
            return None
        code = self._codes.get(value)
        if code is None:
            return None
        result: npt.NDArray[np.bool_] = self._cols[column][: self._n] == code
        return result

    def _append(self, rows: Sequence[IndexRow]) -> None:
        import numpy as np

        if not rows:
            return
        dim = len(rows[0].vector) // 4
        rows = [r for r in rows if len(r.vector) == dim * 4]
        if not self._cols:
            self._cols = _allocate(np, len(rows) + 256, dim)
        elif self._cols["vecs"].shape[1] != dim:
            return  # vectors of another dimension: a model change the caller resets for
        need = self._n + len(rows)
        if need > len(self._cols["ids"]):
            grown = _allocate(np, max(need + 256, int(len(self._cols["ids"]) * 1.5)), dim)
            for name, array in self._cols.items():
                grown[name][: self._n] = array[: self._n]
            self._cols = grown
        c, at = self._cols, self._n
        end = at + len(rows)
        c["vecs"][at:end] = np.frombuffer(b"".join(r.vector for r in rows), dtype="<f4").reshape(
            len(rows), dim
        )
        c["ids"][at:end] = [r.entry_id for r in rows]
        c["ws"][at:end] = [self._code(file_key(r.workspace)) if r.workspace else -1 for r in rows]
        c["file"][at:end] = [self._code(file_key(r.uri)) if r.uri else -1 for r in rows]
        c["conv"][at:end] = [self._code(r.conversation_id) for r in rows]
        c["note"][at:end] = [r.kind == "note" for r in rows]
        c["pinned"][at:end] = [r.pinned for r in rows]
        c["stamp"][at:end] = [r.stamp for r in rows]
        c["alive"][at:end] = True
        for offset, r in enumerate(rows):
            self._row_of[r.entry_id] = at + offset
        self._n = end

    def _compact(self) -> None:
        import numpy as np

        c, n = self._cols, self._n
        keep = np.flatnonzero(c["alive"][:n])
        fresh = _allocate(np, len(keep) + 256, c["vecs"].shape[1])
        for name, array in c.items():
            fresh[name][: len(keep)] = array[keep]
        self._cols, self._n, self._dead = fresh, len(keep), 0
        self._row_of = {int(entry_id): row for row, entry_id in enumerate(fresh["ids"][: len(keep)])}


def _allocate(np: Any, capacity: int, dim: int) -> dict[str, Any]:
    return {
        "vecs": np.zeros((capacity, dim), dtype=np.float32),
        "ids": np.zeros(capacity, dtype=np.int64),
        "ws": np.full(capacity, -1, dtype=np.int32),
        "file": np.full(capacity, -1, dtype=np.int32),
        "conv": np.full(capacity, -1, dtype=np.int32),
        "note": np.zeros(capacity, dtype=bool),
        "pinned": np.zeros(capacity, dtype=bool),
        "stamp": np.zeros(capacity, dtype=np.float64),
        "alive": np.zeros(capacity, dtype=bool),
    }
