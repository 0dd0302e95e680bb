// The kiosk's languages (kiosk/programme/kiosk_screen.py): the words of each, chosen by a button,
// French again after each greeting; the greeting spoken by the browser's own voice, nothing else.
const languages = JSON.parse(document.getElementById("kiosk-words").textContent);
const byCode = new Map(languages.map((language) => [language.code, language]));
const first = languages[0];
let current = first;

export function words() {
  return current.words;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_all, key) => values[key] ?? "");
}

/** "jeudi 10 décembre, Cuisine" in the current language (the date by the browser's own calendar). */
export function nextLine(isoDate, activity) {
  if (!isoDate) return current.words.no_next;
  const day = new Intl.DateTimeFormat(current.code, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
    .format(new Date(`${isoDate}T12:00:00Z`));
  return fill(activity ? current.words.next : current.words.next_no_activity, { day, activity });
}

/** The greeting heading: the words around the first name, the name in its own span. */
function greet(heading, name) {
  const [before, after = ""] = current.words.hello.split("{name}");
  const span = document.createElement("span");
  span.className = "kiosk-name";
  span.dataset.slot = "first-name";
  span.textContent = name;
  heading.replaceChildren(before, span, after);
}

function apply() {
  document.documentElement.lang = current.code;
  document.documentElement.dir = current.dir;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = current.words[el.dataset.i18n];
    if (text !== undefined) el.textContent = text;
  }
  for (const heading of document.querySelectorAll("[data-i18n-hello]")) {
    greet(heading, heading.querySelector('[data-slot="first-name"]')?.textContent || "");
  }
  for (const line of document.querySelectorAll("[data-next-line]")) {
    line.textContent = `${current.words.closed} ${nextLine(line.dataset.date, line.dataset.activity)}`;
  }
  for (const button of document.querySelectorAll(".kiosk-language")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === current.code));
  }
}

export function setLanguage(code) {
  current = byCode.get(code) || first;
  apply();
}

export function resetLanguage() {
  if (current !== first) setLanguage(first.code);
}

/** Say "Bonjour Fatima" in the chosen language, only where the device has a voice for it. */
export function speakGreeting(name) {
  const synth = window.speechSynthesis;
  if (!synth || !name) return false;
  const voice = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(current.code));
  if (!voice) return false;
  const utterance = new SpeechSynthesisUtterance(fill(current.words.spoken_hello, { name }));
  utterance.lang = voice.lang;
  utterance.voice = voice;
  synth.cancel();
  synth.speak(utterance);
  document.documentElement.dataset.spoke = utterance.text;
  return true;
}

export function listenForLanguageButtons() {
  for (const button of document.querySelectorAll(".kiosk-language")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  if (window.speechSynthesis) window.speechSynthesis.getVoices(); // some browsers load voices lazily
  apply();
}
