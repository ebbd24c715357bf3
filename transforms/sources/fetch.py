"""One fetcher for everything newsbeam downloads: a total deadline per request, errors as reasons.

httpx's async client, run inside the calling DoFn, fetches many URLs at once (at most
`concurrency` together; keep-alive connections shared within one call). `timeout` bounds the whole
request, connect, headers, redirects and body together, so a server that drips one byte a second
costs `timeout` and no more. Every failure, whatever the layer that raised it (a malformed status
line, a broken chunked body, an oversized header, a bad port, a refused connection), becomes a
FetchError with a one-line reason. Per URL it keeps ETag and Last-Modified for conditional GETs,
honours Retry-After and backs off after errors. Credentials in a URL are used, never shown:
`redact` is applied to every URL a record or a message carries.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import email.utils
import os
import re
import stat
import time
import urllib.parse
import zlib

_PACED = contextvars.ContextVar("paced", default=False)  # this task's next request has waited its turn
USER_AGENT = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam; news ingestion)"
LOCAL_SCHEME = "file://"


@dataclasses.dataclass(frozen=True)
class FetchOptions:
    timeout: float = 10.0  # seconds for the whole request: connect, headers, redirects, body
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    max_backoff: float = 3600.0
    concurrency: int = 16
    per_host: int = 2  # connections open to one host at once
    host_delay: float = 0.0  # seconds between the starts of two requests to one host
    robots: bool = False  # ask each host's robots.txt first (article pages; a feed is meant to be polled)
    contact: str | None = None  # a URL or address for site operators, in the User-Agent

    @property
    def user_agent(self) -> str:
        return USER_AGENT if not self.contact else USER_AGENT.replace("; news ingestion", f"; {self.contact}")


@dataclasses.dataclass
class UrlState:
    """What a worker remembers of a URL between fetches."""

    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    retry_after: float = 0.0


class FetchError(Exception):
    pass


def redact(url: str) -> str:
    """The URL without `user:password@`, for anything stored or printed."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def normalise_url(url: str) -> str:
    """One spelling per address: scheme and host lower case, default port and fragment dropped."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urllib.parse.urlunsplit((scheme, userinfo + host, parts.path or "/", parts.query, ""))


_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$", re.I)


def page_identity(url: str) -> str:
    """One spelling per article page: `normalise_url`, tracking parameters (utm_*, fbclid, ...) removed."""
    parts = urllib.parse.urlsplit(normalise_url(url))
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _host(url: str) -> str:
    try:
        return (urllib.parse.urlsplit(url).netloc.rsplit("@", 1)[-1]).lower()
    except ValueError:
        return ""


def is_web_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


def read_local(path: str, limit: int) -> bytes:
    """A regular file's first `limit` bytes; a FIFO, socket or device is refused without blocking."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise FetchError(f"cannot read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FetchError("not a regular file")
        body = handle.read(limit + 1)
    if len(body) > limit:
        raise FetchError(f"larger than {limit} bytes")
    return body


