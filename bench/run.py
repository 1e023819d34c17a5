"""Benchmark: ETL time, warm rerun of each page as a ratio to an empty page, and peak memory.

Run: .venv/bin/python bench/run.py [--reruns N]. Prints ratios measured in the same run; it never
fails on a number (the budget, 2x the empty page, is reported, not asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.serve import PAGES as SERVED_PAGES  # noqa: E402 - after the path set-up above

ROUTER = str(ROOT / "streamlit_app.py")
EMPTY = str(ROOT / "bench" / "empty_page.py")
# Every page of the router: the list the warm start runs (app/serve.py).
PAGES = list(SERVED_PAGES)
# Pages that need URL parameters to show their content.
PARAMS = {"views/country.py": {"state": "FJI"}}
BUDGET = 2.0


def time_etl(workdir: Path, repeat: int = 3) -> float:
    from etl.build import build

    times = []
    for i in range(repeat):
        start = time.perf_counter()
        build(ROOT / "data", workdir / f"etl-{i}.duckdb", quiet=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_rerun(script: str, page: str | None, reruns: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=120)
    for key, value in PARAMS.get(page, {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mib(script: str, pages: list[str]) -> float:
    """Peak RSS of a fresh process that renders the given pages."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({script!r}, default_timeout=120)
at.run()
for page in {pages!r}:
    at.switch_page(page)
    at.run()
try:  # VmHWM starts afresh at exec; ru_maxrss would include the forking parent's peak
    print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=15)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="uncat-bench-"))
    try:
        os.environ["UNCAT_DB"] = str(workdir / "bench.duckdb")
        etl_seconds = time_etl(workdir)
        shutil.copy2(workdir / "etl-0.duckdb", workdir / "bench.duckdb")
        baseline = warm_rerun(EMPTY, None, args.reruns)
        results = {"etl_seconds": round(etl_seconds, 3), "empty_page_ms": round(baseline * 1000, 1), "pages": {}}
        print(f"ETL build (median of 3): {etl_seconds:.2f} s")
        print(f"empty page warm rerun: {baseline * 1000:.1f} ms (baseline = 1.00x)")
        for page in PAGES:
            seconds = warm_rerun(ROUTER, page, args.reruns)
            ratio = seconds / baseline
            verdict = "within budget" if ratio <= BUDGET else f"OVER the {BUDGET:.0f}x budget"
            results["pages"][page] = {"ms": round(seconds * 1000, 1), "ratio": round(ratio, 2)}
            print(f"{page}: {seconds * 1000:.1f} ms warm rerun = {ratio:.2f}x empty page ({verdict})")
        empty_mib = peak_memory_mib(EMPTY, [])
        app_mib = peak_memory_mib(ROUTER, PAGES)
        results.update(
            empty_peak_mib=round(empty_mib, 1), app_peak_mib=round(app_mib, 1), memory_ratio=round(app_mib / empty_mib, 2)
        )
        print(f"peak memory: app {app_mib:.0f} MiB, empty page {empty_mib:.0f} MiB ({app_mib / empty_mib:.2f}x)")
        print(json.dumps(results))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
