"""The Group of Friends' update as files: an e-mail (HTML with inline styles and a plain-text part), HTML, text, PDF.

    python -m app.update --since 2026-06-01 --lang es --out update.html   (or .eml, .txt, .pdf; --as-of defaults to today)

All from the same Update (app/digest.py) as the page. The HTML needs nothing from elsewhere: styles are
inline, there is no image, font or script to fetch, so it reads the same in a mail client offline. A state's
name links to its profile when the dashboard's public address is set (UNCAT_PUBLIC_URL); otherwise no link.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import jinja2

from app.brief import render_pdf
from app.digest import Update
from app.report import TEMPLATES

HTML_TEMPLATE = "update.html"
TEXT_WIDTH = 76


def context(update: Update, base_url: str = "") -> dict:
    """The update as plain values: the same words in the HTML, the text and the PDF."""
    query = "" if update.lang == "en" else f"&lang={update.lang}"
    return {
        "lang": update.lang,
        "title": update.title,
        "subject": update.subject,
        "period": update.period,
        "headline": update.headline,
        "parts": [
            {
                "key": part.key,
                "title": part.title,
                "items": [
                    {"text": item.text, "link": f"{base_url}/country?state={item.iso3}{query}" if base_url and item.iso3 else ""}
                    for item in part.items
                ],
                "empty": part.empty,
                "more": part.more,
                "note": part.note,
            }
            for part in update.parts
        ],
        "footer": list(update.footer),
    }


def to_html(update: Update, base_url: str = "") -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.get_template(HTML_TEMPLATE).render(**context(update, base_url))


def to_text(update: Update) -> str:
    """The plain-text part: the same content, wrapped for a mail client."""

    def wrapped(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)) or [""]

    lines = [update.title, "=" * min(len(update.title), TEXT_WIDTH), *wrapped(update.period), "", *wrapped(update.headline)]
    for part in update.parts:
        lines += ["", part.title, "-" * min(len(part.title), TEXT_WIDTH)]
        if part.items:
            for item in part.items:
                lines += wrapped(item.text, "- ")
        else:
            lines += wrapped(part.empty)
        for extra in (part.more, part.note):
            if extra:
                lines += wrapped(extra)
    lines.append("")
    for line in update.footer:
        lines += wrapped(line)
    return "\n".join(lines) + "\n"


def to_email(update: Update, base_url: str = "") -> bytes:
    """A draft e-mail (no sender, no recipient): the plain-text part and the HTML part as alternatives."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = update.subject
    message.set_content(to_text(update))
    message.add_alternative(to_html(update, base_url), subtype="html")
    message["Content-Language"] = update.lang  # after the parts: making the message multipart drops content headers
    return message.as_bytes()


def to_pdf(update: Update) -> bytes:
    return render_pdf(to_html(update))


def write(update: Update, out: Path, base_url: str = "") -> None:
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        out.write_bytes(to_pdf(update))
    elif suffix == ".eml":
        out.write_bytes(to_email(update, base_url))
    elif suffix == ".txt":
        out.write_text(to_text(update), encoding="utf-8")
    else:
        out.write_text(to_html(update, base_url), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from app import digest, queries, snapshot
    from app.db import Database
    from core.config import database_path, public_url
    from core.i18n import languages
    from etl.build import ensure_current

    parser = argparse.ArgumentParser(prog="python -m app.update", description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", type=date.fromisoformat, required=True, help="YYYY-MM-DD: what changed after this day")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--lang", default="en", choices=sorted(languages()))
    parser.add_argument("--out", type=Path, required=True, help="a .html, .eml, .txt or .pdf file")
    args = parser.parse_args(argv)
    as_of = args.as_of or date.today()
    if args.out.suffix.lower() not in (".html", ".eml", ".txt", ".pdf"):
        print("error: --out must end in .html, .eml, .txt or .pdf", file=sys.stderr)
        return 2
    if args.since >= as_of:
        print(f"error: --since must be before {as_of.isoformat()}", file=sys.stderr)
        return 2
    ensure_current(database_path())
    database = Database(database_path())
    try:
        then, now = snapshot.take(database, args.since), snapshot.take(database, as_of)
        facts = queries.span_facts(database, args.since, as_of)
    finally:
        database.close()
    write(digest.build(then, now, facts, args.since, as_of, args.lang, date.today()), args.out, public_url())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
