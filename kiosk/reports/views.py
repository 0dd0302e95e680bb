"""The year's report page and its downloads (PDF, XLSX, each funder's file), at the report's old URLs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.platform.numbers import ascii_int
from kiosk.audit import AuditAction, record_reading
from kiosk.auth.access import allow
from kiosk.centre.services import centre_identity
from kiosk.dashboard import labels
from kiosk.dashboard.formatting import HELPERS
from kiosk.models import Role
from kiosk.platform.downloads import download
from kiosk.platform.timezone import local_day, parse_iso_date
from kiosk.programme.queries import attendance_by_activity, attendance_by_session
from kiosk.reports import PER_PERSON_FUNDERS, summary
from kiosk.reports.documents import PDF, XLSX, kind_labels, report_document
from kiosk.reports.figures import year_report
from kiosk.sites.scope import current_sites

bp = Blueprint("reports", __name__, url_prefix="/dashboard")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@bp.context_processor
def report_helpers():
    return {**HELPERS, "labels": labels, "summary": summary}


@dataclass(frozen=True)
class ChosenYear:
    year: int
    error: str | None = None


def chosen_year() -> ChosenYear:
    """?annee=YYYY (or the year of an old ?from=YYYY-MM-DD link); this year by default, a message when wrong."""
    this_year = local_day().year
    text = (request.args.get("annee") or "").strip()
    if not text and request.args.get("from"):
        start = parse_iso_date(request.args["from"].strip())
        text = str(start.year) if start else "?"
    if not text:
        return ChosenYear(this_year)
    year = ascii_int(text, max_digits=4)  # "²".isdigit() is True, and int("²") a ValueError
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return ChosenYear(this_year, _("Année invalide : choisissez une année entre %(a)d et %(b)d.",
                                       a=FIRST_YEAR, b=LAST_YEAR))
    return ChosenYear(year)


def _year_or_400() -> int:
    chosen = chosen_year()
    if chosen.error:
        abort(400, chosen.error)
    return chosen.year


@bp.get("/bilan")
@allow(Role.COORDINATOR)
def report():
    """The year's report, each figure beside the year before (this year by default)."""
    chosen = chosen_year()
    start, end = date(chosen.year, 1, 1), date(chosen.year, 12, 31)
    sessions = attendance_by_session(start, end)  # read once: the activities are summed from it
    network = current_user.role == Role.NETWORK
    # The list of every session is one centre's: the network's sum would list thousands of them, undated
    # by centre (10,400 on the bench's network, 1.5 MB of page), where each centre's report has its own.
    one_site = (sites := current_sites()) is not None and len(sites) == 1
    # The page shows neither the detail by structure and month nor the households by month (the files do).
    return render_template("reports/year.html", report=year_report(chosen.year, detail=False), chosen=chosen,
                           kinds=kind_labels(), identity=centre_identity(with_logo=False), network=network,
                           asked_site=ascii_int(request.args.get("site", "")) if network else None,
                           by_activity=attendance_by_activity(start, end, sessions),
                           by_session=sessions if one_site else None), \
        400 if chosen.error else 200


@bp.get("/bilan.<any(pdf, xlsx):fmt>")
@allow(Role.COORDINATOR)
def report_file(fmt):
    """The year's report as a printable PDF or an Excel workbook."""
    year = _year_or_400()
    body = report_document(year_report(year), fmt)
    if current_user.role == Role.NETWORK:  # what the network takes out: in the centre's journal it asked, or the network's
        record_reading(AuditAction.EXPORT, "year_report", None, {"year": year, "format": fmt})
    return download(body, f"bilan-{year}.{fmt}", PDF if fmt == "pdf" else XLSX)


@bp.get("/bilan/<any(habilitation, andes, caf, fse):funder>.xlsx")
@allow(Role.COORDINATOR)
def funder_export(funder):
    """One funder's file for the year (habilitation, ANDES, CAF/SENACS, ESF+). A network user takes out
    the files of figures (one centre's with ?site=ID, or the network's sum), never the ESF+ file."""
    from kiosk.reports.funders import funder_file

    network = current_user.role == Role.NETWORK
    if network and funder in PER_PERSON_FUNDERS:
        abort(403)  # a row per participant: for the centre's coordinator only
    year = _year_or_400()
    body = funder_file(funder, year_report(year), centre_identity(with_logo=False))
    if funder == "fse":  # many people's situations, by file number
        record_reading(AuditAction.EXPORT, "esf_participants", None, {"year": year})
    elif network:  # like the network's other reads: the centre asked's journal, or the network's
        record_reading(AuditAction.EXPORT, "funder_file", None, {"year": year, "funder": funder})
    return download(body, f"{funder}-{year}.xlsx", XLSX)
