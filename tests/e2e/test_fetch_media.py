"""--fetch-media against servers of the test's own on 127.0.0.1 that misbehave.

Every image must be what it claims (its bytes, not its name or its server's word), no download may
reach a private address unless allowed, and slow or silent servers hold a build for seconds, not
minutes.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from ankiexport.fetch import FetchError, Limits, fetch
from ankiexport.readers import read_bytes
from ankiexport.readers.html.media import ReadOptions

from ..conftest import run_ankiexport
from .test_html_deck import tiny_png

PNG = tiny_png(b"\x01\x02\x03")
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


class _Server(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        routes = {
            "/ok.png": ("image/png", PNG),
            "/page.png": ("text/html", b"<html>an internal dashboard</html>"),
            "/lying.png": ("image/png", b"<html>not an image at all</html>"),
            "/drawing": ("image/svg+xml", SVG),
        }
        if self.path == "/drip.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            for byte in PNG * 20:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            return
        if self.path.startswith("/redirect-to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/redirect-to/"):].replace("~", "/"))
            self.end_headers()
            return
        if self.path == "/loop.png":
            self.send_response(302)
            self.send_header("Location", "/loop.png")
            self.end_headers()
            return
        if self.path not in routes:
            self.send_error(404)
            return
        kind, body = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Server.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def silent() -> Iterator[list[str]]:
    """Thirty servers that accept a connection and never answer."""
    sockets = []
    for _ in range(30):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        sockets.append(s)
    try:
        yield [f"http://127.0.0.1:{s.getsockname()[1]}/x.png" for s in sockets]
    finally:
        for s in sockets:
            s.close()


ALLOWED = ReadOptions(fetch_media=True, allow_private_urls=True, fetch_timeout=1.0)


def page(*srcs: str) -> bytes:
    images = "".join(f"<p><b>Dot {n}</b>: A dot drawn on the screen. <img src='{src}'></p>"
                     for n, src in enumerate(srcs))
    return f"<title>Dots</title><h2>Dots</h2>{images}".encode()


def test_a_private_address_is_never_contacted_without_the_flag(server: str, tmp_path: Path) -> None:
    article = read_bytes(page(f"{server}/ok.png"), "dots.html", options=ReadOptions(fetch_media=True))
    assert article.media == () and _Server.requests == []
    assert "--allow-private-urls" in article.warnings[0]
    saved = tmp_path / "dots.html"
    saved.write_bytes(page(f"{server}/ok.png", "http://localhost:9/x.png", "http://[::1]:9/x.png",
                           "http://169.254.169.254/latest/meta-data"))
    done = run_ankiexport("build", saved, "-o", tmp_path / "d.apkg", "--fetch-media", "-v")  # -v: every warning
    assert done.stderr.count("loopback, private or link-local address (pass") == 4, done.stderr
    assert "warning: 4 images at private addresses left out — pass --allow-private-urls" in done.stderr
    assert _Server.requests == []


def test_the_bytes_decide_what_an_image_is(server: str) -> None:
    srcs = [f"{server}/ok.png", f"{server}/page.png", f"{server}/lying.png", f"{server}/drawing"]
    article = read_bytes(page(*srcs), "dots.html", options=ALLOWED)
    assert [m.data for m in article.media] == [PNG]
    warnings = " | ".join(article.warnings)
    assert "page.png: not an image (text/html)" in warnings
    assert "lying.png: not an image Anki shows" in warnings
    assert "drawing: SVG images are not bundled" in warnings


def test_svg_is_refused_from_every_source(tmp_path: Path) -> None:
    (tmp_path / "draw.svg").write_bytes(SVG)
    import base64
    inline = "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    article = read_bytes(page("draw.svg", inline), str(tmp_path / "dots.html"))
    assert article.media == ()
    assert sum("SVG images are not bundled" in w for w in article.warnings) == 2


def test_local_images_are_capped_and_checked(tmp_path: Path) -> None:
    (tmp_path / "huge.png").write_bytes(PNG + bytes(6 * 1024 * 1024))
    (tmp_path / "fake.png").write_text("my diary", encoding="utf-8")
    (tmp_path / "dot.png").write_bytes(PNG)
    article = read_bytes(page("huge.png", "fake.png", "dot.png"), str(tmp_path / "dots.html"))
    assert [m.data for m in article.media] == [PNG]
    warnings = " | ".join(article.warnings)
    assert "huge.png: larger than 5242880 bytes" in warnings and "fake.png: not an image Anki shows" in warnings


def test_redirects_are_checked_hop_by_hop(server: str) -> None:
    limits = Limits(seconds=2, allow_private=True)
    assert fetch(f"{server}/redirect-to/~ok.png", limits).data == PNG
    with pytest.raises(FetchError, match="not an http"):
        fetch(f"{server}/redirect-to/file:~~~etc~passwd", limits)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"{server}/loop.png", limits)
    with pytest.raises(FetchError, match="private"):  # the first hop is checked like every other
        fetch(f"{server}/redirect-to/~ok.png", Limits(seconds=2))


def test_a_dripping_server_is_cut_off(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        fetch(f"{server}/drip.png", Limits(seconds=1, allow_private=True))
    assert time.monotonic() - started < 5


def test_thirty_silent_servers_hold_an_article_for_seconds(silent: list[str]) -> None:
    started = time.monotonic()
    article = read_bytes(page(*silent), "dots.html", options=ALLOWED)
    elapsed = time.monotonic() - started
    assert article.media == () and sum("too slow" in w for w in article.warnings) == 30
    assert elapsed < 15, elapsed  # one after another: 30 s at least


def test_a_build_shares_one_download_budget_across_its_articles(silent: list[str], tmp_path: Path) -> None:
    """Three articles of ten silent servers each, in two worker processes: the build's downloads stop
    when its budget is spent, each image left out with a line naming the flag."""
    for n in range(3):
        (tmp_path / f"dots{n}.html").write_bytes(page(*silent[n * 10:(n + 1) * 10]).replace(b"Dots", b"Dots %d" % n))
    started = time.monotonic()
    done = run_ankiexport("build", tmp_path, "--out-dir", tmp_path / "out", "-j", "2", "--fetch-media",
                          "--allow-private-urls", "--media-budget", "1")
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.apkg"))) == 3
    assert "warning: 30 images left out: the download time was spent — raise it with --media-budget" \
        in done.stderr, done.stderr
    assert elapsed < 15, elapsed  # each image's own 10 s, in turn, would be minutes


def test_a_spent_budget_stops_a_download_before_it_starts(server: str) -> None:
    with pytest.raises(FetchError, match="--media-budget"):
        fetch(f"{server}/ok.png", Limits(allow_private=True, build_deadline=time.time() - 1))
    assert _Server.requests == []
