"""The engagement calendar's table, timeline chart and iCalendar file: pure builders over opportunity rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
from babel.dates import format_date as babel_date
from icalendar import Calendar, Event

from app import palette
from app.opportunities import KINDS, add_months
from core.i18n import _locale, fmt_date, name_column, t, t_count

PROFILE_PATH = "/country"
ROW_HEIGHT = 22
UID_DOMAIN = "uncat-dashboard"


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def fmt_when(day: date | None, precision: str | None, lang: str) -> str:
    """A date at the precision it is known to: a day, a month ("November 2026") or a year ("2026")."""
    if day is None:
        return "—"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return babel_date(day, format="LLLL y", locale=_locale(lang))
    return fmt_date(day, lang)


def fmt_span(first: date, last: date, precision: str | None, lang: str) -> str:
    """A window: days for a review known to the day, whole months otherwise."""
    shown = "day" if precision in (None, "day") else "month"
    return t("calendar.span", lang, first=fmt_when(first, shown, lang), last=fmt_when(last, shown, lang))


def profile_link(iso3: str, as_of: date, lang: str) -> str:
    """The country profile page, with the language and the date carried as the other pages carry them."""
    return f"{PROFILE_PATH}?state={iso3}&lang={lang}&as_of={as_of.isoformat()}"


def _basis(row, lang: str) -> str:
    """Published, expected, or (a review already held) held."""
    if row.kind == "upr_window" and row.review_held:
        return t("calendar.basis_held", lang)
    return t(f"calendar.basis_{row.basis}", lang)


def _years(years, lang: str) -> str:
    years = int(years)
    return t("calendar.less_than_a_year", lang) if years < 1 else t_count("calendar.years", lang, years)


def details(row, as_of: date, lang: str) -> str:
    """The reason for a row, in a sentence."""
    if row.kind == "upr_window":
        start, end = _day(row.review_start), _day(row.review_end)
        review = fmt_span(start, end, "day", lang) if row.precision == "day" and end else fmt_when(start, row.precision, lang)
        text = t("calendar.detail_upr", lang, cycle=int(row.cycle), session=int(row.session), review=review)
        if row.precision in ("month", "year"):
            text += " " + t(f"calendar.detail_upr_widest_{row.precision}", lang)
        if row.cycle > 1:
            counts = {k: int(getattr(row, k) or 0) for k in ("supported", "noted", "pending")}
            if sum(counts.values()):
                parts = {k: t_count(f"calendar.recs_{k}", lang, n) for k, n in counts.items()}
                text += " " + t("calendar.detail_upr_recs", lang, previous=int(row.cycle) - 1, **parts)
            else:
                text += " " + t("calendar.detail_upr_no_recs", lang, previous=int(row.cycle) - 1)
        return text
    if row.kind == "recommendation":
        return t_count(
            f"calendar.detail_rec_{row.target}",
            lang,
            int(row.supported),
            session=int(row.session),
            when=fmt_when(_day(row.start), row.precision, lang),
            ago=_years(row.years, lang),
            date=fmt_date(as_of, lang),
        )
    if row.kind == "report":
        if row.report_status == "due":
            text = t("calendar.detail_report_due", lang, date=fmt_date(_day(row.start), lang))
        else:
            text = t("calendar.detail_report_overdue", lang, date=fmt_date(_day(row.start), lang), ago=_years(row.years, lang))
        if row.submitted_year is not None and not pd.isna(row.submitted_year):
            text += " " + t("calendar.detail_report_year", lang, year=int(row.submitted_year))
        return text
    return t("calendar.detail_signatory", lang, date=fmt_date(_day(row.start), lang), ago=_years(row.years, lang))


def when(row, lang: str) -> str:
    if row.kind == "upr_window":
        return fmt_span(_day(row.start), _day(row.end), row.precision, lang)
    return fmt_when(_day(row.start), row.precision, lang)


def review_when(row, lang: str) -> str:
    """The review itself: its day where the Working Group's report gives it, else its session's dates at their
    precision; "held" once past (a window that stays open is then the follow-up half)."""
    if row.kind != "upr_window":
        return ""
    day = _day(row.review_date)
    if day is not None:
        shown = fmt_date(day, lang)
    elif row.precision == "day" and _day(row.review_end):
        shown = fmt_span(_day(row.review_start), _day(row.review_end), "day", lang)
    else:
        shown = fmt_when(_day(row.review_start), row.precision, lang)
    if row.review_held:
        return t("calendar.review_held", lang, when=shown)
    if row.review_past:
        return t("calendar.review_unconfirmed", lang, when=shown)  # its date has passed; no source says it was held
    return shown


def review_day(row) -> date | None:
    """The day to mark the review on: its own day, else its session's first day (month or year: the first)."""
    return _day(row.review_date) or _day(row.review_start)


