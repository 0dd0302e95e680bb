"""The kiosk's scanner path in real Chromium: a USB or Bluetooth scanner types the code and Enter."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kiosk.cards.services import stop_cards
from kiosk.models import CheckInSource, Participant
from kiosk.people.services import record_exit
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from kiosk.privacy.services import anonymise_participant
from tests.browser.conftest import check_axe, scanner_types, screenshot
from tests.checkin.live_setup import (
    add_person,
    assert_no_js_errors,
    check_axe_on_paused_clock,
    checkins,
    open_kiosk,
    plan_today,
    replace_card,
)

pytestmark = pytest.mark.browser

# What a scanner set up as a US keyboard types on a French (AZERTY) computer: the same key positions
# give other characters. Card codes avoid every key that differs, so both must give the same code.
AZERTY_FROM_QWERTY = str.maketrans(
    "aqwzmAQWZM;1234567890",
    "qazw,QAZW?m&é\"'(-è_çà",
)


def as_typed(code: str, layout: str, case: str) -> str:
    typed = code.translate(AZERTY_FROM_QWERTY) if layout == "azerty" else code
    return typed.lower() if case == "lower" else typed



def hold(page):
    """Stop the kiosk's clock so a message stays on screen while it is checked (no timed waits)."""
    page.clock.pause_at(utcnow() + timedelta(seconds=1))


def visible_text(page) -> str:
    return " ".join(page.locator("#kiosk").inner_text().split())


# Notes which sounds the page plays (headless Chromium has no speakers to listen to).
RECORD_SOUNDS = """
window.soundsPlayed = [];
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  window.soundsPlayed.push(this.src.split('?')[0].split('/').pop());
  return play.call(this);
};
"""


@pytest.fixture
def kiosk_context(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR", timezone_id="Europe/Paris")
    context.clock.install()
    context.add_init_script(RECORD_SOUNDS)
    yield context
    context.close()


@pytest.mark.parametrize("layout", ["qwerty", "azerty"])
def test_scanner_under_both_layouts_and_both_cases(live_server, kiosk_context, layout):
    """Does a code typed by a scanner, in upper or lower case, under QWERTY or AZERTY, check the person in, with no field focused?"""
    people = {name: add_person(live_server, name) for name in ("Fatima", "Karim")}
    page = open_kiosk(kiosk_context, live_server)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "idle")
    assert page.evaluate("document.activeElement === document.body")
    for (name, (_id, code)), case in zip(people.items(), ("upper", "lower"), strict=True):
        scanner_types(page, as_typed(code, layout, case))
        expect(page.locator('[data-panel="welcome"] .kiosk-name')).to_have_text(name)
        expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    assert sorted(row.participant_id for row in checkins(live_server)) == sorted(i for i, _ in people.values())
    assert all(row.source == CheckInSource.CARD for row in checkins(live_server))
    assert_no_js_errors(page)


def test_welcome_then_back_to_scanning(live_server, kiosk_context):
    """Does the greeting show a tick, "Bonjour Fatima !" and today's activity, then go back to scanning by itself?"""
    _id, code = add_person(live_server, "Fatima", "Benali")
    plan_today(live_server, "Atelier cuisine")
    page = open_kiosk(kiosk_context, live_server)
    screenshot(page, "kiosk-idle", sizes=("kiosk", "tablet"))
    check_axe(page)
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    hold(page)
    panel = page.locator('[data-panel="welcome"]')
    assert " ".join(panel.locator("h1").inner_text().split()) == "Bonjour Fatima !"
    assert "Aujourd'hui : Atelier cuisine" in " ".join(panel.inner_text().split())
    assert panel.locator(".picto-tick").is_visible()
    assert page.evaluate("window.soundsPlayed") == ["checkin-ok.wav"]
    assert "Benali" not in visible_text(page)
    check_axe_on_paused_clock(page)
    screenshot(page, "kiosk-welcome", sizes=("kiosk", "tablet"))
    page.clock.run_for(6000)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "idle")
    expect(page.locator('[data-panel="idle"]')).to_be_visible()
    assert_no_js_errors(page)


def test_second_scan_is_friendly_with_french_time(live_server, kiosk_context):
    """Does a second scan the same day say, without alarm, when the person was first recorded ("14 h 02")?"""
    _id, code = add_person(live_server, "Fatima")
    page = open_kiosk(kiosk_context, live_server)
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    scanner_types(page, code.lower())
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "already")
    hold(page)
    local = checkins(live_server)[0].checked_in_at.astimezone(ZoneInfo("Europe/Paris"))
    panel_text = " ".join(page.locator('[data-panel="already"]').inner_text().split())
    assert "Bonjour Fatima !" in panel_text
    assert f"Présence déjà enregistrée à {local.hour} h {local.minute:02d}" in panel_text
    assert re.search(r"à \d{1,2} h \d{2}$", panel_text)
    assert len(checkins(live_server)) == 1
    check_axe_on_paused_clock(page)
    screenshot(page, "kiosk-already", sizes=("kiosk", "tablet"))
    assert_no_js_errors(page)


