/* The tablet's outbox: every confirmed basket goes through it, so none is lost when the Wi-Fi drops.
 *
 * A basket is written to localStorage with the Idempotency-Key made when it was confirmed, then
 * sent to POST /api/baskets. It leaves the outbox when the box has answered for it (stored, or
 * refused as invalid); otherwise it stays and is sent again, with the same key, when the network
 * comes back. The box stores a key once, so a basket whose answer was lost is never stored twice.
 * Only what is needed to send it is kept: the body and who served it (no name).
 */
const STORAGE_KEY = "cepourmoi.epicerie.outbox.v1";
const RETRY_MS = 4000;

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context (HTTPS); the box is often reached over plain HTTP.
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

function csrfFromHtml(html) {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  return match ? match[1] : null;
}

class Outbox {
  constructor({url, csrfToken, onChange, onSettled}) {
    this.url = url;
    this.csrfToken = csrfToken;
    this.onChange = onChange || (() => {});
    this.onSettled = onSettled || (() => {});
    this.memory = [];
    this.running = Promise.resolve();
    this.timer = null;
    window.addEventListener("online", () => this.flush());
  }

  load() {
    try {
      const items = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return this.memory.slice();
    }
  }

  save(items) {
    this.memory = items.slice();
    try {
      if (items.length) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch (error) { /* private mode or full: the copy in memory still holds it */ }
    this.onChange(items.length);
  }

  count() { return this.load().length; }

  /* Keep a confirmed basket; returns its key. */
  add(body, servedBy) {
    const item = {key: newKey(), body: body, servedBy: servedBy || null};
    this.save(this.load().concat([item]));
    return item.key;
  }

  /* Take back a basket not sent yet (the "Annuler" right after confirming); true if it was there. */
  remove(key) {
    const items = this.load();
    const kept = items.filter((item) => item.key !== key);
    this.save(kept);
    return kept.length !== items.length;
  }

  /* Send what waits, in order; resolves with {key: outcome} for the baskets tried. */
  flush() {
    this.running = this.running.then(() => this.flushOnce(), () => this.flushOnce());
    return this.running;
  }

  async flushOnce() {
    clearTimeout(this.timer);
    const results = {};
    for (const item of this.load()) {
      const outcome = await this.send(item);
      results[item.key] = outcome;
      if (outcome.status === "kept") break;
      this.remove(item.key);
      this.onSettled(item, outcome);
    }
    if (this.count()) this.timer = setTimeout(() => this.flush(), RETRY_MS);
    return results;
  }

  async post(item) {
    const headers = {
      "Content-Type": "application/json",
      "Accept": "application/json",
      "X-CSRFToken": this.csrfToken,
      "Idempotency-Key": item.key,
    };
    if (item.servedBy) headers["X-Served-By"] = String(item.servedBy);
    return fetch(this.url, {method: "POST", headers: headers, body: JSON.stringify(item.body),
                            credentials: "same-origin", cache: "no-store"});
  }

  async refreshToken() {
    const response = await fetch(window.location.pathname, {credentials: "same-origin", cache: "no-store"});
    const token = response.ok ? csrfFromHtml(await response.text()) : null;
    if (token) this.csrfToken = token;
    return Boolean(token);
  }

  async send(item, retried) {
    let response;
    let payload = {};
    try {
      response = await this.post(item);
      payload = await response.json().catch(() => ({}));
    } catch (error) {
      return {status: "kept", reason: "network"};
    }
    if (response.status === 200 || response.status === 201) {
      return {status: "sent", id: payload.id, created: response.status === 201};
    }
    if (response.status === 400 && !retried) {
      // Most often a stale CSRF token (the session changed): fetch a fresh one and try once more.
      try {
        if (await this.refreshToken()) return this.send(item, true);
      } catch (error) {
        return {status: "kept", reason: "network"};
      }
    }
    if (response.status === 401 || response.status === 403) return {status: "kept", reason: "signed-out"};
    if (response.status === 409 || response.status === 429 || response.status >= 500) {
      return {status: "kept", reason: "busy"};
    }
    // A limit of the rules (a coordinator may pass it) says so in a header; the body stays the contract's.
    return {status: "refused", errors: payload.errors || {}, message: payload.error || "",
            limit: Boolean(response.headers.get("X-Epicerie-Limit"))};
  }
}

export { Outbox as EpicerieOutbox };
