"""`smartRouter/contextSearch` through the real sidecar and a real LSP client: documents opened
with didOpen become searchable project context, ranked by keywords while the embedding model is
off, with the file as a path, the lines and the reasons; other workspaces come after; bad
parameters are refused with a message."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from smart_router import protocol_context as wire
from support.sidecar import Sidecar, SidecarFactory

BILLING = '''"""Invoices."""


def invoice_total(lines, discount):
    """Sum the invoice lines and apply the customer's discount."""
    total = sum(line.price * line.quantity for line in lines)
    return total * (1 - discount)


def send_reminder(customer):
    """Email a customer whose invoice is overdue."""
    mailer.send(customer.email, "Your invoice is overdue")
    return True
'''

WEATHER = '''def forecast_rain(city):
    """Chance of rain tomorrow for a city."""
    data = fetch_weather(city)
    return data["rain_probability"]
'''


def _open(sidecar: Sidecar, uri: str, text: str, language: str = "python") -> None:
    sidecar.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


async def _search_until(sidecar: Sidecar, params: dict[str, Any], found: int) -> dict[str, Any]:
    for _ in range(100):
        result: dict[str, Any] = await sidecar.request(wire.CONTEXT_SEARCH, params)
        if len(result["items"]) >= found:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"contextSearch never found {found} item(s): {result}")


async def test_opened_documents_are_found_by_keywords(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    _open(sidecar, "file:///proj/billing.py", BILLING)
    _open(sidecar, "file:///other/weather.py", WEATHER)

    result = await _search_until(sidecar, {"query": "invoice discount total", "workspace": "/proj"}, 1)
    assert result["mode"] == "lexical"  # the embedding model is off in these tests
    top = result["items"][0]
    assert top["kind"] == "document" and top["file"] == "/proj/billing.py"
    assert "invoice_total" in top["label"]
    assert top["startLine"] is not None and top["endLine"] >= top["startLine"]
    assert top["reasons"][0].startswith("matched words: ") and "invoice" in top["reasons"][0]
    assert top["tokens"] > 0 and top["preview"] in BILLING
    assert all("weather" not in (i["file"] or "") for i in result["items"])

    rain = await _search_until(sidecar, {"query": "rain forecast", "file": "/other/weather.py"}, 1)
    assert rain["items"][0]["file"] == "/other/weather.py" and "same file" in rain["items"][0]["reasons"]

    limited = await sidecar.request(wire.CONTEXT_SEARCH, {"query": "invoice customer", "limit": 1})
    assert len(limited["items"]) == 1


async def test_bad_search_parameters_are_refused(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    with pytest.raises(JsonRpcException) as refused:
        await sidecar.request(wire.CONTEXT_SEARCH, {"query": "", "limit": 0})
    assert "Invalid request parameters" in str(refused.value)
    empty = await sidecar.request(wire.CONTEXT_SEARCH, {"query": "nothing stored yet"})
    assert empty == {"mode": "lexical", "items": []}
