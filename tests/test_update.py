"""The Group of Friends' update: what changed in a span, the next three months, and the e-mail that carries it."""

from __future__ import annotations

import email
import re
import subprocess
import sys
from datetime import date
from email import policy

import pytest

from app import digest, queries, snapshot
from app import update as files
from core.i18n import NO_BREAK
from tests.conftest import ROOT

GENERATED = date(2026, 12, 6)


@pytest.fixture(scope="module")
def make(db):
    def build(since: date, as_of: date, lang: str = "en") -> digest.Update:
        facts = queries.span_facts(db, since, as_of)
        return digest.build(snapshot.take(db, since), snapshot.take(db, as_of), facts, since, as_of, lang, GENERATED)

    return build


def _part(update: digest.Update, key: str) -> digest.Part:
    return next(part for part in update.parts if part.key == key)


def test_the_span_s_deposits_reviews_and_reports(make):
    update = make(date(2025, 6, 1), date(2026, 2, 3))
    treaty = [item.text for item in _part(update, "treaty").items]
    assert treaty == [
        "17 July 2025: Bangladesh acceded to the Optional Protocol to the Convention against Torture.",
        "10 November 2025: Colombia acceded to the Optional Protocol to the Convention against Torture.",
    ]
    reviews = _part(update, "reviews")
    assert [item.iso3 for item in reviews.items] == ["JAM", "FSM", "LCA"]  # states not party, in date order
    assert "reviews of States parties in the same period are not listed" in reviews.note
    reports = [item.text for item in _part(update, "reports").items]
    assert "Liberia: initial report received (18 October 2025)" in reports
    assert "Dominica: initial report overdue since 3 January 2026 (SIDS)" in reports
    assert "No new UN member State party since 1 June 2025." in update.headline


def test_a_span_after_the_treaty_data_says_it_is_not_verified_rather_than_nothing_happened(make):
    update = make(date(2026, 6, 1), date(2026, 12, 6), "es")
    treaty = _part(update, "treaty")
    assert not treaty.items and "verificados hasta el 3 de febrero de 2026" in treaty.empty
    reviews = _part(update, "reviews")
    assert reviews.items and all("sin confirmar que se celebró" in item.text for item in reviews.items)  # inferred


def test_the_next_three_months_follow_the_calendar(make):
    update = make(date(2025, 1, 1), date(2025, 12, 1))
    ahead = _part(update, "ahead")
    assert ahead.title == "The next three months, to 1 March 2026"
    assert "Dominica: initial report due on 3 January 2026 (SIDS)" in [item.text for item in ahead.items]


def test_the_email_has_a_plain_text_and_an_html_part_and_needs_nothing_from_elsewhere(make):
    update = make(date(2025, 6, 1), date(2026, 2, 3), "fr")
    message = email.message_from_bytes(files.to_email(update), policy=policy.default)
    assert message["Subject"] == f"Note de la CTI{NO_BREAK}: du 1er juin 2025 au 3 février 2026"  # French typography
    assert message["Content-Language"] == "fr" and message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Colombie" in text and "Colombie" in html
    assert '<html lang="fr">' in html
    # inline styles only, no stylesheet, script, image, font or frame; no address outside the message
    assert not re.search(r"<(style|script|link|img|iframe|object)\b", html)
    assert "url(" not in html and "@import" not in html and "http" not in html
    assert 'style="' in html
    with_links = files.to_html(update, "https://uncat.example.org")
    assert 'href="https://uncat.example.org/country?state=COL&amp;lang=fr"' in with_links


def test_the_pdf_is_one_tagged_page(make, tmp_path):
    path = tmp_path / "update.pdf"
    path.write_bytes(files.to_pdf(make(date(2025, 6, 1), date(2026, 2, 3), "es")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and re.search(r"Tagged:\s+yes", info)


def test_the_command_writes_the_e_mail_html_in_spanish(tmp_path, capsys):
    from app.update import main

    out = tmp_path / "update.html"
    command = [sys.executable, "-m", "app.update", "--since", "2026-06-01", "--lang", "es", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=600)
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Nota informativa para el Grupo de Amigos de la CTI" in html
    # The refusal through the same entry point, in this process (the command's start-up is shown above).
    wrong = main([*command[3:4], "2999-01-01", *command[5:]])
    assert wrong == 2 and "--since must be before" in capsys.readouterr().err


def test_the_page_keeps_its_dates_in_the_url_and_offers_four_files(built_db, downloads):
    from tests.apptest import open_page, url_value

    at = open_page("views/update.py", lang="en", since="2025-06-01", as_of="2026-02-03")
    assert (url_value(at, "since"), url_value(at, "as_of")) == ("2025-06-01", "2026-02-03")
    assert [s.value for s in at.subheader][0] == "Deposits and declarations"
    assert {name.rsplit(".", 1)[-1] for name in downloads} == {"eml", "html", "txt", "pdf"}
