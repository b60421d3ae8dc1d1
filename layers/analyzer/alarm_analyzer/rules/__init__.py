"""The rule engine: independent rules read the facts and propose hypotheses that cite evidence.

Each rule is a plain function ``Facts -> list[Hypothesis]``. A rule builds a ``Case``: every
observation that supports its category adds weight and cites the evidence it rests on. The engine
drops hypotheses that cite nothing and ranks the rest; below the confidence floor the report says
``inconclusive``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..report import Hypothesis
from . import alarm_config, capacity, changes, database, errors, functions, latency, network, queues, targets
from .base import Facts

CONFIDENCE_FLOOR = 0.5

Rule = Callable[[Facts], list[Hypothesis]]

RULES: list[Rule] = [
    database.connection_exhaustion,
    database.resource_pressure,
    database.slow_query,
    latency.downstream_dependency,
    latency.application_code,
    errors.application_error,
    changes.deployment_regression,
    functions.lambda_timeout,
    functions.lambda_throttling,
    functions.lambda_memory_exhaustion,
    queues.async_processing_failure,
    targets.unhealthy_targets,
    targets.health_check_misconfiguration,
    network.network_misconfiguration,
    capacity.compute_saturation,
    capacity.traffic_surge,
    alarm_config.misconfiguration,
]


def evaluate(facts: Facts) -> list[Hypothesis]:
    """All rules' hypotheses, most confident first. Each counts only observations on evidence the report
    holds (``facts.evidence_ids``); one left with none is dropped."""
    hypotheses = [hypothesis for rule in RULES for hypothesis in rule(facts)]
    return sorted(hypotheses, key=lambda h: h.confidence, reverse=True)
