"""The dashboard's server: Streamlit serving streamlit_app.py, hardened (app/guard.py, app/http_guard.py).

Started by `python -m app.serve`, which also sets what must be set before the server exists (the
trusted proxies) and warms the caches; `streamlit run asgi.py` serves the same app without those.
"""

import streamlit as st
from starlette.middleware import Middleware

from app import guard, http_guard

guard.harden_runtime()
app = st.App("streamlit_app.py", middleware=[Middleware(http_guard.BrowserGuard)])
