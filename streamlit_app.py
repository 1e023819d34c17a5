"""Router: the whole navigation of the dashboard, one st.Page per view."""

import streamlit as st

from app import ui
from app.i18n import t

st.set_page_config(page_title="UNCAT Universality Dashboard", page_icon=":material/public:", layout="wide")

lang = ui.language_selector()
pages = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/targets.py", title=t("nav.targets", lang), icon=":material/flag:", url_path="targets"),
]
st.navigation(pages).run()
