"""Group of Friends update: what changed since a date and the next three months, as an e-mail, HTML, text or PDF."""

import streamlit as st

from app import data, ui
from app import update as files
from app.opportunities import add_months
from core.config import public_url
from core.i18n import fmt_date, t

lang = ui.lang()
today = data.today()
st.title(t("update.nav", lang))
st.write(t("update.description", lang))
ui.print_friendly()

first, second, _ = st.columns([1, 1, 2])
with first:
    since = ui.date_control(t("update.since_label", lang), "since", add_months(today, -3))
with second:
    as_of = ui.date_control(t("update.as_of_label", lang), "as_of", today)
if since >= as_of:
    st.info(t("update.since_after", lang, date=fmt_date(as_of, lang)), icon=":material/info:")
    since = add_months(as_of, -3)

update = data.group_update(since, as_of, lang, today)
stem = f"cti-update-{since.isoformat()}-{as_of.isoformat()}-{lang}"
base = public_url()
buttons = st.columns(4)
for column, (key, suffix, mime, build) in zip(
    buttons,
    (
        ("email", "eml", "message/rfc822", lambda: files.to_email(update, base)),
        ("html", "html", "text/html", lambda: files.to_html(update, base).encode("utf-8")),
        ("text", "txt", "text/plain", lambda: files.to_text(update).encode("utf-8")),
        ("pdf", "pdf", "application/pdf", lambda: files.to_pdf(update)),
    ),
    strict=True,
):
    column.download_button(
        t(f"update.download_{key}", lang),
        data=build,
        file_name=f"{stem}.{suffix}",
        mime=mime,
        key=f"update_{key}",
        on_click="ignore",
    )

st.header(ui.md_text(update.title))
st.markdown(ui.md_text(update.period))
st.info(ui.md_text(update.headline))
for part in update.parts:
    st.subheader(ui.md_text(part.title))
    if part.items:
        st.markdown("\n".join(f"- {ui.md_text(item.text)}" for item in part.items))
    else:
        st.markdown(ui.md_text(part.empty))
    for line in (part.more, part.note):
        if line:
            st.caption(ui.md_text(line))
st.caption("  \n".join(ui.md_text(line) for line in update.footer))
