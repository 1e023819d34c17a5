"""Classify a UPR recommendation's text: which treaty it concerns and what it asks the state to do."""

from __future__ import annotations

import re

# The Optional Protocol, however it is written; its own mention of the Convention must not count as CAT.
_OPCAT = re.compile(
    r"optional\s+protocol\s+(to|of)\s+the\s+(un\s+|united\s+nations\s+)?convention\s+against\s+torture[^;()]*?punishment"
    r"|optional\s+protocol\s+(to|of)\s+the\s+(un\s+|united\s+nations\s+)?convention\s+against\s+torture"
    r"|optional\s+protocol\s+to\s+(the\s+)?cat\b"
    r"|\bop-?\s?cat\b|\bopcat\b|\bopact\b"
    r"|\b(its|this)\s+optional\s+protocol(\s+thereto)?"
    r"|\bthe\s+optional\s+protocol(?!\s+(to|of)\b)"
    r"|protocole\s+facultatif\s+se\s+rapportant\s+à\s+la\s+convention\s+contre\s+la\s+torture",
    re.IGNORECASE,
)
_CAT = re.compile(
    r"convention\s+against\s+torture|\bcat\b|\buncat\b|convention\s+contre\s+la\s+torture|convenci[oó]n\s+contra\s+la\s+tortura",
    re.IGNORECASE,
)
_COMMITTEE = re.compile(r"committee\s+against\s+torture", re.IGNORECASE)
_ART22 = re.compile(
    r"articles?\s+(\d+\s*(,|and|&)\s*)*22\b|art\.?\s*22\b|individual\s+(complaints?|communications?)"
    r"|competence\s+of\s+the\s+committee",
    re.IGNORECASE,
)
_RESERVATION = re.compile(
    r"(withdraw|lift|remov|eliminat|review)\w*[^.;]*(reservation|declaration)s?"
    r"|reservations?[^.;]*(withdraw|lift|remov|eliminat)",
    re.IGNORECASE,
)
_RATIFY = re.compile(
    r"ratif|acced|accession|adhe(re|sion)|become\s+(a\s+)?party|join(ing)?\b|adopt\w*\s+the\s+(optional\s+protocol|convention)",
    re.IGNORECASE,
)
_SIGN = re.compile(r"\bsign(s|ed|ing)?\b", re.IGNORECASE)
_IMPLEMENT = re.compile(
    r"implement|establish|designat|incorporat|ensure|take\s+(effective\s+)?measures|cease|national\s+(preventive\s+)?mechanism|\bnpm\b|criminali[sz]|harmoni[sz]|in\s+line\s+with|in\s+accordance\s+with"
    r"|obligations\s+under|domestic\s+(law|legislation)|definition\s+of\s+torture|report\s+to\s+the\s+committee"
    r"|overdue\s+report|submit|uphold|prohibition",
    re.IGNORECASE,
)


def treaty_of(text: str) -> str | None:
    """'CAT', 'OPCAT', 'CAT+OPCAT', or None when the text names neither (a keyword filter's false positive)."""
    opcat = bool(_OPCAT.search(text))
    rest = _OPCAT.sub(" ", text)
    cat = bool(_CAT.search(rest)) or bool(_COMMITTEE.search(rest))
    if cat and opcat:
        return "CAT+OPCAT"
    if opcat:
        return "OPCAT"
    if cat:
        return "CAT"
    return None


# "by signing", "having ratified": a past act the text refers to, not a demand.
_PAST_ACT = re.compile(
    r"(\b(having|after|since)|committed\s+(itself\s+)?(to\s+)?by)\s+(signing|ratifying|acceding|signed|ratified|acceded)\b[^,.;]*",
    re.IGNORECASE,
)


def action_of(text: str) -> str:
    """What the recommendation asks of the state, the strongest demand first.

    Ratifying (or acceding) outweighs signing: "sign and ratify" is a recommendation to ratify.
    Without either, the first of the art. 22 declaration and withdrawing a reservation (or an
    interpretative declaration) that the text asks for; then implementing; otherwise 'other'.
    The art. 22 declaration belongs to the Convention: a text about the Protocol alone never asks it.
    """
    treaty = treaty_of(text)
    text = _PAST_ACT.sub(" ", text)
    if _RATIFY.search(text):
        return "ratify"
    if _SIGN.search(text):
        return "sign"
    art22 = _ART22.search(text) if treaty != "OPCAT" else None
    reservation = _RESERVATION.search(text)
    if art22 and (reservation is None or art22.start() < reservation.start()):
        return "declare_art22"
    if reservation:
        return "withdraw_reservation"
    if _IMPLEMENT.search(text):
        return "implement"
    return "other"


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