def table(rows: pd.DataFrame, status: pd.DataFrame, groups: pd.DataFrame, as_of: date, lang: str) -> pd.DataFrame:
    """The calendar as a table, one row per opportunity, in the language (also the CSV download)."""
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    flags = {}
    for code in ("LDC", "SIDS", "ODA"):
        for iso3 in groups.loc[groups.group_code == code, "iso3"]:
            flags.setdefault(iso3, []).append(t(f"group_short.{code}", lang))
    frame = pd.DataFrame(
        {
            t("column.state", lang): [names.get(iso3, iso3) for iso3 in rows.iso3],
            t("calendar.column_kind", lang): [t(f"calendar.kind_{kind}", lang) for kind in rows.kind],
            t("calendar.column_when", lang): [when(row, lang) for row in rows.itertuples(index=False)],
            t("calendar.column_review", lang): [review_when(row, lang) for row in rows.itertuples(index=False)],
            t("calendar.column_basis", lang): [_basis(row, lang) for row in rows.itertuples(index=False)],
            t("calendar.column_details", lang): [details(row, as_of, lang) for row in rows.itertuples(index=False)],
            t("calendar.column_groups", lang): [", ".join(flags.get(iso3, [])) for iso3 in rows.iso3],
            t("calendar.column_from", lang): [_day(v).isoformat() for v in rows.start],
            t("calendar.column_to", lang): [_day(v).isoformat() if _day(v) else "" for v in rows.end],
            t("calendar.column_precision", lang): [t(f"calendar.precision_{p}", lang) for p in rows.precision],
            "ISO3": list(rows.iso3),
            t("calendar.column_profile", lang): [profile_link(iso3, as_of, lang) for iso3 in rows.iso3],
        }
    )
    return frame


def chart_frame(rows: pd.DataFrame, status: pd.DataFrame, as_of: date, months: int, lang: str) -> pd.DataFrame:
    """One mark per row, clipped to the chart's span; an item older than the span sits at its left edge
    (and one from the month before the date at its own date), marked as earlier.

    Only the states with a UPR window or a deadline in the span are drawn (with their older open
    items); states with older open items only are in the table.
    """
    first, horizon = chart_span(as_of, months)
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    records = []
    for row in rows.itertuples(index=False):
        start, end = _day(row.start), _day(row.end)
        window = row.kind == "upr_window"
        earlier = start < as_of  # overdue or open since before the date
        records.append(
            {
                "state": names.get(row.iso3, row.iso3),
                "kind": t(f"calendar.kind_{row.kind}", lang),
                "mark": "window" if window else ("earlier" if earlier else "deadline"),
                "x": pd.Timestamp(max(start, first)),
                "x2": pd.Timestamp(min(end, horizon)) if window else pd.NaT,
                "review": pd.Timestamp(review_day(row)) if window and review_day(row) else pd.NaT,
                "review_when": review_when(row, lang),
                "basis": _basis(row, lang),
                "when": when(row, lang),
                "shape": t("calendar.legend_earlier", lang) if earlier and not window else t("calendar.legend_in_span", lang),
                "sort": pd.Timestamp(start),  # lines in the order of their real dates, not the clipped ones
                "kind_order": KINDS.index(row.kind),
            }
        )
    columns = ["state", "kind", "mark", "x", "x2", "review", "review_when", "basis", "when", "shape", "sort", "kind_order"]
    frame = pd.DataFrame(records, columns=columns)
    # The chart answers "when": states with a window or a deadline in the span, with their open items.
    dated = set(frame.loc[frame.mark != "earlier", "state"])
    return frame[frame.state.isin(dated)].reset_index(drop=True)


