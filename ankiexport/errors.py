"""The project's error types.

Every failure a user can cause is an :class:`AnkiexportError`. Its ``str()`` is one line in the form
``FILE:LINE: what is wrong — what to do`` so the CLI can print it as-is; the library never prints.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 4
_SHORT.maxlevel = 2


def short(value: object) -> str:
    """A value as a one-line message may quote it: a few dozen characters at most."""
    return _SHORT.repr(value)


class AnkiexportError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 remedy: str | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.remedy = remedy
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        tail = f" — {self.remedy}" if self.remedy else ""
        return f"{where}{self.message}{tail}"

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries in parallel builds; keep the keyword-only parts.
        return (_rebuild, (type(self), self.message, self.path, self.line, self.remedy))


def _rebuild(cls: type[AnkiexportError], message: str, path: str | None, line: int | None,
             remedy: str | None) -> AnkiexportError:
    return cls(message, path=path, line=line, remedy=remedy)


class InputError(AnkiexportError):
    """An article cannot be read or parsed (missing, empty, binary, undecodable)."""


class NoItemsError(InputError):
    """An article was read but nothing learnable was found in it."""


class ManifestError(AnkiexportError):
    """A deck manifest (``sources/*.yaml``) is invalid."""


class ManifestErrors(ManifestError):
    """Several invalid manifests: ``errors`` holds one error each, in the order they were given."""

    def __init__(self, errors: Sequence[ManifestError]) -> None:
        self.errors = tuple(errors)
        last = self.errors[-1]
        super().__init__(last.message, path=last.path, line=last.line, remedy=last.remedy)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple[object, ...]:
        return (ManifestErrors, (self.errors,))


class UsageError(AnkiexportError):
    """A request refused before any work: an output that would replace an input, a path outside the
    folders a build may use."""


class RequestError(UsageError):
    """A build's inputs and settings do not fit together (``-o`` with two manifests, a folder without
    articles): the command line shows it with its usage line."""


class IdentityError(InputError):
    """Two different articles of one build share an identity: their notes would share GUIDs."""


class BuildError(AnkiexportError):
    """A deck cannot be written (empty deck, unwritable output)."""
