"""Keyboard behaviour the pages need beyond Streamlit's own: Enter applies a typed date, the forum's clicker keys."""

from __future__ import annotations

import streamlit.components.v2 as components

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
    // The field's "Choose date" button keeps its Enter: it opens the calendar (WCAG 2.1.1).
    if (event.target.closest("button")) return;
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


# The forum's presenter keys (WCAG 2.1.1, 2.1.4). A key that a focused control uses stays the control's: no slide key
# in a field, a list, a table or the map (arrows, Space and Page keys move or type there), and not Space on a button,
# a link, a switch or "Settings" (Space presses them). The arrows and Page keys still move the slides from a button or
# a link, because a mouse click on "Next" or on the presentation switch leaves the focus there and the presenter's
# clicker must keep working. The settings can switch the keys off. The listener is the component's: it goes when
# the forum's page goes, and comes back with it. Streamlit's main area takes the focus of a click anywhere on the slide
# (it is focusable, to scroll): there the keys are the presenter's.
_CLICKER_JS = """
export default function ({ parentElement, data }) {
  const doc = parentElement.ownerDocument;
  const view = doc.defaultView;
  if (view.__uncatClicker) doc.removeEventListener("keydown", view.__uncatClicker);
  view.__uncatClicker = null;
  if (!data.enabled) return;
  const fields = [
    "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])", "textarea", "select",
    "iframe", "[contenteditable]",
    "[tabindex]:not([tabindex^='-']):not(a):not(button):not(summary):not([data-testid=stMain])",
    "[role=textbox]", "[role=spinbutton]", "[role=combobox]", "[role=listbox]", "[role=option]", "[role=slider]",
    "[role=grid]", "[role=application]", "[role=tablist]", "[role=tab]", "[role=menu]", "[role=menuitem]",
    "[role=radiogroup]", "[role=radio]", "[role=dialog]",
  ].join(", ");
  const pressable = "button, a[href], summary, input, [role=button], [role=link], [role=switch], [role=checkbox]";
  const listener = (event) => {
    if (event.defaultPrevented || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof view.Element && event.target !== doc.body ? event.target : null;
    if (target && target.closest(fields)) return;
    if (target && event.key === " " && target.closest(pressable)) return;
    const action = Object.keys(data.keys).find((name) => data.keys[name].includes(event.key));
    const button = action && doc.querySelector(`.st-key-${action} button`);
    if (!button) return;
    event.preventDefault();  // Space and Page Down would also scroll the page
    if (!button.disabled) button.click();
  };
  view.__uncatClicker = listener;
  doc.addEventListener("keydown", listener);
  return () => {
    doc.removeEventListener("keydown", listener);
    if (view.__uncatClicker === listener) view.__uncatClicker = null;
  };
}
"""
_clicker = components.component("uncat_clicker_keys", js=_CLICKER_JS)


def clicker(enabled: bool, **keys: list[str]) -> None:
    """The forum's presenter keys: each names a button's key and the keys (KeyboardEvent.key) that press it,
    e.g. clicker(True, next=["ArrowRight"], previous=["ArrowLeft"]); `enabled` False takes them away."""
    _clicker(key="clicker_keys", data={"enabled": enabled, "keys": keys}, height=0)
