"""The platform's rules (rules/platform.py): each one's case, its cause-and-symptom links, and the near
miss it must not claim."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from alarm_analyzer import evidence as ev
from alarm_analyzer.models import (
    CacheState,
    DatabaseEvent,
    DatabaseState,
    InstanceState,
    ResourcesData,
    ScheduledEvent,
    Stats,
)
from alarm_analyzer.rules import CONFIDENCE_FLOOR, platform
from alarm_analyzer.rules.signals import mechanisms_in
from tests.factories import (
    STATE_CHANGE,
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

BREACH = STATE_CHANGE - timedelta(minutes=5)
ELB = "app/shop/0123456789abcdef"
CACHE = "sessions-001"
INSTANCE = "i-0a1b2c3d4e5f60718"


def _errors_up() -> object:
    return series(
        "HTTPCode_Target_5XX_Count",
        stats(40, 5),
        stats(2, 1),
        namespace="AWS/ApplicationELB",
        kind="load_balancer",
        resource=ELB,
        stat="Sum",
    )


def _cache(metric: str, incident: float, baseline: float, **kw: object) -> object:
    return series(
        metric, stats(incident), stats(baseline), namespace="AWS/ElastiCache", kind="cache_cluster",
        resource=CACHE, **kw,
    )  # fmt: skip


def _instance(metric: str, incident: object, baseline: object, **kw: object) -> object:
    namespace = "CWAgent" if metric.endswith("_percent") else "AWS/EC2"
    return series(
        metric, incident, baseline, namespace=namespace, kind="ec2_instance", resource=INSTANCE, **kw
    )


def _categories(found: list) -> list[tuple[str, str]]:
    return [(h.category, h.role) for h in found]


# --- the mechanisms in log lines -------------------------------------------------------------------


def test_each_stack_s_words_for_a_full_cache_a_full_disk_and_a_failover_are_one_mechanism() -> None:
    lines = {
        "cache_refused": [
            "redis.clients.jedis.exceptions.JedisDataException: OOM command not allowed when used memory > 'maxmemory'.",
            "ReplyError: OOM command not allowed when used memory > 'maxmemory'.",
            "redis.exceptions.OutOfMemoryError: OOM command not allowed when used memory > 'maxmemory'.",
            "io.lettuce.core.RedisCommandExecutionException: ERR max number of clients reached",
            "SERVER_ERROR out of memory storing object",
        ],
        "cache_timeout": [
            "redis.exceptions.TimeoutError: Timeout reading from socket",
            "redis.clients.jedis.exceptions.JedisConnectionException: java.net.SocketTimeoutException: Read timed out",
            "io.lettuce.core.RedisCommandTimeoutException: Command timed out after 1 minute(s)",
            "StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms), next: HGET flags:<*>",
            "redis: read tcp 10.0.3.18:52144->10.0.7.9:6379: i/o timeout",
            "Error: Command timed out\n    at Timeout._onTimeout (/app/node_modules/ioredis/built/Redis.js:170:33)",
            "net.spy.memcached.OperationTimeoutException: Timeout waiting for value",
        ],
        "disk_full": [
            "OSError: [Errno 28] No space left on device: '/var/cache/app/r.tmp'",
            "Error: ENOSPC: no space left on device, write",
            'ERROR:  could not extend file "base/16384/16402": No space left on device',
            "ERROR 1114 (HY000): The table 'order_events' is full",
            "java.io.IOException: There is not enough space on the disk",
        ],
        "failover": [
            "FATAL:  terminating connection due to administrator command",
            "pq: the database system is shutting down",
            "(2006, 'MySQL server has gone away')",
            "READONLY You can't write against a read only replica.",
            "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure",
            "WARN c.z.h.p.PoolBase - HikariPool-1 - Failed to validate connection "
            "org.postgresql.jdbc.PgConnection@5f1c2d (This connection has been closed.). Possibly consider "
            "using a shorter maxLifetime value.",
            "psycopg2.OperationalError: server closed the connection unexpectedly",
        ],
    }
    for mechanism, texts in lines.items():
        for text in texts:
            assert mechanisms_in(text) == {mechanism}, text


# --- cache_pressure --------------------------------------------------------------------------------


def test_evictions_with_the_cache_s_memory_full_are_cache_pressure() -> None:
    found = judged(
        platform.cache_pressure,
        facts(
            the_alarm=alarm(
                namespace="AWS/ElastiCache", metric="Evictions", dimensions={"CacheClusterId": CACHE}
            ),
            metrics=[
                _cache("Evictions", 900, 0, role="alarm", stat="Sum"),
                _cache("DatabaseMemoryUsagePercentage", 99, 62),
                _cache("CacheMisses", 30000, 2500),
            ],
        ),
    )
    assert [h.category for h in found] == ["cache_pressure"]
    assert found[0].resource == CACHE
    assert found[0].confidence >= 0.75


def test_a_cache_refusing_writes_is_the_cause_of_the_errors_not_the_code() -> None:
    oom = signature("ERROR ReplyError: OOM command not allowed when used memory > 'maxmemory'.", 80)
    found = everything(facts(metrics=[_errors_up()], signatures=[oom]))
    assert found[0].category == "cache_pressure"
    assert found[0].confidence >= CONFIDENCE_FLOOR
    assert "application_error" not in [h.category for h in found]


def test_clients_timing_out_on_a_pinned_engine_are_the_cache_s_errors_not_the_code_s() -> None:
    engine = _cache("EngineCPUUtilization", 99, 15)
    timeouts = signature(
        "ERROR lookup failed: redis.exceptions.TimeoutError: Timeout reading from socket", 60
    )
    found = everything(facts(metrics=[_errors_up(), engine], signatures=[timeouts]))
    assert [h.category for h in found] == ["cache_pressure"]
    assert ev.signature_id(timeouts) in found[0].evidence_ids


def test_cache_timeouts_alone_do_not_make_a_cache_under_pressure() -> None:
    timeouts = signature("ERROR io.lettuce.core.RedisCommandTimeoutException: Command timed out", 60)
    assert judged(platform.cache_pressure, facts(metrics=[_errors_up()], signatures=[timeouts])) == []


def test_cache_memory_that_reached_its_ceiling_late_in_the_window_is_full_now() -> None:
    """Filling from 70% to 99.9% within the window: the window's average stays below the ceiling, and a
    percentage this close to 100 never leaves its usual band far enough to have a recent run."""
    filling = Stats(count=15, avg=84, min=70, max=99.9, last=99.9)
    memory = _cache("DatabaseMemoryUsagePercentage", 0, 70)
    memory = memory.model_copy(update={"incident": filling})
    found = judged(platform.cache_pressure, facts(metrics=[memory, _cache("Evictions", 900, 0, stat="Sum")]))
    assert found[0].reasons[:2] == [
        "Evictions 900 (was 0)",
        "DatabaseMemoryUsagePercentage 99.9% (was 70.0%)",
    ]


def test_cache_memory_as_high_as_every_day_is_no_pressure() -> None:
    memory = series(
        "DatabaseMemoryUsagePercentage", stats(92), stats(91), namespace="AWS/ElastiCache", kind="cache_cluster",
        resource=CACHE, role="alarm", day_ago=stats(93),
    )  # fmt: skip
    assert judged(platform.cache_pressure, facts(metrics=[memory, _cache("Evictions", 0, 0)])) == []


# --- storage_exhaustion ----------------------------------------------------------------------------


def test_a_disk_filling_up_with_enospc_errors_is_storage_exhaustion() -> None:
    disk = _instance("disk_used_percent", stats(98, 1), stats(71, 1), role="alarm", breach_start=BREACH)
    full = signature("ERROR upload failed: OSError: [Errno 28] No space left on device", 40)
    found = judged(platform.storage_exhaustion, facts(metrics=[disk, _errors_up()], signatures=[full]))
    assert [h.category for h in found] == ["storage_exhaustion"]
    assert found[0].resource == INSTANCE
    assert found[0].confidence >= 0.75


def test_a_database_short_of_its_allocated_storage_is_storage_exhaustion() -> None:
    free = series("FreeStorageSpace", stats(1.5e9), stats(9e9), role="alarm", breach_start=BREACH)
    database = DatabaseState(id="ledger-db", allocated_storage_gb=100)
    found = judged(
        platform.storage_exhaustion,
        facts(metrics=[free], resources=ResourcesData(databases=[database])),
    )
    assert [h.category for h in found] == ["storage_exhaustion"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_a_disk_as_full_as_every_day_is_not_running_out() -> None:
    steady = _instance("disk_used_percent", stats(84, 1), stats(83, 1), role="alarm")
    assert judged(platform.storage_exhaustion, facts(metrics=[steady])) == []
    full_for_weeks = _instance("disk_used_percent", stats(96, 0.2), stats(96, 0.2), role="alarm")
    found = judged(platform.storage_exhaustion, facts(metrics=[full_for_weeks]))
    assert found
    assert found[0].confidence < CONFIDENCE_FLOOR


def test_a_filling_disk_explains_the_exceptions_the_code_throws_when_writes_fail() -> None:
    disk = _instance(
        "disk_used_percent", stats(99, 1), stats(70, 1), breach_start=BREACH - timedelta(minutes=2)
    )
    thrown = signature(
        "ERROR ReportWriter failed for report <*>: IOException: write failed", 60, first_seen=BREACH
    )
    found = everything(facts(metrics=[_errors_up(), disk], signatures=[thrown]))
    assert _categories(found)[:2] == [("storage_exhaustion", "root"), ("application_error", "symptom")]


# --- burst_credit_exhaustion -----------------------------------------------------------------------


def test_credits_spent_with_the_cpu_flat_at_its_baseline_are_burst_credit_exhaustion() -> None:
    balance = _instance("CPUCreditBalance", stats(0.4, 0.4), stats(210, 5), role="alarm", breach_start=BREACH)
    cpu = _instance("CPUUtilization", stats(20, 0.2), stats(35, 8), at_peak_share=0.9)
    found = judged(platform.burst_credit_exhaustion, facts(metrics=[balance, cpu, latency_alarm_series()]))
    assert [h.category for h in found] == ["burst_credit_exhaustion"]
    assert found[0].confidence >= CONFIDENCE_FLOOR


def test_credits_spent_while_nothing_is_held_back_stay_below_the_floor() -> None:
    balance = _instance("CPUCreditBalance", stats(0.4, 0.4), stats(210, 5), role="alarm")
    steady = stats(36, 2).model_copy(update={"last": 37.5})
    wandering = _instance("CPUUtilization", steady, stats(35, 8), at_peak_share=0.6)
    found = judged(
        platform.burst_credit_exhaustion, facts(metrics=[balance, wandering, latency_alarm_series()])
    )
    assert found
    assert found[0].confidence < CONFIDENCE_FLOOR


def test_an_unlimited_instance_out_of_credits_is_not_held() -> None:
    balance = _instance("CPUCreditBalance", stats(0.4, 0.4), stats(210, 5), role="alarm")
    cpu = _instance("CPUUtilization", stats(60, 0.2), stats(35, 8), at_peak_share=0.9)
    unlimited = InstanceState(id=INSTANCE, type="t3.large", burstable=True, cpu_credits="unlimited")
    found = judged(
        platform.burst_credit_exhaustion,
        facts(metrics=[balance, cpu], resources=ResourcesData(instances=[unlimited])),
    )
    assert found
    assert found[0].confidence < CONFIDENCE_FLOOR


def test_a_database_out_of_io_credits_is_the_cause_of_its_slow_queries() -> None:
    burst = series("BurstBalance", stats(0.5, 0.5), stats(97, 1), breach_start=BREACH - timedelta(minutes=1))
    read = series("ReadLatency", stats(0.04, 0.005), stats(0.004, 0.001), breach_start=BREACH)
    found = everything(
        facts(
            metrics=[latency_alarm_series(), burst, read],
            trace_data=traces([("sql", "ledger-db.c1.eu-west-1.rds.amazonaws.com", 0.85)], slow_share=0.7),
        )
    )
    assert _categories(found)[:2] == [("burst_credit_exhaustion", "root"), ("slow_database_query", "symptom")]


# --- infrastructure_failure ------------------------------------------------------------------------


def test_a_failed_system_status_check_on_an_impaired_host_is_an_infrastructure_failure() -> None:
    check = _instance("StatusCheckFailed_System", stats(1, 0), stats(0), role="alarm", stat="Maximum")
    impaired = InstanceState(
        id=INSTANCE, system_status="impaired", instance_status="ok",
        scheduled_events=[ScheduledEvent(code="instance-retirement", not_before=STATE_CHANGE + timedelta(days=2))],
    )  # fmt: skip
    found = judged(
        platform.infrastructure_failure,
        facts(
            the_alarm=alarm(
                namespace="AWS/EC2", metric="StatusCheckFailed_System", dimensions={"InstanceId": INSTANCE}
            ),
            metrics=[check],
            resources=ResourcesData(instances=[impaired]),
        ),
    )
    assert [h.category for h in found] == ["infrastructure_failure"]
    assert found[0].resource == INSTANCE
    assert found[0].confidence >= 0.75


def _failed_over(ago: timedelta) -> ResourcesData:
    event = DatabaseEvent(
        at=BREACH - ago,
        message="Multi-AZ instance failover started.",
        categories=["failover"],
        kind="failover",
    )
    return ResourcesData(databases=[DatabaseState(id="ledger-db", multi_az=True, events=[event])])


def test_a_failover_just_before_the_pool_ran_dry_is_its_cause() -> None:
    pool = signature("HikariPool-1 - Connection is not available, request timed out after 30000ms", 90)
    found = everything(
        facts(
            metrics=[latency_alarm_series()], signatures=[pool], resources=_failed_over(timedelta(minutes=3))
        )
    )
    assert _categories(found)[:2] == [
        ("infrastructure_failure", "root"),
        ("database_connection_exhaustion", "symptom"),
    ]
    assert found[0].resource == "ledger-db"


def test_a_failover_long_before_the_alarm_explains_nothing() -> None:
    pool = signature("HikariPool-1 - Connection is not available, request timed out after 30000ms", 90)
    long_ago = _failed_over(timedelta(minutes=50))
    assert (
        judged(platform.infrastructure_failure, facts(metrics=[latency_alarm_series()], resources=long_ago))
        == []
    )
    found = everything(facts(metrics=[latency_alarm_series()], signatures=[pool], resources=long_ago))
    assert found[0].category == "database_connection_exhaustion"


def test_a_cache_node_replaced_under_the_errors_is_an_infrastructure_failure() -> None:
    replaced = CacheState(
        id="sessions", kind="replication_group",
        events=[DatabaseEvent(at=BREACH - timedelta(minutes=2), message="Failover from master node sessions-001 to replica node sessions-002 completed", kind="failover")],
    )  # fmt: skip
    readonly = signature("ERROR READONLY You can't write against a read only replica.", 70)
    found = everything(
        facts(metrics=[_errors_up()], signatures=[readonly], resources=ResourcesData(caches=[replaced]))
    )
    assert found[0].category == "infrastructure_failure"
    assert found[0].confidence >= 0.75


def test_a_cpu_fallen_from_its_bursts_to_a_floor_it_stays_on_is_held() -> None:
    balance = _instance("CPUCreditBalance", stats(0.2, 0.2), stats(260, 5), role="alarm")
    floor = stats(20, 0).model_copy(update={"min": 20.0, "max": 70.0, "avg": 31.0, "last": 20.1})
    cpu = _instance("CPUUtilization", floor, stats(71, 6), at_peak_share=0.1)
    found = judged(platform.burst_credit_exhaustion, facts(metrics=[balance, cpu]))
    assert found[0].confidence >= CONFIDENCE_FLOOR


def _database_cpu_credits(cpu: object) -> list:
    balance = series(
        "CPUCreditBalance", stats(0.3, 0.3), stats(45, 2), breach_start=BREACH - timedelta(minutes=2)
    )
    slow = series("ReadLatency", stats(0.03, 0.005), stats(0.004, 0.001), breach_start=BREACH)
    return [latency_alarm_series(), balance, series("CPUUtilization", cpu, stats(57, 4)), slow]


def test_a_burstable_database_out_of_cpu_credits_is_the_cause_of_its_slow_queries() -> None:
    floor = stats(24, 0).model_copy(update={"min": 24.0, "max": 57.0, "avg": 29.0, "last": 24.2})
    found = everything(
        facts(
            metrics=_database_cpu_credits(floor),
            trace_data=traces([("sql", "ledger-db.c1.eu-west-1.rds.amazonaws.com", 0.85)], slow_share=0.7),
        )
    )
    assert _categories(found)[:2] == [("burst_credit_exhaustion", "root"), ("slow_database_query", "symptom")]


def test_a_database_that_spent_its_credits_but_still_runs_at_its_usual_cpu_is_not_held() -> None:
    busy = stats(55, 3).model_copy(update={"last": 58.0})
    found = judged(platform.burst_credit_exhaustion, facts(metrics=_database_cpu_credits(busy)))
    assert found
    assert found[0].confidence < CONFIDENCE_FLOOR


def _volume(metric: str, incident: object, baseline: object, **kw: object) -> object:
    return series(
        metric, incident, baseline, namespace="AWS/EBS", kind="ebs_volume", resource="vol-0a1b2c3d", **kw
    )


def _draining_volume(queue_day_ago: float) -> list:
    # The queue has been growing for an hour as the credits ran out: the window before is no longer usual.
    balance = _volume("BurstBalance", stats(0.5, 0.5), stats(12, 8), day_ago=stats(97, 1))
    queue = _volume("VolumeQueueLength", stats(9, 1), stats(5, 3), day_ago=stats(queue_day_ago, 0.2))
    return [balance, queue]


def test_an_io_queue_that_grew_with_the_drain_is_held_against_the_same_hours_a_day_earlier() -> None:
    [claim] = platform.burst_credit_exhaustion(facts(metrics=_draining_volume(0.6)))
    assert "held" in {o.weight for o in claim.observations}


def test_an_io_queue_as_long_a_day_earlier_is_not_held_back() -> None:
    [claim] = platform.burst_credit_exhaustion(facts(metrics=_draining_volume(8)))
    assert "held" not in {o.weight for o in claim.observations}


ORDER_FAILED = "ERROR c.e.o.OrderService - Failed to save order <*>: could not execute statement"


def test_errors_the_code_throws_as_its_database_fails_over_are_the_failover_s() -> None:
    failing = facts(
        metrics=[_errors_up()],
        signatures=[signature(ORDER_FAILED, 120)],
        resources=_failed_over(timedelta(minutes=3)),
    )
    assert _categories(everything(failing))[:2] == [
        ("infrastructure_failure", "root"),
        ("application_error", "symptom"),
    ]


def test_errors_that_begin_long_after_a_failover_are_the_code_s_own() -> None:
    failing = facts(
        metrics=[_errors_up()],
        signatures=[signature(ORDER_FAILED, 120)],
        resources=_failed_over(timedelta(minutes=50)),
    )
    assert _categories(everything(failing))[0] == ("application_error", "root")


# --- a cache under pressure sends its reads to the database ----------------------------------------


def _database_cpu(breach: timedelta) -> object:
    return series("CPUUtilization", stats(94, 3), stats(30, 4), breach_start=BREACH + breach)


def _evicting(breach: timedelta) -> list[object]:
    return [
        _cache("Evictions", 3000, 0, stat="Sum", breach_start=BREACH + breach),
        _cache("CacheMisses", 26000, 2500, breach_start=BREACH + breach),
    ]


def _behind_the_cache(cache: timedelta, database: timedelta) -> object:
    return facts(metrics=[latency_alarm_series(), _database_cpu(database), *_evicting(cache)])


def test_a_cache_evicting_before_the_database_ran_hot_is_the_cause_of_its_pressure() -> None:
    found = everything(_behind_the_cache(cache=timedelta(minutes=-6), database=timedelta(minutes=-3)))
    assert _categories(found)[:2] == [("cache_pressure", "root"), ("database_resource_pressure", "symptom")]
    assert found[1].explained_by == "cache_pressure"


def test_a_cache_that_began_evicting_after_the_database_ran_hot_explains_nothing() -> None:
    found = everything(_behind_the_cache(cache=timedelta(minutes=4), database=timedelta(minutes=-6)))
    assert ("database_resource_pressure", "symptom") not in _categories(found)
    assert all(h.explained_by is None for h in found)


def test_a_cache_off_the_alarm_s_path_explains_nothing_of_the_database() -> None:
    seen = _behind_the_cache(cache=timedelta(minutes=-6), database=timedelta(minutes=-3))
    elsewhere = replace(seen, path=frozenset({ELB, "shop", "ledger-db", "another-cache-001"}))
    assert ("database_resource_pressure", "symptom") not in _categories(everything(elsewhere))
    on_path = replace(seen, path=frozenset({ELB, "ledger-db", CACHE}))
    assert _categories(everything(on_path))[:2] == [
        ("cache_pressure", "root"),
        ("database_resource_pressure", "symptom"),
    ]


def test_requests_waiting_on_queries_the_evicting_cache_used_to_answer_lead_back_to_the_cache() -> None:
    found = everything(
        facts(
            metrics=[latency_alarm_series(), *_evicting(timedelta(minutes=-5))],
            trace_data=traces([("sql", "ledger-db.c1.eu-west-1.rds.amazonaws.com", 0.85)], slow_share=0.7),
        )
    )
    assert _categories(found)[:2] == [("cache_pressure", "root"), ("slow_database_query", "symptom")]
