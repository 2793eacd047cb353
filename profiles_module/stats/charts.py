"""The geometry of the server-drawn bar charts (inline SVG, no JavaScript), and the
masking of small counts for the public.

Coordinates are in the SVG's own units: the viewBox scales the chart to the width of
its container, so one drawing serves a phone and a wide screen.
"""

from dataclasses import dataclass

from profiles_module.stats.counts import SMALLEST_SHOWN

# Narrow, so that the text stays readable once a phone scales the chart down; the
# stylesheet caps the width on wide screens.
WIDTH = 400
# Horizontal bars: the label above its bar, the value after the bar.
VALUE_WIDTH = 50
ROW_HEIGHT = 46
LABEL_BASELINE = 16
BAR_TOP = 22
BAR_HEIGHT = 16
# Columns (one per month): room for the month names below and the values above.
COLUMNS_HEIGHT = 220
AXIS_BOTTOM = 26
VALUE_TOP = 22


@dataclass(frozen=True)
class Cell:
    """One count as shown: `masked` when it is too small to be shown to the public."""

    label: object  # a name, or the first day of a month
    count: int
    masked: bool = False


def cells(pairs, *, public):
    """Cells of (label, count) pairs; the public never sees a count under SMALLEST_SHOWN,
    a figure that could point at one household."""
    return [Cell(label, count, masked=public and count < SMALLEST_SHOWN) for label, count in pairs]


def scale(cells_):
    """The largest count drawn (masked counts are not drawn), at least 1."""
    return max([cell.count for cell in cells_ if not cell.masked] or [1]) or 1


def horizontal_bars(cells_):
    """Rows of a horizontal bar chart: one per cell, its label above its bar."""
    largest = scale(cells_)
    room = WIDTH - VALUE_WIDTH
    rows = []
    for index, cell in enumerate(cells_):
        length = 0 if cell.masked else round(room * cell.count / largest, 1)
        top = index * ROW_HEIGHT
        rows.append(
            {
                "cell": cell,
                "label_y": top + LABEL_BASELINE,
                "y": top + BAR_TOP,
                "value_y": top + BAR_TOP + BAR_HEIGHT / 2,
                "length": length,
                "value_x": round(length + 6, 1),
            }
        )
    return {
        "rows": rows,
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }


def columns(cells_):
    """Columns of a vertical bar chart (one per month, oldest on the left)."""
    largest = scale(cells_)
    count = max(len(cells_), 1)
    step = WIDTH / count
    bar_width = round(step * 0.7, 1)
    baseline = COLUMNS_HEIGHT - AXIS_BOTTOM
    room = baseline - VALUE_TOP
    bars = []
    for index, cell in enumerate(cells_):
        height = 0 if cell.masked else round(room * cell.count / largest, 1)
        centre = round(step * index + step / 2, 1)
        bars.append(
            {
                "cell": cell,
                "x": round(centre - bar_width / 2, 1),
                "centre": centre,
                "y": round(baseline - height, 1),
                "height": height,
                "value_y": round(baseline - height - 6, 1),
            }
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": COLUMNS_HEIGHT,
        "baseline": baseline,
        "label_y": baseline + 20,
        "bar_width": bar_width,
    }
