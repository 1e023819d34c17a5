"""Text from the data (names, notes, file names) goes into Markdown elements escaped: never a link, an image or markup."""

import re

import pytest

from app.ui import md_text
from tests.apptest import shown


@pytest.mark.parametrize(
    "text",
    [
        "Fiji ![pixel](http://tracker.invalid/p.png)",
        "[click here](http://tracker.invalid/)",
        "<img src=http://tracker.invalid/p.png>",
        "# Heading",
        ":red[coloured] :material/warning: $x^2$",
        "see www.tracker.invalid or mail someone@tracker.invalid",
        "**bold** _italic_ `code` | table |",
    ],
)
def test_markdown_syntax_is_escaped_and_shown_as_typed(text):
    escaped = md_text(text)
    assert not re.search(r"(?<!\\)[\[\]()!<>#*_`|:$@]", escaped)  # every syntax character escaped
    assert not re.search(r"(?i)www\.|https?:|\w@\w", escaped)  # no bare URL or address left to link
    assert shown(escaped) == text


def test_line_breaks_cannot_start_a_new_block():
    assert md_text("Fiji\n\n# Heading\r\n- item") == "Fiji \\# Heading \\- item"


def test_french_no_break_spaces_are_kept():
    # "Groupes\u00a0: ..." and « ... »: collapsing white space must not turn them into breakable spaces.
    text = "Groupes à cette date\u00a0: PEID\u00a0; «\u202fCTI\u202f»"
    assert shown(md_text(text)) == text
    assert md_text("a \t\n b") == "a b"


# The one safe path, checked in the code: a Markdown element gets text from the data only through md_text.
MARKDOWN_ELEMENTS = {
    "markdown",
    "caption",
    "header",
    "subheader",
    "title",
    "info",
    "warning",
    "error",
    "success",
    "metric",
    "toast",
}
# Transient or labelled: a spinner's or a status's text is drawn while the page runs (AppTest never sees it: a slow
# machine drew an image from a state's name in the map's spinner), and widget and container labels render Markdown.
LABELLED = {
    "spinner",
    "status",
    "expander",
    "popover",
    "button",
    "download_button",
    "toggle",
    "checkbox",
    "radio",
    "pills",
    "segmented_control",
    "selectbox",
    "multiselect",
    "text_input",
    "date_input",
    "slider",
    "select_slider",
    "file_uploader",
}
NUMBERS = {"len", "int", "round", "ceil", "fmt_number", "fmt_date", "fmt_percent", "fmt_age"}
# Calls whose text the check cannot follow, each read and found to hold no text from the data: numbers, dates,
# translated labels and our own URLs. A new call not provably safe fails the test until it is added here, reviewed.
REVIEWED = {
    ("app/secretariat.py", "count"): "t_count of the problem count, the file name through md_text",
    ("app/secretariat.py", "t('secretariat.locked_server', lang, seconds=seconds)"): "a number of seconds",
    ("app/secretariat.py", "t('year_summary.title', lang, year=year)"): "a year, an integer",
    (
        "app/secretariat.py",
        "t('year_summary.card_label', lang, date=to_date) + ' ' + t('year_summary.card_public', lang, "
        "value=fmt_number(int(row.public), lang), date=public_date) + ' ' + words",
    ): "dates, counts, and the target's comparator (a translated label) and integer value",
    ("app/secretariat.py", "t('year_summary.download', lang, year=year)"): "a year, an integer",
    ("app/ui.py", "label"): "url_choice, date_control, url_toggle: every caller passes a translated label (t(...))",
    ("views/commitments.py", "label"): "pills: every caller passes a translated label (t(...))",
    ("app/ui.py", "' '.join(as_of_and_source(lang, as_of, latest))"): "translated lines with dates",
    ("app/ui.py", "' '.join(lines)"): "source_lines: translated lines with dates",
    ("app/ui.py", "message"): "URL notices: the value is in a code span, backticks removed (ui.ignored)",
    ("app/ui.py", "f\":small[{t('opendata.intro', lang)}{colon(lang)}\" + ' · '.join(links) + ']'"): "our own URLs",
    ("views/calendar.py", "' '.join([t('common.as_of_line', lang, date=fmt_date(as_of, lang)), sources])"): "translated sources",
    (
        "app/ui.py",
        "f\":small[:material/rss_feed: [{md_text(t('subscriptions.follow_group', lang, group=name))}]({feed})]\"",
    ): "the group's name through md_text, our own feed URL",
    (
        "views/country.py",
        "f\":material/rss_feed: [{ui.md_text(t('subscriptions.follow_state', lang, state=profile.name))}]({feed})\"",
    ): "the state's name through md_text, our own feed URL",
    ("views/commitments.py", "paragraph"): "rules.claim: the catalogue's words with ranks and counts, its bold meant",
    ("views/forum.py", "t('forum.position', lang, number=number, total=total)"): "slide numbers",
    ("views/map.py", "legend_markdown(view.legend)"): "translated categories and counts",
    ("views/map.py", "view.group_note"): "maps.group_note: a translated sentence",
    ("views/map.py", "f\"**{t('map.playing', lang, year=year)}** · {legend_markdown(counts)}\""): "a year, counts",
    ("views/overview.py", "t('overview.universe_note', lang, states=figures['states'])"): "a count",
    ("views/overview.py", "t('headline.in_universe', lang, label=label, universe=universe) if universe else label"): "labels",
    ("views/targets.py", "sample_line(view['sample_records'], view['real_records'], lang)"): "counts",
    (
        "views/targets.py",
        "t('targets.no_target_banner', lang, year=year, periods=ui.md_text('; '.join(periods)) or '—')",
    ): "a year",
    (
        "views/targets.py",
        "t('targets.none_after', lang, last=last_target.year, first=pd.Timestamp(last_strategy.period_start).year, "
        "strategy=ui.md_text(strategy_name(last_strategy.strategy, lang)), year=year)",
    ): "years, the strategy's name through md_text",
    ("views/targets.py", "t('targets.ytd_note', lang, year=year, date=fmt_date(figures_to, lang))"): "a year, a date",
    ("views/targets.py", "records_text(row, lang)"): "counts",
    (
        "views/timeline.py",
        "t('timeline.universe_note', lang, universe=t(f'universe.{universe}', lang), total=view['total'])",
    ): "a count",
    (
        "views/timeline.py",
        "t_count('timeline.projection_assumption', lang, years, members=UN_MEMBERS, date=fmt_date(as_of, lang))",
    ): "a constant (193), a date",
    (
        "views/timeline.py",
        "t_count('timeline.projection_result', lang, years, pace=fmt_number(round(projected['pace'], 1), lang), "
        "remaining=fmt_number(projected['remaining'], lang), year=projected['year'])",
    ): "numbers, a year",
}


