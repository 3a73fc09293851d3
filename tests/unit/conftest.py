"""Fixtures the unit tests share: the report context of each demo year."""

from __future__ import annotations

import pytest

from complaints_report.report import load_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """The demo data set's 2023-24 report context (a module may define its own ``ctx``)."""
    return load_context("2023-24", output_dir=str(tmp_path_factory.mktemp("out")))


@pytest.fixture(scope="module")
def ctx_2020(tmp_path_factory):
    """The demo data set's 2020-21 report context."""
    return load_context("2020-21", output_dir=str(tmp_path_factory.mktemp("out2020")))
