// Reading QR cards by camera. Used by the kiosk; the scanner that types a code is read by scanner.js.
// No network: the decoder is the browser's own BarcodeDetector where it has one, else zxing-wasm
// served from static/vendor (never a CDN), else jsQR (also from static/vendor).

// ---------------------------------------------------------------------------------------------
// The decoder: BarcodeDetector (Chrome on Android, Safari on iPad 17+), else zxing-wasm.

let zxingReady = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

async function nativeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return {
      kind: "native",
      decode: async (video) => {
        const found = await detector.detect(video);
        return found.length ? found[0].rawValue : null;
      },
    };
  } catch {
    return null;
  }
}

async function zxingDetector(decoderUrl, wasmUrl) {
  if (!zxingReady) {
    zxingReady = (async () => {
      if (!window.ZXingWASM) await loadScript(decoderUrl);
      const wasmHref = new URL(wasmUrl, document.baseURI).href;
      await window.ZXingWASM.prepareZXingModule({
        overrides: {
          locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmHref : prefix + path),
        },
        fireImmediately: true,
      });
      return window.ZXingWASM;
    })();
  }
  const zxing = await zxingReady;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const options = { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 };
  return {
    kind: "zxing-wasm",
    decode: async (video) => {
      const scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const results = await zxing.readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), options);
      const found = results.find((result) => result.isValid && result.text);
      return found ? found.text : null;
    },
  };
}

async function jsqrDetector(fallbackUrl) {
  if (!window.jsQR) await loadScript(fallbackUrl);
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return {
    kind: "jsqr",
    decode: async (video) => {
      const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return found ? found.data : null;
    },
  };
}

/**
 * The best decoder this browser offers: {kind, decode(video) -> Promise<string|null>}.
 * BarcodeDetector if the browser has one; else zxing-wasm; else, where WebAssembly is forbidden
 * (a Content-Security-Policy without 'wasm-unsafe-eval'), jsQR in plain JavaScript.
 */
export async function createDecoder({ decoderUrl, wasmUrl, fallbackUrl }) {
  const native = await nativeDetector();
  if (native) return native;
  try {
    return await zxingDetector(decoderUrl, wasmUrl);
  } catch (error) {
    if (!fallbackUrl) throw error;
    return jsqrDetector(fallbackUrl);
  }
}

// ---------------------------------------------------------------------------------------------
// The camera: starts by itself, reads frames a few times a second, and calls onCode for each code
// seen (the caller decides what a repeat means). A camera that is missing or unplugged is looked
// for again now and then; a refusal (permission denied) is final until the page is reloaded.

/**
 * Start the camera into a <video> element and decode what it sees.
 * @param {HTMLVideoElement} video
 * @param {(code: string) => void} onCode
 * @param {{decoderUrl: string, wasmUrl: string, fallbackUrl?: string, facingMode?: string, intervalMs?: number,
 *          retryMs?: number, onState?: (state: string, detail?: string) => void}} options
 *   onState receives "starting", "on" (with the decoder kind), "off" (with the reason:
 *   "unsupported", "denied", "missing", "decoder").
 * @returns {{stop: () => void}}
 */
export function startCamera(video, onCode, options) {
  const intervalMs = options.intervalMs ?? 120;
  const retryMs = options.retryMs ?? 15000;
  const onState = options.onState || (() => {});
  let stream = null;
  let stopped = false;
  let timer = null;

  function later(fn, ms) {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(fn, ms);
  }

  function release() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
  }

  async function open() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      onState("off", "unsupported"); // not a secure page (HTTPS or localhost), or no camera API
      return;
    }
    onState("starting");
    let decoder;
    try {
      decoder = await createDecoder(options);
    } catch (error) {
      onState("off", "decoder");
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: { ideal: options.facingMode || "user" },
          width: { ideal: 1280 },
          height: { ideal: 720 },
        },
      });
    } catch (error) {
      const denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      onState("off", denied ? "denied" : "missing");
      if (!denied) later(open, retryMs);
      return;
    }
    if (stopped) return release();
    stream.getVideoTracks().forEach((track) =>
      track.addEventListener("ended", () => {
        release();
        onState("off", "missing");
        later(open, retryMs);
      }),
    );
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // autoplay of a muted video is allowed everywhere; if not, frames still arrive
    }
    onState("on", decoder.kind);
    performance.mark("qr-camera-on");
    scan(decoder);
  }

  async function scan(decoder) {
    if (stopped || !stream) return;
    if (video.readyState >= 2 && video.videoWidth > 0 && !document.hidden) {
      try {
        const code = await decoder.decode(video);
        if (code) {
          performance.mark("qr-code-read");
          onCode(code);
        }
      } catch {
        // a frame that could not be read: try the next one
      }
    }
    later(() => scan(decoder), intervalMs);
  }

  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      release();
    },
  };
}
