"""Issue 20: `kiosk transfer --to URL --site NAME` moves a box into a network's server as a new site."""

import subprocess

from sqlalchemy import create_engine, func, select, text

from tests.foundation.test_transfer import KIOSK, counts, empty_target, sqlite_box  # noqa: F401


def run(env, *args):
    return subprocess.run([str(KIOSK), *args], env=env, capture_output=True, text=True, timeout=300)


def test_a_box_moves_into_a_network_server_as_a_new_site(sqlite_box, empty_target, tmp_path):
    server = {**sqlite_box, "KIOSK_DATABASE_URL": empty_target, "KIOSK_INSTANCE_PATH": str(tmp_path / "server")}
    assert run(server, "init-db").returncode == 0
    added = run(server, "participant", "add", "--first-name", "Deja", "--last-name", "La")
    assert added.returncode == 0, added.stderr
    box = counts(sqlite_box["KIOSK_DATABASE_URL"])
    logo = b"\x89PNG the box's logo"
    box_engine = create_engine(sqlite_box["KIOSK_DATABASE_URL"])
    with box_engine.begin() as connection:  # the box's one logo, site 1's
        connection.execute(text("INSERT INTO centre_logo (id, png, uploaded_at) VALUES (1, :png, '2026-01-01 10:00:00.000000')"),
                           {"png": logo})
    box_engine.dispose()

    moved = run(sqlite_box, "transfer", "--to", empty_target, "--site", "Centre Nord")
    assert moved.returncode == 0, moved.stderr + moved.stdout

    engine = create_engine(empty_target.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            site = connection.scalar(text("SELECT id FROM site WHERE name = 'Centre Nord'"))
            assert site == 2
            # the box's logo becomes the new site's; the server's first site still has none
            assert connection.execute(text("SELECT id, png FROM centre_logo")).all() == [(2, logo)]
            assert connection.scalar(text("SELECT count(*) FROM participant WHERE site_id = 2")) == box["participant"]
            assert connection.scalar(text("SELECT count(*) FROM participant WHERE site_id = 1")) == 1
            # the box's settings become the new site's (its stock start, stamped by its init-db)
            assert connection.scalar(text("SELECT count(*) FROM setting WHERE site_id = 2")) == box["setting"] > 0
            assert connection.scalar(text("SELECT count(*) FROM check_in WHERE site_id = 2")) == box["check_in"]
            # every reference lands on the new site's rows
            assert connection.scalar(text(
                "SELECT count(*) FROM check_in c JOIN participant p ON p.id = c.participant_id "
                "WHERE c.site_id = 2 AND p.site_id <> 2")) == 0
            assert connection.scalar(text(
                "SELECT count(*) FROM card c JOIN participant p ON p.id = c.participant_id WHERE p.site_id = 2")) \
                == box["card"]
    finally:
        engine.dispose()
    # The baskets' stored figures came along under the new site, equal to a recount of its lines.
    checked = run(server, "figures", "check", "--site", "Centre Nord")
    assert checked.returncode == 0 and box["basket_month"] > 0, checked.stdout + checked.stderr

    again = run(sqlite_box, "transfer", "--to", empty_target, "--site", "Centre Nord")
    assert again.returncode != 0 and len(again.stderr.strip().splitlines()) == 1
    other_name = run(sqlite_box, "transfer", "--to", empty_target, "--site", "Centre Sud")
    assert other_name.returncode != 0 and "déjà pris" in other_name.stderr  # the same logins
