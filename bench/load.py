"""Load benchmark: N viewers arriving over a window, over the websocket the browser uses.

Run: .venv/bin/python bench/load.py [--viewers 25 50 100] [--window 60] [--pages forum map]
     .venv/bin/python bench/load.py --dates-only --date-pages map forum timeline calendar

For each count it starts a fresh server of the dashboard (warm, as `python -m app.serve` starts
it) and a fresh server of an empty Streamlit page, both on loopback, and opens N sessions to each
page, arriving at random (fixed seed) within the window. Each session sends what a browser sends
(a `rerun_script` BackMsg with the page and its query string) and waits for `script_finished`.
It reports, per page and beside the empty page of the same run: p50/p95/max seconds to the first
finished run, errors (exceptions shown, timeouts, closed sockets), bytes received per session,
and the server's peak RSS. It also times the first /forum visit after a warm start and after a
plain `streamlit run`, and 10 viewers at once with 10 different dates against 10 with one date.
Ratios, not seconds, are the result: the machines are shared and noisy.
Bounded: at most 200 sessions per page, 120 s per session, loopback only; it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY = ROOT / "bench" / "empty_page.py"
MAX_SESSIONS = 200
SESSION_TIMEOUT = 120.0
sys.path.insert(0, str(ROOT))

from app.serve import loopback  # noqa: E402 - after the path set-up above


@contextmanager
def server(command: list[str], env: dict | None = None):
    """A Streamlit server on a free loopback port; yields (url, pid, seconds until healthy)."""
    started = time.monotonic()
    with loopback(command, env, timeout=300) as (url, process):
        yield url, process.pid, time.monotonic() - started


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_session(url: str, page: str, query: str) -> tuple[float, int, str | None]:
    """Open a session, run the page once; returns (seconds to script_finished, bytes received, error)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    started = time.monotonic()
    received = 0
    error = None
    try:
        async with asyncio.timeout(SESSION_TIMEOUT):
            async with connect(
                url.replace("http", "ws") + "/_stcore/stream",
                subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
                max_size=None,
                compression=None,
            ) as ws:
                message = BackMsg()
                message.rerun_script.query_string = query
                message.rerun_script.page_name = page
                await ws.send(message.SerializeToString())
                while True:
                    frame = await ws.recv()
                    received += len(frame)
                    forward = ForwardMsg()
                    forward.ParseFromString(frame)
                    kind = forward.WhichOneof("type")
                    if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
                        error = error or "exception shown"
                    if kind == "script_finished":
                        if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                            error = error or f"script_finished {forward.script_finished}"
                        break
    except TimeoutError:
        error = "timeout"
    except Exception as exc:  # noqa: BLE001 - any failure of a session is counted, never raised
        error = type(exc).__name__
    return time.monotonic() - started, received, error


async def arrivals(url: str, page: str, query: str, viewers: int, window: float, seed: int) -> list:
    rng = random.Random(seed)  # noqa: S311 - arrival times, not secrets
    delays = sorted(rng.uniform(0, window) for _ in range(min(viewers, MAX_SESSIONS)))

    async def later(delay: float):
        await asyncio.sleep(delay)
        return await one_session(url, page, query)

    return await asyncio.gather(*(later(delay) for delay in delays))


def summary(results: list[tuple[float, int, str | None]]) -> dict:
    times = sorted(seconds for seconds, _, error in results if error is None)
    errors = [error for _, _, error in results if error is not None]

    def quantile(q: float) -> float:
        return times[min(len(times) - 1, round(q * (len(times) - 1)))] if times else float("nan")

    return {
        "p50": quantile(0.5),
        "p95": quantile(0.95),
        "max": max(times) if times else float("nan"),
        "errors": len(errors),
        "kb": statistics.median(size for _, size, _ in results) / 1024,
        "why": sorted(set(errors)),
    }


async def dates_at_once(url: str, page: str, queries: list[str]) -> list[tuple[float, int, str | None]]:
    return await asyncio.gather(*(one_session(url, page, query) for query in queries))


def date_spread(command: list[str], page: str, count: int = 10) -> tuple[dict, dict]:
    """`count` viewers at once with the same date, then (fresh server) with `count` different dates."""
    rng = random.Random(15)  # noqa: S311 - dates, not secrets
    different = [f"as_of={1990 + rng.randrange(36)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}" for _ in range(count)]
    results = []
    for queries in ([different[0]] * count, different):
        with server(command) as (url, _, _):
            results.append(summary(asyncio.run(dates_at_once(url, page, queries))))
    return results[0], results[1]


def different_dates(command: list[str], pages: list[str]) -> None:
    print("10 viewers at once, each with a date the cache has never seen, against 10 with one date (slowest):")
    for page in pages:
        same, different = date_spread(command, page)
        print(f"  /{page}: {different['max']:.2f} s against {same['max']:.2f} s ({different['max'] / same['max']:.1f}x)")


def first_forum_visit(command: list[str]) -> tuple[float, float]:
    """(seconds until the server is healthy, seconds for the first /forum run after that)."""
    with server(command) as (url, _, ready):
        seconds, _, error = asyncio.run(one_session(url, "forum", ""))
        if error:
            print(f"  first /forum visit: {error}")
        return ready, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, nargs="+", default=[25, 50, 100])
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the viewers arrive")
    parser.add_argument("--pages", nargs="+", default=["forum", "map"])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-first-visit", action="store_true", help="also skips the different-dates comparison")
    parser.add_argument("--date-pages", nargs="+", default=["map", "forum"], help="pages of the different-dates comparison")
    parser.add_argument("--dates-only", action="store_true", help="only the different-dates comparison")
    args = parser.parse_args()
    python = sys.executable
    warm_app = [python, "-m", "app.serve"]
    cold_app = [python, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")]
    empty = [python, "-m", "streamlit", "run", str(EMPTY)]

    if args.dates_only:
        different_dates(warm_app, args.date_pages)
        return
    if not args.skip_first_visit:
        print("first /forum visit after the server says it is ready:")
        for name, command in (("warm start (python -m app.serve)", warm_app), ("plain streamlit run", cold_app)):
            ready, seconds = first_forum_visit(command)
            print(f"  {name}: ready after {ready:.1f} s, first /forum run {seconds:.2f} s")
        different_dates(warm_app, args.date_pages)

    print(f"\nviewers arriving at random within {args.window:.0f} s; seconds to the first finished run")
    print("| viewers | page | p50 | p95 | max | p95 / empty p95 | errors | KB per viewer | server peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for viewers in args.viewers:
        with server(empty) as (url, pid, _):
            base = summary(asyncio.run(arrivals(url, "", "", viewers, args.window, args.seed)))
            base_rss = peak_rss_mib(pid)
        print(
            f"| {viewers} | empty page | {base['p50']:.2f} | {base['p95']:.2f} | {base['max']:.2f} | 1.0 | {base['errors']} "
            f"| {base['kb']:.0f} | {base_rss:.0f} MiB |"
        )
        with server(warm_app) as (url, pid, _):
            for page in args.pages:
                result = summary(asyncio.run(arrivals(url, page, "", viewers, args.window, args.seed)))
                ratio = result["p95"] / base["p95"] if base["p95"] else float("nan")
                why = f" ({', '.join(result['why'])})" if result["why"] else ""
                print(
                    f"| {viewers} | /{page} | {result['p50']:.2f} | {result['p95']:.2f} | {result['max']:.2f} | {ratio:.1f} "
                    f"| {result['errors']}{why} | {result['kb']:.0f} | {peak_rss_mib(pid):.0f} MiB |"
                )


if __name__ == "__main__":
    main()
