"""The 2020-21 executive summary's key messages, generated from the demo data, say what the published report says."""

from __future__ import annotations

import pytest

from complaints_report.data.loading import load_dataset
from complaints_report.figures.engine import compute_figures, prepare
from complaints_report.figures.views import member_conduct
from complaints_report.params import load_params
from complaints_report.present.narrative import key_messages


@pytest.fixture(scope="module")
def messages(repo_root):
    params = load_params("2020-21")
    prep = prepare(load_dataset(repo_root / "data" / "demo", params.columns), params)
    now = compute_figures(prep, "2020-21")["council"]
    before = compute_figures(prep, "2019-20")["council"]
    return " ".join(key_messages(now, before, "2020-21", member_conduct(prep, params.fy)))


@pytest.mark.parametrize(
    "published",
    [
        "1,268 complaints across the council in 2020-21, 76% more than in 2019-20",  # "1268 ... 76% increase"
        "644 complaints went through the formal process",  # "only 644 ... formal processes"
        "624 were resolved informally",
        "The Ombudsman decided 19 complaints and upheld 6",  # "19 Ombudsman investigations only 6"
        "remedies of £6,750.00 (275% higher than in 2019-20)",  # "£6,750 ... up from just £1800"
        "39% of Stage 1 responses took longer than the target, up from 16% in 2019-20",
        "8% of Stage 1 complaints were found fully justified and 11% partly justified",
        "119 learning points",
        "633 compliments, 112% more than in 2019-20",
        "54 code of conduct complaints about councillors; 8 investigated and 3 upheld",
    ],
)
def test_2020_21_key_messages(messages, published):
    assert published in messages
