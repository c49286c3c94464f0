"""Serve the registry for browser tests: ``python -m tests.browser.serve PORT``.

Runs in its own process (its own event loop and connection pool) on the database named by
``TKA_DATABASE_URL``, with the tests' fixed clock, so pages agree with data the tests seed.
"""

from __future__ import annotations

import sys

import uvicorn

from tests.conftest import NOW
from tka_registry.app import create_app
from tka_registry.settings import load_settings


def main() -> None:
    port = int(sys.argv[1])
    app = create_app(load_settings(), clock=lambda: NOW)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
