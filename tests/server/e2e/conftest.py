"""Fixtures: the fake provider, and real sidecar processes driven by a real LSP client."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, make_test_lsp_client

from fakes.provider import FakeProvider
from support.sidecar import KEY, NOTIFICATIONS, Sidecar, SidecarFactory


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def start_sidecar(fake: FakeProvider, user_env: Path) -> AsyncIterator[SidecarFactory]:
    """Starts sidecar processes; each is shut down at the end of the test."""
    started: list[Sidecar] = []

    async def start(
        settings: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
        key: str | None = KEY,
    ) -> Sidecar:
        process_env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(user_env),
            "XDG_DATA_HOME": str(user_env / "data"),
            "XDG_CONFIG_HOME": str(user_env / "config"),
            "SMART_ROUTER_DB": str(user_env / "smart-router.db"),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            **({"OPENAI_API_KEY": key} if key else {}),
            **(env or {}),
        }
        client = make_test_lsp_client()
        sidecar = Sidecar(client, process_env)
        for method in NOTIFICATIONS:
            client.feature(method)(lambda params, m=method: sidecar.record(m, params))
        config = ClientServerConfig(
            server_command=[sys.executable, "-m", "smart_router"], server_env=process_env
        )
        await client.start_io(*config.get_server_command(), env=process_env)
        options = {
            "settings": {
                "providers": {"openai": {"baseUrl": fake.base_url}},
                "defaultModel": "gpt-4o-mini",
                "requestTimeoutSeconds": 15,
                # the embedding worker loads torch for seconds: only the tests about it turn it on
                "embeddingModel": "off",
                **(settings or {}),
            }
        }
        initialized = await client.initialize_session(
            types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options=options)
        )
        sidecar.server_capabilities = initialized.capabilities
        started.append(sidecar)
        return sidecar

    yield start
    for sidecar in started:
        await sidecar.client.shutdown_session()
        await sidecar.client.stop()
