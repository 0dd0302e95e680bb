"""The year's documents (PDF, XLSX, each funder's file), all from `year_report`, with the centre's identity."""

from __future__ import annotations

from kiosk.centre.services import centre_identity
from kiosk.outcomes.labels import kind_label
from kiosk.outcomes.queries import milestone_kinds
from kiosk.reports.figures import YearReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def kind_labels() -> dict[str, str]:
    """Every milestone kind's words by code (kinds no longer offered included)."""
    return {kind.code: kind_label(kind) for kind in milestone_kinds(active_only=False)}


def report_document(report: YearReport, fmt: str) -> bytes:
    """The yearly report as a PDF or an XLSX."""
    if fmt == "pdf":
        from kiosk.reports.pdf import report_pdf

        return report_pdf(report, centre_identity(), kind_labels())
    from kiosk.reports.xlsx import report_xlsx

    return report_xlsx(report, centre_identity(with_logo=False), kind_labels())
