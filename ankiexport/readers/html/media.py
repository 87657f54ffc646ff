"""Images of an HTML article → media files bundled in the deck, under content-hashed, path-free names.

A card field may only point at a file inside the package: every ``<img src>`` is resolved here to the
bundled name, or left out with a warning naming it (a missing file, a path leaving the article's folder,
a remote image when downloading is off, a file that is not an image). Remote images are fetched only
when asked (``--fetch-media``), together, within :mod:`ankiexport.fetch`'s bounds.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ... import fetch
from ...model import MediaFile

# Remote downloads: a slow or huge server must not stall or swamp a build. 10 s is generous for one
# image; 5 MiB holds a large photo (a 4000×3000 JPEG is about 3 MiB) but not a video. The same cap
# holds for local and data: images; an article's images together stop at 50 MiB.
FETCH_TIMEOUT_SECONDS = 10.0
FETCH_MAX_BYTES = 5 * 1024 * 1024
# All of a build's downloads together: thirty silent servers must not hold a build for minutes.
MEDIA_BUDGET_SECONDS = 120.0
MAX_ARTICLE_MEDIA_BYTES = 50 * 1024 * 1024

# What Anki's card webview shows in an <img>, told by the file's first bytes (never by its name or a
# server's word). SVG is not bundled: it is a document that can carry scripts and fetch URLs.
IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"BM", ".bmp"),
    (b"\x00\x00\x01\x00", ".ico"),
)
SVG_REFUSED = "SVG images are not bundled (they can carry scripts)"
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".avif", ".ico"})
# Hex digits of SHA-256 in a bundled name: 64 bits make a collision between two images of one
# collection vanishingly unlikely and keep names short.
HASH_CHARS = 16


def image_type(data: bytes) -> str | None:
    """The extension of the image ``data`` holds, from its signature; None when it is no image."""
    for signature, extension in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return ".avif"
    return None


@dataclass(frozen=True)
class ReadOptions:
    """How a reader treats what the article points at (only HTML articles point at anything)."""

    fetch_media: bool = False
    fetch_timeout: float = FETCH_TIMEOUT_SECONDS
    fetch_max_bytes: int = FETCH_MAX_BYTES
    allow_private_urls: bool = False
    media_deadline: float | None = None  # time.time() when the build's downloads stop
    web: fetch.WebOptions = fetch.WebOptions()
    base_url: str | None = None  # a fetched page's URL: its relative images are downloaded from there

    @property
    def limits(self) -> fetch.Limits:
        return fetch.Limits(self.fetch_timeout, self.fetch_max_bytes, self.allow_private_urls, self.media_deadline,
                            self.web.max_redirects)


DEFAULT_READ_OPTIONS = ReadOptions()


def media_name(data: bytes, extension: str) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS] + extension.lower()


@dataclass
class MediaCollector:
    """Resolves ``<img src>`` values of one article; remembers the files and the warnings."""

    folder: Path  # the article's folder: local images must stay inside it
    options: ReadOptions = DEFAULT_READ_OPTIONS
    files: dict[str, MediaFile] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _resolved: dict[str, str | None] = field(default_factory=dict)
    _fetched: dict[str, fetch.Fetched | fetch.FetchError] = field(default_factory=dict)

    def prefetch(self, sources: Iterable[str]) -> None:
        """Download the remote images among ``sources`` together, before they are resolved one by one."""
        if self.options.fetch_media:
            urls = [url for src in sources if (url := self._remote_url(src.strip()))]
            self._fetched.update(fetch.fetch_all(urls, self.options.limits, self.options.web.cache))

    def resolve(self, src: str) -> str | None:
        """The bundled file name for ``src``, or None (with a warning) when it is left out."""
        src = src.strip()
        if src not in self._resolved:
            self._resolved[src] = self._resolve(src)
        return self._resolved[src]

    def _warn(self, src: str, why: str) -> None:
        shown = src if len(src) <= 120 else src[:117] + "..."
        self.warnings.append(f"image {shown}: {why} — left out")

    def _add(self, src: str, data: bytes) -> str | None:
        extension = image_type(data)
        if extension is None and data.lstrip()[:5].lower() in (b"<svg ", b"<?xml"):
            self._warn(src, SVG_REFUSED)
            return None
        if extension is None:
            self._warn(src, "not an image Anki shows (PNG, JPEG, GIF, WebP, AVIF, BMP or ICO)")
            return None
        if len(data) > self.options.fetch_max_bytes:
            self._warn(src, f"larger than {self.options.fetch_max_bytes} bytes")
            return None
        name = media_name(data, extension)
        if name not in self.files and sum(len(f.data) for f in self.files.values()) + len(data) > \
                MAX_ARTICLE_MEDIA_BYTES:
            self._warn(src, f"the article's images pass {MAX_ARTICLE_MEDIA_BYTES // 1024**2} MiB")
            return None
        self.files.setdefault(name, MediaFile(name, data))
        return name

    def _resolve(self, src: str) -> str | None:
        if not src:
            return None
        parsed = urllib.parse.urlsplit(src)
        scheme = parsed.scheme.lower()
        url = self._remote_url(src)
        if url:
            return self._remote(url)
        if scheme == "data":
            return self._inline(src)
        if scheme and len(scheme) > 1:  # file:, javascript:, … (a one-letter scheme is a Windows drive)
            self._warn(src, f"{scheme}: URLs are not bundled")
            return None
        return self._local(urllib.parse.unquote(parsed.path))

    def _local(self, relative: str) -> str | None:
        if not relative:
            return None
        folder = self.folder.resolve()
        try:
            target = (folder / relative.lstrip("/") if relative.startswith("/") else folder / relative).resolve()
        except (OSError, RuntimeError, ValueError):
            self._warn(relative, "not a usable path")
            return None
        if not target.is_relative_to(folder):
            self._warn(relative, "the path leaves the article's folder")
            return None
        if target.suffix.lower() not in IMAGE_EXTENSIONS:
            self._warn(relative, SVG_REFUSED if target.suffix.lower() == ".svg" else "not an image file")
            return None
        try:
            if target.stat().st_size > self.options.fetch_max_bytes:
                self._warn(relative, f"larger than {self.options.fetch_max_bytes} bytes")
                return None
            data = target.read_bytes()
        except FileNotFoundError:
            self._warn(relative, "file not found beside the article")
            return None
        except OSError as exc:
            self._warn(relative, f"cannot be read ({exc.strerror})")
            return None
        return self._add(relative, data)

    def _inline(self, url: str) -> str | None:
        """A data: image (pages saved as one file inline theirs) is bundled like a local file."""
        import urllib.request  # (imported when needed: with http.client and ssl it slows every start)

        shown = url[:40] + "…"
        if len(url) > 2 * self.options.fetch_max_bytes:  # (base64: 4 characters for 3 bytes)
            self._warn(shown, f"larger than {self.options.fetch_max_bytes} bytes")
            return None
        try:
            with urllib.request.urlopen(url) as response:
                data = response.read(self.options.fetch_max_bytes + 1)
        except (ValueError, OSError) as exc:
            self._warn(shown, f"not a readable data: URL ({exc})")
            return None
        return self._add(shown, data)

    def _remote(self, url: str) -> str | None:
        if not self.options.fetch_media:
            self._warn(url, "remote image (pass --fetch-media to download it)")
            return None
        result = self._fetched.get(url)
        if result is None:
            try:
                result = fetch.fetch(url, self.options.limits, cache=self.options.web.cache)
            except fetch.FetchError as exc:
                result = exc
        if isinstance(result, fetch.FetchError):
            self._warn(url, f"download failed ({result})")
            return None
        content_type = result.content_type.split(";")[0].strip().lower()
        if content_type == "image/svg+xml":
            self._warn(url, SVG_REFUSED)
            return None
        if not content_type.startswith("image/"):
            self._warn(url, f"not an image ({content_type or 'no content type'})")
            return None
        return self._add(url, result.data)


    def _remote_url(self, src: str) -> str | None:
        """``src`` as an absolute http(s) URL when it names a remote image (on a fetched page, a
        relative one too)."""
        if self.options.base_url and src and not urllib.parse.urlsplit(src).scheme:
            return urllib.parse.urljoin(self.options.base_url, src)
        scheme = urllib.parse.urlsplit(src).scheme.lower()
        if src.startswith("//"):
            return urllib.parse.urljoin("https:", src)
        return src if scheme in ("http", "https") else None
