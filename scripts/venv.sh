# Sourced by run.sh and test.sh: make (once) and use the project's own virtual environment.
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        BASE_PY=$candidate
        break
    fi
done
if [ -z "${BASE_PY:-}" ]; then
    echo "error: Python 3.11 or newer is needed (python3 --version)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$BASE_PY" -m venv .venv
fi
PY=.venv/bin/python
