#!/bin/sh
# Install what the dashboard needs into .venv, build the database and the open data if needed, start it
# warm (every page computed once before the server listens).
set -eu
cd "$(dirname "$0")/.."
. scripts/venv.sh
install_requirements requirements.txt
# The database and the open data (static/data/), built when missing or when data/ changed.
"$PY" -m etl.opendata --check || "$PY" -m etl
exec "$PY" -m app.serve "$@"  # then Streamlit, in the same process (python -m streamlit run streamlit_app.py works too)
