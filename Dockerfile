# The dashboard in one image: pages, open data and feeds served by one Streamlit process.
# Build: docker build -t uncat-dashboard .
# Run:   docker run -p 8501:8501 -v uncat-activities:/app/data/activities -e UNCAT_SECRETARIAT_HASH=... uncat-dashboard
# Uploaded activity records live in that volume, never in the image (.dockerignore keeps them and the secrets
# file out of the build); behind deploy/Caddyfile, also set UNCAT_TRUSTED_PROXIES (see SECURITY.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UNCAT_HOME=/app \
    PORT=8501

# WeasyPrint (the PDF brief) needs Pango; fonts for the brief and the chart exports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin uncat
WORKDIR /app

COPY requirements.txt ./
RUN python -m pip install -r requirements.txt

COPY --chown=uncat:uncat . .
USER uncat

# The database, the open data bundle and the feeds are built into the image (static/data/), from the shipped data.
RUN python -m etl
# Uploads are written here at run time: a volume (a named one keeps them across containers), declared after the
# build so that nothing written to it enters an image layer. The entrypoint rebuilds when it holds new files.
VOLUME ["/app/data/activities"]

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4)"

ENTRYPOINT ["sh", "scripts/docker-entrypoint.sh"]
