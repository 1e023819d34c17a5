"""A Streamlit session over the websocket, the way a browser opens one: for loopback tests of the real server."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect


@dataclass
class Run:
    """What one script run sent: every ForwardMsg, and the widgets (id by key) and texts it showed."""

    messages: list[ForwardMsg] = field(default_factory=list)

    def elements(self):
        for msg in self.messages:
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                yield msg.delta.new_element

    def widget_id(self, key: str) -> str:
        for element in self.elements():
            inner = getattr(element, element.WhichOneof("type"))
            widget_id = getattr(inner, "id", "")
            if isinstance(widget_id, str) and widget_id.endswith(f"-{key}"):
                return widget_id
        raise KeyError(key)

    def element(self, key: str):
        for element in self.elements():
            inner = getattr(element, element.WhichOneof("type"))
            if str(getattr(inner, "id", "")).endswith(f"-{key}"):
                return inner
        raise KeyError(key)

    def text(self) -> str:
        return "\n".join(str(message) for message in self.messages)


class Session:
    """One browser tab's session: connect, run the script with URL and widget states, read what comes back.

    `cookies` are sent with the websocket's handshake, as a browser sends the cookies the server set for it;
    `resume` names a session to reconnect to, as a browser's tab does after its connection dropped;
    `headers` are more handshake headers (X-Forwarded-For, ...).
    """

    def __init__(
        self,
        url: str,
        timeout: float = 60,
        cookies: dict[str, str] | None = None,
        resume: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.base = url
        self.timeout = timeout
        self.cookies = dict(cookies or {})
        self._stack = ExitStack()
        address = url.replace("http", "ws", 1) + "/_stcore/stream"
        extra = dict(headers or {})
        if cookies:
            extra["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        # The browser's subprotocols: "streamlit", then its XSRF token, then the session it resumes.
        protocols = ["streamlit", "xsrf", resume] if resume else ["streamlit"]
        self.socket = self._stack.enter_context(
            connect(address, subprotocols=protocols, open_timeout=timeout, additional_headers=extra, max_size=None)
        )
        self.session_id: str | None = None
        self.widgets: dict[str, WidgetState] = {}
        self.query_string = ""
        self.page = ""

    def close(self) -> None:
        self._stack.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, back: BackMsg) -> None:
        self.socket.send(back.SerializeToString())

    def receive(self, until, deadline: float) -> list[ForwardMsg]:
        messages = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
                self.session_id = message.new_session.initialize.session_id
            messages.append(message)
            if until(message):
                return messages

    def run(self, query_string: str | None = None, page: str | None = None, widgets: list[WidgetState] = ()) -> Run:
        """Rerun the script with the URL (kept between runs), the widget states so far and `widgets` (triggers are not kept)."""
        if query_string is not None:
            self.query_string = query_string
        if page is not None:
            self.page = page
        back = BackMsg()
        back.rerun_script.query_string = self.query_string
        back.rerun_script.page_name = self.page
        kept = {k: v for k, v in self.widgets.items() if not v.HasField("trigger_value")}
        for state in widgets:
            kept[state.id] = state
        back.rerun_script.widget_states.widgets.extend(kept.values())
        self.widgets = {k: v for k, v in kept.items() if not v.HasField("trigger_value")}
        self.send(back)
        deadline = time.monotonic() + self.timeout
        return Run(self.receive(lambda m: m.WhichOneof("type") == "script_finished", deadline))

    def upload_urls(self, names: list[str]) -> list[str]:
        """Ask for upload URLs as the file uploader does; the URLs the server handed out."""
        back = BackMsg()
        back.file_urls_request.request_id = "test-request"
        back.file_urls_request.session_id = self.session_id or ""
        back.file_urls_request.file_names.extend(names)
        self.send(back)
        deadline = time.monotonic() + self.timeout
        messages = self.receive(lambda m: m.WhichOneof("type") == "file_urls_response", deadline)
        return [f.upload_url for f in messages[-1].file_urls_response.file_urls]

    def deferred_file(self, file_id: str) -> tuple[str, str]:
        """Press a deferred download button: (url, error) the server answers."""
        back = BackMsg()
        back.backend_operation_request.request_id = "test-download"
        back.backend_operation_request.session_id = self.session_id or ""
        back.backend_operation_request.deferred_file.file_id = file_id
        self.send(back)
        deadline = time.monotonic() + self.timeout
        messages = self.receive(lambda m: m.WhichOneof("type") == "backend_operation_response", deadline)
        response = messages[-1].backend_operation_response
        return response.deferred_file.url, response.error_msg


def text_state(widget_id: str, value: str) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.string_value = value
    return state


def click(widget_id: str) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.trigger_value = True
    return state


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    """The HTTP status and body of one request to the loopback server (a browser without its cookies)."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def browser_cookies(base: str) -> dict[str, str]:
    """The cookies the server sets for a new browser on its first request (as on a page load)."""
    with urllib.request.urlopen(base + "/_stcore/health", timeout=30) as response:  # noqa: S310 - loopback
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return {name: morsel.value for name, morsel in cookies.items()}


def xsrf_headers(base: str) -> dict[str, str]:
    """The XSRF cookie the server sets (on its health check, as on every page load), and the same token as the
    header a browser's upload sends."""
    with urllib.request.urlopen(base + "/_stcore/health", timeout=30) as response:  # noqa: S310 - loopback
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    token = cookies["_streamlit_xsrf"].value
    return {"X-Xsrftoken": token, "Cookie": f"_streamlit_xsrf={token}"}
