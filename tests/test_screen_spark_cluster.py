"""`degrade-ml screen --engine spark --spark-master spark://…` against a real standalone cluster (a master and one
worker from the pyspark wheel, bound to 127.0.0.1), compared row for row with the local engine.

About 10^3 combinations, several partitions' worth: the names are spellings of a few materials (the materials table
ignores case), so the rows are many while the distinct contacts stay few, and the session's small model (saved as an
MLflow model and given as --model) predicts them; benchmarks/spark_cluster.py measures larger screens."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEGRADE_ML, child_env
from degrade_ml.registry.pyfunc import save_predictor
from degrade_ml.screening.cluster import spellings, standalone_cluster
from degrade_ml.screening.local import screen_to_file

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_screen_spark_cluster"),
              pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")]
SOURCE = str(Path(__file__).resolve().parents[1] / "src")


SES = [*spellings("LPSCl", 4), *spellings("LGPS", 4), *spellings("LPS", 3)]
ELECTRODES = [*spellings("Li", 2), *spellings("LCO", 3), *spellings("NMC811", 3), *spellings("LMO", 2)]
COATINGS = ["none", *spellings("LNO", 4), *spellings("LZO", 4)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with standalone_cluster(tmp_path_factory.mktemp("spark-cluster"), workers=1, cores=2, memory="1g") as running:
        yield running


def test_a_screen_on_a_standalone_cluster_equals_the_local_engine(cluster, predictor, tmp_path_factory, tmp_path):
    model = save_predictor(predictor, tmp_path_factory.mktemp("model"))
    output = tmp_path / "screen.parquet"
    lists = ["--se", ",".join(SES), "--electrodes", ",".join(ELECTRODES), "--coatings", ",".join(COATINGS)]
    run = subprocess.run(
        [*DEGRADE_ML, "screen", *lists, "--model", model,
         "--engine", "spark", "--spark-master", cluster.master_url, "--output", str(output)],
        env=child_env(**cluster.driver_env(SOURCE)), capture_output=True, text=True, timeout=1200,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    total = len(SES) * len(ELECTRODES) * len(COATINGS)
    assert total == 11 * 10 * 9 and f"{total} combinations" in run.stdout
    # 3 SEs, 4 electrodes, 2 coatings: 12 SE|electrode, 6 SE|coating, 8 coating|electrode contacts
    assert "26 distinct contacts computed on the executors" in run.stdout
    assert any((cluster.folder / "work-0").glob("app-*/*/stderr")), "an executor of the cluster ran the screen"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screen.parquet"], "no partial folder left"

    local = tmp_path / "local.parquet"
    screen_to_file(predictor, SES, ELECTRODES, COATINGS, output=local)
    expected = pd.read_parquet(local)
    assert len(expected) == total
    pd.testing.assert_frame_equal(pd.read_parquet(output), expected)
