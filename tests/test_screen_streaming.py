"""Large screens: the local engine predicts chunk by chunk, spills to disk and writes the ranking back in
pieces, so memory stays bounded however many combinations there are; the rows are exactly those of the
in-memory screen, and what it will cost is estimated before it starts."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import child_env
from degrade_ml.screening import estimate
from degrade_ml.screening.estimate import estimate_memory
from degrade_ml.screening.grid import ScreenError, parse_list
from degrade_ml.screening.local import screen, screen_to_file
from degrade_ml.io.atomic import PARTIAL_MARK
from degrade_ml.cli.main import app

pytestmark = pytest.mark.xdist_group("test_screen_streaming")  # its module fixtures built once, on one worker

runner = CliRunner()
SES = ["LPSCl", "LGPS", "Li3PS4", "Li6PS5Br"]
ELECTRODES = ["Li", "NMC811", "LCO", "LiIn", "NCA"]
COATINGS = ["none", "LNO", "Li3PO4", "LZO"]


@pytest.fixture(scope="module")
def in_memory(predictor):
    return screen(predictor, SES, ELECTRODES, COATINGS, voltage=4.3)


@pytest.mark.parametrize(("chunk_rows", "pass_rows"), [(7, 5), (16, 5), (7, 64)])
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_streamed_screen_writes_the_same_ranking_as_the_in_memory_one(predictor, in_memory, tmp_path, suffix,
                                                                       chunk_rows, pass_rows):
    output = tmp_path / f"ranked{suffix}"
    # sorting passes of 5 rows: many passes on disk, keys streamed whole, the text that repeats in chunks of 16 rows
    # spilled as codes; passes of 64 rows: the whole screen held in memory and sorted at once
    result = screen_to_file(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, output=output,
                                             chunk_rows=chunk_rows, pass_rows=pass_rows)
    expected = in_memory.results
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(pd.read_parquet(output), expected)
    else:
        written = pd.read_csv(output, keep_default_na=False)
        pd.testing.assert_frame_equal(written, pd.read_csv(pd.io.common.StringIO(expected.to_csv(index=False)),
                                                           keep_default_na=False))
    pd.testing.assert_frame_equal(result.best_per_se, in_memory.best_per_se)
    assert result.rows_written == result.combinations == len(expected) == 64  # Li metal cannot hold 4.3 V
    assert sorted(p.name for p in tmp_path.iterdir()) == [output.name], "no spill or partial file left"


def test_a_screen_held_in_one_pass_writes_the_file_it_would_have_spilled(predictor, tmp_path):
    # 64 rows: passes of 63 rows put them on disk (no p(stable) bucket holds more, so each is sorted whole), passes of
    # 64 hold them in memory; the pieces, so the parquet row groups, are the same
    outputs = [tmp_path / f"pass-{rows}.parquet" for rows in (63, 64)]
    for output in outputs:
        screen_to_file(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, output=output, pass_rows=int(output.stem[5:]))
    assert pq.ParquetFile(outputs[0]).metadata.num_row_groups > 1
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_top_n_streams_only_the_best_rows(predictor, in_memory, tmp_path):
    output = tmp_path / "top.parquet"
    result = screen_to_file(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, output=output, top=9,
                                             chunk_rows=11, pass_rows=4)
    pd.testing.assert_frame_equal(pd.read_parquet(output), in_memory.results.head(9))
    assert result.rows_written == 9 and len(result.best_per_se) == len(SES)


def test_the_cli_estimates_memory_first_and_escapes_csv_on_request(small_model, monkeypatch, tmp_path):
    """A text cell a spreadsheet would run (here every row's warning, as if a name echoed into it began with `=`)
    reaches the screen's CSV as it is, and prefixed with `'` under --escape-formulas; numbers such as the negative
    reaction energies are left alone. A formula-like SE is skipped before anything is predicted."""
    real_predict = type(small_model).predict
    formula = '=HYPERLINK("http://evil.example","x")'
    monkeypatch.setattr(type(small_model), "predict", lambda self, queries: real_predict(self, queries).assign(
        warnings=formula))
    ses = tmp_path / "ses.txt"
    ses.write_text("=cmd|' /C calc'!A0\nLPSCl\n")
    written = {}
    for name, flags in (("plain", []), ("escaped", ["--escape-formulas"])):
        result = runner.invoke(app, ["screen", "--se", str(ses), "--electrodes", "Li,NMC811", "--output",
                                     str(tmp_path / f"{name}.csv"), *flags])
        assert result.exit_code == 0, result.output
        assert "2 combinations: about" in result.output and "MiB of memory" in result.output
        assert result.output.index("MiB of memory") < result.output.index("best combination per SE")
        assert "skipped SE \"=cmd|' /C calc'!A0\"" in result.output or "skipped SE '=cmd" in result.output
        written[name] = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
    plain, escaped = written["plain"], written["escaped"]
    assert (plain["warnings"] == formula).all() and (escaped["warnings"] == "'" + formula).all()
    pd.testing.assert_frame_equal(plain.drop(columns="warnings"), escaped.drop(columns="warnings"))
    assert plain["thermo_erxn_se_electrode"].str.startswith("-").any(), "negative numbers are written unescaped"


def test_a_screen_onto_its_own_list_file_is_refused(small_model, tmp_path):
    listing = tmp_path / "electrodes.csv"
    listing.write_text("Li\nNMC811\n")
    result = runner.invoke(app, ["screen", "--se", "LPSCl", "--electrodes", str(listing), "--output", str(listing)])
    assert result.exit_code == 2 and "is the input" in result.stderr
    assert listing.read_text() == "Li\nNMC811\n"


def test_an_in_memory_screen_that_would_not_fit_is_refused_before_predicting(predictor, monkeypatch):
    monkeypatch.setattr(estimate, "available_memory", lambda: 10 * 2**20)
    with pytest.raises(ScreenError, match="streams"):
        screen(predictor, SES, ELECTRODES, COATINGS)


def test_the_estimate_grows_on_disk_but_not_in_memory():
    small, large = estimate_memory(10_000), estimate_memory(10_000_000)
    assert large.streamed_bytes == estimate_memory(1_000_000).streamed_bytes
    assert large.disk_bytes == 1000 * small.disk_bytes
    assert large.in_memory_bytes > 10 * 2**30


def test_the_estimate_says_streaming_only_where_it_saves_memory():
    assert str(estimate_memory(4)) == "4 combinations: about 300 MiB of memory, under 1 MiB of disk beside the output"
    large = str(estimate_memory(10_000_000, suffix=".parquet"))
    assert "815 MiB of memory streamed in chunks (held whole it would be 16.5 GiB), up to 1.6 GiB of disk" in large


CHILD = textwrap.dedent("""
    import json, resource, sys
    import numpy as np, pandas as pd
    from degrade_ml.models import predictor as module

    from degrade_ml.screening import local
    # small chunks and sorting passes, so that the bound is small against the screen
    local.screen_to_file.__kwdefaults__.update(chunk_rows=5_000, pass_rows=5_000)

    def fast_predict(self, queries):
        # the real columns with made-up values: this test is about where rows are held, not what they say
        out = queries.reset_index(drop=True).copy()
        key = pd.util.hash_pandas_object(out[["se", "electrode", "coating"]], index=False).to_numpy()
        for name in module.OUTPUT_COLUMNS:
            out[name] = ""
        for name in [c for c in module.OUTPUT_COLUMNS if c.startswith("p_")]:
            out[name] = (key % 10_001) / 10_000.0
        out["products"] = np.array(["", "Li2S", "Li2S;Li3P", "S;P2Sx;POx"], dtype=object)[key % 4]
        out["product_phases"] = [f"Li2S;phase-{k % 99991}" for k in key]
        out["stability"], out["in_domain"] = "stable", "true"
        return out

    module.InterfacePredictor.predict = fast_predict
    n_coatings = int(sys.argv[1])
    ses = [f"Li{6 - x / 100:.4g}PS{5 - x / 100:.4g}Cl{1 + x / 100:.4g}" for x in range(30)]
    electrodes = [f"LiNi{0.5 + x / 200:.4g}Mn{0.25 - x / 400:.4g}Co{0.25 - x / 400:.4g}O2" for x in range(50)]
    coatings = [f"LiNb{0.25 + x / 1000:.4g}Ta{0.75 - x / 1000:.4g}O3" for x in range(n_coatings)]
    lists = []
    for kind, names in (("ses", ses), ("electrodes", electrodes), ("coatings", coatings)):
        lists.append(f"{sys.argv[2]}.{kind}.txt")
        open(lists[-1], "w").write("\\n".join(names) + "\\n")
    sys.argv = ["degrade-ml", "screen", "--se", lists[0], "--electrodes", lists[1], "--coatings", lists[2],
                "--voltage", "4.3", "--output", sys.argv[2]]
    from degrade_ml.cli.main import main
    try:
        main()
    except SystemExit as ended:
        code = ended.code
    print(json.dumps({"code": code, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def _peak_mib(tmp_path, n_coatings: int) -> float:
    output = tmp_path / f"screen-{n_coatings}.parquet"
    done = subprocess.run([sys.executable, "-c", CHILD, str(n_coatings), str(output)], capture_output=True,
                          text=True, timeout=600, env=child_env())
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr[-2000:]
    assert len(pd.read_parquet(output, columns=["se"])) == 30 * 50 * n_coatings
    return report["peak_mib"]


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_number_of_combinations(tmp_path):
    # 15,000 and 150,000 combinations: held in memory (chunks and passes of 10^9 rows), the peak grew by 264 MiB here
    small = _peak_mib(tmp_path, 10)
    large = _peak_mib(tmp_path, 100)
    assert large - small < 60, f"peak RSS {small:.0f} MiB → {large:.0f} MiB for 10× the combinations"
    assert not [p for p in tmp_path.iterdir() if PARTIAL_MARK in p.name]


def test_a_long_comma_separated_list_is_a_list_not_a_file_name(predictor):
    ses = [f"Li{6 - x / 100:.4g}PS{5 - x / 100:.4g}Cl{1 + x / 100:.4g}" for x in range(30)]
    assert parse_list(",".join(ses)) == ses


def test_the_spill_of_a_killed_screen_is_removed_by_the_next_one(predictor, tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"ranked.parquet{PARTIAL_MARK}{gone.stdout.strip()}-abcd1234"
    stale.mkdir()
    (stale / "bucket-0000.arrows").write_bytes(b"\0" * 1000)
    screen_to_file(predictor, SES[:1], ELECTRODES[:2], None, output=tmp_path / "ranked.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranked.parquet"]
