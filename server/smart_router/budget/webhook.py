"""Budget alerts to a Slack-compatible webhook (`{"text": ...}`), in the background.

`post` returns at once: the delivery runs as its own task, retried with exponential backoff
and jitter (tenacity) on connection errors, 429 and 5xx answers, and given up after a few
tries with a warning in the log. It never blocks or fails an ask. The URL is a secret (it
authorises posting to a channel): the log names only its host.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

__all__ = ["Webhook"]

log = logging.getLogger(__name__)


class _TryAgain(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")


class Webhook:
    """Posts alert texts; `close` waits briefly for deliveries in flight, then cancels them."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        attempts: int = 5,
        first_wait_s: float = 1.0,
        max_wait_s: float = 30.0,
        timeout_s: float = 10.0,
    ) -> None:
        self._client = client
        self._attempts = attempts
        self._first_wait_s = first_wait_s
        self._max_wait_s = max_wait_s
        self._timeout = httpx.Timeout(timeout_s)
        self._tasks: set[asyncio.Task[bool]] = set()

    def post(self, url: str, text: str) -> asyncio.Task[bool]:
        """Deliver `text` to `url` in the background; the task's result says whether it arrived."""
        task = asyncio.ensure_future(self._deliver(url, text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _deliver(self, url: str, text: str) -> bool:
        host = urlsplit(url).hostname or "?"
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential_jitter(
                multiplier=self._first_wait_s, max=self._max_wait_s, jitter=self._first_wait_s
            ),
            retry=retry_if_exception_type((httpx.TransportError, _TryAgain)),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._client.post(url, json={"text": text}, timeout=self._timeout)
                    if response.status_code == 429 or response.status_code >= 500:
                        raise _TryAgain(response.status_code)
                    if response.status_code >= 400:
                        log.warning(
                            "budget webhook at %s refused the alert (HTTP %d): check "
                            "smartRouter.budgets.webhookUrl",
                            host,
                            response.status_code,
                        )
                        return False
            return True
        except (httpx.TransportError, _TryAgain) as exc:
            log.warning("budget webhook at %s unreachable after %d tries (%s)", host, self._attempts, exc)
            return False

    async def close(self, wait_s: float = 2.0) -> None:
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=wait_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
