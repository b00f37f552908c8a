"""The model bundled in models/: a fresh install predicts with no training and no server.

The bundle is a pickle, and loading a pickle runs code: load only models from sources you trust.
`degrade-ml export` records the file's sha256 beside it (`degrade-ml-interface.joblib.sha256`, the format of
`sha256sum`), and the checksum is verified on the very bytes that are then unpickled, so a corrupt or altered
bundle is refused with a message naming the file instead of being loaded.

Format: `export` writes a zlib-compressed standard pickle behind a one-line header, which the C unpickler
loads in about 0.07 s; joblib's own format (its unpickler is pure Python: about 0.3 s for the same forests)
is still read, so a bundle exported before stays usable. Load time counts: it is part of every cold
`degrade-ml predict`.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import zlib
from pathlib import Path
from typing import IO

import joblib

from degrade_ml.io.atomic import atomic_write
from degrade_ml.errors import OutsideError
from degrade_ml.models.predictor import InterfacePredictor

BUNDLE_NAME = "degrade-ml-interface.joblib"
METADATA_NAME = "metadata.json"
CHECKSUM_SUFFIX = ".sha256"
HEADER = b"degrade-ml bundle: zlib-compressed pickle, protocol 5\n"


class BundleError(OutsideError):
    """The bundled model is missing, corrupt or altered; the message names the file and how to rebuild it."""


def default_bundle_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "models"


def export_bundle(predictor: InterfacePredictor, bundle_dir: Path | None = None) -> Path:
    """Write the predictor, its checksum and its metadata (dataset hash, metrics) atomically."""
    bundle_dir = Path(bundle_dir or default_bundle_dir())
    bundle_dir.mkdir(parents=True, exist_ok=True)
    path = bundle_dir / BUNDLE_NAME
    atomic_write(path, lambda handle: dump_predictor(predictor, handle))
    write_checksum(path)
    metadata = json.dumps(predictor.metadata, indent=2, sort_keys=True, default=str)
    atomic_write(bundle_dir / METADATA_NAME, lambda handle: handle.write(metadata.encode()))
    return path


def dump_predictor(predictor: InterfacePredictor, handle: IO[bytes]) -> None:
    handle.write(HEADER)
    handle.write(zlib.compress(pickle.dumps(predictor, protocol=5), 3))


def _unpickle(data: bytes) -> object:
    if data.startswith(HEADER):
        return pickle.loads(zlib.decompress(data[len(HEADER):]))
    return joblib.load(io.BytesIO(data))  # a bundle exported in joblib's format


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + CHECKSUM_SUFFIX)


def write_checksum(path: Path) -> None:
    line = f"{sha256_of(path)}  {Path(path).name}\n"
    atomic_write(checksum_path(path), lambda handle: handle.write(line.encode()))


def verify_checksum(path: Path, data: bytes | None = None) -> None:
    """BundleError unless `path` (or `data`, its bytes as read) matches the sha256 recorded at export."""
    rebuild = "rebuild it with `degrade-ml export`"
    try:
        recorded = checksum_path(path).read_text().split()[0]
    except (OSError, IndexError):
        raise BundleError(f"bundled model {path} has no checksum ({checksum_path(path).name}); {rebuild}") from None
    actual = sha256_of(path) if data is None else hashlib.sha256(data).hexdigest()
    if actual != recorded:
        raise BundleError(f"bundled model {path} is corrupt or was modified (sha256 differs from the one recorded "
                          f"at export); {rebuild}")


def load_bundle(bundle_dir: Path | None = None) -> InterfacePredictor:
    """The bundled predictor, after its checksum is verified (the file is a pickle: it must be ours)."""
    path = Path(bundle_dir or default_bundle_dir()) / BUNDLE_NAME
    if not path.is_file():
        raise BundleError(f"no bundled model at {path}; build it with `degrade-ml export`")
    data = path.read_bytes()
    verify_checksum(path, data)
    try:
        predictor = _unpickle(data)
    except Exception as error:  # noqa: BLE001 - a matching checksum but an unreadable pickle: same remedy
        raise BundleError(f"bundled model {path} cannot be loaded ({type(error).__name__}); "
                          "rebuild it with `degrade-ml export`") from None
    if not isinstance(predictor, InterfacePredictor):
        raise BundleError(f"bundled model {path} is not a degrade-ml predictor; rebuild it with `degrade-ml export`")
    if why := predictor.incompatibility():
        raise BundleError(f"model {path} {why}; rebuild it with `degrade-ml export` (or train a new one)")
    return predictor


def bundle_metadata(bundle_dir: Path | None = None) -> dict:
    return json.loads((Path(bundle_dir or default_bundle_dir()) / METADATA_NAME).read_text())
