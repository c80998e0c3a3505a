from kesu.domain.number_text import comparator_text, number_text, target_text


def test_numbers_read_as_entered():
    assert number_text(6.0) == "6"
    assert number_text(6) == "6"
    assert number_text(14.5) == "14.5"
    assert number_text(10000.0) == "10000"
    assert number_text(12345.5, grouping=True) == "12,345.5"
    assert number_text(0.123456) == "0.1235"
    assert number_text(-0.00001) == "0"
    assert number_text(None) == ""
    assert number_text(float("nan")) == ""
    assert number_text(6.0, exact=True) == "6"
    assert number_text(0.123456, exact=True) == "0.123456", "a form field keeps every digit"
    assert number_text(1e20, exact=True) == "100000000000000000000", "never in exponent form"
    assert number_text(1e-7, exact=True) == "0.0000001"
    assert number_text(-0.0, exact=True) == "0"


def test_comparators_read_in_chinese():
    assert comparator_text(">=") == "不低于"
    assert comparator_text(">") == "超过"
    assert comparator_text("=") == "达到"
    assert comparator_text("<=") == "不超过"
    assert comparator_text(None) == "达到"


def test_a_target_reads_as_a_sentence():
    assert target_text(14.5, "%", ">=", 2025) == "2025年不低于14.5%"
    assert target_text(50.0, "场", ">", annual=True) == "每年超过50场"
    assert target_text(3000, "人", "=") == "达到3000人"
