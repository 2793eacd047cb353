"""The statistics page's context: its territory's figures, small counts masked, and
the geometry of its charts."""

from profiles_module.models.profiles import ProfileKind
from profiles_module.stats.charts import cells, columns, horizontal_bars
from profiles_module.stats.counts import SMALLEST_SHOWN
from profiles_module.stats.figures import territory_figures

# Beyond this many départements (all of France has 101), the chart shows those with
# the most fiches and the table below it gives every one.
CHARTED_DEPARTEMENTS = 15


def figures_context(territory, *, public, now=None):
    """Cells and charts of a territory's figures; `public` masks the small counts."""
    figures = territory_figures(territory, now)
    departements = cells(
        ((f"{name} ({code})", count) for code, name, count in figures.departements),
        public=public,
    )
    per_kind = dict(figures.kinds)
    kinds = cells(
        ((label, per_kind.get(value, 0)) for value, label in ProfileKind.choices),
        public=public,
    )
    months = cells(figures.months, public=public)
    charted = sorted(
        (cell for cell in departements if not cell.masked), key=lambda cell: -cell.count
    )[:CHARTED_DEPARTEMENTS]
    return {
        "total": figures.total,
        "too_few": public and figures.total < SMALLEST_SHOWN,
        "smallest_shown": SMALLEST_SHOWN,
        "departements": departements,
        "departements_chart": horizontal_bars(charted) if charted else None,
        "departements_all_charted": len(charted) == len(departements),
        "kinds": kinds,
        "kinds_chart": horizontal_bars(kinds),
        "months": months,
        "months_chart": columns(months),
        "first_month": figures.months[0][0] if figures.months else None,
    }


def statistics_context(page, now=None):
    """The public figures of a statistics page's territory."""
    return figures_context(page.get_territory(), public=True, now=now)
