// What a device keeps while the box cannot be reached, and sends, in order, when it can: the kiosk's
// scans (with the time of each) and the tablet's baskets (with their Idempotency-Key). Shared by both.
//
// Items are kept in localStorage under the caller's key, oldest first; where localStorage is
// forbidden or full, in memory instead, until the page is reloaded. flush() sends them one at a time
// through send(item), which answers {status: "kept", ...} when the box could not take it (no
// network, box down, signed out): that item stays, and so do those after it (their order is the
// order of arrival). Any other answer settles the item: it is removed, and onSettled is told. What
// is resent is stored once by the box (a person once a day; a basket once per key).

export class OfflineQueue {
  /**
   * @param {{storageKey: string, idOf: (item: object) => string, send?: (item: object) => Promise<object>,
   *          onChange?: (count: number) => void, onSettled?: (item: object, outcome: object) => void,
   *          retryMs?: number}} options
   *   idOf: what tells one item from another; retryMs: try again this long after a flush that left
   *   items (none: the caller decides when); the browser's "online" event always sends what waits.
   */
  constructor({ storageKey, idOf, send, onChange, onSettled, retryMs }) {
    this.storageKey = storageKey;
    this.idOf = idOf;
    if (send) this.send = send;
    this.onChange = onChange || (() => {});
    this.onSettled = onSettled || (() => {});
    this.retryMs = retryMs || 0;
    this.memory = null; // used only where localStorage is forbidden or full
    this.running = null;
    this.timer = null;
    window.addEventListener("online", () => {
      if (this.count()) this.flush();
    });
  }

  items() {
    if (this.memory) return [...this.memory];
    try {
      const items = JSON.parse(window.localStorage.getItem(this.storageKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  save(items) {
    try {
      if (this.memory) throw new Error("storage unavailable");
      if (items.length) window.localStorage.setItem(this.storageKey, JSON.stringify(items));
      else window.localStorage.removeItem(this.storageKey);
    } catch {
      this.memory = [...items];
    }
    this.onChange(items.length);
  }

  count() {
    return this.items().length;
  }

  add(item) {
    this.save([...this.items(), item]);
  }

  /** Take an item out before it is sent; true if it was there. */
  remove(id) {
    const items = this.items();
    const kept = items.filter((item) => this.idOf(item) !== id);
    this.save(kept);
    return kept.length !== items.length;
  }

  /** Send what waits, oldest first; resolves with {id: outcome} for the items tried. A flush asked
   *  for while one runs joins it (that one also sends what was added meanwhile). */
  flush() {
    if (!this.running) {
      this.running = (async () => {
        clearTimeout(this.timer);
        const results = {};
        try {
          for (let item = this.items()[0]; item; item = this.items()[0]) {
            const id = this.idOf(item);
            let outcome;
            try {
              outcome = await this.send(item);
            } catch {
              outcome = { status: "kept", reason: "error" };
            }
            results[id] = outcome;
            if (outcome.status === "kept") break;
            this.remove(id);
            this.onSettled(item, outcome);
            const next = this.items()[0];
            if (next && this.idOf(next) === id) break; // could not be removed: never send it in a loop
          }
        } finally {
          this.running = null;
          if (this.retryMs && this.count()) this.timer = setTimeout(() => this.flush(), this.retryMs);
        }
        return results;
      })();
    }
    return this.running;
  }

  /** How one item reaches the box (given to the constructor, or defined by a subclass). */
  async send(_item) {
    return { status: "kept", reason: "no sender" };
  }
}

/** A new Idempotency-Key (a UUID v4), also where the page is not a secure context (plain HTTP). */
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}
