"""Report renderings: plain text (email, terminal), Markdown, an HTML page with charts, JSON. All read
the same Report, whose texts are already redacted (``report.Shown``); each rendering makes them inert
in its own medium: text is one line without control sequences, Markdown shows the text itself (no
HTML, links, images or mentions), HTML escapes everything, and links come only from ``safe_link``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Literal, NamedTuple

from .correlate import verdict
from .i18n import Lang, clip, duration_ms, number, percent, t, title
from .redaction import safe_link, strip_control
from .report import AlarmSection, Evidence, Hypothesis, Report
from .svg import latency_chart, metric_chart

MAX_SUBJECT = 99
MAX_UNCITED = 8


_BREAKS = re.compile(r"[\r\n\t\v\f]+")
# Markdown that would not show as the text itself: HTML and entities, emphasis, code, links and images.
_MARKDOWN_ESCAPES = str.maketrans(
    {"<": "&lt;", ">": "&gt;", "&": "&amp;", **{c: "\\" + c for c in "\\`*_[]"}}
)
# Where a line would start a heading, quote, list item or rule: a backslash there keeps it text.
_BLOCK_START = re.compile(r"^(?:\d{1,9}(?=[.)])|(?=[#>+=|-]))")
# What notifies someone on GitHub or Slack: @user, @org/team, @channel, #123 (a cross-reference).
_NOTIFYING = re.compile(r"(?<=[@#])(?=[A-Za-z0-9])")


def one_line(text: str) -> str:
    """``text`` as one line of plain text: no control sequences, no line break that could forge a
    heading or a list item of the report around it."""
    return _BREAKS.sub(" ", strip_control(text))


def inert(text: str) -> str:
    """``text`` with its mentions and references kept visible but unable to notify anyone (a zero-width
    space after the ``@`` or ``#``)."""
    return _NOTIFYING.sub("\u200b", text)


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows the text itself: HTML, emphasis, code, links and images escaped,
    mentions inert, on one line that cannot start a block."""
    escaped = one_line(text).translate(_MARKDOWN_ESCAPES)
    return inert(_BLOCK_START.sub(lambda m: m.group() + "\\", escaped))


class Line(NamedTuple):
    kind: Literal["text", "bullet", "step", "subheading", "chain"]
    text: str
    number: int = 0
    link: str | None = None


def fit_subject(text: str) -> str:
    """An email subject as SNS takes it: one line, no control characters, under 100 characters."""
    return clip(one_line(text), MAX_SUBJECT)


def subject(report: Report) -> str:
    """Email subject: severity, alarm, verdict; always under 100 characters."""
    return fit_subject(
        t(
            report.language,
            "subject",
            severity=report.severity.upper(),
            alarm=report.alarm.name,
            title=title(report.root_cause.category, report.language),
        )
    )


def notable_evidence(report: Report) -> list[Evidence]:
    """What to show: the cited evidence, or, when nothing is cited, the most telling items."""
    cited = report.cited()
    if cited:
        return cited
    preferred = [e for e in report.evidence if e.id.startswith(("alarm:", "traces:latency", "traces:faults"))]
    rest = [e for e in report.evidence if e not in preferred]
    return (preferred + rest)[:MAX_UNCITED]


def where(alarm: AlarmSection) -> str:
    """The alarm's account (by alias where known) and region: reports of many accounts reach one channel."""
    account = f"{alarm.account_alias} ({alarm.account})" if alarm.account_alias else alarm.account
    return f"{account}, {alarm.region}"


def _header(report: Report) -> list[tuple[str, str]]:
    lang, alarm = report.language, report.alarm
    return [
        (t(lang, "label.severity"), t(lang, f"severity.{report.severity}")),
        (
            t(lang, "label.alarm"),
            f"{alarm.name} ({alarm.previous_state + ' -> ' if alarm.previous_state else ''}{alarm.state})",
        ),
        (t(lang, "label.where"), where(alarm)),
        (t(lang, "label.state_changed"), f"{alarm.state_changed_at:%Y-%m-%d %H:%M:%S} UTC"),
    ]


def _to_confirm(hypothesis: Hypothesis, lang: Lang) -> str:
    return f" ({t(lang, 'label.to_confirm')}: {hypothesis.to_confirm})" if hypothesis.to_confirm else ""


CHAIN_ARROW = " → "


def chain_line(report: Report) -> str | None:
    """The causal chain in one line, from the root cause to the alarm's symptom (None when it stands alone)."""
    chain, lang = report.root_cause.chain, report.language
    if not chain:
        return None
    return f"{t(lang, 'label.chain')}: " + CHAIN_ARROW.join(title(link.category, lang) for link in chain)


def _role(hypothesis: Hypothesis, lang: Lang) -> str:
    if hypothesis.role == "symptom" and hypothesis.explained_by:
        return t(lang, "role.symptom", cause=title(hypothesis.explained_by, lang))
    return t(lang, f"role.{hypothesis.role}")


def others(report: Report) -> list[Hypothesis]:
    """The hypotheses besides the reported root cause (all of them when the report is inconclusive)."""
    return [
        h for h in report.hypotheses if not (h.role == "root" and h.category == report.root_cause.category)
    ]


def _steps(steps: list[str]) -> list[Line]:
    return [Line("step", step, number) for number, step in enumerate(steps, 1)]


def _parts(report: Report) -> list[tuple[str, str, list[Line]]]:
    """The report as keyed, headed parts of lines, in reading order."""
    lang, root = report.language, report.root_cause
    cause = [Line("text", root.summary), *(Line("bullet", reason) for reason in root.reasons)]
    chain = chain_line(report)
    if chain:
        cause.append(Line("chain", chain))
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
    return [
        ("impact", t(lang, "h.impact"), [Line("text", report.impact.summary)]),
        ("root_cause", t(lang, "h.root_cause"), cause),
        (
            "evidence",
            t(lang, "h.evidence"),
            [Line("bullet", f"[{e.source}] {e.summary}", link=e.link) for e in notable_evidence(report)],
        ),
        ("short_term", t(lang, "h.short_term"), _steps(report.actions.short_term)),
        ("long_term", t(lang, "h.long_term"), _steps(report.actions.long_term)),
        ("runbook", t(lang, "h.runbook"), runbook),
        (
            "hypotheses",
            t(lang, "h.hypotheses"),
            [
                Line(
                    "bullet",
                    f"{title(h.category, lang)} ({h.confidence:.2f}, {_role(h, lang)}): {h.summary}"
                    + _to_confirm(h, lang),
                )
                for h in others(report)
            ],
        ),
        (
            "alarm_quality",
            t(lang, "h.alarm_quality"),
            [Line("bullet", f.summary) for f in report.alarm_quality],
        ),
        ("gaps", t(lang, "h.gaps"), [Line("bullet", f"{g.source}: {g.reason}") for g in report.gaps]),
    ]


def sections(report: Report) -> list[tuple[str, list[Line]]]:
    """The report as headed sections of lines, in reading order; empty sections are left out."""
    return [(heading, lines) for _, heading, lines in _parts(report) if lines]


def _full_report(report: Report, markdown: bool = False) -> list[str]:
    link = safe_link(report.html_url)
    if not link:
        return []
    return [t(report.language, "label.full_report", url=f"<{link}>" if markdown else link)]


def _stats_line(report: Report) -> str:
    """What the analysis took and (estimated at list prices, costs.PRICES) cost."""
    stats, lang = report.stats, report.language
    line = t(
        lang,
        "stats.line",
        api_calls=stats.api_calls,
        seconds=stats.duration_ms / 1000,
        incident_id=report.incident_id,
    )
    if stats.cost_usd is not None:
        line += t(lang, "stats.cost", usd=f"{stats.cost_usd:.4f}", rounds=stats.rounds)
    return line


def _text_line(line: Line) -> str:
    text = one_line(line.text)
    if line.kind == "bullet":
        return f"  - {text}"
    if line.kind == "step":
        return f"  {line.number}. {text}"
    if line.kind == "subheading":
        return f"  {text}:"
    return f"  {text}"


def to_text(report: Report) -> str:
    """Plain text for email and terminals: the first line is the verdict."""
    lines = [one_line(verdict(report)), ""]
    lines += [f"{label}: {one_line(value)}" for label, value in _header(report)]
    lines += _full_report(report)
    for heading, body in sections(report):
        lines += ["", f"== {heading} =="]
        lines += [_text_line(line) for line in body]
    lines += ["", one_line(_stats_line(report))]
    return "\n".join(lines) + "\n"


def _markdown_line(line: Line, lang: Lang) -> str:
    text, link = markdown_text(line.text), safe_link(line.link)
    if link and line.kind == "bullet":
        text += f" ([{t(lang, 'label.console')}](<{link}>))"
    if line.kind == "bullet":
        return f"- {text}"
    if line.kind == "step":
        return f"{line.number}. {text}"
    if line.kind == "subheading":
        return f"\n**{text}**\n"
    return text + "\n"


def to_markdown(report: Report) -> str:
    """Markdown for GitHub issues: every text of the report shows as itself (``markdown_text``)."""
    lines = [f"# {markdown_text(verdict(report))}", ""]
    lines += [f"**{label}:** {markdown_text(value)}  " for label, value in _header(report)]
    lines += _full_report(report, markdown=True)
    for heading, body in sections(report):
        lines += ["", f"## {heading}", ""]
        lines += [_markdown_line(line, report.language) for line in body]
    lines += ["", f"_{markdown_text(_stats_line(report))}_"]
    return "\n".join(lines) + "\n"


STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:1.5rem auto;"
    "padding:0 1rem;line-height:1.45;color:#1f2328}"
    "h1{font-size:1.35rem;margin:.4rem 0}h2{font-size:1.1rem;border-bottom:1px solid #d0d7de;margin-top:1.6rem}"
    "h3{font-size:1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}"
    "dd{margin:0}.badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;color:#fff;font-weight:700}"
    ".sev-page .badge{background:#cf222e}.sev-ticket .badge{background:#9a6700}.sev-info .badge{background:#1a7f37}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;"
    "border-bottom:1px solid #d0d7de;vertical-align:top}td.n{text-align:right;white-space:nowrap}"
    "svg{width:100%;height:auto;display:block}.cited{font-size:.8rem;color:#9a6700}"
    "code{font-size:.85rem;word-break:break-all}small{color:#57606a}"
    ".chain{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;margin:.6rem 0}"
    ".chain .link{border:1px solid #d0d7de;border-radius:.4rem;padding:.35rem .6rem;max-width:16rem;overflow-wrap:anywhere}"
    ".chain .link:first-child{border-color:#cf222e;border-width:2px}.chain .arrow{font-size:1.3rem;color:#57606a}"
)


