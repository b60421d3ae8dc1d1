"""Running the analysis: the scope, one gatherer (a Lambda function's job), or everything in-process (the CLI)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from .aws import AwsClients, Places, Unreachable, error_code, error_message, measured_path, paced
from .correlate import correlate
from .discovery import resolve_scope
from .events import parse_alarm_event
from .gather import GatherContext, run
from .i18n import Lang
from .models import CorrelateInput, GatherInput, Resolution, Result, SourceError
from .quotas import Pacer, pace
from .report import Report
from .scope import event_scope
from .settings import GathererSettings
from .sources import BY_NAME, NAMES, callers

logger = logging.getLogger(__name__)


def _deadline(budget_seconds: float | None) -> float | None:
    return time.monotonic() + budget_seconds if budget_seconds is not None else None


def api_budget(settings: GathererSettings) -> Pacer:
    """One step's pace for every API it may call (quotas.py): its share of each quota."""
    if not settings.pace_api_calls:
        return Pacer({})
    concurrency = settings.max_concurrent_analyses
    return Pacer({action: pace(action, n, concurrency) for action, n in callers().items()})


def _places(clients: AwsClients, settings: GathererSettings, home: str | None, step: str) -> Places:
    return Places(clients, home, settings.member_role_name, step)


def resolve(
    event: Mapping[str, Any],
    clients: AwsClients,
    settings: GathererSettings | None = None,
    budget_seconds: float | None = None,
    *,
    home: str | None = None,
) -> GatherInput:
    """The ResolveScope step: the event and its scope, for every gatherer, read where the alarm is
    (``home``: the account ``clients`` belong to; None: they read the alarm's account, whatever it is).

    Raises InvalidAlarmEvent for an event no source could use; any other failure degrades to the
    scope the event itself gives, with the reason, never to a lost analysis.
    """
    alarm = parse_alarm_event(event)
    chosen = settings or GathererSettings()
    known = event_scope(alarm, chosen.extra_log_groups)
    context = GatherContext(alarm, known, clients, chosen, _deadline(budget_seconds))
    started, calls_before, units_before = time.monotonic(), clients.total_calls, clients.units.copy()
    scope, error = known, None
    with measured_path() as path, paced(api_budget(chosen)):
        try:
            context.go_to_alarm(_places(clients, chosen, home, "scope"))
            scope = resolve_scope(context)
        except Unreachable as exc:
            logger.warning("resolving the scope: %s", exc)
            error = context.unreachable(exc)
        except Exception as exc:  # a bug or a refusal here must not cost the analysis
            logger.exception("resolving the scope failed")
            error = SourceError(code=error_code(exc), message=error_message(exc))
    resolution = Resolution(
        notes=context.notes,
        error=error,
        api_calls=clients.total_calls - calls_before,
        rounds=path.rounds,
        duration_ms=round((time.monotonic() - started) * 1000),
        units=dict(clients.units - units_before),
    )
    return GatherInput(event=dict(event), scope=scope, resolution=resolution)


def gather(
    source: str,
    request: GatherInput,
    clients: AwsClients,
    settings: GathererSettings | None = None,
    budget_seconds: float | None = None,
    *,
    home: str | None = None,
) -> Result:
    """One source, read where the alarm is (``home`` as for ``resolve``), wrapped in the envelope;
    raises InvalidAlarmEvent for an event no source could use."""
    alarm = parse_alarm_event(request.event)
    chosen = settings or GathererSettings()
    scope = request.scope or event_scope(alarm, chosen.extra_log_groups)
    spec = BY_NAME[source]
    context = GatherContext(alarm, scope, clients, chosen, _deadline(budget_seconds))
    with paced(api_budget(chosen)):
        return run(source, spec.gather, spec.empty, context, _places(clients, chosen, home, source))


# A source past its budget has this long to return what it has (its calls time out in 10 s).
LATE_SECONDS = 2.0


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


def gather_all(
    request: GatherInput,
    clients_for: Callable[[], AwsClients],
    settings: GathererSettings | None = None,
    budget_seconds: float | None = None,
) -> list[Result]:
    """Every source concurrently, each with its own clients (so each counts its own API calls).

    With a budget, a source still running shortly after it becomes an error envelope (a gap): the
    analysis reports what it has on time; the late thread ends by itself."""
    pool = ThreadPoolExecutor(max_workers=len(NAMES))
    futures = {
        name: pool.submit(gather, name, request, clients_for(), settings, budget_seconds) for name in NAMES
    }
    done, _ = wait(
        futures.values(), timeout=None if budget_seconds is None else budget_seconds + LATE_SECONDS
    )
    pool.shutdown(wait=False)
    return [
        future.result()
        if future in done
        else Result(
            source=name,
            status="error",
            error=SourceError(code="OutOfTime", message=f"no answer within the {budget_seconds:g} s budget"),
            duration_ms=round(((budget_seconds or 0) + LATE_SECONDS) * 1000),
        )
        for name, future in futures.items()
    ]


def analyze(
    event: Mapping[str, Any],
    clients_for: Callable[[], AwsClients],
    lang: Lang = "en",
    settings: GathererSettings | None = None,
    budget_seconds: float | None = None,
) -> Report:
    """The whole workflow in-process: resolve the scope, gather every source, correlate; within the
    budget, if one is given (what the sources found by then). Without settings it is the only analysis
    running here (the CLI), so each API's share is not halved for another."""
    settings = settings or GathererSettings(max_concurrent_analyses=1)
    deadline = _deadline(budget_seconds)
    request = resolve(event, clients_for(), settings, _remaining(deadline))
    results = gather_all(request, clients_for, settings, _remaining(deadline))
    return correlate(
        CorrelateInput(
            event=request.event, scope=request.scope, resolution=request.resolution, results=results
        ),
        lang,
    )
