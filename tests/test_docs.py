"""The README's screenshots are in the repository."""

import re

from tests.conftest import ROOT


def test_every_screenshot_the_readme_links_is_checked_in():
    links = re.findall(r"\((docs/screenshots/[^)]+\.png)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(links) >= 3
    missing = [link for link in links if not (ROOT / link).is_file()]
    assert missing == []
