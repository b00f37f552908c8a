"""The notebooks run end to end against a throwaway MLflow store, and are committed without outputs."""

from __future__ import annotations

import time
from pathlib import Path

import mlflow
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import FLOW_MODEL, new_store

pytestmark = pytest.mark.xdist_group("test_notebooks")  # its module fixtures built once, on one worker

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
RETRAIN = NOTEBOOKS / "retrain.ipynb"
CONSUME = NOTEBOOKS / "consume_registry.ipynb"
MODEL_NAME = "degrade-ml-interface"


def execute(path: Path, cwd: Path, parameters: str = "") -> nbformat.NotebookNode:
    """Run every cell in a fresh python3 kernel started in cwd, `parameters` (code) injected after the cell tagged
    `parameters` as papermill does; raises CellExecutionError on the first error."""
    notebook = nbformat.read(path, as_version=4)
    if parameters:
        tagged = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
        notebook.cells.insert(tagged + 1, nbformat.v4.new_code_cell(parameters))
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    print(f"{path.name} executed in {time.perf_counter() - started:.1f} s")
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for output in outputs(notebook):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def images(notebook: nbformat.NotebookNode) -> int:
    return sum("image/png" in output.get("data", {}) for output in outputs(notebook))


def errors(notebook: nbformat.NotebookNode) -> list:
    return [output for output in outputs(notebook) if output.output_type == "error"]


@pytest.fixture(scope="module")
def retrained(tmp_path_factory, empty_store):
    """The retrain notebook executed once into a fresh SQLite store; shared by the tests that need a champion."""
    workdir = tmp_path_factory.mktemp("retrain")
    tracking_uri = new_store(empty_store, workdir / "mlflow.db")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
        notebook = execute(RETRAIN, workdir, parameters=f"MODEL_PARAMS = {FLOW_MODEL!r}")
    return tracking_uri, workdir, notebook


@pytest.mark.slow
def test_retrain_notebook_registers_a_champion(retrained):
    tracking_uri, workdir, notebook = retrained
    assert errors(notebook) == []
    client = mlflow.MlflowClient(tracking_uri)
    champion = client.get_model_version_by_alias(MODEL_NAME, "champion")
    assert str(champion.version) == "1"
    run = client.get_run(champion.run_id)
    assert 0.0 <= run.data.metrics["headline_products_micro_f1"] <= 1.0
    assert run.data.tags["champion.promoted"] == "True"
    assert client.get_experiment(run.info.experiment_id).name == "degrade-ml"
    assert (workdir / "mlflow.db").is_file()
    output = text(notebook)
    assert "All records valid" in output
    assert "Version 1 is the first champion" in output
    assert images(notebook) >= 1  # model-vs-baselines bar chart


@pytest.mark.slow
def test_consume_notebook_predicts_from_the_champion(retrained, monkeypatch):
    tracking_uri, workdir, _ = retrained
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
    notebook = execute(CONSUME, workdir)
    assert errors(notebook) == []
    output = text(notebook)
    assert "pyfunc output equals the predictor's, written as SPEC cells" in output
    assert " queries, 0 failed" in output
    assert images(notebook) >= 1  # p_stable heatmap
    html = "".join(o.data.get("text/html", "") for o in outputs(notebook) if "data" in o)
    assert "product_phases" in html and "LiNbO3" in html


def test_every_notebook_is_run_by_these_tests():
    assert sorted(NOTEBOOKS.glob("*.ipynb")) == sorted([RETRAIN, CONSUME])


@pytest.mark.parametrize("path", [RETRAIN, CONSUME], ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert [i for i, cell in enumerate(code_cells) if cell.outputs] == [], "clear outputs before committing"
    assert [i for i, cell in enumerate(code_cells) if cell.execution_count is not None] == []
    first = code_cells[0]
    assert "parameters" in first.metadata.get("tags", []) and "TRACKING_URI" in first.source
