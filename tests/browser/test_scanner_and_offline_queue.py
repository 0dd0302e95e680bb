"""The scanner reader (static/js/scanner.js) and the offline queue (static/js/offline-queue.js) that
the kiosk and the épicerie tablet share, in real Chromium: each screen's own ways kept (the tablet's
search box, the kiosk's pauses and short input), and what waits sent once the network is back."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kiosk.platform.timezone import utcnow
from tests.browser.conftest import scanner_types
from tests.checkin.live_setup import add_person, assert_no_js_errors, checkins, open_kiosk
from tests.epicerie.browser_helpers import add_household, choose, fill_line, open_tablet, stored_baskets

pytestmark = pytest.mark.browser

SHARED = ("/static/js/scanner.js", "/static/js/offline-queue.js")
SENT_BACK = 20_000  # ms: the queues try again every few seconds and on the browser's "online" event

# A keyboard as the browser has it, in one task of the page: each key down, its character put into
# the focused field unless a listener prevented it (as the browser does), then up. Enter at the end.
KEYBOARD_INTO_FIELD = """(text) => {
  const target = document.activeElement || document.body;
  for (const key of [...text, "Enter"]) {
    const typed = target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    if (typed && key.length === 1 && "value" in target) {
      target.value += key;
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true }));
  }
}"""

# localStorage refusing every write (private browsing on some tablets, or a full storage).
STORAGE_REFUSED = """
Storage.prototype.setItem = function () { throw new DOMException("full", "QuotaExceededError"); };
"""


def record_scripts(context) -> set[str]:
    """The paths of the scripts the context's pages load (filled as they load)."""
    scripts = set()
    context.on("request", lambda request: scripts.add("/" + request.url.split("/", 3)[3].split("?")[0])
               if request.resource_type == "script" else None)
    return scripts


def person_types(page, text: str, gap_ms: int = 200) -> None:
    """A person at a keyboard: one key at a time, `gap_ms` apart on the page's (paused) clock."""
    for key in text:
        page.evaluate(KEYBOARD_INTO_FIELD.replace(', "Enter"', ""), key)
        page.clock.run_for(gap_ms)


# ---------------------------------------------------------------------------------------------
# The tablet


def test_tablet_scan_in_the_focused_search_box_is_a_card_and_leaves_the_box_alone(live_server, context, page):
    """With a volunteer's cursor in the search box, is a scan (real keys, then one at a scanner's
    speed in lower case) taken as a card, and taken back out of the box, while a name typed by a
    person and Enter still searches?"""
    add_household(live_server, "Nadia", "Haddad")
    _, code = add_household(live_server, "Mohamed", "Bensaïd")
    context.clock.install()
    scripts = record_scripts(context)
    open_tablet(page, live_server)
    assert set(SHARED) <= scripts
    page.clock.pause_at(utcnow() + timedelta(seconds=1))  # the page's time moves only when told: no race

    # Real key presses from Chromium's input pipeline into the focused box (a scanner typing a card).
    page.fill("#household-search", "nad")
    page.focus("#household-search")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("#household-name")).to_have_text("Mohamed Bensaïd")
    page.click("#household-change")
    expect(page.locator("#household-search")).to_have_value("nad")

    # A scanner set to lower case: not a card's shape, so known by its speed; the box is left as it was.
    page.focus("#household-search")
    page.evaluate(KEYBOARD_INTO_FIELD, code.lower())
    expect(page.locator("#household-name")).to_have_text("Mohamed Bensaïd")
    page.click("#household-change")
    expect(page.locator("#household-search")).to_have_value("nad")

    # A person typing a name (a key every 200 ms) then Enter: a search, not a card.
    page.fill("#household-search", "")
    page.focus("#household-search")
    person_types(page, "haddad")
    page.evaluate(KEYBOARD_INTO_FIELD, "")  # Enter
    expect(page.locator(".result-name")).to_have_text(["Nadia Haddad"])
    expect(page.locator("#household-search")).to_have_value("haddad")
    expect(page.locator("#household")).to_be_hidden()


