"""Screens run by the web page, one at a time on a worker thread, so that a request never waits for a screen and
other users' pages keep answering while one runs. Each job records its progress; the page polls it.

The work is the local screen's own: materials resolved once (`resolve_candidates`), the Cartesian product in slices
(`combination_chunks`), each predicted as `degrade-ml screen` does (`predict_in_chunks`) and the whole ranked (`rank`);
the slices only let the progress bar move."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from degrade_ml.app.guard import one_line
from degrade_ml.conditions import (
    AT_OPEN_CIRCUIT, CONDITION_LIMITS, OpenCircuit, UnknownReferenceError, is_open_circuit, parse_condition, unreadable,
)
from degrade_ml.models.predictor import InterfacePredictor, predict_in_chunks
from degrade_ml.screening.grid import Candidate, Rejected, ScreenError, combination_chunks, resolve_candidates
from degrade_ml.screening.rank import rank
from degrade_ml.screening.results import tidy

MAX_COMBINATIONS = 100_000  # beyond this a screen belongs to `degrade-ml screen`, which streams to a file
KEPT_JOBS = 8  # finished screens kept for download; the oldest is dropped first
PROGRESS_STEPS = 20
MIN_SLICE_ROWS = 200  # smaller slices would cost more in per-call overhead than the progress bar is worth


@dataclass
class ScreenJob:
    total: int  # combinations as listed (bad materials are dropped once resolved)
    done: int = 0
    stage: str = "waiting for the screen before it"
    results: pd.DataFrame | None = None
    rejected: list[Rejected] = field(default_factory=list)
    listed: dict[str, list[str]] = field(default_factory=dict)  # the usable names of each kind, in the order given
    error: str = ""
    seconds: float = 0.0

    @property
    def finished(self) -> bool:
        return self.results is not None or bool(self.error)


def check_size(lists: dict[str, list[str]]) -> int:
    """The number of combinations; ScreenError when a list is empty or the page's cap is exceeded."""
    for kind, names in lists.items():
        if not names:
            raise ScreenError(f"no {kind} listed")
    total = math.prod(len(names) for names in lists.values())
    if total > MAX_COMBINATIONS:
        raise ScreenError(
            f"{total:,} combinations: the page screens at most {MAX_COMBINATIONS:,}; run `degrade-ml screen --se … "
            "--electrodes … --coatings … --output screen.parquet` for larger screens (it streams to a file)")
    return total


def check_voltage(text: str | None) -> float | OpenCircuit | None:
    """The voltage as a number (None when left empty, AT_OPEN_CIRCUIT for OCV: every pristine contact); ScreenError
    naming it otherwise, as `degrade-ml screen` does."""
    if text is None or str(text).strip() == "":
        return None
    if is_open_circuit(str(text)):
        return AT_OPEN_CIRCUIT
    low, high = CONDITION_LIMITS["voltage_V"]
    try:
        voltage = parse_condition("voltage_V", str(text))
    except UnknownReferenceError as error:
        raise ScreenError(f"voltage {str(text)!r}: {error}") from None
    except ValueError:
        raise ScreenError(f"voltage: {unreadable('voltage_V', str(text))}") from None
    if not low <= voltage <= high:
        raise ScreenError(f"voltage {text!r}: must be between {low:g} and {high:g} V vs Li/Li+")
    return voltage


class ScreenJobs:
    """The page's screens: started by `start`, read by `get`, run one after another on a single worker thread."""

    def __init__(self, predictor: InterfacePredictor):
        self.predictor = predictor
        self._jobs: OrderedDict[str, ScreenJob] = OrderedDict()
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="degrade-ml-screen")

    def start(self, lists: dict[str, list[str]], voltage: float | OpenCircuit | None) -> str:
        """Queue a screen of `lists` ({"SE": [...], "electrode": [...], "coating": [...]}, "" for no coating) and
        return its id; ScreenError at once for a list that is empty or too large."""
        job = ScreenJob(total=check_size(lists))
        job_id = uuid.uuid4().hex
        with self._lock:
            self._jobs[job_id] = job
            while len(self._jobs) > KEPT_JOBS:
                self._jobs.popitem(last=False)
        self._worker.submit(self._run, job, lists, voltage)
        return job_id

    def get(self, job_id: str | None) -> ScreenJob | None:
        with self._lock:
            return self._jobs.get(job_id) if job_id else None

    def _run(self, job: ScreenJob, lists: dict[str, list[str]], voltage: float | OpenCircuit | None) -> None:
        started = time.perf_counter()
        try:
            job.stage = "resolving materials"
            usable = self._usable(job, lists, voltage)
            job.listed = {kind: [c.name for c in candidates] for kind, candidates in usable.items()}
            job.total = math.prod(len(candidates) for candidates in usable.values())
            job.stage = "predicting"
            rows = max(MIN_SLICE_ROWS, math.ceil(job.total / PROGRESS_STEPS))
            parts = []
            for _, queries in combination_chunks(*usable.values(), voltage, chunk_rows=rows):
                parts.append(predict_in_chunks(self.predictor, queries, chunk_rows=rows))
                job.done += len(queries)
            job.results = tidy(rank(pd.concat(parts, ignore_index=True)))
        except ScreenError as error:
            job.error = str(error)
        except Exception as error:  # noqa: BLE001 - the page shows one line, never a traceback
            job.error = one_line(error)
        job.seconds = time.perf_counter() - started

    def _usable(self, job: ScreenJob, lists: dict[str, list[str]], voltage: float | OpenCircuit | None
                ) -> dict[str, list[Candidate]]:
        usable = {}
        for kind, names in lists.items():
            usable[kind], rejected = resolve_candidates(self.predictor, names, kind, voltage)
            job.rejected += rejected
            if not usable[kind]:
                raise ScreenError(f"no usable {kind} (given: {', '.join(map(repr, names))})")
        return usable
