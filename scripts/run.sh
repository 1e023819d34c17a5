#!/bin/sh
# Install what the dashboard needs into .venv and start it (the database is built on first start).
set -eu
cd "$(dirname "$0")/.."
. scripts/venv.sh
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec "$PY" -m streamlit run streamlit_app.py "$@"