def test_tablet_takes_codes_from_other_readers(live_server, page):
    """Does a code announced by another reader (the `cepourmoi:code` event) find the household?"""
    _, code = add_household(live_server, "Mohamed", "Bensaïd")
    open_tablet(page, live_server)
    page.evaluate("(code) => document.dispatchEvent(new CustomEvent('cepourmoi:code', {detail: {code}}))", code)
    expect(page.locator("#household-name")).to_have_text("Mohamed Bensaïd")


def test_tablet_baskets_wait_in_memory_when_storage_is_refused_and_go_when_back(live_server, context, page):
    """Where the tablet's storage refuses to keep anything, are baskets confirmed offline still
    counted, kept in memory, and each stored once, in order, with its key, when the network returns?"""
    first_id, _ = add_household(live_server, "Fatima", "Benali")
    second_id, second_code = add_household(live_server, "Nadia", "Haddad")
    context.add_init_script(STORAGE_REFUSED)
    keys = []
    page.on("request", lambda r: keys.append(r.headers.get("idempotency-key"))
            if r.method == "POST" and r.url.endswith("/api/baskets") else None)
    open_tablet(page, live_server)
    choose(page, "benali")
    context.set_offline(True)
    page.click('.tile[data-category="frais"]')
    fill_line(page, "frais", "8,00")
    page.click("#basket-confirm")
    expect(page.locator("#toast-text")).to_contain_text("Pas de réseau")
    expect(page.locator("#outbox-status")).to_have_text("1 panier en attente d'envoi")
    scanner_types(page, second_code)  # found by its card, without the box
    expect(page.locator("#household-name")).to_contain_text("Carte lue sans réseau")
    page.click('.tile[data-category="hygiene"]')
    fill_line(page, "hygiene", "4,50")
    page.click("#basket-confirm")
    expect(page.locator("#outbox-status")).to_have_text("2 paniers en attente d'envoi")
    assert page.evaluate("localStorage.length") == 0
    assert stored_baskets(live_server) == []

    context.set_offline(False)
    expect(page.locator("#outbox-status")).to_be_hidden(timeout=SENT_BACK)
    baskets = stored_baskets(live_server)
    assert [(b["participant_id"], b["value_cents"]) for b in baskets] == [(first_id, 800), (second_id, 450)]
    sent_keys = [key for key in keys if key]
    assert {b["key"] for b in baskets} == set(sent_keys) and len(set(sent_keys)) == 2
    expect(page.locator(".today-row")).to_have_count(2)


# ---------------------------------------------------------------------------------------------
# The kiosk


@pytest.fixture
def kiosk_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris")
    context.clock.install()
    yield context
    context.close()


def test_kiosk_scanner_keeps_its_pause_and_length_rules(live_server, kiosk_context):
    """On the kiosk: is a scan from real key presses a check-in; are stray keys forgotten after a
    pause; does a short input with Enter press the focused button as usual; is the shared reader loaded?"""
    fatima_id, fatima = add_person(live_server, "Fatima")
    karim_id, karim = add_person(live_server, "Karim")
    scripts = record_scripts(kiosk_context)
    page = open_kiosk(kiosk_context, live_server)
    assert set(SHARED) <= scripts
    page.clock.pause_at(utcnow() + timedelta(seconds=1))  # the page's time moves only when told: no race
    kiosk = page.locator("#kiosk")

    page.keyboard.type(fatima)
    page.keyboard.press("Enter")
    expect(kiosk).to_have_attribute("data-state", "welcome")
    page.clock.run_for(6000)
    expect(kiosk).to_have_attribute("data-state", "idle")

    # Stray keys, then more than half a second, then a scan: the stray keys are not part of the code.
    scanner_types(page, "")  # a lone Enter: nothing
    page.evaluate(KEYBOARD_INTO_FIELD.replace(', "Enter"', ""), "GH")
    page.clock.run_for(600)
    scanner_types(page, karim)
    expect(kiosk).to_have_attribute("data-state", "welcome")
    expect(page.locator('[data-panel="welcome"] .kiosk-name')).to_have_text("Karim")
    assert sorted(row.participant_id for row in checkins(live_server)) == sorted([fatima_id, karim_id])
    page.clock.run_for(6000)
    expect(kiosk).to_have_attribute("data-state", "idle")

    # Under four characters, Enter is not a code: it presses the focused button.
    page.get_by_role("button", name="J'ai oublié ma carte").focus()
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    expect(kiosk).to_have_attribute("data-state", "forgot")
    assert len(checkins(live_server)) == 2
    assert_no_js_errors(page)


