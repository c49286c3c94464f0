"""A private PostgreSQL cluster a test may stop, freeze and start (never the shared one on
5432), and a small filesystem a test may fill."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.system.serving import free_port


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message + " (CI=true: the outage tests must run)", pytrace=False)
    pytest.skip(message)


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@dataclass
class PrivateCluster:
    version: str
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/registry"

    def _ctl(self, action: str, *options: str) -> None:
        result = _run(
            "pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *options
        )
        assert result.returncode == 0, result.stderr

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def _pids(self) -> list[int]:
        """The postmaster and its children (this cluster's processes only)."""
        pid_file = Path(f"/var/lib/postgresql/{self.version}/{self.name}/postmaster.pid")
        postmaster = int(pid_file.read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> list[int]:
        pids = self._pids()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    @staticmethod
    def thaw(pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A new cluster on a free port with a database ``registry``; removed afterwards."""
    versions = (
        sorted(os.listdir("/usr/lib/postgresql")) if Path("/usr/lib/postgresql").is_dir() else []
    )
    if not versions or not _run("which", "pg_createcluster").stdout:
        _unavailable("pg_createcluster is not installed (postgresql-common)")
    cluster = PrivateCluster(versions[-1], f"tka_outage_{uuid.uuid4().hex[:8]}", free_port())
    made = _run(
        "pg_createcluster", cluster.version, cluster.name, "-p", str(cluster.port),
        "--", "--auth=trust",
    )  # fmt: skip
    if made.returncode != 0:
        _unavailable(f"pg_createcluster failed: {made.stderr.strip()}")
    try:
        cluster.start()
        created = _run(
            "psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
            "-c", "CREATE DATABASE registry",
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
        yield cluster
    finally:
        _run("pg_dropcluster", "--stop", cluster.version, cluster.name)


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (root only); unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if mounted.returncode != 0:
        _unavailable(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


@dataclass
class Ext4Disk:
    folder: Path
    device: str

    def fail_read_only(self) -> None:
        """What the kernel does on a disk error under ``errors=remount-ro``: the filesystem turns
        read-only at once, files already open included (a plain remount refuses while a file is
        open for writing). It stays so until unmounted and checked."""
        trigger = Path("/sys/fs/ext4") / Path(self.device).name / "trigger_fs_error"
        trigger.write_text("tka test: the data disk fails\n")


@contextlib.contextmanager
def ext4_disk(folder: Path, size: str = "32M") -> Iterator[Ext4Disk]:
    """A small ext4 filesystem (a loop device, ``errors=remount-ro``) mounted on ``folder``
    (root only); unmounted and removed afterwards."""
    image = folder.with_suffix(".img")
    folder.mkdir(parents=True, exist_ok=True)
    made = _run("truncate", "-s", size, str(image))
    made = made if made.returncode else _run("mkfs.ext4", "-q", str(image))
    if made.returncode != 0:
        _unavailable(f"cannot make an ext4 image here: {made.stderr.strip()}")
    attached = _run("losetup", "-f", "--show", str(image))
    if attached.returncode != 0:
        _unavailable(f"no loop device here: {attached.stderr.strip()}")
    device = attached.stdout.strip()
    try:
        mounted = _run("mount", "-o", "errors=remount-ro", device, str(folder))
        if mounted.returncode != 0:
            _unavailable(f"cannot mount an ext4 filesystem here: {mounted.stderr.strip()}")
        if not (Path("/sys/fs/ext4") / Path(device).name / "trigger_fs_error").exists():
            _unavailable("this kernel cannot trigger an ext4 error (no trigger_fs_error)")
        yield Ext4Disk(folder, device)
    finally:
        _run("umount", "-l", str(folder))
        _run("losetup", "-d", device)
        image.unlink(missing_ok=True)
