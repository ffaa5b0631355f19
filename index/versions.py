"""Where an index lives: the configured path is a symbolic link to one version folder.

A build writes ``.<name>.building-<pid>-<random>`` beside the path, renames it to a version
folder ``.<name>@<stamp>`` and then points the link at it with one ``rename(2)``, which is atomic:
a reader (or a crash) sees the previous index or the new one, never none. A reader resolves the
link once and reads every file from that version folder, and the previous version is kept until
the next build, so a reader that resolved it just before a swap still finds its files.

Only folders named by this module are ever deleted; a path that is a file, or a folder that is
not an index, is refused before anything is written.

Builds and edits of one index take turns: each holds an exclusive lock on ``.<name>.lock``
beside the path (:func:`editing`) from reading the current version to publishing the next, so
that two processes (the API and the command line) never both edit the same version and one
of the edits is lost.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from contract.errors import ConfigurationError

logger = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _version_prefix(folder: Path) -> str:
    return f".{folder.name}@"


def _building_prefix(folder: Path) -> str:
    return f".{folder.name}.building-"


def check_target(folder: Path, is_index: Callable[[Path], bool]) -> None:
    """Refuse a path that is a file, or a folder that holds something other than an index.

    An empty folder is accepted; so is a link, which is replaced and never followed to delete.
    """
    if folder.is_symlink():
        target = folder.resolve()
        if target.exists() and not (target.is_dir() and is_index(target)):
            raise ConfigurationError(
                f"{folder} links to {target}, which is not a policyqa index; "
                "choose another --index path")
        return
    if not folder.exists():
        return
    if not folder.is_dir():
        raise ConfigurationError(f"{folder} is a file, not an index folder; choose another "
                                 "--index path")
    try:
        empty = next(folder.iterdir(), None) is None
    except OSError as exc:
        raise ConfigurationError(f"cannot read {folder}: {exc.strerror}") from None
    if not empty and not is_index(folder):
        raise ConfigurationError(
            f"{folder} exists and is not a policyqa index (no valid manifest.json); it was left "
            "untouched: choose another --index path or empty it first")


@contextlib.contextmanager
def editing(folder: Path) -> Iterator[None]:
    """Hold the index's edit lock (waiting for another build or edit to finish)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock = folder.parent / f".{folder.name}.lock"
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("waiting for another build or edit of %s to finish", folder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def workspace(folder: Path) -> Path:
    """A fresh folder to build in, beside ``folder``, with the usual permissions (umask).

    Leftovers of builds whose process is gone (killed mid-build) are removed first.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    prefix = _building_prefix(folder)
    for leftover in folder.parent.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix):].split("-", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            logger.info("removing %s, left by a build that did not finish", leftover.name)
            shutil.rmtree(leftover, ignore_errors=True)
    work = folder.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir(mode=0o777)  # the umask applies, unlike tempfile.mkdtemp's 0700
    return work


def publish(work: Path, folder: Path) -> Path:
    """Make the finished ``work`` folder the index at ``folder`` in one atomic step.

    Returns the version folder. Versions older than the one replaced are removed.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    version = folder.parent / f"{_version_prefix(folder)}{stamp}-{secrets.token_hex(3)}"
    os.replace(work, version)
    previous = current(folder) if folder.exists() else None
    link = folder.parent / f".{folder.name}.link-{os.getpid()}-{secrets.token_hex(4)}"
    os.symlink(version.name, link)  # relative: the parent folder can be moved or mounted
    try:
        if folder.is_dir() and not folder.is_symlink():
            _exchange(link, folder)  # a real folder (an older layout, or empty) at the path
            _remove(link)  # after the exchange this name holds the old folder
        else:
            os.replace(link, folder)
    except BaseException:
        _remove(link)
        raise
    _prune(folder, keep={version, *([previous] if previous else [])})
    return version


def current(folder: Path) -> Path:
    """The folder an index path stands for right now (the version its link points at)."""
    return folder.resolve() if folder.is_symlink() else folder


def _exchange(new: Path, old: Path) -> None:
    """Swap two names atomically (Linux renameat2); elsewhere, two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old),
                           _RENAME_EXCHANGE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(old))
    # No exchange on this system or file system: a short window without an index, once, when
    # a folder of the older layout is converted to a link.
    aside = new.with_name(new.name + ".old")
    os.replace(old, aside)
    os.replace(new, old)
    os.replace(aside, new)


def _prune(folder: Path, keep: set[Path]) -> None:
    kept = {p.resolve() for p in keep}
    for version in folder.parent.glob(f"{_version_prefix(folder)}*"):
        if version.resolve() not in kept:
            _remove(version)
    for stale in folder.parent.glob(f".{folder.name}.old-*"):  # left by the older swap
        _remove(stale)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
