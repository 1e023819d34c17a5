#!/bin/sh
# Install what the tests need into .venv and run the whole suite (browser tests included) on parallel workers.
# Arguments go to pytest: `sh scripts/test.sh -m "not browser"` leaves the browser tests out, `-n 0` runs serially.
set -eu
cd "$(dirname "$0")/.."
. scripts/venv.sh
install_requirements requirements-dev.txt
# Browser tests drive Chromium: a system one (Debian's chromium-headless-shell or chromium, UNCAT_CHROMIUM) or
# Playwright's own.
if [ -z "${UNCAT_CHROMIUM:-}" ] && ! command -v chromium-headless-shell >/dev/null 2>&1 \
    && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    "$PY" -m playwright install chromium || echo "warning: no Chromium found and Playwright could not download one" >&2
fi
# The accessibility test injects axe-core (tests/axe/package.json pins it; the lock file holds its checksum) from
# tests/axe/node_modules, which git ignores. Without npm the test skips on a laptop and fails in CI.
if command -v npm >/dev/null 2>&1; then
    npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
else
    echo "warning: npm not found: the axe-core accessibility test will skip" >&2
fi
# Bytecode kept, even where PYTHONDONTWRITEBYTECODE is set (as on the CI machine): pytest rewrites the asserts of
# every test module and of its plugins, and Python compiles the project's modules, once, into __pycache__ (which git
# ignores); without it every worker, server and command run by a test did it again (the in-process tier on two
# workers: 283 CPU-s against 310).
unset PYTHONDONTWRITEBYTECODE
# Workers (pytest-xdist): the browser tests mostly wait on Chromium and the server, so more workers than cores pay.
# Each test file stays on one worker, so a module's own server or fixture starts once.
exec "$PY" -m pytest -n "${UNCAT_TEST_WORKERS:-3}" --dist loadfile "$@"
