"""Real ``tka-registry serve`` processes for the operations tests (issue 16)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

SECRET_KEY = "operations-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tka_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a registry process: its database, its own data directory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return os.environ | {
        "TKA_DATABASE_URL": database_url,
        "TKA_SECRET_KEY": SECRET_KEY,
        "TKA_DATA_DIR": str(data_dir),
        **extra,
    }


def tka(
    env: dict[str, str], *arguments: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the ``tka-registry`` command to its end (``timeout`` seconds at most)."""
    return subprocess.run(
        [sys.executable, "-m", "tka_registry.cli", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def serving(env: dict[str, str], *arguments: str, log: Path | None = None) -> Iterator[str]:
    """A ``serve`` process on a free port until the block ends; yields its base URL."""
    port = free_port()
    output = open(log or os.devnull, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tka_registry.cli", "serve", "--port", str(port), *arguments],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/health", timeout=2).status_code in (200, 503):
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("serve did not answer /health within 240 s")
            time.sleep(0.2)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
