"""What the arena's LSP tests share: a sidecar whose OpenAI and Anthropic providers are the fake
(Ollama off), and the count of budget reservations still held."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from fakes.provider import FakeProvider
from support.sidecar import KEY, Sidecar, SidecarFactory

__all__ = ["held", "start_arena_sidecar"]


async def start_arena_sidecar(start_sidecar: SidecarFactory, fake: FakeProvider, **settings: Any) -> Sidecar:
    return await start_sidecar(
        {
            "providers": {
                "openai": {"baseUrl": fake.base_url},
                "anthropic": {"baseUrl": fake.anthropic_base_url},
                "ollama": {"enabled": False},
            },
            **settings,
        },
        env={"ANTHROPIC_API_KEY": KEY},
    )


def held(user_env: Path) -> int:
    """Budget reservations still in the database (0 once every call has settled)."""
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM reservations").fetchone()[0])
