"""Every sentence the report says, in English and Japanese, and how values are written."""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["en", "ja"]
LANGUAGES: tuple[Lang, ...] = ("en", "ja")

CATEGORY_TITLES: dict[str, dict[Lang, str]] = {
    "database_connection_exhaustion": {"en": "Database connection exhaustion", "ja": "DB コネクション枯渇"},
    "database_resource_pressure": {"en": "Database resource pressure", "ja": "DB リソース逼迫"},
    "slow_database_query": {"en": "Slow database query", "ja": "DB クエリの遅延"},
    "downstream_dependency_latency": {"en": "Slow downstream dependency", "ja": "下流依存先の遅延"},
    "application_code_latency": {"en": "Slow application code", "ja": "アプリケーションコードの遅延"},
    "application_error": {"en": "Application error", "ja": "アプリケーションエラー"},
    "deployment_regression": {"en": "Deployment regression", "ja": "デプロイによる劣化"},
    "lambda_timeout": {"en": "Lambda timeout", "ja": "Lambda タイムアウト"},
    "lambda_throttling": {"en": "Lambda throttling", "ja": "Lambda スロットリング"},
    "lambda_memory_exhaustion": {"en": "Lambda memory exhaustion", "ja": "Lambda メモリ不足"},
    "async_processing_failure": {"en": "Asynchronous processing failure", "ja": "非同期処理の失敗"},
    "unhealthy_targets": {"en": "Unhealthy targets", "ja": "ターゲットの異常"},
    "health_check_misconfiguration": {"en": "Health check misconfiguration", "ja": "ヘルスチェック設定ミス"},
    "network_misconfiguration": {"en": "Network misconfiguration", "ja": "ネットワーク設定ミス"},
    "compute_saturation": {"en": "Compute saturation", "ja": "コンピュート飽和"},
    "traffic_surge": {"en": "Traffic surge", "ja": "トラフィック急増"},
    "alarm_misconfiguration": {
        "en": "Alarm misconfiguration (false positive)",
        "ja": "アラーム設定ミス（誤検知）",
    },
    "inconclusive": {"en": "Inconclusive", "ja": "原因を特定できず"},
}

