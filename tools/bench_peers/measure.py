"""Measuring helpers: child processes with wall time and peak RSS, percentiles, sizes, free ports."""
import os
import signal
import socket
import subprocess
import tempfile
import time

TIME = "/usr/bin/time"  # GNU time (Debian package time)


class PhaseTimeout(Exception):
    """A peer's phase ran past its time limit."""


def run_measured(cmd, timeout, env=None, cwd=None, stdout=None, stderr=None, preexec_fn=None):
    """Runs cmd (a list, or a string for the shell) to completion within timeout seconds.

    Returns (wall seconds, peak RSS in KiB of the child and the descendants it waited for). The child gets its
    own process group so that a timeout ends it and everything it started, and nothing else.

    The peak RSS comes from GNU time: Linux carries a process's peak RSS across fork and exec, so a child forked
    straight from this Python process would report at least this process's own peak (hundreds of MB after the
    corpus scan); a child forked by /usr/bin/time starts from time's few MB."""
    if isinstance(cmd, str):
        cmd = ["/bin/sh", "-c", cmd]
    rss_file = None
    if os.access(TIME, os.X_OK) and preexec_fn is None:  # (a child that drops privileges could not write it)
        fd, rss_file = tempfile.mkstemp(prefix="bench-peers-rss-")
        os.close(fd)
        cmd = [TIME, "-f", "%M", "-o", rss_file, "--"] + list(cmd)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=stdout, stderr=stderr, start_new_session=True,
                            preexec_fn=preexec_fn)
    try:
        wall, rss = _wait(proc, cmd, start, timeout)
        if rss_file:
            with open(rss_file) as f:
                lines = [l for l in f.read().split() if l.isdigit()]
            rss = int(lines[-1]) if lines else None
        return wall, rss
    finally:
        if rss_file:
            os.remove(rss_file)


def _wait(proc, cmd, start, timeout):
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() - start > timeout:
            kill_group(proc.pid)
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise PhaseTimeout("%s: still running after %d s" % (short(cmd), timeout))
        time.sleep(0.05)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError("%s: exit status %s" % (short(cmd), proc.returncode))
    return wall, usage.ru_maxrss


def kill_group(pid, sig=signal.SIGKILL):
    """Ends the process group that pid leads (started with start_new_session), ignoring a gone group."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_process(proc, grace=10):
    """SIGTERM, wait up to grace seconds, then SIGKILL: for the servers this tool started (by their id)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        proc.wait()


def short(cmd):
    text = cmd if isinstance(cmd, str) else " ".join(str(c) for c in cmd)
    return text if len(text) < 120 else text[:117] + "..."


def percentile(sorted_ms, q):
    """The q-quantile (0..1) of an ascending list by the nearest-rank method (as dixit-bench-query does)."""
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * q))]


def dir_bytes(path):
    """Bytes on disk of the files under path (or of the file path)."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except FileNotFoundError:
                pass
    return total


def vm_hwm_kb(pid):
    """Peak resident set (VmHWM, KiB) of a running process, or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def free_port():
    """A loopback TCP port that was free a moment ago (the servers that cannot take port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout, proc=None):
    """Waits until 127.0.0.1:port accepts a connection; fails early if proc exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with status %s before listening" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise PhaseTimeout("nothing listening on 127.0.0.1:%d after %d s" % (port, timeout))


def machine():
    """Cores, memory and CPU model of this machine."""
    model, mem_kb = "?", 0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cores": os.cpu_count(), "mem_gib": mem_kb / 1048576, "cpu": model}
