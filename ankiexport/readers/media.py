"""Images of an HTML article → media files bundled in the deck, under content-hashed, path-free names.

A card field may only point at a file inside the package: every ``<img src>`` is resolved here to the
bundled name, or left out with a warning naming it (a missing file, a path leaving the article's folder,
a remote image when downloading is off). Remote images are fetched only when asked (``--fetch-media``),
with a timeout and a size cap.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import urllib.error
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from ..model import MediaFile

# Remote downloads: a slow or huge server must not stall or swamp a build. 10 s is generous for one
# image; 5 MiB holds a large photo (a 4000×3000 JPEG is about 3 MiB) but not a video.
FETCH_TIMEOUT_SECONDS = 10.0
FETCH_MAX_BYTES = 5 * 1024 * 1024

# Extensions Anki's card webview shows in an <img>; anything else is not bundled.
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif", ".ico"})
# Hex digits of SHA-256 in a bundled name: 64 bits make a collision between two images of one
# collection vanishingly unlikely and keep names short.
HASH_CHARS = 16


@dataclass(frozen=True)
class ReadOptions:
    """How a reader treats what the article points at (only HTML articles point at anything)."""

    fetch_media: bool = False
    fetch_timeout: float = FETCH_TIMEOUT_SECONDS
    fetch_max_bytes: int = FETCH_MAX_BYTES


DEFAULT_READ_OPTIONS = ReadOptions()


def media_name(data: bytes, extension: str) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS] + extension.lower()


class TooLarge(Exception):
    pass


@dataclass
class MediaCollector:
    """Resolves ``<img src>`` values of one article; remembers the files and the warnings."""

    folder: Path  # the article's folder: local images must stay inside it
    options: ReadOptions = DEFAULT_READ_OPTIONS
    files: dict[str, MediaFile] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _resolved: dict[str, str | None] = field(default_factory=dict)

    def resolve(self, src: str) -> str | None:
        """The bundled file name for ``src``, or None (with a warning) when it is left out."""
        src = src.strip()
        if src not in self._resolved:
            self._resolved[src] = self._resolve(src)
        return self._resolved[src]

    def _warn(self, src: str, why: str) -> None:
        shown = src if len(src) <= 120 else src[:117] + "..."
        self.warnings.append(f"image {shown}: {why} — left out")

    def _add(self, data: bytes, extension: str) -> str:
        name = media_name(data, extension)
        self.files.setdefault(name, MediaFile(name, data))
        return name

    def _resolve(self, src: str) -> str | None:
        if not src:
            return None
        parsed = urllib.parse.urlsplit(src)
        scheme = parsed.scheme.lower()
        if scheme in ("http", "https") or src.startswith("//"):
            return self._remote(urllib.parse.urljoin("https:", src) if src.startswith("//") else src)
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
        extension = target.suffix.lower()
        if extension not in IMAGE_EXTENSIONS:
            self._warn(relative, "not an image file")
            return None
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            self._warn(relative, "file not found beside the article")
            return None
        except OSError as exc:
            self._warn(relative, f"cannot be read ({exc.strerror})")
            return None
        return self._add(data, extension)

    def _inline(self, url: str) -> str | None:
        """A data: image (pages saved as one file inline theirs) is bundled like a local file."""
        import urllib.request  # (imported when needed: with http.client and ssl it slows every start)

        shown = url[:40] + "…"
        try:
            with urllib.request.urlopen(url) as response:
                data = response.read(self.options.fetch_max_bytes + 1)
                content_type = response.headers.get("Content-Type", "")
        except (ValueError, OSError) as exc:
            self._warn(shown, f"not a readable data: URL ({exc})")
            return None
        extension = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ""
        if extension not in IMAGE_EXTENSIONS:
            self._warn(shown, f"not an image ({content_type or 'no content type'})")
            return None
        if len(data) > self.options.fetch_max_bytes:
            self._warn(shown, f"larger than {self.options.fetch_max_bytes} bytes")
            return None
        return self._add(data, extension)

    def _remote(self, url: str) -> str | None:
        if not self.options.fetch_media:
            self._warn(url, "remote image (pass --fetch-media to download it)")
            return None
        try:
            data, content_type = self._download(url)
        except TooLarge:
            self._warn(url, f"larger than {self.options.fetch_max_bytes} bytes")
            return None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            self._warn(url, f"download failed ({reason})")
            return None
        extension = posixpath.splitext(urllib.parse.urlsplit(url).path)[1].lower()
        if extension not in IMAGE_EXTENSIONS:
            guessed = mimetypes.guess_extension(content_type.split(";")[0].strip()) if content_type else None
            extension = guessed if guessed in IMAGE_EXTENSIONS else ""
        if not extension:
            self._warn(url, f"not an image ({content_type or 'no content type'})")
            return None
        return self._add(data, extension)

    def _download(self, url: str) -> tuple[bytes, str]:
        import urllib.request

        request = urllib.request.Request(url, headers={"User-Agent": "ankiexport"})
        limit = self.options.fetch_max_bytes
        with urllib.request.urlopen(request, timeout=self.options.fetch_timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise TooLarge
            data = response.read(limit + 1)
            if len(data) > limit:
                raise TooLarge
            return data, response.headers.get("Content-Type", "")
