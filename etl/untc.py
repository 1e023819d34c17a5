"""Parser for the UN Treaty Collection status pages of CAT (IV-9) and OPCAT (IV-9-b)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup, Tag

TREATY_TITLES = {
    "CAT": "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
    "OPCAT": "Optional Protocol to the Convention against Torture",
}
EXPECTED_HEADER = ("participant", "signature", "ratification")
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# "19 and 20 April 1989": two dates sharing month and year
DOUBLE_DAY_RE = re.compile(rf"\b(\d{{1,2}})\s+and\s+(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)
ART20_RE = re.compile(
    r"article\s*(?:\(s\)\s*)?\(?\s*20\s*\)?(?![\d(])"  # article 20, article (20), article(s) 20
    r"|articles?\s+[\d\s(),]*\band\s+20\b"  # article 30 (1) and 20
    r"|articles?\s+20\s+and\b"  # articles 20 and 30 (1)
    r"|article\s*28\s*\(1\)|articles?\s+28",  # the art. 28(1) opt-out is the art. 20 reservation
    re.I,
)
ART20_OPT_OUT_RE = re.compile(
    r"(not\s+recogni[sz]e|not\s+consider\s+itself\s+bound|reservations?\s+(?:as\s+to|on|to)\s+article)",
    re.I,
)
WITHDRAW_RE = re.compile(r"withdr[ae]w", re.I)
STATEMENT_START_RE = re.compile(
    r"(?=\b(?:On|Subsequently,\s+on|In\s+a\s+(?:communication|notification)s?\s+received\s+on|"
    r"In\s+communications\s+received\s+on)\s+\d)",
)


class UntcError(ValueError):
    """A status page that cannot be read as the expected UNTC page."""


@dataclass
class Participant:
    name: str
    notes: list[str]
    signature_date: date | None
    signature_note: str | None
    consent_date: date | None
    consent_type: str | None


@dataclass
class PageEvent:
    participant: str
    event: str
    event_date: date
    note: str


@dataclass
class UntcPage:
    treaty: str
    status_as_at: date
    participants: list[Participant]
    events: list[PageEvent] = field(default_factory=list)
    stated_parties: int | None = None
    stated_signatories: int | None = None


def clean(text: str) -> str:
    """Collapse the page's non-breaking spaces, tabs and runs of blanks."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def parse_date(text: str) -> date | None:
    match = DATE_RE.search(clean(text))
    if not match:
        return None
    day, month, year = match.groups()
    return date(int(year), MONTHS[month.lower()], int(day))


def all_dates(text: str) -> list[date]:
    """Every date in reading order, expanding '19 and 20 April 1989' into two."""
    text = clean(text)
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for m in DOUBLE_DAY_RE.finditer(text):
        d1, d2, month, year = m.groups()
        found.append((m.start(), date(int(year), MONTHS[month.lower()], int(d1))))
        found.append((m.start() + 1, date(int(year), MONTHS[month.lower()], int(d2))))
        taken.append(m.span())
    for m in DATE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        day, month, year = m.groups()
        found.append((m.start(), date(int(year), MONTHS[month.lower()], int(day))))
    return [d for _, d in sorted(found)]


def _name_and_notes(cell: Tag) -> tuple[str, list[str]]:
    notes = [clean(s.get_text()) for s in cell.find_all("sup")]
    for sup in cell.find_all("sup"):
        sup.extract()
    name = clean(cell.get_text(" "))
    return name, [n for note in notes for n in re.findall(r"\d+", note)]


