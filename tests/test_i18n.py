"""Catalogues: every key in every language, region names for every region in the data."""

import re
from datetime import date

from core.i18n import catalogue, fmt_date, fmt_percent, languages, t


def test_every_catalogue_has_every_key():
    english = set(catalogue("en"))
    for lang in languages():
        keys = set(catalogue(lang))
        assert english - keys == set(), f"{lang} lacks {sorted(english - keys)}"
        assert keys - english == set(), f"{lang} has keys English lacks: {sorted(keys - english)}"
        assert all(value.strip() for value in catalogue(lang).values())


def test_english_and_french_are_offered():
    assert languages() == {"en": "English", "es": "Español", "fr": "Français"}


def test_every_language_has_official_state_and_group_names(db):
    for lang in languages():
        column = f"name_{lang}"
        missing = db.query(f"select count(*) from states where coalesce({column}, '') = ''").iloc[0, 0]  # noqa: S608
        assert missing == 0, lang
        assert db.query(f"select count(*) from groups where coalesce({column}, '') = ''").iloc[0, 0] == 0, lang  # noqa: S608


def test_region_names_cover_the_data(db):
    names = db.query(
        "select distinct m49_region as r from states union select distinct m49_subregion from states "
        "union select distinct un_regional_group from states where un_regional_group is not null"
    )
    for name in names.r:
        assert f"region.{name}" in catalogue("fr"), name


def test_placeholders_match_across_languages():
    import string

    for key, text in catalogue("en").items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        for lang in languages():
            other = {f for _, f, _, _ in string.Formatter().parse(catalogue(lang)[key]) if f}
            assert other == fields, (lang, key)


def test_dates_follow_each_language():
    assert fmt_date(date(2026, 2, 3), "en") == "3 February 2026"
    assert fmt_date(date(2026, 2, 3), "fr") == "3 février 2026"
    assert t("overview.member_parties_value", "fr", parties=1, members=2) == "1 sur 2"


def test_french_typography_no_break_space_before_double_punctuation():
    from core.i18n import colon

    strings = catalogue("fr").values()
    assert not [s for s in strings if re.search(r" [:;?!»%]|« ", s)]  # an ordinary space would let the line break
    assert t("common.source_line", "fr", source="X") == "Source\u00a0: X."
    assert colon("fr") == "\u00a0: " and colon("en") == ": "
    assert fmt_date(date(2020, 3, 1), "fr") == "1er mars 2020"
    assert t("forum.title_remaining", "fr") == "Qui reste-t-il\u00a0?"  # a question, with its mark
    assert fmt_percent(0.9, "fr") == "90\u00a0%" and fmt_percent(0.9, "es") == "90\u00a0%" and fmt_percent(0.9, "en") == "90%"
    assert fmt_percent(0.904, "fr") == "90\u00a0%"  # whole percentages


def test_strategy_names_from_the_data_in_each_language():
    from core.i18n import strategy_name

    assert strategy_name("CTI Strategy 2020-2022", "fr") == "Stratégie de la CTI 2020-2022"
    assert strategy_name("CTI Strategy 2020-2022", "es") == "Estrategia de la CTI 2020-2022"
    assert strategy_name("A later strategy", "fr") == "A later strategy"  # not yet translated: as in the data


def test_counts_take_the_singular_or_the_plural_in_every_language():
    from core.i18n import t_count

    assert t_count("records.card_real", "en", 1) == "From 1 real CTI record."
    assert t_count("records.card_real", "en", 2) == "From 2 real CTI records."
    assert t_count("records.card_real", "es", 1) == "A partir de 1 registro real de la CTI."
    assert t_count("records.card_real", "es", 12) == "A partir de 12 registros reales de la CTI."
    assert t_count("brief.more_recommendations", "fr", 1).startswith("et 1 autre recommandation (")
    assert t_count("brief.more_recommendations", "fr", 3).startswith("et 3 autres recommandations (")
    # French counts 0 as singular (CLDR); English and Spanish as plural.
    assert [t_count("profile.recs_supported", "fr", n) for n in (0, 1, 2)] == ["0 acceptée", "1 acceptée", "2 acceptées"]
    assert [t_count("profile.recs_supported", "es", n) for n in (0, 1, 2)] == ["0 apoyadas", "1 apoyada", "2 apoyadas"]
    assert t_count("secretariat.records_added", "en", 0) == "0 records added"
    assert t_count("calendar.state_count", "fr", 1234) == "1\u202f234 États"  # the number in the language's conventions


def test_every_singular_has_its_plural_and_no_message_hedges_with_parentheses():
    for lang in languages():
        keys = set(catalogue(lang))
        ones = {key.removesuffix("_one") for key in keys if key.endswith("_one")}
        others = {key.removesuffix("_other") for key in keys if key.endswith("_other")}
        assert ones and ones <= others, lang  # t_count needs both ("kind_other" and the like are not plurals)
        assert not [text for text in catalogue(lang).values() if re.search(r"\w\((s|es|e|x)\)", text)], lang


def test_activity_kinds_are_common_nouns_that_lower_case_mid_sentence():
    # app/secretariat.py writes "kinds: seminar and workshop" with .lower(): an acronym in a kind's label would break.
    for lang in languages():
        kinds = {key: value for key, value in catalogue(lang).items() if key.startswith("activity_kind.")}
        assert kinds and all(value[1:] == value[1:].lower() for value in kinds.values()), (lang, kinds)
