"""Knowledge base v2: every label says where it comes from, records trace to their paper, and the
references table agrees with the records."""

from __future__ import annotations

import pytest

from conftest import edit_csv
from degrade_ml.data import validate_dir
from degrade_ml.data.summary import summarize
from degrade_ml.vocab import split_list


def _problems_about(data_dir, record, column):
    return [p for p in validate_dir(data_dir) if p.record == record and p.column == column]


def test_every_label_has_a_basis_and_no_evidence_cites_the_rule(dataset):
    records = dataset.interfaces
    for label, basis in (("products", "products_basis"), ("stability", "stability_basis"), ("degradation_modes", "modes_basis")):
        assert ((records[label] != "") == (records[basis] != "")).all(), label
    assert not records["evidence"].str.contains("contract", case=False).any()


def test_label_without_basis_fires(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", products_basis="")
    assert _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "products_basis")


def test_basis_without_label_fires(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", degradation_modes="", modes_basis="stated")
    assert _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "modes_basis")


def test_inferred_label_must_say_from_what(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", stability_basis="inferred", evidence="Li3PS4 reduces at 1.71 V.")
    assert _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "evidence")


def test_label_from_the_contract_rule_fires(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", evidence="Li3P and Li2S are insulating, so passivating per contract rule (inferred).")
    assert any("chemistry rule" in p.message for p in _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "evidence"))


def test_reference_counts_and_dois_must_agree_with_the_records(data_copy):
    edit_csv(data_copy, "references.csv", "[86]", key="review_ref", records="1")
    assert any("interfaces.csv has" in p.message for p in _problems_about(data_copy, "[86]", "records"))
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", doi="10.1000/not-this-paper")
    assert any("differs from the DOI" in p.message for p in _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "doi"))


def test_record_citing_an_unlisted_reference_fires(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", review_ref="[118]")
    assert any("not in references.csv" in p.message for p in _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "review_ref"))


def test_malformed_doi_fires(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", doi="doi.org/10.1021")
    assert _problems_about(data_copy, "a-li-li3ps4-dft-zhu", "doi")


def test_stated_view_blanks_inferred_labels_only(dataset):
    records, stated = dataset.interfaces, dataset.labelled("stated")
    inferred = records["stability_basis"] == "inferred"
    assert inferred.any()
    assert (stated.loc[inferred, "stability"] == "").all()
    kept = records["stability_basis"] == "stated"
    assert (stated.loc[kept, "stability"] == records.loc[kept, "stability"]).all()
    single = ~records["observation_id"].duplicated(keep=False)
    assert dataset.labelled("all")[single].equals(records[single])  # only shared observations lose repeated labels
    with pytest.raises(ValueError, match="label basis"):
        dataset.labelled("guessed")


def test_audit_corrections_hold(dataset):
    records = dataset.interfaces.set_index("record_id")
    assert records.loc["a-lco-lno-lgps-tem", "se_formula"] == "Li10GeP2S12"  # [58] Zhang et al. 2018 used LGPS
    assert "b-nmc622-li2co3-linbo3-lpscl-tofsims-walther2021" not in records.index  # the review names no SE for [89]
    assert records.loc["a-lin-lpscl-sem-kim-eil", "electrode_formula"] == "In"
    assert "li-li3ps4-lt-lgps-dft" not in set(dataset.trends["trend_id"])  # both reduce at 1.71 V in [11b]


def test_records_trace_to_papers(dataset):
    records = dataset.interfaces
    dois = dict(zip(dataset.references["review_ref"], dataset.references["doi"]))
    single = records[records["review_ref"].map(lambda cell: len(split_list(cell)) == 1)]
    with_doi = single[single["doi"] != ""]
    assert len(with_doi) >= 40
    assert all(dois[ref] == doi for ref, doi in zip(with_doi["review_ref"], with_doi["doi"]) if dois[ref])


def test_summary_reports_basis_sources_conditions_and_references(dataset):
    summary = summarize(dataset)
    basis = summary["label_basis"]
    assert sum(basis["products"].values()) == int((dataset.interfaces["products"] != "").sum())
    assert summary["references"]["listed"] == len(dataset.references)
    assert summary["references"]["text_found"] + summary["references"]["text_not_found"] <= summary["references"]["listed"]
    assert sum(summary["records_per_source"].values()) == summary["records"]
    assert summary["conditions_stated"]["voltage_V"] == int(dataset.interfaces["voltage_V"].notna().sum())
    assert set(summary["cathode"]["oxidation_products"]) == {"S", "Li2Sn", "P2Sx", "POx", "SOx"}
