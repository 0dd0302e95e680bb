// Card codes typed by a USB or Bluetooth scanner ("keyboard wedge"), and from any other reader.
// Shared by the kiosk and the épicerie tablet; the camera is in qr-scanner.js.
//
// A scanner types the code then Enter (or Tab), like a very fast keyboard, whatever has the focus:
// keys are read on the document, before any field or button gets them. Letters are read as the
// layout gives them (event.key), which is why card codes only use letters that AZERTY, QWERTY and
// QWERTZ type alike.
//
// Any other reader (a camera decoder, a test) plugs in without changing this file:
//     document.dispatchEvent(new CustomEvent("cepourmoi:code", {detail: {code: "…"}}))

/** Our card codes: 20 capital letters or more. */
const CARD_SHAPE = /^[A-Z]{20,}$/;
const IGNORED_KEYS = new Set(["Shift", "CapsLock", "Control", "Alt", "AltGraph", "Meta"]);
const NOT_TEXT = new Set(["button", "checkbox", "color", "file", "hidden", "image", "radio", "range", "reset", "submit"]);

/** Does this text have the shape of one of our card codes (so a name search should not be run)? */
export function looksLikeCard(text) {
  return CARD_SHAPE.test(String(text || "").trim());
}

function textField(element) {
  if (element instanceof HTMLTextAreaElement) return element;
  if (element instanceof HTMLInputElement && !NOT_TEXT.has(element.type)) return element;
  return null;
}

/**
 * Listen for codes from a scanner (and from `cepourmoi:code` events); returns a function that stops.
 *
 * Outside a text field, the keys typed since the last pause, at least `minLength` of them, then
 * Enter or Tab, are a code. In a text field (a volunteer's search box) the keys are the person's,
 * unless they came at a scanner's speed (at least `fastMinLength` keys, each within `fastGapMs`) or
 * have the shape of a card; then they are taken back out of the field, which is left as it was, and
 * read as a code. The Enter of a code goes no further (it must not press a focused button or run
 * the search); any other Enter works as usual.
 *
 * @param {(code: string) => void} onCode
 * @param {{minLength?: number, maxGapMs?: number, fastGapMs?: number, fastMinLength?: number}} [options]
 *   maxGapMs: a pause longer than this starts a new code (stray key presses are forgotten).
 */
export function listenForScanner(onCode, options = {}) {
  const minLength = options.minLength ?? 4;
  const maxGapMs = options.maxGapMs ?? 500;
  const fastGapMs = options.fastGapMs ?? 60;
  const fastMinLength = options.fastMinLength ?? 6;
  let burst = ""; // everything typed since the last pause
  let fastRun = ""; // the end of it typed at a scanner's speed
  let lastKeyAt = 0;
  let field = null; // the text field that had the focus when the burst began
  let beforeBurst = ""; // its value then
  let beforeFastRun = ""; // its value when the fast run began

  function reset() {
    burst = "";
    fastRun = "";
    field = null;
  }

  function takeBack(value) {
    if (field && field.value !== value) {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function codeAtEnd() {
    if (!field) return burst.trim().length >= minLength ? burst : null;
    if (fastRun.length >= fastMinLength) {
      takeBack(beforeFastRun);
      return fastRun;
    }
    if (looksLikeCard(burst)) {
      takeBack(beforeBurst);
      return burst;
    }
    return null;
  }

  function onKeyDown(event) {
    if (event.isComposing || IGNORED_KEYS.has(event.key)) return;
    const now = performance.now();
    const paused = now - lastKeyAt > maxGapMs;
    if (event.key === "Enter" || event.key === "Tab") {
      const code = burst && !paused ? codeAtEnd() : null;
      reset();
      if (code) {
        event.preventDefault();
        event.stopPropagation();
        onCode(code.trim());
      }
      return;
    }
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) {
      reset(); // an arrow, a deletion, a shortcut: not a scanner
      return;
    }
    if (!burst || paused) {
      reset();
      field = textField(document.activeElement);
      beforeBurst = beforeFastRun = field ? field.value : "";
    } else if (now - lastKeyAt > fastGapMs) {
      fastRun = "";
      beforeFastRun = field ? field.value : "";
    }
    burst = (burst + event.key).slice(-300);
    fastRun = (fastRun + event.key).slice(-300);
    lastKeyAt = now;
  }

  function onEvent(event) {
    const code = String((event.detail && event.detail.code) || "").trim();
    if (code) onCode(code);
  }

  document.addEventListener("keydown", onKeyDown, true);
  document.addEventListener("cepourmoi:code", onEvent);
  return () => {
    document.removeEventListener("keydown", onKeyDown, true);
    document.removeEventListener("cepourmoi:code", onEvent);
  };
}
