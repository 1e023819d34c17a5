#!/bin/sh
# Container start: rebuild the database and the open data if data/ changed (e.g. a mounted volume), then serve,
# hardened and warm (python -m app.serve: UNCAT_TRUSTED_PROXIES, UNCAT_WARM_LANGS).
# PORT (default 8501) and UNCAT_ADDRESS (default 0.0.0.0) choose where the server listens; arguments go to streamlit.
set -eu
cd "${UNCAT_HOME:-$(dirname "$0")/..}"
PY="${PYTHON:-python}"
if ! "$PY" -m etl.opendata --check; then
    "$PY" -m etl
fi
exec "$PY" -m app.serve \
    --server.address "${UNCAT_ADDRESS:-0.0.0.0}" \
    --server.port "${PORT:-8501}" \
    --server.headless true \
    "$@"
