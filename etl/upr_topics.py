"""Which instruments UPR recommendations ask states to ratify, per cycle: the strategy's claim checked against the exports.

    python -m etl upr-topics path/to/upr_info_exports/sessions_*.csv [--apply]

The CTI strategy 2020-2022 says that in the first and second UPR cycles ratifying the Convention was among
the five key recommendations States made to their peers. This module reads the UPR Info database's full
exports (every topic) and ranks, per cycle, the *recommendation topics* defined as: the instrument a
recommendation asks the state under review to ratify or accede to. Every instrument is read by the same
rules (below), CAT as any other; a recommendation counts once for each instrument it asks to ratify,
however often it names it. Beside it, the rank of UPR Info's own issue tags ("Torture and other CID
treatment", "International instruments"), which count every recommendation on a subject, not only
ratifications.

The result is kept as a small file in data/ (`upr_topic_ranking.json`, with each export's SHA-256), so the
page needs no file outside the repository; tests/test_upr_topics.py recomputes it from the exports.

Rules, the same for every instrument:
1. Instruments are found by their names and abbreviations (INSTRUMENTS); a body named as the author of a
   request ("as recommended by CAT", "the Committee against Torture") is not an instrument.
2. An optional protocol is its own instrument: named by its subject ("aiming at the abolition of the death
   penalty": the ICCPR's second; "on the sale of children": the CRC's), by its abbreviation ("OP-CAT"), or as
   "the Optional Protocol(s) to/of X" (the protocol of X, and X itself is not asked) and "X and its Optional
   Protocol(s)" (X and its protocol). A treaty with several protocols (ICCPR, CRC) whose protocol the text
   does not identify gets the topic "an optional protocol, not specified". "The Optional Protocols to A, B
   and C" is each one's protocol.
3. The demand: the nearest verb before the instrument in its clause (clauses end at ";" and at a sentence's
   end) decides: ratify, accede, accession, adhere, become a party, join, "sign and ratify" make it a
   ratification; any other verb (implement, withdraw, accept, ensure...) does not. With no verb before it,
   the first after it ("CAT should be ratified"); "... and accelerate the procedures to ratify it" gives the
   instruments before it the ratification. A past act ("following its ratification of") is no demand.
   Signing alone is not ratifying (for no instrument).
4. Recommendations to ratify instruments without naming them ("the remaining core instruments") are counted
   apart, for no instrument.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.config import UPR_TOPIC_RANKING

_I = re.IGNORECASE
CYCLES = {1: range(1, 13), 2: range(13, 27)}
ISSUES = ("Torture and other CID treatment", "International instruments")
TOP = 10
SOURCE = (
    "UPR Info database, full exports of sessions 1-20 (every topic): upr_info_exports/sessions_*.csv, converted to UTF-8"
    " from the exports kept in github rochelleterman/uprs (upr-info/Data/CSVs)"
)

_TORTURE = r"convention\s+(?:against|on|of)\s+(?:the\s+)?torture|torture\s+convention|anti-?\s?torture\s+convention"
# (code, pattern). Case-sensitive abbreviations are written (?-i:...).
INSTRUMENTS: list[tuple[str, str]] = [
    ("CAT", rf"(?:(?:the\s+)?(?:un|united\s+nations)\s+)?(?:{_TORTURE})|(?-i:\bUN\s?CAT\b|\bCAT\b)"),
    ("ICCPR", r"(?:international\s+)?covenant\s+on\s+civil\s+and\s+political\s+rights|(?-i:\bIC?CPR\b)"),
    (
        "ICESCR",
        r"(?:international\s+)?covenant\s+on\s+economic,?\s+social,?\s+and\s+cultural\s+rights|(?-i:\bIC?ESCR\b|\bICESR\b)",
    ),
    (
        "CEDAW",
        r"(?:(?:international\s+)?convention\s+(?:on|for)\s+the\s+)?elimination\s+of\s+all\s+forms\s+of\s+discrimination\s+against\s+women|(?-i:\bCEDAW\b)",
    ),
    ("CRC", r"convention\s+on\s+the\s+rights\s+of\s+the\s+child|(?-i:\bCRC\b)"),
    (
        "ICERD",
        r"(?:international\s+)?(?:convention\s+(?:on|for)\s+the\s+)?elimination\s+of\s+all\s+forms\s+of\s+racial\s+discrimination|(?-i:\bIC?ERD\b)",
    ),
    (
        "ICRMW",
        r"(?:international\s+)?(?:convention\s+(?:on|for)\s+the\s+protection\s+of\s+the\s+)?(?:rights|protection)\s+of\s+(?:all\s+)?migrants?\s+workers|migrant\s+workers'?\s+convention|(?-i:\bICRMW\b|\bICPRMW\b|\bICMW\b|\bCMW\b|\bMWC\b)",
    ),
    (
        "CRPD",
        r"(?:(?:international\s+)?convention\s+on\s+the\s+)?(?:rights|protection)\s+of\s+(?:persons|people)\s+with\s+disabilit\w*|(?-i:\bCRPD\b|\bCPRD\b)",
    ),
    (
        "CED",
        r"(?:(?:international\s+)?convention\s+(?:for|on)\s+the\s+protection\s+of\s+all\s+persons\s+)?(?:from|against)\s+enforced\s+disappearances?|(?-i:\bI?C?P?PED\b|\bICCPED\b|\bCED\b)",
    ),
    ("ROME", r"rome\s+statu?te|international\s+criminal\s+court|(?-i:\bICC\b)"),
    ("REFUGEES", r"status\s+of\s+refugees|refugees?\s+convention|convention\s+on\s+refugees"),
    ("STATELESSNESS", r"statelessness|status\s+of\s+stateless\s+persons"),
    ("DISCRIMINATION_EDUCATION", r"discrimination\s+in\s+(?:the\s+(?:area|field)\s+of\s+)?education"),
    ("GENOCIDE", r"genocide\s+convention|(?:prevention\s+and\s+punishment\s+of\s+(?:the\s+crime\s+of\s+)?)genocide"),
    ("TRAFFICKING_PROTOCOL", r"palermo\s+protocol|protocol\s+to\s+prevent,?\s+suppress\s+and\s+punish\s+trafficking"),
    ("ILO-189", r"domestic\s+workers"),
    ("ILO-169", r"indigenous\s+and\s+tribal\s+peoples"),
    ("ILO", r"\bILO\s+(?:convention|conventions)?\s*(?:no\.?|nos?\.?|number|n°)?\s*(?P<ilo>\d{2,3})\b"),
]
# Protocols named by their subject or abbreviation.
NAMED_PROTOCOLS: list[tuple[str, str]] = [
    ("OPCAT", r"(?-i:\bOP[\s.-]*CAT\b|\bOPCAT\b|\bCAT[\s-]+OP\b)|\bop[\s.-]*cat\b"),
    (
        "ICCPR-OP2",
        r"abolition\s+of\s+the\s+death\s+penalty|(?:second|2nd)\s+optional\s+protocol|optional\s+protocol\s+(?:no\.?\s*)?(?:2|(?-i:II))\b|(?-i:\bICCPR[\s-]*OP[\s-]*2\b|\bOP[\s-]*2\b|\bICCPR[\s-]*OP[\s-]*II\b)",
    ),
    (
        "ICCPR-OP1",
        r"(?:first|1st)\s+optional\s+protocol|optional\s+protocol\s+(?:no\.?\s*)?(?:1|(?-i:I))\b|(?-i:\bICCPR[\s-]*OP[\s-]*1\b|\bOP[\s-]*1\b)",
    ),
    ("OP-ICESCR", r"(?-i:\bOP[\s-]*IC?ESCR\b|\bIC?ESCR[\s-]*OP\b)"),
    ("OP-CEDAW", r"(?-i:\bOP[\s-]*CEDAW\b|\bCEDAW[\s-]*OP\b)"),
    ("OP-CRPD", r"(?-i:\bOP[\s-]*CRPD\b|\bCRPD[\s-]*OP\b)"),
    ("CRC-OPSC", r"sale\s+of\s+children|(?-i:\bOPSC\b|\bOP[\s-]*CRC[\s-]*SC\b|\bCRC[\s-]*OP[\s-]*SC\b)"),
    ("CRC-OPAC", r"children\s+in\s+armed\s+conflicts?|(?-i:\bOPAC\b|\bOP[\s-]*CRC[\s-]*AC\b|\bCRC[\s-]*OP[\s-]*AC\b)"),
    ("CRC-OPIC", r"communications?\s+procedure|(?-i:\bOPIC\b|\bOP[\s-]*CRC[\s-]*IC\b|\bCRC[\s-]*OP[\s-]*IC\b)"),
]
# The protocol of each instrument that has one; a treaty with several has an unspecified topic.
PROTOCOL_OF = {
    "CAT": "OPCAT",
    "ICESCR": "OP-ICESCR",
    "CEDAW": "OP-CEDAW",
    "CRPD": "OP-CRPD",
    "ICCPR": "ICCPR-OP",
    "CRC": "CRC-OP",
}
# A protocol named by its subject belongs to this treaty (so "the Optional Protocol to the CRC on the sale of children" is one).
TREATY_OF = {
    "OPCAT": "CAT",
    "ICCPR-OP1": "ICCPR",
    "ICCPR-OP2": "ICCPR",
    "OP-ICESCR": "ICESCR",
    "OP-CEDAW": "CEDAW",
    "OP-CRPD": "CRPD",
    "CRC-OPSC": "CRC",
    "CRC-OPAC": "CRC",
    "CRC-OPIC": "CRC",
}
UNNAMED = re.compile(
    r"\b(?:core|main|principal|remaining|other|all|outstanding|fundamental|international|key)\s+(?:\w+\s+){0,3}"
    r"(?:instruments|treaties|conventions)\b",
    _I,
)
_BODY = re.compile(
    r"(?:recommended|requested|suggested|raised|made|expressed|adopted|issued)\s+by\s+(?:the\s+)?$|committee\s+(?:against|on)\s+$"
    r"|(?:CAT|CRC|CEDAW|CERD|CED)\s+committee\b",
    _I,
)
_OP = re.compile(
    r"(?P<det>\b(?:its|their)\s+(?:\w+\s+)?)?(?P<opt>optional\s+)?(?P<noun>protocols?)\b(?P<thereto>\s+thereto)?(?:\s+(?P<prep>to|of|on)\b)?",
    _I,
)
_GAP = re.compile(r"\s*(?:(?:the|this|that|un|united\s+nations|international|two|both)\s+)*$", _I)
_LIST_GAP = re.compile(r"[^;:.()]{0,90}?(?:,|\band\b|&|/)\s*(?:to\s+)?(?:the\s+)?$", _I)
_NO_PROTOCOL = {"ICERD", "ICRMW", "CED", "ROME", "REFUGEES", "STATELESSNESS", "DISCRIMINATION_EDUCATION", "GENOCIDE", "ILO"}
_PAST_ACT = re.compile(
    r"\b(?:having|after|since|following|as\s+a\s+result\s+of|upon)\s+(?:(?:its|the|their|a)\s+)?(?:recent\s+)?"
    r"(?:signing|ratifying|acceding|signed|ratified|acceded|ratification|accession|signature)\b"
    r"|\b(?:made|entered|formulated|lodged|deposited)\s+(?:up)?(?:on|during|at)\s+(?:the\s+|its\s+)?(?:ratification|accession|signature)\b"
    r"|\b(?:it\s+has|it\s+had|already|recently|which\s+it)\s+(?:(?:has|had)\s+)?(?:signed|ratified|acceded)\b",
    _I,
)
_RATIFY = (
    r"\bratif\w*|\bacced\w*|\baccession\b|\baccess\b|\badhe(?:re|res|ring|sion)\b|\bbecom\w*\s+(?:a\s+)?(?:state\s+)?part(?:y|ies)\b"
    r"|\bbe(?:ing)?\s+(?:a\s+)?(?:state\s+)?part(?:y|ies)\s+to\b|\bjoin(?:s|ing)?\b|\bsubscrib\w*|\binstruments?\s+of\s+ratification"
    r"|\bconsent\s+to\s+be\s+bound|\bexpress\w*\s+its\s+consent"
)
_SIGN = r"\bsign(?:s|ing|ature)?\b"
_OTHER = (
    r"\bimplement\w*|\bestablish(?:es|ed|ing)?\b|\bensur\w*|\btake\b|\btaking\b|\bsubmit\w*|\bcooperat\w*|\bcompl(?:y|ies|iance)\b|\bharmoni[sz]\w*"
    r"|\bincorporat\w*|\bstrengthen\w*|\benact\w*|\bwithdraw\w*|\blift\w*|\bremov\w*|\breview\w*|\breconsider\w*|\brespect(?:s|ed|ing)?\b"
    r"|\bfulfil\w*|\bapply\w*|\bbring\w*|\balign\w*|\breport(?:s|ing)?\s+(?:to|on|regularly)\b|\brecogni[sz]\w*|\bmake\b|\bextend\w*|\bprovide\w*"
    r"|\baccept\w*\s+(?:the\s+)?(?:competence|jurisdiction|individual|procedures?|complaints?|communications?)"
    r"|\bcriminali[sz]\w*|\bdomesticat\w*|\btranspos\w*|\bgive\s+effect|\bconform\w*|\bdesignat\w*|\bamend\w*|\bcombat\w*"
    r"|\bimprov\w*|\badopt\w*|\bintroduc\w*|\brevis\w*|\bput\b|\bend\b|\bintensif\w*|\bstep\s+up|\bset\s+up|\bintegrat\w*"
    r"|\binvestigat\w*|\bprosecut\w*|\babolish\w*|\bprohibit\w*|\bdefin\w*|\bcreat\w*"
    r"|\bin\s+(?:line|conformity|compliance|accordance)\s+with|\bobligations?\s+under|\bpursuant\s+to|\bconsistent\s+with"
)
_CUE = re.compile(rf"(?P<ratify>{_RATIFY})|(?P<sign>{_SIGN})|(?P<other>{_OTHER})", _I)
# What may join the verbs of one demand: "sign and ratify", "sign or accede to", "ratify and implement" (ratify is the strongest).
_JOIN = re.compile(
    r"[\s,/-]*(?:(?:and|or|to|its|then|also|\w+ly|effective|full|speedy|as\s+appropriate|in\s+(?:domestic|national)\s+(?:law|legislation))[\s,/-]+)*",
    _I,
)
_THOSE = re.compile(
    r"\s*(?:those|these|the|said)\s+(?:(?:respective|said|above|abovementioned|aforementioned)\s+)?(?:treaties|instruments|conventions)\b",
    _I,
)
_THIS = re.compile(
    r"\s*(?:the|this|that|said)\s+(?:above-?mentioned\s+|aforementioned\s+)?(?:convention|covenant)\b"
    r"(?!\s+(?:on|for|relating|concerning|of|to|against|governing|no\b|\d))",
    _I,
)
_DANGLING = re.compile(r"\s*(?:and\b|or\b|[,;.]|$)", _I)
_CLAUSE = re.compile(r";|\.\s+(?=[A-Z])")
_PRONOUN = re.compile(r"\s+(?:it|them)\b", _I)
# Protocols first: "CAT-OP" is the Protocol, not the Convention followed by something.
_SCAN = re.compile(
    "|".join(f"(?P<p{n}>{p})" for n, (_, p) in enumerate(NAMED_PROTOCOLS))
    + "|"
    + "|".join(f"(?P<i{n}>{p})" for n, (_, p) in enumerate(INSTRUMENTS)),
    _I,
)
# "as requested by CRC, ICRMW and CAT": what follows names bodies, up to the clause's end or the next verb.
_BY_BODIES = re.compile(r"\b(?:recommended|requested|suggested|raised|urged|expressed|made)\s+by\b", _I)


@dataclass
class Found:
    code: str
    start: int
    end: int
    consumed: bool = False  # the object of "the Optional Protocol to": not itself asked


def _body_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _BY_BODIES.finditer(text):
        end = next((m.start() for m in _CLAUSE.finditer(text, match.end())), len(text))
        verb = re.search(_RATIFY + "|" + _SIGN + "|" + _OTHER, text[match.end() : end], _I)
        spans.append((match.end(), match.end() + verb.start() if verb else end))
    return spans


def _instruments(text: str) -> list[Found]:
    found = []
    bodies = _body_spans(text)
    for match in _SCAN.finditer(text):
        if any(start <= match.start() < end for start, end in bodies):
            continue
        name = match.lastgroup or ""
        kind, number = name[0], int(name[1:])
        if kind == "i":
            code = INSTRUMENTS[number][0]
            if code == "ILO":
                code = f"ILO-{match.group('ilo')}" if match.group("ilo") else "ILO"
        else:
            code = NAMED_PROTOCOLS[number][0]
        if _BODY.search(text[max(0, match.start() - 40) : match.start()]) or _BODY.match(text, match.start()):
            continue  # a body's request, not an instrument
        found.append(Found(code, match.start(), match.end()))
    return found


def _clause_start(text: str, at: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    return starts[-1] if starts else 0


def _protocols(text: str, found: list[Found]) -> list[Found]:
    """Optional protocols named by a phrase ("the Optional Protocol to X", "X and its Optional Protocol")."""
    added = []
    for match in _OP.finditer(text):
        if not (match.group("opt") or match.group("det") or match.group("thereto") or match.group("prep")):
            continue
        plural = match.group("noun").lower().endswith("s")
        before = [f for f in found if f.end <= match.start()]
        after = [f for f in found if f.start >= match.end()]
        named = next((f for f in found if f.start <= match.start() < f.end), None)
        if named is not None:
            # Part of a protocol's own name ("the Second Optional Protocol to the ICCPR"): its treaty is not asked.
            if match.group("prep") and after and _GAP.fullmatch(text[match.end() : after[0].start]):
                if TREATY_OF.get(named.code) != after[0].code and after[0].code in PROTOCOL_OF:
                    named.code = PROTOCOL_OF[after[0].code]  # "the Second Optional Protocol to CAT": the instrument named decides
                after[0].consumed = after[0].code in PROTOCOL_OF or TREATY_OF.get(named.code) == after[0].code
            continue
        if match.group("prep") and before and _THIS.match(text, match.end()):
            # "the Optional Protocol to this Convention": the instrument named just before.
            treaty = TREATY_OF.get(before[-1].code, before[-1].code)
            if treaty in PROTOCOL_OF:
                added.append(Found(PROTOCOL_OF[treaty], match.start(), match.end()))
            continue
        resolved = bool(after) and bool(_GAP.fullmatch(text[match.end() : after[0].start]))
        if match.group("prep") and _THOSE.match(text, match.end()):
            # "... and the Optional Protocols to those treaties": each instrument of the clause before.
            clause = _clause_start(text, match.start())
            for owner in [f for f in before if f.start >= clause]:
                treaty = TREATY_OF.get(owner.code, owner.code)
                if treaty in PROTOCOL_OF:
                    added.append(Found(PROTOCOL_OF[treaty], match.start(), match.end()))
            continue
        if match.group("prep") and not resolved and not _DANGLING.match(text, match.end()):
            continue  # "the Optional Protocol to" an instrument outside the list: not one of these
        if match.group("prep") and resolved:
            targets = [after[0]]
            if plural:
                for nxt in after[1:]:
                    gap = text[targets[-1].end : nxt.start]
                    if not _LIST_GAP.fullmatch(gap) or re.search(r"as\s+well\s+as|\bratif|\bsign|\bacced", gap, _I):
                        break
                    if re.search(r",\s*and\s", gap) and re.search(r",\s*(?:the\s+)?$", text[: match.start()]):
                        break  # "the protocol to CEDAW, the optional protocols to the CRC, and CAT": CAT closes the outer list
                    targets.append(nxt)
                first = next((i for i, t in enumerate(targets) if t.code in _NO_PROTOCOL), None)
                if first is not None and first > 0:
                    closed = first > 1 and re.search(r"\band\b", text[targets[first - 2].end : targets[first - 1].start], _I)
                    # "the Optional Protocols to ICCPR, ICESCR and CAT and the CED": the list closed before CED;
                    # "the Optional Protocols to ICCPR and ICESCR, CAT and the Rome Statute": a list of instruments.
                    targets = targets[:first] if closed else targets[:1]
            for target in targets:
                if _named_after(text, found, target):
                    target.consumed = True  # "the Optional Protocol to the CRC on the sale of children": that one
                elif target.code in PROTOCOL_OF:
                    target.consumed = True
                    added.append(Found(PROTOCOL_OF[target.code], match.start(), match.end()))
                elif target.code in TREATY_OF:
                    target.consumed = True  # "Optional Protocol to the CRC on the sale of children": the named one
            continue
        det = (match.group("det") or "").lower()
        if det.startswith("their") or (plural and match.group("thereto")):
            clause = _clause_start(text, match.start())
            owners = [f for f in before if f.start >= clause] or before[-1:]
        else:
            owners = before[-1:]
        for owner in owners:
            treaty = TREATY_OF.get(owner.code, owner.code)
            if treaty in PROTOCOL_OF:
                added.append(Found(PROTOCOL_OF[treaty], match.start(), match.end()))
    return added


def _named_after(text: str, found: list[Found], target: Found) -> bool:
    """A protocol of the target's treaty named by its subject just after it, before any other instrument."""
    later = [f for f in found if f.start >= target.end]
    if not later or TREATY_OF.get(later[0].code) != target.code:
        return False
    return later[0].start - target.end <= 100 and not _CLAUSE.search(text, target.end, later[0].start)


