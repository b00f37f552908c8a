"""One observation stated in the review and in its paper's abstract counts once (SPEC §3, §6)."""

from __future__ import annotations


from conftest import edit_csv
from degrade_ml.data import validate_dir

WENZEL = "o-li-lgps-insitu-xps-wenzel2016"  # Li|LGPS in situ XPS: review Sec. 3.2.1 and the [18a] abstract


def _problems(data_dir, column):
    return [p for p in validate_dir(data_dir) if p.column == column]


def test_the_review_and_the_abstract_of_one_observation_count_once(dataset):
    records = dataset.interfaces.set_index("record_id")
    both = records.index[records["observation_id"] == WENZEL]
    assert set(both) == {"b-li-lgps-insitu-xps-wenzel2016", "r18a-li-lgps-contact-insitu-xps"}
    assert (records.loc[both, "products"] == "Li2S;Li3P;Li_M_alloy").all()  # stored twice, as the sources state it
    stated = dataset.labelled("stated").set_index("record_id")
    assert stated.loc["b-li-lgps-insitu-xps-wenzel2016", "products"] == "Li2S;Li3P;Li_M_alloy"  # the review's kept
    assert stated.loc["r18a-li-lgps-contact-insitu-xps", "products"] == ""


def test_labels_each_record_of_an_observation_alone_states_are_kept(dataset):
    # Li|Li10SnP2S12 [81]: the review states Li3P, the abstract dendrites; each label is kept once
    stated = dataset.labelled("stated").set_index("record_id")
    assert stated.loc["b-li-lsps-xps-nmr-zheng2020", "products"] == "Li3P"
    assert stated.loc["r81-li-lsps-cycled-nmr-xps", "degradation_modes"] == "dendrite"


def test_every_label_of_the_training_view_belongs_to_one_record_per_observation(dataset):
    for view in ("stated", "all"):
        records = dataset.labelled(view)
        for label in ("products", "stability", "degradation_modes"):
            labelled = records[records[label] != ""]
            assert not labelled["observation_id"].duplicated().any(), (view, label)


def test_validate_refuses_an_observation_across_two_interfaces(data_copy):
    edit_csv(data_copy, row="r18a-li-lgps-contact-insitu-xps", se_formula="Li3PS4", se="Li3PS4")
    assert any(WENZEL in p.message for p in _problems(data_copy, "se_formula"))


def test_validate_refuses_an_observation_across_two_studies_or_conditions(data_copy):
    edit_csv(data_copy, row="r14b-li-lpscl-80c-1mpa-void", temperature_C="60")
    assert any("contradicts" in p.message for p in _problems(data_copy, "temperature_C"))
    edit_csv(data_copy, row="r18a-li-lgps-contact-insitu-xps", doi="10.1021/acs.chemmater.7b00034", review_ref="[20a]")
    assert any("study" in p.message for p in _problems(data_copy, "doi"))


def test_validate_refuses_a_missing_observation_id(data_copy):
    edit_csv(data_copy, row="a-li-li3ps4-dft-zhu", observation_id="")
    assert _problems(data_copy, "observation_id")
