"""Inline SVG charts for the HTML report: no script, no fonts or images fetched, readable without CSS."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import NamedTuple

from .i18n import Lang, clip, duration_ms, quantity, t
from .report import MetricChart, SegmentTime

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 22, 34
LINE, THRESHOLD, BREACH = "#1f6feb", "#cf222e", "#bc4c00"
BAR_ROW = 30
BAR_LABEL = 220
LABEL_CHARS = 32  # what fits left of the bars at 11 px


class Scale(NamedTuple):
    low: float
    high: float
    start: float
    end: float

    def x(self, moment: datetime) -> float:
        span = (self.end - self.start) or 1.0
        return LEFT + (moment.timestamp() - self.start) / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return TOP + (self.high - value) / span * (HEIGHT - TOP - BOTTOM)


def _text(x: float, y: float, text: str, anchor: str = "start", color: str = "#57606a") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" font-size="11">'
        f"{escape(text)}</text>"
    )


def _scale(chart: MetricChart, threshold: float | None) -> Scale:
    values = [v for _, v in chart.points] + ([threshold] if threshold is not None else [])
    low, high = min([0.0, *values]), max(values)
    return Scale(
        low=low,
        high=high + (high - low) * 0.1 or 1.0,
        start=chart.baseline.start.timestamp(),
        end=chart.incident.end.timestamp(),
    )


def metric_chart(chart: MetricChart, threshold: float | None, lang: Lang) -> str:
    """The alarm's metric across the baseline and incident windows, the threshold and the breach start."""
    scale = _scale(chart, threshold)
    bottom = HEIGHT - BOTTOM
    title = f"{chart.metric_name} ({chart.stat})"
    parts = [
        f'<svg id="alarm-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title, quote=True)}"><title>{escape(title)}</title>',
    ]
    for window, fill, label in (
        (chart.baseline, "#f6f8fa", t(lang, "label.baseline")),
        (chart.incident, "#ffebe9", t(lang, "label.incident_window")),
    ):
        x0, x1 = scale.x(window.start), scale.x(window.end)
        parts.append(
            f'<rect x="{x0:.1f}" y="{TOP}" width="{x1 - x0:.1f}" height="{bottom - TOP}" fill="{fill}"/>'
        )
        parts.append(_text((x0 + x1) / 2, TOP - 8, label, "middle"))
    for fraction in (0.0, 0.5, 1.0):
        value = scale.low + (scale.high - scale.low) * fraction
        y = scale.y(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(_text(LEFT - 6, y + 4, quantity(value, chart.unit), "end"))
    for moment, anchor in (
        (chart.baseline.start, "start"),
        (chart.incident.start, "middle"),
        (chart.incident.end, "end"),
    ):
        parts.append(_text(scale.x(moment), bottom + 16, f"{moment:%H:%M}Z", anchor))
    if threshold is not None:
        y = scale.y(threshold)
        parts.append(
            f'<line class="threshold" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{THRESHOLD}" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        label = t(lang, "label.threshold", value=quantity(threshold, chart.unit))
        parts.append(_text(WIDTH - RIGHT - 4, y - 5, label, "end", THRESHOLD))
    if chart.breach_start is not None:
        x = scale.x(chart.breach_start)
        parts.append(
            f'<line class="breach" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}" '
            f'stroke="{BREACH}" stroke-width="1.5"/>'
        )
        label = t(lang, "label.breach_start", at=f"{chart.breach_start:%H:%M}Z")
        parts.append(_text(x - 4, TOP + 12, label, "end", BREACH))
    path = " ".join(f"{scale.x(moment):.1f},{scale.y(value):.1f}" for moment, value in chart.points)
    parts.append(f'<polyline class="metric" points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def latency_chart(segments: Sequence[SegmentTime], lang: Lang) -> str:
    """Per segment, the time a slow request spends in it now (solid) and before (light)."""
    longest = max([s.avg_ms for s in segments] + [s.baseline_avg_ms or 0.0 for s in segments]) or 1.0
    height = BAR_ROW * len(segments) + 8
    span = WIDTH - BAR_LABEL - 90
    parts = [
        f'<svg id="latency-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(t(lang, "h.latency_breakdown"), quote=True)}">'
    ]
    for row, segment in enumerate(segments):
        y = row * BAR_ROW + 4
        name = f"{t(lang, f'kind.{segment.kind}')}: {segment.name}"
        parts.append(
            _text(
                BAR_LABEL - 8,
                y + 15,
                clip(name, LABEL_CHARS),
                "end",
            )
        )
        now = segment.avg_ms / longest * span
        parts.append(f'<rect x="{BAR_LABEL}" y="{y + 3}" width="{now:.1f}" height="13" fill="{LINE}"/>')
        if segment.baseline_avg_ms is not None:
            before = segment.baseline_avg_ms / longest * span
            parts.append(
                f'<rect x="{BAR_LABEL}" y="{y + 17}" width="{before:.1f}" height="6" fill="#8c959f"/>'
            )
        parts.append(_text(BAR_LABEL + now + 6, y + 14, duration_ms(segment.avg_ms)))
    parts.append("</svg>")
    return "".join(parts)
