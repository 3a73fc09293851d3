"""Warm kernels: every section still runs in a fresh kernel of its own, forked in a fraction of
a second from a process that has already imported what the sections import.

A plain Papermill run starts a new Python for each notebook, and each spends seconds importing
IPython, pandas, matplotlib, seaborn and this library before its first cell does any work. The
run instead starts one *zygote* (``python -m complaints_report.run.kernels``, with the ``python3``
kernel's own Python) while it reads and validates the data. The zygote imports all that once and
then waits; for each notebook, Papermill asks it (through :class:`WarmKernelManager`) for a
kernel, and it forks a child that becomes an ordinary ipykernel, exactly as
``python -m ipykernel_launcher -f <connection file>`` would: a new process, an empty namespace,
its own working folder, environment, stderr log and random seeds. Papermill then injects the
parameters and executes the cells as usual, so the executed notebook records what a plain run
records. Papermill, nbclient and the kernel talk over ZeroMQ as they always do; only the
start-up is shared.

If the zygote cannot serve (it failed to import, it died, or the kernelspec is not the plain
``python -m ipykernel_launcher`` this expects), the section starts a plain kernel instead and
the run goes on, saying so in its log.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

#: What the zygote imports: everything the section notebooks import, and the kernel itself.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.display",
    "complaints_report.report",
    "complaints_report.content.care",
    "complaints_report.content.code",
    "complaints_report.content.complainants",
    "complaints_report.content.equalities",
    "complaints_report.content.learning",
    "complaints_report.content.methodology",
    "complaints_report.content.quality",
    "complaints_report.content.scorecards",
    "complaints_report.content.statutory",
    "complaints_report.content.summary",
    "complaints_report.content.timescales",
)

#: The kernelspec every section notebook names.
KERNEL = "python3"

#: Set to 0 to start every section's kernel the plain way.
WARM_ENV = "COMPLAINTS_REPORT_WARM"

#: How long a section waits for the zygote to answer (it may still be importing) before it
#: starts a plain kernel instead.
ANSWER_TIMEOUT = 120.0

#: The kernelspec argv the zygote stands in for (``{connection_file}`` filled in).
LAUNCHER = ("-m", "ipykernel_launcher", "-f")


def _split(argv: list[str]) -> tuple[list[str], list[str]] | None:
    """A kernel command that is the plain ipykernel launcher
    (``python [options] -m ipykernel_launcher -f FILE [kernel arguments]``) as
    ``([python, *options], ["-f", FILE, *kernel arguments])``; None for any other command."""
    for i in range(1, len(argv) - 3):
        if tuple(argv[i : i + 3]) == LAUNCHER:
            return [shutil.which(argv[0]) or argv[0], *argv[1:i]], argv[i + 2 :]
    return None


def kernel_python(kernel_name: str) -> list[str] | None:
    """The interpreter command (Python and its options) of ``kernel_name``'s kernelspec when
    it is the plain ipykernel launcher; None otherwise, or when there is no such kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except NoSuchKernel:
        return None
    split = _split(argv)
    return split[0] if split and split[1] == ["-f", "{connection_file}"] else None


def warm_up(kernel_name: str = KERNEL) -> Zygote | None:
    """Start the zygote for ``kernel_name``'s kernels; None (sections start plain kernels) when
    warm kernels are switched off (``$COMPLAINTS_REPORT_WARM=0``), the kernelspec is not the
    plain ipykernel launcher, or no Unix socket can be made here."""
    if os.environ.get(WARM_ENV, "1").strip() == "0":
        return None
    python = kernel_python(kernel_name)
    if not python:
        return None
    try:
        return Zygote(python)
    except OSError as exc:  # no Unix socket here (a temp path too long, say)
        log.warning("kernel warm-up unavailable (%s): sections start plain kernels", exc)
        return None


