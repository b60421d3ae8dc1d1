"""Each rule on its own: the case it must recognize, and the near miss it must not."""

from __future__ import annotations

from dataclasses import replace

from alarm_analyzer import evidence as ev
from alarm_analyzer.models import AlarmData, DimensionIssue, Series, Stats
from alarm_analyzer.rules import CONFIDENCE_FLOOR
from alarm_analyzer.rules.alarm_config import misconfiguration
from alarm_analyzer.rules.database import connection_exhaustion, resource_pressure
from alarm_analyzer.rules.latency import application_code, downstream_dependency
from tests.factories import (
    alarm,
    everything,
    facts,
    judged,
    latency_alarm_series,
    series,
    signature,
    stats,
    traces,
)

MB = 1 << 20
POOL = "ERROR psycopg_pool.PoolTimeout: couldn't get a connection after <n> sec"


def _pinned_connections() -> object:
    return series("DatabaseConnections", stats(97, 3), stats(14, 2), stat="Maximum", at_peak_share=0.7)


# --- database_connection_exhaustion ---------------------------------------------------------------


def test_pool_errors_pinned_connections_and_sql_time_make_a_strong_case() -> None:
    found = judged(
        connection_exhaustion,
        facts(
            metrics=[latency_alarm_series(), _pinned_connections()],  # type: ignore[list-item]
            signatures=[signature(POOL, count=140)],
            trace_data=traces([("sql", "ledger-db.c1.eu-west-1.rds.amazonaws.com", 0.9)], slow_share=0.8),
        ),
    )
    assert len(found) == 1
    assert found[0].category == "database_connection_exhaustion"
    assert found[0].confidence >= 0.9
    assert found[0].resource == "ledger-db"
    assert ev.signature_id(signature(POOL, count=140)) in found[0].evidence_ids


def test_pool_errors_alone_are_enough_to_clear_the_floor() -> None:
    found = judged(connection_exhaustion, facts(signatures=[signature(POOL, count=25)]))
    assert found
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_pool_errors_at_their_usual_rate_are_noise() -> None:
    assert judged(connection_exhaustion, facts(signatures=[signature(POOL, count=12, baseline=10)])) == []


def test_busy_but_not_pinned_connections_are_not_exhaustion() -> None:
    wandering = series("DatabaseConnections", stats(40, 20), stats(14, 2), stat="Maximum", at_peak_share=0.1)
    assert judged(connection_exhaustion, facts(metrics=[wandering])) == []


def test_connections_at_a_plateau_with_busy_sql_but_no_errors_or_slowdown_stay_below_the_floor() -> None:
    found = judged(
        connection_exhaustion,
        facts(metrics=[_pinned_connections()], trace_data=traces([("sql", "ledger-db", 0.6)])),  # type: ignore[list-item]
    )
    assert found
    assert found[0].confidence < CONFIDENCE_FLOOR


def test_a_database_seen_only_in_unrelated_traces_is_not_blamed() -> None:
    memory = series("FreeableMemory", stats(300 * MB, 60 * MB), stats(950 * MB, 5 * MB), stat="Minimum")
    swap = series("SwapUsage", stats(200 * MB, 30 * MB), stats(1 * MB), stat="Maximum")
    revealed = [
        s.model_copy(update={"resource": s.resource.model_copy(update={"via": "traces"})})
        for s in (memory, swap)
    ]  # type: ignore[union-attr]
    own_code_only = traces([("own_code", "web", 0.95), ("sql", "other-db", 0.05)], slow_share=0.6)
    assert judged(resource_pressure, facts(metrics=revealed, trace_data=own_code_only)) == []
    busy_sql = traces([("sql", "other-db", 0.7), ("own_code", "web", 0.3)], slow_share=0.6)
    assert judged(resource_pressure, facts(metrics=revealed, trace_data=busy_sql))


def test_http_client_pool_timeouts_are_not_database_exhaustion() -> None:
    http = "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host=<s>, port=<n>): Read timed out."
    assert judged(connection_exhaustion, facts(signatures=[signature(http, count=80)])) == []


# --- database_resource_pressure -------------------------------------------------------------------


