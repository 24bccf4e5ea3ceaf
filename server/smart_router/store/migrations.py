"""Numbered schema migrations. Append only: a released migration never changes.

`PRAGMA user_version` holds the number of the last migration applied.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    # 1: the ledger, one row per provider call attempt.
    """
    CREATE TABLE ledger (
        id              INTEGER PRIMARY KEY,
        ts              TEXT    NOT NULL,  -- UTC, ISO 8601
        local_day       TEXT    NOT NULL,  -- the user's calendar day, YYYY-MM-DD
        request_id      TEXT,
        workspace       TEXT,
        model           TEXT    NOT NULL,
        provider        TEXT    NOT NULL,
        intent          TEXT,
        input_tokens    INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens   INTEGER NOT NULL CHECK (output_tokens >= 0),
        cost_micro_usd  INTEGER NOT NULL CHECK (cost_micro_usd >= 0),
        usage_estimated INTEGER NOT NULL CHECK (usage_estimated IN (0, 1)),
        latency_ms      REAL,
        ttft_ms         REAL,
        status          TEXT    NOT NULL CHECK (status IN ('ok', 'error', 'cancelled')),
        error_kind      TEXT
    );
    CREATE INDEX ledger_day ON ledger (local_day);
    """,
)
