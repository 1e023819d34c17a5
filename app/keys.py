"""Keyboard behaviour the pages need beyond Streamlit's own: Enter applies a typed date, the forum's clicker keys."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v2 as components
from streamlit_shortcuts import add_shortcuts, clear_shortcuts

CLICKER = "clicker_keys"  # session key: the forum's clicker keys were set up in this browser tab

# Streamlit's date field (1.67) applies a typed date when focus leaves it, not on Enter. Enter in one of
# its segments here moves focus out of the field, so the date applies as it would on Tab or a click elsewhere.
# One listener per tab (replaced, never doubled, when the component mounts again), removed on unmount.
_ENTER_APPLIES_JS = """
export default function ({ parentElement }) {
  const doc = parentElement.ownerDocument;
  const view = doc.defaultView;
  if (view.__uncatEnterApplies) doc.removeEventListener("keydown", view.__uncatEnterApplies, true);
  const listener = (event) => {
    if (event.key !== "Enter" || event.isComposing || !(event.target instanceof view.Element)) return;
    const field = event.target.closest('[data-testid="stDateInputField"]');
    const widget = field && field.closest('[data-testid="stDateInput"]');
    if (!widget) return;
    event.preventDefault();
    // Focus moves to the widget around the field: a blur to nowhere is not applied, a move out of it is.
    widget.tabIndex = -1;
    widget.focus({ preventScroll: true });
  };
  view.__uncatEnterApplies = listener;
  doc.addEventListener("keydown", listener, true);
  return () => {
    doc.removeEventListener("keydown", listener, true);
    if (view.__uncatEnterApplies === listener) view.__uncatEnterApplies = null;
  };
}
"""
_enter_applies = components.component("uncat_enter_applies_dates", js=_ENTER_APPLIES_JS)


def enter_applies_dates(container) -> None:
    """Mount, once per run and always in the same place (the sidebar), the Enter-applies-a-date listener."""
    with container:
        _enter_applies(key="enter_applies_dates", height=0)


def clicker(**keys: list[str]) -> None:
    """The forum's presenter keys (streamlit-shortcuts), e.g. clicker(next=["arrowright"], previous=["arrowleft"]).

    streamlit-shortcuts sets its listener up once per tab and marks it done; the listener lives in the
    component's frame and stops when another page replaces that frame. `leave_clicker` resets the mark
    on the next page, so that coming back to the forum sets the keys up again.
    """
    st.session_state[CLICKER] = True
    add_shortcuts(**keys)


def leave_clicker(container, page_path: str, clicker_path: str) -> None:
    """On the first page after the forum, reset streamlit-shortcuts (its listener died with the forum's frame)."""
    if page_path != clicker_path and st.session_state.pop(CLICKER, False):
        with container:
            clear_shortcuts()
