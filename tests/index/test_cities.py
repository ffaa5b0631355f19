"""The prefecture-level cities data: which names are cities, and the province of each."""

from __future__ import annotations

from index.cities import load_cities


def test_every_city_has_one_province() -> None:
    cities = load_cities()
    assert len(cities.province_of) > 280
    assert cities.province_of["泉州"] == "福建" and cities.province_of["杭州"] == "浙江"
    assert cities.ambiguous <= set(cities.province_of)


def test_a_city_named_in_a_text() -> None:
    cities = load_cities()
    assert cities.found("她家住泉州") == {"泉州"}
    assert cities.found("思明区的门店") == frozenset()
    # A name that is also a common word counts only with 市.
    assert cities.found("长治久安") == frozenset()
    assert cities.found("我在长治市上班") == {"长治"}
    # Not inside another word or a longer name; a province's name needs 市.
    assert cities.found("医保定点药店买复合肥") == frozenset()
    assert cities.found("她在马鞍山") == {"马鞍山"}
    assert cities.found("她在吉林") == frozenset() and cities.found("她在吉林市") == {"吉林"}
    assert cities.found("福州、泉州和浙江杭州") == {"福州", "泉州", "杭州"}
    # A group named by its cities' first characters names each of them.
    assert cities.found("在“长株潭”先行") == {"长沙", "株洲", "湘潭"}
    # Not inside a word (推广佛山) nor a longer group (厦漳泉龙).
    assert cities.found("推广佛山经验") == frozenset()
    assert not cities.found("在厦漳泉龙四地") & {"厦门", "漳州", "泉州"}


def test_the_tokenizer_names_cities_it_took_into_longer_words() -> None:
    from index.tokenize import Tokenizer

    places = Tokenizer([], frozenset()).places("她在龙岩住过几年，在杭州也开过店")
    assert {"龙岩", "杭州"} <= places
