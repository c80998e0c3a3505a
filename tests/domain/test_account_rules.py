from kesu.domain.account_rules import (
    child_level,
    person_name_problem,
    temporary_password,
    username_problem,
    within,
)


def test_usernames():
    assert username_problem("xf-jkj.zhang_3") == ""
    assert username_problem("ab") != ""  # too short
    assert username_problem("张三") != ""  # not ASCII: typed on any keyboard, read over the phone
    assert username_problem("=cmd") != ""
    assert username_problem("a" * 31) != ""


def test_person_names_refuse_formulas_and_control_characters():
    assert person_name_problem("欧阳娜娜") == ""
    assert person_name_problem("") != ""
    assert person_name_problem("=HYPERLINK(1)") != ""
    assert person_name_problem("张\x00三") != ""


def test_temporary_passwords_are_random_readable_and_mixed():
    seen = {temporary_password() for _ in range(50)}
    assert len(seen) == 50
    for password in seen:
        assert len(password) == 14 and password.count("-") == 2
        plain = password.replace("-", "")
        assert any(c.isdigit() for c in plain) and any(c.isalpha() for c in plain)
        assert not set(plain) & set("0O1lI")


def test_area_and_levels():
    assert within("/1/7/12/", ["/1/7/"])
    assert not within("/1/8/", ["/1/7/"])
    assert not within("/1/70/", ["/1/7/"])  # paths end with "/": 7 is not a prefix of 70
    assert within("/5/", [""])  # a superuser's area
    assert child_level("province") == "city" and child_level("city") == "county" and child_level("county") is None
