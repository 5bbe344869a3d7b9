import pytest

from analysis.extraction.knowledge import fold
from analysis.extraction.numbers import NumberScanner, parse_numeral


@pytest.mark.parametrize("text,value", [
    ("11.089", 11089), ("72.000", 72000), ("1.245.300", 1245300), ("99,81", 99.81),
    ("09", 9), ("1,5", 1.5), ("0,5", 0.5),
])
def test_parse_numeral(text, value):
    assert parse_numeral(text) == pytest.approx(value)


def scan(text):
    return NumberScanner().scan(fold(text))


@pytest.mark.parametrize("text,value,unit", [
    ("25 tỷ đồng", 25e9, "vnd"), ("1,5 tỷ đồng", 1.5e9, "vnd"), ("61 triệu 600 nghìn đồng", 61.6e6, "vnd"),
    ("800 ngàn đồng", 8e5, "vnd"), ("1 tỷ 250 triệu đồng", 1.25e9, "vnd"), ("150.000.000đ", 1.5e8, "vnd"),
    ("2.000.000 VNĐ", 2e6, "vnd"), ("99,81%", 99.81, "percent"), ("17 triệu hội viên", 17e6, "count"),
    ("45 phần trăm", 45, "percent"), ("2.5%", 2.5, "percent"),
])
def test_amounts(text, value, unit):
    (a,) = scan(text)
    assert (a.value, a.unit) == (pytest.approx(value), unit)
    assert a.start == 0


@pytest.mark.parametrize("text,lo,hi", [
    ("80-90%", 80, 90), ("từ 1 đến 2 tỷ đồng", 1e9, 2e9), ("từ 80 – 90 %", 80, 90),
])
def test_ranges(text, lo, hi):
    (a,) = scan(text)
    assert (a.value, a.value_max) == (pytest.approx(lo), pytest.approx(hi))


def test_claimed_spans_are_skipped():
    text = "ngày 30/6/2017 có 50 đơn vị"
    amounts = NumberScanner().scan(fold(text), [(5, 14)])
    assert [a.value for a in amounts] == [50]


def test_fraction_keeps_its_denominator():
    (a,) = scan("12.222/18.734 hộ")
    assert a.value == 12222 and a.denominator[2] == 18734


# -- every digit accounted for (issue 13) ---------------------------------------------------

@pytest.mark.parametrize("token,reason", [
    ("1000.000", "group thousands in threes"), ("5.5.5", "in threes"), ("1.2.3.4", "in threes"),
    ("12ab", "glued to letters"), ("H2O", "glued to letters"), ("4.8", "decimal point"),
    ("1,2,3", "more than one decimal comma"),
])
def test_malformed_reason(token, reason):
    from analysis.extraction.numbers import malformed_reason

    assert reason in malformed_reason(token)


def test_unaccounted_numbers_names_each_token_once():
    from analysis.extraction.numbers import unaccounted_numbers

    text = "Có 1000.000 đồng, 5.5.5 hội viên, mã A12B và 72 chi hội."
    covered = [(text.index("72"), text.index("72") + 10)]
    found = [(text[a:b], why.split(":")[0]) for a, b, why in unaccounted_numbers(text, covered)]
    assert found == [("1000.000", "malformed number"), ("5.5.5", "malformed number"), ("A12B", "malformed number")]


def test_partly_covered_token_reports_only_the_uncovered_digits():
    from analysis.extraction.numbers import unaccounted_numbers

    text = "số 12.345.6789 x"
    a = text.index("12")
    found = unaccounted_numbers(text, [(a, a + 2)])
    assert [text[s:e] for s, e, _ in found] == ["345", "6789"]


@pytest.mark.parametrize("text", ["9" * 400, "1" + "0" * 5000, "9" * 16])
def test_numbers_too_long_to_be_figures_are_refused(text):
    from analysis.extraction.numbers import malformed_reason

    with pytest.raises(ValueError, match="more than 15 digits"):
        parse_numeral(text)
    assert malformed_reason(text) == "implausible number: more than 15 digits"
