"""The map in headless Chromium: status colours on the canvas, tooltips on hover, small-state markers."""

import io
import json
import math
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from app.maps import WORLD_VIEW
from app.palette import OCEAN, STATUS, rgb
from tests.browser import PHONE, app_idle, until, wait_for_layout

pytestmark = pytest.mark.browser

# Screenshots of what the tests saw, to look at (not part of the repository).
SHOTS = Path(tempfile.gettempdir()) / "uncat-map-tests"
SHOTS.mkdir(exist_ok=True)


@pytest.fixture(scope="module")
def map_page(server, session_browser):
    # A context of its own, not a tab of the pool (tests.browser.TabPool): clicks on maps in lent tabs were lost
    # under load (the click tests waited 30 to 60 s in three full runs). They were lost now and then in contexts of
    # their own too, which click_until now tells at once (counting_sent).
    context = session_browser.new_context(viewport={"width": 1400, "height": 1200})
    page = counting_sent(context.new_page())
    page.goto(f"{server}/map?as_of=2026-02-03")
    page.get_by_text("UNCAT status").wait_for(timeout=60_000)
    canvas = page.locator("#deckgl-overlay, canvas").first
    canvas.wait_for(timeout=60_000)
    wait_for_land(page, canvas)
    yield page, canvas
    context.close()


def blended(colour: str, alpha: int = 235) -> tuple[int, int, int]:
    fill, ocean = rgb(colour)[:3], rgb(OCEAN)[:3]
    return tuple(round((f * alpha + o * (255 - alpha)) / 255) for f, o in zip(fill, ocean, strict=True))


