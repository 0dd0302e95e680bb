/* The tablet's outbox: every confirmed basket goes through it, so none is lost when the Wi-Fi drops.
 *
 * A basket is kept on the tablet (offline-queue.js, shared with the kiosk's scans) with the
 * Idempotency-Key made when it was confirmed, then sent to POST /api/baskets. It leaves the outbox
 * when the box has answered for it (stored, or refused as invalid); otherwise it stays and is sent
 * again, with the same key, when the network comes back. The box stores a key once, so a basket
 * whose answer was lost is never stored twice. Only what is needed to send it is kept: the body and
 * who served it (no name).
 */
import { OfflineQueue, newIdempotencyKey } from "./offline-queue.js";

const STORAGE_KEY = "cepourmoi.epicerie.outbox.v1";
const RETRY_MS = 4000;

function csrfFromHtml(html) {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  return match ? match[1] : null;
}

class Outbox extends OfflineQueue {
  constructor({url, csrfToken, onChange, onSettled}) {
    super({storageKey: STORAGE_KEY, idOf: (item) => item.key, onChange, onSettled, retryMs: RETRY_MS});
    this.url = url;
    this.csrfToken = csrfToken;
  }

  /* Keep a confirmed basket; returns its key. */
  add(body, servedBy) {
    const item = {key: newIdempotencyKey(), body: body, servedBy: servedBy || null};
    super.add(item);
    return item.key;
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
