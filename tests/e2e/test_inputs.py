"""The inputs people have: Markdown notes, URLs, a Notion export and standard input, built by the CLI and
imported into a real Anki collection."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ankiexport.ankifile.reader import media_files, read_apkg
from ankiexport.errors import InputError
from ankiexport.release import ankicheck
from ankiexport.unzip import MAX_MEMBERS, unpack

from ..conftest import FIXTURES, ROOT, run_ankiexport

MARKDOWN = FIXTURES / "markdown"
WEB = FIXTURES / "web"
# A failing URL build must end within this, whatever the server does (the flags below ask for 2 s).
BOUNDED_SECONDS = 20


def built(tmp_path: Path, *args: str | Path) -> Path:
    out = tmp_path / "deck.apkg"
    done = run_ankiexport("build", *args, "-o", out, "-q", "-j", "1")
    assert done.returncode == 0, done.stderr
    return out


def test_markdown_notes_in_two_languages_import_as_labelled(tmp_path: Path, collection: Any) -> None:
    ankicheck.import_package(collection, built(tmp_path, MARKDOWN / "cells.md", MARKDOWN / "zellen.md"))
    notes = {(n.note_type.split()[-1], next(iter(n.fields.values()))): n
             for n in ankicheck.stored_notes(collection)}
    assert set(notes) >= {
        ("Definition", "Mitochondrion"), ("Definition", "Ribosome"), ("Definition", "Chloroplast"),
        ("Q&A", "What does the cell membrane do?"), ("Q&A", "Which organelle holds the genetic material?"),
        ("Definition", "Zellkern"), ("Definition", "Zellmembran"),
        ("Q&A", "Wo findet die Fotosynthese statt?"), ("Q&A", "Was entsteht bei der Fotosynthese?"),
        ("Cloze", "The {{c1::cell}} is the unit of life."),
        ("Cloze", "Die {{c1::Zelle}} ist die kleinste Einheit des Lebens, wie Zellbiologie zeigt."),
    }
    assert len(notes) == 11
    zellkern = notes["Definition", "Zellkern"]
    assert zellkern.decks == ("Biologie::Zellen",) and "klasse-9" in zellkern.tags
    assert "biology" in notes["Definition", "Ribosome"].tags
    assert all(n.cards and all(q and a for q, a in n.cards) for n in notes.values())


class _Site(http.server.BaseHTTPRequestHandler):
    """The saved page of tests/fixtures/web, served as a site would: behind a redirect, in ISO-8859-1."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        files = {"/notes/biologie.html": (WEB / "page.html", "text/html; charset=ISO-8859-1"),
                 "/img/cell.png": (WEB / "img" / "cell.png", "image/png"),
                 "/notes/img/leaf.png": (WEB / "img" / "leaf.png", "image/png"),
                 "/big.html": (None, "text/html"), "/data.json": (None, "application/json")}
        if self.path == "/biologie":
            self._redirect("/notes/biologie.html")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/drip.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for byte in b"<html><body><p>" * 40:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path in files:
            path, kind = files[self.path]
            body = path.read_bytes() if path else b"<p>" + b"x" * 5000 if self.path == "/big.html" else b"{}"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()  # no Content-Length: the size cap must hold while reading
            self.wfile.write(body)
        else:
            self.send_error(404)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[http.server.ThreadingHTTPServer]:
    _Site.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def address(httpd: http.server.ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}{path}"


def deck_content(path: Path) -> tuple[Any, ...]:
    """A deck's notes (every field but Source), tags and media."""
    deck = read_apkg(path)
    def without_source(note: Any) -> tuple[str, ...]:
        names = deck.note_types[note.note_type_id].field_names
        return tuple(value for name, value in zip(names, note.fields, strict=True) if name != "Source")

    notes = sorted((n.guid, without_source(n), n.tags) for n in deck.notes)
    return tuple(notes), tuple(sorted(deck.decks.values())), media_files(deck)


def test_a_url_builds_the_deck_of_the_saved_page(tmp_path: Path, site: Any, collection: Any) -> None:
    cache = tmp_path / "cache"
    url = address(site, "/biologie")
    by_url = built(tmp_path / "url", url, "--allow-private-urls", "--cache-dir", cache)
    saved = built(tmp_path / "saved", WEB / "page.html")
    fields = {n.fields[0]: n.fields for n in read_apkg(by_url).notes}
    assert set(fields) == {"Cellule", "Chloroplaste", "Membrane plasmique", "Osmose"}
    assert "concentré" in fields["Osmose"][1] and "–" in fields["Osmose"][1]  # ISO-8859-1 read as browsers do
    assert _Site.requests.count("/img/cell.png") == 1 and _Site.requests.count("/notes/img/leaf.png") == 1
    assert deck_content(by_url) == deck_content(saved)
    assert len(media_files(read_apkg(by_url))) == 2
    ankicheck.import_package(collection, by_url)
    sources = {n.fields["Source"] for n in ankicheck.stored_notes(collection, render=False)}
    assert sources == {f"Biologie cellulaire — {url}"}

    site.shutdown()  # offline: the second build is served from the cache
    again = built(tmp_path / "again", url, "--allow-private-urls", "--cache-dir", cache)
    assert [n.fields for n in read_apkg(again).notes] == [n.fields for n in read_apkg(by_url).notes]
    assert deck_content(again) == deck_content(by_url)
    refreshed = run_ankiexport("build", url, "--allow-private-urls", "--cache-dir", cache, "--refresh",
                               "--url-timeout", "2", "-o", tmp_path / "r.apkg", "-q")
    assert refreshed.returncode == 1 and url in refreshed.stderr