def near(png: bytes, colour: tuple[int, int, int], limit: int) -> np.ndarray:
    """Which pixels of a screenshot lie within squared RGB distance `limit` of `colour` (as an array: a Python loop
    over a million pixels took seconds of the CPU that software WebGL needs to draw)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int32)
    return ((pixels - np.array(colour, dtype=np.int32)) ** 2).sum(axis=2) < limit


def wait_for_land(page, canvas) -> None:
    """Wait until WebGL (software, slow on a busy machine) has drawn the land: a twentieth of the canvas in the
    party colour (the tests measure the colours themselves)."""
    target = blended(STATUS["party"])

    def land_drawn() -> bool:
        # The part of the canvas in the window, from a screenshot of the page: an element's own screenshot would
        # scroll it into view, and the tests on the map's place on the first screen would see that scroll.
        box, window = canvas.bounding_box(), page.viewport_size
        clip = {"x": max(box["x"], 0), "y": max(box["y"], 0)}
        clip["width"] = min(box["x"] + box["width"], window["width"]) - clip["x"]
        clip["height"] = min(box["y"] + box["height"], window["height"]) - clip["y"]
        if clip["width"] < 1 or clip["height"] < 1:
            return False
        return bool(near(page.screenshot(clip=clip), target, 400).mean() > 0.05)

    until(land_drawn, page, timeout=60, message="the map's land was never drawn", interval_ms=250)


def screen_point(
    box: dict, lat: float, lon: float, zoom: float = WORLD_VIEW["zoom"], view: dict = WORLD_VIEW
) -> tuple[float, float]:
    """Web Mercator (deck.gl, 512-pixel world at zoom 0) from a view (the default one unless given) to page pixels."""
    scale = 512 * 2**zoom / (2 * math.pi)

    def project(la: float, lo: float) -> tuple[float, float]:
        return scale * (math.radians(lo) + math.pi), scale * (math.pi - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)))

    # deck.gl repeats the world: the copy of the point nearest the view's centre is the one on screen.
    lon = view["longitude"] + (lon - view["longitude"] + 180) % 360 - 180
    cx, cy = project(view["latitude"], view["longitude"])
    x, y = project(lat, lon)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def hover(page, x: float, y: float) -> str:
    """Rest the mouse on a point until the tooltip shows (picking in software WebGL can take seconds)."""
    tooltip = page.locator(".deck-tooltip")

    def shown() -> bool:
        # Asked directly: a wait that polls on animation frames stalls while software WebGL draws a frame for seconds.
        return tooltip.count() > 0 and tooltip.first.is_visible()

    for step in range(15):
        page.mouse.move(x + step % 2, y)  # a small wiggle keeps hover events coming, each two seconds at most
        try:
            until(shown, page, timeout=2)
        except AssertionError:
            continue
        text = tooltip.first.inner_text()
        assert "<" not in text, f"markup shown as text: {text!r}"  # the template's markup is rendered
        return text
    raise AssertionError("no tooltip after 30 seconds")


def test_canvas_shows_the_status_colours(map_page):
    page, canvas = map_page
    shot = canvas.screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=np.int32)

    def share(colour: str) -> float:
        return float(near(shot, blended(colour), 400).mean())

    assert share(STATUS["party"]) > 0.10  # most of the land
    assert share(STATUS["no_action"]) > 0.001  # e.g. Iran, Malaysia
    assert share(STATUS["signatory"]) > 0.001  # India
    red = int(((pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)).sum())
    assert red == 0  # no red anywhere on the map


def test_hover_on_a_state_shows_its_tooltip(map_page):
    page, canvas = map_page
    x, y = screen_point(canvas.bounding_box(), -10.0, -52.0)  # inside Brazil
    text = hover(page, x, y)
    assert "Brazil" in text and "28 September 1989" in text  # the status on the date is the colour


def test_small_island_state_has_a_visible_marker(map_page):
    page, canvas = map_page
    box = canvas.bounding_box()
    x, y = screen_point(box, -0.53, 166.93)  # Nauru: no polygon visible at world zoom
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)  # away from any tooltip
    target = blended(STATUS["party"], 255)

    def marker_drawn() -> bool:
        shot = page.screenshot(clip={"x": x - 4, "y": y - 4, "width": 9, "height": 9})
        return bool(near(shot, target, 900).any())

    until(marker_drawn, page, timeout=10, message="no marker on Nauru")  # software WebGL can be slow on a busy machine
    assert "Nauru" in hover(page, x, y)


def counting_sent(page):
    """`page`, counting the messages it sends the server (page._uncat_sent[0]); attached before it loads. A click
    on the map that reaches the app sends one at once (the selection, about 10 kB); a hover sends none."""
    sent = page._uncat_sent = [0]
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.__setitem__(0, sent[0] + 1)))
    return page


def click_until(page, x: float, y: float, fragment: str) -> None:
    """Click a point until the URL holds the fragment. The pointer first rests there until the tooltip shows: in
    software WebGL deck.gl's first pick can take seconds, and a click before it is lost (measured with SwiftShader:
    a click on a map just drawn never selected in two minutes; after the tooltip, the URL changed in five seconds). Clicked again
    only after a long wait, so that a late first click is not undone by a second one (a click toggles); but a click
    that sent nothing in 10 s (`page` counts what it sends: counting_sent) never reached the app and is made again at
    once (under load a click was lost now and then: two 30 s waits in one run of the whole suite)."""
    hover(page, x, y)
    sent = page._uncat_sent
    for _ in range(3):
        before = sent[0]
        page.mouse.click(x, y)
        try:
            until(lambda before=before: fragment in page.url or sent[0] > before, page, timeout=10)
        except AssertionError:
            continue  # nothing sent: the click was lost
        try:
            page.wait_for_url(f"**{fragment}**", timeout=30_000)
            return
        except Exception:  # noqa: BLE001 - playwright's timeout: click again
            continue
    raise AssertionError(f"{fragment} never reached the URL; at {page.url}")


def test_clicking_a_small_state_marker_selects_it(map_page, browser):
    page, canvas = map_page
    x, y = screen_point(canvas.bounding_box(), -0.53, 166.93)  # Nauru's marker
    click_until(page, x, y, "state=NRU")
    page.get_by_text("Clear selection").wait_for(timeout=30_000)
    assert page.get_by_text("Nauru").count() >= 1
    # The panel leads to the state's profile (opened in its own tab: the map stays for the next tests).
    href = page.get_by_role("link", name="Open the profile").get_attribute("href")
    assert "country?" in href and "state=NRU" in href
    profile = browser.new_page()
    profile.goto(page.url.split("/map")[0] + "/" + href.lstrip("/"))
    profile.get_by_role("heading", name="Nauru").wait_for(timeout=60_000)
    profile.close()


def test_clicking_a_state_polygon_selects_it_and_sends_little(map_page):
    page, _ = map_page
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    page.goto(page.url.split("/map")[0] + "/map?as_of=2026-02-03")  # a new session: the first view, counted
    page.get_by_text("UNCAT status").wait_for(timeout=60_000)
    canvas = page.locator("#deckgl-overlay, canvas").first
    canvas.wait_for(timeout=60_000)
    app_idle(page)  # the first run's messages have all arrived
    wait_for_land(page, canvas)
    first_view = sum(received)
    received.clear()
    x, y = screen_point(canvas.bounding_box(), -10.0, -52.0)  # inside Brazil
    click_until(page, x, y, "state=BRA")
    page.get_by_text("Clear selection").wait_for(timeout=30_000)
    app_idle(page)  # the selection's run is over: all it sent is counted
    assert first_view < 100_000, f"first view of the map: {first_view} bytes over the websocket"
    assert sum(received) < 50_000, f"a selection: {sum(received)} bytes over the websocket"
    search = page.locator(".stSelectbox").filter(has_text="Find a state").locator("input")
    assert search.input_value() == "Brazil"  # "Find a state" shows the selection
    page.get_by_text("Clear selection").click()
    page.wait_for_url(lambda current: "state=" not in current, timeout=30_000)
    expect(search).to_have_value("")  # and clears with it


# Each legend item of the map: its swatch's box and the boxes of its label's lines of text.
SWATCHES = """(legend) => [...legend.querySelectorAll("span[style*='nowrap']")].map((item) => {
  const box = item.querySelector("span").getBoundingClientRect();
  const swatch = {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
  const range = document.createRange();
  range.selectNodeContents(item.lastChild);
  const lines = [...range.getClientRects()].map((r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}));
  return {text: item.textContent, swatch, lines};
})"""


@pytest.mark.parametrize("world", [("phone", "en")], indirect=True, ids="-".join)
def test_on_a_phone_the_map_shows_the_whole_world_and_its_legend(shared_map):
    from app import maps

    phone, canvas, _, _ = shared_map
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box["width"] <= 390
    zoom = maps.WORLD_VIEW["zoom"] + maps.PHONE_ZOOM_SHIFT
    party = blended(STATUS["party"])
    # Australia, Brazil and the United States, far apart: all on screen where the whole world puts them.
    points = [screen_point(box, lat, lon, zoom) for lat, lon in ((-25.0, 134.0), (-10.0, -52.0), (39.0, -98.0))]
    assert all(box["x"] <= x <= box["x"] + box["width"] for x, _ in points), points

    def off_colour() -> list:
        shot = Image.open(io.BytesIO(phone.screenshot())).convert("RGB")
        pixels = [shot.getpixel((round(x), round(y))) for x, y in points]
        return [p for p in pixels if sum((a - b) ** 2 for a, b in zip(p, party, strict=True)) >= 900]

    # Software WebGL on a busy machine can take a while to draw.
    until(lambda: off_colour() == [], phone, timeout=30, message="the three points never showed the party colour")
    legend = phone.get_by_text("State party (175)")
    assert legend.count() == 1
    # Each legend swatch stays on its label's line, just before it (a wrap between them would part them).
    items = legend.locator("xpath=ancestor::p").evaluate(SWATCHES)
    assert len(items) == 4, items
    for item in items:
        swatch, lines = item["swatch"], item["lines"]
        assert len(lines) == 1, item  # the label itself is on one line
        middle = (swatch["top"] + swatch["bottom"]) / 2
        assert lines[0]["top"] <= middle <= lines[0]["bottom"], item
        assert 0 <= lines[0]["left"] - swatch["right"] <= 12, item


VIEW_STATE = re.compile(rb'"initialViewState":(\{[^{}]*\})')
FIJI = (-17.85, 178.05)  # inside Viti Levu, Tuvalu's neighbour about 1,000 km to the south


def region_is_drawn(page, canvas, view: dict) -> bool:
    """The canvas shows Fiji where the view puts it: the view drawn is the region, not open ocean or a close-up."""
    x, y = screen_point(canvas.bounding_box(), *FIJI, zoom=view["zoom"], view=view)
    target = blended(STATUS["party"])

    def fiji_drawn() -> bool:
        shot = page.screenshot(clip={"x": x - 3, "y": y - 3, "width": 7, "height": 7})
        return int(near(shot, target, 900).sum()) >= 5

    try:  # software WebGL on a busy machine can take a while to draw
        return until(fiji_drawn, page, timeout=15)
    except AssertionError:
        return False


def test_a_small_state_opens_with_its_region_and_keeps_it(map_page, browser):
    """Tuvalu from the link: the view the page received is bounded by REGION_ZOOM, and the canvas shows its
    neighbour Fiji where that view puts it; a new overlay or date keeps the selection and the same bounded view."""
    from app.maps import REGION_ZOOM

    page, _ = map_page
    tuvalu = browser.new_page(viewport={"width": 1400, "height": 1200})
    received: list[bytes] = []
    tuvalu.on(
        "websocket", lambda ws: ws.on("framereceived", lambda p: received.append(p if isinstance(p, bytes) else p.encode()))
    )

    def views() -> list[dict]:
        return [json.loads(m.group(1)) for frame in received for m in VIEW_STATE.finditer(frame)]

    def last_view() -> dict:
        """The view of the run the last change started, once that run is over."""
        until(views, tuvalu, timeout=60, message="no map view received")
        app_idle(tuvalu)  # the run's messages have all arrived: the last view is the run's own
        return views()[-1]

    def check(view: dict) -> None:
        assert 2.0 <= view["zoom"] <= REGION_ZOOM, view  # the region: neither the world nor a close-up
        assert abs(view["latitude"] - (-8.0)) < 1 and abs(view["longitude"] - 178.0) < 1, view  # on Tuvalu
        assert tuvalu.get_by_text("Clear selection").is_visible()
        assert "state=TUV" in tuvalu.url
        assert region_is_drawn(tuvalu, canvas, view)

    try:
        tuvalu.goto(page.url.split("/map")[0] + "/map?as_of=2026-02-03&state=TUV")
        canvas = tuvalu.locator("#deckgl-overlay, canvas").first
        canvas.wait_for(timeout=90_000)
        tuvalu.get_by_text("Clear selection").wait_for(timeout=60_000)
        check(last_view())

        received.clear()
        tuvalu.get_by_role("combobox", name="Overlay").click()
        tuvalu.get_by_role("option", name="OPCAT parties").click()
        tuvalu.wait_for_url("**overlay=opcat**", timeout=30_000)
        check(last_view())

        received.clear()
        tuvalu.get_by_role("spinbutton", name="year, As of").click()
        tuvalu.keyboard.type("20200301")
        # Typed, then confirmed by leaving the field (Enter does not apply a typed date yet: app/ui.py's date control).
        tuvalu.get_by_role("heading", name="World map").click()
        tuvalu.wait_for_url("**as_of=2020-03-01**", timeout=30_000)
        check(last_view())
    finally:
        tuvalu.close()


# Issue 23: the map above the fold, the Pacific whole, tooltips never clipped, the panel's profile link first.
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 390, "height": 844}, "user_agent": PHONE, "is_mobile": True},
}


def open_map(page, server, lang: str = "en"):
    """The map in the language in `page`, the land drawn: (page, canvas)."""
    page.goto(f"{server}/map?as_of=2026-02-03&lang={lang}")
    canvas = page.locator("#deckgl-overlay, canvas").first
    canvas.wait_for(timeout=90_000)
    app_idle(page)
    wait_for_land(page, canvas)
    wait_for_layout(page, "#deckgl-overlay, canvas")  # drawn before the page's last change of layout, at times
    return page, canvas


@pytest.fixture(scope="module")
def world(request, server, session_browser):
    """The map of a (size, language), as a reader first sees it, shared by the tests that only look at it or hover
    (parametrized indirectly: pytest runs the tests of one map together, then closes it). A map costs software
    WebGL about four seconds of CPU to draw (Mesa; ten with SwiftShader), and an open one keeps drawing frames: one
    open at a time.
    Each test gets it with the pointer away from the map (no tooltip) and the page scrolled to its top."""
    size, lang = request.param
    context = session_browser.new_context(**SIZES[size])  # of its own, as map_page's
    page, canvas = open_map(counting_sent(context.new_page()), server, lang)
    yield page, canvas, size, lang
    context.close()


@pytest.fixture
def shared_map(world):
    """The shared map (page, canvas, size, language), left as found: no tooltip, scrolled to the top."""
    page = world[0]
    yield world
    page.mouse.move(1, 1)  # the next test starts with no tooltip shown
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 0")


def view_of(size: str) -> tuple[dict, float]:
    from app import maps

    zoom = maps.WORLD_VIEW["zoom"] + (maps.PHONE_ZOOM_SHIFT if size == "phone" else 0)
    return maps.WORLD_VIEW, zoom


ALL_MAPS = [(size, lang) for size in ("desktop", "phone") for lang in ("en", "fr", "es")]


@pytest.mark.parametrize("world", ALL_MAPS, indirect=True, ids="-".join)
def test_the_whole_map_is_above_the_fold(shared_map):
    """At 1366x768 the map started 520 px down, on a phone 800 px: now all of it is on the first screen."""
    page, canvas, size, lang = shared_map
    box = canvas.bounding_box()
    height = SIZES[size]["viewport"]["height"]
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0
    assert box["y"] > 0 and box["y"] + box["height"] <= height, (size, lang, box)
    page.screenshot(path=str(SHOTS / f"map-{size}-{lang}.png"))


def colour_near(page, x: float, y: float, colour: str, radius: int = 4) -> bool:
    """The colour (as drawn, opaque) shows within `radius` pixels of the point (waiting for software WebGL)."""
    target = blended(colour, 255)

    def drawn() -> bool:
        shot = page.screenshot(clip={"x": x - radius, "y": y - radius, "width": 2 * radius + 1, "height": 2 * radius + 1})
        return bool(near(shot, target, 900).any())

    return bool(until(drawn, page, timeout=30, message=f"{colour} never drawn near ({x:.0f}, {y:.0f})", interval_ms=250))


# Pacific states by longitude, west to east across the date line: Palau, Fiji, Tuvalu, Tonga, Samoa, Niue, Cook Islands.
PACIFIC = [("PLW", 7.5, 134.6), ("FJI", -17.85, 178.05), ("TUV", -8.52, 179.2), ("TON", -21.17, -175.25),
           ("WSM", -13.76, -172.1), ("NIU", -19.05, -169.87), ("COK", -21.24, -159.78)]  # fmt: skip


@pytest.mark.parametrize("world", ALL_MAPS, indirect=True, ids="-".join)
def test_the_pacific_is_whole(shared_map):
    """The default view is not cut at the date line: the Pacific states lie inside the map, well away from its
    edges, west to east in order, and drawn where the view puts them."""
    page, canvas, size, _ = shared_map
    box = canvas.bounding_box()
    view, zoom = view_of(size)
    xs = [screen_point(box, lat, lon, zoom, view)[0] for _, lat, lon in PACIFIC]
    margin = box["width"] / 8
    assert all(box["x"] + margin < x < box["x"] + box["width"] - margin for x in xs), xs
    assert xs == sorted(xs)
    # ... drawn there: Samoa's marker in the party colour, Tonga's in the no-action colour.
    page.mouse.move(1, 1)  # no tooltip over them
    for iso3, status in (("WSM", "party"), ("TON", "no_action")):
        lat, lon = next((lat, lon) for code, lat, lon in PACIFIC if code == iso3)
        assert colour_near(page, *screen_point(canvas.bounding_box(), lat, lon, zoom, view), STATUS[status]), iso3


# The boxes of the elements that clip the tooltip (overflow other than visible) and the tooltip's own.
CLIPS = """(tip) => {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  const clips = [];
  for (let e = tip.parentElement; e && e !== document.documentElement; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.overflowX !== "visible" || style.overflowY !== "visible") clips.push(box(e));
  }
  return {tip: box(tip), clips, width: window.innerWidth, height: window.innerHeight};
}"""


# Whether the tooltip is on top at points across its box: made hit-testable for the probe (it is not, so that it
# never takes the pointer from the map), then as it was.
ON_TOP = """(tip) => {
  tip.style.pointerEvents = "auto";
  const r = tip.getBoundingClientRect();
  const hidden = [];
  for (const fx of [0.05, 0.5, 0.95]) for (const fy of [0.05, 0.5, 0.95]) {
    const x = r.left + fx * r.width, y = r.top + fy * r.height;
    const top = document.elementFromPoint(x, y);
    if (!top || !tip.contains(top)) hidden.push([Math.round(x), Math.round(y), top ? top.outerHTML.slice(0, 80) : null]);
  }
  tip.style.pointerEvents = "none";
  return hidden;
}"""


def assert_not_clipped(page) -> None:
    """The tooltip lies inside the window and inside every element that clips, and nothing is drawn over it."""
    assert page.locator(".deck-tooltip").first.evaluate(ON_TOP) == []
    found = page.locator(".deck-tooltip").first.evaluate(CLIPS)
    tip = found["tip"]
    assert tip["left"] >= 0 and tip["right"] <= found["width"], found
    assert tip["top"] >= 0 and tip["bottom"] <= found["height"], found
    for clip in found["clips"]:
        assert clip["left"] - 1 <= tip["left"] and tip["right"] <= clip["right"] + 1, (tip, clip)
        assert clip["top"] - 1 <= tip["top"] and tip["bottom"] <= clip["bottom"] + 1, (tip, clip)


# Where each map is hovered: Tuvalu, by the date line; in Spanish on a desktop, Brazil at the map's right edge.
TOOLTIP_AT = {("desktop", "es"): ((-8.0, -38.0), "Brasil")}


@pytest.mark.parametrize("world", ALL_MAPS, indirect=True, ids="-".join)
def test_a_tooltip_is_never_clipped(shared_map):
    page, canvas, size, lang = shared_map
    where, name = TOOLTIP_AT.get((size, lang), ((-8.52, 179.2), "Tuvalu"))
    view, zoom = view_of(size)
    x, y = screen_point(canvas.bounding_box(), *where, zoom, view)
    text = hover(page, x, y)
    assert name in text
    assert_not_clipped(page)
    page.screenshot(path=str(SHOTS / f"tooltip-{size}-{lang}-{name}.png"))


@pytest.mark.parametrize("world", [("desktop", "en"), ("phone", "en")], indirect=True, ids="-".join)
def test_the_panel_leads_with_the_profile_link(shared_map):
    """A click fills the panel; its first item is the link to the state's profile, on the first screen on a desktop.
    The last test of its map (pytest keeps the file's order within a map); the selection is cleared after it."""
    page, canvas, size, _ = shared_map
    view, zoom = view_of(size)
    x, y = screen_point(canvas.bounding_box(), -10.0, -52.0, zoom, view)  # inside Brazil
    started = time.monotonic()
    click_until(page, x, y, "state=BRA")
    link = page.get_by_role("link", name="Open the profile")
    link.wait_for(timeout=60_000)
    linked = time.monotonic() - started
    # The details are "label, line break, value" paragraphs: the status one reads "Status" then "State party".
    label = page.locator("strong").filter(has_text=re.compile(r"^Status$"))
    status = page.locator("[data-testid=stMarkdownContainer] p").filter(has=label).filter(has_text="State party").last
    status.wait_for(timeout=60_000)
    print(f"{size}: click to profile link {linked:.1f} s, to details {time.monotonic() - started:.1f} s")
    assert "state=BRA" in link.get_attribute("href")
    search = page.locator(".stSelectbox").filter(has_text="Find a state").bounding_box()
    assert search["y"] < link.bounding_box()["y"] < status.bounding_box()["y"]  # the link before the details
    if size == "desktop":
        assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 768
    page.get_by_text("Clear selection").click()  # the map as the next test of its size expects it
    page.wait_for_url(lambda current: "state=" not in current, timeout=30_000)
    app_idle(page)
