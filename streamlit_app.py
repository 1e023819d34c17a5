"""Router: the whole navigation of the dashboard, one st.Page per view."""

import streamlit as st

from app import a11y, guard, keys, ui
from app.db import DatabaseUnavailable
from core.config import STATIC_DIR
from core.i18n import t

# The tab icon is a file in the repository: a Material icon name would make the browser fetch a font.
st.set_page_config(page_title="UNCAT Universality Dashboard", page_icon=str(STATIC_DIR / "icon.png"), layout="wide")
guard.install()  # once per server: uploads only from signed-in sessions, ended sessions swept

lang = ui.language_selector()
overview = st.Page("views/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", url_path="overview")


def home() -> None:
    # The root address opens the Overview under its own name, so /overview works as well as /.
    st.switch_page(overview, query_params=dict(st.query_params))


pages = [
    st.Page(home, title=t("nav.overview", lang), url_path="home", default=True, visibility="hidden"),
    overview,
    st.Page("views/map.py", title=t("nav.map", lang), icon=":material/public:", url_path="map"),
    st.Page("views/country.py", title=t("nav.country", lang), icon=":material/id_card:", url_path="country"),
    st.Page("views/timeline.py", title=t("nav.timeline", lang), icon=":material/timeline:", url_path="timeline"),
    st.Page("views/universality.py", title=t("nav.universality", lang), icon=":material/flag:", url_path="universality"),
    st.Page("views/forum.py", title=t("nav.forum", lang), icon=":material/co_present:", url_path="forum"),
    st.Page("views/targets.py", title=t("nav.targets", lang), icon=":material/checklist:", url_path="targets"),
    st.Page("views/calendar.py", title=t("calendar.nav", lang), icon=":material/event:", url_path="calendar"),
    st.Page("views/commitments.py", title=t("commitments.nav", lang), icon=":material/handshake:", url_path="commitments"),
    st.Page("views/report.py", title=t("report.nav", lang), icon=":material/summarize:", url_path="report"),
    st.Page("views/update.py", title=t("update.nav", lang), icon=":material/mail:", url_path="update"),
]
page = st.navigation(pages, position="hidden" if ui.embedded() else "sidebar")
a11y.page(lang, page.title, st.sidebar)  # the page's title and language, focus rings, readable greys
keys.enter_applies_dates(st.sidebar)  # Enter in a date field applies the typed date
notices = st.container()
try:
    page.run()
except DatabaseUnavailable:  # logged where it happened (app/db.py); the browser gets one sentence
    st.error(t("app.database_unavailable", lang), icon=":material/database:")
ui.show_url_notices(notices)
ui.page_footer(lang, page.url_path)