def _soup(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _by_id_suffix(soup: BeautifulSoup, suffix: str) -> Tag | None:
    return soup.find(id=re.compile(rf"_{suffix}$"))


def parse_page(html: str | bytes, treaty: str, source_name: str = "page") -> UntcPage:
    """Parse a saved UNTC status page; raise UntcError naming what was expected."""
    if treaty not in TREATY_TITLES:
        raise UntcError(f"{source_name}: unknown treaty {treaty!r}; expected CAT or OPCAT")
    soup = _soup(html)
    text = clean(soup.get_text(" "))
    status = re.search(r"STATUS AS AT\s*:\s*(\d{2})-(\d{2})-(\d{4})", text)
    grid = _by_id_suffix(soup, "tblgrid")
    if not status or grid is None:
        raise UntcError(
            f"{source_name}: not a UN Treaty Collection status page "
            "(expected a 'STATUS AS AT : DD-MM-YYYY' line and the participants table)"
        )
    found = [t for t, title in TREATY_TITLES.items() if title.lower() in text.lower()]
    # The OPCAT title contains the CAT title, so the more specific one wins.
    page_treaty = "OPCAT" if "OPCAT" in found else ("CAT" if found else None)
    if page_treaty != treaty:
        raise UntcError(
            f"{source_name}: this page is the status of {page_treaty or 'an unknown treaty'}, "
            f"not {treaty} (expected the title '{TREATY_TITLES[treaty]}')"
        )
    day, month, year = status.groups()
    as_at = date(int(year), int(month), int(day))

    rows = grid.find_all("tr")
    header = [clean(td.get_text(" ")).lower() for td in rows[0].find_all("td")] if rows else []
    if len(header) != 3 or not all(h.startswith(e) or e in h for h, e in zip(header, EXPECTED_HEADER, strict=True)):
        raise UntcError(
            f"{source_name}: the participants table has columns {header}; expected three columns "
            "'Participant', 'Signature', 'Accession(a), Succession(d), Ratification'"
        )
    participants = []
    for line, row in enumerate(rows[1:], start=2):
        cells = row.find_all("td")
        if len(cells) != 3:
            raise UntcError(f"{source_name}: participants table row {line} has {len(cells)} cells, expected 3")
        name, notes = _name_and_notes(cells[0])
        sig_text, consent_text = clean(cells[1].get_text(" ")), clean(cells[2].get_text(" "))
        signature = parse_date(sig_text)
        consent = parse_date(consent_text)
        if (sig_text and signature is None) or (consent_text and consent is None):
            raise UntcError(f"{source_name}: participants table row {line} ({name}): unreadable date")
        suffix = re.search(r"\d{4}\s*([ad])?\s*$", consent_text)
        consent_type = None
        if consent:
            consent_type = {"a": "accession", "d": "succession"}.get(suffix.group(1) if suffix else None, "ratification")
        sig_suffix = re.search(r"\d{4}\s*d\s*$", sig_text)
        participants.append(
            Participant(
                name=name,
                notes=notes,
                signature_date=signature,
                signature_note="succession to signature" if sig_suffix else None,
                consent_date=consent,
                consent_type=consent_type,
            )
        )
    if not participants:
        raise UntcError(f"{source_name}: the participants table is empty")

    page = UntcPage(treaty=treaty, status_as_at=as_at, participants=participants)
    counts = re.search(r"Signatories\s*:\s*(\d+)\.?\s*Parties\s*:\s*(\d+)", text)
    if counts:
        page.stated_signatories, page.stated_parties = int(counts.group(1)), int(counts.group(2))
    parties = sum(p.consent_date is not None for p in participants)
    signatories = sum(p.signature_date is not None for p in participants)
    if page.stated_parties is not None and (parties, signatories) != (page.stated_parties, page.stated_signatories):
        raise UntcError(
            f"{source_name}: the page states {page.stated_parties} parties and "
            f"{page.stated_signatories} signatories but its table lists {parties} and {signatories}: "
            "the file looks truncated or altered"
        )
    if _by_id_suffix(soup, "dgNotesAll") is None:
        raise UntcError(f"{source_name}: the end notes are missing: the file looks truncated")
    if treaty == "CAT":
        page.events = _cat_declarations(soup, participants, source_name)
    return page


def _notes(soup: BeautifulSoup) -> dict[str, str]:
    table = _by_id_suffix(soup, "dgNotesAll")
    notes = {}
    for div in table.find_all("div", class_="divNotesAll"):
        anchor = div.find("a", attrs={"name": True})
        if anchor is not None:
            notes[anchor["name"]] = clean(div.get_text(" ")).removeprefix(anchor["name"]).strip()
    return notes


def _blocks(table: Tag | None) -> list[tuple[str, list[str], Tag]]:
    if table is None:
        return []
    blocks = []
    for head in table.find_all("div", id=re.compile("divParticipant$")):
        name, notes = _name_and_notes(head)
        body = head.find_next_sibling("div", id=re.compile("divText$"))
        blocks.append((name, notes, body))
    return blocks


def _body_lines(body: Tag, name: str) -> list[str]:
    for hidden in body.find_all(class_="invisible"):
        hidden.extract()
    lines = [clean(x) for x in body.get_text("\n").split("\n")]
    return [x for x in lines if x and x != name]


def _cat_declarations(soup: BeautifulSoup, participants: list[Participant], source_name: str) -> list[PageEvent]:
    by_name = {p.name: p for p in participants}
    notes = _notes(soup)
    events: list[PageEvent] = []

    def consent_of(name: str) -> Participant | None:
        return by_name.get(name)

    # Articles 21 and 22: the dedicated section.
    for name, marks, body in _blocks(_by_id_suffix(soup, "dgDecUnderArticle")):
        party = consent_of(name)
        if party is None or party.consent_date is None:
            continue
        lines = _body_lines(body, name)
        text = " ".join(lines)
        when = None
        how = "made upon ratification, accession or succession (undated on the page)"
        if lines and DATE_RE.fullmatch(lines[0]):
            when, how = parse_date(lines[0]), "date given on the page"
        elif not text.strip() and marks:
            # Only an end note: take the note's statement that names this state and the articles.
            for mark in marks:
                for statement in _statements(notes.get(mark, "")):
                    if name in statement and re.search(r"articles\s+21\s+and\s+22", statement):
                        dates = all_dates(statement)
                        if dates:
                            text, when, how = statement, dates[0], f"end note {mark}"
        if when is None:
            when = party.consent_date
        for article in _articles_21_22(text):
            events.append(PageEvent(name, f"declaration_art{article}", when, how))

    # Article 20: opt-outs in the reservations, withdrawals in the end notes.
    withdrawals: dict[str, tuple[date, str]] = {}
    reserved: dict[str, str] = {}
    for name, marks, body in _blocks(_by_id_suffix(soup, "dgDec")):
        text = " ".join(_body_lines(body, name))
        if _is_art20_opt_out(text):
            reserved[name] = "reservation on the page"
        for mark in marks:
            for who, when in _art20_withdrawals(notes.get(mark, ""), name, by_name):
                withdrawals.setdefault(who, (when, f"end note {mark}"))
    for participant in participants:
        for mark in participant.notes:
            for who, when in _art20_withdrawals(notes.get(mark, ""), participant.name, by_name):
                withdrawals.setdefault(who, (when, f"end note {mark}"))
    for name in sorted(set(reserved) | set(withdrawals)):
        party = consent_of(name)
        if party is None or party.consent_date is None:
            continue
        if name in withdrawals:
            when, where = withdrawals[name]
            events.append(PageEvent(name, "reservation_art20", party.consent_date, f"in force from consent; withdrawn ({where})"))
            events.append(PageEvent(name, "withdrawal_art20", when, where))
        else:
            events.append(PageEvent(name, "reservation_art20", party.consent_date, "in force from consent"))
    return events


def _articles_21_22(text: str) -> list[int]:
    low = text.lower()
    arts = []
    if re.search(r"article\s*21|articles\s+21|\[21 and 22\]", low) or re.search(
        r"(another|a)\s+(state\s+)?party\s+(claim|is not)|from a state party claiming|in respect of another state party", low
    ):
        arts.append(21)
    if re.search(r"article\s*22|articles\s+21\s+and\s+22|\[21 and 22\]|article\s+22", low) or re.search(
        r"individual|competence of the committee against torture\.?”?$", low
    ):
        arts.append(22)
    return arts


def _is_art20_opt_out(text: str) -> bool:
    for sentence in re.split(r"(?<=[.;])\s+|\s(?=\d\.\s)|\s(?=\(\d\))", text):
        if ART20_RE.search(sentence) and ART20_OPT_OUT_RE.search(sentence) and not WITHDRAW_RE.search(sentence):
            return True
    return False


def _statements(note: str) -> list[str]:
    parts = [p.strip() for p in STATEMENT_START_RE.split(note) if p.strip()]
    return parts


def _art20_withdrawals(note: str, owner: str, by_name: dict[str, Participant]) -> list[tuple[str, date]]:
    """(participant, date) for each withdrawal of an art. 20 reservation stated in an end note."""
    found = []
    for statement in _statements(note):
        if not (WITHDRAW_RE.search(statement) and ART20_RE.search(statement)):
            continue
        head = re.split(r"notified|informed|withdr", statement, maxsplit=1)[0]
        dates = all_dates(head)
        if not dates:
            continue
        names = _names_in(head, by_name)
        if not names:
            names = [owner]
        if len(names) == len(dates):
            found.extend(zip(names, dates, strict=True))
        elif len(names) == 1 and "respectively" in statement:
            # "On D1 and D2, respectively, ... withdraw the reservations to article 30 (1) and 20"
            listed = re.search(r"articles?\s+([\d\s(),and]+)", statement[len(head) :])
            items = re.findall(r"\d+(?:\s*\(\d+\))?", listed.group(1)) if listed else []
            items = [re.sub(r"\s+", " ", i) for i in items]
            if "20" in items and len(items) == len(dates):
                found.append((names[0], dates[items.index("20")]))
        elif len(names) == 1 and len(dates) == 1:
            found.append((names[0], dates[0]))
    return found


# Names that end notes use for a participant's predecessor.
PREDECESSOR_NAMES = {"Union of Soviet Socialist Republics": "Russian Federation"}


def _names_in(text: str, by_name: dict[str, Participant]) -> list[str]:
    hits = []
    candidates = {**{n: n for n in by_name}, **PREDECESSOR_NAMES}
    for alias in sorted(candidates, key=len, reverse=True):
        for m in re.finditer(re.escape(alias), text):
            if any(a <= m.start() < b for a, b, _ in hits):
                continue
            hits.append((m.start(), m.end(), candidates[alias]))
    ordered = [name for _, _, name in sorted(hits)]
    return [n for i, n in enumerate(ordered) if n not in ordered[:i] and n in by_name]


def parse_file(path, treaty: str) -> UntcPage:
    """Read a saved page; a file that is not UTF-8 HTML gets a clear error."""
    raw = Path(path).read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UntcError(f"{path}: not UTF-8 text (byte {exc.start}); save the page as HTML (UTF-8)") from exc
    return parse_page(raw, treaty, source_name=str(path))


@dataclass(frozen=True)
class TerritoryMention:
    """A territory named in what the page records for a participant: one of its end notes, or a row of the
    "Territorial Application" table."""

    participant: str
    territory: str  # the caller's key for the territory (its M49 code)
    where: str  # "note 12", or "territorial application, 24 Feb 2014"


def territory_mentions(html: str | bytes, names: dict[str, list[str]]) -> list[TerritoryMention]:
    """Every territory the page names for a participant, in its end notes or its territorial-application table.

    `names` maps a territory's key to the names the depositary may use for it ("Hong Kong", "Netherlands
    Antilles"). Whether the note extends the treaty to it or excludes it is for the reader of the note:
    data/territorial_application.csv records that, and tests/test_untc.py checks it names the same pairs.
    """
    soup = _soup(html)
    notes = _notes(soup)
    grid = _by_id_suffix(soup, "tblgrid")
    found: list[TerritoryMention] = []

    def mentions(participant: str, text: str, where: str) -> None:
        for key, aliases in names.items():
            if any(alias and alias.casefold() in text.casefold() for alias in aliases):
                found.append(TerritoryMention(participant, key, where))

    for row in grid.find_all("tr")[1:] if grid is not None else []:
        cells = row.find_all("td")
        if len(cells) != 3:
            continue
        participant, numbers = _name_and_notes(cells[0])
        for number in numbers:
            mentions(participant, notes.get(number, ""), f"note {number}")
    table = _by_id_suffix(soup, "tblDec")
    for row in table.find_all("tr")[1:] if table is not None else []:
        cells = [clean(td.get_text(" ")) for td in row.find_all("td")]
        if len(cells) == 3:
            mentions(cells[0], cells[2], f"territorial application, {cells[1]}")
    return found


def status_as_at_text(page: UntcPage) -> str:
    return f"UN Treaty Collection, status as at {page.status_as_at.day} {page.status_as_at:%B %Y}"


__all__ = [
    "UntcError",
    "UntcPage",
    "PageEvent",
    "Participant",
    "TerritoryMention",
    "parse_page",
    "parse_file",
    "status_as_at_text",
    "territory_mentions",
]
