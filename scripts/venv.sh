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

# install_requirements FILE: the pinned packages of FILE into .venv. uv (requirements-installer.txt) where it can be
# had, pip otherwise (no uv for this platform, no index reachable for it) or where uv fails; both install the
# versions FILE pins. The bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, nothing else
# writes it, and every process of the dashboard and of the suite would compile its imports again.
install_requirements() {
    case "$("$PY" -m uv --version 2>/dev/null)" in  # "uv 0.13.8 (platform)": the pinned uv is there already
        "uv $(sed -n 's/^uv==//p' requirements-installer.txt) "*) UV_READY=yes ;;
        *) UV_READY=no ;;
    esac
    if [ "$UV_READY" = yes ] \
        || "$PY" -m pip install --quiet --disable-pip-version-check -r requirements-installer.txt >/dev/null 2>&1; then
        if "$PY" -m uv pip install --quiet --python "$PY" --compile-bytecode -r "$1"; then
            return 0
        fi
        echo "warning: uv could not install $1; pip installs it" >&2
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$1"
}
