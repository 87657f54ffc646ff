"""Reading articles in worker processes: each :class:`ArticleJob` is one article read, prepared and
made into notes, and comes back as an :class:`ArticleRead` or, when it fails, as its error."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from .errors import AnkiexportError, InputError
from .fetch import WebOptions
from .manifest import ArticleOverride
from .model import Article
from .notes import NoteSpec, article_notes
from .prepare import prepare

# Articles a worker takes at a time: few enough that the workers finish together.
CHUNK_SIZE = 4
# Chunks given out per worker before the first is taken: enough to keep each busy.
CHUNKS_AHEAD = 2
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass(frozen=True)
class ArticleJob:
    """One article to read and make notes of for a plan; plans asking for the same share one job."""

    path: Path | str  # a file, or a page's URL
    override: ArticleOverride | None
    quiz_without_answer: str
    fetch_media: bool = False
    reverse: bool = False
    tags: tuple[str, ...] = ()  # the plan's extra tags and the article's own
    stamp: int = 0  # the notes' mod
    allow_private_urls: bool = False
    media_deadline: float | None = None  # time.time() when the build's downloads stop
    web: WebOptions = WebOptions()
    data: bytes | None = field(default=None, repr=False)  # the article itself (standard input)
    suffix: str | None = None


@dataclass(frozen=True)
class ArticleRead:
    """What a deck needs of an article: its notes, and the article without its text (title, subject,
    chapters, media, warnings)."""

    article: Article
    notes: tuple[NoteSpec, ...]  # one per item, every kind
    warnings: tuple[str, ...]  # the article's, each naming its file, and its overrides'


def read_job(job: ArticleJob) -> ArticleRead | AnkiexportError:
    """Read one article; any failure becomes a value so the batch goes on."""
    try:
        loaded, warnings = prepare(job.path, job.override, job.quiz_without_answer, job.fetch_media,
                                   allow_private_urls=job.allow_private_urls, media_deadline=job.media_deadline,
                                   web=job.web, data=job.data, suffix=job.suffix)
        # Notes are made here, in parallel: the process that writes the deck is a large build's bottleneck.
        notes = article_notes(loaded.article, loaded.items, reverse=job.reverse,
                              extra_tags=(*job.tags, *loaded.article.tags),
                              mod=job.stamp)
        # Nothing after evidence ranking reads the blocks (the whole text, twice) or the items (in the
        # notes now): they are not sent back.
        return ArticleRead(replace(loaded.article, blocks=()), tuple(notes), tuple(warnings))
    except AnkiexportError as exc:
        return exc
    except Exception as exc:  # one unparsable article must not sink the batch
        return InputError(f"cannot parse the article ({type(exc).__name__}: {exc})", path=str(job.path),
                          remedy="please report this with the file; the rest of the batch was built")


def default_jobs() -> int:
    """The CPU cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


@contextmanager
def reading(jobs: Sequence[ArticleJob], workers: int | None) -> Iterator[Iterator[ArticleRead | AnkiexportError]]:
    """Every job's read, in job order, as the workers finish them (in parallel processes when
    ``workers`` > 1)."""
    count = max(1, min(workers or default_jobs(), len(jobs)))
    if count == 1:
        yield map(read_job, jobs)
        return
    pool = ProcessPoolExecutor(max_workers=count, initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        yield _in_order(pool, jobs, ahead=count * CHUNKS_AHEAD)
    finally:
        pool.shutdown(cancel_futures=True)  # after an error, the chunks not started yet are dropped


def die_with_parent(build: int) -> None:
    """A worker's first step: on Linux, the kernel kills it when its parent dies (the build, or the fork
    server that ends with it), even by SIGKILL.

    Without it, a worker outlives a killed build forever, waiting for work on a pipe it holds open itself.
    The kernel's signal needs neither a thread nor the worker's attention, so it also ends a worker busy
    in a long C call (a regular expression, a parse); other systems have no such call.
    """
    if not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        os.kill(build, 0)
    except ProcessLookupError:  # the build died before the call above
        os._exit(1)


def read_jobs(chunk: Sequence[ArticleJob]) -> list[ArticleRead | AnkiexportError]:
    return [read_job(job) for job in chunk]


def _in_order(pool: ProcessPoolExecutor, jobs: Sequence[ArticleJob], ahead: int,
              ) -> Iterator[ArticleRead | AnkiexportError]:
    """The reads in job order. Only ``ahead`` chunks are out at a time, a new one as one is taken: when
    the deck writer is slower than the workers, the reads it has not taken yet stay few."""
    chunks = (jobs[start:start + CHUNK_SIZE] for start in range(0, len(jobs), CHUNK_SIZE))
    out = deque(pool.submit(read_jobs, chunk) for chunk in islice(chunks, ahead))
    while out:
        reads = out.popleft().result()
        following = next(chunks, None)
        if following is not None:
            out.append(pool.submit(read_jobs, following))
        yield from reads
