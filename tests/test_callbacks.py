"""Callback data: every button's data reads back as it was made; nothing else reads."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essbot.answer.callbacks import (
    MAX_BYTES,
    BadCallback,
    EventRequest,
    PageRequest,
    event_data,
    page_data,
    read,
)
from essbot.events.search import Criteria, center_of
from essbot.understand.topics import KEYWORDS

AMIENS = Criteria("commune", "80021", *center_of("commune", "80021"), radius_km=30.0)


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(),
        AMIENS,
        Criteria("commune", "2A004", *center_of("commune", "2A004")),
        Criteria("department", "62", *center_of("department", "62")),
        Criteria("department", "974", *center_of("department", "974")),
        Criteria(
            "region",
            "32",
            *center_of("region", "32"),
            date_from=date(2016, 10, 1),
            date_to=date(2016, 10, 31),
            keywords=tuple(KEYWORDS)[:4],
        ),
        Criteria("point", None, 49.8941, 2.2958, 250.0, keywords=("en ligne",)),
        Criteria("point", None, -21.1151, 55.5364, 30.0),
    ],
)
def test_page_data_reads_back(criteria: Criteria) -> None:
    data = page_data(criteria, 15)
    assert len(data.encode()) <= MAX_BYTES
    assert read(data) == PageRequest(criteria, 15)


def test_event_data_reads_back() -> None:
    assert read(event_data("e", 42)) == EventRequest("e", 42)
    assert read(event_data("r", 7)) == EventRequest("r", 7)


@pytest.mark.parametrize(
    "data",
    ["", "e|", "e|-1", "z|1", "e|1|2", "s|c80021|30||||", "s|c8002|30||||0", "s|d999||||||0",
     "s|r1||||0", "s|p91.0,2.0|30||||0", "s|p49.0,2.0|||||0", "s|c80021|0||||0",
     "s|c80021|301||||0", "s|a||20160230|||0", "s|a||||99|0", "s|a||||1..2|0", "s|a|||||00000",
     "é" * 40, "e|1\n", " e|1"],
)  # fmt: skip
def test_forged_data_is_refused(data: str) -> None:
    with pytest.raises(BadCallback):
        read(data)


@given(st.text(max_size=80))
def test_any_text_reads_or_is_refused_cleanly(data: str) -> None:
    try:
        request = read(data)
    except BadCallback:
        return
    assert isinstance(request, PageRequest | EventRequest)
