"""Benchmark: how long the annual report takes to build, as the Secretariat builds it, and its page count.

Run: .venv/bin/python bench/report.py [--years 2015,2020,2025] [--langs en,fr,es] [--format pdf] [--json]

Each report is built by the command a person runs (`python -m app.report --year Y --lang L --out F`), in its
own process, so the time includes starting Python, the imports, reading the database, rendering the charts
(vl-convert) and laying out the pages (WeasyPrint). It prints, per report: the wall-clock seconds, the CPU
seconds of the process (user + system: what the machine's other load cannot inflate), the pages (pdfinfo)
and whether the PDF holds any picture (pdfimages: none means every chart is vector). Goal: under 20 s each.
A benchmark, never a test: the machine is shared, so read the CPU time beside the wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 20


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(year: int, lang: str, suffix: str, folder: Path) -> dict:
    out = folder / f"report-{year}-{lang}.{suffix}"
    command = [sys.executable, "-m", "app.report", "--year", str(year), "--lang", lang, "--out", str(out)]
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    row = {"year": year, "lang": lang, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "bytes": out.stat().st_size}
    if suffix == "pdf":
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
        row["pages"] = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        row["tagged"] = bool(re.search(r"Tagged:\s+yes", info))
        row["pictures"] = len(images.strip().splitlines()) - 2  # pdfimages prints two header lines
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", default="2015,2020,2025")
    parser.add_argument("--langs", default="en,fr,es")
    parser.add_argument("--format", default="pdf", choices=["pdf", "docx", "html"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    # The database is built once before the first run, not inside the first measured report.
    subprocess.run([sys.executable, "-m", "etl"], cwd=ROOT, check=True, capture_output=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="uncat-report-bench-") as folder:
        for year in (int(y) for y in args.years.split(",")):
            for lang in args.langs.split(","):
                rows.append(run(year, lang, args.format, Path(folder)))
                if not args.json:
                    print(rows[-1], flush=True)
    load = os.getloadavg()
    summary = {
        "goal_s": GOAL_SECONDS,
        "max_wall_s": max(row["wall_s"] for row in rows),
        "max_cpu_s": max(row["cpu_s"] for row in rows),
        "load_average": [round(value, 1) for value in load],
        "cores": os.cpu_count(),
    }
    if args.json:
        print(json.dumps({"runs": rows, "summary": summary}, indent=2))
    else:
        print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
