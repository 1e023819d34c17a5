"""Small status pages written for the tests, following the structure of the UNTC pages."""

from __future__ import annotations

from dataclasses import dataclass, field

TITLES = {
    "CAT": ("9.", "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"),
    "OPCAT": (
        "9. b",
        "Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
    ),
}
PREFIX = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"


@dataclass
class Row:
    name: str
    signature: str = ""  # as the page prints it: " &nbsp;4 Feb\t 1985 "
    consent: str = ""  # "11 May\t 1994 a"
    notes: list[str] = field(default_factory=list)


@dataclass
class Block:
    name: str
    body: str  # HTML of the divText content
    notes: list[str] = field(default_factory=list)


def _sup(notes: list[str]) -> str:
    return "".join(f" <SUP><A onclick='ShowNoteAll()' href='#{n}' class='noteIndex'>{n}</A> </SUP>" for n in notes)


def _blocks(table_id: str, blocks: list[Block]) -> str:
    rows = []
    for i, block in enumerate(blocks, start=2):
        rows.append(
            f"""<tr align="left" valign="top"><td>
            <div id="{PREFIX}{table_id}_ctl{i:02d}_divMainText"></div>
            <div id="{PREFIX}{table_id}_ctl{i:02d}_divParticipant" class="heading-two">{block.name}{_sup(block.notes)}</div>
            <div id="{PREFIX}{table_id}_ctl{i:02d}_divText" class="content-two">
            <p class='invisible'>{block.name}</p>{block.body}</div>
            </td></tr>"""
        )
    return f'<table id="{PREFIX}{table_id}">{"".join(rows)}</table>'


def page(
    treaty: str = "CAT",
    rows: list[Row] | None = None,
    reservations: list[Block] | None = None,
    declarations: list[Block] | None = None,
    notes: dict[str, str] | None = None,
    status: str = "03-02-2026",
    header: tuple[str, str, str] = ("Participant", "Signature", "Accession(a), Succession(d), Ratification"),
    stated_counts: tuple[int, int] | None = None,
) -> str:
    rows = rows if rows is not None else default_rows()
    reservations = reservations if reservations is not None else default_reservations()
    declarations = declarations if declarations is not None else default_declarations()
    notes = notes if notes is not None else default_notes()
    number, title = TITLES[treaty]
    signatories = sum(bool(r.signature) for r in rows)
    parties = sum(bool(r.consent) for r in rows)
    if stated_counts:
        signatories, parties = stated_counts
    body_rows = "".join(
        f"""<tr class="trBWhite"><td>{r.name}{_sup(r.notes)}<br></td>
        <td>{r.signature or "&nbsp;"}<br></td><td>{r.consent or "&nbsp;"}<br></td></tr>"""
        for r in rows
    )
    notes_html = "".join(
        f"""<tr><td><div id="{PREFIX}dgNotesAll_ctl{i:02d}_divNotesAll" class="divNotesAll">
        <a name='{key}'>{key}</a><index></index>{text}<br><br></div></td></tr>"""
        for i, (key, text) in enumerate(notes.items(), start=2)
    )
    return f"""<html><head><meta charset="utf-8"><title>UNTC</title></head><body>
<div id="{PREFIX}div3" class="rows top-10 padd-5 heading-three">STATUS AS AT : {status} 10:16:18 EDT</div>
<div>CHAPTER IV</div><div>HUMAN RIGHTS</div><div>{number}</div><div>{title}</div>
<div>Status : Signatories : {signatories}. Parties : {parties}</div>
<table id="{PREFIX}tblgrid" class="table">
<tr class="thead-one"><td>{header[0]} <SUP>3</SUP><br></td><td>{header[1]}<br></td><td>{header[2]}<br></td></tr>
{body_rows}
</table>
<div>Declarations and Reservations</div>
{_blocks("dgDec", reservations)}
<div>Declarations made under articles 21 and 22</div>
{_blocks("dgDecUnderArticle", declarations) if treaty == "CAT" else ""}
<div>End Note</div>
<table id="{PREFIX}dgNotesAll">{notes_html}</table>
</body></html>"""


def default_rows() -> list[Row]:
    return [
        Row("Afghanistan", " &nbsp;4 Feb\t 1985 ", " &nbsp;1 Apr\t 1987 ", notes=["14"]),
        Row("Albania", "", "11 May\t 1994 a"),
        Row("Bahamas (The)", "16 Dec\t 2008 ", "31 May\t 2018 "),
        Row("Côte d'Ivoire", "", "18 Dec\t 1995 a"),
        Row("Croatia", "", "12 Oct\t 1992 d", notes=["4"]),
        Row("Palau", "20 Sep\t 2011 ", ""),
        Row("Türkiye", "25 Jan\t 1988 ", " &nbsp;2 Aug\t 1988 "),
    ]


def default_reservations() -> list[Block]:
    return [
        Block("Afghanistan", "", notes=["14"]),
        Block(
            "Bahamas (The)",
            "<p><i>Reservations:<br></i></p>&nbsp;&nbsp;“The Government of the Commonwealth of The Bahamas does not "
            "recognize the competence of the Committee against Torture as provided for in Article 20 of the UNCAT.<br>",
        ),
    ]


def default_declarations() -> list[Block]:
    return [
        Block(
            "Türkiye",
            '&nbsp;&nbsp;"The Government of Turkey declares, pursuant to article 21, paragraph 1, of the Convention '
            "that it recognizes the competence of the Committee Against Torture to receive and consider communications "
            "to the effect that a State Party is not fulfilling its obligations under this Convention.<br>"
            '&nbsp;&nbsp;"The Government of Turkey declares, pursuant to article 22, paragraph 1, of the Convention '
            "that it recognizes the competence of the Committee Against Torture to receive and consider communications "
            "from or on behalf of individuals.<br>",
        ),
    ]


def default_notes() -> dict[str, str]:
    return {
        "4": "The former Yugoslavia had signed and ratified the Convention on 18 April 1989 and 10 September 1991.",
        "14": "On 17 April 2018, the Government of Afghanistan notified the Secretary-General of its decision to "
        "withdraw the following reservations made upon ratification: While ratifying the above-mentioned Convention, "
        "the Democratic Republic of Afghanistan, invoking paragraph 1 of the article 28, of the Convention, does not "
        "recognize the authority of the committee as foreseen in the article 20 of the Convention.",
    }


def expected_events() -> list[tuple[str, str, str]]:
    """(iso3, event, date) that the default CAT page holds."""
    return [
        ("AFG", "signature", "1985-02-04"),
        ("AFG", "ratification", "1987-04-01"),
        ("AFG", "reservation_art20", "1987-04-01"),
        ("AFG", "withdrawal_art20", "2018-04-17"),
        ("ALB", "accession", "1994-05-11"),
        ("BHS", "signature", "2008-12-16"),
        ("BHS", "ratification", "2018-05-31"),
        ("BHS", "reservation_art20", "2018-05-31"),
        ("CIV", "accession", "1995-12-18"),
        ("HRV", "succession", "1992-10-12"),
        ("PLW", "signature", "2011-09-20"),
        ("TUR", "signature", "1988-01-25"),
        ("TUR", "ratification", "1988-08-02"),
        ("TUR", "declaration_art21", "1988-08-02"),
        ("TUR", "declaration_art22", "1988-08-02"),
    ]
