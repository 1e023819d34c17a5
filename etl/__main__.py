"""Command line: `python -m etl` builds the database and publishes the open data; import-* refresh data/ from saved sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.config import data_dir, database_path, public_dir
from etl.build import build
from etl.engagement_import import run as run_engagement_import
from etl.opendata import publish
from etl.untc_import import run_import
from etl.validate import SHOWN_PROBLEMS, InputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="input folder (default: data/ or UNCAT_DATA_DIR)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: UNCAT_DB or data/uncat.duckdb)")
    parser.add_argument(
        "--public-dir", type=Path, default=None, help="open data and feeds (default: UNCAT_PUBLIC_DIR or static/data/)"
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="validate data/ and build the database (the default)")
    verify = commands.add_parser(
        "verify",
        help="print how each engagement fact is known, coverage, broken invariants (exit 1), notices and conflicts",
    )
    verify.add_argument(
        "--notices", type=int, default=50, help="notices listed one by one (default 50; the count is always given)"
    )
    untc = commands.add_parser("import-untc", help="compare a saved UN Treaty Collection status page with data/")
    untc.add_argument("--treaty", required=True, choices=["CAT", "OPCAT"])
    untc.add_argument("--apply", action="store_true", help="write the differences into data/ and rebuild")
    untc.add_argument("page", type=Path, help="the status page saved as HTML")
    imports = {
        "import-upr": (
            "upr",
            "compare UPR files with data/: recommendations (the UPR Info database export, all topics: each text "
            "is classified and those on CAT or OPCAT kept; OHCHR Universal Human Rights Index or UN document "
            "extracts) or a calendar (session, cycle, start_date, end_date, date_precision, state or iso3, "
            "source; from the OHCHR UPR calendar)",
        ),
        "import-apt": ("apt", "compare the APT legal indicators workbook (XLSX) with data/"),
        "import-cti": ("cti", "compare a CSV of public CTI events (date, activity, place, states_named, ...) with data/"),
    }
    for name, (_, text) in imports.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--apply", action="store_true", help="write the differences into data/ and rebuild")
        command.add_argument("file", type=Path, nargs="+", help="one file or several, compared in the order given")
    topics = commands.add_parser(
        "upr-topics",
        help="rank the instruments UPR recommendations ask states to ratify, per cycle, from the UPR Info full exports "
        "(data/upr_topic_ranking.json; a dry run without --apply)",
    )
    topics.add_argument("--apply", action="store_true", help="write data/upr_topic_ranking.json")
    topics.add_argument("file", type=Path, nargs="+", help="the exports, sessions_*.csv")
    args = parser.parse_args(argv)
    folder = args.data_dir or data_dir()
    database = args.db or database_path()
    try:
        if args.command == "verify":
            from etl.verify import main as verify_main

            return verify_main(folder, args.notices)
        if args.command == "upr-topics":
            from etl.upr_topics import main as topics_main

            return topics_main(args.file, folder, args.apply)
        if args.command == "import-untc":
            status = run_import(args.page, args.treaty, folder, database, args.apply)
        elif args.command in imports:
            status = run_engagement_import(imports[args.command][0], args.file, folder, database, args.apply)
        else:
            build(folder, database)
            status = 0
        if status == 0 and (args.command in (None, "build") or args.apply):
            written = publish(database, args.public_dir or public_dir())
            print(f"[etl] open data and feeds: {len(written)} files in {written[0].parent}", file=sys.stderr)
        return status
    except InputError as exc:
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            print(f"error: {problem}", file=sys.stderr)
        shown = f" (the first {SHOWN_PROBLEMS} are listed)" if len(exc.problems) > SHOWN_PROBLEMS else ""
        print(f"{len(exc.problems)} problem(s) in the inputs{shown}; the database was not changed.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
