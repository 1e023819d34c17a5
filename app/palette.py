"""The colours of the dashboard, defined once: colour-blind-safe (Okabe-Ito), no red for non-parties."""

STATUS_COLOURS = {
    "party": "#0072B2",
    "signatory": "#56B4E9",
    "no_action": "#E69F00",
    "no_data": "#d9d9d9",
}
CONSENT_COLOURS = {
    "ratification": "#0072B2",
    "accession": "#009E73",
    "succession": "#CC79A7",
}
OCEAN = "#eef3f7"
OUTLINE = "#ffffff"
HIGHLIGHT = "#1a1a1a"


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    """'#0072B2' -> [0, 114, 178, alpha] for pydeck."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]