def _demand(text: str, mention: Found, cues: list[tuple[int, int, str]]) -> str | None:
    """ratify, sign, other, or None (no verb in the clause) for one instrument named."""
    start = _clause_start(text, mention.start)
    end = next((m.start() for m in _CLAUSE.finditer(text, mention.end)), len(text))
    before = [c for c in cues if start <= c[0] < mention.start]
    if before:
        group = [before[-1]]
        for cue in reversed(before[:-1]):
            if not _JOIN.fullmatch(text[cue[1] : group[-1][0]]):
                break
            group.append(cue)
        kinds = {c[2] for c in group}
        if "ratify" in kinds:
            return "ratify"
        later = [c for c in cues if mention.end <= c[0] < end and c[2] == "ratify" and _PRONOUN.match(text, c[1])]
        if later:
            return "ratify"  # "implement the principles of CAT ... and accelerate the procedures to ratify it"
        return "sign" if "sign" in kinds else "other"
    after = [c for c in cues if mention.end <= c[0] < end]
    if after:
        return after[0][2]
    earlier = [c for c in cues if c[0] < mention.start]
    # "Consider ratifying the core treaties it has signed. This includes ... CAT": the verb of the clause before.
    return earlier[-1][2] if earlier else None


def topics_of(text: str) -> set[str]:
    """The instruments a recommendation asks the state to ratify or accede to (codes); empty: none."""
    if not re.search(r"ratif|acced|accession|adhe|part(?:y|ies)|join|subscrib|\baccess\b|consent", text, _I):
        return set()
    blanked = _PAST_ACT.sub(lambda m: " " * len(m.group()), text)
    found = _instruments(text)
    for f in found:  # a verb inside an instrument's name ("for the Protection of") is no demand
        blanked = blanked[: f.start] + " " * (f.end - f.start) + blanked[f.end :]
    cues = [(m.start(), m.end(), m.lastgroup or "other") for m in _CUE.finditer(blanked)]
    found += _protocols(text, found)
    return {f.code for f in found if not f.consumed and _demand(blanked, f, cues) == "ratify"}


