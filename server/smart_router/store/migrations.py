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
    # 2: budgets. Reservations held by asks in flight; alerts already fired (once per budget,
    # period and threshold); covering indexes for the sums a reservation checks.
    """
    ALTER TABLE ledger ADD COLUMN workspace_name TEXT;  -- last part of `workspace`, for budgets by name
    DROP INDEX ledger_day;
    CREATE INDEX ledger_day_cost ON ledger (local_day, cost_micro_usd);
    CREATE INDEX ledger_ws_day_cost ON ledger (workspace, local_day, cost_micro_usd);
    CREATE INDEX ledger_wsname_day_cost ON ledger (workspace_name, local_day, cost_micro_usd);
    CREATE INDEX ledger_ts_cost ON ledger (ts, cost_micro_usd);
    CREATE TABLE reservations (
        id               INTEGER PRIMARY KEY,
        request_id       TEXT,
        workspace        TEXT,
        workspace_name   TEXT,
        model            TEXT    NOT NULL,
        amount_micro_usd INTEGER NOT NULL CHECK (amount_micro_usd >= 0),
        owner            TEXT    NOT NULL,  -- 'pid:start': the process holding it
        created_at       TEXT    NOT NULL,  -- UTC, ISO 8601
        expires_at       TEXT    NOT NULL   -- UTC, ISO 8601: ignored and deleted after this
    );
    CREATE INDEX reservations_expiry ON reservations (expires_at);
    CREATE TABLE budget_alerts (
        budget    TEXT    NOT NULL,  -- daily | monthly | perRequest
        scope     TEXT    NOT NULL,  -- '' for global, else the workspace key
        period    TEXT    NOT NULL,  -- YYYY-MM-DD or YYYY-MM (the budget's period)
        threshold INTEGER NOT NULL,
        fired_at  TEXT    NOT NULL,
        PRIMARY KEY (budget, scope, period, threshold)
    ) WITHOUT ROWID;
    """,
    # 3: arena. Battles (who answered which prompt), the user's vote on each, and every vote
    # expanded into pairwise outcomes (what the Bradley-Terry ratings are fitted on).
    """
    CREATE TABLE arena_battles (
        id          TEXT PRIMARY KEY,  -- the runner's battle id
        ts          TEXT NOT NULL,     -- UTC, ISO 8601
        prompt_hash TEXT NOT NULL,     -- sha256 of the prompt, hex (the prompt is not kept)
        intent      TEXT,
        members     TEXT NOT NULL      -- JSON array of model ids, in column order
    );
    CREATE INDEX arena_battles_intent ON arena_battles (intent);
    CREATE TABLE arena_votes (
        battle_id TEXT PRIMARY KEY REFERENCES arena_battles (id) ON DELETE CASCADE,
        ts        TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('left', 'right', 'tie', 'all_bad', 'pick')),
        winner    TEXT              -- the chosen model of a 'pick'
    );
    CREATE TABLE arena_outcomes (
        battle_id TEXT NOT NULL REFERENCES arena_votes (battle_id) ON DELETE CASCADE,
        model_a   TEXT NOT NULL,
        model_b   TEXT NOT NULL,
        score     REAL NOT NULL CHECK (score IN (0, 0.5, 1)),  -- for model_a: 1 won, 0.5 tie, 0 lost
        PRIMARY KEY (battle_id, model_a, model_b)
    ) WITHOUT ROWID;
    """,
)
