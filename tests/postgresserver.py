"""A real PostgreSQL server (Debian's ``postgresql``) on 127.0.0.1 for the question log's tests:
``initdb`` into a temporary folder, ``postgres`` on a free port with its unix socket in that
folder, no fsync, stopped and deleted at the end.

PostgreSQL refuses to run as root: under root the server runs as the ``postgres`` user (or
``nobody``), which then owns the temporary folder.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.loadtest import free_port

INSTALL = "apt-get install postgresql (initdb and postgres; make test installs it)"
USER = "policyqa"


def postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``, or None when they are not installed."""
    candidates = [shutil.which("initdb"), "/usr/local/bin/initdb",
                  *sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
                          reverse=True)]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            folder = Path(candidate).resolve().parent
            if (folder / "postgres").is_file():
                return folder
    return None


def _server_user() -> pwd.struct_passwd | None:
    """Who the server runs as: None (the current user) unless that is root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no postgres or nobody user to run as")


class PostgresServer:
    """``postgres -D <tmp>/data -h 127.0.0.1 -p <free> -k <tmp>`` with trust authentication."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="policyqa-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._user = _server_user()
        self._process: subprocess.Popen[bytes] | None = None
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        self._run([str(bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
                   "--no-sync", "--encoding=UTF8", "--no-locale"])

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PostgresServer:
        """Start it (again) and wait until it accepts connections."""
        log = (self.folder / "server.log").open("ab")
        self._process = subprocess.Popen(
            [str(self.bindir / "postgres"), "-D", str(self.data), "-h", "127.0.0.1",
             "-p", str(self.port), "-k", str(self.folder), "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stdout=log, stderr=subprocess.STDOUT, **self._as_user())
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self._process.returncode}: "
                                   f"{self.log_tail()}")
            if self._accepts():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"postgres did not start: {self.log_tail()}")

    def stop(self) -> None:
        """Fast shutdown: clients are disconnected; the data stays for a restart."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def remove(self) -> None:
        """Stop it and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still in it."""
        import psycopg

        with psycopg.connect(self._dsn(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def log_tail(self) -> str:
        """The end of the server's log, for error messages."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def _dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={database} connect_timeout=2"

    def _accepts(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self._dsn()):
                return True
        except psycopg.OperationalError:
            return False

    def _as_user(self) -> dict[str, Any]:
        if self._user is None:
            return {}
        return {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": [],
                "env": {"PATH": "/usr/bin:/bin", "LANG": "C"}}

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(command, capture_output=True, check=False, cwd=self.folder,
                              **self._as_user())
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout.decode(errors='replace')}"
                               f"{done.stderr.decode(errors='replace')}")


def new_server() -> PostgresServer:
    """A started server; the test is skipped when PostgreSQL or psycopg is not installed."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install policyqa[postgres]")
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip(f"PostgreSQL is not installed: {INSTALL}")
    server = PostgresServer(bindir)
    try:
        return server.start()
    except BaseException:
        server.remove()
        raise


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session's tests (each gets its own database)."""
    server = new_server()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database on the session's server, dropped afterwards."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A server of the test's own, which it may stop and start again."""
    server = new_server()
    try:
        yield server
    finally:
        server.remove()