def asks_unnamed(text: str) -> bool:
    """A recommendation to ratify instruments it does not name ("the remaining core instruments")."""
    if not re.search(r"ratif|acced|accession|adhe|part(?:y|ies)|join|subscrib|consent", text, _I):
        return False
    blanked = _PAST_ACT.sub(lambda m: " " * len(m.group()), text)
    return bool(UNNAMED.search(text)) and bool(re.search(_RATIFY, blanked, _I))


def read_exports(paths: list[Path]) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False).assign(file=p.name) for p in paths]
    frame = pd.concat(frames, ignore_index=True)
    frame["session"] = pd.to_numeric(frame.Session).astype(int)
    frame["cycle"] = frame.session.map(lambda s: next((c for c, r in CYCLES.items() if s in r), None))
    return frame


def _ranked(counts: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rank by count, highest first; equal counts share the better rank."""
    counts = counts.sort_values([column, "topic"], ascending=[False, True]).reset_index(drop=True)
    counts["rank"] = counts[column].rank(method="min", ascending=False).astype(int)
    return counts


def ranking(frame: pd.DataFrame) -> dict:
    """Per cycle: the ratification topics ranked (every instrument), unnamed ones, and UPR Info's issue ranks."""
    topics = [topics_of(text) for text in frame.Text]
    # Only a recommendation that names no instrument is read for unnamed ones (the count is of those alone).
    frame = frame.assign(
        topics=topics, unnamed=[not found and asks_unnamed(text) for found, text in zip(topics, frame.Text, strict=True)]
    )
    cycles = {}
    for cycle, rows in frame.groupby("cycle"):
        exploded = rows[["topics", "Response", "To"]].explode("topics").dropna(subset=["topics"])
        counts = (
            exploded.groupby("topics")
            .agg(
                recommendations=("Response", "size"),
                supported=("Response", lambda r: int((r == "Accepted").sum())),
                states=("To", "nunique"),
            )
            .reset_index()
            .rename(columns={"topics": "topic"})
        )
        counts = _ranked(counts, "recommendations")
        issues = rows.Issue.str.split(",").explode().str.strip()
        issue_counts = _ranked(
            issues[issues != ""].value_counts().rename_axis("topic").reset_index(name="recommendations"), "recommendations"
        )
        asked = rows.topics.map(bool)
        sessions = sorted(rows.session.unique())
        cycles[str(int(cycle))] = {
            "sessions": [int(sessions[0]), int(sessions[-1])],
            "recommendations": len(rows),
            "ratify_recommendations": int(asked.sum()),
            "unnamed_only": int(rows.unnamed.sum()),
            "instruments": len(counts),
            "topics": [{k: (int(v) if k != "topic" else v) for k, v in row.items()} for row in counts.to_dict("records")],
            "issues": len(issue_counts),
            "issue_ranks": [
                {"topic": r["topic"], "recommendations": int(r["recommendations"]), "rank": int(r["rank"])}
                for r in issue_counts.to_dict("records")
                if r["rank"] <= TOP or r["topic"] in ISSUES
            ],
        }
    return cycles


def build(paths: list[Path]) -> dict:
    """The ranking with its provenance: the files read (name, SHA-256, rows), the method, the result per cycle."""
    frame = read_exports(paths)
    files = [
        {"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "rows": int((frame.file == p.name).sum())}
        for p in paths
    ]
    return {
        "source": SOURCE,
        "files": files,
        "computed_by": "python -m etl upr-topics (etl/upr_topics.py)",
        "method": (
            "A topic is the instrument a recommendation asks the state under review to ratify or accede to, each "
            "optional protocol its own; every instrument read by the same rules (etl/upr_topics.py); a recommendation "
            "counts once for each instrument it asks. Cycle 1: sessions 1-12; cycle 2: the sessions of the exports "
            "(13-20 of 26). Issues: UPR Info's own tags, a recommendation counting for each of its tags."
        ),
        "cycles": ranking(frame),
    }


def _first_session(path: Path) -> int:
    found = re.search(r"\d+", path.name)
    return int(found.group()) if found else 0


def main(paths: list[Path], folder: Path, apply: bool) -> int:
    """Print the ranking; with `apply`, write it to data/ (otherwise say whether the stored file would change)."""
    result = build(sorted(paths, key=_first_session))
    for cycle, found in result["cycles"].items():
        cat = next((t for t in found["topics"] if t["topic"] == "CAT"), None)
        top = ", ".join(f"{t['rank']}. {t['topic']} ({t['recommendations']})" for t in found["topics"][:8])
        print(
            f"cycle {cycle} (sessions {found['sessions'][0]}-{found['sessions'][1]}): "
            f"{found['recommendations']} recommendations, "
            f"{found['ratify_recommendations']} ask to ratify a named instrument; CAT rank {cat and cat['rank']} "
            f"({cat and cat['recommendations']}); {top}"
        )
    path = folder / UPR_TOPIC_RANKING
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    if not apply:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'unchanged' if same else 'would change (run with --apply to write it)'}")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0
