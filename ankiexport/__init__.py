"""ankiexport: study articles → update-safe Anki decks.

Library use::

    from ankiexport import build, load
    loaded = load("seeds/article.txt")
    print(loaded.article.title, len(loaded.items))
    build(["seeds/article.txt"], "deck.apkg")
"""

from .batch import BuildResult, build, default_deck_name
from .errors import AnkiexportError, BuildError, InputError, ManifestError, NoItemsError
from .extract import KINDS, extract
from .prepare import Loaded, Options, load
from .readers import read_article

__version__ = "0.1.0"

__all__ = [
    "KINDS",
    "AnkiexportError",
    "BuildError",
    "BuildResult",
    "InputError",
    "Loaded",
    "ManifestError",
    "NoItemsError",
    "Options",
    "__version__",
    "build",
    "default_deck_name",
    "extract",
    "load",
    "read_article",
]
