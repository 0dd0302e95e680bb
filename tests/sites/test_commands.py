"""Issue 20: `kiosk site add` and `--site NAME` on the commands (CONTRACT.md, "Sites")."""

import json

from sqlalchemy import select

from kiosk.models import Device, Participant, Role, User, UserSite, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.sites.scope import every_site
from tests.conftest import TEST_PASSWORD


def last_json(result):
    return json.loads(result.output.strip().splitlines()[-1])


def test_site_add_answers_its_id_and_refuses_a_second_of_the_same_name(runner):
    result = runner.invoke(args=["site", "add", "Centre Nord"])
    assert result.exit_code == 0, result.output
    assert last_json(result)["id"] == 2
    again = runner.invoke(args=["site", "add", "centre nord"])
    assert again.exit_code != 0 and "existe déjà" in again.output


def test_one_site_needs_no_site_option(runner):
    result = runner.invoke(args=["participant", "add", "--first-name", "Ana", "--last-name", "Uno"])
    assert result.exit_code == 0, result.output
    with every_site():
        assert db.session.scalar(select(Participant.site_id).where(Participant.first_name == "Ana")) == 1


def test_with_several_sites_commands_need_site_and_put_rows_there(runner):
    runner.invoke(args=["site", "add", "Centre Nord"])
    left_out = runner.invoke(args=["participant", "add", "--first-name", "Ana", "--last-name", "Uno"])
    assert left_out.exit_code != 0 and "--site" in left_out.output
    assert len(left_out.output.strip().splitlines()) == 1
    unknown = runner.invoke(args=["participant", "add", "--first-name", "Ana", "--last-name", "Uno",
                                  "--site", "Nulle Part"])
    assert unknown.exit_code != 0 and "Nulle Part" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1
    ok = runner.invoke(args=["participant", "add", "--first-name", "Ana", "--last-name", "Uno",
                             "--site", "Centre Nord"])
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(args=["device", "add", "Borne Nord", "--kind", "kiosk", "--site", "Centre Nord"]).exit_code == 0
    assert runner.invoke(args=["workshop", "plan", "--date", "2027-01-05", "--activity", "Cuisine",
                               "--site", "Centre Nord"]).exit_code == 0
    assert runner.invoke(args=["workshop", "plan", "--date", "2027-01-05", "--activity", "Cuisine"]).exit_code != 0
    with every_site():
        assert db.session.scalar(select(Participant.site_id).where(Participant.first_name == "Ana")) == 2
        assert db.session.scalar(select(Device.site_id).where(Device.name == "Borne Nord")) == 2
        assert db.session.scalars(select(WorkshopDay.site_id)).all() == [2]


def test_user_add_with_sites_a_referent_on_two_and_a_network_user_on_none(runner):
    runner.invoke(args=["site", "add", "Centre Nord"])
    runner.invoke(args=["site", "add", "Centre Sud"])
    referent = runner.invoke(args=["user", "add", "ref", "--role", "referent", "--password", TEST_PASSWORD,
                                   "--referrer", "Mme Briand", "--site", "Centre Nord", "--site", "Centre Sud"])
    assert referent.exit_code == 0, referent.output
    two = runner.invoke(args=["user", "add", "vol", "--role", "volunteer", "--password", TEST_PASSWORD,
                              "--site", "Centre Nord", "--site", "Centre Sud"])
    assert two.exit_code != 0
    network = runner.invoke(args=["user", "add", "reseau", "--role", "network", "--password", TEST_PASSWORD])
    assert network.exit_code == 0, network.output
    with every_site():
        ref = db.session.scalar(select(User).where(User.username == "ref"))
        assert ref.site_id == 2
        assert db.session.scalars(select(UserSite.site_id).where(UserSite.user_id == ref.id)).all() == [3]
        net = db.session.scalar(select(User).where(User.username == "reseau"))
        assert net.site_id is None and net.role == Role.NETWORK


def test_report_without_site_sums_the_network_and_with_site_counts_one(runner, tmp_path):
    runner.invoke(args=["site", "add", "Centre Nord"])
    for site, name in (("Centre social", "Ana"), ("Centre Nord", "Bea"), ("Centre Nord", "Cleo")):
        pass
    out = tmp_path / "r.json"
    result = runner.invoke(args=["report", "--year", "2026", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    one = runner.invoke(args=["report", "--year", "2026", "--format", "json", "--out", str(out),
                              "--site", "Centre Nord"])
    assert one.exit_code == 0, one.output


def test_send_due_serves_every_site_when_left_out(runner):
    runner.invoke(args=["site", "add", "Centre Nord"])
    result = runner.invoke(args=["messages", "send-due"])
    assert result.exit_code == 0, result.output
    assert set(last_json(result)) == {"sms", "letters", "failed"}
