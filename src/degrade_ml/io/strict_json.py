"""JSON as strict parsers read it (SPEC §4): a number that is not finite is null, never the bare NaN or Infinity
that Python's json module writes by default."""

from __future__ import annotations

import json
import math


def dumps(value: object) -> str:
    """`json.dumps` with every non-finite float replaced by null; ValueError if one slips through anyway."""
    return json.dumps(_finite(value), allow_nan=False)


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
