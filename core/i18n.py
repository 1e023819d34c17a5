"""UI strings from one catalogue file per language, and dates and numbers in each language's conventions."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_percent

LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"
# Babel locale per UI language: UN style writes "3 February 2026" (British order) in English.
BABEL_LOCALES = {"en": "en_GB"}


def languages() -> dict[str, str]:
    """Language code -> its own name, one per catalogue file present."""
    return {path.stem: catalogue(path.stem)["language.name"] for path in sorted(LOCALES.glob("*.toml"))}


NO_BREAK = "\u00a0"


@cache
def catalogue(lang: str) -> dict[str, str]:
    with open(LOCALES / f"{lang}.toml", "rb") as handle:
        strings = _flatten(tomllib.load(handle))
    return {key: french_spacing(text) for key, text in strings.items()} if lang == "fr" else strings


def french_spacing(text: str) -> str:
    """French typography: a no-break space before : ; ? ! % and inside « », so that a line never starts with them."""
    text = re.sub(r"[ \u202f]+([:;?!»%])", NO_BREAK + r"\1", text)
    return re.sub(r"«[ \u202f]+", "«" + NO_BREAK, text)


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def _available() -> frozenset[str]:
    return frozenset(path.stem for path in LOCALES.glob("*.toml"))


def normalise(lang: str | None) -> str:
    return lang if lang in _available() else DEFAULT_LANGUAGE


def colon(lang: str) -> str:
    """ ": " between a label and its value, with French's no-break space before the colon."""
    return NO_BREAK + ": " if normalise(lang) == "fr" else ": "


def semicolon(lang: str) -> str:
    """ "; " between items of a list, with French's no-break space before the semicolon."""
    return NO_BREAK + "; " if normalise(lang) == "fr" else "; "


def t(key: str, lang: str, **values) -> str:
    """The string for `key` in `lang`; a key missing there falls back to English (tests forbid that)."""
    text = catalogue(normalise(lang)).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text


def t_count(key: str, lang: str, count: int, **values) -> str:
    """`key_one` or `key_other` as `count` asks in `lang` (CLDR plural rules, through Babel: French counts 0 as
    singular), with `{count}` written in the language's conventions ("1 record", « 0 recommandation », "2 registros")."""
    lang = normalise(lang)
    form = "one" if Locale.parse(_locale(lang)).plural_form(count) == "one" else "other"
    return t(f"{key}_{form}", lang, count=fmt_number(count, lang), **values)


def strategy_name(name: str, lang: str) -> str:
    """A strategy's name from data/targets.csv in the UI language (as written in the data when not translated)."""
    return catalogue(normalise(lang)).get(f"strategy_name.{name}") or name


def _locale(lang: str) -> str:
    lang = normalise(lang)
    return BABEL_LOCALES.get(lang, lang)


def fmt_date(day: date | None, lang: str) -> str:
    if day is None:
        return "—"
    text = babel_date(day, format="long", locale=_locale(lang))
    # French writes the first day of a month as an ordinal: « 1er mars 2020 ».
    return "1er" + text[1:] if normalise(lang) == "fr" and day.day == 1 else text


def fmt_time(moment: datetime, lang: str) -> str:
    """A time of day, hours and minutes, as the language writes it ("10:01")."""
    from babel.dates import format_time

    return format_time(moment, format="short", locale=_locale(lang))


def fmt_number(value: float | int, lang: str) -> str:
    return format_decimal(value, locale=_locale(lang))


def fmt_percent(value: float, lang: str) -> str:
    """A whole percentage in the language's pattern: "90%", and « 90 % » with a no-break space in French and Spanish."""
    return format_percent(value, locale=_locale(lang))


def as_of_and_source(lang: str, as_of: date, latest: date, source: str | None = None) -> list[str]:
    """The as-of line and the source line every view, chart and slide carries (treaty data by default)."""
    source = source or t("common.treaty_source", lang, date=fmt_date(latest, lang))
    return [t("common.as_of_line", lang, date=fmt_date(as_of, lang)), t("common.source_line", lang, source=source)]


def region(name: str | None, lang: str) -> str:
    """An M49 region or UN regional group name in the UI language."""
    # Observers and non-member states have no UN regional group: None or NaN from a DataFrame.
    return t(f"region.{name if isinstance(name, str) and name else 'none'}", lang)


def name_column(lang: str) -> str:
    """The states column holding official UN short names in the UI language (English otherwise)."""
    return f"name_{normalise(lang)}"  # states.csv and groups.csv carry a name column per catalogue


def fmt_month(day: date, lang: str) -> str:
    """A month and its year in the language's conventions ("November 2026", « novembre 2026 »)."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", day, locale=_locale(lang))


def fmt_age(day: date, today: date, lang: str) -> str:
    """How long ago a day was, in words ("10 months ago", "il y a 10 mois"); "today" when it is today."""
    if day >= today:
        return t("common.today", lang)
    return format_timedelta(day - today, granularity="day", threshold=1.5, add_direction=True, locale=_locale(lang))


def fmt_list(items: list[str], lang: str) -> str:
    """Items joined as each language writes a list: "A, B and C", « A, B et C », "A, B y C"."""
    from babel.lists import format_list

    return format_list(list(items), locale=_locale(lang)) if items else ""


_UNTC = re.compile(r"UN Treaty Collection, status as at (\d{1,2} [A-Z][a-z]+ \d{4})")


def source_text(source: str, lang: str) -> str:
    """A treaty event's source in the language: the depositary's status page and its date ("état au 3 février 2026")."""
    found = _UNTC.fullmatch(source)
    if not found:
        return source
    day = datetime.strptime(found.group(1), "%d %B %Y").date()
    return t("feed.source_untc", lang, date=fmt_date(day, lang))
