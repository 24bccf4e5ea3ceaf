"""`python -m smart_router`: the LSP sidecar on stdio."""

from __future__ import annotations

import logging
import sys

from smart_router.server import create_server


def main() -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("pygls").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    create_server().start_io()


if __name__ == "__main__":
    main()