def test_memory_drop_swap_and_temp_files_are_resource_pressure() -> None:
    memory = series("FreeableMemory", stats(500 * MB, 60 * MB), stats(950 * MB, 5 * MB), stat="Minimum")
    swap = series("SwapUsage", stats(90 * MB, 30 * MB), stats(1 * MB), stat="Maximum")
    temp = signature("LOG: temporary file: path <s>, size <n>", count=40, level="notice", group="/aws/rds/x")
    found = judged(resource_pressure, facts(metrics=[memory, swap], signatures=[temp]))
    assert found[0].category == "database_resource_pressure"
    assert found[0].confidence >= 0.7
    assert set(found[0].evidence_ids) == {ev.series_id(memory), ev.series_id(swap), ev.signature_id(temp)}


def test_a_small_memory_dip_and_steady_high_cpu_are_not_pressure() -> None:
    dip = series("FreeableMemory", stats(880 * MB, 30 * MB), stats(950 * MB, 5 * MB), stat="Minimum")
    cpu = series("CPUUtilization", stats(86, 3), stats(82, 3))
    assert judged(resource_pressure, facts(metrics=[dip, cpu])) == []


# --- latency ----------------------------------------------------------------------------------------


def test_slow_remote_call_under_a_latency_alarm_is_a_downstream_problem() -> None:
    found = judged(
        downstream_dependency,
        facts(
            metrics=[latency_alarm_series()],
            trace_data=traces(
                [("remote_http", "rates.partner.example", 0.85), ("own_code", "web", 0.1)], 0.8
            ),
            signatures=[
                signature("WARN httpx.ReadTimeout: timed out calling <url>", count=30, level="warning")
            ],
        ),
    )
    assert found[0].category == "downstream_dependency_latency"
    assert found[0].resource == "rates.partner.example"
    assert found[0].confidence >= 0.8


def test_remote_calls_dominating_a_healthy_service_are_not_a_problem() -> None:
    healthy = alarm(
        namespace="AWS/ApplicationELB", metric="HTTPCode_Target_5XX_Count", stat="Sum", threshold=5
    )
    quiet = traces([("remote_http", "rates.partner.example", 0.7)], slow_share=0.0)
    assert judged(downstream_dependency, facts(the_alarm=healthy, trace_data=quiet)) == []


def test_a_minor_remote_share_is_not_blamed() -> None:
    spread = traces([("own_code", "web", 0.5), ("sql", "db", 0.3), ("remote_http", "x.example", 0.2)], 0.8)
    assert judged(downstream_dependency, facts(metrics=[latency_alarm_series()], trace_data=spread)) == []


def test_a_slowdown_spread_evenly_is_not_blamed_on_the_remote_call_that_took_a_little_more() -> None:
    even = traces([("remote_http", "x.example", 0.37), ("sql", "db", 0.32), ("own_code", "web", 0.31)], 0.8)
    assert judged(downstream_dependency, facts(metrics=[latency_alarm_series()], trace_data=even)) == []


def test_a_remote_call_leading_the_rest_of_the_slowdown_is_blamed() -> None:
    leading = traces([("remote_http", "x.example", 0.55), ("sql", "db", 0.3), ("own_code", "web", 0.15)], 0.8)
    found = judged(downstream_dependency, facts(metrics=[latency_alarm_series()], trace_data=leading))
    assert [c.category for c in found] == ["downstream_dependency_latency"]


def test_time_in_the_service_own_code_is_application_latency() -> None:
    found = judged(
        application_code,
        facts(
            metrics=[latency_alarm_series()],
            trace_data=traces([("own_code", "web: build_report", 0.93)], 0.7),
        ),
    )
    assert found[0].category == "application_code_latency"
    assert found[0].resource == "web: build_report"


def test_own_code_with_a_large_sql_share_is_not_blamed_on_the_code() -> None:
    mixed = traces([("own_code", "web", 0.55), ("sql", "ledger-db", 0.4)], 0.7)
    assert judged(application_code, facts(metrics=[latency_alarm_series()], trace_data=mixed)) == []


# --- alarm_misconfiguration -------------------------------------------------------------------------


