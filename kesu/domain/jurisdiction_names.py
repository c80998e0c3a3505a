"""Administrative levels read off a jurisdiction's name (晋城市 → city, 襄汾县 → county)."""

from __future__ import annotations

PROVINCE_SUFFIXES = ("省", "自治区")
COUNTY_SUFFIXES = ("县", "区", "旗", "自治县", "自治旗", "县级市")
CITY_SUFFIXES = ("市", "州", "盟", "地区", "自治州")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


def level_from_name(name: str) -> str:
    """'province', 'city' or 'county' (a 区 or 旗 counts as county); city when the name says nothing."""
    if name.endswith(PROVINCE_SUFFIXES) or name in MUNICIPALITIES:
        return "province"
    if name.endswith(COUNTY_SUFFIXES):
        return "county"
    return "city"