def _legend(key: str, lang: str) -> alt.Legend:
    return alt.Legend(title=t(key, lang), orient="bottom")


def chart_span(as_of: date, months: int) -> tuple[date, date]:
    """The chart shows a month before the date (so that older items stand apart) to `months` after it."""
    return add_months(as_of, -1), add_months(as_of, months)


def timeline_chart(frame: pd.DataFrame, as_of: date, months: int, today: date, lang: str) -> alt.LayerChart:
    """One line per state: bars for UPR windows (published dark, expected light), points for deadlines,
    a rule at the as-of date (and at today when it differs)."""
    first, horizon = chart_span(as_of, months)
    # States with a UPR window first, then those with a deadline, each by date; then by name.
    dated = frame[frame.mark != "earlier"]
    firsts = dated.groupby("state").agg(kind_order=("kind_order", "min"), sort=("sort", "min")).reset_index()
    order = list(firsts.sort_values(["kind_order", "sort", "state"]).state)
    y = alt.Y("state:N", sort=order, title=None, axis=alt.Axis(labelLimit=170, labelFontSize=11, labelOverlap=False))
    # The span comes from the data (marks are clipped to it, and two invisible anchors mark its ends):
    # an explicit domain is parsed differently in each layer and Vega warns about a conflict.
    x = alt.X(
        "x:T",
        title=None,
        axis=alt.Axis(format="%Y-%m", labelAngle=0, labelOverlap=True, orient="top", tickCount={"interval": "month", "step": 1}),
    )
    tooltip = [
        alt.Tooltip("state:N", title=t("column.state", lang)),
        alt.Tooltip("kind:N", title=t("calendar.column_kind", lang)),
        alt.Tooltip("when:N", title=t("calendar.column_when", lang)),
        alt.Tooltip("basis:N", title=t("calendar.column_basis", lang)),
    ]
    basis_scale = alt.Scale(
        domain=[t("calendar.basis_published", lang), t("calendar.basis_held", lang), t("calendar.basis_expected", lang)],
        range=[palette.ENGAGEMENT["upr_window"], palette.ENGAGEMENT["upr_window"], palette.ENGAGEMENT["upr_window_expected"]],
    )
    windows = (
        alt.Chart(frame[frame.mark == "window"])
        .mark_bar(height=12, cornerRadius=2)
        .encode(
            x=alt.X("x:T"),
            x2="x2:T",
            y=y,
            color=alt.Color("basis:N", scale=basis_scale, legend=_legend("calendar.legend_window", lang)),
            tooltip=tooltip,
        )
    )
    kinds = ["recommendation", "report", "signatory"]
    kind_scale = alt.Scale(domain=[t(f"calendar.kind_{k}", lang) for k in kinds], range=[palette.ENGAGEMENT[k] for k in kinds])
    shape_scale = alt.Scale(
        domain=[t("calendar.legend_in_span", lang), t("calendar.legend_earlier", lang)], range=["diamond", "triangle-left"]
    )

    def points(rows: pd.DataFrame, offset: int) -> alt.Chart:
        return (
            alt.Chart(rows)
            .mark_point(filled=True, size=90, opacity=0.9, xOffset=offset)
            .encode(
                x=alt.X("x:T"),
                y=y,
                color=alt.Color("kind:N", scale=kind_scale, legend=_legend("calendar.legend_kind", lang)),
                shape=alt.Shape("shape:N", scale=shape_scale, legend=_legend("calendar.legend_date", lang)),
                tooltip=tooltip,
            )
        )

    # The review itself, a tall tick across its window's bar (inside the span only).
    reviewed = frame[(frame.mark == "window") & frame.review.notna()]
    reviewed = reviewed[(reviewed.review >= pd.Timestamp(first)) & (reviewed.review <= pd.Timestamp(horizon))]
    review_ticks = (
        alt.Chart(reviewed.assign(x=reviewed.review, legend=t("calendar.legend_review", lang)))
        .mark_tick(thickness=3, size=18, color=palette.ANNOTATION)
        .encode(
            x=alt.X("x:T"),
            y=y,
            opacity=alt.Opacity("legend:N", scale=alt.Scale(range=[1]), legend=_legend("calendar.legend_review_title", lang)),
            tooltip=[*tooltip[:1], alt.Tooltip("review_when:N", title=t("calendar.column_review", lang))],
        )
    )
    # An older open item sits just left of the plot, clear of the window bars.
    anchors = alt.Chart(pd.DataFrame({"x": [pd.Timestamp(first), pd.Timestamp(horizon)]})).mark_tick(opacity=0).encode(x=x)
    layers = [
        anchors,
        windows,
        review_ticks,
        points(frame[frame.mark == "deadline"], 0),
        points(frame[frame.mark == "earlier"], -8),
    ]
    layers = [layer for layer in layers if layer is anchors or len(layer.data)]
    marks = [pd.Timestamp(as_of)]
    labels = [t("calendar.rule_as_of", lang, date=fmt_date(as_of, lang))]
    if today != as_of and first <= today <= horizon:
        marks.append(pd.Timestamp(today))
        labels.append(t("calendar.rule_today", lang, date=fmt_date(today, lang)))
    rules_data = pd.DataFrame({"x": marks, "label": labels})
    rules = (
        alt.Chart(rules_data)
        .mark_rule(color=palette.ANNOTATION, strokeDash=[4, 3])
        .encode(x=alt.X("x:T"), tooltip=[alt.Tooltip("label:N", title=" ")])
    )
    height = max(ROW_HEIGHT * len(order), 60)
    # The as-of date's label above the plot, starting at its line; today's under the plot, ending at its line:
    # on a phone the two lines are close, and side by side their labels ran into each other and off the chart.
    rule_labels = [
        alt.Chart(rules_data.iloc[row : row + 1])
        .mark_text(align=align, baseline=baseline, dx=dx, dy=dy, fontSize=10, color=palette.ANNOTATION)
        .encode(x=alt.X("x:T"), y=alt.value(y), text="label:N")
        for row, (align, baseline, dx, dy, y) in enumerate(
            [("left", "bottom", 3, -2, 0), ("right", "top", -3, 2, height)][: len(rules_data)]
        )
    ]
    return (
        alt.layer(*layers, rules, *rule_labels)
        .resolve_scale(color="independent")
        # Fit the width only: the legends sit below the plot, which keeps a row's height.
        .properties(width="container", height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure_legend(labelLimit=340, columns=1)
    )


PHONE_LABEL_LIMIT = 200  # px: the widest a legend line may be on a phone (the plot starts ~160 px in)
PHONE_LABEL_CHARS = 21  # characters: a longer legend label breaks at its spaces, onto two or three lines
# (the legends start where the plot does, ~200 px in on a 390 px phone: about 21 characters of 14 px text fit)


def _wrap_expression(label: str, chars: int = PHONE_LABEL_CHARS) -> str:
    """A Vega expression breaking `label` (an expression) at its last space before `chars`, up to three lines."""
    first_break = f"lastindexof(substring({label}, 0, {chars}), ' ')"
    rest = f"substring({label}, {first_break} + 1)"
    second_break = f"lastindexof(substring({rest}, 0, {chars}), ' ')"
    first = f"substring({label}, 0, {first_break})"
    three = f"[{first}, substring({rest}, 0, {second_break}), substring({rest}, {second_break} + 1)]"
    two_or_three = f"length({rest}) > {chars} && {second_break} > 0 ? {three} : [{first}, {rest}]"
    return f"length({label}) > {chars} && {first_break} > 0 ? ({two_or_three}) : {label}"


_TWO_LINES = _wrap_expression("datum.label")


def for_phone(spec: dict) -> dict:
    """The chart's Vega-Lite spec for a narrow screen: its three legends one above the other, not side by side,
    their long labels on two or three lines, and the layout fitted again to the width once drawn (side by side, the
    legends were wider than a phone, and the plot ran off the screen)."""
    legend = spec.setdefault("config", {}).setdefault("legend", {})
    legend.update(layout={"bottom": {"direction": "vertical", "anchor": "start"}}, labelLimit=PHONE_LABEL_LIMIT)
    spec["autosize"] = {**spec.get("autosize", {}), "resize": True}

    def wrap_labels(node) -> None:  # labelExpr is a legend's own property, not one of the legend config's
        if isinstance(node, dict):
            if isinstance(node.get("legend"), dict):
                node["legend"]["labelExpr"] = _TWO_LINES
            for value in node.values():
                wrap_labels(value)
        elif isinstance(node, list):
            for value in node:
                wrap_labels(value)

    wrap_labels(spec.get("layer", []))
    return spec


def _event_text(row, state: str, as_of: date, lang: str, link: str, what: str) -> tuple[str, str]:
    """The event's title and its description: the reason, the date basis, the profile's address."""
    summary = t(f"calendar.ics_summary_{what}", lang, state=state)
    if row.basis == "expected":
        summary += f" ({t('calendar.basis_expected_short', lang)})"
    lines = [details(row, as_of, lang), t("calendar.ics_when", lang, when=when(row, lang))]
    if row.kind == "upr_window":
        lines.append(t("calendar.ics_review", lang, when=review_when(row, lang)))
    lines += [
        t("calendar.ics_basis", lang, basis=_basis(row, lang)),
        t("calendar.ics_profile", lang, url=link),
        t("calendar.ics_made", lang, date=fmt_date(as_of, lang)),
    ]
    return summary, "\n".join(lines)


def _review_days(row) -> tuple[date, date] | None:
    """The review's own day; else its session's days (known to the day), or the first day of its month or year."""
    day = _day(row.review_date)
    if day is not None:
        return day, day
    start, end = _day(row.review_start), _day(row.review_end)
    if start is None:
        return None
    if row.precision == "day" and end is not None:
        return start, end
    return start, start


def ics(
    rows: pd.DataFrame,
    status: pd.DataFrame,
    as_of: date,
    months: int,
    lang: str,
    stamp: datetime,
    windows: bool = False,
    base_url: str = "",
) -> bytes:
    """An iCalendar file: one all-day event per UPR review (on the review's day, or its session's days), per
    initial report due in the span, and per report already overdue (on the file's first day, a reminder);
    with `windows`, each UPR window as a second event. Every event links to the state's profile.

    Event UIDs come from the fact (state and cycle; state and report), not from the build, so importing a
    newer file updates the same events. `stamp` is the file's DTSTAMP (a timezone-aware datetime).
    """
    _, horizon = chart_span(as_of, months)
    names = dict(zip(status.iso3, status[name_column(lang)], strict=True))
    calendar = Calendar()
    calendar.add("prodid", "-//UNCAT Universality Dashboard//engagement calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t("calendar.ics_name", lang))
    for row in rows.itertuples(index=False):
        start, end = _day(row.start), _day(row.end)
        events = []  # (uid, first day, last day, what)
        if row.kind == "upr_window":
            review = _review_days(row)
            if review is not None:
                events.append((row.uid, review[0], review[1], "review"))
            if windows:
                events.append((f"{row.uid}-window", start, end, "window"))
        elif row.kind == "report" and as_of <= start <= horizon:
            events.append((row.uid, start, start, "report_due"))
        elif row.kind == "report":
            events.append((row.uid, as_of, as_of, "report_overdue"))
        link = base_url + profile_link(row.iso3, as_of, lang)
        for uid, first, last, what in events:
            summary, description = _event_text(row, names.get(row.iso3, row.iso3), as_of, lang, link, what)
            event = Event()
            event.add("uid", f"{uid}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))  # all-day events end the day after (RFC 5545)
            event.add("summary", summary)
            event.add("description", description)
            event.add("url", link)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()