MESSAGES: dict[str, dict[Lang, str]] = {
    # headings
    "h.impact": {"en": "Impact", "ja": "影響"},
    "h.root_cause": {"en": "Probable root cause", "ja": "推定される根本原因"},
    "h.evidence": {"en": "Evidence", "ja": "根拠"},
    "h.short_term": {"en": "Do now", "ja": "今すぐ行うこと"},
    "h.long_term": {"en": "Fix for good", "ja": "恒久対策"},
    "h.runbook": {"en": "Runbook", "ja": "ランブック"},
    "h.triage": {"en": "3-minute triage", "ja": "3 分トリアージ"},
    "h.mitigate": {"en": "Recover (safest first)", "ja": "暫定復旧（安全な順）"},
    "h.fix": {"en": "Permanent fix", "ja": "恒久対応"},
    "h.hypotheses": {"en": "Other hypotheses", "ja": "他の仮説"},
    "h.gaps": {"en": "Not checked", "ja": "確認できなかったこと"},
    "h.alarm_quality": {"en": "About the alarm itself", "ja": "アラーム自体について"},
    "label.severity": {"en": "Severity", "ja": "重大度"},
    "label.confidence": {"en": "confidence", "ja": "確度"},
    "label.resource": {"en": "Resource", "ja": "対象リソース"},
    "label.alarm": {"en": "Alarm", "ja": "アラーム"},
    "label.state_changed": {"en": "State changed", "ja": "状態変化"},
    "label.baseline": {"en": "before", "ja": "直前"},
    "label.runbook_link": {"en": "Your runbook", "ja": "チームのランブック"},
    "stats.line": {
        "en": "{api_calls} API calls, {seconds:.1f} s, incident {incident_id}",
        "ja": "API 呼び出し {api_calls} 回、{seconds:.1f} 秒、インシデント {incident_id}",
    },
    "severity.page": {"en": "PAGE", "ja": "PAGE（即時対応）"},
    "severity.ticket": {"en": "TICKET", "ja": "TICKET（営業時間内）"},
    "severity.info": {"en": "INFO", "ja": "INFO（対応不要）"},
    "verdict": {"en": "{title}: {summary}", "ja": "{title}: {summary}"},
    "subject": {"en": "[{severity}] {alarm}: {title}", "ja": "[{severity}] {alarm}: {title}"},
    # evidence summaries
    "ev.series": {
        "en": "{metric} ({resource}, {stat}): {incident} vs {baseline} before{ratio}{peak}",
        "ja": "{metric}（{resource}、{stat}）: 直前 {baseline} に対し {incident}{ratio}{peak}",
    },
    "ev.series.ratio": {"en": " (x{ratio})", "ja": "（×{ratio}）"},
    "ev.series.peak": {"en": ", worst {peak} at {at}", "ja": "、最悪値 {peak}（{at}）"},
    "ev.series.fallback": {"en": " [{note}]", "ja": " [{note}]"},
    "ev.series.day_ago": {"en": "; a day earlier {value}", "ja": "、前日同時刻 {value}"},
    "ev.alarm.children": {"en": "Alarms in the rule: {children}", "ja": "ルール内のアラーム: {children}"},
    "ev.series.empty": {
        "en": "{metric} ({resource}, {stat}): no datapoints in the incident window or before",
        "ja": "{metric}（{resource}、{stat}）: 障害時間帯にも直前にもデータなし",
    },
    "ev.signature": {
        "en": '{count}x {level} in {groups}: "{signature}" ({baseline_note})',
        "ja": "{groups} で {level} が {count} 件: 「{signature}」（{baseline_note}）",
    },
    "ev.signature.new": {"en": "new: absent before", "ja": "新規: 直前には無し"},
    "ev.signature.baseline": {
        "en": "{baseline}x in the {minutes} min before",
        "ja": "直前 {minutes} 分間に {baseline} 件",
    },
    "ev.traces.latency": {
        "en": "{analyzed} of {total} traces analyzed: p50 {p50}, p95 {p95}, {slow_pct}% slower than {threshold}",
        "ja": "トレース {total} 件中 {analyzed} 件を分析: p50 {p50}、p95 {p95}、{threshold} 超が {slow_pct}%",
    },
    "ev.traces.faults": {
        "en": "Traces: {fault_pct}% faults (5xx), {error_pct}% errors (4xx), {throttle_pct}% throttled",
        "ja": "トレース: フォールト(5xx) {fault_pct}%、エラー(4xx) {error_pct}%、スロットル {throttle_pct}%",
    },
    "ev.contributor": {
        "en": "{kind} {name}: {share}% of the slow requests' time, {avg} per request",
        "ja": "{kind} {name}: 遅いリクエストの時間の {share}%、1 リクエストあたり {avg}",
    },
    "level.error": {"en": "errors", "ja": "エラー"},
    "level.warning": {"en": "warnings", "ja": "警告"},
    "level.notice": {"en": "notices", "ja": "注意"},
    "kind.sql": {"en": "SQL", "ja": "SQL"},
    "kind.remote_http": {"en": "Remote call", "ja": "外部呼び出し"},
    "kind.aws_sdk": {"en": "AWS call", "ja": "AWS 呼び出し"},
    "kind.own_code": {"en": "Own code", "ja": "自コード"},
    "ev.alarm.metric_missing": {
        "en": "No metric {namespace}/{metric} with exactly these dimensions exists: {dimensions}",
        "ja": "このディメンションを持つメトリクス {namespace}/{metric} は存在しない: {dimensions}",
    },
    "ev.alarm.similar": {"en": " Existing: {similar}", "ja": " 実在するもの: {similar}"},
    "ev.alarm.no_datapoints": {
        "en": "The alarm's metric received no datapoints in the incident window",
        "ja": "アラームのメトリクスは障害時間帯にデータポイントを受け取っていない",
    },
    "ev.alarm.datapoints": {
        "en": "The alarm's metric received {count} datapoints in the incident window",
        "ja": "アラームのメトリクスは障害時間帯に {count} 個のデータポイントを受け取った",
    },
    "ev.alarm.dimension": {
        "en": "Dimension {name}={value} is not in the form {namespace} uses ({expected}){suggestion}",
        "ja": "ディメンション {name}={value} は {namespace} の形式（{expected}）ではない{suggestion}",
    },
    "ev.alarm.suggestion": {"en": "; probably meant {suggestion}", "ja": "。正しくはおそらく {suggestion}"},
    "ev.alarm.history": {
        "en": "{transitions} state changes in the previous day ({alarms} into ALARM)",
        "ja": "直前 1 日の状態変化 {transitions} 回（うち ALARM へ {alarms} 回）",
    },
    "ev.alarm.state": {"en": "Alarm reason: {reason}", "ja": "アラームの理由: {reason}"},
    # rule reasons
    "r.pool_logs": {
        "en": '"{signature}" logged {count}x{new}',
        "ja": "「{signature}」が {count} 件記録{new}",
    },
    "r.new": {"en": " (new)", "ja": "（新規）"},
    "r.connections_pinned": {
        "en": "{metric} pinned at {peak} (was {baseline})",
        "ja": "{metric} が {peak} で頭打ち（直前 {baseline}）",
    },
    "r.metric_moved": {
        "en": "{metric} {incident} (was {baseline})",
        "ja": "{metric} が {incident}（直前 {baseline}）",
    },
    "r.pressure_logs": {
        "en": '"{signature}" logged {count}x',
        "ja": "「{signature}」が {count} 件記録",
    },
    "r.dominant": {
        "en": "{kind} {name} took {share}% of slow requests' time ({avg} per request)",
        "ja": "{kind} {name} が遅いリクエストの時間の {share}% を占有（1 リクエストあたり {avg}）",
    },
    "r.was": {"en": ", {before} before", "ja": "、以前は {before}"},
    "r.latency_up": {"en": "latency {value} (was {baseline})", "ja": "レイテンシ {value}（直前 {baseline}）"},
    "r.p95": {"en": "trace p95 {p95}", "ja": "トレース p95 {p95}"},
    "r.timeout_logs": {
        "en": '"{signature}" logged {count}x',
        "ja": "「{signature}」が {count} 件記録",
    },
    "r.metric_missing": {
        "en": "the alarm watches {namespace}/{metric} with dimensions no metric has",
        "ja": "アラームは実在しないディメンションの {namespace}/{metric} を監視している",
    },
    "r.no_datapoints": {
        "en": "its metric got no datapoints in the window",
        "ja": "その時間帯にデータポイントが無い",
    },
    "r.dimension": {
        "en": "{name}={value} should look like {expected}{suggestion}",
        "ja": "{name}={value} は {expected} の形式であるべき{suggestion}",
    },
    "r.healthy": {
        "en": "the service itself looks healthy ({detail})",
        "ja": "サービス自体は正常に見える（{detail}）",
    },
    "r.healthy.detail": {
        "en": "no new errors, trace faults {fault_pct}%",
        "ja": "新しいエラーなし、トレースのフォールト {fault_pct}%",
    },
    # hypothesis summaries
    "s.database_connection_exhaustion": {
        "en": "{resource} ran out of database connections; requests queue for a connection",
        "ja": "{resource} の DB コネクションが枯渇し、リクエストが接続待ちで滞留している",
    },
    "s.database_resource_pressure": {
        "en": "{resource} is short of memory/CPU, so queries slow down",
        "ja": "{resource} のメモリ/CPU が逼迫し、クエリが遅くなっている",
    },
    "s.downstream_dependency_latency": {
        "en": "calls to {resource} are slow and hold requests up",
        "ja": "{resource} への呼び出しが遅く、リクエストを滞留させている",
    },
    "s.application_code_latency": {
        "en": "time is spent in the application's own code ({resource})",
        "ja": "アプリケーション自身のコード（{resource}）で時間がかかっている",
    },
    "s.alarm_misconfiguration": {
        "en": "the alarm {resource} is misconfigured; the service is not what is broken",
        "ja": "アラーム {resource} の設定ミスであり、サービス自体の障害ではない",
    },
    "s.inconclusive": {
        "en": "no hypothesis is supported well enough; checked {checked}",
        "ja": "十分に裏付けられた仮説がない。確認済み: {checked}",
    },
    "joiner": {"en": "; ", "ja": "、"},
    # impact
    "i.none": {
        "en": "No user-facing impact found in the evidence",
        "ja": "根拠の中にユーザー影響は見つからない",
    },
    "i.false_positive": {
        "en": "False positive: the alarm fired without a matching problem in the service",
        "ja": "誤検知: サービス側に対応する問題が無いままアラームが発火した",
    },
    "fig.latency": {"en": "Latency ({metric})", "ja": "レイテンシ（{metric}）"},
    "fig.slow_share": {"en": "Requests slower than {threshold}", "ja": "{threshold} 超のリクエスト"},
    "fig.p95": {"en": "Trace p95", "ja": "トレース p95"},
    "fig.errors": {"en": "Server errors ({metric})", "ja": "サーバーエラー（{metric}）"},
    "fig.faults": {"en": "Failed traced requests", "ja": "失敗したトレース"},
    # gaps and alarm quality
    "gap.error": {"en": "{code}: {message}", "ja": "{code}: {message}"},
    "gap.no_data": {"en": "no data in the window", "ja": "時間帯にデータなし"},
    "q.no_runbook": {
        "en": "No runbook: add a URL to the description or the analyzer:runbook tag",
        "ja": "ランブックが無い: 説明文に URL を書くか analyzer:runbook タグを付ける",
    },
    "q.no_description": {"en": "The alarm has no description", "ja": "アラームに説明が無い"},
    "q.actions_disabled": {
        "en": "Alarm actions are disabled: nobody is notified by the alarm itself",
        "ja": "アラームアクションが無効: アラーム自体からは誰にも通知されない",
    },
    "q.flapping": {
        "en": "Flapping: {transitions} state changes in the previous day",
        "ja": "フラッピング: 直前 1 日で {transitions} 回状態が変化",
    },
    "q.metric_missing": {
        "en": "The alarm's dimensions match no metric, so it can never see real data",
        "ja": "アラームのディメンションに合うメトリクスが無く、実データを評価できない",
    },
    "q.dimension_form": {
        "en": "Dimension {name} should be in the form {expected}",
        "ja": "ディメンション {name} は {expected} の形式にする",
    },
    "checked.alarm": {"en": "alarm configuration", "ja": "アラーム設定"},
    "checked.metrics": {"en": "{count} metrics", "ja": "メトリクス {count} 件"},
    "checked.logs": {"en": "{count} log groups", "ja": "ロググループ {count} 件"},
    "checked.traces": {"en": "{count} traces", "ja": "トレース {count} 件"},
}


