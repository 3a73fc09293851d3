"""The params files: defaults merged with the year's own file, validated strictly."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from complaints_report.params import Params, ParamsError, load_params, year_params_path

DEFAULTS = """\
council: Test Council
data: data/test
children_directorate: Children's Services
targets:
  stage1_working_days: 20
columns:
  complaints:
    Date Logged: received_date
theme_map:
  "Comms": "Communication"
"""


def params_dir(tmp_path: Path, defaults: str = DEFAULTS, **years: str) -> Path:
    """A params folder with ``defaults.yml`` and one ``<FY>.yml`` per keyword (``y2023_24=``)."""
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "defaults.yml").write_text(defaults, encoding="utf-8")
    for key, text in years.items():
        label = key.removeprefix("y").replace("_", "-")
        (folder / f"{label}.yml").write_text(text, encoding="utf-8")
    return folder


def test_defaults_alone_with_a_warning_when_the_year_has_no_file(tmp_path, caplog):
    pdir = params_dir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="complaints_report.params"):
        p = load_params("2023-24", pdir)
    assert p.financial_year == "2023-24"
    assert p.council == "Test Council"
    assert p.data == "data/test"
    assert p.targets.stage1_working_days == 20
    assert p.theme_map == {"Comms": "Communication"}
    assert p.service_areas == ["Children's Social Care", "Children's Non-Social Care"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2023-24" in warnings[0].getMessage()


def test_no_warning_when_the_year_has_its_own_file(tmp_path, caplog):
    pdir = params_dir(tmp_path, y2023_24="council: Test Council\n")
    with caplog.at_level(logging.WARNING, logger="complaints_report.params"):
        load_params("2023-24", pdir)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_year_file_overrides_defaults_with_a_deep_merge(tmp_path):
    pdir = params_dir(
        tmp_path,
        y2023_24=(
            "data: data/2023\n"
            "targets:\n  stage1_working_days: 15\n"
            "theme_map:\n  Money: Finance\n"
            "columns:\n  complaints:\n    Closed On: responded_date\n"
            "service_areas: [Children's Social Care]\n"
        ),
    )
    p = load_params("2023-24", pdir)
    assert p.data == "data/2023"
    assert p.council == "Test Council"  # from defaults
    assert p.targets.stage1_working_days == 15
    # mappings merge key by key: both files' entries survive
    assert p.theme_map == {"Comms": "Communication", "Money": "Finance"}
    assert p.columns == {
        "complaints": {"Date Logged": "received_date", "Closed On": "responded_date"}
    }
    # a list is replaced, not merged
    assert p.service_areas == ["Children's Social Care"]


def test_the_year_file_only_applies_to_its_own_year(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="targets:\n  stage1_working_days: 15\n")
    assert load_params("2022-23", pdir).targets.stage1_working_days == 20
    assert year_params_path("2023/24", pdir) == pdir / "2023-24.yml"


def test_overrides_win_over_both_files_but_none_is_ignored(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="data: data/2023\n")
    assert load_params("2023-24", pdir, overrides={"data": "elsewhere"}).data == "elsewhere"
    assert load_params("2023-24", pdir, overrides={"data": None}).data == "data/2023"


def test_an_unknown_key_names_the_key_and_the_file(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="targets:\n  stage_one_days: 15\n")
    with pytest.raises(ParamsError) as err:
        load_params("2023-24", pdir)
    message = str(err.value)
    assert "stage_one_days" in message
    assert str(pdir / "2023-24.yml") in message


def test_an_unknown_top_level_key_in_defaults_names_it(tmp_path):
    pdir = params_dir(tmp_path, DEFAULTS + "counsil: Typo\n")
    with pytest.raises(ParamsError) as err:
        load_params("2023-24", pdir)
    assert "counsil" in str(err.value)
    assert str(pdir / "defaults.yml") in str(err.value)


def test_an_invalid_value_is_a_params_error(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="targets:\n  stage1_working_days: 0\n")
    with pytest.raises(ParamsError, match="stage1_working_days"):
        load_params("2023-24", pdir)


def test_invalid_yaml_names_the_file(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="targets: [unclosed\n")
    with pytest.raises(ParamsError, match="not valid YAML") as err:
        load_params("2023-24", pdir)
    assert str(pdir / "2023-24.yml") in str(err.value)


def test_yaml_that_is_not_a_mapping_names_the_file(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="- just\n- a list\n")
    with pytest.raises(ParamsError, match="expected a mapping") as err:
        load_params("2023-24", pdir)
    assert str(pdir / "2023-24.yml") in str(err.value)


def test_an_empty_year_file_means_defaults(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="# nothing to change\n")
    assert load_params("2023-24", pdir).council == "Test Council"


def test_missing_defaults_is_a_params_error(tmp_path):
    with pytest.raises(ParamsError, match="defaults.yml"):
        load_params("2023-24", tmp_path)


def test_a_year_file_that_names_another_year_is_refused(tmp_path):
    pdir = params_dir(tmp_path, y2023_24='financial_year: "2022-23"\n')
    with pytest.raises(ParamsError, match="2022-23") as err:
        load_params("2023-24", pdir)
    assert str(pdir / "2023-24.yml") in str(err.value)


def test_a_year_file_that_names_its_own_year_is_fine(tmp_path):
    pdir = params_dir(tmp_path, y2023_24='financial_year: "2023/24"\n')
    assert load_params("2023-24", pdir).financial_year == "2023-24"


def test_a_year_file_with_a_malformed_financial_year_is_a_params_error(tmp_path):
    pdir = params_dir(tmp_path, y2023_24="financial_year: next year\n")
    with pytest.raises(ParamsError) as err:
        load_params("2023-24", pdir)
    assert str(pdir / "2023-24.yml") in str(err.value)


@pytest.mark.parametrize("label", ["2023-25", "2023", "23-24", "FY2023", ""])
def test_a_bad_financial_year_label_is_refused(tmp_path, label):
    pdir = params_dir(tmp_path)
    with pytest.raises(ValueError, match="financial year"):
        load_params(label, pdir)


def test_params_normalise_the_financial_year_label():
    assert Params(financial_year="2023/24", council="Test").financial_year == "2023-24"
    assert Params(financial_year="2023-24", council="Test").fy.start_year == 2023
    with pytest.raises(ValueError):
        Params(financial_year="2023-25", council="Test")


# --- disclosure control ----------------------------------------------------------------------


def test_disclosure_control_is_on_unless_params_switch_it_off(tmp_path):
    folder = params_dir(tmp_path, y2022_23="disclosure:\n  suppress_small_numbers: false\n")
    on = load_params("2023-24", folder).disclosure
    assert on.suppress_small_numbers is True and on.threshold == 5 and on.active_threshold == 5
    off = load_params("2022-23", folder).disclosure
    assert off.suppress_small_numbers is False and off.active_threshold == 0


def test_the_repository_defaults_turn_it_on_and_the_demo_years_off():
    assert load_params("2021-22").disclosure.active_threshold == 5
    for year in ("2020-21", "2023-24"):
        assert load_params(year).disclosure.suppress_small_numbers is False
        text = year_params_path(year).read_text(encoding="utf-8")
        assert "published" in text.split("disclosure:")[0].rsplit("\n\n", 1)[-1], (
            "the switch says why"
        )


@pytest.mark.parametrize("threshold", [0, -1, "five"])
def test_the_threshold_is_a_whole_number_of_at_least_one(tmp_path, threshold):
    folder = params_dir(tmp_path, DEFAULTS + f"disclosure:\n  threshold: {threshold}\n")
    with pytest.raises(ParamsError, match="disclosure.threshold"):
        load_params("2023-24", folder)


def test_an_unknown_disclosure_key_is_named(tmp_path):
    folder = params_dir(tmp_path, DEFAULTS + "disclosure:\n  supress: true\n")
    with pytest.raises(ParamsError, match="unknown key 'disclosure.supress'"):
        load_params("2023-24", folder)


def test_new_year_does_not_carry_a_years_switch_over(tmp_path):
    from complaints_report.params import new_year

    folder = params_dir(tmp_path, y2023_24="disclosure:\n  suppress_small_numbers: false\n")
    path = new_year("2024-25", folder)
    assert "disclosure" not in path.read_text(encoding="utf-8")
    assert load_params("2024-25", folder).disclosure.active_threshold == 5


# --- the Complaint Handling Code self-assessment ---------------------------------------------

CODE = """\
complaint_handling_code:
  self_assessment:
    - section: definitions
      complies: yes
      evidence: The policy uses the Code's definition.
    - section: Complaint stages
      complies: partly
      evidence: Stage 1 responses were late.
      action: Weekly tracking.
  national_averages:
    upheld_rate: 0.8
