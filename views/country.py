"""Country profile: one state's position, dates, UPR, reporting, peers and public CTI activity, with its brief."""

import streamlit as st

from app import data, opendata_links, ui
from app.brief import groups_line, to_docx, to_pdf
from core.i18n import t

lang = ui.lang()
latest = data.data_as_of()
st.title(t("profile.title", lang))
st.write(t("profile.description", lang))
ui.print_friendly()

names = data.state_names(lang)
wanted = st.query_params.get("state", "")
code = wanted.strip().upper()  # lower-case codes are accepted
if st.session_state.get("profile_url") != code:
    # A new `state` in the URL (a link from another page, or typed): it chooses the state.
    st.session_state["profile_url"] = code
    st.session_state["profile_state"] = code if code in names else None
if wanted and code not in names:
    ui.ignored("state", wanted, t("url.no_state", lang), lang)  # said at the top, as every page says a bad URL value
    st.query_params.pop("state")  # said once: not again on the next rerun
iso3 = st.columns([2, 1])[0].selectbox(
    t("profile.find", lang),
    options=list(names),
    format_func=names.get,
    placeholder=t("profile.find_placeholder", lang),
    key="profile_state",
)
as_of = ui.as_of_control(lang, latest)
if iso3 is None:
    # No st.stop(): the router still shows the URL notices and the page footer.
    st.info(t("profile.choose", lang), icon=":material/travel_explore:")
else:
    st.query_params["state"] = iso3
    st.session_state["profile_url"] = iso3

    view = data.profile(data.snapshot(as_of), iso3, as_of, lang)
    profile = view.profile
    st.header(ui.md_text(profile.name))
    st.markdown(f"**{ui.md_text(profile.headline)}**")
    st.caption(ui.md_text(profile.as_of_line))
    if profile.groups:
        st.markdown(ui.md_text(groups_line(profile)))

    stem = f"brief-{iso3}-{lang}-{as_of.isoformat()}"
    docx, pdf, _ = st.columns([1, 1, 4])
    docx.download_button(
        t("profile.download_docx", lang),
        data=lambda: to_docx(profile),
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="brief_docx",
        on_click="ignore",
        icon=":material/description:",
    )
    pdf.download_button(
        t("profile.download_pdf", lang),
        data=lambda: to_pdf(profile),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key="brief_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
    st.container(key="print_hint").caption(t("profile.print_hint", lang))  # keyed: printing leaves it out
    if opendata_links.subscription_published("state", iso3, lang):
        feed = opendata_links.link(opendata_links.subscription("state", iso3, lang))
        st.markdown(f":material/rss_feed: [{ui.md_text(t('subscriptions.follow_state', lang, state=profile.name))}]({feed})")

    for section in profile.sections:
        st.subheader(ui.md_text(section.title))
        for paragraph in section.paragraphs:
            st.markdown(ui.md_text(paragraph))
        if section.key in view.steps:
            ui.table(view.steps[section.key])
        if section.key in view.tables and section.key == "upr" and ui.on_phone():
            # On a phone a seven-column table is one word per line: one card per recommendation instead.
            for number, (cycle, when, recommending, treaty, action, response, text) in enumerate(section.table.rows):
                with st.container(border=True, key=f"recommendation_{number}"):
                    st.markdown(
                        f"**{ui.md_text(recommending)}** · {ui.md_text(when)} · "
                        + t(
                            "profile.rec_card",
                            lang,
                            treaty=ui.md_text(treaty),
                            action=ui.md_text(action),
                            response=ui.md_text(response),
                            cycle=ui.md_text(cycle),
                        )
                    )
                    st.markdown(ui.md_text(text))
        elif section.key in view.tables:
            ui.table(view.tables[section.key])
        if section.notes:
            st.caption("  \n".join(ui.md_text(note) for note in section.notes))
        st.caption(ui.md_text(section.source))
    st.caption(ui.md_text(profile.disclaimer))
