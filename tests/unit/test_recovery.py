"""The recovery follow-up: time to recover, and whether the hypothesis still holds, judged from the
evidence it cited as seen again in the analysis of the OK transition."""

from __future__ import annotations

from alarm_analyzer.delivery import message_from_sns, publish_recovery, recovery_text
from alarm_analyzer.recovery import IncidentRecord, follow_up, record_of
from alarm_analyzer.report import Report, SourceStats
from tests.reports import POOL, later, sample_report


def _record() -> tuple[Report, IncidentRecord]:
    report = sample_report()
    return report, record_of(report)


def test_the_record_keeps_the_cited_signatures_and_metrics() -> None:
    report, record = _record()
    kinds = {s.kind for s in record.signals}
    assert kinds == {"signature", "metric"}
    assert any(s.label == POOL and s.count == 90 for s in record.signals)
    assert record.verdict.startswith("Database connection exhaustion: ")
    assert record.incident_id == report.incident_id


def test_the_signature_stopped_and_the_metric_is_back_so_the_hypothesis_holds() -> None:
    report, record = _record()
    back = [
        e.model_copy(update={"detail": {**e.detail, "incident": {**e.detail["incident"], "avg": 0.26}}})
        for e in report.evidence
        if e.source == "metrics"
    ]
    recovery = follow_up(record, later(report, 30, state="OK", evidence=back), window_minutes=20)
    assert recovery.status == "holds"
    assert recovery.seconds_to_recover == 30 * 60
    assert (
        f'"{POOL}" stopped: not logged in the 20 min before the recovery (90x during the incident)'
        in recovery.reasons
    )
    assert any(r.startswith("TargetResponseTime back to 260 ms") for r in recovery.reasons)
    assert recovery.original_incident_id == report.incident_id


def test_a_signature_still_logged_puts_the_hypothesis_in_doubt() -> None:
    report, record = _record()
    recovery = follow_up(record, later(report, 30, state="OK"), window_minutes=20)
    assert recovery.status == "doubtful"
    assert any(r.startswith(f'"{POOL}" continues: logged 90x') for r in recovery.reasons)


def test_without_the_logs_the_signatures_are_not_judged() -> None:
    report, record = _record()
    failed = report.stats.sources | {"logs": SourceStats(status="error", api_calls=1, duration_ms=5)}
    ok = later(report, 30, state="OK", evidence=[], stats=report.stats.model_copy(update={"sources": failed}))
    recovery = follow_up(record, ok, window_minutes=20)
    assert recovery.status == "unverified"
    assert recovery.reasons == []


def test_the_email_and_every_subscriber_get_the_follow_up(aws_env: None) -> None:
    report, record = _record()
    recovery = follow_up(record, later(report, 135, state="OK", evidence=[]), window_minutes=20)

    class Sns:
        def publish(self, **request: object) -> dict[str, str]:
            self.request = request
            return {"MessageId": "m-1"}

    sns = Sns()
    assert publish_recovery(sns, "arn:aws:sns:eu-west-1:123456789012:reports", recovery) == "m-1"
    assert sns.request["Subject"] == "[RECOVERED] web-latency: Database connection exhaustion"
    assert message_from_sns(str(sns.request["Message"])) == recovery
    text = recovery_text(recovery)
    assert text.startswith("Recovered: web-latency\n")
    assert "Back to OK after 2 h 15 min" in text
    assert f"Incident {report.incident_id}: {record.verdict}" in text


def test_japanese_follow_up() -> None:
    report = sample_report("ja")
    recovery = follow_up(record_of(report), later(report, 30, state="OK", evidence=[]), window_minutes=20)
    text = recovery_text(recovery)
    assert text.startswith("復旧: web-latency\n")
    assert "30 分で OK に復帰" in text
    assert "仮説は引き続き妥当" in text
