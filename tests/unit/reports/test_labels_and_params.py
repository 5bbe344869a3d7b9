"""Labels, numbers and notebook parameters (moved from the former tests/unit/stats/test_analysis.py)."""

import pytest

from analysis.reports.labels import format_number, label
from analysis.reports.params import (
    ParameterError,
    check_cluster,
    check_entity,
    check_metrics,
    check_province,
)


def test_labels_and_numbers():
    """Vietnamese labels and separators; an unknown language is refused naming the valid ones."""
    assert label("members", "vi") == "hội viên"
    assert format_number(1245300, "vi") == "1.245.300" and format_number(99.81, "vi") == "99,81"
    with pytest.raises(ValueError, match="en, vi"):
        label("members", "fr")


def test_parameters_list_valid_choices(multi_figures):
    """A bad parameter names the valid choices."""
    with pytest.raises(ParameterError, match="Valid choices: .*Thái Bình"):
        check_entity(multi_figures, "Atlantis")
    with pytest.raises(ParameterError, match="fund_raised"):
        check_metrics(["volunteers"])
    with pytest.raises(ParameterError, match="Cụm III"):
        check_cluster("Cụm XX")
    with pytest.raises(ParameterError, match="Bắc Ninh"):
        check_province("Bac Ninh")
    assert check_cluster("3") == "Cụm III"