@pytest.mark.parametrize(("path", "flags", "reason"), [
    ("/biologie", (), "loopback, private or link-local"),
    ("/missing.html", ("--allow-private-urls",), "HTTP 404"),
    ("/data.json", ("--allow-private-urls",), "not an HTML page (application/json)"),
    ("/big.html", ("--allow-private-urls", "--url-max-bytes", "1000"), "larger than 1000 bytes"),
    ("/drip.html", ("--allow-private-urls",), "too slow (more than 2 s)"),
    ("/loop", ("--allow-private-urls",), "more than 3 redirects"),
], ids=["private", "404", "not-html", "too-large", "slow-drip", "redirect-loop"])
def test_a_failing_url_gives_one_line_and_exit_1(tmp_path: Path, site: Any, path: str, flags: tuple[str, ...],
                                                 reason: str) -> None:
    url = address(site, path)
    start = time.monotonic()
    done = run_ankiexport("build", url, *flags, "--url-timeout", "2", "--max-redirects", "3",
                          "--cache-dir", tmp_path / "cache", "-o", tmp_path / "deck.apkg", "-q")
    assert time.monotonic() - start < BOUNDED_SECONDS
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and url in errors[0] and reason in errors[0], done.stderr
    assert not (tmp_path / "deck.apkg").exists()


def test_only_http_urls_are_fetched(tmp_path: Path) -> None:
    done = run_ankiexport("build", "ftp://example.org/notes.html", "--cache-dir", tmp_path, "-o",
                          tmp_path / "deck.apkg", "-q")
    assert done.returncode == 1 and "not an http(s) URL (ftp)" in done.stderr


