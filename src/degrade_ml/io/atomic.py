"""Files written whole or not at all: an interrupted run never leaves half an output behind.

The data goes to a visible, recognisable partial file next to the target
(`predictions.csv.degrade-ml-partial-<pid>-<token>`), is flushed to disk (fsync), and is then renamed over the
target, whose folder is fsynced too. A process killed with SIGKILL cannot remove its partial file; the next
write to the same target removes every partial file whose process is gone. Only regular files are replaced:
a symlink is followed to the file it names, and a folder, a device, a FIFO or one of the command's own inputs
is refused. A new file gets the mode the umask allows (0666 & ~umask), an overwritten one keeps its mode.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from degrade_ml.errors import OutsideError, UserError, is_outside

PARTIAL_MARK = ".degrade-ml-partial-"


class OutputError(UserError):
    """An output path that cannot be written (exit 2); the message names the path as the user gave it."""


class DiskError(OutsideError):
    """The disk failed while writing an output (full, over quota, I/O error: exit 1); the old file is kept."""


def write_error(path: Path, error: OSError, doing: str = "cannot write") -> OutputError | DiskError:
    """The one-line error for an OSError while writing `path`: the disk's own failures are outside the query."""
    reason = error.strerror or str(error)
    if is_outside(error):
        return DiskError(f"{str(path)!r}: {doing} ({reason}); the previous file, if any, is kept")
    return OutputError(f"{str(path)!r}: {doing} ({reason})")


def output_target(path: Path, inputs: Iterable[Path] = ()) -> Path:
    """The regular file that writing `path` replaces (a symlink followed to its target); OutputError when
    `path` is a folder, a device, a FIFO or a socket, is one of `inputs`, or its folder does not exist."""
    shown = repr(str(path))
    target = Path(os.path.realpath(path))
    if target.exists():
        kind = _non_regular_kind(target.stat().st_mode)
        if kind:
            raise OutputError(f"{shown} is {kind}, not a regular file; give the path of a file to write")
        for source in inputs:
            if source is not None and Path(source).exists() and os.path.samefile(source, target):
                raise OutputError(f"{shown} is the input {str(source)!r}; write the output to another file")
    if not target.parent.is_dir():
        if Path(path).is_symlink():
            raise OutputError(f"{shown} is a link to {str(target)!r}, whose folder {str(target.parent)!r} does not exist")
        raise OutputError(f"{shown}: folder {str(Path(path).parent)!r} does not exist")
    return target


def _non_regular_kind(mode: int) -> str | None:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


@contextmanager
def atomic_output(path: Path, inputs: Iterable[Path] = ()) -> Iterator[IO[bytes]]:
    """A binary handle whose content replaces `path` only when the block ends without an exception."""
    target = output_target(path, inputs)
    remove_stale_partials(target)
    partial = target.with_name(f"{target.name}{PARTIAL_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise write_error(path, error, f"cannot write in folder {str(target.parent)!r}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(target, partial)
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise write_error(path, error) from None
        raise


def atomic_write(path: Path, write: Callable[[IO[bytes]], object], inputs: Iterable[Path] = ()) -> None:
    """Write through a partial file in the same folder, then rename it over `path`."""
    with atomic_output(path, inputs) as handle:
        write(handle)


def _copy_mode(target: Path, partial: Path) -> None:
    """The mode (and, where allowed, the owner) of the file being replaced; else what the umask gives."""
    try:
        existing = target.stat()
    except FileNotFoundError:
        os.chmod(partial, 0o666 & ~current_umask())
        return
    os.chmod(partial, stat.S_IMODE(existing.st_mode))
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(partial, existing.st_uid, existing.st_gid)
        except PermissionError:
            pass


def current_umask() -> int:
    """The process umask, read without changing it where /proc allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale_partials(target: Path) -> list[Path]:
    """Remove the partial files of `target` left by processes that no longer run (e.g. killed with SIGKILL)."""
    removed = []
    for partial in Path(target).parent.glob(f"{_glob_escape(Path(target).name)}{PARTIAL_MARK}*"):
        pid = partial.name[len(Path(target).name) + len(PARTIAL_MARK):].split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            try:
                if partial.is_dir():
                    import shutil

                    shutil.rmtree(partial)
                else:
                    partial.unlink()
            except OSError:
                continue
            removed.append(partial)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