def test_kiosk_takes_codes_from_other_readers(live_server, kiosk_context):
    """Does a code announced by another reader (the `cepourmoi:code` event) check the person in?"""
    _id, code = add_person(live_server, "Fatima")
    page = open_kiosk(kiosk_context, live_server)
    page.evaluate("(code) => document.dispatchEvent(new CustomEvent('cepourmoi:code', {detail: {code}}))", code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    assert len(checkins(live_server)) == 1
    assert_no_js_errors(page)


def test_kiosk_scans_wait_in_memory_when_storage_is_refused(live_server, kiosk_context):
    """Where the kiosk's storage refuses to keep anything, are offline scans counted, kept in memory
    and sent, each with its time, when the network returns?"""
    fatima_id, fatima = add_person(live_server, "Fatima")
    karim_id, karim = add_person(live_server, "Karim")
    kiosk_context.add_init_script(STORAGE_REFUSED)
    page = open_kiosk(kiosk_context, live_server)
    kiosk = page.locator("#kiosk")
    kiosk_context.set_offline(True)
    scanner_types(page, fatima)
    expect(kiosk).to_have_attribute("data-state", "noted")
    scanner_types(page, karim)
    expect(kiosk).to_have_attribute("data-pending", "2")
    assert page.evaluate("localStorage.length") == 0
    kiosk_context.set_offline(False)
    expect(kiosk).to_have_attribute("data-pending", "0", timeout=SENT_BACK)
    assert [row.participant_id for row in checkins(live_server)] == [fatima_id, karim_id]
    assert_no_js_errors(page)


# ---------------------------------------------------------------------------------------------
# The queue itself, in the page (what both screens rely on)

QUEUE_CHECKS = """async () => {
  const { OfflineQueue } = await import("/static/js/offline-queue.js");
  const said = [];
  let answer = "kept";
  let release = null;
  const queue = new OfflineQueue({
    storageKey: "test.queue",
    idOf: (item) => item.id,
    onChange: (count) => said.push(count),
    async send(item) {
      said.push("send " + item.id);
      if (release) await new Promise((resolve) => { const go = release; release = null; go(resolve); });
      return { status: answer };
    },
  });
  queue.add({ id: "a" });
  queue.add({ id: "b" });
  const kept = await queue.flush();                    // the box cannot take "a": "b" waits behind it
  const stored = JSON.parse(localStorage.getItem("test.queue")).map((item) => item.id);
  answer = "sent";
  let resume;
  release = (resolve) => { resume = resolve; };
  const first = queue.flush();
  queue.add({ id: "c" });                              // added while a flush runs...
  const joined = queue.flush() === first;              // ...a second flush joins it...
  resume();
  const sent = await first;                            // ...which sends "c" too, in order
  const removed = queue.remove("nothing");
  return { kept, stored, sent, joined, removed, left: localStorage.getItem("test.queue"), said };
}"""


def test_offline_queue_in_the_page(live_server, page):
    """Does the shared queue keep order, stop at an item the box could not take, let a flush asked
    for during another join it (sending what was added meanwhile), and leave no trace once empty?"""
    page.goto(live_server.url + "/login")
    result = page.evaluate(QUEUE_CHECKS)
    assert result["kept"] == {"a": {"status": "kept"}}
    assert result["stored"] == ["a", "b"]
    assert result["joined"] is True
    assert list(result["sent"]) == ["a", "b", "c"]
    assert result["removed"] is False
    assert result["left"] is None
    assert result["said"] == [1, 2, "send a", "send a", 3, 2, "send b", 1, "send c", 0, 0]
