"""The words for the stock's stored codes: sources of food and reasons for losses."""

from flask_babel import lazy_gettext as _l

from kiosk.models import ARRIVAL_SOURCES, LossReason, StockSource

SOURCES = {
    StockSource.BANQUE_ALIMENTAIRE: _l("Banque Alimentaire"),
    StockSource.RAMASSE: _l("Ramasse (supermarchés)"),
    StockSource.ACHAT: _l("Achat"),
    StockSource.DON: _l("Don"),
    StockSource.AUTRE: _l("Autre"),
    StockSource.INVENTAIRE: _l("Inventaire d'ouverture"),
}
# The sources an arrival form offers (the opening count has its own page).
ARRIVAL_CHOICES = {source: SOURCES[source] for source in ARRIVAL_SOURCES}
# Line pictograms drawn in templates/stock/_sources.html.
SOURCE_PICTOGRAMS = {
    StockSource.BANQUE_ALIMENTAIRE: "crate",
    StockSource.RAMASSE: "truck",
    StockSource.ACHAT: "cart",
    StockSource.DON: "heart",
    StockSource.AUTRE: "dots",
}
LOSS_REASONS = {
    LossReason.OUT_OF_DATE: _l("Date dépassée"),
    LossReason.DAMAGED: _l("Abîmé"),
    LossReason.OTHER: _l("Autre raison"),
}
