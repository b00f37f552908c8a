"""Reaching the MLflow store: bounded waits, failures that name the URI, no store created by a lookup.

MLflow's HTTP client retries a dead server for minutes (7 retries with exponential backoff, 120 s per
request). The CLI sets `MLFLOW_HTTP_REQUEST_TIMEOUT`, `…_MAX_RETRIES`, `…_BACKOFF_FACTOR` and `…_BACKOFF_JITTER`
when the user has not, and probes a server once before using it, so a dead one is reported within seconds; a
server that answers the probe but hangs or fails (HTTP 5xx) on the API is reported as `ServerUnreachable` too. A lookup (`models:/…`, `runs:/…`, `models list`) against the embedded
SQLite default reads an existing store and never creates `./mlflow.db`; training creates its store first,
under a lock on the store's folder, because two processes setting up a fresh SQLite schema at once race.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from degrade_ml.errors import OutsideError, UserError

# a server that hangs costs 3 s + 3 s (one retry, no back-off) before the command fails: within 15 s with the start-up
HTTP_DEFAULTS = {
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "3",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "0",
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0",
}
PROBE_SECONDS = 5.0
# MLflow's codes for HTTP 5xx answers and for requests that timed out or kept failing
SERVER_ERROR_CODES = frozenset({"INTERNAL_ERROR", "TEMPORARILY_UNAVAILABLE", "SERVICE_UNDER_MAINTENANCE"})


class StoreMissing(UserError):
    """A lookup in a local store that does not exist (bad usage: exit 2)."""


class ServerUnreachable(OutsideError):
    """The tracking server named by the URI does not answer (exit 1)."""


def bound_http_waits() -> None:
    """Short timeouts and few retries for MLflow's HTTP client, unless the user chose their own."""
    for name, value in HTTP_DEFAULTS.items():
        os.environ.setdefault(name, value)


def tracking_uri() -> str:
    import mlflow

    return mlflow.get_tracking_uri()


def registry_uri() -> str:
    import mlflow

    return mlflow.get_registry_uri()


def is_remote(uri: str) -> bool:
    return uri.startswith(("http://", "https://"))


def sqlite_path(uri: str) -> Path | None:
    """The database file of a `sqlite:///…` URI, else None."""
    if not uri.startswith("sqlite:///"):
        return None
    return Path(uri[len("sqlite:///"):].split("?", 1)[0]).expanduser().absolute()


def check_server(uri: str, say: Callable[[str], object] | None = None) -> None:
    """ServerUnreachable within PROBE_SECONDS when `uri` is an HTTP server that does not answer
    (`say` hears what is being waited for)."""
    if not is_remote(uri):
        return
    if say is not None:
        say(f"contacting MLflow tracking server {uri} (up to {PROBE_SECONDS:g} s) …")
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(f"{uri.rstrip('/')}/health", timeout=PROBE_SECONDS).close()
    except urllib.error.HTTPError:
        return  # it answered (perhaps 401/404): reachable
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ServerUnreachable(
            f"MLflow tracking server {uri} does not answer ({reason}); start it or point MLFLOW_TRACKING_URI "
            "at a running one"
        ) from None


def is_server_failure(error: Exception) -> bool:
    """An MlflowException from a server that hangs (timeout) or fails (HTTP 5xx), not from the query."""
    message = str(getattr(error, "message", error))
    return getattr(error, "error_code", "") in SERVER_ERROR_CODES or message.startswith("API request to")


@contextmanager
def server_failures_reported() -> Iterator[None]:
    """MLflow errors of a hanging or failing server become one ServerUnreachable line (exit 1)."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as error:
        if is_server_failure(error):
            raise ServerUnreachable(server_failure_message(error)) from None
        raise


def server_failure_message(error: Exception) -> str:
    """One line naming the server: the tracking URI, and MLflow's reason cut short."""
    reason = " ".join(str(getattr(error, "message", error)).split())
    status = re.search(r"too many (\d{3}) error responses|status code (\d{3})", reason)
    if "timed out" in reason:
        reason = f"no answer within {os.environ.get('MLFLOW_HTTP_REQUEST_TIMEOUT', '?')} s"
    elif status:
        reason = f"HTTP {status.group(1) or status.group(2)}"
    return (f"MLflow tracking server {tracking_uri()} failed to answer its API ({reason[:160]}); check the server "
            "or point MLFLOW_TRACKING_URI at a working one")


def require_store(uri: str) -> None:
    """StoreMissing when `uri` is a local SQLite store that does not exist yet (a lookup must not create it)."""
    path = sqlite_path(uri)
    if path is not None and not path.is_file():
        hint = "" if os.environ.get("MLFLOW_TRACKING_URI") else " (MLFLOW_TRACKING_URI is not set)"
        raise StoreMissing(f"no MLflow store at {path}{hint}; run `degrade-ml train` or set MLFLOW_TRACKING_URI")


def prepare_lookup(say: Callable[[str], object] | None = None) -> str:
    """Before reading the registry or runs: bounded waits, a live server, an existing store. The tracking URI."""
    return _prepare(require_store, say)


def prepare_training(say: Callable[[str], object] | None = None) -> str:
    """Before training: bounded waits, a live server, and a local store created (once, under a lock)."""
    return _prepare(create_store, say)


def _prepare(ready_store: Callable[[str], None], say: Callable[[str], object] | None) -> str:
    bound_http_waits()
    uris = dict.fromkeys((tracking_uri(), registry_uri()))
    for uri in uris:
        check_server(uri, say)
        ready_store(uri)
    return next(iter(uris))


def create_store(uri: str) -> None:
    """Set up a local SQLite store's schema while holding the folder lock, so concurrent trainers do not race."""
    if sqlite_path(uri) is None:
        return
    from mlflow import MlflowClient

    with store_lock(uri):
        MlflowClient(tracking_uri=uri).search_experiments(max_results=1)


@contextmanager
def store_lock(uri: str) -> Iterator[None]:
    """An exclusive lock on the folder of a local SQLite store (no-op for other stores)."""
    path = sqlite_path(uri)
    if path is None or not path.parent.is_dir():
        yield
        return
    descriptor = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
