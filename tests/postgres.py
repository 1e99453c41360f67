"""A throwaway PostgreSQL cluster for the lake's tests: initdb and pg_ctl from Debian's postgresql, run as the
postgres user when the tests run as root, listening on a Unix socket in a folder of its own."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class Cluster:
    """One running cluster; `lake(name)` makes a database and returns the --db of a new lake in it."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="timeline-pg-"))
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:  # the server refuses to run as root
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, "postgres")

    def start(self) -> Cluster:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def lake(self, name: str) -> str:
        self._run("createdb", "-h", str(self.root), "-p", str(self.port), "-U", "postgres", name)
        return self.target(name)

    def target(self, name: str) -> str:
        return f"ducklake:postgres:dbname={name} host={self.root} port={self.port} user=postgres"

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=check, capture_output=True, cwd=self.root)


def bin_dir() -> Path | None:
    """Debian's PostgreSQL programs, newest version first, or those on PATH."""
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(found).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable() -> str | None:
    """Why no cluster can be started here, or None."""
    if bin_dir() is None:
        return "PostgreSQL is not installed (Debian's postgresql package: initdb, pg_ctl, createdb)"
    if os.geteuid() == 0 and not _has_user("postgres"):
        return "the tests run as root and there is no postgres user to run PostgreSQL as"
    return None


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