def test_a_manifest_lists_a_url_with_an_id_that_keeps_its_notes(tmp_path: Path, site: Any) -> None:
    url = address(site, "/biologie")
    manifest = tmp_path / "biologie.yaml"
    manifest.write_text(f"deck: Biologie\narticles:\n  - {url}\noverrides:\n  {url}:\n    id: biologie-cellulaire\n"
                        "    tags: [web]\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_ankiexport("build", manifest, "--allow-private-urls", "--cache-dir", tmp_path / "cache",
                          "--out-dir", out, "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    by_manifest = read_apkg(out / "biologie.apkg")
    by_cli = read_apkg(built(tmp_path / "cli", url, "--allow-private-urls", "--cache-dir", tmp_path / "cache"))
    assert {n.guid for n in by_manifest.notes}.isdisjoint(n.guid for n in by_cli.notes)  # identity: the id
    assert all("web" in n.tags for n in by_manifest.notes) and set(by_manifest.decks.values()) >= {"Biologie"}


def run_piped(*args: str | Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ankiexport", *map(str, args)], input=stdin, env=env,
                          capture_output=True, timeout=300)


def test_standard_input_in_and_the_deck_to_standard_output(tmp_path: Path, collection: Any) -> None:
    done = run_piped("build", "-", "-o", "-", "-j", "1", stdin=(MARKDOWN / "zellen.md").read_bytes())
    assert done.returncode == 0, done.stderr
    assert b"notes     5" in done.stderr  # the summary moves to stderr: stdout is the deck
    deck = tmp_path / "piped.apkg"
    deck.write_bytes(done.stdout)
    from_file = built(tmp_path, MARKDOWN / "zellen.md")
    assert deck_content(deck) == deck_content(from_file)
    ankicheck.import_package(collection, deck)
    assert len(ankicheck.stored_notes(collection)) == 5


def test_format_says_what_standard_input_is() -> None:
    notes = b"**Acid**: a substance that donates protons to other substances in water.\n"
    sniffed = run_piped("inspect", "-", "--json", stdin=notes)  # no heading, no front matter: a text dump
    as_markdown = run_piped("inspect", "-", "--json", "--input-format", "markdown", stdin=notes)
    assert sniffed.returncode == as_markdown.returncode == 0
    assert [i["fields"].get("term") for i in json.loads(as_markdown.stdout)["items"]] == ["Acid"]
    assert json.loads(sniffed.stdout)["items"] == []
    headed = run_piped("inspect", "-", "--json", stdin=b"# Chemistry\n\n" + notes)
    assert [i["fields"].get("term") for i in json.loads(headed.stdout)["items"]] == ["Acid"]


def test_a_folder_build_names_the_files_it_skips_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    (folder / "page_files").mkdir(parents=True)
    shutil.copy(FIXTURES / "articles" / "photosynthesis.txt", folder)
    (folder / "README.md").write_text("# Course notes\n\n## Plants\n\n**Stoma**: a pore in a leaf through which "
                                      "gases pass in and out.\n", encoding="utf-8")
    for name in ("a.pdf", "b.pdf", "sub/c.pdf", "notes.docx", "page_files/leaf.png", "page_files/site.css"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(b"%PDF-1.4")
    done = run_ankiexport("build", folder, "--out-dir", tmp_path / "out", "-j", "1")
    assert done.returncode == 0, done.stderr
    skipped = f"warning: {folder}: 3 PDF files, 1 DOCX file skipped: no reader for .pdf, .docx"
    assert [line for line in done.stderr.splitlines() if "skipped" in line] == [skipped], done.stderr
    quiet = run_ankiexport("build", folder, "--out-dir", tmp_path / "out", "-q", "-j", "1")
    assert quiet.returncode == 0 and quiet.stderr == ""  # -q silences warnings too
    readme = read_apkg(tmp_path / "out" / "README.apkg")  # Markdown, not a failed text dump
    assert [n.fields[0] for n in readme.notes] == ["Stoma"]


NOTION = FIXTURES / "notion"
NOTION_CARDS = {  # (chapter, question) of every toggle in the export, labelled by hand
    ("Cells", "Mitochondrion"), ("Cells", "What does the cell membrane control?"), ("Transport", "Osmosis"),
    ("Inheritance", "Allele"), ("Inheritance", "Genotype"), ("Inheritance › Crosses", "What is a monohybrid cross?"),
}


def zipped(folder: Path, archive: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return archive


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_notion_export_gives_a_card_per_toggle(tmp_path: Path, collection: Any, as_zip: bool) -> None:
    source = zipped(NOTION, tmp_path / "Export.zip") if as_zip else NOTION
    deck = built(tmp_path, source, "--merge")
    ankicheck.import_package(collection, deck)
    notes = ankicheck.stored_notes(collection)
    assert {(n.fields["Chapter"], n.fields["Question"]) for n in notes} == NOTION_CARDS
    assert {n.decks[0].split("::")[-1] for n in notes} == {"Biology", "Genetics"}  # each page an article
    osmosis = next(n for n in notes if n.fields["Question"] == "Osmosis")
    image = re.search(r'src="([^"]+)"', osmosis.fields["Answer"])
    assert image and (Path(collection.media.dir()) / image.group(1)).is_file()  # the image is bundled


@pytest.mark.parametrize("member", ["../escaped.html", "/tmp/absolute.html", "C:/drive.html", "a/../../up.html"])
def test_a_zip_member_never_lands_outside_its_folder(tmp_path: Path, member: str) -> None:
    archive = zipped(NOTION, tmp_path / "bad.zip", {member: b"<html><title>x</title></html>"})
    done = run_ankiexport("build", archive, "-o", tmp_path / "deck.apkg", "-q", cwd=tmp_path)
    assert done.returncode == 1 and "would be written outside its folder" in done.stderr, done.stderr
    assert not list(tmp_path.parent.rglob("escaped.html")) and not Path("/tmp/absolute.html").exists()


def test_a_zip_link_is_not_followed_and_too_many_members_are_refused(tmp_path: Path) -> None:
    archive = zipped(NOTION, tmp_path / "links.zip")
    with zipfile.ZipFile(archive, "a") as out:
        link = zipfile.ZipInfo("Secret 00000000000000000000000000000000.html")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(link, "/etc/passwd")
    done = run_ankiexport("build", archive, "--merge", "-o", tmp_path / "deck.apkg", "-q", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert {n.fields[0] for n in read_apkg(tmp_path / "deck.apkg").notes} == {q for _, q in NOTION_CARDS}
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as out:
        for index in range(MAX_MEMBERS + 1):
            out.writestr(f"p{index}.txt", b"")
    with pytest.raises(InputError, match="more than 20,000 files"):
        unpack(tmp_path / "many.zip")


def test_a_tls_failure_gives_one_line(tmp_path: Path, site: Any) -> None:
    url = address(site, "/biologie").replace("http://", "https://")  # the server speaks plain HTTP
    done = run_ankiexport("build", url, "--allow-private-urls", "--url-timeout", "2", "--cache-dir",
                          tmp_path / "cache", "-o", tmp_path / "deck.apkg", "-q")
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1 and len(errors) == 1 and errors[0].startswith(f"error: {url}: cannot fetch the page")
