"""Colours, defined once: a neutral, colour-blind-safe palette (Okabe-Ito hues, no red)."""

STATUS_COLOURS = {
    "party": "#0072B2",
    "signatory": "#56B4E9",
    "no_action": "#E69F00",
    "no_data": "#d9d9d9",
}

TARGET_COLOURS = {
    "met": "#0072B2",
    "not_yet": "#56B4E9",
    "missed": "#E69F00",
    "no_target": "#d9d9d9",
    # Above an "up to" ceiling: more demand than planned capacity, not a failure.
    "over_capacity": "#CC79A7",
}
TARGET_MARK = "#333333"