class Zygote:
    """The warm process the run's kernels are forked from; a context manager.

    ``address`` is the Unix socket the section workers ask on. The socket is bound and listening
    before the zygote starts, so a worker may ask at once: its request waits until the imports
    are done. The zygote stops when the run closes it, or when the run's process goes away.
    """

    def __init__(self, python: list[str], preload: tuple[str, ...] = PRELOAD):
        self.python = python
        self._closed = False
        self._dir = Path(tempfile.mkdtemp(prefix="complaints-kernels-"))  # private: mode 0700
        self.address = str(self._dir / "zygote.sock")
        self._stderr = tempfile.TemporaryFile()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                listener.bind(self.address)
            except OSError:
                self._stderr.close()
                shutil.rmtree(self._dir, ignore_errors=True)
                raise
            listener.listen(64)
            self.process = subprocess.Popen(
                [*python, "-m", __name__, str(listener.fileno()), ",".join(preload)],
                pass_fds=[listener.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                cwd=self._dir,
            )
        finally:
            # Only the zygote listens: if it dies, asking fails at once instead of waiting.
            listener.close()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the zygote (kernels it forked are on their own and are not touched); again,
        nothing."""
        if self._closed:
            return
        self._closed = True
        code = self.process.poll()
        if code is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        elif code != 0:
            self._stderr.seek(0)
            tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            log.warning(
                "kernel warm-up: the warm process stopped early (exit code %s); sections started "
                "plain kernels instead%s",
                code,
                (":\n  " + "\n  ".join(tail)) if tail else "",
            )
        self._stderr.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def fork_kernel(address: str, args: list[str], cwd: str, env: dict, log_path: str) -> int:
    """Ask the zygote at ``address`` for a kernel started with the launcher's ``args``
    (``-f FILE`` and any kernel options); its process id. Raises OSError when it cannot."""
    request = {
        "args": args,
        "cwd": cwd,
        "env": env,
        "log": log_path,
    }
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(ANSWER_TIMEOUT)
        conn.connect(address)
        conn.sendall(json.dumps(request).encode() + b"\n")
        answer = conn.makefile("rb").readline()
    if not answer:
        raise ConnectionError("the warm process closed the connection without a kernel")
    return int(json.loads(answer)["pid"])


class ForkedKernel:
    """What jupyter_client needs of a ``Popen`` for a kernel the zygote forked: a child of the
    zygote (which reaps it), not of this process, so it is watched by its process id."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1  # gone; the zygote reaped it, so its status is unknown
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner
    from traitlets import List, Unicode

    class ForkedProvisioner(LocalProvisioner):
        """Launches the kernel by asking the zygote; a plain launch when it cannot."""

        zygote = Unicode("")
        python = List(Unicode())
        kernel_log = Unicode("")

        async def launch_kernel(self, cmd, **kwargs):
            split = _split(cmd) if self.zygote else None
            if split and split[0] == list(self.python):
                cwd = str(kwargs.get("cwd") or os.getcwd())
                env = dict(kwargs.get("env") or os.environ)
                try:
                    pid = fork_kernel(
                        self.zygote, split[1], cwd, env, self.kernel_log or os.devnull
                    )
                except (OSError, ValueError, KeyError) as exc:
                    log.warning(
                        "kernel warm-up unavailable (%s: %s): starting a plain kernel",
                        type(exc).__name__,
                        exc,
                    )
                else:
                    self.process = ForkedKernel(pid)
                    self.pid = self.pgid = pid  # the kernel leads its own session
                    self.cwd = cwd
                    return self.connection_info
            return await super().launch_kernel(cmd, **kwargs)

    return ForkedProvisioner


@functools.cache
def warm_kernel_manager_class():
    """An ``AsyncKernelManager`` whose kernels come from the zygote named in its config:
    ``WarmKernelManager.zygote`` (the address), ``.python`` and ``.kernel_log``. Made once per
    process: every section's kernel manager is of the one class its config names."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import List, Unicode

    provisioner = _provisioner_class()

    class WarmKernelManager(AsyncKernelManager):
        zygote = Unicode("", config=True)
        python = List(Unicode(), config=True)
        kernel_log = Unicode("", config=True)

        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None and self.zygote:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = provisioner(
                    kernel_id=self.kernel_id,
                    kernel_spec=self.kernel_spec,
                    parent=self,
                    zygote=self.zygote,
                    python=self.python,
                    kernel_log=self.kernel_log,
                )
            return await super()._async_pre_start_kernel(**kw)

    return WarmKernelManager


def papermill_options(zygote: str | None, python: list[str] | None, kernel_log: str) -> dict:
    """Keyword arguments for ``papermill.execute_notebook`` that take its kernel from the zygote
    (nothing when there is none: Papermill starts a plain kernel)."""
    if not (zygote and python):
        return {}
    from traitlets.config import Config

    return {
        "kernel_manager_class": warm_kernel_manager_class(),
        "config": Config(
            {"WarmKernelManager": {"zygote": zygote, "python": python, "kernel_log": kernel_log}}
        ),
    }


# -- the zygote itself ------------------------------------------------------------------------


def _serve(fd: int, preload: list[str]) -> None:
    listener = socket.socket(fileno=fd)
    for name in preload:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped as they end
    parent = os.getppid()
    listener.settimeout(1.0)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:  # the run has gone
                return
            continue
        with conn:
            conn.settimeout(10)
            try:
                request = json.loads(conn.makefile("rb").readline())
            except (OSError, ValueError):
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                _become_kernel(request)  # does not return
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _become_kernel(request: dict) -> None:
    """In the forked child: become what ``python -m ipykernel_launcher -f FILE`` starts."""
    code = 1
    try:
        os.setsid()  # as jupyter_client launches kernels: Ctrl+C in the terminal is not for it
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        out = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(devnull)
        os.close(out)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = os.getcwd()  # `python -m` puts the working folder first
        import random

        import numpy as np

        random.seed()  # a fresh process draws its own seeds; a fork would share the zygote's
        np.random.seed()
        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [launcher.origin if launcher else "ipykernel_launcher", *request["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    _serve(int(sys.argv[1]), [m for m in sys.argv[2].split(",") if m])
