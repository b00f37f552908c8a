"""The pieces of the Spark engine that run without a cluster: which contacts a combination needs, contacts handed to
the model instead of computed again, the master URL and output checks, and a Spark failure as one line."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from degrade_ml.screening import spark as screening_spark
from degrade_ml.contacts import CONTACT_COLUMNS, KnownContacts, contact_keys, encode
from degrade_ml.features.thermo import using_engine
from degrade_ml.registry.pyfunc import InterfacePyfunc
from degrade_ml.screening.grid import ScreenError
from degrade_ml.thermo.engine import ThermoEngine, default_engine
from degrade_ml.thermo.stack import analyse_interface

INTERFACES = [  # (SE, electrode, coating, potential): cathode, coated cathode, coated Li metal, no potential,
    # metallic interlayers on Li metal and on a cathode (the SE meets them at the electrode potential)
    ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "", 3.8),
    ("Li10GeP2S12", "LiCoO2", "LiNbO3", 4.3),
    ("Li3PS4", "Li", "Li2ZrO3", None),
    ("Li3PS4", "C", "", None),
    ("Li6PS5Cl", "Li", "C", None),
    ("Li6PS5Cl", "LiFePO4", "C", 3.8),
    ("Li6PS5Cl", "LiCoO2", "CeO2", 3.9),  # Ce lies outside the phase-energy table
]


class Recording:
    """An engine that notes which contacts it is asked for."""

    def __init__(self, engine):
        self.engine, self.asked = engine, []

    def contact(self, a, b, potential_V):
        from degrade_ml.contacts import contact_key

        self.asked.append(contact_key(a, b, potential_V))
        return self.engine.contact(a, b, potential_V)

    def __getattr__(self, name):
        return getattr(self.engine, name)


@pytest.mark.parametrize("se, electrode, coating, potential", INTERFACES[:6])
def test_contact_keys_are_the_contacts_the_thermodynamics_asks_for(se, electrode, coating, potential):
    recording = Recording(ThermoEngine.from_table())  # a fresh engine: nothing memoised yet
    analyse_interface(recording, se, electrode, coating, potential)
    assert recording.asked == list(contact_keys(se, electrode, coating, potential))


def _queries_and_contacts(predictor) -> pd.DataFrame:
    """The interfaces as queries, each with its contacts computed beforehand at the potential the predictor uses."""
    queries = pd.DataFrame(INTERFACES, columns=["se", "electrode", "coating", "voltage_V"])
    resolved, errors = predictor.resolve(queries)
    assert not any(errors)
    engine = default_engine()
    for column in CONTACT_COLUMNS:
        queries[column] = None
    for i, row in resolved.iterrows():
        keys = contact_keys(row["se_formula"], row["electrode_formula"], row["coating_formula"], row["potential_V"])
        for column, key in zip(CONTACT_COLUMNS, keys):
            queries.at[i, column] = encode(key, engine)
    return queries


def test_the_model_reads_the_contacts_it_is_given_and_computes_none(predictor):
    given = _queries_and_contacts(predictor)
    queries = given.drop(columns=list(CONTACT_COLUMNS))
    expected = predictor.predict(queries)
    # over a fresh engine, so that the features and columns must ask for every contact again
    known = KnownContacts(ThermoEngine.from_table(), (blob for c in CONTACT_COLUMNS for blob in given[c]))
    with using_engine(known):
        answered = predictor.predict(queries)
    assert known.computed == 0
    pd.testing.assert_frame_equal(answered, expected)
    assert answered["warnings"].iloc[-1] and any("outside the phase-energy table" in w for w in answered["warnings"].iloc[-1])


def test_the_pyfunc_takes_contact_columns_and_answers_as_without_them(predictor):
    model = InterfacePyfunc()
    model.predictor = predictor
    given = _queries_and_contacts(predictor)
    with_contacts = model.predict(None, given)
    without = model.predict(None, given.drop(columns=list(CONTACT_COLUMNS)))
    assert not set(CONTACT_COLUMNS) & set(with_contacts.columns)
    pd.testing.assert_frame_equal(with_contacts, without)


@pytest.mark.parametrize("master", ["local", "local[4]", "local[*]", "spark://127.0.0.1:7077"])
def test_master_urls_spark_understands_are_accepted(master):
    screening_spark.check_master(master)


def test_spark_connect_without_its_client_is_refused_by_name(monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "grpc" else find_spec(name, *a))
    with pytest.raises(ScreenError, match=re.escape("--spark-master 'sc://cluster:15002': Spark Connect needs")):
        screening_spark.check_master("sc://cluster:15002")


@pytest.mark.parametrize("master", ["127.0.0.1:7077", "local[two]", "http://cluster"])
def test_other_master_values_are_refused_by_name(master):
    with pytest.raises(ScreenError, match=re.escape(f"--spark-master {master!r}")):
        screening_spark.check_master(master)


def test_the_spark_output_is_a_new_parquet_folder(tmp_path):
    assert screening_spark.check_spark_output(tmp_path / "screen.parquet") == tmp_path / "screen.parquet"
    with pytest.raises(ScreenError, match="ending in .parquet"):
        screening_spark.check_spark_output(tmp_path / "screen.csv")
    (tmp_path / "old.parquet").mkdir()
    with pytest.raises(ScreenError, match="exists"):
        screening_spark.check_spark_output(tmp_path / "old.parquet")
    with pytest.raises(ScreenError, match="does not exist"):
        screening_spark.check_spark_output(tmp_path / "nowhere" / "screen.parquet")


@pytest.mark.parametrize("text, cause", [
    ("An exception was thrown from the Python worker.\nTraceback (most recent call last):\n  File \"x.py\"\n"
     "RuntimeError: no phase-energy table at /x/data/thermo/phases.csv on this executor\n\n"
     "\tat org.apache.spark.api.python.BasePythonRunner",
     "RuntimeError: no phase-energy table at /x/data/thermo/phases.csv on this executor"),
    ("An error occurred while calling None.org.apache.spark.sql.classic.SparkSession.\n"
     ": java.lang.IllegalStateException: Cannot call methods on a stopped SparkContext.\n"
     "\tat org.apache.spark.SparkContext.assertNotStopped(SparkContext.scala:122)",
     "IllegalStateException: Cannot call methods on a stopped SparkContext."),
])
def test_a_spark_failure_is_reported_by_its_cause(text, cause):
    assert screening_spark._cause(Exception(text)) == cause
