"""What a screen will cost before it starts: memory held whole or streamed, and disk beside the output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from degrade_ml.io.spill import PASS_ROWS
from degrade_ml.screening.grid import CHUNK_ROWS, ScreenError

# Measured with benchmarks/screen.py (bundled model, 2 CPUs): a screen held whole in memory costs about
# 1.7 kB per combination (1,000,000 took 1.56 GiB); streamed, memory stays near the model's footprint plus
# the chunk being predicted and the pass being sorted (1,000,000: 516 MiB peak, before the thermodynamic columns). On
# disk the output takes 4 (parquet) or 200 (CSV) bytes per row; the estimate doubles them.
BYTES_PER_ROW_IN_MEMORY = 1_700

# with the thermodynamic columns benchmarks/screen.py measured 816 MiB at peak for 1,000,000 streamed (857 before the
# per-distinct trims; an outside check 691 earlier): 300 MiB of model and phase data (299 MiB measured for an 8-row
# screen), the sorting pass, and about 21 kB per chunk row
BYTES_PER_ROW_PREDICTED = 21_000

BYTES_PER_ROW_SORTED = 1_200

# the spill of a 1,000,000 screen with the thermodynamic columns measured about 82 bytes per row; doubled. Since its
# repeated text is spilled as codes, a 100,000 screen spilled in passes of 20,000 rows takes 60 bytes per row (104
# before, same measure)
BYTES_PER_ROW_SPILLED = 164

BYTES_PER_ROW_WRITTEN = {".parquet": 10, ".csv": 400}

BASE_BYTES = 300 * 2**20


@dataclass(frozen=True)
class MemoryEstimate:
    combinations: int
    in_memory_bytes: int  # the whole ranking held at once (`screen`, the Spark engine)
    streamed_bytes: int  # `screen_to_file`: the model, one chunk and one sorting pass
    disk_bytes: int  # temporary spill beside the output, plus the output itself

    def __str__(self) -> str:
        streamed, whole = mib(self.streamed_bytes), mib(self.in_memory_bytes)
        memory = (f"about {streamed} of memory" if streamed == whole  # one chunk: streaming saves nothing
                  else f"about {streamed} of memory streamed in chunks (held whole it would be {whole})")
        disk = f"up to {mib(self.disk_bytes)}" if self.disk_bytes >= 2**20 else "under 1 MiB"
        return f"{self.combinations:,} combinations: {memory}, {disk} of disk beside the output"


def mib(size: float) -> str:
    return f"{size / 2**30:.1f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


def estimate_memory(combinations: int, chunk_rows: int = CHUNK_ROWS, pass_rows: int = PASS_ROWS,
                    suffix: str = ".csv") -> MemoryEstimate:
    """What a screen of `combinations` will take, before it starts (`suffix`: the output's format)."""
    streamed = BASE_BYTES + min(combinations, chunk_rows) * BYTES_PER_ROW_PREDICTED \
        + min(combinations, pass_rows) * BYTES_PER_ROW_SORTED
    on_disk = combinations * (BYTES_PER_ROW_SPILLED + BYTES_PER_ROW_WRITTEN.get(suffix.lower(), 400))
    # held whole, the ranking sits beside the chunk being predicted: never less than streaming it
    whole = BASE_BYTES + min(combinations, chunk_rows) * BYTES_PER_ROW_PREDICTED + combinations * BYTES_PER_ROW_IN_MEMORY
    return MemoryEstimate(combinations, whole, streamed, on_disk)

def available_memory() -> int | None:
    """MemAvailable of /proc/meminfo in bytes (None where there is no such file)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None

def check_memory(combinations: int) -> None:
    """ScreenError, before anything is predicted, when a screen held in memory would not fit."""
    estimate, available = estimate_memory(combinations), available_memory()
    if available is not None and estimate.in_memory_bytes > available:
        raise ScreenError(
            f"{combinations:,} combinations held in memory need about {mib(estimate.in_memory_bytes)}, "
            f"{mib(available)} is available; screen them into a file with the local engine "
            "(`degrade-ml screen --output …`, or `screening.local.screen_to_file`), which streams"
        )
