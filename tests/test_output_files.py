"""Outputs are written whole or not at all, and writing one never destroys something else: no device or
symlink replaced, no input overwritten, modes as the umask (or the replaced file) says, data on disk before the
rename, and no hidden partial file left behind by a killed run."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import one_line
from degrade_ml.io import atomic
from degrade_ml.io.atomic import PARTIAL_MARK, atomic_write
from degrade_ml.cli.main import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("small_model")  # every CLI call predicts with the session's small model


@pytest.fixture()
def queries(tmp_path) -> Path:
    path = tmp_path / "queries.csv"
    pd.DataFrame({"se": ["LPSCl", "LGPS"], "electrode": ["Li", "NMC811"]}).to_csv(path, index=False)
    return path


def _batch(queries: Path, output) -> object:
    return runner.invoke(app, ["predict", "--input", str(queries), "--output", str(output)])


def test_a_symlinked_output_writes_through_the_link_and_keeps_it(tmp_path, queries):
    target = tmp_path / "results" / "predictions.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = _batch(queries, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target), "the link itself must not be replaced"
    assert pd.read_csv(target)["se"].tolist() == ["LPSCl", "LGPS"]


def test_a_fifo_or_a_folder_is_refused_not_replaced(tmp_path, queries):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = _batch(queries, fifo)
    assert result.exit_code == 2
    assert "not a regular file" in one_line(result) and "pipe.csv" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still there"
    folder = tmp_path / "out"
    folder.mkdir()
    result = _batch(queries, folder)
    assert result.exit_code == 2 and "is a folder" in one_line(result)
    assert PARTIAL_MARK not in result.stderr and folder.is_dir()


def test_output_equal_to_input_is_refused_and_the_input_kept(tmp_path, queries):
    before = queries.read_bytes()
    for same in (queries, tmp_path / "." / queries.name):
        result = _batch(queries, same)
        assert result.exit_code == 2
        assert "is the input" in one_line(result)
    hard_link = tmp_path / "alias.csv"
    os.link(queries, hard_link)
    assert _batch(queries, hard_link).exit_code == 2
    assert queries.read_bytes() == before


def test_an_unwritable_folder_exits_2_naming_the_output_not_a_temporary_file(queries):
    result = _batch(queries, "/proc/self/predictions.csv")
    assert result.exit_code == 2
    line = one_line(result)
    assert "/proc/self/predictions.csv" in line and PARTIAL_MARK not in line and "internal error" not in line


def test_a_new_file_follows_the_umask_and_a_replaced_file_keeps_its_mode(tmp_path):
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.csv", lambda handle: handle.write(b"a\n"))
        assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640
        shared = tmp_path / "shared.csv"
        shared.write_text("old\n")
        shared.chmod(0o664)
        atomic_write(shared, lambda handle: handle.write(b"new\n"))
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664 and shared.read_text() == "new\n"
    finally:
        os.umask(previous)


def test_the_data_is_fsynced_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        return real_fsync(descriptor)

    def replace(source, target):
        events.append(("replace", str(source)))
        return real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / "out.csv", lambda handle: handle.write(b"a\n"))
    replaced = next(i for i, (kind, _) in enumerate(events) if kind == "replace")
    partial = events[replaced][1]
    assert ("fsync", partial) in events[:replaced], events


def test_a_killed_write_leaves_a_visible_partial_file_that_the_next_write_removes(tmp_path):
    target = tmp_path / "predictions.csv"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from degrade_ml.io.atomic import atomic_write

        def write(handle):
            handle.write(b"se,electrode\\n" * 1000)
            handle.flush()
            print("writing", flush=True)
            time.sleep(60)

        atomic_write({str(target)!r}, write)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 1 and not left[0].startswith("."), "a partial file that a user can see"
    assert left[0].startswith(f"predictions.csv{PARTIAL_MARK}{child.pid}-")
    assert not target.exists()
    atomic_write(target, lambda handle: handle.write(b"se,electrode\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["predictions.csv"]


def test_a_failed_write_removes_its_partial_file(tmp_path):
    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "out.csv", lambda handle: (handle.write(b"half"), (_ for _ in ()).throw(RuntimeError())))
    assert list(tmp_path.iterdir()) == []


def test_a_live_writers_partial_file_is_left_alone(tmp_path):
    target = tmp_path / "out.csv"
    live = tmp_path / f"out.csv{PARTIAL_MARK}{os.getppid()}-abcd"
    live.write_text("someone else is writing")
    atomic.remove_stale_partials(target)
    assert live.exists()
