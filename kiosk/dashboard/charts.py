"""Charts drawn on the box as inline SVG: no JavaScript, no CDN, styled by dashboard.css.

Each chart is an image with a name (role="img", <title> and <desc>); the page puts the same figures
in a table under it, for screen readers and for people who prefer numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from kiosk.dashboard.formatting import euros, kilos, long_day, month_name, number, short_day, short_month
from kiosk.programme.queries import cancelled_sessions

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 12, 60, 14, 40  # values on the right: the recent end, where a phone starts


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    css_class: str  # chart-a, chart-b... (colours in dashboard.css)


def axis_steps(value: float) -> tuple[float, int]:
    """A round step (1, 2, 2.5 or 5 times a power of ten; whole, at least 1) and how many steps reach the value."""
    if value <= 0:
        return 1, 1
    rough = value / 5
    power = 10 ** math.floor(math.log10(rough))
    steps = [m * power for m in (1, 2, 2.5, 5, 10) if m * power == int(m * power) or power < 1]
    step = next(candidate for candidate in steps if rough <= candidate)
    step = max(step, 1)
    return step, max(1, math.ceil(value / step))


def _number(value: float) -> str:
    return number(value)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    axis_labels: dict[int, str] | None = None,
    fmt: Callable[[float], str] = _number,
    ticks_at_start: bool = False,
    marks: dict[int, str] | None = None,
) -> Markup:
    """An SVG bar chart: one group of bars per label, one bar per series; axis_labels picks the x labels shown."""
    count = max(len(labels), 1)
    step, steps = axis_steps(max((v for s in series for v in s.values), default=0))
    top = step * steps
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / count
    bar_w = band * 0.78 / max(len(series), 1)
    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(steps + 1):  # the grid and the value axis
        value = step * tick
        y = TOP + plot_h - plot_h * tick / steps
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-axis" x="{WIDTH - RIGHT + 6}" y="{y + 5:.1f}" text-anchor="start">{escape(fmt(value))}</text>')
    for index, label in enumerate(labels):
        x0 = LEFT + band * index + band * 0.11
        for position, one in enumerate(series):
            value = one.values[index]
            height = plot_h * value / top if top else 0
            x = x0 + bar_w * position
            parts.append(
                f'<rect class="chart-bar {one.css_class}" x="{x:.1f}" y="{TOP + plot_h - height:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{height:.1f}">'
                f"<title>{escape(label)} · {escape(one.name)} : {escape(fmt(value))}</title></rect>"
            )
        shown = axis_labels.get(index) if axis_labels is not None else label
        if shown:
            x = LEFT + band * index + (0 if ticks_at_start else band / 2)
            anchor = "start" if ticks_at_start else "middle"
            parts.append(
                f'<text class="chart-axis" x="{x:.1f}" y="{HEIGHT - BOTTOM + 22}" text-anchor="{anchor}">{escape(shown)}</text>'
            )
    for index, note in (marks or {}).items():  # e.g. a cancelled workshop: a dashed line and a cross
        x = LEFT + band * index + band / 2
        parts.append(
            f'<g class="chart-mark"><title>{escape(note)}</title>'
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}"/>'
            f'<text x="{x:.1f}" y="{TOP + plot_h - 6}" text-anchor="middle">×</text></g>'
        )
    parts.append(f'<line class="chart-baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def cancelled_marks(weeks: list, end) -> dict[int, str]:
    """The weeks holding a cancelled workshop, by their index, with the day and the reason."""
    if not weeks:
        return {}
    marks = {}
    for session in cancelled_sessions(weeks[0], end):
        index = (session.day - weeks[0]).days // 7
        if 0 <= index < len(weeks):
            marks[index] = _("Atelier annulé le %(day)s", day=long_day(session.day)) + (
                f" : {session.cancel_reason}" if session.cancel_reason else "")
    return marks


def trend_charts(trends) -> dict[str, Markup]:
    """The four charts of the trends page, from reports.trends()."""
    weeks = [week for week, _totals in trends.weeks]
    week_labels = [_("semaine du %(day)s", day=long_day(week)) for week in weeks]
    month_ticks = {
        index: short_month(week) for index, week in enumerate(weeks)
        if index == 0 or week.month != weeks[index - 1].month
    }
    totals = [t for _week, t in trends.weeks]
    period = _("du %(start)s au %(end)s", start=long_day(weeks[0]), end=long_day(trends.end)) if weeks else ""
    months = [month_name(month) for month, _entries, _exits in trends.months]
    return {
        "attendance": bar_chart(
            "chart-attendance", _("Présences par semaine"),
            _("Nombre de présences aux ateliers, semaine par semaine, %(period)s.", period=period),
            week_labels, [Series(_("Présences"), [t.checkins for t in totals], "chart-a")], month_ticks,
            ticks_at_start=True, marks=cancelled_marks(weeks, trends.end),
        ),
        "baskets": bar_chart(
            "chart-baskets", _("Paniers par semaine"),
            _("Nombre de paniers de l'épicerie, semaine par semaine, %(period)s.", period=period),
            week_labels, [Series(_("Paniers"), [t.baskets for t in totals], "chart-b")], month_ticks,
            ticks_at_start=True,
        ),
        "kilos": bar_chart(
            "chart-kilos", _("Kilos distribués par semaine"),
            _("Kilos de denrées distribués, semaine par semaine, %(period)s.", period=period),
            week_labels, [Series(_("Kilos"), [t.weight_g / 1000 for t in totals], "chart-c")], month_ticks,
            fmt=lambda v: number(v, "#,##0"), ticks_at_start=True,
        ),
        "flows": bar_chart(
            "chart-flows", _("Entrées et sorties par mois"),
            _("Entrées dans le programme et sorties, mois par mois, %(period)s.", period=period),
            months, [
                Series(_("Entrées"), [entries for _m, entries, _x in trends.months], "chart-a"),
                Series(_("Sorties"), [exits for _m, _e, exits in trends.months], "chart-d"),
            ],
            {index: short_month(month) for index, (month, _e, _x) in enumerate(trends.months)},
        ),
    }


def trend_tables(trends) -> dict[str, list[tuple[str, list]]]:
    """The same figures as the charts, as table rows (label, values) to read under each chart."""
    return {
        "attendance": [(short_day(week), [t.workshop_days, t.checkins]) for week, t in trends.weeks],
        "baskets": [(short_day(week), [t.baskets, kilos(t.weight_g), euros(t.value_cents)]) for week, t in trends.weeks],
        "flows": [(month_name(month), [entries, exits]) for month, entries, exits in trends.months],
    }
