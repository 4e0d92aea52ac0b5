"""A conversation turn is stored as plain JSON, read back checked field by field."""

from __future__ import annotations

import json

import pytest

from assistant import Intent
from assistant.conversation_json import query_from_json, query_to_json
from assistant.understanding import Profile, Query


def _full_query() -> Query:
    return Query(
        question="その補助率は？",
        text="その補助率は?",
        intent=Intent.SUBSIDY,
        programmes=("p-mono", "p-loan"),
        articles=(15,),
        fiscal_years=(2016, 2017),
        attributes=("rate", "cap"),
        profile=Profile("manufacturing", 12, None, False, True, True),
        follow_up=True,
        intent_cued=True,
    )


def test_query_round_trips_through_json():
    query = _full_query()
    text = query_to_json(query)
    doc = json.loads(text)  # plain JSON, readable by anything
    assert doc["query"]["intent"] == "subsidy"
    assert doc["query"]["profile"]["employees"] == 12
    back = query_from_json(text)
    assert back == query
    assert isinstance(back.intent, Intent) and isinstance(back.programmes, tuple)
    assert isinstance(back.profile, Profile)


def test_json_tolerates_added_and_removed_fields():
    doc = json.loads(query_to_json(_full_query()))
    doc["query"]["no_longer_a_field"] = 1
    del doc["query"]["attributes"]  # a field added later: its default applies
    back = query_from_json(json.dumps(doc))
    assert back.attributes == () and back.programmes == ("p-mono", "p-loan")


@pytest.mark.parametrize(
    "change",
    [
        {"intent": "no-such-intent"},
        {"articles": ["fifteen"]},
        {"articles": [True]},
        {"programmes": "p-mono"},
        {"profile": {"employees": "many"}},
        {"question": None},
    ],
)
def test_json_with_wrong_types_is_rejected(change):
    doc = json.loads(query_to_json(_full_query()))
    doc["query"].update(change)
    with pytest.raises(ValueError):
        query_from_json(json.dumps(doc))


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 99, "query": {}}', '{"format": 1}'])
def test_json_that_is_no_turn_is_rejected(text):
    with pytest.raises(ValueError):
        query_from_json(text)
