import datetime as dt

from kesu.domain.liaison_terms import attendance, closing_day, in_office

DAY = dt.date(2030, 5, 10)


def test_a_successor_closes_the_term_the_day_before():
    assert closing_day(DAY - dt.timedelta(days=100), DAY) == DAY - dt.timedelta(days=1)


def test_a_successor_on_the_first_day_leaves_a_one_day_term():
    assert closing_day(DAY, DAY) == DAY


def test_in_office_is_inclusive():
    assert in_office(DAY, DAY, DAY)
    assert in_office(DAY, None, DAY + dt.timedelta(days=999))
    assert not in_office(DAY, DAY, DAY + dt.timedelta(days=1))


def test_attendance_counts_only_the_expected_liaisons():
    result = attendance({1, 2, 3, 4}, {1, 2, 9})
    assert (result.expected, result.attended, result.rate) == (4, 2, 0.5)
    assert result.text == "2/4（50.0%）"
    assert attendance(set(), {1}).rate is None
