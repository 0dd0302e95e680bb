"""Setting up the live server's database for the kiosk's browser tests (people, cards, a kiosk)."""

import os
import secrets

from kiosk.devices.services import add_device
from kiosk.platform.extensions import db
from kiosk.models import Activity, CheckIn, DeviceKind, WorkshopDay
from kiosk.people.services import add_participant
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day

KIOSK_PAGE_ERRORS = "kiosk_page_errors"


def add_person(live, first_name: str, last_name: str = "Test") -> tuple[int, str]:
    """A participant with a working card on the live database: (id, code)."""
    with live.app.app_context():
        participant = add_participant(first_name, last_name, referrer_name="Mme Briand")
        _card, code = issue_card(participant)
        db.session.commit()
        return participant.id, code


def replace_card(live, participant_id: int) -> str:
    """Give someone a new card; their old one stops working. Returns the new code."""
    from kiosk.models import Participant

    with live.app.app_context():
        _card, code = issue_card(db.session.get(Participant, participant_id))
        db.session.commit()
        return code


def plan_today(live, activity: str) -> None:
    """Plan today's workshop day with an activity."""
    with live.app.app_context():
        db.session.add(WorkshopDay(day=local_day(), activity=Activity(name=activity)))
        db.session.commit()


def enrolment_url(live, kind: DeviceKind = DeviceKind.KIOSK) -> str:
    """A one-time enrolment link for a new device on the live server."""
    with live.app.app_context():
        _device, path = add_device(f"{kind} {secrets.token_hex(3)}", kind)
        db.session.commit()
    return live.url + path


def checkins(live) -> list[CheckIn]:
    """Every check-in on the live database (detached, read-only)."""
    with live.app.app_context():
        rows = db.session.scalars(db.select(CheckIn).order_by(CheckIn.id)).all()
        db.session.expunge_all()
        return rows


def open_kiosk(context, live):
    """A page enrolled as a kiosk, on the kiosk screen, failing the test on any JavaScript error."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    setattr(page, KIOSK_PAGE_ERRORS, errors)
    page.goto(enrolment_url(live))
    page.wait_for_url("**/kiosk")
    return page


def assert_no_js_errors(page) -> None:
    errors = getattr(page, KIOSK_PAGE_ERRORS, [])
    assert not errors, f"JavaScript errors on the kiosk: {errors}"


def chromium_with_camera(playwright, video_path, chromium_path, flags):
    """A separate Chromium whose camera plays `video_path` (the permission prompt is accepted)."""
    assert os.path.exists(video_path)
    return playwright.chromium.launch(
        executable_path=chromium_path,
        headless=True,
        args=[
            *flags,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video_path}",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )


def check_axe_on_paused_clock(page) -> None:
    """check_axe for a kiosk whose clock the test has paused (so a message stays on screen).

    axe-core waits on setTimeout, which the paused clock holds back: step the clock a millisecond
    at a time until axe is done, far less than the kiosk's few seconds before it goes back to idle.
    """
    from tests.browser.conftest import AXE_SOURCE

    page.evaluate(AXE_SOURCE)
    page.evaluate(
        """() => {
            window.axeViolations = null;
            axe.run(document, {resultTypes: ['violations']}).then(r => {
                window.axeViolations = r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            });
        }"""
    )
    violations = None
    for _ in range(3000):
        violations = page.evaluate("() => window.axeViolations")
        if violations is not None:
            break
        page.clock.run_for(1)
    assert violations == [], "axe-core violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations or []
    )
