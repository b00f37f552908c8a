"""A single prediction imports only what predicting needs (SPEC §4 cold start): no MLflow, validation, Spark or
torch on the path of `degrade-ml predict` with the bundled model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import child_env

# matplotlib and plotly are not listed: pymatgen.analysis.phase_diagram imports both at module level, and every
# answer now carries the interface thermodynamics that its PhaseDiagram computes
NOT_ON_THE_PREDICT_PATH = ("mlflow", "pandera", "pyspark", "torch", "chgnet")


def test_a_single_prediction_imports_nothing_it_does_not_need(tmp_path):
    script = textwrap.dedent("""
        import json, sys
        from degrade_ml.cli.main import main

        sys.argv = ["degrade-ml", "predict", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LNO", "--json"]
        try:
            main()
        except SystemExit as ended:
            code = ended.code
        print(json.dumps({"code": code, "modules": sorted({name.split(".")[0] for name in sys.modules})}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env=child_env())
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    loaded = sorted(set(report["modules"]) & set(NOT_ON_THE_PREDICT_PATH))
    assert loaded == [], f"imported on the predict path: {loaded}"
    assert not (tmp_path / "mlflow.db").exists()


def test_the_installed_command_flushes_its_output_and_keeps_its_exit_code(tmp_path):
    """`degrade-ml` ends without tearing down its heap (see cli.main._exit): output and exit codes must survive."""
    command = os.path.join(os.path.dirname(sys.executable), "degrade-ml")
    if not os.path.isfile(command):
        pytest.skip("the degrade-ml console script is not installed next to this interpreter")
    env = child_env()
    good = subprocess.run([command, "predict", "--se", "LPSCl", "--electrode", "Li", "--json"], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, env=env)
    assert good.returncode == 0 and json.loads(good.stdout)["se_formula"] == "Li6PS5Cl"
    bad = subprocess.run([command, "predict", "--se", "Li1e308S", "--electrode", "Li"], capture_output=True,
                         text=True, timeout=300, cwd=tmp_path, env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Li1e308S" in bad.stderr
