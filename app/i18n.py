"""UI strings from one catalogue file per language, and dates and numbers in each language's conventions."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal, format_percent

LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"


def languages() -> dict[str, str]:
    """Language code -> its own name, one per catalogue file present."""
    return {path.stem: catalogue(path.stem)["language.name"] for path in sorted(LOCALES.glob("*.toml"))}


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    with open(LOCALES / f"{lang}.toml", "rb") as handle:
        return _flatten(tomllib.load(handle))


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def normalise(lang: str | None) -> str:
    return lang if lang and (LOCALES / f"{lang}.toml").exists() else DEFAULT_LANGUAGE


def t(key: str, lang: str, **values) -> str:
    """The string for `key` in `lang`; a key missing there falls back to English (tests forbid that)."""
    text = catalogue(normalise(lang)).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text


def fmt_date(day: date | None, lang: str) -> str:
    return "—" if day is None else babel_date(day, format="long", locale=normalise(lang))


def fmt_number(value: float | int, lang: str) -> str:
    return format_decimal(value, locale=normalise(lang))


def fmt_percent(value: float, lang: str) -> str:
    return format_percent(value, format="#,##0%", locale=normalise(lang))


def state_name(row, lang: str) -> str:
    """The official UN short name in the UI language (English where a catalogue has no names)."""
    return row.get(f"name_{normalise(lang)}") or row["name_en"]