def _hosts_alarm() -> object:
    return alarm(
        metric="HealthyHostCount",
        dimensions={"TargetGroup": "web-tg", "LoadBalancer": "app/web/0123456789abcdef"},
        stat="Minimum",
        threshold=1,
        recent=(),
    )


def _no_data() -> Series:
    """The alarm's own series, without a single datapoint in the incident window."""
    return series("HealthyHostCount", Stats(), Stats(), namespace="AWS/ApplicationELB", kind="target_group",
                  resource="web-tg", role="alarm")  # fmt: skip


def test_an_alarm_on_a_metric_that_does_not_exist_while_the_service_is_fine_is_misconfigured() -> None:
    data = AlarmData(
        metric_exists=False,
        dimension_issues=[
            DimensionIssue(
                name="TargetGroup",
                value="web-tg",
                expected="targetgroup/<name>/<id>",
                suggestion="targetgroup/web-tg/00aa11bb22cc33dd",
            )
        ],
    )
    found = judged(
        misconfiguration,
        facts(
            the_alarm=_hosts_alarm(), alarm_data=data, trace_data=traces(fault_rate=0.0), metrics=[_no_data()]
        ),
    )  # type: ignore[arg-type]
    assert found[0].category == "alarm_misconfiguration"
    assert found[0].confidence >= 0.8
    assert ev.ALARM_METRIC_MISSING in found[0].evidence_ids
    assert "targetgroup/web-tg/00aa11bb22cc33dd" in " ".join(found[0].reasons)


def test_a_real_metric_that_got_no_data_is_not_called_a_misconfiguration() -> None:
    sparse = AlarmData(metric_exists=True)
    found = judged(misconfiguration, facts(the_alarm=_hosts_alarm(), alarm_data=sparse, metrics=[_no_data()]))  # type: ignore[arg-type]
    assert found == []


def test_a_missing_metric_with_a_failing_service_is_a_weaker_claim() -> None:
    data = AlarmData(metric_exists=False)
    failing = facts(
        the_alarm=_hosts_alarm(),  # type: ignore[arg-type]
        alarm_data=data,
        metrics=[_no_data()],
        trace_data=traces(fault_rate=0.3),
        signatures=[signature("ERROR upstream returned <n>", count=50)],
    )
    healthy = replace(failing, gathered=facts(the_alarm=_hosts_alarm(), alarm_data=data, metrics=[_no_data()],  # type: ignore[arg-type]
                                              trace_data=traces(fault_rate=0.0)).gathered)  # fmt: skip
    assert judged(misconfiguration, failing)[0].confidence < judged(misconfiguration, healthy)[0].confidence


# --- the engine -------------------------------------------------------------------------------------


def test_nothing_supported_means_no_hypothesis_above_the_floor() -> None:
    quiet = facts(metrics=[latency_alarm_series(0.3, 0.25)], trace_data=traces([("own_code", "web", 0.9)]))
    hypotheses = everything(replace(quiet, evidence_ids=frozenset({"metrics:x"})))
    assert all(h.confidence < CONFIDENCE_FLOOR for h in hypotheses)


def test_hypotheses_citing_unknown_evidence_are_dropped() -> None:
    case = facts(signatures=[signature(POOL, count=25)])
    assert everything(replace(case, evidence_ids=frozenset())) == []
    assert everything(replace(case, evidence_ids=frozenset({ev.signature_id(signature(POOL, count=25))})))


def test_confidence_counts_only_what_the_report_can_cite() -> None:
    """A hypothesis keeps only the weight of observations whose evidence survives: an unknown id adds
    neither confidence nor a reason."""
    pool = signature(POOL, count=25)
    full = everything(facts(signatures=[pool], metrics=[latency_alarm_series()]))
    only_logs = everything(replace(facts(signatures=[pool], metrics=[latency_alarm_series()]),
                                 evidence_ids=frozenset({ev.signature_id(pool)})))  # fmt: skip
    (before,) = [h for h in full if h.category == "database_connection_exhaustion"]
    (after,) = [h for h in only_logs if h.category == "database_connection_exhaustion"]
    assert after.confidence < before.confidence
    assert after.evidence_ids == [ev.signature_id(pool)]
    assert len(after.reasons) == len(after.evidence_ids)
