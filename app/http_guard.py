"""What the HTTP layer lets through before Streamlit sees a request: a cookie naming each browser, no dot-files, uploads.

An ASGI middleware, given to Streamlit's server by asgi.py (`st.App(middleware=...)`):

- Each browser gets a random token in a cookie (`auth.BROWSER_COOKIE`: HttpOnly, so no script reads it;
  SameSite=Strict, so no other site's page or frame sends it; Secure over HTTPS). A sign-in belongs to
  the browser holding it (`auth.SIGN_INS`).
- On the websocket, the token's key is passed to Streamlit as the header BROWSER_HEADER (a value a
  client sends under that name is dropped). `.streamlit/config.toml` maps it into Streamlit's user
  info (server.trustedUserHeaders), and Streamlit lets a session be resumed only by a connection with
  the same user info: another browser naming a session id gets a new session.
- Uploaded bytes are taken only from the browser signed in in the session the upload URL names.
- A path with a segment starting with a dot (temporary files while the open data are written, any
  hidden file under static/) is never served.
"""

from __future__ import annotations

import re

from starlette.requests import cookie_parser

from app import auth

BROWSER_HEADER = b"x-uncat-browser"
_UPLOAD = re.compile(r"/_stcore/upload_file/([^/]+)/")


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def browser_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The browser's token from the request's cookies, or None (absent or not one we could have set).

    Read as Streamlit reads the cookies it shows the app (st.context.cookies), so both see the same token.
    """
    token = cookie_parser(_header(headers, b"cookie") or "").get(auth.BROWSER_COOKIE)
    return token if auth.browser_key(token) else None


def hidden(path: str) -> bool:
    """A path naming a dot-file or a dot-folder."""
    return any(part.startswith(".") for part in path.split("/"))


async def _respond(send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BrowserGuard:
    """The middleware (see the module's docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = [(name, value) for name, value in scope["headers"] if name != BROWSER_HEADER]
        token = browser_token(headers)
        key = auth.browser_key(token)
        if key is not None:
            headers.append((BROWSER_HEADER, key.encode("ascii")))
        scope = {**scope, "headers": headers}
        if scope["type"] == "http":
            path = scope.get("path", "")
            if hidden(path):
                await _respond(send, 404, "Not found.")
                return
            upload = _UPLOAD.search(path)
            if upload and not auth.SIGN_INS.session_signed_in(upload.group(1), key):
                await _respond(send, 403, "Sign in first.")
                return
            # A page reached from another site's link comes without SameSite=Strict cookies even when the browser
            # holds one: no new token then (it would replace the held one); the page's own requests set it if needed.
            if token is None and _header(headers, b"sec-fetch-site") != "cross-site":
                send = _setting_cookie(send, secure=scope.get("scheme") == "https")
        await self.app(scope, receive, send)


def _setting_cookie(send, secure: bool):
    cookie = f"{auth.BROWSER_COOKIE}={auth.new_browser_token()}; Path=/; HttpOnly; SameSite=Strict" + (
        "; Secure" if secure else ""
    )

    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode("ascii"))]}
        await send(message)

    return sending
