"""Real headless Chromium for tests: screenshots and the DOM after the page's scripts ran."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="ae-chromium-") as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)


def screenshot(page: Path, png: Path, width: int = 760, height: int = 900) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    done = _run(f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri())
    assert png.is_file() and png.stat().st_size > 0, done.stderr[-2000:]
    return png


def dump_dom(page: Path) -> str:
    done = _run("--virtual-time-budget=2000", "--dump-dom", page.as_uri())
    assert done.returncode == 0 and "<body" in done.stdout, done.stderr[-2000:]
    return done.stdout


def card_page(html: str, css: str, *, night: bool = False) -> str:
    """A card side as Anki's reviewer shows it: the note type's CSS, the body classed "card"."""
    classes = "card card1 nightMode" if night else "card card1"
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body class="{classes}"><div id="qa">{html}</div></body></html>')


def _js(value: str) -> str:
    """A JS string literal safe inside <script>: a "</script>" in it would end the element."""
    return json.dumps(value).replace("</", "<\\/")


def review_page(front: str, back: str, css: str, *, forget_window: bool = False) -> str:
    """Front, then back, in one page as the desktop reviewer does: each side replaces #qa and its
    scripts run again. ``forget_window`` drops window state between the sides, as a reviewer that
    reloads the page does, leaving only sessionStorage. Math.random is pinned so a shuffle is
    reproducible; the front's option order is left in body[data-front-order]."""
    script = f"""
Math.random = function () {{ return 0; }};
function show(html) {{
  var qa = document.getElementById('qa');
  qa.innerHTML = html;
  var old = qa.querySelectorAll('script');
  for (var i = 0; i < old.length; i++) {{
    var fresh = document.createElement('script');
    fresh.text = old[i].text;
    old[i].parentNode.replaceChild(fresh, old[i]);
  }}
}}
show({_js(front)});
var keys = document.querySelectorAll('.ae-choices li');
var order = '';
for (var i = 0; i < keys.length; i++) {{ order += keys[i].getAttribute('data-key'); }}
document.body.setAttribute('data-front-order', order);
{"delete window.aeQuizOrder;" if forget_window else ""}
show({_js(back)});
"""
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body class="card card1"><div id="qa"></div><script>{script}</script></body></html>')
