"""The kiosk in real Chromium (Debian's, driven by Playwright): bytes on first load, and the time
from a printed card appearing in front of the (fake) camera to the greeting."""

import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.bench.card_video import card_video
from kiosk.bench.server import KIOSK, Server, cli, free_port

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
    """kiosk_first_load_kb and card_to_greeting_ms straight on the app's server; kiosk_wire_kb and
    card_to_greeting_slow_cpu_ms through the box's nginx (HTTPS, gzip), the latter with Chromium's
    CPU slowed 4× (a cheap tablet). Medians of `runs`; {} without Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (Playwright absent : mesures navigateur sautées)")
        return {}
    if chromium() is None:
        print("  (Chromium absent : mesures navigateur sautées)")
        return {}
    measured = {"direct": ([], []), "front": ([], []), "slow": ([], [])}
    with tempfile.TemporaryDirectory(prefix="cepourmoi-bench-browser-") as tmp:
        env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{tmp}/kiosk.sqlite3", "KIOSK_SECRET_KEY": "bench",
               "KIOSK_INSTANCE_PATH": f"{tmp}/instance", "KIOSK_RETENTION_SCHEDULER": "0"}
        cli(env, "init-db")
        # Check-ins belong to workshop days: today is one (in the centre's zone, as the app reads it).
        today = datetime.now(ZoneInfo(os.environ.get("KIOSK_TIMEZONE", "Europe/Paris"))).date()
        cli(env, "workshop", "plan", "--date", today.isoformat(), "--activity", "Atelier cuisine")
        server, front = Server(env), FrontServer(Path(tmp), env)
        bases = {"direct": f"http://127.0.0.1:{server.port}", "front": front.url, "slow": front.url}
        try:
            with sync_playwright() as playwright:
                for run in range(runs):
                    for kind, base in bases.items():
                        added = cli(env, "participant", "add", "--first-name", "Fatima", "--last-name", f"B{kind}{run}")
                        code = json.loads(added.strip().splitlines()[-1])["code"]
                        path = cli(env, "device", "add", f"Borne {kind} {run}", "--kind", "kiosk").strip().splitlines()[-1]
                        video = card_video(Path(tmp) / f"card-{kind}{run}.y4m", code)
                        browser = playwright.chromium.launch(
                            executable_path=chromium(), headless=True,
                            args=[*FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                  f"--use-file-for-fake-video-capture={video}",
                                  "--autoplay-policy=no-user-gesture-required"])
                        try:
                            loaded, delay = one_run(browser, base, path, cpu_slowdown=4 if kind == "slow" else 1)
                        finally:
                            browser.close()
                        print(f"  kiosque ({kind}) : {loaded / 1024:.0f} ko, carte → accueil "
                              + (f"{delay:.0f} ms" if delay is not None else "non mesuré"))
                        measured[kind][0].append(loaded)
                        if delay is not None:
                            measured[kind][1].append(delay)
        finally:
            server.stop()
            front.stop()
    results = {"kiosk_first_load_kb": statistics.median(measured["direct"][0]) / 1024,
               "kiosk_wire_kb": statistics.median(measured["front"][0]) / 1024}
    for kind, key in (("direct", "card_to_greeting_ms"), ("slow", "card_to_greeting_slow_cpu_ms")):
        if measured[kind][1]:
            results[key] = statistics.median(measured[kind][1])
    return results


class FrontServer:
    """`kiosk serve --unix` with the box's nginx before it (HTTPS, gzip), on a loopback port."""

    def __init__(self, folder: Path, env: dict):
        import ssl
        import urllib.request

        from kiosk import PACKAGE_DIR
        from kiosk.box.front import start_throwaway_front

        socket_path, port = str(folder / "app.sock"), free_port()
        self.url = f"https://127.0.0.1:{port}"
        self.app = subprocess.Popen([KIOSK, "serve", "--unix", socket_path], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        static = PACKAGE_DIR / "static" if (PACKAGE_DIR / "static").is_dir() else PACKAGE_DIR.parent / "static"
        self.nginx = start_throwaway_front(folder / "front", static, socket_path, Path(env["KIOSK_INSTANCE_PATH"]),
                                           port, free_port())
        context = ssl._create_unverified_context()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.url + "/healthz", context=context, timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("nginx or the app did not start")

    def stop(self):
        for process in (self.app, self.nginx):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def one_run(browser, base: str, enrol_path: str, cpu_slowdown: float = 1) -> tuple[int, float | None]:
    """A fresh browser profile opens the enrolment link (which lands on /kiosk: the first load),
    waits for the camera, then for the greeting of the card the camera shows."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", ignore_https_errors=True)
    try:
        page = context.new_page()
        if cpu_slowdown != 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
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
