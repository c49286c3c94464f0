"""A keep-alive HTTP/1.1 client that costs the load generator little: one connection, requests
written as bytes, answers parsed by httptools (uvicorn's C parser).

httpx spends 0.7-1.0 ms of CPU on each request of its own (measured: ``bench_workers.py``
prints both clients); on a 2-core machine that is time the server under test does not get, and
latency a ratio against the bare driver should not count.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httptools


@dataclass
class Answer:
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.content[:200]!r}")


class _Parsing:
    """httptools' callbacks for one answer."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.done = False
        self.keep_alive = False
        self.parser = httptools.HttpResponseParser(self)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        # Asked here: once feed_data returns, httptools answers False whatever the headers said,
        # and the client opened a new connection for every request.
        self.keep_alive = self.parser.should_keep_alive()
        self.done = True


class LeanClient:
    """One keep-alive connection to ``base`` (``http://host:port``); reopened if the server
    closes it."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def __aenter__(self) -> LeanClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return await self.request("GET", path, headers)

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method not in ("GET", "HEAD"):
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        parsing = _Parsing()
        parser = parsing.parser
        while not parsing.done:
            chunk = await reader.read(65536)
            if not chunk:
                await self.aclose()
                raise ConnectionError(f"{method} {path}: the server closed the connection")
            parser.feed_data(chunk)
        if not parsing.keep_alive:
            await self.aclose()
        return Answer(parser.get_status_code(), b"".join(parsing.body), parsing.headers)
