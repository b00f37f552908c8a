"""A standalone Spark cluster on this machine, started from the pyspark wheel's own `spark-class`: a master and
N workers bound to 127.0.0.1 on free ports. For trying `screen --spark-master spark://…` without a cluster, for the
cluster test and for the benchmark; a real cluster is started by its administrators, not by this module."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
REGISTER_TIMEOUT_S = 180


@dataclass
class StandaloneCluster:
    folder: Path  # logs and the workers' work folders (work-0, work-1, …: one app-… folder per application)
    master_url: str = ""
    processes: list[subprocess.Popen] = field(default_factory=list)

    def driver_env(self, python_path: str, executor_memory: str = "512m") -> dict[str, str]:
        """Environment for a driver process (e.g. `degrade-ml screen`) on this cluster: bound to 127.0.0.1,
        Python workers on this interpreter, `python_path` on the executors' PYTHONPATH, no web UI."""
        import sys

        conf = {"spark.executorEnv.PYTHONPATH": python_path, "spark.ui.enabled": "false",
                "spark.executor.memory": executor_memory}
        return {"SPARK_LOCAL_IP": HOST, "PYSPARK_PYTHON": sys.executable, "PYTHONPATH": python_path,
                "PYSPARK_SUBMIT_ARGS": " ".join(f"--conf {k}={v}" for k, v in conf.items()) + " pyspark-shell"}

    def stop(self) -> None:
        """SIGTERM to each daemon's process group (a worker's executors included), SIGKILL after 30 s."""
        for process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=30)


@contextmanager
def standalone_cluster(folder: Path, workers: int = 1, cores: int = 1, memory: str = "1g") -> Iterator[StandaloneCluster]:
    """A running master with `workers` registered workers (each `cores` cores and `memory`), stopped on exit
    whatever happens inside the block."""
    import pyspark

    home = Path(pyspark.__file__).parent
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": HOST, "SPARK_DAEMON_MEMORY": "256m"}
    cluster = StandaloneCluster(Path(folder))
    cluster.folder.mkdir(parents=True, exist_ok=True)
    try:
        port = _free_port()
        cluster.master_url = f"spark://{HOST}:{port}"
        master_log = cluster.folder / "master.log"
        cluster.processes.append(_start(home, env, master_log, "org.apache.spark.deploy.master.Master",
                                        "--host", HOST, "--port", str(port), "--webui-port", str(_free_port())))
        for i in range(workers):
            cluster.processes.append(_start(
                home, env, cluster.folder / f"worker-{i}.log", "org.apache.spark.deploy.worker.Worker",
                "--host", HOST, "--port", str(_free_port()), "--webui-port", str(_free_port()), "--cores", str(cores),
                "--memory", memory, "--work-dir", str(cluster.folder / f"work-{i}"), cluster.master_url))
        _wait_for_workers(cluster, master_log, workers)
        yield cluster
    finally:
        cluster.stop()


def _start(home: Path, env: dict, log: Path, main_class: str, *arguments: str) -> subprocess.Popen:
    with log.open("wb") as handle:
        return subprocess.Popen([str(home / "bin" / "spark-class"), main_class, *arguments], env=env,
                                stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def _wait_for_workers(cluster: StandaloneCluster, master_log: Path, workers: int) -> None:
    deadline = time.monotonic() + REGISTER_TIMEOUT_S
    while master_log.read_text(errors="replace").count("Registering worker") < workers:
        stopped = [p for p in cluster.processes if p.poll() is not None]
        if stopped or time.monotonic() > deadline:
            why = f"exited with {stopped[0].returncode}" if stopped else f"not registered after {REGISTER_TIMEOUT_S} s"
            raise RuntimeError(f"standalone Spark cluster {why}; logs in {cluster.folder}")
        time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass


def spellings(name: str, count: int) -> list[str]:
    """`count` case variants of a materials-table name, the name itself first: the table ignores case, so a screen
    of spellings has as many rows as one of distinct materials but only the few distinct contacts of the names
    (the cluster test and benchmark measure the rows without the chemistry)."""
    letters = [(c.upper(), c.lower()) if c.isalpha() else (c,) for c in name]
    variants = [v for v in ("".join(p) for p in itertools.product(*letters)) if v != name]
    if len(variants) + 1 < count:
        raise ValueError(f"{name!r} has only {len(variants) + 1} spellings, {count} asked")
    return [name, *variants[: count - 1]]
