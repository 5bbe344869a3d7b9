"""Notebook parameters typed by the parameters cell and checked against one set of valid values."""

import json

import pytest

from analysis.reports import labels
from analysis.reports.params import (
    ParameterError,
    check_lang,
    check_model,
    check_report,
    check_year,
    domains,
    notebook_parameters,
)

ROWS = [{"entity": "Thái Bình", "period_end": "2021-12-31"}, {"entity": "Hà Nam", "period_end": ""}]
PROVINCES = [{"province": "Thái Bình", "cluster": "3"}, {"province": "Bắc Kạn", "cluster": "1"}]
DECLARED = {"entity": "Bắc Kạn", "metrics": [], "year": 0, "window_days": 120, "share": 0.5, "flag": False,
            "lang": "vi"}


def test_domains_from_rows_or_frame():
    import pandas as pd

    known = domains(ROWS, PROVINCES)
    assert known["entity"] == {"Thái Bình", "Hà Nam"} and known["year"] == {2021}
    assert {"Cụm III", "3", "III"} <= known["cluster"]
    assert domains(pd.DataFrame(ROWS), PROVINCES)["entity"] == known["entity"]


@pytest.mark.parametrize("params,problem", [
    ({"entity": "Thái Bình"}, ""),
    ({"entity": 7}, "parameter 'entity' must be str, got 7"),
    ({"colour": "red"}, "unknown parameter 'colour'"),
    ({"entity": "Atlantis"}, "entity = 'Atlantis' is not known. Valid choices: Hà Nam, Thái Bình"),
    ({"metrics": ["members", "volunteers"]}, "metric = 'volunteers' is not known"),
    ({"metrics": [1]}, "must be a list of strings"),
    ({"year": 2021, "window_days": 90, "share": 1}, ""),
    ({"year": 1999}, "year = 1999 is not known"),
    ({"window_days": True}, "must be int"),
    ({"flag": 1}, "must be bool"),
    ({"lang": "fr"}, "lang = 'fr' is not known. Valid choices: en, vi"),
])
def test_check_report(params, problem):
    found = check_report("r", params, DECLARED, domains(ROWS, PROVINCES))
    if not problem:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith("r: ") and problem in found[0]


def test_notebook_side_checks():
    assert check_lang("vi") == "vi" and labels.check_lang("en") == "en"  # one check, two names
    with pytest.raises(ParameterError):
        labels.check_lang("fr")
    assert check_model("models") == "models"
    with pytest.raises(ParameterError, match="Valid choices: citizens, clans"):
        check_model("schools")
    assert check_year(ROWS, 0) is None and check_year(ROWS, "2021") == 2021
    with pytest.raises(ParameterError):
        check_year(ROWS, 2030)


def test_notebook_parameters(tmp_path):
    nb = tmp_path / "n.ipynb"
    cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ['lang = "vi"\n', "year = 0"]}
    nb.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    assert notebook_parameters(nb) == {"lang": "vi", "year": 0}
    cell["source"] = "import os\nx = os.getcwd()"
    nb.write_text(json.dumps({"cells": [cell]}), encoding="utf-8")
    with pytest.raises(ParameterError, match="more than literals"):
        notebook_parameters(nb)
    nb.write_text("not json", encoding="utf-8")
    with pytest.raises(ParameterError, match="not a readable notebook"):
        notebook_parameters(nb)
