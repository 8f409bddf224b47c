"""A Docker daemon of the tests' own, and the image their runs use.

`DockerDaemon` starts `dockerd` in a folder of its own (data, state, socket), with no
bridge and no iptables rules (`--bridge=none --iptables=false`): containers use the host's
network, so every connection stays on loopback. It is stopped by its pid.

No image can be pulled here, so `build_run_image` makes one with `docker import` of a tiny
root file system (a static busybox); the interpreter, the virtual environment and the
checkout come in as read-only mounts (`RUN_VOLUMES`), and PATH finds the venv's python.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
RUN_IMAGE = "proctor-test-run:local"


def why_no_daemon() -> str | None:
    """Why no daemon can run on this machine (None: one can)."""
    if shutil.which("dockerd") is None:
        return "dockerd is not installed (the docker.io package)"
    if shutil.which("docker") is None:
        return "the docker CLI is not installed (the docker.io package)"
    if os.geteuid() != 0:
        return "dockerd needs root, and the tests do not run as root"
    if busybox() is None:
        return "busybox-static is not installed (the test image is built from it)"
    return None


def busybox() -> str | None:
    for candidate in ("/bin/busybox", "/usr/bin/busybox"):
        if Path(candidate).is_file():
            return candidate
    return None


class DockerDaemon:
    """`dockerd` under `root` (a temporary folder), reachable at `self.host`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Sockets live under the exec root, and a socket's path must fit in 108 bytes:
        # a short folder of its own, whatever the depth of `root`.
        self.exec_root = Path(tempfile.mkdtemp(prefix="pdx-", dir="/tmp"))
        self.socket = self.exec_root / "docker.sock"
        self.host = f"unix://{self.socket}"
        self.log = root / "dockerd.log"
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    def start(self, timeout: float = 120.0) -> None:
        command = [
            "dockerd",
            "--bridge=none",
            "--iptables=false",
            "--ip6tables=false",
            f"--data-root={self.root / 'data'}",
            f"--exec-root={self.exec_root / 'exec'}",
            f"--pidfile={self.root / 'dockerd.pid'}",
            f"--host={self.host}",
        ]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._unmount()
                raise RuntimeError(f"dockerd exited: {self.log.read_text()[-2000:]}")
            if self.socket.exists() and self.docker("version").returncode == 0:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"dockerd did not answer in {timeout} s: {self.log.read_text()[-2000:]}")

    def docker(self, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["docker", *args],
            env=self.env(),
            input=input.decode("latin-1") if input is not None else None,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def containers(self, label: str) -> list[str]:
        """Ids of every container (any state) with this `key=value` label."""
        done = self.docker("ps", "--all", "--quiet", "--filter", f"label={label}")
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            for container in self.docker("ps", "--all", "--quiet").stdout.split():
                self.docker("rm", "--force", container)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        # --bridge=none makes no docker0; remove one if some setting still did.
        subprocess.run(["ip", "link", "delete", "docker0"], capture_output=True, check=False)
        self._unmount()
        self.process = None

    def _unmount(self) -> None:
        """Unmount what the daemon left mounted under its folder (its network namespace
        file stays mounted after it exits), so that the folder can be deleted."""
        with open("/proc/self/mounts") as mounts:
            points = [line.split()[1] for line in mounts]
        for folder in (self.root.resolve(), self.exec_root.resolve()):
            root = str(folder)
            for point in sorted(points, key=len, reverse=True):
                if point == root or point.startswith(root + "/"):
                    subprocess.run(["umount", "--lazy", point], capture_output=True, check=False)
        shutil.rmtree(self.exec_root, ignore_errors=True)


def build_run_image(daemon: DockerDaemon, folder: Path) -> str:
    """`RUN_IMAGE`: busybox, /tmp, and PATH set to find the venv's python first."""
    found = busybox()
    assert found is not None
    tar_path = folder / "rootfs.tar"
    with tarfile.open(tar_path, "w") as tar:
        for name in ("bin", "tmp", "etc", "root"):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = 0o1777 if name == "tmp" else 0o755
            tar.addfile(info)
        tar.add(found, arcname="bin/busybox")
        for tool in ("sh", "sleep", "cat", "ls"):
            link = tarfile.TarInfo(f"bin/{tool}")
            link.type = tarfile.SYMTYPE
            link.linkname = "busybox"
            tar.addfile(link)
    path = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
    done = daemon.docker("import", "--change", f"ENV PATH={path}", str(tar_path), RUN_IMAGE)
    assert done.returncode == 0, done.stderr
    return RUN_IMAGE


def run_volumes() -> list[str]:
    """Read-only mounts that give the image this machine's interpreter, venv and code."""
    folders = {"/usr", sys.base_prefix, sys.prefix, str(CHECKOUT)}
    for name in ("/lib", "/lib64"):
        if Path(name).exists():
            folders.add(name)
    return [f"{folder}:{folder}:ro" for folder in sorted(folders)]


__all__ = [
    "CHECKOUT",
    "RUN_IMAGE",
    "DockerDaemon",
    "build_run_image",
    "run_volumes",
    "why_no_daemon",
]