def t(lang: Lang, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang``, filled in."""
    return MESSAGES[key][lang].format(**values)


def title(category: str, lang: Lang) -> str:
    return CATEGORY_TITLES[category][lang]


# Metric units: how a raw CloudWatch value should be read.
_UNITS: dict[str, str] = {
    "TargetResponseTime": "s",
    "ReadLatency": "s",
    "WriteLatency": "s",
    "Duration": "ms",
    "IntegrationLatency": "ms",
    "SuccessfulRequestLatency": "ms",
    "FreeableMemory": "bytes",
    "SwapUsage": "bytes",
    "FreeStorageSpace": "bytes",
    "CPUUtilization": "%",
    "MemoryUtilization": "%",
    "ApproximateAgeOfOldestMessage": "s",
}


def unit_of(namespace: str, metric: str) -> str:
    if metric == "Latency":
        return "s" if namespace == "AWS/ELB" else "ms"
    return _UNITS.get(metric, "")


def number(value: float) -> str:
    if value == int(value) and abs(value) < 1e9:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def duration_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def quantity(value: float | None, unit: str) -> str:
    """A metric value written for a human: 3.21 s, 450 MB, 87.5%, 1,204."""
    if value is None:
        return "-"
    if unit == "s":
        return duration_ms(value * 1000)
    if unit == "ms":
        return duration_ms(value)
    if unit == "bytes":
        for size, suffix in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
            if abs(value) >= size:
                return (
                    f"{value / size:.1f} {suffix}"
                    if abs(value) < 10 * size
                    else f"{value / size:.0f} {suffix}"
                )
        return f"{value:.0f} B"
    if unit == "%":
        return f"{value:.1f}%"
    return number(value)


def percent(fraction: float) -> str:
    return f"{fraction * 100:.0f}"


# --- delivery channels: the HTML page, Slack, GitHub issues and the recovery follow-up ------------

CHANNEL_MESSAGES: dict[str, dict[Lang, str]] = {
    "h.chart": {"en": "The alarm's metric", "ja": "アラームのメトリクス"},
    "h.latency_breakdown": {"en": "Where slow requests spend their time", "ja": "遅いリクエストの時間の内訳"},
    "h.error_signatures": {
        "en": "Error signatures, now and before",
        "ja": "エラーシグネチャ（障害時と直前）",
    },
    "label.console": {"en": "console", "ja": "コンソール"},
    "label.cited": {"en": "cited", "ja": "引用"},
    "label.incident_window": {"en": "incident", "ja": "障害時間帯"},
    "label.threshold": {"en": "threshold {value}", "ja": "しきい値 {value}"},
    "label.breach_start": {"en": "breach from {at}", "ja": "{at} から超過"},
    "label.no_datapoints": {
        "en": "No datapoints of the alarm's metric to draw",
        "ja": "描画できるアラームのメトリクスのデータポイントがない",
    },
    "label.segment": {"en": "Segment", "ja": "区間"},
    "label.per_request": {"en": "per slow request", "ja": "遅いリクエスト 1 件あたり"},
    "label.share": {"en": "share of the slow time", "ja": "遅延時間に占める割合"},
    "label.signature": {"en": "Signature", "ja": "シグネチャ"},
    "label.now": {"en": "now", "ja": "障害時"},
    "label.before_minutes": {"en": "{minutes} min before", "ja": "直前 {minutes} 分間"},
    "label.full_report": {
        "en": "Full report with charts: {url}",
        "ja": "グラフ付きの完全なレポート: {url}",
    },
    "label.open_report": {"en": "Full report", "ja": "完全なレポート"},
    "label.open_runbook": {"en": "Runbook", "ja": "ランブック"},
    "label.more": {
        "en": "… and {count} more in the full report",
        "ja": "…ほか {count} 件は完全なレポートに記載",
    },
    "label.truncated": {"en": "… (cut, see the full report)", "ja": "…（省略、完全なレポートを参照）"},
    "duration.minutes": {"en": "{minutes} min", "ja": "{minutes} 分"},
    "duration.hours": {"en": "{hours} h {minutes} min", "ja": "{hours} 時間 {minutes} 分"},
    "gh.again": {
        "en": "The alarm fired again at {at} UTC:",
        "ja": "アラームが {at} UTC に再び発火しました:",
    },
    "rec.subject": {"en": "[RECOVERED] {alarm}: {title}", "ja": "[復旧] {alarm}: {title}"},
    "rec.heading": {"en": "Recovered: {alarm}", "ja": "復旧: {alarm}"},
    "rec.time": {
        "en": "Back to OK after {duration} (ALARM at {alarm_at} UTC, OK at {ok_at} UTC)",
        "ja": "{duration}で OK に復帰（ALARM {alarm_at} UTC、OK {ok_at} UTC）",
    },
    "rec.incident": {
        "en": "Incident {incident_id}: {verdict}",
        "ja": "インシデント {incident_id}: {verdict}",
    },
    "rec.status.holds": {
        "en": "The hypothesis still holds: its evidence went away with the alarm",
        "ja": "仮説は引き続き妥当: アラームの復旧とともに根拠も消えた",
    },
    "rec.status.doubtful": {
        "en": "The hypothesis is in doubt: its evidence continues after the recovery, so the cause may still be there",
        "ja": "仮説に疑問あり: 復旧後も根拠が続いており、原因が残っている可能性がある",
    },
    "rec.status.unverified": {
        "en": "The hypothesis could not be re-checked: none of its evidence was found again",
        "ja": "仮説を再確認できなかった: 根拠をもう一度確認できなかった",
    },
    "rec.signature_stopped": {
        "en": '"{signature}" stopped: not logged in the {minutes} min before the recovery ({count}x during the incident)',
        "ja": "「{signature}」は停止: 復旧前 {minutes} 分間に記録なし（障害中は {count} 件）",
    },
    "rec.signature_continues": {
        "en": '"{signature}" continues: logged {now}x in the {minutes} min before the recovery ({count}x during the incident)',
        "ja": "「{signature}」は継続: 復旧前 {minutes} 分間に {now} 件（障害中は {count} 件）",
    },
    "rec.metric_normal": {
        "en": "{metric} back to {now} ({incident} during the incident, {baseline} before it)",
        "ja": "{metric} は {now} に回復（障害中 {incident}、障害前 {baseline}）",
    },
    "rec.metric_abnormal": {
        "en": "{metric} still at {now} ({incident} during the incident, {baseline} before it)",
        "ja": "{metric} はまだ {now}（障害中 {incident}、障害前 {baseline}）",
    },
    "rec.closed": {
        "en": "Closed by Alarm Analyzer: the alarm is back to OK.",
        "ja": "Alarm Analyzer がクローズ: アラームは OK に戻りました。",
    },
}

MESSAGES |= CHANNEL_MESSAGES