"""


def test_statutory_limits_default_to_the_regulations(tmp_path):
    targets = load_params("2023-24", params_dir(tmp_path)).targets
    assert targets.limits("Stage 1") == (10, 20)
    assert targets.limits("Stage 2") == (25, 65)
    assert targets.limits("Stage 3") == (30, None)
    assert targets.stage1_working_days == 20


def test_an_extended_limit_below_the_limit_names_the_keys(tmp_path):
    folder = params_dir(tmp_path, y2023_24="targets:\n  stage1_limit: 25\n")
    with pytest.raises(
        ParamsError, match="stage1_extended_limit \\(20\\) is shorter than stage1_limit \\(25\\)"
    ):
        load_params("2023-24", folder)


def test_a_partial_self_assessment_names_what_is_missing(tmp_path):
    code = load_params("2023-24", params_dir(tmp_path, y2023_24=CODE)).complaint_handling_code
    # section names match in any case; a bare YAML yes is "yes"
    assert code.self_assessment[0].section == "Definitions"
    assert code.self_assessment[0].complies == "yes"
    gaps = code.gaps()
    assert "section 6 (Complaint stages) has no owner, due" in gaps
    assert "section 2 (Exclusions) is not assessed" in gaps
    assert not any(g.startswith("section 1 ") for g in gaps)
    assert len(gaps) == 8  # 7 sections not assessed, 1 incomplete
    assert code.national_averages.upheld_rate == 0.8
    assert code.national_averages.compliance_rate is None


def test_no_self_assessment_is_one_gap_not_nine(tmp_path):
    gaps = load_params("2023-24", params_dir(tmp_path)).complaint_handling_code.gaps()
    assert gaps == ["there is none: none of the Code's 9 sections is assessed"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- section: Customer care\n", "unknown Complaint Handling Code section 'Customer care'"),
        ("- section: Exclusions\n  complies: maybe\n", "complies"),
        ("- section: Exclusions\n- section: exclusions\n", "'Exclusions' is assessed twice"),
    ],
)
def test_a_bad_self_assessment_is_a_params_error(tmp_path, entry, message):
    body = "complaint_handling_code:\n  self_assessment:\n" + "".join(
        f"    {line}\n" for line in entry.splitlines()
    )
    with pytest.raises(ParamsError, match=message):
        load_params("2023-24", params_dir(tmp_path, y2023_24=body))


def test_new_year_carries_the_self_assessment_forward_to_review(tmp_path):
    from complaints_report.params import new_year

    folder = params_dir(tmp_path, y2023_24=CODE)
    new_year("2024-25", folder)
    code = load_params("2024-25", folder).complaint_handling_code
    assert [a.section for a in code.self_assessment] == ["Definitions", "Complaint stages"]
    assert all(a.review for a in code.self_assessment)
    assert code.self_assessment[1].action == "Weekly tracking."
    assert code.national_averages.upheld_rate is None  # last year's averages are not this year's
    assert "section 1 (Definitions) is carried forward from last year: review it" in code.gaps()


def test_the_demo_year_has_a_complete_self_assessment():
    assert load_params("2023-24").complaint_handling_code.gaps() == []


@pytest.mark.parametrize("year", ["2020-21", "2023-24"])
def test_the_demo_self_assessment_reads_as_a_councils_own(year):
    """Worded as a council words it: no "(illustrative)" (the report's notice already says the
    records are synthetic), no committee but the one the cover names, and no action due before
    the meeting that receives the report."""
    p = load_params(year)
    assessments = p.complaint_handling_code.self_assessment
    words = " ".join(f"{a.evidence or ''} {a.action or ''} {a.owner or ''}" for a in assessments)
    assert "illustrative" not in words.lower()
    assert "Scrutiny Committee" not in words
    committees = {"Corporate Parenting Board", "Scrutiny Committee", "Cabinet"}
    named = {c for c in committees if c in words}
    assert named <= {p.report.committee}
    assert p.report.meeting_date is not None
    early = [a.section for a in assessments if a.due is not None and a.due <= p.report.meeting_date]
    assert not early, f"actions due before the {p.report.meeting_date} meeting: {early}"
    if assessments:
        assert p.report.committee in words  # the report goes to the committee on its cover
