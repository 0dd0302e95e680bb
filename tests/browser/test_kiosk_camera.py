"""The kiosk's camera path in real Chromium: a printed card in front of a (fake) camera, and nobody touches anything."""

import pytest

from kiosk.bench.browser import WATCH_FOR_THE_CARD
from kiosk.bench.card_video import card_video, scene, write_y4m
from kiosk.models import CheckInSource
from tests.browser.conftest import CHROMIUM_FLAGS, check_axe, chromium_path, screenshot
from tests.checkin.live_setup import (
    add_person,
    assert_no_js_errors,
    checkins,
    chromium_with_camera,
    open_kiosk,
    plan_today,
)

pytestmark = pytest.mark.browser




@pytest.fixture
def camera_browsers(playwright_instance):
    launched = []

    def launch(video_path):
        browser = chromium_with_camera(playwright_instance, str(video_path), chromium_path(), CHROMIUM_FLAGS)
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


# The Content-Security-Policy the app is to get, plus what WebAssembly needs; and the strict one.
CSP_WITH_WASM = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
CSP_STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


def with_csp(context, live_server, policy):
    """Serve the kiosk page with a Content-Security-Policy header (as the coming policy will)."""

    def add_header(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    context.route(live_server.url + "/kiosk", add_header)


@pytest.mark.parametrize(
    "policy, decoder",
    [pytest.param(CSP_WITH_WASM, "zxing-wasm", id="csp-wasm"), pytest.param(CSP_STRICT, "jsqr", id="csp-strict")],
)
def test_card_in_front_of_the_camera_greets_by_first_name(live_server, camera_browsers, tmp_path, policy, decoder):
    """Does the kiosk, left alone, read a printed card from the camera and greet "Bonjour Fatima !" with the day's activity?

    Under a CSP that allows WebAssembly it decodes with zxing-wasm; under a strict one, with jsQR.
    """
    participant_id, code = add_person(live_server, "Fatima", "Benali")
    plan_today(live_server, "Atelier cuisine")
    browser = camera_browsers(card_video(tmp_path / "card.y4m", code))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    outside = []
    context.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    with_csp(context, live_server, policy)
    page = open_kiosk(context, live_server)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + "/kiosk")  # again: a redirect's target is not routed, so the header is added now

    page.wait_for_selector('#kiosk[data-camera="on"]', timeout=20_000)
    assert page.get_attribute("#kiosk", "data-camera-detail") == decoder  # headless Chromium: no BarcodeDetector
    assert page.locator("#kiosk-video").is_visible()
    page.evaluate(WATCH_FOR_THE_CARD)
    page.wait_for_selector('#kiosk[data-state="welcome"]', timeout=20_000)

    greeting = page.locator('[data-panel="welcome"]')
    assert " ".join(greeting.locator("h1").inner_text().split()) == "Bonjour Fatima !"
    assert "Atelier cuisine" in greeting.inner_text()
    assert "Benali" not in page.locator("body").inner_text()
    timings = page.evaluate("""() => ({
        card: window.cardSeenAt,
        greeting: performance.getEntriesByName('kiosk-greeting')[0].startTime,
        cameraOn: performance.getEntriesByName('qr-camera-on')[0].startTime,
    })""")
    if timings["card"] is not None and timings["card"] <= timings["greeting"]:
        print(f"\n[kiosk {decoder}] card in front of the camera -> greeting: "
              f"{timings['greeting'] - timings['card']:.0f} ms; page start -> camera on: {timings['cameraOn']:.0f} ms")
    rows = checkins(live_server)
    assert [(row.participant_id, row.source) for row in rows] == [(participant_id, CheckInSource.CARD)]
    assert outside == [], f"the kiosk reached outside the box: {outside}"
    if decoder == "zxing-wasm":
        assert not [text for text in console if "Content Security Policy" in text], console
    assert_no_js_errors(page)
    context.close()


def test_camera_preview_waits_for_a_card(live_server, camera_browsers, tmp_path):
    """With the camera on and no card in front of it, does the kiosk show the live picture and ask for the card?"""
    add_person(live_server, "Fatima")
    browser = camera_browsers(write_y4m(tmp_path / "room.y4m", [scene(None, seed) for seed in range(3)]))
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    page = open_kiosk(context, live_server)
    page.wait_for_selector('#kiosk[data-camera="on"]', timeout=20_000)
    assert page.locator("#kiosk-video").is_visible()
    assert not page.locator("#kiosk-card-picto").is_visible()  # the live picture replaces the drawing
    assert page.get_by_text("Montrez votre carte à la caméra").is_visible()
    assert not page.get_by_text("Passez votre carte devant le lecteur").is_visible()
    check_axe(page)
    screenshot(page, "kiosk-camera", sizes=("kiosk", "tablet"))
    assert page.get_attribute("#kiosk", "data-state") == "idle"
    assert checkins(live_server) == []
    assert_no_js_errors(page)
    context.close()
