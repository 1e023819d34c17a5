"""The dashboard's colours, defined once: colour-blind-safe (Okabe-Ito), no red for non-parties."""

from __future__ import annotations

PARTY = "#0072B2"
SIGNATORY = "#56B4E9"
NO_ACTION = "#E69F00"
NO_DATA = "#d9d9d9"  # not a state in the data: distinct from "no action"

STATUS = {"party": PARTY, "signatory": SIGNATORY, "no_action": NO_ACTION, "no_data": NO_DATA}
CONSENT = {"ratification": "#0072B2", "accession": "#009E73", "succession": "#CC79A7"}

# Chart furniture: annotations and reference lines stay grey so the data keep the colours.
ANNOTATION = "#555555"
PERIOD_BAND = "#eeeeee"
PERIOD_BAND_ALT = "#dddddd"

# Map furniture.
OCEAN = "#eef3f7"
OUTLINE = "#ffffff"
HIGHLIGHT = "#1a1a1a"


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    """'#0072B2' -> [0, 114, 178, alpha] for pydeck."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]
