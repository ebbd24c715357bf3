"""A real TCP server on 127.0.0.1 that answers each path the way a broken or hostile server would.

Each behaviour writes raw bytes to the socket, so that the answers can break HTTP itself (a bad
status line, a broken chunked body, a 70 kB header line, one byte a second, another protocol).
"""

from __future__ import annotations

import functools
import gzip
import socket
import socketserver
import threading

GOOD_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Good news</title>
<item><title>Summit in Budapest postponed</title><link>https://news.example/{slug}/1</link>
<guid>{slug}-1</guid><pubDate>Tue, 21 Oct 2025 09:00:00 GMT</pubDate>
<description>Kremlin spokesman Dmitry Peskov said on Tuesday that the summit between Donald Trump
and Vladimir Putin in Budapest was postponed.</description></item>
<item><title>Ministers meet in Riyadh</title><link>https://news.example/{slug}/2</link>
<guid>{slug}-2</guid><pubDate>Wed, 22 Oct 2025 09:00:00 GMT</pubDate>
<description>Foreign ministers from Russia and the United States met in Riyadh on Wednesday to
prepare a summit.</description></item>
</channel></rss>"""


def good_feed(slug: str = "good") -> bytes:
    return GOOD_FEED.format(slug=slug).encode()


def _response(body: bytes, *headers: str, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", "Content-Type: application/rss+xml", f"Content-Length: {len(body)}",
            "Connection: close", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


@functools.cache
def _bomb() -> bytes:
    """200 MB of zeros in 200 kB of gzip."""
    return gzip.compress(b"\0" * 200_000_000, 9)


def _drip(connection: socket.socket, stop: threading.Event) -> None:
    """A valid start, then one byte a second, for ever."""
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
    while not stop.is_set():
        connection.sendall(b"X")
        stop.wait(1.0)


def _endless(connection: socket.socket, stop: threading.Event) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss>")
    while not stop.is_set():
        connection.sendall(b"<item>" * 8192)


BEHAVIOURS = {
    "/good.rss": lambda c, s: c.sendall(_response(good_feed())),
    "/same-items.rss": lambda c, s: c.sendall(_response(good_feed())),
    "/bad-status.rss": lambda c, s: c.sendall(b"HTTP/1.1 OK-ish but not a status\r\n\r\n" + good_feed()),
    "/broken-chunks.rss": lambda c, s: c.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n<rss>\r\n"),
    "/many-headers.rss": lambda c, s: c.sendall(_response(good_feed("many"), *(f"X-H{n}: {n}" for n in range(150)))),
    "/long-header.rss": lambda c, s: c.sendall(_response(good_feed(), "X-Long: " + "a" * 70_000)),
    "/first-304.rss": lambda c, s: c.sendall(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"),
    "/gzip-bomb.rss": lambda c, s: c.sendall(_response(_bomb(), "Content-Encoding: gzip")),
    "/drip.rss": _drip,
    "/endless.rss": _endless,
}


class HostileServer:
    """`url(path)` for each behaviour; `other_protocol_url` speaks SSH, not HTTP."""

    def __init__(self):
        self.stop = threading.Event()
        stop = self.stop

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(5)
                try:
                    head = b""
                    while b"\r\n\r\n" not in head and len(head) < 65536:
                        chunk = self.request.recv(4096)
                        if not chunk:
                            return
                        head += chunk
                    path = head.split(b" ", 2)[1].decode() if head.count(b" ") >= 2 else "/"
                    BEHAVIOURS.get(path, lambda c, s: c.sendall(_response(b"", status="404 Not Found")))(
                        self.request, stop)
                except OSError:
                    pass  # the client gave up: that is the point

        class SshHandler(socketserver.BaseRequestHandler):
            def handle(self):
                try:
                    self.request.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
                    stop.wait(30)
                except OSError:
                    pass

        self.servers = [socketserver.ThreadingTCPServer(("127.0.0.1", 0), h) for h in (Handler, SshHandler)]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.servers[0].server_address[1]}{path}"

    @property
    def other_protocol_url(self) -> str:
        return f"http://127.0.0.1:{self.servers[1].server_address[1]}/feed.rss"

    def close(self) -> None:
        self.stop.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
