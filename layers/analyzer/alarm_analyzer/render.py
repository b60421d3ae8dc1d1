"""Report renderings: plain text (email, terminal), Markdown, JSON. All read the same Report."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Literal, NamedTuple

from .correlate import verdict
from .i18n import Lang, t, title
from .report import Evidence, Hypothesis, Report

MAX_SUBJECT = 99
MAX_UNCITED = 8


class Line(NamedTuple):
    kind: Literal["text", "bullet", "step", "subheading"]
    text: str
    number: int = 0
    link: str | None = None


def subject(report: Report) -> str:
    """Email subject: severity, alarm, verdict; always under 100 characters."""
    text = t(
        report.language,
        "subject",
        severity=report.severity.upper(),
        alarm=report.alarm.name,
        title=title(report.root_cause.category, report.language),
    )
    return text if len(text) <= MAX_SUBJECT else text[: MAX_SUBJECT - 1] + "…"


def notable_evidence(report: Report) -> list[Evidence]:
    """What to show: the cited evidence, or, when nothing is cited, the most telling items."""
    cited = report.cited()
    if cited:
        return cited
    preferred = [e for e in report.evidence if e.id.startswith(("alarm:", "traces:latency", "traces:faults"))]
    rest = [e for e in report.evidence if e not in preferred]
    return (preferred + rest)[:MAX_UNCITED]


def _header(report: Report) -> list[tuple[str, str]]:
    lang, alarm = report.language, report.alarm
    return [
        (t(lang, "label.severity"), t(lang, f"severity.{report.severity}")),
        (
            t(lang, "label.alarm"),
            f"{alarm.name} ({alarm.previous_state + ' -> ' if alarm.previous_state else ''}{alarm.state})",
        ),
        (t(lang, "label.state_changed"), f"{alarm.state_changed_at:%Y-%m-%d %H:%M:%S} UTC"),
    ]


def _to_confirm(hypothesis: Hypothesis, lang: Lang) -> str:
    return f" ({t(lang, 'label.to_confirm')}: {hypothesis.to_confirm})" if hypothesis.to_confirm else ""


def _steps(steps: list[str]) -> list[Line]:
    return [Line("step", step, number) for number, step in enumerate(steps, 1)]


def sections(report: Report) -> list[tuple[str, list[Line]]]:
    """The report as headed sections of lines, in reading order; empty sections are left out."""
    lang, root = report.language, report.root_cause
    cause = [Line("text", root.summary), *(Line("bullet", reason) for reason in root.reasons)]
    cause.append(Line("text", f"{t(lang, 'label.confidence')}: {root.confidence:.2f}"))
    leader = report.hypotheses[0] if report.hypotheses else None
    if leader and leader.category == root.category and leader.to_confirm:
        cause.append(Line("text", f"{t(lang, 'label.to_confirm')}: {leader.to_confirm}"))
    if root.resource:
        cause.append(Line("text", f"{t(lang, 'label.resource')}: {root.resource}"))
    runbook = []
    if report.runbook_url:
        runbook.append(
            Line("bullet", f"{t(lang, 'label.runbook_link')}: {report.runbook_url}", link=report.runbook_url)
        )
    for key, steps in (
        ("h.triage", report.runbook.triage),
        ("h.mitigate", report.runbook.mitigate),
        ("h.fix", report.runbook.fix),
    ):
        runbook += [Line("subheading", t(lang, key)), *_steps(steps)]
    found = [
        (t(lang, "h.impact"), [Line("text", report.impact.summary)]),
        (t(lang, "h.root_cause"), cause),
        (
            t(lang, "h.evidence"),
            [Line("bullet", f"[{e.source}] {e.summary}", link=e.link) for e in notable_evidence(report)],
        ),
        (t(lang, "h.short_term"), _steps(report.actions.short_term)),
        (t(lang, "h.long_term"), _steps(report.actions.long_term)),
        (t(lang, "h.runbook"), runbook),
        (
            t(lang, "h.hypotheses"),
            [
                Line(
                    "bullet",
                    f"{title(h.category, lang)} ({h.confidence:.2f}): {h.summary}" + _to_confirm(h, lang),
                )
                for h in report.hypotheses
                if h.category != root.category
            ],
        ),
        (t(lang, "h.alarm_quality"), [Line("bullet", f.summary) for f in report.alarm_quality]),
        (t(lang, "h.gaps"), [Line("bullet", f"{g.source}: {g.reason}") for g in report.gaps]),
    ]
    return [(heading, lines) for heading, lines in found if lines]


def _stats_line(report: Report) -> str:
    return t(
        report.language,
        "stats.line",
        api_calls=report.stats.api_calls,
        seconds=report.stats.duration_ms / 1000,
        incident_id=report.incident_id,
    )


def _text_line(line: Line) -> str:
    if line.kind == "bullet":
        return f"  - {line.text}"
    if line.kind == "step":
        return f"  {line.number}. {line.text}"
    if line.kind == "subheading":
        return f"  {line.text}:"
    return f"  {line.text}"


def to_text(report: Report) -> str:
    """Plain text for email and terminals: the first line is the verdict."""
    lines = [verdict(report), ""]
    lines += [f"{label}: {value}" for label, value in _header(report)]
    for heading, body in sections(report):
        lines += ["", f"== {heading} =="]
        lines += [_text_line(line) for line in body]
    lines += ["", _stats_line(report)]
    return "\n".join(lines) + "\n"


def _markdown_line(line: Line) -> str:
    text = f"{line.text} ([console]({line.link}))" if line.link and line.kind == "bullet" else line.text
    if line.kind == "bullet":
        return f"- {text}"
    if line.kind == "step":
        return f"{line.number}. {text}"
    if line.kind == "subheading":
        return f"\n**{text}**\n"
    return text + "\n"


def to_markdown(report: Report) -> str:
    lines = [f"# {verdict(report)}", ""]
    lines += [f"**{label}:** {value}  " for label, value in _header(report)]
    for heading, body in sections(report):
        lines += ["", f"## {heading}", ""]
        lines += [_markdown_line(line) for line in body]
    lines += ["", f"_{_stats_line(report)}_"]
    return "\n".join(lines) + "\n"


def _html_line(line: Line) -> str:
    text = escape(line.text)
    if line.link and line.kind == "bullet":
        text += f' <a href="{escape(line.link, quote=True)}">console</a>'
    if line.kind == "subheading":
        return f"<h3>{text}</h3>"
    return f"<p>{text}</p>" if line.kind == "text" else f"<li>{text}</li>"


def to_html(report: Report) -> str:
    """A standalone HTML page (for a browser, a wiki, or an HTML email)."""
    body = [f"<h1>{escape(verdict(report))}</h1>", "<dl>"]
    body += [f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in _header(report)]
    body.append("</dl>")
    for heading, lines in sections(report):
        body.append(f"<h2>{escape(heading)}</h2>")
        opened = None
        for line in lines:
            wanted = {"bullet": "ul", "step": "ol"}.get(line.kind)
            if wanted != opened:
                body.append(f"</{opened}>" if opened else "")
                body.append(f"<{wanted}>" if wanted else "")
                opened = wanted
            body.append(_html_line(line))
        body.append(f"</{opened}>" if opened else "")
    body.append(f"<p><small>{escape(_stats_line(report))}</small></p>")
    return (
        f'<!doctype html><html lang="{report.language}"><head><meta charset="utf-8">'
        f"<title>{escape(subject(report))}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.45}"
        "h1{font-size:1.3rem}h2{font-size:1.1rem;border-bottom:1px solid #ddd}dt{font-weight:600}</style>"
        f"</head><body>{''.join(part for part in body if part)}</body></html>\n"
    )


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": to_text,
    "markdown": to_markdown,
    "json": to_json,
    "html": to_html,
}
