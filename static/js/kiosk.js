// The kiosk at the entrance: scans cards by itself (camera and scanner), greets by first name,
// and keeps scans while the network is down, to send them, with their time, when it comes back.
import { OfflineQueue } from "./offline-queue.js";
import { startCamera } from "./qr-scanner.js";
import { listenForScanner } from "./scanner.js";
import { listenForLanguageButtons, nextLine, resetLanguage, speakGreeting } from "./kiosk-languages.js";

const root = document.getElementById("kiosk");
const config = root.dataset;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const QUEUE_KEY = "cepourmoi.kiosk.pending";
const SHOW_MS = {
  welcome: 5000, already: 5000, noted: 4000, unknown: 8000, replaced: 8000, revoked: 8000, exited: 8000,
  anonymised: 8000, problem: 6000, forgot: 10000, closed: 10000,
};
const REFUSED = ["replaced", "revoked", "exited", "anonymised"]; // the reasons of a 410, each its own words
const CAMERA_REPEAT_MS = 8000; // the same card held in front of the camera is one scan
const REQUEST_TIMEOUT_MS = 6000;
const RETRY_MS = 5000;
const RELOAD_AFTER_MS = 6 * 3600 * 1000; // a fresh page (and CSRF token) now and then, when idle
const RELOADED_KEY = "cepourmoi.kiosk.reloadedForToken";

const panels = new Map([...root.querySelectorAll("[data-panel]")].map((el) => [el.dataset.panel, el]));
const backButton = document.getElementById("kiosk-back");
const offlineBanner = document.getElementById("kiosk-offline");
const sounds = { ok: new Audio(config.soundOk), host: new Audio(config.soundHost) };
const loadedAt = Date.now();
let backTimer = null;
let lastCamera = { code: "", at: 0 };
let sending = Promise.resolve();
let needsReload = false;
let greeted = false;

// ---------------------------------------------------------------------------------------------
// What the person sees

function show(state, slots = {}) {
  clearTimeout(backTimer);
  for (const [name, panel] of panels) panel.hidden = name !== state;
  const panel = panels.get(state);
  for (const el of panel.querySelectorAll("[data-slot]")) {
    const value = slots[el.dataset.slot];
    if (value !== undefined) el.textContent = value;
  }
  const activityLine = panel.querySelector('[data-slot="activity-line"]');
  if (activityLine) activityLine.hidden = !slots.activity;
  root.dataset.state = state;
  backButton.hidden = !["forgot", "unknown", "problem", "closed", ...REFUSED].includes(state);
  if (state !== "idle") backTimer = setTimeout(() => show("idle"), SHOW_MS[state] || 5000);
  if (state === "idle" && greeted) {
    greeted = false;
    resetLanguage(); // back to French after each greeting
  }
  if (state === "welcome") performance.mark("kiosk-greeting");
}

function play(sound) {
  try {
    sound.currentTime = 0;
    const playing = sound.play();
    if (playing) playing.catch(() => {}); // a browser that forbids sound without a touch stays silent
  } catch {
    // no sound on this device
  }
}

function clockTime(iso) {
  const parts = new Intl.DateTimeFormat("fr-FR", {
    timeZone: config.timeZone, hour: "numeric", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
  return config.timeFormat.replace("{h}", String(Number(part("hour")))).replace("{m}", part("minute"));
}

function setOffline(offline) {
  offlineBanner.hidden = !offline;
  root.dataset.network = offline ? "offline" : "online";
}

// ---------------------------------------------------------------------------------------------
// Talking to the box

async function post(code, scannedAt) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(config.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(scannedAt ? { code, scanned_at: scannedAt } : { code }),
      signal: controller.signal,
    });
    let body = {};
    try {
      body = await response.json();
    } catch {
      // an answer that is not JSON (a proxy's error page): only the status counts
    }
    return { status: response.status, body };
  } catch {
    return { status: 0, body: {} }; // no answer: the network or the box is down
  } finally {
    clearTimeout(timer);
  }
}

const unreachable = (status) => status === 0 || status === 502 || status === 503 || status === 504;

