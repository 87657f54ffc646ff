"""Archives given as inputs (a Notion export's ``.zip``), unpacked into a scratch folder within bounds.

No member may land outside the folder: absolute names, ``..`` parts, drive letters and links are
refused, and every written path is checked once resolved. The number of members and their size
unpacked, as declared and as read, are capped, so a zip bomb stops at the cap.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from .errors import InputError
from .scratch import ScratchFolder

# A large Notion workspace export holds a few thousand pages and images.
MAX_MEMBERS = 20_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
CHUNK = 1024 * 1024
# Unpacked archives stay until the build's process ends: worker processes read their articles.
_KEPT: list[ScratchFolder] = []


def _member_path(name: str) -> PurePosixPath | None:
    """The member's path inside the folder, or None when it would leave it."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


def unpack(archive: Path) -> Path:
    """Unpack ``archive`` into a new scratch folder and return the folder; raises :class:`InputError`."""
    source = str(archive)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"the archive holds more than {MAX_MEMBERS:,} files", path=source,
                                 remedy="export fewer pages at a time")
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise InputError(f"the archive unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GiB",
                                 path=source, remedy="export fewer pages at a time")
            scratch = ScratchFolder()
            _KEPT.append(scratch)
            root = scratch.path.resolve()
            written = 0
            for member in members:
                relative = _member_path(member.filename)
                if relative is None:
                    raise InputError(f"the archive's member {member.filename!r} would be written outside its "
                                     "folder", path=source, remedy="unpack it yourself if you trust it")
                if member.is_dir() or stat.S_ISLNK(member.external_attr >> 16):
                    continue  # folders are made as needed; links are never followed or made
                target = (root / relative).resolve()
                if not target.is_relative_to(root):
                    raise InputError(f"the archive's member {member.filename!r} would be written outside its "
                                     "folder", path=source, remedy="unpack it yourself if you trust it")
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(member) as data, target.open("wb") as out:
                    while chunk := data.read(CHUNK):
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES:  # a member may lie about its size
                            raise InputError(f"the archive unpacks to more than "
                                             f"{MAX_UNPACKED_BYTES // 1024**3} GiB", path=source,
                                             remedy="export fewer pages at a time")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", path=source,
                         remedy="export again, or unpack it and pass the folder") from exc
    except OSError as exc:
        raise InputError(f"cannot unpack the archive ({exc.strerror or exc})", path=source,
                         remedy="check the file and the free space of the temporary folder") from exc
    return root
