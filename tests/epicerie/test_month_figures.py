"""The baskets' stored figures (basket_month: each site's lines by month and category) against a
recount of the lines, through every path that changes them; the year's categories read them."""

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from kiosk.epicerie.month_figures import month_differences
from kiosk.models import Basket, BasketLine, BasketMonth, Category
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.reports.figures import year_report
from tests.epicerie.conftest import basket_body, line, post_basket


def stored() -> dict[str, tuple[int, int, int]]:
    """This month's stored figures, by category code: (lines, grams, cents)."""
    db.session.expire_all()
    rows = db.session.execute(
        select(Category.code, BasketMonth.lines, BasketMonth.weight_g, BasketMonth.value_cents)
        .join(Category, BasketMonth.category_id == Category.id)
        .where(BasketMonth.month == local_day().replace(day=1))).all()
    return {code: (n, grams, cents) for code, n, grams, cents in rows if n or grams or cents}


def test_a_basket_recorded_corrected_then_cancelled_leaves_the_recount(volunteer_client, household):
    """Do the stored figures follow a basket recorded, corrected and cancelled, equal to a recount at each step?"""
    first = post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50"),
                                                                      line("bebe", 1, 0.25, "4.20")])).json["id"]
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 1, "3.00")]))
    assert stored() == {"frais": (2, 2500, 1550), "bebe": (1, 250, 420)}
    assert month_differences() == []

    correction = {"lines": [line("frais", 3, 2, "15.00"), line("hygiene", 1, 0.5, "2.00")], "paid_eur": "1.70"}
    assert volunteer_client.put(f"/api/baskets/{first}", json=correction).status_code == 200
    assert stored() == {"frais": (2, 3000, 1800), "hygiene": (1, 500, 200)}
    assert month_differences() == []

    assert volunteer_client.post(f"/api/baskets/{first}/cancel").status_code == 200
    assert volunteer_client.post(f"/api/baskets/{first}/cancel").status_code == 200  # again: nothing more
    assert stored() == {"frais": (1, 1000, 300)}
    assert month_differences() == []


def test_a_refused_basket_moves_nothing(volunteer_client, household):
    """Does a basket refused (an unknown category) leave the stored figures as they were?"""
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 1, "3.00")]))
    refused = post_basket(volunteer_client, basket_body(household.id, [line("inconnue", 1, 1, "3.00")]))
    assert refused.status_code == 422
    assert stored() == {"frais": (1, 1000, 300)}


def recount_by_category(year: int) -> list[tuple[str, int, int]]:
    """The year's kilos and value by category, summed from the basket lines themselves."""
    return [(code, int(grams), int(cents)) for code, grams, cents in db.session.execute(
        select(Category.code, func.sum(BasketLine.weight_g), func.sum(BasketLine.value_cents))
        .join(BasketLine, BasketLine.category_id == Category.id).join(Basket, BasketLine.basket_id == Basket.id)
        .where(Basket.served_on >= date(year, 1, 1), Basket.served_on <= date(year, 12, 31),
               Basket.cancelled_at.is_(None))
        .group_by(Category.code, Category.position).order_by(Category.position, Category.code))]


def test_the_reports_categories_are_the_recount(volunteer_client, household):
    """Are the year's categories in the report exactly the lines' sums (a cancelled basket left out)?"""
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50"),
                                                             line("bebe", 1, 0.25, "4.20")]))
    gone = post_basket(volunteer_client, basket_body(household.id, [line("hygiene", 1, 2, "9.00")])).json["id"]
    volunteer_client.post(f"/api/baskets/{gone}/cancel")
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 1, "3.00")]))
    year = local_day().year
    categories = [(row.code, row.weight_g, row.value_cents) for row in year_report(year).current.categories]
    assert categories == recount_by_category(year) == [("frais", 2500, 1550), ("bebe", 250, 420)]


def test_figures_check_names_a_difference_and_rebuild_mends_it(runner, volunteer_client, household):
    """Does `kiosk figures check` pass, then fail naming the month and category of a stored figure
    gone wrong, until `kiosk figures rebuild` recounts it?"""
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50")]))
    assert runner.invoke(args=["figures", "check"]).exit_code == 0
    db.session.execute(text("UPDATE basket_month SET weight_g = weight_g + 7"))
    db.session.commit()
    failed = runner.invoke(args=["figures", "check"])
    assert failed.exit_code == 1
    assert f"{local_day():%Y-%m} frais" in failed.output and "1507 g" in failed.output
    rebuilt = runner.invoke(args=["figures", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["figures", "check"]).exit_code == 0
    assert stored() == {"frais": (1, 1500, 1250)}


def test_the_migration_fills_the_figures_from_the_baskets_there(app, household):
    """Does upgrading a database that already holds baskets fill the stored figures (cancelled ones left out)?"""
    frais, bebe = (db.session.scalar(select(Category.id).where(Category.code == code)) for code in ("frais", "bebe"))
    participant_id = household.id
    db.session.remove()
    downgrade(revision="20e_network_report")
    with db.engine.begin() as connection:
        for basket_id, day, cancelled in ((1, date(2025, 3, 6), None), (2, date(2025, 3, 27), None),
                                          (3, date(2025, 4, 3), None), (4, date(2025, 3, 13), datetime(2025, 3, 13))):
            connection.execute(text(
                "INSERT INTO basket (id, participant_id, served_on, served_at, idempotency_key, request_digest, "
                "value_cents, weight_g, paid_cents, cancelled_at) VALUES (:id, :p, :day, :at, :key, 'x', 0, 0, 0, :c)"),
                {"id": basket_id, "p": participant_id, "day": day, "at": datetime(day.year, day.month, day.day, 15),
                 "key": f"k{basket_id}", "c": cancelled})
            connection.execute(text(
                "INSERT INTO basket_line (basket_id, category_id, quantity, weight_g, value_cents) "
                "VALUES (:b, :frais, 1, 1000, 250), (:b, :bebe, 2, 300, 90)"), {"b": basket_id, "frais": frais, "bebe": bebe})
    upgrade()
    db.session.remove()
    rows = db.session.execute(select(BasketMonth.month, BasketMonth.category_id, BasketMonth.lines,
                                     BasketMonth.weight_g, BasketMonth.value_cents)
                              .order_by(BasketMonth.month, BasketMonth.category_id)).all()
    assert [tuple(row) for row in rows] == sorted([
        (date(2025, 3, 1), frais, 2, 2000, 500), (date(2025, 3, 1), bebe, 2, 600, 180),
        (date(2025, 4, 1), frais, 1, 1000, 250), (date(2025, 4, 1), bebe, 1, 300, 90)])
    assert month_differences() == []
