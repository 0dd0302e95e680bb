"""The demo centre's stock: a Banque Alimentaire delivery before each workshop week, supermarket
pick-ups, a donation, a few losses, and the cooking sessions' ingredients; enough that the stock
stays above what the demo's baskets took."""

from datetime import timedelta

from kiosk.models import LossReason, StockArrival, StockArrivalLine, StockLoss, StockSource, WorkshopDay, WorkshopUse
from kiosk.platform.extensions import db

COOKING = "Atelier cuisine"
INGREDIENTS = {"fruits_legumes": ["Carottes", "Pommes de terre", "Oignons", "Pommes"],
               "frais": ["Crème fraîche", "Œufs", "Fromage râpé"],
               "epicerie_seche": ["Lentilles", "Farine", "Riz", "Pâtes"]}


def _line(rng, category, low_kg, high_kg) -> StockArrivalLine:
    grams = rng.randint(low_kg * 1000, high_kg * 1000)
    return StockArrivalLine(category=category, weight_g=grams, value_cents=grams * rng.randint(350, 550) // 1000)


def load_demo_stock(rng, thursdays, categories, volunteers) -> None:
    """Arrivals, losses and workshop use around the demo's Thursdays (added to the session, flushed by the caller)."""
    by_code = {category.code: category for category in categories}
    for day in thursdays:
        delivery = day - timedelta(days=2)
        db.session.add(StockArrival(source=StockSource.BANQUE_ALIMENTAIRE, received_on=delivery,
                                    recorded_by=rng.choice(volunteers),
                                    lines=[_line(rng, category, 18, 30) for category in categories]))
        db.session.add(StockArrival(source=StockSource.RAMASSE, received_on=day - timedelta(days=1),
                                    recorded_by=rng.choice(volunteers),
                                    lines=[_line(rng, by_code[code], 4, 12) for code in ("fruits_legumes", "frais")
                                           if code in by_code]))
        if rng.random() < 0.25:
            db.session.add(StockLoss(happened_on=day, category=by_code.get("frais", categories[0]),
                                     reason=rng.choice([LossReason.OUT_OF_DATE, LossReason.DAMAGED]),
                                     weight_g=rng.randint(500, 3000), value_cents=rng.randint(200, 900)))
    db.session.add(StockArrival(source=StockSource.DON, received_on=thursdays[len(thursdays) // 2],
                                note="Collecte de l'école", recorded_by=rng.choice(volunteers),
                                lines=[_line(rng, by_code.get("epicerie_seche", categories[0]), 20, 40)]))
    db.session.flush()
    sessions = db.session.scalars(db.select(WorkshopDay).where(WorkshopDay.day.in_(thursdays))).all()
    for session in sessions:
        if session.activity is None or session.activity.name != COOKING:
            continue
        for code, names in INGREDIENTS.items():
            if code in by_code:
                grams = rng.randint(5, 30) * 100
                db.session.add(WorkshopUse(workshop_day_id=session.id, used_on=session.day, category=by_code[code],
                                           ingredient=rng.choice(names), weight_g=grams, value_cents=grams * 4 // 10))
