"""Accessibility furniture every page shares: the page's language and title, focus rings, readable greys, target sizes.

The router calls `page(lang, title)` once per run, before the page itself. What Streamlit cannot be told in Python
(the <html> element's `lang`, a name for the map's focusable canvas, focus for a table that scrolls sideways) is
set in the browser by one small component; the rest is CSS.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v2 as components

from app.palette import CAPTION, FOCUS
from core.i18n import t

# WCAG 2.4.7 and 1.4.11: a focus ring of at least 3:1 everywhere. Streamlit's own is a 50% tint of the primary
# colour (about 1.2:1 on white) on buttons and none at all on the sidebar's links, switches and the map.
# WCAG 2.5.8: the date field's month and day are 18 x 20 px; a 24 x 24 px target each.
# WCAG 1.4.3: captions in the palette's caption grey (Streamlit's is 4.1:1 on white).
CSS = f"""<style>
:focus-visible {{ outline: 2px solid {FOCUS} !important; outline-offset: 2px !important; }}
/* Inside a box that clips (the map, a table's toolbar), the ring is drawn inside the element. */
.deck-events-root:focus-visible, [data-testid="stElementToolbar"] button:focus-visible {{
  outline: 3px solid {FOCUS} !important; outline-offset: -3px !important; }}
/* The chart and table toolbars show on hover only: a focused button shows them too. */
[data-testid="stElementToolbar"]:focus-within {{ opacity: 1 !important; }}
/* A switch or checkbox hides its input: the ring goes around the track or the box that is seen. */
[data-testid="stCheckbox"] label:has(input:focus-visible) > span + div {{
  outline: 2px solid {FOCUS}; outline-offset: 2px; }}
[data-testid="stDateInputField"] [role="spinbutton"] {{
  display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px; text-align: center; }}
/* A chart drawn in two layouts (ui.chart_block): its box is the container the layouts are chosen by. */
[class*="st-key-reflow_"] {{ container: reflow / inline-size; }}
/* Streamlit draws a caption in the text colour at 60% opacity: opaque, in the caption grey instead. */
[data-testid="stCaptionContainer"] {{ color: {CAPTION}; opacity: 1; }}
</style>"""

# One observer per tab (kept on the window, replaced when the component mounts again): after each change of the
# page it names the map's focusable canvas and makes a table that scrolls sideways reachable by keyboard.
_DOCUMENT_JS = """
export default function ({ parentElement, data }) {
  const doc = parentElement.ownerDocument;
  const view = doc.defaultView;
  doc.documentElement.lang = data.lang;
  const state = view.__uncatA11y || (view.__uncatA11y = {});
  state.data = data;
  const apply = () => {
    state.pending = false;
    const words = state.data;
    // deck.gl makes the map's canvas focusable (the arrows move the map, + and - zoom) with no name.
    for (const canvas of doc.querySelectorAll('[data-testid="stDeckGlJsonChart"] .deck-events-root')) {
      const figure = canvas.closest('[data-testid="stDeckGlJsonChart"]');
      const alt = (figure.getAttribute("aria-label") || "").trim();
      const name = alt ? `${alt}${/[.!?]$/.test(alt) ? "" : "."} ${words.mapKeys}` : words.mapKeys;
      if (canvas.getAttribute("aria-label") !== name) {
        canvas.setAttribute("role", "application");
        canvas.setAttribute("aria-label", name);
      }
    }
    // A table wider than the screen scrolls sideways: a keyboard reaches it only if it takes focus.
    for (const box of doc.querySelectorAll('[data-testid="stTable"] > div')) {
      // A table can come to scroll with no change to the DOM (a picture or a font loaded above it, the window
      // resized): its size is watched too (observing an element twice is a no-op).
      state.sizes.observe(box);
      if (box.firstElementChild) state.sizes.observe(box.firstElementChild);
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && box.getAttribute("tabindex") !== "0") {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", words.tableRegion);
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
      }
    }
  };
  // Applied in a microtask, right after the change that calls for it: no other task (a screen reader's, a
  // checker's) can find a new table unreachable in between, as it could during a timer's delay.
  const schedule = () => { if (!state.pending) { state.pending = true; view.queueMicrotask(apply); } };
  state.schedule = schedule;
  if (!state.sizes) state.sizes = new view.ResizeObserver(() => state.schedule());
  if (state.observer) state.observer.disconnect();
  state.observer = new view.MutationObserver(schedule);
  state.observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label"] });
  if (!state.resize) {
    state.resize = schedule;
    view.addEventListener("resize", () => state.resize());
    // A web font arriving widens the text of a table: checked again then too; and once a second in any case (a
    // table can come to scroll with no event seen here: a check of a few elements costs nothing).
    if (doc.fonts) doc.fonts.addEventListener("loadingdone", () => state.resize());
    view.setInterval(() => state.resize(), 1000);
  }
  state.resize = schedule;
  schedule();
}
"""
_document = components.component("uncat_accessible_document", js=_DOCUMENT_JS)


def page(lang: str, title: str, container) -> None:
    """The page's title (in the language), the document's language, the shared CSS and the browser-side fixes.

    `container` is where the component goes, always the same place (the sidebar), so that it is not rebuilt.
    """
    st.set_page_config(page_title=f"{title} · {t('app.title', lang)}")
    st.html(CSS)
    with container:
        _document(
            key="accessible_document",
            data={"lang": lang, "mapKeys": t("a11y.map_keys", lang), "tableRegion": t("a11y.table_region", lang)},
            height=0,
        )
