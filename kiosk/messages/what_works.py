"""What works, measured and drawn: for each ladder step and channel, the share of the people reached
who came back to a workshop within two weeks. A server-drawn SVG (no JavaScript), named like the
dashboard's charts (role="img", <title>, <desc>), with the same figures in a table beside it.

A step counts only once its two weeks are over: a step reached yesterday would show as "did not
come back" when the person simply has not had the time to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape

from kiosk.messages.labels import channel_label
from kiosk.messages.queries import RETURN_DAYS, WhatWorks, what_works
from kiosk.models import Step
from kiosk.platform.timezone import local_day

WIDTH, ROW, BAR_W = 480, 74, 330


@dataclass
class Measured:
    start: date
    end: date
    rows: list[WhatWorks]

    @property
    def people(self) -> int:
        return sum(row.people for row in self.rows)


def measured(start: date, end: date, referrer_id: int | None = None, today: date | None = None) -> Measured:
    """What works from start to end, the last two weeks before today left out (their outcome is not known yet)."""
    today = today or local_day()
    end = min(end, today - timedelta(days=RETURN_DAYS))
    rows = what_works(start, end, referrer_id=referrer_id) if end >= start else []
    return Measured(start, end, rows)


STEPS = {
    Step.REMINDER: _l("Rappel la veille"),
    Step.NO_SHOW: _l("Inscrit·e, pas venu·e"),
    Step.WE_MISS_YOU: _l("« On vous attend »"),
    Step.CALL: _l("Appel de l'équipe"),
    Step.REFERENT: _l("Référent alerté"),
    Step.LETTER: _l("Courrier de relance"),
    Step.HANDED_BACK: _l("Rendu au prescripteur"),
}


def row_label(row: WhatWorks) -> str:
    """« On vous attend » · SMS: the step, and the channel of its message (none for the team's steps)."""
    label = str(STEPS.get(row.step, row.step.value))
    return label if row.channel == "team" else f"{label} · {channel_label(row.channel)}"


def what_works_chart(chart_id: str, rows: list[WhatWorks]) -> Markup:
    """One horizontal bar per step and channel: the share who came back within two weeks."""
    height = ROW * len(rows) + 12
    parts = [
        f'<svg class="chart-works" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(_("Revenus dans les deux semaines, par étape"))}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(rows))}</desc>',
    ]
    for index, row in enumerate(rows):  # the label above its bar, the figures at the bar's end
        y = 4 + ROW * index
        share = row.came_back / row.people if row.people else 0
        parts.append(f'<text class="chart-works-label" x="0" y="{y + 22}">{escape(row_label(row))}</text>')
        parts.append(f'<rect class="chart-track" x="0" y="{y + 34}" width="{BAR_W}" height="28" rx="3"/>')
        parts.append(f'<rect class="chart-bar chart-a" x="0" y="{y + 34}" width="{BAR_W * share:.1f}" '
                     f'height="28" rx="3"><title>{escape(sentence(row))}</title></rect>')
        parts.append(f'<text class="chart-works-label" x="{BAR_W + 10}" y="{y + 56}">'
                     f'{escape(f"{row.percent} %")} ({row.came_back}/{row.people})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sentence(row: WhatWorks) -> str:
    return ngettext("%(label)s : %(back)d sur %(num)d personne revenue dans les deux semaines",
                    "%(label)s : %(back)d sur %(num)d personnes revenues dans les deux semaines",
                    row.people, label=row_label(row), back=row.came_back)


def describe(rows: list[WhatWorks]) -> str:
    return " ; ".join(sentence(row) for row in rows) + "."
