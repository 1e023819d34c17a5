"""What the Streamlit server does for a session: no developer messages, uploads only when signed in, files gone at sign-out.

`harden_runtime()` (called by asgi.py before the server starts, and by `install()`) makes every
session ignore the messages only a developer's browser sends (clear the caches, run on save, the
git panel, test hooks), keeps the server's file paths out of the session's first message, and runs
a deferred download only for the session that drew its button.

Streamlit hands upload URLs to any session that asks and keeps the bytes PUT to them until the
session ends; a download button's file stays at its media URL, readable without a cookie, until
Streamlit sweeps it. `install()` (called by the router, once per process) makes the server refuse
upload URLs and uploaded bytes to a session that is not signed in from its browser, and ends the
sign-ins, files and uploads of sessions that have gone. `private_download` builds a confidential
file only when its button is pressed, only while the sign-in lasts, and `forget` deletes it at
sign-out.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from app import auth

SWEEP_SECONDS = 30
_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_installed = False
_hardened = False
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


def client_browser(session_id: str | None) -> str | None:
    """The browser key (`auth.browser_key` of its cookie) of the client connected to the session now, or None."""
    runtime = _runtime()
    client = None if runtime is None or session_id is None else runtime.get_client(session_id)
    context = getattr(client, "client_context", None)
    return None if context is None else auth.browser_key(context.cookies.get(auth.BROWSER_COOKIE))


def install() -> None:
    """Once per server process: guard the uploads and start sweeping ended sessions (a no-op outside a server)."""
    global _installed
    runtime = _runtime()
    if runtime is None or _installed:
        return
    harden_runtime()  # already done by asgi.py; here too for a server started with `streamlit run streamlit_app.py`
    with _lock:
        if _installed:
            return
        guard_uploads(
            runtime.uploaded_file_mgr, lambda session_id: auth.SIGN_INS.session_signed_in(session_id, client_browser(session_id))
        )
        threading.Thread(target=_sweep_forever, args=(runtime,), name="uncat-sign-in-sweeper", daemon=True).start()
        _installed = True


# What a browser sends that only a developer's needs: the menu's "Clear cache" (every shared cache, for every
# user) and "Run on save", the git panel (the server's repository, branch and file names), Streamlit's test hooks.
DEVELOPER_MESSAGES = frozenset(
    {"clear_cache", "set_run_on_save", "load_git_info", "debug_disconnect_websocket", "debug_shutdown_runtime"}
)
# Backend operations the dashboard uses; the others (installing "skills" into the project) write on the server.
OPERATIONS = frozenset({"deferred_file", "dataframe_chunk"})


def harden_runtime() -> None:
    """Once per process, before any session: what every Streamlit session of this server does differently.

    Streamlit has no setting for these, so three of its methods are wrapped (each check is a line):
    a session ignores DEVELOPER_MESSAGES and operations outside OPERATIONS; its first message names the
    main script by its file name, not by the server's absolute path; a deferred download runs only for
    the session that drew its button (Streamlit runs any id any session sends).
    """
    global _hardened
    from streamlit.proto.ForwardMsg_pb2 import BackendOperationResponse
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    with _lock:
        if _hardened:
            return
        handle_backmsg, new_session_message, run_deferred = (
            AppSession.handle_backmsg,
            AppSession._create_new_session_message,
            DeferredFileHandler.handle,
        )

        def guarded_handle_backmsg(self, msg) -> None:
            kind = msg.WhichOneof("type")
            if kind in DEVELOPER_MESSAGES or (
                kind == "backend_operation_request" and msg.backend_operation_request.WhichOneof("payload") not in OPERATIONS
            ):
                _LOG.warning("ignored a %s message from session %s", kind, self.id)
                return
            handle_backmsg(self, msg)

        def pathless_new_session_message(self, *args, **kwargs):
            msg = new_session_message(self, *args, **kwargs)
            msg.new_session.main_script_path = os.path.basename(msg.new_session.main_script_path)
            return msg

        async def owned_deferred(self, request, session_id: str):
            owned = getattr(self._get_media_file_mgr(), "_deferred_ids_by_session", {}).get(session_id, ())
            if request.deferred_file.file_id not in owned:
                _LOG.warning("refused a download id that session %s does not hold", session_id)
                return BackendOperationResponse(request_id=request.request_id, error_msg="Failed to generate file for download")
            return await run_deferred(self, request, session_id)

        AppSession.handle_backmsg = guarded_handle_backmsg
        AppSession._create_new_session_message = pathless_new_session_message
        DeferredFileHandler.handle = owned_deferred
        _hardened = True


def sweep(runtime) -> None:
    """End the sign-ins that expired or whose session is gone, and forget what those sessions held."""
    ended = auth.SIGN_INS.end_where(lambda session_id: not runtime.is_active_session(session_id))
    with _lock:
        holding = set(_private_files)
    for session_id in ended | (holding - auth.SIGN_INS.signed_in_sessions()):
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


def private_download(browser: str, build: Callable[[], bytes], mimetype: str, filename: str) -> Callable[[], bytes]:
    """The `data` of a download button for confidential records: built when pressed, refused once the
    sign-in has ended or when another browser holds the session, and remembered so that `forget` deletes
    it at sign-out."""
    session_id = current_session_id()

    def generate() -> bytes:
        runtime = _runtime()
        if not auth.SIGN_INS.session_signed_in(session_id or "", browser) or (
            runtime is not None and client_browser(session_id) != browser
        ):
            raise PermissionError("the sign-in has ended")
        content = build()
        storage = None if runtime is None else getattr(runtime.media_file_mgr, "_storage", None)
        if storage is not None and session_id is not None:
            from streamlit.runtime.media_file_storage import MediaFileKind

            # The storage names a file by its content, so this is the id Streamlit stores it under next.
            file_id = storage.load_and_get_id(content, mimetype, MediaFileKind.DOWNLOADABLE, filename)
            with _lock:
                _private_files[session_id].add(file_id)
        return content

    return generate
