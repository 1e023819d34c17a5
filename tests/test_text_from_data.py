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
