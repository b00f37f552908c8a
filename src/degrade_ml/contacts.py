"""Contacts computed elsewhere, handed to the model: which contacts an interface needs, how a computed contact
travels (bytes in a Spark column), and an engine that answers the contacts it was given.

A screen on Spark computes every distinct contact once on the executors and joins the results back to the
combinations; the model then reads them instead of computing them again in every Python worker."""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from functools import lru_cache

from degrade_ml.chemistry.formulas import parse_formula
from degrade_ml.thermo.conduction import passes_potential
from degrade_ml.thermo.engine import Contact, ThermoCoverageError, ThermoEngine

ContactKey = tuple[str, str, "float | None"]  # (a, b, potential V vs Li/Li+ or None for a chemical contact)
CONTACT_COLUMNS: tuple[str, ...] = ("contact_se_electrode", "contact_se_coating", "contact_coating_electrode")


def contact_key(a: str, b: str, potential_V: float | None) -> ContactKey:
    """The key `ThermoEngine.contact` gives a contact: the potential rounded to 0.1 mV, None when there is none."""
    if potential_V is None or (isinstance(potential_V, float) and math.isnan(potential_V)):
        return (a, b, None)
    return (a, b, round(float(potential_V), 4))


def se_electrode_key(se: str, electrode: str, potential_V: float | None) -> ContactKey:
    return contact_key(se, electrode, potential_V)


def se_coating_key(se: str, coating: str, electrode: str, potential_V: float | None) -> ContactKey:
    """The SE meets an insulating coating chemically (it keeps the electrode potential away) and a metallic interlayer
    at the electrode potential (`passes_potential`), 0 V against Li metal."""
    if not passes_potential(coating):
        return contact_key(se, coating, None)
    return contact_key(se, coating, 0.0 if _is_li_metal(electrode) else potential_V)


def coating_electrode_key(coating: str, electrode: str, potential_V: float | None) -> ContactKey:
    """The coating faces the electrode potential, 0 V against Li metal."""
    return contact_key(coating, electrode, 0.0 if _is_li_metal(electrode) else potential_V)


def contact_keys(se: str, electrode: str, coating: str, potential_V: float | None) -> tuple[ContactKey, ...]:
    """The contacts `thermo.stack.analyse_interface` asks its engine for, in the order of CONTACT_COLUMNS."""
    if not coating:
        return (se_electrode_key(se, electrode, potential_V),)
    return (se_electrode_key(se, electrode, potential_V), se_coating_key(se, coating, electrode, potential_V),
            coating_electrode_key(coating, electrode, potential_V))


@lru_cache(maxsize=4096)
def _is_li_metal(formula: str) -> bool:
    return parse_formula(formula).reduced_formula == "Li"


def encode(key: ContactKey, engine: ThermoEngine) -> bytes:
    """The contact computed by `engine`, or the coverage error it raises, as bytes for a Spark column."""
    try:
        outcome: Contact | str = engine.contact(*key)
    except ThermoCoverageError as error:
        outcome = str(error)
    return pickle.dumps((key, outcome), protocol=pickle.HIGHEST_PROTOCOL)


class KnownContacts:
    """An engine that answers the contacts it was given and hands everything else (windows, decompositions,
    contacts it was not given) to `engine`; `computed` counts the contacts it had to compute itself."""

    def __init__(self, engine: ThermoEngine, encoded: Iterable[bytes | None]):
        self.engine = engine
        self.known: dict[ContactKey, Contact | str] = {}
        for blob in {bytes(b) for b in encoded if isinstance(b, (bytes, bytearray))}:  # None/NaN: no such contact
            key, outcome = pickle.loads(blob)
            self.known[key] = outcome
        self.computed = 0

    def contact(self, a: str, b: str, potential_V: float | None) -> Contact:
        outcome = self.known.get(contact_key(a, b, potential_V))
        if outcome is None:
            self.computed += 1
            return self.engine.contact(a, b, potential_V)
        if isinstance(outcome, str):
            raise ThermoCoverageError(outcome)
        return outcome

    def __getattr__(self, name: str):
        return getattr(self.engine, name)
