"""What the web page takes from the browser, without a browser: the shareable query string, typed and uploaded lists
(never a file path), the size cap, one-line failures, and background screens equal to `screen`."""

from __future__ import annotations

import base64
import socket
import time

import pandas as pd
import pytest

from degrade_ml.screening.grid import ScreenError, parse_list
from degrade_ml.screening.local import screen
from degrade_ml.app.guard import guarded
from degrade_ml.app.interface_callbacks import field_of, query_from_search, search_from_form
from degrade_ml.app.jobs import MAX_COMBINATIONS, ScreenJobs, check_size, check_voltage
from degrade_ml.app.screen_callbacks import lists_from_csv, parse_names
from degrade_ml.conditions import AT_OPEN_CIRCUIT


def _upload(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_the_query_string_round_trips_through_the_form():
    search = search_from_form(("Li6PS5Cl", " NMC811 ", "", "4.3"))
    assert search == "?se=Li6PS5Cl&electrode=NMC811&voltage=4.3"
    assert query_from_search(search) == {"se": "Li6PS5Cl", "electrode": "NMC811", "coating": "", "voltage": "4.3"}
    assert query_from_search("?se=75Li2S-25P2S5+glass")["se"] == "75Li2S-25P2S5 glass"


def test_each_predictor_message_goes_next_to_its_field():
    assert field_of("se: 'Xq2' is neither a name in the materials table nor a formula pymatgen parses") == "se"
    assert field_of("voltage_V: 'abc' is not a number") == "voltage"
    assert field_of("missing required column(s): se") is None


def test_a_typed_list_is_never_read_as_a_file(tmp_path):
    listed = tmp_path / "ses.txt"
    listed.write_text("LGPS\n")
    assert parse_list(str(listed)) == ["LGPS"]  # what the command line does with a path
    assert parse_names(str(listed)) == [str(listed)]  # the page takes it as a name, which then fails to resolve
    assert parse_names("LPSCl, LGPS\nLPS,,LPSCl") == ["LPSCl", "LGPS", "LPS"]
    assert parse_names("none, LNO,", coatings=True) == ["", "LNO"]


def test_an_uploaded_csv_fills_the_lists_from_its_bytes():
    data = "se,electrode,coating,note\nLPSCl,NMC811,LNO,a\nLGPS,NMC811,none,b\nLPSCl,LCO,,c\n".encode()
    assert lists_from_csv(_upload(data), "q.csv") == ("LPSCl\nLGPS", "NMC811\nLCO", "LNO\nnone")
    assert lists_from_csv(_upload(b"se,electrode\nLPS,Li\n"), "q.csv") == ("LPS", "Li", "none")


@pytest.mark.parametrize("data, message", [
    (b"se,coating\nLPS,LNO\n", "'q.csv' lacks required column(s): electrode"),
    (b"se,electrode\n\xff\xfe,Li\n", "'q.csv' is not UTF-8 text (byte 0xff at offset"),
    (b"se,electrode\n\"LPS,Li\n", "'q.csv' is not a readable CSV"),
])
def test_an_unusable_upload_is_one_line_naming_the_file(data, message):
    with pytest.raises(ScreenError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        lists_from_csv(_upload(data), "q.csv")


def test_the_page_caps_a_screen_and_points_to_the_command():
    lists = {"SE": [f"S{i}" for i in range(100)], "electrode": [f"E{i}" for i in range(1000)], "coating": ["", "a"]}
    assert check_size({**lists, "coating": [""]}) == MAX_COMBINATIONS
    with pytest.raises(ScreenError, match=r"^200,000 combinations: the page screens at most 100,000; run "
                                                    r"`degrade-ml screen"):
        check_size(lists)
    with pytest.raises(ScreenError, match="no SE listed"):
        check_size({**lists, "SE": []})


def test_voltage_is_checked_as_the_command_line_does():
    assert check_voltage(" ") is None and check_voltage("4.3") == 4.3 and check_voltage("3.7 V vs Li-In") == 4.32
    assert check_voltage("OCV") is AT_OPEN_CIRCUIT and check_voltage("open circuit") is AT_OPEN_CIRCUIT
    with pytest.raises(ScreenError, match="unknown reference electrode 'Foo'"):
        check_voltage("3.7 V vs Foo")
    with pytest.raises(ScreenError, match="voltage: 'x' is not a number"):
        check_voltage("x")
    with pytest.raises(ScreenError, match=r"voltage: '2.5-4.3' is a range; give one value \(a cycled cathode's"):
        check_voltage("2.5-4.3")
    with pytest.raises(ScreenError, match="between 0 and 10 V"):
        check_voltage("11")


def test_a_failing_callback_gives_one_line_and_keeps_the_traceback_from_the_page():
    @guarded(3, clear=True)
    def broken(_):
        raise ValueError("a\nmulti-line\nfailure")

    assert broken(None) == (None, None, "internal error: ValueError: a multi-line failure")
    assert guarded(1)(broken.__wrapped__)(None) == "internal error: ValueError: a multi-line failure"


def _finish(jobs: ScreenJobs, job_id: str):
    deadline = time.monotonic() + 300
    while not jobs.get(job_id).finished and time.monotonic() < deadline:
        time.sleep(0.05)
    return jobs.get(job_id)


def test_a_background_screen_gives_the_rows_of_screening_screen(predictor):
    jobs = ScreenJobs(predictor)
    lists = {"SE": ["LPSCl", "LGPS", "Xq2"], "electrode": ["NMC811", "LCO", "Li"], "coating": ["", "LNO"]}
    job = _finish(jobs, jobs.start(lists, 4.3))
    assert not job.error
    assert (job.done, job.total) == (8, 8)  # Li metal cannot hold 4.3 V: skipped once, as the CLI screen does
    assert [r.name for r in job.rejected] == ["Xq2", "Li"]
    assert str(job.rejected[0]) == "skipped SE 'Xq2': 'Xq2' is neither a name in the materials table nor a formula pymatgen parses"
    assert job.listed == {"SE": ["LPSCl", "LGPS"], "electrode": ["NMC811", "LCO"], "coating": ["", "LNO"]}
    expected = screen(predictor, *lists.values(), voltage=4.3).results
    pd.testing.assert_frame_equal(job.results, expected)


def test_a_screen_with_nothing_usable_ends_with_the_reason(predictor):
    jobs = ScreenJobs(predictor)
    job = _finish(jobs, jobs.start({"SE": ["Xq2"], "electrode": ["Li"], "coating": [""]}, None))
    assert job.results is None and job.error == "no usable SE (given: 'Xq2')"


def test_a_port_in_use_is_one_message_before_anything_is_served(predictor):
    from degrade_ml.app.server import PortUnavailable, serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortUnavailable, match=f"^127.0.0.1:{port}: Address already in use$"):
            serve(predictor, "127.0.0.1", port, say=pytest.fail)


def test_a_screen_runs_beside_the_request_that_started_it(predictor, monkeypatch):
    """`start` returns while the screen is still predicting, and its progress can be read meanwhile."""
    import threading

    from degrade_ml.app import jobs as jobs_module

    release, predicting = threading.Event(), threading.Event()
    original = jobs_module.predict_in_chunks

    def held(*args, **kwargs):
        predicting.set()
        release.wait(timeout=60)
        return original(*args, **kwargs)

    monkeypatch.setattr(jobs_module, "predict_in_chunks", held)
    jobs = ScreenJobs(predictor)
    job_id = jobs.start({"SE": ["LPSCl"], "electrode": ["Li"], "coating": [""]}, None)
    assert predicting.wait(timeout=60)
    job = jobs.get(job_id)
    assert not job.finished and (job.stage, job.done, job.total) == ("predicting", 0, 1)
    release.set()
    assert _finish(jobs, job_id).done == 1 and job.results is not None
