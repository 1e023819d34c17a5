"""The upload's problems in the user's words: a day that does not exist, a state code's near miss, an earlier upload."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath

from core.i18n import fmt_date, fmt_month, fmt_time, t, t_count

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_COLUMNS = ("start_date", "end_date")
CODE_COLUMNS = ("iso3",)
# The ETL's reason for an id recorded in an earlier file, naming that file by its path on the server.
_RECORDED_IN = re.compile(r"^duplicate activity_id \(already recorded in (.+)\)$")


def missing_day(value: str) -> tuple[int, date] | None:
    """(day, the month's first day) for a well-formed YYYY-MM-DD that names no day ("2026-02-30"), else None."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        date(year, month, day)
    except ValueError:
        return day, date(year, month, 1)
    return None


def suggest_code(value: str, names: Mapping[str, Mapping[str, str]]) -> str | None:
    """The state code a mistyped code or a state's name most likely means, or None when no single one stands out.

    `names`: language -> (ISO3 -> name). Tried in turn: the code in capitals ("hti"), the same letters in another
    order ("HIT"), one letter apart when only one code is, a state's name in any language ("Malaysia").
    """
    typed = value.strip()
    codes = set().union(*(set(by_code) for by_code in names.values())) if names else set()
    upper = typed.upper()
    if upper in codes:
        return upper
    if len(upper) == 3:
        for rule in (
            lambda code: sorted(code) == sorted(upper),
            lambda code: sum(a != b for a, b in zip(code, upper, strict=True)) == 1,
        ):
            found = sorted(code for code in codes if rule(code))
            if len(found) == 1:
                return found[0]
    wanted = typed.casefold()
    for by_code in names.values():
        for code, name in by_code.items():
            if name.casefold() == wanted:
                return code
    return None


def earlier_upload(file: str, uploads: Mapping[str, tuple[datetime | None, int]], today: date, lang: str) -> str:
    """An earlier record file in the user's words: "already added today at 10:01 (25 records)", "… on 3 December
    2026 at 10:01 …"; a file shipped with the dashboard by its name alone, never by its path on the server.

    `uploads`: file name -> (when it was stored, from its stamp; None for a shipped file, its number of records).
    """
    name = PurePath(file).name
    when, records = uploads.get(name, (None, 0))
    if when is None:
        return t("upload_messages.already_shipped", lang, file=name)
    count = t_count("upload_messages.records", lang, records)
    time = fmt_time(when, lang)
    if when.date() == today:
        return t("upload_messages.already_today", lang, time=time, records=count)
    return t("upload_messages.already_on", lang, date=fmt_date(when.date(), lang), time=time, records=count)


def friendly_reason(
    column: str,
    value: str,
    reason: str,
    names: Mapping[str, Mapping[str, str]],
    lang: str,
    uploads: Mapping[str, tuple[datetime | None, int]] | None = None,
    today: date | None = None,
) -> str:
    """The ETL's reason for a bad cell, said in the user's words where a plainer one exists; otherwise as it is.

    `uploads` and `today` (see earlier_upload): an id recorded in an earlier file is named by that upload.
    """
    recorded = _RECORDED_IN.match(reason)
    if recorded and uploads is not None and today is not None:
        return earlier_upload(recorded.group(1), uploads, today, lang)
    if column in DATE_COLUMNS and value:
        missing = missing_day(value)
        if missing is not None:
            day, month = missing
            return t("upload_messages.no_such_day", lang, day=day, month=fmt_month(month, lang))
    if column in CODE_COLUMNS and value and reason.startswith("unknown ISO code"):
        code = suggest_code(value, names)
        if code is not None:
            name = names.get(lang, names.get("en", {})).get(code, code)
            return t("upload_messages.did_you_mean", lang, value=value, code=code, name=name)
        return t("upload_messages.unknown_code", lang, value=value)
    return reason
