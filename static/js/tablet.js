/* The épicerie tablet: find a household (name or card), build the basket with a few taps, confirm.
 *
 * Baskets are recorded only through POST /api/baskets, by way of the outbox (epicerie-outbox.js),
 * which keeps them on the tablet while the box cannot be reached (offline-queue.js, as the kiosk's
 * scans are kept). Card codes come from scanner.js, the kiosk's reader too (a scanner that types;
 * a camera decoder can plug into it later).
 * Every sentence shown comes from the page (data-config), translated by the box.
 */
import { EpicerieBasket } from "./epicerie-basket.js";
import { EpicerieOutbox } from "./epicerie-outbox.js";
import { EpicerieToday } from "./epicerie-today.js";
import { listenForScanner, looksLikeCard } from "./scanner.js";

const root = document.getElementById("tablet");
if (root) startTablet(root);

function startTablet(root) {
  const config = JSON.parse(root.dataset.config);
  const text = config.messages;
  const lang = document.documentElement.lang || "fr";
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);

  const state = {
    household: null,   // {id, label, summary} or, scanned without network, {code, label}
    editing: null,     // the basket of the day being corrected
    lastSaved: null,   // {key, id, label}: what the "Annuler" under the confirm button takes back
  };
  const awaiting = new Set();   // keys whose first answer the confirm button is waiting for
  const undone = new Set();     // keys taken back while perhaps already on their way

  const fill = EpicerieBasket.fill;
  const parseCents = EpicerieBasket.parseCents;
  const basket = new EpicerieBasket({
    text: text,
    lang: lang,
    /* The centre's rate as the box gave it with the household (the rules may have changed since loading). */
    rate: () => (state.household && state.household.summary
      ? state.household.summary.contribution_percent : config.contributionPercent),
    baCap: () => (state.household && state.household.summary
      ? state.household.summary.banque_alimentaire_percent : config.banqueAlimentairePercent),
    products: config.products,
    canFill: () => Boolean(state.editing) || Boolean(state.household && (
      state.household.code !== undefined || state.household.summary.can_record)),
    householdChosen: () => Boolean(state.household),
  });
  const euros = (cents) => basket.euros(cents);

  /* Beyond what is left this month: said while the basket is built (the rules decide at the box). */
  basket.onTotals = (total) => {
    const summary = state.household && state.household.summary;
    const warning = $("basket-warning");
    const remaining = summary ? parseCents(summary.remaining_eur) : null;
    const over = summary && !state.editing && total > remaining;
    warning.hidden = !over;
    if (over) warning.textContent = fill(text.beyondAllowance, {value: euros(total), remaining: euros(remaining)});
  };

  async function api(method, url, body) {
    const options = {method: method, credentials: "same-origin", cache: "no-store",
                     headers: {"Accept": "application/json", "X-CSRFToken": csrfToken}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    return {ok: response.ok, status: response.status, data: data,
            limit: Boolean(response.headers.get("X-Epicerie-Limit"))};
  }

  function errorText(data) {
    if (data && data.errors) return Object.values(data.errors).join(" ");
    return (data && data.error) || text.networkDown;
  }

  /* ---------- the toast ---------- */

  function toast(message, undoable) {
    $("toast-text").textContent = message;
    $("toast-undo").hidden = !undoable;
    $("toast").hidden = false;
  }

  $("toast-close").addEventListener("click", () => { $("toast").hidden = true; });

  $("toast-undo").addEventListener("click", async () => {
    const saved = state.lastSaved;
    if (!saved) return;
    $("toast-undo").hidden = true;
    if (saved.id) {
      try {
        const answer = await api("POST", config.urls.baskets + "/" + saved.id + "/cancel");
        toast(answer.ok ? text.undone : fill(text.refused, {message: errorText(answer.data)}), false);
      } catch (error) {
        toast(text.undoFailed, false);
      }
    } else {
      undone.add(saved.key);
      outbox.remove(saved.key);
      toast(text.undone, false);
    }
    state.lastSaved = null;
    refreshToday();
  });

  /* ---------- the outbox ---------- */

  const outbox = new EpicerieOutbox({
    url: config.urls.baskets,
    csrfToken: csrfToken,
    onChange: (count) => {
      const status = $("outbox-status");
      status.hidden = count === 0;
      status.textContent = count === 1 ? text.waiting1 : fill(text.waitingN, {n: count});
    },
    onSettled: (item, outcome) => {
      if (awaiting.has(item.key)) return;  // the confirm button reports its own basket
      if (outcome.status === "sent" && undone.has(item.key)) {
        api("POST", config.urls.baskets + "/" + outcome.id + "/cancel").catch(() => {});
      } else if (outcome.status === "refused") {
        toast(fill(text.laterRefused, {message: errorText(outcome)}), false);
      } else if (state.lastSaved && state.lastSaved.key === item.key) {
        state.lastSaved.id = outcome.id;
      }
      refreshToday();
    },
  });

  /* ---------- finding the household ---------- */

  let searchTimer = null;
  let searchSerial = 0;

  function householdMessage(message) { $("household-message").textContent = message || ""; }

  async function search(query) {
    const serial = ++searchSerial;
    const list = $("household-results");
    if (query.trim().length < 2 || looksLikeCard(query)) {
      list.replaceChildren();
      householdMessage("");
      return;
    }
    householdMessage(text.searching);
    let answer;
    try {
      answer = await api("GET", config.urls.households + "?q=" + encodeURIComponent(query));
    } catch (error) {
      householdMessage(text.offlineSearch);
      return;
    }
    if (serial !== searchSerial) return;
    const found = answer.ok ? answer.data : [];
    householdMessage(found.length ? "" : text.noResult);
    list.replaceChildren(...found.map((household) => {
      const item = $("tpl-result").content.firstElementChild.cloneNode(true);
      item.querySelector(".result-name").textContent = household.first_name + " " + household.last_name;
      const detail = item.querySelector(".result-detail"); // two people of one name: told apart
      detail.textContent = household.tell_apart || "";
      detail.hidden = !household.tell_apart;
      const badge = item.querySelector(".result-badge");
      badge.textContent = household.access_open ? text.accessOpen : text.accessClosed;
      badge.classList.add(household.access_open ? "badge-ok" : "badge-danger");
      item.querySelector("button").addEventListener("click", () => chooseHousehold(household.id));
      return item;
    }));
  }

  $("household-search").addEventListener("input", (event) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(event.target.value), 250);
  });
  $("household-search").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      search(event.target.value);
    }
  });

  async function chooseHousehold(id) {
    try {
      const answer = await api("GET", config.urls.households + "/" + id);
      if (answer.ok && state.editing) resetBasket();
      if (answer.ok) showHousehold(answer.data);
      else householdMessage(errorText(answer.data));
    } catch (error) {
      householdMessage(text.offlineSearch);
    }
  }

  async function lookupCard(code) {
    clearTimeout(searchTimer);
    searchSerial++;  // a scan supersedes a name search still on its way: its answer is dropped
    if (state.editing) resetBasket();
    let answer;
    try {
      answer = await api("POST", config.urls.lookup, {code: code});
    } catch (error) {
      showOfflineCard(code);
      return;
    }
    if (answer.ok) showHousehold(answer.data);
    else if ([502, 503, 504].includes(answer.status)) showOfflineCard(code);
    else { showFinder(); householdMessage(errorText(answer.data) || text.scanUnknown); }
  }

  function showHousehold(summary) {
    state.household = {id: summary.id, label: summary.first_name + " " + summary.last_name.charAt(0) + ".",
                       summary: summary};
    $("household-name").textContent = summary.first_name + " " + summary.last_name;
    const warnings = $("household-warnings");
    warnings.replaceChildren(...summary.warnings.map((warning) => {
      const item = document.createElement("li");
      item.className = "warning warning-" + warning.level;
      item.dataset.code = warning.code;
      item.textContent = warning.message;
      return item;
    }));
    const access = summary.access.open ? fill(text.accessUntil, {day: summary.access.until_label}) : text.accessNone;
    $("household-access").textContent = access;
    $("household-size").textContent = summary.household_size === 1
      ? text.household1 : fill(text.householdN, {n: summary.household_size});
    $("household-month").textContent = fill(text.month, {
      taken: euros(parseCents(summary.taken_month_eur)), allowance: euros(parseCents(summary.allowance_eur)),
      remaining: euros(parseCents(summary.remaining_eur))});
    $("household-last").textContent = summary.last_visit_label
      ? fill(text.lastVisit, {day: summary.last_visit_label}) : text.firstVisit;
    for (const id of ["household-access", "household-size", "household-month", "household-last"]) {
      $(id).hidden = false;
    }
    revealHousehold();
  }

  function showOfflineCard(code) {
    state.household = {code: code, label: null};
    $("household-name").textContent = text.offlineCard;
    $("household-warnings").replaceChildren();
    for (const id of ["household-access", "household-size", "household-month", "household-last"]) {
      $(id).hidden = true;
    }
    revealHousehold();
  }

  function revealHousehold() {
    $("toast").hidden = true;  // the previous basket's "Annuler" stays in "Paniers du jour"
    $("household-finder").hidden = true;
    $("household").hidden = false;
    $("household-change").hidden = Boolean(state.editing);
    if (!state.editing) $("household-name").focus();
    hideOverride();
    basket.refresh();
  }

  function showFinder() {
    state.household = null;
    $("household").hidden = true;
    $("household-finder").hidden = false;
    basket.refresh();
  }

  $("household-change").addEventListener("click", () => {
    showFinder();
    $("household-search").focus();
  });

  // A scan is a card, also while the cursor is in the search box (what it typed there is taken back).
  // A slow scanner typing in a field is known by the card's shape: a pause of up to a second is allowed.
  listenForScanner(lookupCard, {maxGapMs: 1000});

  /* ---------- confirming the basket ---------- */

  function resetBasket() {
    state.editing = null;
    hideOverride();
    $("basket-editing").hidden = true;
    $("basket-abandon").hidden = true;
    $("basket-confirm").textContent = $("basket-confirm").dataset.labelNew;
    showFinder();
    basket.clear();
    $("household-search").value = "";
    $("household-results").replaceChildren();
    householdMessage("");
  }

  async function confirmBasket() {
    const body = basket.body();
    if (!body) return;
    const button = $("basket-confirm");
    button.disabled = true;
    if (state.editing) {
      await saveCorrection(body);
      return;
    }
    const household = state.household;
    if (household.code !== undefined) body.code = household.code;
    else body.participant_id = household.id;
    await sendBasket(body, household);
  }

  /* ---------- beyond a limit: the refusal, and the coordinator's override ---------- */

  function hideOverride() {
    $("override").hidden = true;
    $("override-form").hidden = true;
    $("override-reason").value = "";
  }

  function offerOverride(outcome) {
    $("override").hidden = false;
    $("override-text").textContent = outcome.errors.participant + " " +
      (config.canOverride ? text.overrideAsk : text.overrideNotYou);
    $("override-form").hidden = !config.canOverride;
    if (config.canOverride) $("override-reason").focus();
  }

  $("override-confirm").addEventListener("click", async () => {
    const reason = $("override-reason").value.trim();
    if (!reason) {
      $("basket-error").textContent = text.overrideMissing;
      $("override-reason").focus();
      return;
    }
    const body = basket.body();
    if (!body) return;
    body.override_reason = reason;
    if (state.editing) {
      await saveCorrection(body);
      return;
    }
    const household = state.household;
    if (household.code !== undefined) body.code = household.code;
    else body.participant_id = household.id;
    await sendBasket(body, household);
  });

  async function sendBasket(body, household) {
    const button = $("basket-confirm");
    button.disabled = true;
    const key = outbox.add(body, config.serverId);
    awaiting.add(key);
    toast(text.sending, false);
    const results = await outbox.flush();
    awaiting.delete(key);
    const outcome = results[key] || {status: "kept"};
    if (outcome.status === "refused") {
      $("toast").hidden = true;
      // Only a limit of the rules may be passed by a coordinator (not "no open access"); a household
      // found by its card gets the same offer (the override is sent with its code).
      // A refusal about the household is said once (the override panel, or the toast).
      $("basket-error").textContent = outcome.errors && outcome.errors.participant ? "" : errorText(outcome);
      if (outcome.limit && outcome.errors && outcome.errors.participant) offerOverride(outcome);
      else toast(fill(text.refused, {message: errorText(outcome)}), false);
      button.disabled = false;
      return;
    }
    state.lastSaved = {key: key, id: outcome.id || null, label: household.label};
    const said = outcome.status === "sent" ? (household.label ? text.saved : text.savedPlain) : text.kept;
    toast(fill(said, {name: household.label}), true);
    resetBasket();
    refreshToday();
  }

  $("basket-confirm").addEventListener("click", confirmBasket);

  /* ---------- today's baskets: correct or cancel ---------- */

  async function saveCorrection(body) {
    let answer;
    try {
      answer = await api("PUT", config.urls.baskets + "/" + state.editing.id, body);
    } catch (error) {
      $("basket-error").textContent = text.networkDown;
      $("basket-confirm").disabled = false;
      return;
    }
    if (!answer.ok) {
      if (answer.status === 422 && answer.limit && answer.data.errors && answer.data.errors.participant) {
        offerOverride(answer.data);
      }
      else $("basket-error").textContent = errorText(answer.data);
      $("basket-confirm").disabled = false;
      return;
    }
    toast(text.corrected, false);
    resetBasket();
    refreshToday();
  }

  /* Correcting a basket of the day: the household stays in view (its month, its warnings), the
   * lines are loaded, and the share follows the centre's rate again as soon as a line changes. */
  async function startEdit(chosen) {
    state.editing = chosen;
    state.household = null;
    hideOverride();
    $("basket-editing").textContent = fill(text.editing, {name: chosen.household, time: chosen.time});
    $("basket-editing").hidden = false;
    $("basket-abandon").hidden = false;
    $("basket-confirm").textContent = $("basket-confirm").dataset.labelSave;
    $("household-finder").hidden = true;
    $("household").hidden = false;
    $("household-change").hidden = true;
    $("household-name").textContent = chosen.household;
    $("household-warnings").replaceChildren();
    basket.load(chosen.lines, chosen.paid_eur);
    $("basket-editing").focus();
    try {
      const answer = await api("GET", config.urls.households + "/" + chosen.participant_id);
      if (answer.ok && state.editing === chosen) showHousehold(answer.data);
    } catch (error) {
      // offline: the name from the list stays shown
    }
  }

  $("basket-abandon").addEventListener("click", resetBasket);

  const today = new EpicerieToday({
    url: config.urls.baskets, text: text, api: api, euros: euros, errorText: errorText,
    onCorrect: startEdit, onMessage: (message) => toast(message, false),
  });
  const refreshToday = () => today.refresh();

  /* ---------- start ---------- */

  basket.render();
  refreshToday();
  outbox.onChange(outbox.count());
  if (outbox.count()) outbox.flush();
  root.dataset.ready = "true";  // for the browser tests: the listeners are in place
}
