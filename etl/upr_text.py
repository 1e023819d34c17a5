"""Classify a UPR recommendation's text: which treaty it concerns and what it asks the state to do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# How a text is read (the rules the labelled set in tests/data/upr_labelled.csv measures):
#
# 1. Instruments are found in the order they are written: the Convention against Torture (its
#    names and abbreviations, the Committee against Torture), the Optional Protocol (its names,
#    "OP-CAT", "CAT-OP", the Subcommittee on Prevention of Torture, a national preventive
#    mechanism: the Protocol's own institutions), other instruments, "the Convention" alone, and
#    "optional protocol" phrases whose treaty is still to be found.
# 2. An optional protocol phrase belongs to the instrument it names ("to the CEDAW"), or, for
#    "its / the ... thereto / the Optional Protocol to the Convention", to the instrument just
#    before it; "their Optional Protocols", "the Optional Protocols thereto" to every instrument
#    of the list before it; "the Optional Protocols to A, B and CAT" to each of the list. "Optional
#    Protocol on the sale of children" names another treaty's protocol. A phrase whose instrument
#    is the Convention against Torture is the Optional Protocol (OPCAT); the Convention named as
#    the object of "the Optional Protocol to" is not itself recommended.
# 3. Each CAT or OPCAT mention takes the demand of the verbs that govern it: the nearest group of
#    demands before it in its clause ("sign and ratify": the strongest of the group), or the first
#    after it (passive wording). A past act the text refers to ("following the ratification of",
#    "made upon accession", "having signed") is no demand. The row's action is the strongest demand
#    made of CAT or OPCAT: ratify > sign > declare_art22 > withdraw_reservation > implement > other.

_I = re.IGNORECASE

# No \b after "torture": a text writes "the Convention against Tortureand its Optional Protocol".
_TORTURE_NAME = r"(?:convention\s+(?:against|on|of)\s+(?:the\s+)?torture|torture\s+convention|anti-?\s?torture\s+convention)"
_PATTERNS: list[tuple[str, str]] = [
    # Regional instruments and bodies whose names contain "torture": not the UN Convention.
    (
        "other",
        r"(?:european|inter-?american|council\s+of\s+europe'?s?)\s+(?:convention|committee)\s+(?:for|to|on|against)\s+"
        r"(?:the\s+)?prevent\w*\s+(?:and\s+punish\s+)?(?:of\s+)?torture|\bCPT\b",
    ),
    ("opcat", r"sub-?\s?committee\s+(?:on|for)\s+(?:the\s+)?prevention\s+of\s+torture|\bSPT\b"),
    (
        "opcat",
        r"national\s+prevent\w*\s+mechanisms?|national\s+mechanisms?\s+(?:for\s+(?:the\s+)?prevention\s+of|to\s+prevent)\s+torture"
        r"|\bNPMs?\b",
    ),
    ("opcat", r"\bop[\s.-]*cat\b|\bopact\b|\bcat[\s-]+op\b|\bo\.p\.c\.a\.t\b"),
    (
        "opcat",
        r"(?:optional\s+)?protocols?\s+(?:to|of|on|under)\s+(?:the\s+)?(?:un\s+|united\s+nations\s+|international\s+)?"
        rf"(?:{_TORTURE_NAME}|(?-i:UN\s?CAT|CAT)\b)"
        r"|optional\s+protocol\s+against\s+torture"
        r"|protocole\s+facultatif\s+(?:se\s+rapportant\s+)?à\s+la\s+convention\s+contre\s+la\s+torture"
        r"|protocolo\s+facultativo\s+de\s+la\s+convenci[oó]n\s+contra\s+la\s+tortura",
    ),
    ("opcat", rf"(?:{_TORTURE_NAME}|(?-i:\bCAT))(?:'s)?\s+optional\s+protocol"),
    ("other", r"\b(?:istanbul|minnesota|maputo|palermo|kyoto|montreal|\d{4})\s+protocols?\b"),
    # Optional protocol phrases: determiner, ordinal, "thereto", preposition (the instrument comes later).
    (
        "op",
        r"(?P<det>\b(?:its|their)\s+(?:(?:first|second|two|both|respective|relevant)\s+)*)?"
        r"(?P<ord>\b(?:first|second|two|both)\s+)?(?P<optional>optional\s+)?(?P<noun>protocols?)\b(?P<thereto>\s+thereto)?"
        r"(?:\s+(?P<prep>to|of|on|under)\b)?",
    ),
    (
        "cat",
        rf"(?:un\s+|united\s+nations\s+|international\s+)?{_TORTURE_NAME}|committee\s+against\s+torture"
        r"|(?-i:\bUN\s?CAT\b|\bCAT\b)|convention\s+contre\s+la\s+torture|convenci[oó]n\s+contra\s+la\s+tortura",
    ),
    (
        "other",
        r"\b(?-i:CEDAW|CRC|ICCPR|ICESCR|CESCR|CRPD|CPRD|CPED|CED|ICPPED|ICPED|ICCPED|ICRMW|CMW|MWC|ICERD|CERD|ICC)\b"
        r"|rome\s+statute|palermo\s+protocol"
        r"|(?:(?:international|european|african|american|inter-?american|un|united\s+nations|ilo|\d{4}|two|both)\s+)*"
        r"(?:conventions?|covenants?|charter|statute)\s+(?:on|for|relating|concerning|of|to|against\s+(?!torture)|governing"
        r"|no\b|nos\b|\d)"
        r"|(?:genocide|refugees?|ottawa|hague|geneva|lanzarote|budapest|oviedo|istanbul|kampala|ilo|unesco)\s+conventions?\b"
        r"|(?:two\s+)?(?:international\s+)?covenants\b",
    ),
    (
        "conv",
        r"\b(?:the|this|that|said)\s+(?:above-?mentioned\s+|aforementioned\s+)?(?:convention|covenant)\b"
        r"(?!\s+(?:on|for|relating|concerning|of|to|against|governing|no\b|nos\b|number|\d|contre))",
    ),
]
_SCAN = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_PATTERNS)), _I)
_KIND = {f"k{i}": kind for i, (kind, _) in enumerate(_PATTERNS)}
# What may stand between "Optional Protocol(s) to" and the instrument it names.
_TARGET_GAP = re.compile(r"\s*(?:(?:the|this|that|said|un|united\s+nations|international|two|both)\s+)*$", _I)
# Between two items of "the Optional Protocols to A, B and C": the rest of A's name and a separator.
_LIST_GAP = re.compile(r"[^;:.()]{0,90}?(?:,|\band\b|&|/)\s*(?:to\s+)?(?:the\s+)?$", _I)
_LIST_STOP = re.compile(r"as\s+well\s+as|\bas\s+(?:requested|recommended)|\bratif|\bsign|\bacced|\bwell\b", _I)
_THOSE_TREATIES = re.compile(
    r"\s*(?:those|these|the|said)\s+(?:(?:respective|said|above|abovementioned|aforementioned)\s+)?(?:treaties|instruments|conventions)\b",
    _I,
)
# Texts without any of these words concern neither treaty (most of the 41,000): skip the reading.
_ANY = re.compile(
    r"tortur|\bcat\b|op[\s.-]*cat|\bopact\b|cat[\s-]+op|prevent\w*\s+mechanism|\bnpms?\b|\bspt\b|\bo\.p\.c\.a\.t", _I
)
_NAME_PAREN = re.compile(r"[^()]{0,120}\(\s*", _I)
_INSTRUMENTS = ("cat", "other", "conv")
_IN_LIST = re.compile(r",\s*(?:the\s+)?$", _I)
_IN_TO_LIST = re.compile(r",\s*to\s+(?:the\s+)?$", _I)
_NO_PROTOCOL = re.compile(
    r"rome\s+statute|racial\s+discrimination|\b(?:IC)?CERD\b|enforced\s+disappearance|\b(?:IC)?C?PED\b|\bCED\b|migrant\s+workers"
    r"|\b(?:IC)?RMW\b|genocide|statelessness|stateless\s+persons|status\s+of\s+refugees|\bILO\b",
    _I,
)
_CLAUSE = re.compile(r";|\.\s+(?=[A-Z])")


@dataclass
class Mention:
    kind: str  # cat, opcat, other, conv (the Convention, alone), op (an optional protocol, its treaty still to find)
    start: int
    end: int
    treaty: str | None = None  # what it turns out to name: CAT, OPCAT, or None for another instrument
    consumed: bool = False  # the object of "the Optional Protocol to": not itself recommended


def _mentions(text: str) -> list[Mention]:
    found = []
    for match in _SCAN.finditer(text):
        kind = _KIND[match.lastgroup] if match.lastgroup in _KIND else _kind_of(match)
        mention = Mention(kind, match.start(), match.end())
        if kind == "op":
            mention.op = match  # type: ignore[attr-defined]
        found.append(mention)
    return found


def _kind_of(match: re.Match) -> str:
    for name, kind in _KIND.items():
        if match.group(name) is not None:
            return kind
    raise AssertionError(match)


def _clause_start(text: str, at: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    return starts[-1] if starts else 0


def _resolve(text: str) -> list[Mention]:
    """The mentions with their treaty: CAT, OPCAT, or None (another instrument)."""
    mentions = _mentions(text)
    for m in mentions:
        m.treaty = {"cat": "CAT", "opcat": "OPCAT"}.get(m.kind)
    for i, m in enumerate(mentions):
        before = [p for p in mentions[:i] if p.kind != "op"]
        if m.kind == "conv":
            m.treaty = before[-1].treaty if before else None
            continue
        if m.kind != "op":
            continue
        match = m.op  # type: ignore[attr-defined]
        if not (match.group("optional") or match.group("det") or match.group("thereto") or match.group("prep")):
            continue  # "Protocol" alone, without "optional", "its", "thereto" or "to": not read as an optional protocol
        plural = match.group("noun").casefold().endswith("s") or bool(match.group("ord") and "two" in match.group("ord").lower())
        if match.group("det") or match.group("thereto"):
            in_clause = [p for p in before if p.start >= _clause_start(text, m.start)] or before[-1:]
            antecedents = in_clause if plural else before[-1:]
            m.treaty = "OPCAT" if any(p.treaty == "CAT" for p in antecedents) else None
            continue
        if match.group("prep") and _THOSE_TREATIES.match(text, m.end):
            # "and the Optional Protocols to those respective treaties": every instrument of the clause before.
            in_clause = [p for p in before if p.start >= _clause_start(text, m.start)]
            m.treaty = "OPCAT" if any(p.treaty == "CAT" for p in in_clause) else None
            continue
        if match.group("prep"):
            targets = _targets(text, mentions, i, plural)
            if targets:
                for t in targets:
                    t.consumed = True
                    if t.kind == "conv":
                        # "the Optional Protocol to the Convention": the convention named just before.
                        t.treaty = before[-1].treaty if before else None
                m.treaty = "OPCAT" if any(t.treaty == "CAT" for t in targets) else None
            continue
        # "the Optional Protocol" alone: the protocol of the instrument just before, if any.
        m.treaty = "OPCAT" if before and before[-1].treaty == "CAT" else None
    _abbreviations(text, mentions)
    return mentions


def _targets(text: str, mentions: list[Mention], i: int, plural: bool) -> list[Mention]:
    op = mentions[i]
    following = mentions[i + 1 :]
    if not following or following[0].kind not in _INSTRUMENTS or not _TARGET_GAP.fullmatch(text[op.end : following[0].start]):
        return []
    targets = [following[0]]
    explicit = [following[0]]  # items introduced by their own "to": "to ICCPR, to CAT and CRPD"
    if plural:
        for nxt in following[1:]:
            gap = text[targets[-1].end : nxt.start]
            if nxt.kind not in _INSTRUMENTS or _LIST_STOP.search(gap) or not _LIST_GAP.fullmatch(gap):
                break
            if re.search(r",\s*and\s", gap) and _IN_LIST.search(text[: op.start]):
                break  # "the protocol to CEDAW, the optional protocols to the CRC, and CAT": CAT closes the outer list
            if re.search(r"\bto\s+(?:the\s+)?$", gap, _I) and _IN_TO_LIST.search(text[: op.start]):
                break  # "acceding to the ICESCR, to the two Optional Protocols to the ICCPR, to the CAT": the outer list
            targets.append(nxt)
            if re.search(r"\bto\s+(?:the\s+)?$", gap, _I):
                explicit.append(nxt)
        span = text[targets[0].start : targets[-1].end]
        if len(targets) > 1 and _NO_PROTOCOL.search(span):
            # A list that names an instrument without optional protocols is a list of instruments.
            targets = explicit
    return targets


def _abbreviations(text: str, mentions: list[Mention]) -> None:
    """ "the Optional Protocol to the Convention against Torture (CAT)": the parenthesis names the Convention of the name."""
    for before, m in zip(mentions, mentions[1:], strict=False):
        closed = text[m.end : m.end + 3].lstrip().startswith(")")
        if before.treaty == "OPCAT" and m.kind == "cat" and closed and _NAME_PAREN.fullmatch(text[before.end : m.start]):
            m.consumed = True


def _concerned(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.treaty in ("CAT", "OPCAT") and not (m.consumed and m.kind != "op")]


def treaties_of(text: str) -> set[str]:
    """The treaties the text concerns: a subset of {'CAT', 'OPCAT'}."""
    if not _ANY.search(text):
        return set()
    return {m.treaty for m in _concerned(_resolve(text))}  # type: ignore[misc]


# The two questions asked of every recommendation: pure functions of its text, asked again of the same texts on each
# import (a dry run, then the run; the tests' repeated imports). A recommendation's text is a few hundred characters:
# the caches hold the tens of thousands of UPR Info's exports in a few tens of megabytes at most.
@lru_cache(maxsize=65536)
def treaty_of(text: str) -> str | None:
    """'CAT', 'OPCAT', 'CAT+OPCAT', or None when the text concerns neither."""
    found = treaties_of(text)
    return "+".join(t for t in ("CAT", "OPCAT") if t in found) or None


# A past act the text refers to is no demand: "following the ratification of", "made upon accession".
_PAST_ACT = re.compile(
    r"\b(?:having|after|since|following|as\s+a\s+result\s+of)\s+(?:(?:its|the|their|his|her|a)\s+)?(?:recent\s+)?"
    r"(?:signing|ratifying|acceding|signed|ratified|acceded|ratification|accession|signature)\b"
    r"|\bcommitted\s+(?:itself\s+)?(?:to\s+)?by\s+(?:signing|ratifying|acceding)\b"
    r"|\b(?:made|entered|formulated|lodged|deposited|undertaken|assumed)\s+(?:up)?(?:on|during|at)\s+(?:the\s+|its\s+)?"
    r"(?:ratification|accession|signature|signing)\b"
    r"|\b(?:it\s+has|it\s+had|already|recently|which\s+it)\s+(?:(?:has|had)\s+)?(?:signed|ratified|acceded)\b",
    _I,
)
_CUES: list[tuple[str, str]] = [
    (
        "ratify",
        r"\bratif\w*|\bacced\w*|\baccession\b|\badhe(?:re|res|ring|sion)\b|\bbecom\w*\s+(?:a\s+)?(?:state\s+)?part(?:y|ies)\b"
        r"|\bbe(?:ing)?\s+(?:a\s+)?(?:state\s+)?part(?:y|ies)\s+to\b|\bjoin(?:s|ing)?\b|\bsubscrib\w*"
        r"|\binstruments?\s+of\s+ratification|\bexpress\w*\s+its\s+consent|\badopt\w*\s+the\s+optional\s+protocol",
    ),
    ("sign", r"\bsign(?:s|ing|ature)?\b"),
    (
        "declare_art22",
        r"\barticles?\s+(?:\d+\s*(?:,|and|&)\s*)*22\b|\bart\.?\s*22\b"
        r"|\b(?:accept\w*|recogni[sz]\w*)\s+(?:\w+\s+){0,3}individual\s+(?:complaints?|communications?|petitions?|procedures?)"
        r"|\bcompetence\s+of\s+(?:the\s+)?(?:committee|cat\b)|\bdeclarations?\s+(?:under|provided\s+for\s+in)\s+(?:articles?|art)",
    ),
    (
        "withdraw_reservation",
        r"\b(?:withdraw\w*|lift\w*|remov\w*|eliminat\w*|review\w*|reconsider\w*|re-?examin\w*|reassess\w*|drop\w*|revis\w*)\s+"
        r"(?:[\w,'-]+\s+){0,6}?(?:reservations?|(?:interpretative\s+|unilateral\s+)?declarations?)\b"
        r"|\breservations?\s+(?:[\w,'-]+\s+){0,8}?(?:be\s+)?(?:withdrawn|lifted|removed)"
        r"|\breservations?\b[^.;]{0,150}?\bwith\s+a\s+view\s+to\s+(?:withdraw|lift|remov)",
    ),
    (
        "implement",
        r"\bimplement\w*|\bestablish(?:es|ed|ing)?\b|\bdesignat\w*|\bincorporat\w*|\bensur\w*|\btake\s+(?:\w+\s+){0,2}measures"
        r"|\bcease|\bcriminali[sz]\w*|\bharmoni[sz]\w*|\bin\s+(?:line|conformity|compliance|accordance)\s+with"
        r"|\bconsistent\s+with|\bin\s+keeping\s+with|\baccording\s+to|\bas\s+(?:recommended|requested|suggested|raised)\s+by"
        r"|\bdefin\w*|\bcodif\w*|\blegislation\b|\bpursuant\s+to|\bobligations?\s+under|\bcommitments?\s+under|\bdomestic\s+(?:law|legislation)"
        r"|\bnational\s+legislation|\bdefinition\s+of\s+torture|\b(?:initial|periodic|overdue|pending|delayed)\s+reports?\b"
        r"|\breport\w*\s+(?:regularly\s+)?to\s+the\s+committee|\bsubmi\w*|\buphold\w*|\bprohibit\w*|\bcompl(?:y|ies|iance)\b"
        r"|\bconform\w*|\balign\w*|\benact\w*|\bamend\w*|\bstrengthen\w*|\bfulfil\w*|\btranspos\w*|\bdomesticat\w*"
        r"|\bgive\s+(?:full\s+)?effect|\bapply\w*|\bapplication\b|\brespect(?:s|ed|ing)?\b|\bcreat\w*|\bset\s+up\b"
        r"|\boperationali[sz]\w*|\bappoint\w*|\brecommendations?\b|\bfollow[\s-]up\b|\bcooperat\w*|\bresources\b|\bfunding\b"
        r"|\bvisits?\b|\binvestigat\w*|\bbring\s+(?:\w+\s+){0,6}(?:in|into)\s+line",
    ),
]
_CUE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_CUES)), _I)
_CUE_ACTION = {f"c{i}": action for i, (action, _) in enumerate(_CUES)}
_STRENGTH = ["ratify", "sign", "declare_art22", "withdraw_reservation", "implement", "other"]
_SPECIFIC = ("declare_art22", "withdraw_reservation")
# What may join the demands of one group: "sign and ratify", "ratify or sign", "become a party to and implement",
# "ratify, transpose in domestic law and fully implement".
_GROUP_GAP = re.compile(r"[\s,/-]*(?:(?:and|or|to|into|in|its|their|then|subsequently|also|fully|effectively|as)[\s,/-]+)*", _I)
# The institutions of the Protocol: a demand about them that names no verb we know is still about implementing it.
_INSTITUTION = re.compile(r"mechanism|\bnpm|committee|\bspt\b", _I)


def _cues(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _CUE_ACTION[m.lastgroup]) for m in _CUE.finditer(text) if m.lastgroup]


def _blank_past_acts(text: str) -> str:
    return _PAST_ACT.sub(lambda m: " " * len(m.group()), text)


def _group(text: str, cues: list[tuple[int, int, str]], mentions: list[Mention]) -> set[str]:
    """The demands of the last group of cues before a mention."""
    group = [cues[-1]]
    for cue in reversed(cues[:-1]):
        between = any(cue[1] <= m.start < group[-1][0] for m in mentions)
        if between or not _GROUP_GAP.fullmatch(text[cue[1] : group[-1][0]]):
            break
        group.append(cue)
    return {c[2] for c in group}


def _action_for(text: str, mention: Mention, cues: list[tuple[int, int, str]], mentions: list[Mention]) -> str:
    start = _clause_start(text, mention.start)
    end = next((m.start() for m in _CLAUSE.finditer(text, mention.end)), len(text))
    allowed = [c for c in cues if not (c[2] == "declare_art22" and mention.treaty == "OPCAT")]
    before = [c for c in allowed if start <= c[0] < mention.start]
    after = [c for c in allowed if mention.start <= c[0] < end]
    group = _group(text, before, mentions) if before else set()
    if group & {"ratify", "sign"}:
        return min(group, key=_STRENGTH.index)
    # The article 22 declaration or a reservation, wherever the clause says it, is the more specific demand.
    specific = [c for c in before + after if c[2] in _SPECIFIC]
    if specific:
        return specific[0][2]
    if group:
        # "implement the principles of CAT ... and accelerate the procedures to ratify it"
        pronoun = [c for c in after if c[2] in ("ratify", "sign") and re.match(r"\s+(?:it|them)\b", text[c[1] :])]
        return pronoun[0][2] if pronoun else min(group, key=_STRENGTH.index)
    if after:
        return after[0][2]
    earlier = [c for c in allowed if c[0] < mention.start]
    if earlier:
        return min(_group(text, earlier, mentions), key=_STRENGTH.index)
    return "implement" if _INSTITUTION.search(text[mention.start : mention.end]) else "other"


@lru_cache(maxsize=65536)
def action_of(text: str) -> str:
    """What the recommendation asks of the state about CAT or OPCAT, the strongest demand first.

    Ratifying (or acceding) outweighs signing: "sign and ratify" is a recommendation to ratify.
    The art. 22 declaration belongs to the Convention: a demand about the Protocol never asks it.
    A text naming neither treaty gets the strongest demand it makes at all.
    """
    blanked = _blank_past_acts(text)
    cues = _cues(blanked)
    concerned = _concerned(_resolve(text))
    if not concerned:
        actions = {c[2] for c in cues if c[2] != "declare_art22"} or {"other"}
        return min(actions, key=_STRENGTH.index)
    mentions = _resolve(text)
    return min((_action_for(blanked, m, cues, mentions) for m in concerned), key=_STRENGTH.index)


RESPONSES = {
    "accepted": "supported",
    "supported": "supported",
    "supported/noted": "supported",
    "noted": "noted",
    "rejected": "noted",
    "under consideration": "pending",
    "pending": "pending",
    "": "pending",
}


def response_of(value: str) -> str | None:
    """The response as the contract names it; None for a value this code does not know."""
    return RESPONSES.get(" ".join(value.split()).casefold())
