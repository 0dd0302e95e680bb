"""Issue 21: the benchmark's Thursday. Four devices used by different people send at their own
random moments (a Poisson process per device, from a fixed seed); the lockstep worst case fires
them together. Nothing is timed here; `make bench` measures."""

from datetime import date, timedelta

from kiosk.bench.__main__ import build
from kiosk.bench.server import Server, cli
from kiosk.bench.thursday import arrivals, thursday
from tests.conftest import sqlite_only


def test_lockstep_moments_are_evenly_spaced():
    moments = arrivals(5, 30, None)
    assert len(moments) == 150
    assert moments[:3] == [0.0, 0.2, 0.4]
    assert all(abs((b - a) - 0.2) < 1e-9 for a, b in zip(moments, moments[1:]))


def test_poisson_moments_are_the_same_thursday_every_run_and_independent_per_device():
    kiosk, again, tablet = arrivals(5, 30, 0), arrivals(5, 30, 0), arrivals(5, 30, 1)
    assert kiosk == again  # a fixed seed: every run of the bench plays the same Thursday
    assert kiosk != tablet  # another device, other moments
    for moments in (kiosk, tablet):
        assert 110 <= len(moments) <= 190  # 5 a second on average (150 in 30 s)
        assert moments == sorted(moments) and 0 < moments[0] and moments[-1] < 30
        gaps = [b - a for a, b in zip(moments, moments[1:])]
        # Independent people: some requests come close together, some far apart (not every 0.2 s).
        assert min(gaps) < 0.02 and max(gaps) > 0.6


@sqlite_only
def test_a_short_thursday_through_the_real_server_records_what_it_sent(tmp_path):
    measured_day = date.today() - timedelta(days=(date.today().weekday() - 3) % 7 or 7)
    env, made = build(tmp_path / "1y", 1, measured_day)
    codes = list(made["codes"].values())
    with Server(env) as server:
        played, _wall = thursday(server.port, cli, env, codes, seconds=2)
        lockstep, _wall = thursday(server.port, cli, env, codes[50:], seconds=1, lockstep=True)
    statuses = {(kind, status) for kind, status, *_rest in played + lockstep}
    assert statuses <= {("checkin", 201), ("checkin", 200), ("basket", 201)}, statuses
    assert sum(1 for r in lockstep if r[0] == "checkin") == 5 and sum(1 for r in lockstep if r[0] == "basket") == 15
    assert {r[0] for r in played} == {"checkin", "basket"}
