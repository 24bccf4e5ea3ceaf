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
    # 4: context. Conversations and their messages; context entries (chunks of documents,
    # selections asked about, pinned notes, past messages) with a full-text index for lexical
    # ranking, kept in step by the store (no triggers); one embedding per distinct text and
    # embedding model; the response cache and the files each cached answer drew on.
    """
    CREATE TABLE conversations (
        id          TEXT PRIMARY KEY,  -- uuid4 hex
        title       TEXT NOT NULL,
        workspace   TEXT,
        created_at  TEXT NOT NULL,     -- UTC, ISO 8601
        updated_at  TEXT NOT NULL,
        forked_from TEXT REFERENCES conversations (id) ON DELETE SET NULL,
        fork_seq    INTEGER            -- the last message of forked_from copied into this one
    );
    CREATE INDEX conversations_updated ON conversations (updated_at);
    CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,  -- 1, 2, ... within the conversation
        ts              TEXT    NOT NULL,
        role            TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
        content         TEXT    NOT NULL,
        model           TEXT,              -- assistant: the model that answered
        provider        TEXT,
        intent          TEXT,
        cost_micro_usd  INTEGER NOT NULL DEFAULT 0 CHECK (cost_micro_usd >= 0),
        cached          INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
        request_id      TEXT,
        context_json    TEXT,              -- assistant: the context items that went in, JSON
        UNIQUE (conversation_id, seq)
    );
    CREATE TABLE context_entries (
        id              INTEGER PRIMARY KEY,
        kind            TEXT    NOT NULL CHECK (kind IN ('document', 'selection', 'note', 'message')),
        workspace       TEXT,
        uri             TEXT,              -- the file's URI (document, selection), else NULL
        label           TEXT    NOT NULL,  -- symbol or line range, note title, 'you' / model
        start_line      INTEGER,           -- 0-based, inclusive
        end_line        INTEGER,
        text            TEXT    NOT NULL,
        content_hash    TEXT    NOT NULL,  -- sha256 hex of text: the key of its embedding
        tokens          INTEGER NOT NULL,  -- cl100k count
        conversation_id TEXT REFERENCES conversations (id) ON DELETE CASCADE,  -- kind 'message'
        created_at      TEXT    NOT NULL,
        used_at         TEXT,              -- the last ask it went into
        uses            INTEGER NOT NULL DEFAULT 0,
        value           REAL    NOT NULL DEFAULT 0,  -- mean relevance when used (for eviction)
        pinned          INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
    );
    CREATE INDEX context_uri ON context_entries (uri);
    CREATE INDEX context_hash ON context_entries (content_hash);
    CREATE INDEX context_created ON context_entries (created_at);
    CREATE INDEX context_conversation ON context_entries (conversation_id);
    CREATE VIRTUAL TABLE context_fts USING fts5 (
        text, content='context_entries', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TABLE embeddings (
        content_hash TEXT    NOT NULL,
        model        TEXT    NOT NULL,  -- the embedding model (its path, or 'all-MiniLM-L6-v2')
        dim          INTEGER NOT NULL,
        vector       BLOB    NOT NULL,  -- float32 little-endian, L2-normalised
        created_at   TEXT    NOT NULL,
        PRIMARY KEY (content_hash, model)
    ) WITHOUT ROWID;
    CREATE TABLE response_cache (
        id              INTEGER PRIMARY KEY,
        ts              TEXT    NOT NULL,
        prompt          TEXT    NOT NULL,
        prompt_key      TEXT    NOT NULL,  -- sha256 of the normalised prompt: exact hits
        prompt_hash     TEXT    NOT NULL,  -- sha256 of the prompt: its embedding's key
        intent          TEXT,
        tier            TEXT    NOT NULL,
        fingerprint     TEXT    NOT NULL,  -- what the context that went in was
        workspace       TEXT,
        model           TEXT    NOT NULL,
        provider        TEXT    NOT NULL,
        answer          TEXT    NOT NULL,
        cost_micro_usd  INTEGER NOT NULL CHECK (cost_micro_usd >= 0),  -- of the original answer
        hits            INTEGER NOT NULL DEFAULT 0,
        hit_at          TEXT,
        saved_micro_usd INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX response_cache_key ON response_cache (prompt_key, intent, tier, fingerprint);
    CREATE TABLE response_cache_files (
        cache_id     INTEGER NOT NULL REFERENCES response_cache (id) ON DELETE CASCADE,
        uri          TEXT    NOT NULL,
        content_hash TEXT    NOT NULL,  -- of the file when the answer was made
        PRIMARY KEY (cache_id, uri)
    ) WITHOUT ROWID;
    CREATE INDEX response_cache_files_uri ON response_cache_files (uri);
    """,
)
