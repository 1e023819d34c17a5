"""French pages as AppTest sees them: a no-break space before ":", ";", "?" and "!" everywhere, data included."""

import re

import pytest

from tests.apptest import open_page, shown
from tests.test_translations import PAGES, visible_text

# A double punctuation mark ending a phrase (followed by a space or the end), with something else than a
# no-break space (U+00A0) or a narrow no-break space (U+202F) before it.
LOOSE = re.compile(r"(?<=[^\u00a0\u202f])[:;?!](?=[\s\u00a0]|$)")
STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
ICON = re.compile(r":material/\w+:")  # Streamlit's icon directive, drawn as an icon (":material/rss_feed:")


@pytest.mark.parametrize("page", [*PAGES, "views/country.py"])
def test_french_pages_keep_the_no_break_space_before_double_punctuation(built_db, page):
    at = open_page(page, lang="fr", state="FJI")
    text = shown(ICON.sub("", STYLE.sub("", visible_text(at))))  # markup escapes resolved as the browser shows them
    assert "Groupes" in text or len(text) > 200  # the collector did see the page
    loose = [line[max(0, m.start() - 30) : m.end() + 10] for line in text.split("\n") for m in LOOSE.finditer(line)]
    assert loose == [], f"French punctuation without a no-break space on {page}: {loose[:10]}"
