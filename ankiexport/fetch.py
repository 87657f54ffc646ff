"""Downloads from the web, within bounds, with httpx.

Only http and https. Every hop of a redirect is checked: a server on a loopback, private, link-local
or otherwise non-public address is refused unless private addresses are allowed (a manifest in a
shared repository must not make CI fetch its internal services), checked against the address
actually connected to as well as the name's. One download has a size cap and a deadline from its
first byte to its last, so a server that drips a byte at a time cannot hold a build, and all of a
build's downloads share one deadline, so thirty silent servers cannot hold it either.

A :class:`Cache` keeps what was fetched on disk, so a rebuild gives the same deck, offline too.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import tempfile
import time
import urllib.parse
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

USER_AGENT = "ankiexport (+https://pypi.org/project/ankiexport/)"
MAX_REDIRECTS = 5
# Downloads run at once per article: enough to overlap slow servers, few enough to be polite.
PARALLEL_DOWNLOADS = 8


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0  # one download, connection to last byte
    max_bytes: int = 5 * 1024 * 1024
    allow_private: bool = False
    build_deadline: float | None = None  # time.time() after which no download of the build goes on
    max_redirects: int = MAX_REDIRECTS


def default_cache_dir() -> Path:
    """Where downloads are kept unless told otherwise: the user's cache folder, as the system names it."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("ankiexport", appauthor=False)) / "downloads"


@dataclass(frozen=True)
class WebOptions:
    """Articles given as URLs: the page's bounds, and where downloads are kept."""

    seconds: float = 20.0  # one page, connection to last byte
    max_bytes: int = 10 * 1024 * 1024  # far above a long article's HTML without inline images
    max_redirects: int = MAX_REDIRECTS  # pages and images
    cache_dir: Path | None = None  # None: nothing kept
    refresh: bool = False  # fetch again even what the cache holds

    @property
    def cache(self) -> Cache | None:
        return Cache(self.cache_dir, self.refresh) if self.cache_dir else None


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


class FetchError(Exception):
    """Why a download failed, in a few words ("HTTP 404", "too slow", "a private address")."""


@dataclass(frozen=True)
class Cache:
    """Downloads kept in ``folder``, one body and one JSON file per URL; ``refresh`` fetches again
    (and keeps the new copy). Failures are not kept."""

    folder: Path
    refresh: bool = False

    def _files(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{key}.body", self.folder / f"{key}.json"

    def get(self, url: str) -> Fetched | None:
        body, meta = self._files(url)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return Fetched(str(info["url"]), str(info["content_type"]), body.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, url: str, fetched: Fetched) -> None:
        """Keep ``fetched``; a cache that cannot be written only costs the next build a download."""
        body, meta = self._files(url)
        info = json.dumps({"request": url, "url": fetched.url, "content_type": fetched.content_type})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for path, data in ((body, fetched.data), (meta, info.encode("utf-8"))):
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.folder)
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                os.replace(tmp, path)  # the JSON last: a body without its JSON is never read
        except OSError:
            return


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _check_url(url: str, limits: Limits) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL ({parts.scheme or 'no scheme'})")
    if limits.allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"the host is not found ({parts.hostname})") from exc
    if not all(_public(str(info[4][0])) for info in infos):
        raise FetchError(f"{parts.hostname} is a loopback, private or link-local address "
                         "(pass --allow-private-urls to fetch it)")


def _peer_is_public(response: httpx.Response) -> bool:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    return peer is None or _public(str(peer[0]))


def fetch(url: str, limits: Limits = Limits(), client: httpx.Client | None = None,
          cache: Cache | None = None) -> Fetched:
    """GET ``url`` within ``limits`` (or from ``cache``); raises :class:`FetchError`."""
    if cache is not None:
        kept = None if cache.refresh else cache.get(url)
        if kept is None:
            kept = fetch(url, limits, client)
            cache.put(url, kept)
        return kept
    if client is None:
        with _client(limits) as own:
            return fetch(url, limits, own)
    return _download(url, limits, client)


def _download(url: str, limits: Limits, client: httpx.Client) -> Fetched:
    import httpx  # (only a build that downloads pays for importing it)

    deadline = time.monotonic() + limits.seconds
    if limits.build_deadline is not None:
        # The build's deadline is wall-clock time: its downloads run in several processes.
        deadline = min(deadline, time.monotonic() + limits.build_deadline - time.time())
    for _hop in range(limits.max_redirects + 1):
        if time.monotonic() >= deadline:
            raise FetchError(_too_slow(limits))
        _check_url(url, limits)
        try:
            with client.stream("GET", url) as response:
                if not limits.allow_private and not _peer_is_public(response):
                    raise FetchError("the server is at a loopback, private or link-local address "
                                     "(pass --allow-private-urls to fetch it)")
                if response.is_redirect:
                    url = urllib.parse.urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise FetchError(f"larger than {limits.max_bytes} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise FetchError(f"larger than {limits.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(_too_slow(limits))
                    chunks.append(chunk)
                return Fetched(str(response.url), response.headers.get("content-type", ""), b"".join(chunks))
        except httpx.TimeoutException as exc:
            raise FetchError(_too_slow(limits)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(str(exc) or type(exc).__name__) from exc
    raise FetchError(f"more than {limits.max_redirects} redirects")


def _too_slow(limits: Limits) -> str:
    if limits.build_deadline is not None and time.time() >= limits.build_deadline:
        return "the build's time for downloads is used up (raise it with --media-budget)"
    return f"too slow (more than {limits.seconds:g} s)"


def _client(limits: Limits) -> httpx.Client:
    import httpx

    # trust_env=False: no proxy or netrc from the environment reaches a hostile URL.
    return httpx.Client(follow_redirects=False, timeout=httpx.Timeout(limits.seconds), trust_env=False,
                        headers={"User-Agent": USER_AGENT})


def fetch_all(urls: Iterable[str], limits: Limits = Limits(),
              cache: Cache | None = None) -> dict[str, Fetched | FetchError]:
    """Every URL fetched (or taken from ``cache``), several at a time: each result or the reason it failed."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}

    def one(url: str) -> Fetched | FetchError:
        try:
            return fetch(url, limits, client, cache)
        except FetchError as exc:
            return exc

    with _client(limits) as client, ThreadPoolExecutor(max_workers=min(PARALLEL_DOWNLOADS, len(wanted))) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))
