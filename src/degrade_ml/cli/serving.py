"""`degrade-ml serve`: MLflow's scoring server (POST /invocations, GET /ping) for the bundled model or --model.

`mlflow models serve` starts `uvicorn` by name from PATH, so from a fresh clone it fails with `uvicorn: not found`
unless the virtual environment is activated. This command runs it with the environment's own bin folder first on
PATH, from a model folder saved with the installed code (so served answers follow its rules: per-row errors,
the row time budget, strict JSON), and passes SIGTERM and SIGINT on to the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path


def serve_command(model_folder: Path, host: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "mlflow", "models", "serve", "-m", str(model_folder), "--env-manager", "local",
            "--host", host, "--port", str(port), "--workers", str(workers)]


def server_environment() -> dict[str, str]:
    """This process's environment with the interpreter's bin folder first on PATH and its import path kept."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def run_serve(model_uri: str | None, host: str, port: int, workers: int, say) -> int:
    """Serve until the server stops or this process is told to; the server's exit code (0 after SIGTERM/SIGINT)."""
    from degrade_ml.cli.predicting import load_predictor
    from degrade_ml.registry.pyfunc import save_model_folder

    predictor = load_predictor(model_uri)
    with tempfile.TemporaryDirectory(prefix="degrade-ml-serve-") as workdir:
        folder = save_model_folder(predictor, Path(workdir) / "model")
        say(f"serving on http://{host}:{port}/invocations (POST a CSV or JSON batch; Ctrl-C stops)")
        server = subprocess.Popen(serve_command(folder, host, port, workers), env=server_environment(),
                                  start_new_session=True)
        stopped = []

        def stop(signum, frame) -> None:
            stopped.append(signum)
            os.killpg(server.pid, signal.SIGTERM)

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            code = server.wait()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    return 0 if stopped else code
