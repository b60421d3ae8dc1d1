"""Every category's weights, thresholds and place in the causal model: the one table per category.

``weights``: what each kind of observation adds to the category's score (a rule names the key; the
engine adds the weights of the observations whose evidence the report holds). ``thresholds``: the
values the rule tests its facts against. ``explains``: the categories this one can cause, and on what
condition (``Link``), so that a symptom with strong evidence of its own still leads back to it
(``rules/__init__.py``). ``needs``: the sources that tell this category from its rivals; when one of
them could not be read, the category cannot be confirmed and stays below the confidence floor,
saying what would confirm it.

README.md's category table documents this module; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..report import Category


@dataclass(frozen=True)
class Link:
    """What else must hold for a category to explain another (beyond support, order and path).

    ``unless``: observations of the effect that show a mechanism of its own this cause does not
    produce (overloaded targets time out; targets that crash do so for a reason of their own).
    ``apart``: the cause must be seen on another resource than the effect: a function's own
    invocations rising is the demand its throttling already describes, not a cause in front of it.
    ``needs``: the sources that show the ``unless`` observations; when one could not be read, whether
    the link holds cannot be told, and neither the cause nor the effect can be confirmed.
    """

    unless: frozenset[str] = frozenset()
    apart: bool = False
    needs: frozenset[str] = frozenset()


ANY = Link()


@dataclass(frozen=True)
class Table:
    weights: Mapping[str, float]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    explains: Mapping[Category, Link] = field(default_factory=dict)
    needs: frozenset[str] = frozenset()


TABLES: Mapping[Category, Table] = {
    "database_connection_exhaustion": Table(
        weights={
            "pool_logs": 0.45,  # pool or server connection-limit errors, rising
            "pool_logs_new": 0.55,  # ... never seen in the hour before
            "pool_logs_more": 0.05,  # a second wording of it
            "connections_pinned": 0.3,
            "sql_dominant": 0.15,
            "latency": 0.1,
        },
        thresholds={"pinned_ratio": 1.5, "pinned_share": 0.3, "sql_weight": 0.4},
    ),
    "database_resource_pressure": Table(
        weights={
            "memory_drop": 0.35,
            "swap_growth": 0.25,
            "cpu_hot": 0.35,
            "io_slower": 0.15,
            "pressure_logs": 0.2,
            "sql_dominant": 0.15,
            "alarm_watches": 0.15,  # the alarm itself watches the database's memory or CPU
        },
        thresholds={
            "memory_left": 0.6,  # FreeableMemory down to 60% of its usual or less
            "swap_mb": 50,
            "cpu_percent": 80,
            "cpu_ratio": 1.3,
            "io_ratio": 2.0,
            "linked_sql_share": 0.2,  # a database found only through traces must matter to slow requests
            "sql_weight": 0.4,
        },
        needs=frozenset({"metrics"}),
    ),
    "slow_database_query": Table(
        weights={
            "sql_dominant": 0.4,
            "sql_dominant_strongly": 0.5,
            "latency": 0.1,
            "slow_query_logs": 0.25,
            "slow_query_logs_new": 0.35,
        },
        thresholds={"sql_weight": 0.5, "strongly": 0.7},
        explains={
            "database_resource_pressure": ANY,
            "database_connection_exhaustion": ANY,
        },
        needs=frozenset({"logs", "metrics", "traces"}),
    ),
    "downstream_dependency_latency": Table(
        weights={
            "remote_dominant": 0.35,
            "remote_dominant_strongly": 0.55,
            "latency": 0.15,
            "timeout_logs": 0.15,
        },
        # A call dominates when it took the largest part of the slowdown and leads every other
        # contributor by half again: a third each of a slowdown spread evenly is nobody's.
        thresholds={"remote_weight": 0.35, "strongly": 0.5, "lead": 1.5},
        explains={
            "lambda_throttling": ANY,
            "lambda_timeout": ANY,
        },
        needs=frozenset({"traces"}),
    ),
    "application_code_latency": Table(
        weights={"code_dominant": 0.5, "code_dominant_strongly": 0.6, "latency": 0.15},
        thresholds={"own_weight": 0.5, "strongly": 0.7, "others_max": 0.3},
        needs=frozenset({"traces", "metrics"}),
    ),
    "application_error": Table(
        weights={"exception_logs": 0.3, "exception_logs_new": 0.4, "errors_up": 0.2, "no_change": 0.05},
        needs=frozenset({"logs", "metrics", "traces"}),
    ),
    "deployment_regression": Table(
        weights={
            "change_before": 0.3,
            "change_just_before": 0.4,
            "new_after_change": 0.3,
            "after_change": 0.15,
            "rolled_back": 0.05,
        },
        thresholds={"lookback_minutes": 60, "close_minutes": 30, "grace_minutes": 1},
        explains={
            "application_error": ANY,
            "slow_database_query": ANY,
            "lambda_memory_exhaustion": ANY,
            "lambda_timeout": ANY,
            "application_code_latency": ANY,
            "unhealthy_targets": ANY,
            "database_connection_exhaustion": ANY,
        },
        needs=frozenset({"changes", "metrics"}),  # when the symptoms began, to put the change before them
    ),
    "lambda_timeout": Table(
        weights={"timeouts": 0.5, "duration_at_limit": 0.15, "configured_timeout": 0.1, "errors_up": 0.1},
        thresholds={"min_timeouts": 2, "duration_share": 0.95},
        needs=frozenset({"logs"}),
    ),
    "lambda_throttling": Table(
        weights={
            "throttles": 0.45,
            "concurrency_at_reserved": 0.25,
            "concurrency_flat": 0.15,
            "reserved": 0.1,
            "errors_up": 0.1,
        },
        thresholds={"min_throttles": 5, "flat_share": 0.3},
        explains={
            "consumer_lag": ANY,
        },
        needs=frozenset({"metrics"}),
    ),
    "lambda_memory_exhaustion": Table(
        weights={
            "out_of_memory": 0.45,
            "memory_high": 0.2,
            "memory_ceiling": 0.15,
            "oom_logs": 0.15,
            "errors_up": 0.1,
        },
        thresholds={"ceiling_share": 0.95},
        needs=frozenset({"logs"}),
    ),
    "async_processing_failure": Table(
        weights={
            "dlq_growing": 0.5,
            "dlq_not_empty": 0.35,
            # Only the name says "dead-letter queue" (-dlq, -dead-letter): never enough on its own.
            "dlq_named_growing": 0.25,
            "dlq_named_not_empty": 0.15,
            "alarm_watches": 0.1,  # the alarm counts the dead-letter queue's messages: failures themselves
            "dlq_message": 0.15,
            "consumer_errors": 0.1,  # in the consumer's own log group (the function the relationship names)
            "consumer_errors_new": 0.15,  # ... never seen in the hour before
            "backlog": 0.1,
        },
        needs=frozenset({"resources"}),
    ),
    "unhealthy_targets": Table(
        weights={
            "targets_failing": 0.4,
            "targets_failing_most": 0.5,
            "hosts_moved": 0.1,
            "elb_errors": 0.1,
            "crash_logs": 0.1,
        },
        needs=frozenset({"resources"}),
    ),
    "health_check_misconfiguration": Table(
        weights={
            "check_disagrees": 0.45,
            "check_disagrees_working": 0.5,
            "hosts_moved": 0.1,
            "serving_fine": 0.1,
        },
        needs=frozenset({"resources"}),
    ),
    "network_misconfiguration": Table(
        weights={
            "subnet_differs": 0.35,
            "endpoint_timeouts": 0.3,
            "zone_targets": 0.2,
            "elb_errors": 0.1,
            "traffic_dropped": 0.2,
            "symptom": 0.1,
            "alarm_on_path": 0.1,
            "network_change": 0.1,
        },
        thresholds={"dropped_share": 0.75},
        explains={
            "unhealthy_targets": ANY,
            "downstream_dependency_latency": ANY,
        },
        needs=frozenset({"resources"}),
    ),
    "compute_saturation": Table(
        weights={"compute_hot": 0.45, "symptom": 0.15, "alarm_watches": 0.1, "traffic_steady": 0.1},
        thresholds={
            "hot_percent": 85,
            "pinned_percent": 95,
            "pinned_share": 0.3,
            "hotter_ratio": 1.3,
            "steady_surge": 1.5,
        },
        explains={
            "application_code_latency": ANY,
            "unhealthy_targets": Link(unless=frozenset({"crash_logs"}), needs=frozenset({"logs"})),
        },
        needs=frozenset({"metrics"}),
    ),
    "traffic_surge": Table(
        weights={"surge": 0.35, "surge_large": 0.45, "symptom": 0.15, "strained": 0.1},
        thresholds={"surge_ratio": 2.0, "large_ratio": 3.0, "strained_ratio": 1.5},
        explains={
            "compute_saturation": ANY,
            "application_code_latency": ANY,
            "lambda_throttling": Link(apart=True),
            "database_resource_pressure": ANY,
            "database_connection_exhaustion": ANY,
            "api_throttling": ANY,
        },
        needs=frozenset({"metrics"}),
    ),
    "alarm_misconfiguration": Table(
        weights={
            "metric_missing": 0.45,
            "dimension": 0.2,
            "no_datapoints": 0.15,
            "healthy": 0.1,
            "threshold_normal": 0.4,
            "flapping": 0.1,
        },
        thresholds={"healthy_fault_rate": 0.05, "normal_ratio": 1.5, "flapping_transitions": 4},
        needs=frozenset({"alarm"}),
    ),
    "cache_pressure": Table(
        weights={
            "evictions": 0.3,  # keys evicted far more often than before
            "memory_full": 0.25,  # the engine's memory at its ceiling, well above its usual level
            "engine_cpu_hot": 0.3,
            "misses_up": 0.1,  # what the cache no longer holds goes to what is behind it
            "refused_logs": 0.35,  # clients told OOM / max clients, rising
            "refused_logs_new": 0.45,  # ... never seen in the hour before
            "timeout_logs": 0.15,  # clients timing out on its answers, rising
            "timeout_logs_new": 0.2,
            "alarm_watches": 0.1,
            "symptom": 0.15,
        },
        thresholds={
            "evictions_ratio": 2.0,
            "min_evictions": 10,
            "memory_percent": 90,
            "memory_rise": 5,  # percentage points above the baseline and the day before
            "cpu_percent": 85,
            "cpu_ratio": 1.3,
            "misses_ratio": 2.0,
        },
        # What the cache no longer holds or answers, the service reads from the database behind it (the
        # database strains under the reads, or the requests wait on queries they did not make before) or
        # computes again in its own code; and a client waiting on a busy engine spends the time in its code
        # when its cache calls are not traced.
        explains={
            "database_resource_pressure": ANY,
            "slow_database_query": ANY,
            "application_code_latency": ANY,
        },
    ),
    "storage_exhaustion": Table(
        weights={
            "storage_filling": 0.3,  # free space fell fast (or the disk filled) within the window
            "storage_nearly_full": 0.25,  # little left: a write soon fails
            "storage_logs": 0.35,  # ENOSPC, could not extend file, table is full, rising
            "storage_logs_new": 0.45,
            "storage_event": 0.2,  # the database service says its storage is low or full
            "alarm_watches": 0.1,
            "symptom": 0.15,
        },
        thresholds={
            "fall_share": 0.25,  # free space down by a quarter or more of its baseline
            "free_share": 0.05,  # at most 5% of the allocated storage free
            "used_percent": 95,
            "used_rise": 10,  # percentage points
            "lookback_minutes": 60,
        },
        explains={"application_error": ANY},
    ),
    "burst_credit_exhaustion": Table(
        weights={
            "credits_spent": 0.3,  # the balance fell to a tenth of its usual level or less
            "held": 0.2,  # what the credits paid for is held at the baseline: CPU flat, I/O queued
            "alarm_watches": 0.1,
            "symptom": 0.15,  # counted only where something is held: spent credits alone slow nothing
        },
        thresholds={
            "spent_share": 0.1,
            "floor_tolerance": 0.03,  # the CPU's last point within 3% of its floor
            "floor_drop": 0.6,  # ... 40% or more below its usual level
            "queue_ratio": 2.0,  # I/O queue or latency at least doubled
            "throughput_ratio": 0.5,  # permitted throughput halved or less
        },
        explains={"slow_database_query": ANY},
        needs=frozenset({"metrics"}),
    ),
    "infrastructure_failure": Table(
        weights={
            "status_check_failed": 0.4,
            "impaired": 0.2,  # EC2 reports the instance or its host impaired now
            "scheduled_event": 0.1,  # AWS scheduled a retirement, reboot or maintenance for it
            "platform_event": 0.4,  # a failover, reboot or replacement of the database or cache node
            "failover_logs": 0.2,  # clients saw the node go away or come back read-only
            "failover_logs_new": 0.25,
            "alarm_watches": 0.1,
            "symptom": 0.15,
        },
        thresholds={"lookback_minutes": 15, "grace_minutes": 2},
        explains={
            "database_connection_exhaustion": ANY,
            "slow_database_query": ANY,
            # Requests fail while the node they use goes away: the errors the code throws for it.
            "application_error": ANY,
        },
    ),
    "nat_gateway_exhaustion": Table(
        weights={
            "port_errors": 0.45,  # ErrorPortAllocation: no source port left for a destination
            "packets_dropped": 0.25,
            "connections_high": 0.1,  # ActiveConnectionCount well above its usual
            "connect_timeouts": 0.2,  # connects to outside hosts never established, in the logs
            "alarm_watches": 0.1,  # the alarm watches the gateway itself
            "symptom": 0.1,
        },
        thresholds={"ratio": 2.0, "min_port_errors": 5, "min_drops": 100, "connections_ratio": 1.5},
        # Connects that never complete hold a call until its own timeout, or the function's.
        explains={"downstream_dependency_latency": ANY, "lambda_timeout": ANY},
        needs=frozenset({"metrics"}),
    ),
    "certificate_expiry": Table(
        weights={
            "expired": 0.45,  # ACM: status EXPIRED or no days left
            "expiring_unrenewed": 0.45,  # days left, and ACM will not renew it (imported, validation pending)
            "expired_logs": 0.45,  # handshakes refused for an expired certificate, more than before
            "expired_logs_new": 0.5,  # ... never seen in the hour before
            "tls_logs": 0.2,  # handshakes refused for another reason the certificate's state explains
            "handshake_errors": 0.3,  # beside such a certificate, the load balancer's TLS negotiation errors up
            "alarm_watches": 0.1,
            "symptom": 0.1,
        },
        # Handshake errors: at least 20 in the incident and 3 times the baseline; requests "fell" below
        # 60% of the baseline (a symptom only beside failing handshakes: traffic has many reasons to fall).
        thresholds={"soon_days": 30, "min_handshake_errors": 20, "handshake_ratio": 3, "requests_share": 0.6},
        explains={"application_error": ANY},
    ),
    "credentials_failure": Table(
        weights={
            "refused_logs": 0.4,  # passwords, keys, tokens or permissions refused, more than before
            "refused_logs_new": 0.5,  # ... never seen in the hour before
            "credential_change": 0.25,  # a secret, access key or IAM change in CloudTrail just before
            "secret_changed": 0.15,  # the secret's own last-changed date just before (CloudTrail unread)
            "symptom": 0.1,
        },
        thresholds={"lookback_minutes": 60},
        explains={
            "application_error": ANY,
            # Refused logins starve a pool; connections pinned at a ceiling are a pool used up, not refused.
            "database_connection_exhaustion": Link(
                unless=frozenset({"connections_pinned"}), needs=frozenset({"metrics"})
            ),
        },
        needs=frozenset({"logs"}),
    ),
    "dynamodb_throttling": Table(
        weights={
            "throttles": 0.4,  # the table's or index's throttle events, many and well above their baseline
            "at_capacity": 0.25,  # consumed capacity at what is provisioned (or the on-demand ceiling)
            "scaling_capped": 0.1,  # auto scaling already at its maximum, or suspended
            "throttle_logs": 0.3,  # callers logging the SDK's throughput-exceeded error, rising
            "throttle_logs_new": 0.4,  # ... never seen in the hour before
            "alarm_watches": 0.1,  # the alarm counts the throttles themselves
            "symptom": 0.1,
        },
        thresholds={
            "min_throttles": 50,  # in the incident window: SDKs retry a few throttles unnoticed
            "throttled_minutes": 3,  # minutes with throttles: a burst of one minute is not an incident
            "capacity_share": 0.9,
        },
        explains={
            "application_error": ANY,
            "consumer_lag": ANY,
        },
        needs=frozenset({"metrics"}),
    ),
    "api_throttling": Table(
        weights={
            "rejected": 0.3,  # the stage's 4XX well above its baseline
            "at_limit": 0.3,  # requests per second at the stage's, usage plan's or account's rate limit
            "throttle_logs": 0.3,  # 429s or an SDK's throttling error in the logs, rising
            "throttle_logs_new": 0.4,  # ... never seen in the hour before
            "alarm_watches": 0.1,  # the alarm counts the stage's 4XX
            "symptom": 0.1,
        },
        thresholds={"min_rejected": 50, "limit_share": 0.9},
        explains={
            "application_error": ANY,
        },
        needs=frozenset({"metrics"}),
    ),
    "consumer_lag": Table(
        weights={
            "age_growing": 0.4,  # the oldest record's or message's age far above its usual, sustained
            "still_behind": 0.15,  # ... and still near its worst at the end of the window: not recovered
            "consumer_succeeds": 0.1,  # the consumer's errors did not rise: it is slow, not failing
            "consumer_capped": 0.15,  # the consumer's concurrency flat at a ceiling, or its duration up
            "read_throttled": 0.15,  # reads from the stream refused at the shards' limit
            "alarm_watches": 0.1,  # the alarm watches the age itself
        },
        thresholds={
            "ratio": 3.0,  # now against the baseline's average
            "min_seconds": 60,  # younger than a minute is no lag anyone waits on
            "lagging_minutes": 5,  # minutes above twice the usual worst: a blip is not a lag
            "still_share": 0.5,  # the last value at least this share of the peak
            "flat_share": 0.3,  # concurrency points at its peak: a plateau at a ceiling
            "busier_ratio": 1.5,  # the consumer's concurrency or duration against its baseline
        },
        needs=frozenset({"metrics"}),
    ),
    "replication_lag": Table(
        weights={
            "lag_growing": 0.45,  # the replica's lag far above its usual, sustained
            "still_behind": 0.15,  # ... and still near its worst at the end of the window
            "replica_of": 0.1,  # its configuration says what it replicates
            "source_busy": 0.15,  # the source's CPU or write load up: more to replay than the replica keeps up with
            "alarm_watches": 0.1,
            "symptom": 0.1,  # the service reading from it fails or slows (stale reads, retries)
        },
        thresholds={
            "ratio": 3.0,
            "min_seconds": 30,
            "lagging_minutes": 5,
            "still_share": 0.5,
            "busy_ratio": 1.5,
        },
        needs=frozenset({"metrics"}),
    ),
}


# From an evidence score at or above the floor (the weights added up) to how often an answer with
# that score was right on the variant benchmark (`alarm-analyzer scenarios --variants 10 --seed 1`,
# which prints this table fitted on its runs): linear between the points, flat beyond the last.
# Each bin's rate leans on a prior worth 20 answers at its own score, since the variants are gentler
# than the incidents nobody here has seen.
CALIBRATION: tuple[tuple[float, float], ...] = ((0.5, 0.74), (0.6, 0.92), (0.7, 0.97))
