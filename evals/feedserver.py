"""A real HTTP server on 127.0.0.1 that serves feed files, for tests and the robustness run.

Routes are set per path: a file to serve (with ETag and Last-Modified, answering conditional GETs
with 304, gzip when asked), an HTTP status, a delay, or a redirect. The test changes them while the
server runs. It binds to 127.0.0.1 on a free port and stops with `close()`.
"""

from __future__ import annotations

import dataclasses
import email.utils
import gzip
import hashlib
import http.server
import pathlib
import sys
import threading
import time


@dataclasses.dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0
    redirect: str | None = None
    content_type: str = "application/rss+xml"
    modified: float = dataclasses.field(default_factory=time.time)


class FeedServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        # Per Host header: (path, start, end) of each request, and the most requests open at once.
        self.visits: dict[str, list[tuple[str, float, float]]] = {}
        self.most_open: dict[str, int] = {}
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                host, started = self.headers.get("Host", ""), time.monotonic()
                with server._lock:
                    server._open[host] = server._open.get(host, 0) + 1
                    server.most_open[host] = max(server.most_open.get(host, 0), server._open[host])
                try:
                    self.answer()
                finally:
                    with server._lock:
                        server._open[host] -= 1
                        server.visits.setdefault(host, []).append((self.path, started, time.monotonic()))

            def answer(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.redirect:
                    self.send_response(302)
                    self.send_header("Location", route.redirect)
                    self.end_headers()
                    return
                if route.status != 200:
                    self.send_error(route.status)
                    return
                etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(route.modified, usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                body = route.body
                zipped = "gzip" in self.headers.get("Accept-Encoding", "")
                if zipped:
                    body = gzip.compress(body)
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                if zipped:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up is no news
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes | str | pathlib.Path, **options) -> str:
        if isinstance(body, pathlib.Path):
            body = body.read_bytes()
        elif isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