class Fetcher:
    """Fetches URLs (and local files named by `file://`) with per-URL state; one per worker."""

    def __init__(self, options: FetchOptions = FetchOptions()):
        self.options = options
        self.states: dict[str, UrlState] = {}
        self.robots: dict[str, object] = {}  # host -> its parsed robots.txt (None: no rules)
        self.next_start: dict[str, float] = {}  # host -> when a request may start (time.monotonic())
        self.last_sent: dict[str, float] = {}  # host -> when its last request actually went out

    def fetch(self, url: str, now: float | None = None) -> bytes | None:
        """The body; None when unchanged (304) or backing off; FetchError when it fails."""
        ((_, result),) = self.fetch_all([url], now)
        if isinstance(result, FetchError):
            raise result
        return result

    def fetch_all(self, urls: list[str], now: float | None = None) -> list[tuple[str, bytes | None | FetchError]]:
        """Every URL at once, in the given order: (url, body, None or the FetchError)."""
        now = time.monotonic() if now is None else now
        return asyncio.run(self._fetch_all(urls, now))

    async def _fetch_all(self, urls: list[str], now: float):
        import httpx

        limit = asyncio.Semaphore(max(1, self.options.concurrency))
        slots: dict[str, asyncio.Semaphore] = {}
        pacing: dict[str, asyncio.Lock] = {}
        robots_asked: dict[str, asyncio.Future] = {}  # one robots.txt request per host, shared by its pages

        async def wait_turn(host: str) -> None:
            """Requests to one host start `host_delay` apart."""
            async with pacing.setdefault(host, asyncio.Lock()):
                wait = self.next_start.get(host, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start[host] = time.monotonic() + self.options.host_delay

        sending: dict[str, asyncio.Lock] = {}

        async def pace(request) -> None:
            """httpx's hook before every request: a redirect's next hop waits its turn too (inside the
            request's deadline); the first hop has waited already, outside it. A request held up between
            its turn and its send (a busy worker) would reach the host too soon after the one before;
            the send itself keeps `host_delay` after the last one sent."""
            host = _host(str(request.url))
            if _PACED.get():
                _PACED.set(False)
            elif self.options.host_delay > 0:
                await wait_turn(host)
            if self.options.host_delay > 0:
                async with sending.setdefault(host, asyncio.Lock()):
                    wait = self.last_sent.get(host, float("-inf")) + self.options.host_delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self.last_sent[host] = time.monotonic()
                    self.next_start[host] = max(self.next_start.get(host, 0.0),
                                                self.last_sent[host] + self.options.host_delay)

        async with httpx.AsyncClient(
            follow_redirects=True, max_redirects=self.options.max_redirects, timeout=self.options.timeout,
            headers={"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip"},
            limits=httpx.Limits(max_connections=self.options.concurrency,
                                max_keepalive_connections=self.options.concurrency),
            event_hooks={"request": [pace]},
        ) as client:
            async def polite(host: str, request):
                """At most `per_host` requests open to one host, starting `host_delay` apart; a request
                waiting for its host's turn holds none of the `concurrency` slots other hosts could use."""
                async with slots.setdefault(host, asyncio.Semaphore(max(1, self.options.per_host))):
                    if self.options.host_delay > 0:
                        await wait_turn(host)
                    async with limit:
                        _PACED.set(True)
                        return await request()

            async def one(url: str):
                host = _host(url)
                if self.options.robots and is_web_url(url):
                    if host not in self.robots and host not in robots_asked:
                        robots_asked[host] = asyncio.ensure_future(polite(host, lambda: self._robots(client, url)))
                    rules = self.robots[host] if host in self.robots else await robots_asked[host]
                    self.robots.setdefault(host, rules)
                    if isinstance(rules, FetchError):
                        self.robots.pop(host, None)  # asked again next time
                        return url, FetchError(f"robots.txt unavailable, page not fetched ({rules})")
                    if rules is not None and not rules.can_fetch(self.options.user_agent, url):
                        return url, FetchError("disallowed by the site's robots.txt")
                return url, await polite(host, lambda: self._fetch_one(client, url, now))

            return await asyncio.gather(*(one(url) for url in urls))

    async def _robots(self, client, url: str):
        """The host's robots.txt parsed; None when it has none (4xx); a FetchError when it cannot be read."""
        import urllib.robotparser

        parts = urllib.parse.urlsplit(url)
        robots = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            async with asyncio.timeout(self.options.timeout):
                response = await client.get(robots)
        except Exception as error:  # noqa: BLE001 - any failure: the host's pages wait for a readable answer
            return FetchError(describe(error))
        if 400 <= response.status_code < 500:
            return None
        if response.status_code != 200:
            return FetchError(f"HTTP {response.status_code}")
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(response.text[:500_000].splitlines())
        return rules

    async def _fetch_one(self, client, url: str, now: float) -> bytes | None | FetchError:
        state = self.states.setdefault(normalise_url(url), UrlState())
        if now < state.retry_after:
            return None
        try:
            if url.startswith(LOCAL_SCHEME):
                body = read_local(url.removeprefix(LOCAL_SCHEME), self.options.max_bytes)
            else:
                async with asyncio.timeout(self.options.timeout):
                    body = await self._get(client, url, state)
        except TimeoutError:
            error = FetchError(f"fetch failed: no complete answer within {self.options.timeout:g}s")
        except FetchError as failed:
            error = failed
        except Exception as failed:  # noqa: BLE001 - any layer's failure is this URL's, with its reason
            error = FetchError(f"fetch failed: {describe(failed)}")
        else:
            state.failures, state.retry_after = 0, 0.0
            return body
        state.failures += 1
        state.retry_after = max(state.retry_after, now + min(self.options.max_backoff, 2 ** state.failures))
        return error

    async def _get(self, client, url: str, state: UrlState) -> bytes | None:
        if not is_web_url(url):
            raise FetchError("not an http(s) URL")
        try:
            urllib.parse.urlsplit(url).port  # noqa: B018 - raises on a port that is no port
        except ValueError as error:
            raise FetchError(f"invalid URL: {error}") from None
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.modified:
            headers["If-Modified-Since"] = state.modified
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                if not headers:
                    raise FetchError("HTTP 304 Not Modified to a request that was not conditional")
                return None
            if response.status_code >= 400:
                state.retry_after = _retry_after(response.headers.get("Retry-After"))
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}: no body to read".rstrip())
            body = bytearray()
            async for chunk in response.aiter_raw():
                body += chunk
                if len(body) > self.options.max_bytes:
                    raise FetchError(f"body larger than {self.options.max_bytes} bytes")
            if response.headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
                body = _gunzip(bytes(body), self.options.max_bytes)
            state.etag = response.headers.get("ETag") or state.etag
            state.modified = response.headers.get("Last-Modified") or state.modified
            return bytes(body)


def describe(error: BaseException) -> str:
    """One line: the error's kind and message, credentials removed."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    message = " ".join(str(error).split()) or type(error).__name__
    words = [redact(word) if "@" in word else word for word in message.split(" ")]
    return f"{type(error).__name__}: {' '.join(words)}"[:300]


def _retry_after(value: str | None) -> float:
    """Retry-After as a time.monotonic() deadline (seconds or an HTTP date); 0 when absent or bad."""
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError):
            return 0.0
    return time.monotonic() + max(0.0, min(seconds, 24 * 3600))


def _gunzip(body: bytes, limit: int) -> bytes:
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit + 1)
    except zlib.error as error:
        raise FetchError(f"bad gzip body: {error}") from None
    if len(out) > limit:
        raise FetchError(f"body larger than {limit} bytes once decompressed")
    return out