// The kiosk only sends well-formed scans, so a 400 for one that looks right means the page's CSRF
// token no longer matches its session (cookie lost): keep the scan, reload the page for a fresh
// token, and send it again. Once per ten minutes at most, so a scan the box really refuses
// (older than 7 days, a stranger's long QR code) is dropped rather than retried for ever.
function staleToken(status, code, scannedAt) {
  if (status !== 400 || code.length > 256) return false;
  if (scannedAt && Date.now() - Date.parse(scannedAt) > 6.5 * 24 * 3600 * 1000) return false;
  try {
    if (Date.now() - Number(sessionStorage.getItem(RELOADED_KEY) || 0) < 10 * 60 * 1000) return false;
  } catch {
    return false;
  }
  needsReload = true;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Scans kept while offline (offline-queue.js, as the tablet keeps its baskets): with the time of the
// scan, sent in order, each removed once the box has answered it; in memory where localStorage is
// refused or full. The box stores a person once a day, so a resend never doubles.

const queue = new OfflineQueue({
  storageKey: QUEUE_KEY,
  idOf: (item) => `${item.scanned_at} ${item.code}`,
  onChange: (count) => {
    root.dataset.pending = String(count);
  },
  async send(item) {
    const { status } = await post(item.code, item.scanned_at);
    if (unreachable(status) || status === 401 || status === 403 || staleToken(status, item.code, item.scanned_at)) {
      setOffline(unreachable(status));
      return { status: "kept" };
    }
    setOffline(false);
    return { status: "answered" };
  },
});

function keep(code) {
  queue.add({ code, scanned_at: new Date().toISOString() });
}

async function checkNetwork() {
  if (needsReload && root.dataset.state === "idle") {
    try {
      sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
    } catch {
      // without sessionStorage the reload still happens, once more at most
    }
    window.location.reload();
  } else if (queue.count()) {
    await queue.flush();
  } else if (root.dataset.network === "offline") {
    try {
      const response = await fetch(config.health, { cache: "no-store" });
      setOffline(!response.ok);
    } catch {
      setOffline(true);
    }
  } else if (Date.now() - loadedAt > RELOAD_AFTER_MS && root.dataset.state === "idle") {
    window.location.reload();
  }
}

// ---------------------------------------------------------------------------------------------
// One scan, from the camera or the scanner: the same request either way.

function checkIn(rawCode) {
  const code = rawCode.trim().toUpperCase();
  if (!code) return;
  // One scan at a time, in order; a scan that fails in an unexpected way must not stop the next.
  sending = sending.then(() => send(code)).catch(() => show("problem"));
}

/** Send one scan and show the answer; keep it when the box cannot be reached. */
async function send(code) {
  if (queue.count()) await queue.flush(); // earlier scans first: their time is the arrival
  // Still behind unsent scans (the flush failed): this one joins them (status -1), in order.
  const { status, body } = queue.count() ? { status: -1, body: {} } : await post(code);
  if (status === 201) {
    setOffline(false);
    greeted = true;
    show("welcome", { "first-name": body.first_name, activity: body.activity || "" });
    if (!speakGreeting(body.first_name)) play(sounds.ok);
  } else if (status === 200) {
    setOffline(false);
    greeted = true;
    show("already", { "first-name": body.first_name, time: clockTime(body.checked_in_at) });
    if (!speakGreeting(body.first_name)) play(sounds.ok);
  } else if (status === -1 || unreachable(status) || staleToken(status, code)) {
    keep(code);
    if (status !== -1) setOffline(unreachable(status));
    show("noted");
    play(sounds.ok);
  } else if (status === 404) {
    show("unknown");
    play(sounds.host);
  } else if (status === 410) {
    show(REFUSED.includes(body.reason) ? body.reason : "revoked");
    play(sounds.host);
  } else if (status === 409 && "next_workshop" in body) {
    const picto = panels.get("closed").querySelector("[data-slot-picto]");
    if (body.next_pictogram) picto.src = body.next_pictogram;
    show("closed", { next: nextLine(body.next_workshop, body.next_activity) });
    play(sounds.host);
  } else {
    show("problem");
    play(sounds.host);
  }
}

function fromCamera(code) {
  const now = Date.now();
  if (code === lastCamera.code && now - lastCamera.at < CAMERA_REPEAT_MS) {
    lastCamera.at = now;
    return;
  }
  lastCamera = { code, at: now };
  checkIn(code);
}

// ---------------------------------------------------------------------------------------------
// Start: scanner at once, camera if there is one, the forgotten-card button, the network watch.

listenForScanner(checkIn);
listenForLanguageButtons();

startCamera(document.getElementById("kiosk-video"), fromCamera, {
  decoderUrl: config.decoder,
  wasmUrl: config.wasm,
  fallbackUrl: config.fallbackDecoder,
  onState(state, detail) {
    root.dataset.camera = state;
    if (detail) root.dataset.cameraDetail = detail;
    document.getElementById("kiosk-camera").hidden = state !== "on";
    document.getElementById("kiosk-card-picto").toggleAttribute("hidden", state === "on"); // an SVG: no .hidden
  },
});

document.getElementById("kiosk-forgot").addEventListener("click", (event) => {
  event.currentTarget.blur();
  show("forgot");
});
backButton.addEventListener("click", (event) => {
  event.currentTarget.blur();
  show("idle");
});

window.addEventListener("online", () => checkNetwork());
window.addEventListener("offline", () => setOffline(true));
setInterval(checkNetwork, RETRY_MS);
setOffline(false);
root.dataset.pending = String(queue.count());
checkNetwork();
