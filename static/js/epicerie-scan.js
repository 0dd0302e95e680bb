/* Card codes for the épicerie tablet, from any source, delivered to one handler.
 *
 * Sources:
 * - a USB or Bluetooth scanner ("keyboard wedge"): it types the code then Enter, at any moment,
 *   whatever has the focus. It is told from a person typing by its speed, or by the shape of our
 *   card codes (20+ capital letters); what it typed into a field is taken back out.
 * - any other reader, such as a camera decoder (static/js/qr-scanner.js, when it is added), plugs
 *   in without changing this file: it dispatches
 *       document.dispatchEvent(new CustomEvent("cepourmoi:code", {detail: {code: "…"}}))
 *   or calls EpicerieScan.deliver(code) (this module's export).
 */
var FAST_GAP_MS = 60;        // a scanner types a key every few milliseconds
var BURST_GAP_MS = 1000;     // a pause longer than this starts a new burst
var MIN_FAST_LENGTH = 6;
var CARD_SHAPE = /^[A-Z]{20,}$/;

var handler = null;

function deliver(code) {
  var text = String(code || "").trim();
  if (text && handler) handler(text);
}

function isField(element) {
  return element && (element.tagName === "INPUT" || element.tagName === "TEXTAREA");
}

function listenKeyboardWedge() {
  var burst = "";         // everything typed since the last pause
  var fastRun = "";       // the end of it typed at scanner speed
  var last = 0;
  var field = null;
  var beforeBurst = "";
  var beforeFastRun = "";

  function reset() { burst = ""; fastRun = ""; field = null; }

  function takeBack(value) {
    if (field && field.value !== value) {
      field.value = value;
      field.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }

  document.addEventListener("keydown", function (event) {
    var now = performance.now();
    if (event.key === "Enter") {
      var code = null;
      if (fastRun.length >= MIN_FAST_LENGTH) { code = fastRun; takeBack(beforeFastRun); }
      else if (CARD_SHAPE.test(burst)) { code = burst; takeBack(beforeBurst); }
      reset();
      if (code) {
        event.preventDefault();
        event.stopPropagation();
        deliver(code);
      }
      return;
    }
    if (event.key === "Shift" || event.key === "CapsLock") return;
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) { reset(); return; }
    if (!burst || now - last > BURST_GAP_MS) {
      reset();
      field = isField(document.activeElement) ? document.activeElement : null;
      beforeBurst = beforeFastRun = field ? field.value : "";
    } else if (now - last > FAST_GAP_MS) {
      fastRun = "";
      beforeFastRun = field ? field.value : "";
    }
    burst += event.key;
    fastRun += event.key;
    last = now;
  }, true);
}

document.addEventListener("cepourmoi:code", function (event) {
  deliver(event.detail && event.detail.code);
});

export const EpicerieScan = {
  /* Send every code read, from any source, to this function. */
  onCode: function (fn) { handler = fn; },
  deliver: deliver,
  looksLikeCard: function (text) { return CARD_SHAPE.test(text); }
};
listenKeyboardWedge();
