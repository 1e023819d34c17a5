"""Where the open data and feeds are served, and the HTML that embeds a view in another site."""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import urlencode

from core.config import public_dir

# Streamlit serves static/ at /app/static/; `python -m etl` writes the open data into static/data/.
STATIC_PATH = "app/static/data"
BUNDLE = "uncat-open-data.zip"
PACKAGE = "datapackage.json"
ATOM = "uncat-treaty-events.atom"
CALENDAR = "uncat-engagement-calendar.ics"


def in_language(name: str, lang: str) -> str:
    """A feed's file in a language: the English one keeps its plain name ("uncat-treaty-events.atom"), the
    others carry the language code before the extension ("uncat-treaty-events.fr.atom")."""
    if lang == "en":
        return name
    stem, _, extension = name.rpartition(".")
    return f"{stem}.{lang}.{extension}"


def subscription(kind: str, code: str, lang: str) -> str:
    """The per-state or per-group feed's file under the open data folder: "feeds/state/FJI.atom",
    "feeds/group/SIDS.fr.atom" (written by the ETL's publisher, app.subscriptions)."""
    return f"feeds/{kind}/{in_language(f'{code}.atom', lang)}"


def subscription_published(kind: str, code: str, lang: str) -> bool:
    return (public_dir() / subscription(kind, code, lang)).exists()


def published() -> bool:
    """True when `python -m etl` has written the open data (links to missing files are not shown)."""
    return (public_dir() / BUNDLE).exists()


def link(name: str) -> str:
    """A link relative to the page, so that it works behind a proxy that serves the dashboard under a path."""
    return f"{STATIC_PATH}/{name}"


def embed_url(page_url: str, params: Mapping[str, str]) -> str:
    """The page's URL with its view state and Streamlit's embed mode (no menus, no sidebar)."""
    query = {key: value for key, value in params.items() if key.lower() not in ("embed", "embed_options")}
    return f"{page_url}?{urlencode({**query, 'embed': 'true'})}"


def iframe_snippet(page_url: str, params: Mapping[str, str], title: str, height: int = 720) -> str:
    """The <iframe> another site pastes to show this view."""
    source = html.escape(embed_url(page_url, params), quote=True)
    return (
        f'<iframe src="{source}" title="{html.escape(title, quote=True)}" width="100%" height="{height}"'
        ' style="border:0" loading="lazy"></iframe>'
    )