@pytest.mark.parametrize(
    "card, title",
    [("unknown", "Carte non reconnue"), ("replaced", "Cette carte ne marche plus"),
     ("revoked", "Cette carte ne marche plus"), ("exited", "Allez voir l'accueil"),
     ("anonymised", "Cette carte ne marche plus")],
)
def test_refused_cards_say_why_and_send_to_the_host(live_server, kiosk_context, card, title):
    """Does each refused card (unknown, replaced, stopped, of someone who left, of erased data) say its
    own true words plainly, with a pictogram, send the person to the host, and name no one?"""
    person_id, code = add_person(live_server, "Fatima")
    if card == "unknown":
        code = "BCDEFGHIJKLNOPRSTUVXBCDEFGHIJK"
    else:
        refuse_card(live_server, person_id, card)
    page = open_kiosk(kiosk_context, live_server)
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", card)
    hold(page)
    panel = page.locator(f'[data-panel="{card}"]')
    assert panel.locator("h1").inner_text() == title
    assert "accueil" in panel.inner_text()
    assert panel.locator(".kiosk-to-host").inner_text().strip() == LEADS[card]
    assert panel.locator("svg.picto").is_visible()
    assert page.evaluate("window.soundsPlayed") == ["checkin-see-host.wav"]
    assert "Fatima" not in visible_text(page)
    assert checkins(live_server) == []
    check_axe_on_paused_clock(page)
    screenshot(page, f"kiosk-{card}", sizes=("kiosk", "tablet"))
    assert_no_js_errors(page)


LEADS = {
    "unknown": "Allez voir la personne de l'accueil, elle va vous aider.",
    "replaced": "Une nouvelle carte a été faite pour vous. Allez voir la personne de l'accueil.",
    "revoked": "Elle a été arrêtée. Allez voir la personne de l'accueil, elle va vous aider.",
    "exited": "Votre inscription à l'atelier est terminée. La personne de l'accueil peut vous réinscrire.",
    "anonymised": "Les informations de cette carte ont été effacées. Allez voir la personne de l'accueil.",
}


def refuse_card(live, person_id: int, why: str) -> None:
    """Make a card stop working in one of the ways the kiosk tells apart."""
    if why == "replaced":
        replace_card(live, person_id)
        return
    with live.app.app_context():
        person = db.session.get(Participant, person_id)
        {"revoked": lambda: stop_cards(person), "exited": lambda: record_exit(person, local_day(), "work"),
         "anonymised": lambda: anonymise_participant(person, "erasure")}[why]()
        db.session.commit()


def test_forgotten_card_button_reveals_no_one(live_server, kiosk_context):
    """Does "J'ai oublié ma carte" send the person to the host without showing any name or list, then come back?"""
    add_person(live_server, "Fatima", "Benali")
    page = open_kiosk(kiosk_context, live_server)
    page.get_by_role("button", name="J'ai oublié ma carte").click()
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "forgot")
    hold(page)
    text = visible_text(page)
    assert "Allez voir la personne de l'accueil" in text
    assert "Fatima" not in text and "Benali" not in text
    assert page.locator("#kiosk li, #kiosk table, #kiosk input").count() == 0
    check_axe_on_paused_clock(page)
    screenshot(page, "kiosk-forgot", sizes=("kiosk", "tablet"))
    page.get_by_role("button", name="Retour").click()
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "idle")
    assert_no_js_errors(page)


def test_scanner_enter_does_not_press_a_focused_button(live_server, kiosk_context):
    """With the "Retour" button focused, does a scan check the person in rather than the Enter pressing the button?"""
    _id, code = add_person(live_server, "Fatima")
    page = open_kiosk(kiosk_context, live_server)
    page.get_by_role("button", name="J'ai oublié ma carte").click()
    page.get_by_role("button", name="Retour").focus()
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    assert len(checkins(live_server)) == 1
    assert_no_js_errors(page)


def test_small_screen_keeps_everything_in_view(live_server, browser):
    """At 1280×800, are the greeting and the forgotten-card button fully on screen, without scrolling?"""
    _id, code = add_person(live_server, "Marie-Christine", "Test")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris")
    context.clock.install()
    page = open_kiosk(context, live_server)
    button = page.get_by_role("button", name="J'ai oublié ma carte").bounding_box()
    assert button["y"] + button["height"] <= 800 and button["height"] >= 64
    scanner_types(page, code)
    expect(page.locator("#kiosk")).to_have_attribute("data-state", "welcome")
    hold(page)
    title = page.locator('[data-panel="welcome"] h1').bounding_box()
    assert title["x"] >= 0 and title["x"] + title["width"] <= 1280 and title["y"] + title["height"] <= 800
    assert page.evaluate("document.documentElement.scrollHeight") <= 800
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_no_js_errors(page)
    context.close()