def _markdown_calls():
    """Every call of a Markdown element in the app and the pages whose first argument is not provably safe."""
    import ast

    from tests.conftest import ROOT

    def name(node):
        return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None

    for path in sorted([*(ROOT / "app").glob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "streamlit_app.py"]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for found in ast.walk(target):
                        if isinstance(found, ast.Name):
                            assigned.setdefault(found.id, []).append(node.value)
            elif isinstance(node, (ast.For, ast.comprehension, ast.AugAssign, ast.AnnAssign, ast.arg, ast.NamedExpr)):
                target = node.arg if isinstance(node, ast.arg) else node.target
                for found in [target] if isinstance(target, str) else ast.walk(target):
                    assigned.setdefault(found if isinstance(found, str) else getattr(found, "id", ""), []).append(None)

        def safe(node, seen=frozenset()) -> bool:
            if isinstance(node, ast.Constant):
                return True
            if isinstance(node, ast.BinOp):
                if not isinstance(node.op, ast.Add | ast.Mod):  # arithmetic: a number
                    return True
                return safe(node.left, seen) and safe(node.right, seen)
            if isinstance(node, ast.Name):
                values = assigned.get(node.id)
                return node.id in seen or (bool(values) and None not in values and all(safe(v, seen | {node.id}) for v in values))
            if isinstance(node, ast.List | ast.Tuple):
                return all(safe(item, seen) for item in node.elts)
            if isinstance(node, ast.JoinedStr):
                return all(safe(part.value, seen) for part in node.values if isinstance(part, ast.FormattedValue))
            if isinstance(node, ast.BoolOp):
                return all(safe(value, seen) for value in node.values)
            if isinstance(node, ast.IfExp):
                return safe(node.body, seen) and safe(node.orelse, seen)
            if isinstance(node, ast.Call):
                called = name(node.func)
                if called in {"md_text", "escape", "colon", *NUMBERS}:
                    return True
                if called in ("t", "t_count"):
                    return all(safe(keyword.value, seen) for keyword in node.keywords)
                if called == "join" and isinstance(node.func, ast.Attribute) and safe(node.func.value, seen):
                    items = node.args[0]
                    return safe(items.elt if isinstance(items, ast.GeneratorExp | ast.ListComp) else items, seen)
            return False

        for node in ast.walk(tree):
            called = name(node.func) if isinstance(node, ast.Call) else None
            st_write = called == "write" and isinstance(node.func, ast.Attribute) and name(node.func.value) == "st"
            labelled = called in LABELLED and isinstance(node.func, ast.Attribute)  # st.spinner, not a status() helper
            if (called in MARKDOWN_ELEMENTS or labelled or st_write) and node.args and not safe(node.args[0]):
                yield path.relative_to(ROOT).as_posix(), ast.unparse(node.args[0]), node.lineno
            if called == "table" and isinstance(node.func, ast.Attribute) and name(node.func.value) == "st":
                yield path.relative_to(ROOT).as_posix(), "st.table", node.lineno


def test_text_from_the_data_reaches_markdown_only_through_md_text():
    calls = list(_markdown_calls())
    unreviewed = [f"{path}:{line}: {source}" for path, source, line in calls if (path, source) not in REVIEWED]
    # st.table renders its cells as Markdown: ui.table escapes them, and is the one caller.
    unreviewed = [call for call in unreviewed if not call.startswith("app/ui.py") or not call.endswith("st.table")]
    assert not unreviewed, "text that may come from the data, not through md_text:\n" + "\n".join(unreviewed)
    assert {(path, source) for path, source, _ in calls} >= set(REVIEWED)  # no stale entry
