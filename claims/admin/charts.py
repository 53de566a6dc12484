"""Server-rendered SVG charts for the desk dashboard: stacked bars, drawn here, no script and no CDN.
Each chart is an <svg role="img"> with a title, followed by the same figures as a table (the
fallback for screen readers and for anyone who wants the numbers). Every label is escaped."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from claims.tips.dashboard import Series

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 40, 10
PALETTE = ["#2b6cb0", "#c05621", "#2f855a", "#805ad5", "#b83280", "#718096", "#d69e2e", "#319795"]


def bar_chart(series: Series, *, title: str, chart_id: str) -> SafeString:
    totals = [sum(values.values()) for _label, values in series.rows]
    peak = max(totals, default=0) or 1
    slot = (WIDTH - LEFT) / max(len(series.rows), 1)
    plot_height = HEIGHT - BOTTOM - TOP
    bars = []
    for index, (label, values) in enumerate(series.rows):
        x = LEFT + index * slot + slot * 0.15
        y: float = HEIGHT - BOTTOM
        for column_index, column in enumerate(series.columns):
            value = values.get(column, 0)
            if not value:
                continue
            height = plot_height * value / peak
            y -= height
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                    _px(x), _px(y), _px(slot * 0.7), _px(height), PALETTE[column_index % len(PALETTE)], label, column,
                    _number(value),
                )
            )  # fmt: skip
        if len(series.rows) <= 12 or index % max(len(series.rows) // 6, 1) == 0:
            bars.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                    _px(x + slot * 0.35), HEIGHT - BOTTOM + 14, _short(label),
                )
            )  # fmt: skip
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#444"/><text x="{}" y="{}" font-size="10" '
        'text-anchor="end">{}</text><text x="{}" y="{}" font-size="10" text-anchor="end">0</text>',
        LEFT, HEIGHT - BOTTOM, WIDTH, HEIGHT - BOTTOM, LEFT - 4, TOP + 10, _number(peak), LEFT - 4, HEIGHT - BOTTOM,
    )  # fmt: skip
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" font-size="11">{}</text>',
        (
            (LEFT + i * 110, HEIGHT - 14, PALETTE[i % len(PALETTE)], LEFT + i * 110 + 14, HEIGHT - 5, column)
            for i, column in enumerate(series.columns[:5])
        ),
    )
    svg = format_html(
        '<svg role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" width="100%" class="desk-chart">'
        '<title id="{}-title">{}</title>{}{}{}</svg>',
        chart_id, WIDTH, HEIGHT, chart_id, title, axis, SafeString("".join(bars)), legend,
    )  # fmt: skip
    return format_html("{}{}", svg, table(series, title=title))


def table(series: Series, *, title: str) -> SafeString:
    head = format_html_join("", '<th scope="col">{}</th>', ((column,) for column in series.columns))
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (label, format_html_join("", "<td>{}</td>", ((_number(values.get(c, 0)),) for c in series.columns)))
            for label, values in series.rows
        ),
    )
    return format_html(
        '<details class="chart-table"><summary>{}</summary><table><caption>{}</caption><thead><tr><td></td>{}</tr>'
        "</thead><tbody>{}</tbody></table></details>",
        _("Table"),
        title,
        head,
        body,
    )


def _number(value: float) -> str:
    return f"{value:g}"


def _short(label: str) -> str:
    """Axis labels: a date keeps its month and day (or year and month), a name its first letters."""
    if label[:1].isdigit():
        return label[-5:] if len(label) == 10 else label
    return label if len(label) <= 11 else label[:10] + "…"


def _px(value: float) -> str:
    return f"{value:.1f}"
