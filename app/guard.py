"""What the Streamlit server holds for a session: uploads only from a signed-in session, confidential files gone at sign-out.

Streamlit hands upload URLs to any session that asks and keeps the bytes PUT to them until the
session ends; a download button's file stays at its media URL, readable without a cookie, until
Streamlit sweeps it. `install()` (called by the router, once per process) makes the server refuse
upload URLs and uploaded bytes to a session that is not signed in, and ends the sign-ins, files
and uploads of sessions that have gone. `private_download` builds a confidential file only when
its button is pressed, only while the sign-in lasts, and `forget` deletes it at sign-out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from app import auth

SWEEP_SECONDS = 30
_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_installed = False
_private_files: dict[str, set[str]] = defaultdict(set)  # session id -> media file ids of confidential downloads


def _runtime():
    """The running Streamlit server's Runtime, or None (a script run outside a server, or AppTest's stand-in)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    runtime = Runtime.instance()
    return runtime if type(runtime) is Runtime else None


def current_session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.session_id


class UploadRefused(Exception):
    """Bytes PUT by a session that is not signed in."""


def _refusal() -> Exception:
    try:
        from starlette.exceptions import HTTPException
    except ImportError:  # another server: the upload still fails, with a 500
        return UploadRefused("sign in first")
    return HTTPException(status_code=403, detail="Sign in first.")


def guard_uploads(manager, allowed: Callable[[str], bool]) -> None:
    """Make an uploaded-file manager hand out URLs and accept bytes only for sessions `allowed` says yes to."""
    add_file, get_upload_urls = manager.add_file, manager.get_upload_urls

    def guarded_add_file(session_id: str, file) -> None:
        if not allowed(session_id):
            _LOG.warning("upload refused: session %s is not signed in", session_id)
            raise _refusal()
        add_file(session_id=session_id, file=file)

    def guarded_upload_urls(session_id: str, file_names):
        if not allowed(session_id):
            _LOG.warning("upload URLs refused: session %s is not signed in", session_id)
            return []
        return get_upload_urls(session_id, file_names)

    manager.add_file = guarded_add_file
    manager.get_upload_urls = guarded_upload_urls


def install() -> None:
    """Once per server process: guard the uploads and start sweeping ended sessions (a no-op outside a server)."""
    global _installed
    runtime = _runtime()
    if runtime is None or _installed:
        return
    with _lock:
        if _installed:
            return
        guard_uploads(runtime.uploaded_file_mgr, lambda session_id: auth.SIGN_INS.session_signed_in(session_id))
        threading.Thread(target=_sweep_forever, args=(runtime,), name="uncat-sign-in-sweeper", daemon=True).start()
        _installed = True


def sweep(runtime) -> None:
    """End the sign-ins that expired or whose session is gone, and forget what those sessions held."""
    ended = auth.SIGN_INS.end_where(lambda session_id: not runtime.is_active_session(session_id))
    with _lock:
        holding = set(_private_files)
    for session_id in ended | {s for s in holding if not auth.SIGN_INS.session_signed_in(s)}:
        forget(session_id, runtime=runtime)


def _sweep_forever(runtime) -> None:
    while True:
        time.sleep(SWEEP_SECONDS)
        try:
            sweep(runtime)
        except Exception:  # the sweeper must outlive one bad pass
            _LOG.exception("sweeping ended sessions failed")


def forget(session_id: str | None, resumable: bool = True, runtime=None) -> None:
    """Delete the session's confidential files and uploaded bytes now; with resumable=False, a reconnection
    naming this session gets a new one (as Streamlit's own logout does)."""
    runtime = runtime or _runtime()
    if session_id is None or runtime is None:
        return
    with _lock:
        file_ids = _private_files.pop(session_id, set())
    storage = getattr(runtime.media_file_mgr, "_storage", None)
    for file_id in file_ids if storage is not None else ():
        storage.delete_file(file_id)
    runtime.uploaded_file_mgr.remove_session_files(session_id)
    if not resumable:
        runtime.mark_session_nonresumable(session_id)


def private_download(token: str, build: Callable[[], bytes], mimetype: str, filename: str) -> Callable[[], bytes]:
    """The `data` of a download button for confidential records: built when pressed, refused once the
    sign-in has ended, and remembered so that `forget` deletes it at sign-out."""
    session_id = current_session_id()

    def generate() -> bytes:
        if auth.SIGN_INS.check(token) != "active":
            raise PermissionError("the sign-in has ended")
        content = build()
        runtime = _runtime()
        storage = None if runtime is None else getattr(runtime.media_file_mgr, "_storage", None)
        if storage is not None and session_id is not None:
            from streamlit.runtime.media_file_storage import MediaFileKind

            # The storage names a file by its content, so this is the id Streamlit stores it under next.
            file_id = storage.load_and_get_id(content, mimetype, MediaFileKind.DOWNLOADABLE, filename)
            with _lock:
                _private_files[session_id].add(file_id)
        return content

    return generate
