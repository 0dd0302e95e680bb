"""The kiosk in real Chromium (Debian's, driven by Playwright): bytes on first load, and the time
from a printed card appearing in front of the (fake) camera to the greeting."""

import json
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from kiosk.bench.card_video import card_video

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

# Notes when the card first shows in a video frame (many near-white pixels), as the kiosk tests do.
WATCH_FOR_THE_CARD = """() => {
  const video = document.getElementById('kiosk-video');
  const canvas = document.createElement('canvas');
  canvas.width = 80; canvas.height = 60;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  window.cardSeenAt = null;
  const look = () => {
    context.drawImage(video, 0, 0, 80, 60);
    const pixels = context.getImageData(0, 0, 80, 60).data;
    let bright = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] > 200) bright++;
    if (bright > 0.05 * 80 * 60 && window.cardSeenAt === null) window.cardSeenAt = performance.now();
    if (window.cardSeenAt === null) video.requestVideoFrameCallback(look);
  };
  video.requestVideoFrameCallback(look);
}"""


def chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def measure_kiosk(runs: int = 3) -> dict:
    """kiosk_first_load_kb and card_to_greeting_ms (median of `runs`), or {} without Chromium."""
    from kiosk.bench.__main__ import Server, cli

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (Playwright absent : mesures navigateur sautées)")
        return {}
    if chromium() is None:
        print("  (Chromium absent : mesures navigateur sautées)")
        return {}
    with tempfile.TemporaryDirectory(prefix="cepourmoi-bench-browser-") as tmp:
        env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{tmp}/kiosk.sqlite3", "KIOSK_SECRET_KEY": "bench",
               "KIOSK_INSTANCE_PATH": f"{tmp}/instance", "KIOSK_RETENTION_SCHEDULER": "0"}
        cli(env, "init-db")
        server = Server(env)
        try:
            with sync_playwright() as playwright:
                bytes_loaded, delays = [], []
                for run in range(runs):
                    added = cli(env, "participant", "add", "--first-name", "Fatima", "--last-name", f"Bench{run}")
                    code = json.loads(added.strip().splitlines()[-1])["code"]
                    path = cli(env, "device", "add", f"Borne {run}", "--kind", "kiosk").strip().splitlines()[-1]
                    video = card_video(Path(tmp) / f"card{run}.y4m", code)
                    browser = playwright.chromium.launch(
                        executable_path=chromium(), headless=True,
                        args=[*FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}", "--autoplay-policy=no-user-gesture-required"])
                    try:
                        loaded, delay = one_run(browser, f"http://127.0.0.1:{server.port}", path)
                    finally:
                        browser.close()
                    bytes_loaded.append(loaded)
                    if delay is not None:
                        delays.append(delay)
        finally:
            server.stop()
    results = {"kiosk_first_load_kb": statistics.median(bytes_loaded) / 1024}
    if delays:
        results["card_to_greeting_ms"] = statistics.median(delays)
    return results


def one_run(browser, base: str, enrol_path: str) -> tuple[int, float | None]:
    """A fresh browser profile opens the enrolment link (which lands on /kiosk: the first load),
    waits for the camera, then for the greeting of the card the camera shows."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    try:
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(base + enrol_path)
        page.wait_for_selector('#kiosk[data-camera="on"]', timeout=30_000)
        page.wait_for_load_state("networkidle")
        loaded = 0
        for request in finished:
            sizes = request.sizes()
            loaded += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        page.evaluate(WATCH_FOR_THE_CARD)
        page.wait_for_selector('#kiosk[data-state="welcome"]', timeout=30_000)
        times = page.evaluate("""() => ({card: window.cardSeenAt,
            greeting: performance.getEntriesByName('kiosk-greeting')[0].startTime})""")
    finally:
        context.close()
    if times["card"] is None or times["card"] > times["greeting"]:
        return loaded, None
    return loaded, times["greeting"] - times["card"]
