"""The dashboard's colours, defined once: colour-blind-safe (Okabe-Ito), no red for non-parties."""

from __future__ import annotations

PARTY = "#0072B2"
SIGNATORY = "#56B4E9"
# A dark amber (the hue of Okabe-Ito's orange, #E69F00, darkened): 4.1:1 against the signatories' sky blue and 8.4:1
# against the ocean, so the two classes of non-parties differ in lightness too, not only in hue (WCAG 1.4.11);
# Okabe-Ito's orange was 1.02:1 against the sky blue, the same lightness.
NO_ACTION = "#604000"
NO_DATA = "#d9d9d9"  # not a state in the data: distinct from "no action"

STATUS = {"party": PARTY, "signatory": SIGNATORY, "no_action": NO_ACTION, "no_data": NO_DATA}
CONSENT = {"ratification": "#0072B2", "accession": "#009E73", "succession": "#CC79A7"}

# Secondary text, changed here only: captions (as-of and source lines, definitions) and the charts' axis, legend and
# header text. Streamlit's own greys, #7d7d83 for captions and #808495 for chart text, are 4.1:1 and 3.7:1 on
# white, under WCAG AA's 4.5:1; this one is 6.3:1 on white, 5.6:1 on the sidebar and 4.6:1 on a strategy band.
CAPTION = "#5e6069"
CHART_TEXT = CAPTION
# Keyboard focus: a ring in the theme's primary colour (.streamlit/config.toml), 6.9:1 on white (3:1 needed).
FOCUS = "#1f5f99"

# Chart furniture: annotations and reference lines stay grey so the data keep the colours.
ANNOTATION = "#555555"
PERIOD_BAND = "#eeeeee"
PERIOD_BAND_ALT = "#dddddd"

# Target views: met / not yet / missed against a target, or no target set for the year.
TARGET = {
    "met": "#0072B2",
    "not_yet": "#56B4E9",
    "missed": "#E69F00",
    "no_target": "#d9d9d9",
    # Above an "up to" ceiling: more demand than planned capacity, not a failure.
    "over_capacity": "#CC79A7",
}
TARGET_MARK = "#333333"

# Projector theme of the forum slides: near-black on white.
PROJECTOR_TEXT = "#111111"
PROJECTOR_BACKGROUND = "#ffffff"
TOOLTIP_TEXT, TOOLTIP_BACKGROUND = "#ffffff", "#1a1a1a"

# Map furniture.
OCEAN = "#eef3f7"
OUTLINE = "#ffffff"
HIGHLIGHT = "#1a1a1a"
# The signatories' edge: the sky blue is the lightest class, 2.1:1 against the ocean; its edge, 6.0:1 against the
# ocean, draws the shape at the 3:1 WCAG 1.4.11 asks for graphics.
SIGNATORY_EDGE = "#1f5f99"


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    """'#0072B2' -> [0, 114, 178, alpha] for pydeck."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


# Engagement calendar: UPR windows (published dark, expected light), deadlines and open items by kind.
ENGAGEMENT = {
    "upr_window": PARTY,
    "upr_window_expected": SIGNATORY,
    "recommendation": "#009E73",
    "report": NO_ACTION,
    "signatory": "#CC79A7",
}
