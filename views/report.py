"""Annual report: the Secretariat's yearly report drafted from the data, on the page and as PDF and DOCX."""

import streamlit as st

from app import data, ui
from core.i18n import fmt_date, t

lang = ui.lang()
latest = data.data_as_of()
today = data.today()
st.title(t("report.nav", lang))
st.write(t("report.description", lang))
ui.print_friendly()

years = data.report_years()
# The last complete year by default: the one a Secretariat writes about.
complete = [year for year in years if year < latest.year or latest.month == 12 and latest.day == 31]
if "report_year" not in st.session_state:
    st.session_state["report_year"] = ui.url_int("year", years, complete[0] if complete else years[0], lang)


def year_label(year: int) -> str:
    if year == latest.year and year not in complete:
        return t("report.year_partial", lang, year=year, date=fmt_date(latest, lang))
    return t("report.year_option", lang, year=year)


year = st.columns([1, 3])[0].selectbox(t("report.year_label", lang), years, format_func=year_label, key="report_year")
st.query_params["year"] = str(year)

with st.spinner(t("report.building", lang)):
    report = data.annual_report(year, lang, today)
    svgs = data.annual_report_svgs(year, lang, today)

stem = f"cti-annual-report-{year}-{lang}"
pdf, docx, _ = st.columns([1, 1, 3])
pdf.download_button(
    t("report.download_pdf", lang),
    data=lambda: data.annual_report_pdf(year, lang, today),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    key="report_pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
)
docx.download_button(
    t("report.download_docx", lang),
    data=lambda: data.annual_report_docx(year, lang, today),
    file_name=f"{stem}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="report_docx",
    on_click="ignore",
    icon=":material/description:",
)

st.header(ui.md_text(report.title))
st.markdown(f"*{ui.md_text(report.subtitle)}*")
for line in report.cover:
    st.caption(ui.md_text(line))
for section in report.sections:
    st.subheader(ui.md_text(section.title))
    for block in section.blocks:
        if block.kind == "paragraph":
            st.markdown(ui.md_text(block.text))
        elif block.kind == "heading":
            st.markdown(f"**{ui.md_text(block.text)}**")
        elif block.kind == "note":
            st.caption(ui.md_text(block.text))
        elif block.kind == "table":
            if block.table.caption:
                st.markdown(f"**{ui.md_text(block.table.caption)}**")
            ui.table(block.table.frame())
        elif block.kind == "figure":
            st.markdown(f"**{ui.md_text(block.figure.title)}**")
            st.image(svgs[block.figure.key], width="stretch", alt=block.figure.alt)
            st.caption(ui.md_text(block.figure.alt))
            st.caption("  \n".join(ui.md_text(line) for line in block.figure.lines))
    if section.source:
        st.caption(ui.md_text(section.source))