def _link_html(url: str | None, lang: Lang) -> str:
    link = safe_link(url)
    return f' <a href="{escape(link, quote=True)}">{escape(t(lang, "label.console"))}</a>' if link else ""


def _html_line(line: Line, lang: Lang) -> str:
    text = escape(line.text)
    if line.kind == "bullet":
        text += _link_html(line.link, lang)
    if line.kind == "subheading":
        return f"<h3>{text}</h3>"
    return f"<p>{text}</p>" if line.kind == "text" else f"<li>{text}</li>"


def _html_lines(lines: list[Line], lang: Lang) -> list[str]:
    """Lines as HTML, bullets and steps gathered into their lists."""
    body: list[str] = []
    opened = None
    for line in lines:
        wanted = {"bullet": "ul", "step": "ol"}.get(line.kind)
        if wanted != opened:
            body += [f"</{opened}>" if opened else "", f"<{wanted}>" if wanted else ""]
            opened = wanted
        body.append(_html_line(line, lang))
    body.append(f"</{opened}>" if opened else "")
    return body


def _section(key: str, heading: str, body: list[str]) -> list[str]:
    return [f'<section id="{key}"><h2>{escape(heading)}</h2>', *body, "</section>"]


def _table(header: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    """A table of already escaped cells; columns from ``numeric_from`` on align as numbers."""
    cells = "".join(f"<th>{h}</th>" for h in header)
    body = [
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    ]
    return [f"<table><thead><tr>{cells}</tr></thead><tbody>", *body, "</tbody></table>"]


def _chain_html(report: Report) -> list[str]:
    """The causal chain as boxes and arrows, the root cause first; each box links to its evidence."""
    lang, chain = report.language, report.root_cause.chain
    if not chain:
        return []
    boxes = [
        f'<div class="link"><strong>{_evidence_link(escape(title(link.category, lang)), link.evidence_ids[0])}'
        f"</strong><br><small>{escape(link.summary)}</small></div>"
        for link in chain
    ]
    arrow = '<span class="arrow" aria-hidden="true">→</span>'
    return [f"<p>{escape(t(lang, 'label.chain'))}:</p>", f'<div class="chain">{arrow.join(boxes)}</div>']


def _evidence_link(text: str, evidence_id: str | None) -> str:
    return f'<a href="#ev-{escape(evidence_id, quote=True)}">{text}</a>' if evidence_id else text


def _impact_html(report: Report) -> list[str]:
    lang, figures = report.language, report.impact.figures
    body = [f"<p>{escape(report.impact.summary)}</p>"]
    if figures:
        rows = [
            [_evidence_link(escape(f.label), f.evidence_id), escape(f.value), escape(f.baseline or "-")]
            for f in figures
        ]
        body += _table(["", escape(t(lang, "label.now")), escape(t(lang, "label.baseline"))], rows, 1)
    return body


def _chart_html(report: Report) -> list[str]:
    chart = report.charts.alarm_metric
    if chart is None:
        return [f"<p>{escape(t(report.language, 'label.no_datapoints'))}</p>"]
    return [metric_chart(chart, report.alarm.threshold, report.language)]


def _latency_html(report: Report) -> list[str]:
    lang, segments = report.language, report.charts.latency
    rows = [
        [
            _evidence_link(escape(f"{t(lang, f'kind.{s.kind}')}: {s.name}"), s.evidence_id),
            escape(duration_ms(s.avg_ms)),
            escape(duration_ms(s.baseline_avg_ms)),
            f"{percent(s.share)}%",
        ]
        for s in segments
    ]
    header = [
        t(lang, "label.segment"),
        t(lang, "label.now"),
        t(lang, "label.baseline"),
        t(lang, "label.share"),
    ]
    return [latency_chart(segments, lang), *_table([escape(h) for h in header], rows, 1)]


def _errors_html(report: Report) -> list[str]:
    lang, errors = report.language, report.charts.errors
    rows = [
        [
            _evidence_link(f"<code>{escape(e.signature)}</code>", e.evidence_id),
            escape(t(lang, f"level.{e.level}")),
            number(e.count),
            number(e.baseline_count),
        ]
        for e in errors
    ]
    minutes = errors[0].baseline_minutes if errors else 0
    header = [
        t(lang, "label.signature"),
        "",
        t(lang, "label.now"),
        t(lang, "label.before_minutes", minutes=minutes),
    ]
    return _table([escape(h) for h in header], rows, 2)


def _evidence_html(report: Report) -> list[str]:
    """Every evidence item (the other renderings show the notable ones), the cited ones marked."""
    lang, cited = report.language, {e.id for e in report.cited()}
    items = []
    for e in report.evidence:
        link = _link_html(e.link, lang)
        mark = f' <span class="cited">{escape(t(lang, "label.cited"))}</span>' if e.id in cited else ""
        items.append(
            f'<li id="ev-{escape(e.id, quote=True)}">[{escape(e.source)}] {escape(e.summary)}{link}{mark}</li>'
        )
    return ["<ul>", *items, "</ul>"]


def to_html(report: Report) -> str:
    """One self-contained page (inline CSS and SVG, nothing fetched): the report with its charts."""
    lang = report.language
    body = [
        f'<header class="sev-{report.severity}"><span class="badge">{escape(t(lang, f"severity.{report.severity}"))}</span>',
        f'<h1 id="verdict">{escape(verdict(report))}</h1><dl>',
        *(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in _header(report)),
        "</dl></header>",
    ]
    parts = {key: (heading, lines) for key, heading, lines in _parts(report)}

    def plain(key: str) -> list[str]:
        heading, lines = parts[key]
        return _section(key, heading, _html_lines(lines, lang)) if lines else []

    body += _section("impact", parts["impact"][0], _impact_html(report))
    body += _section("chart", t(lang, "h.chart"), _chart_html(report))
    heading, cause = parts["root_cause"]
    without_chain = [line for line in cause if line.kind != "chain"]
    body += _section("root_cause", heading, _html_lines(without_chain, lang) + _chain_html(report))
    if report.charts.latency:
        body += _section("latency", t(lang, "h.latency_breakdown"), _latency_html(report))
    if report.charts.errors:
        body += _section("errors", t(lang, "h.error_signatures"), _errors_html(report))
    body += _section("evidence", parts["evidence"][0], _evidence_html(report))
    for key in ("short_term", "long_term", "runbook", "hypotheses", "alarm_quality", "gaps"):
        body += plain(key)
    body.append(f"<footer><p><small>{escape(_stats_line(report))}</small></p></footer>")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(subject(report))}</title><style>{STYLE}</style>"
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
