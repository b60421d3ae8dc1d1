"""Dead-letter relationships: where what cannot be processed ends, read from configuration.

AWS has six ways to send failures to a queue, and no API that lists them for a queue. For an alarm
on a queue (usually the dead-letter queue itself), each is found with as few calls as the quotas
allow, every lookup bounded, all of the first round side by side:

| kind                | found with                                                      | calls                     |
|---------------------|-----------------------------------------------------------------|---------------------------|
| `sqs_redrive`       | ListDeadLetterSourceQueues on the queue                         | 1                         |
| `lambda_dlq`        | ListFunctions: every function's DeadLetterConfig                | 1 per 50 functions, <= 3  |
| `esm_on_failure`    | ListEventSourceMappings: every mapping's OnFailure destination  | 1 per 100 mappings, <= 2  |
| `eventbridge_dlq`   | the queue's policy (GetQueueAttributes) names the rules allowed | 1 + 1 per rule, <= 2      |
|                     | to send to it (aws:SourceArn); ListTargetsByRule for each       |                           |
| `sns_redrive`       | the policy names the topics; ListSubscriptionsByTopic, then     | 1 per topic (<= 2) + 1    |
|                     | GetSubscriptionAttributes (RedrivePolicy) per subscription      | per subscription (<= 5)   |
| `lambda_on_failure` | no listing carries it: ListFunctionEventInvokeConfigs for the   | 1 per candidate, <= 2     |
|                     | functions whose names match the queue's, when nothing else did  |                           |

EventBridge and SNS must be allowed by the queue's policy to send to it, and AWS documents that
policy with an ``aws:SourceArn`` condition naming the rule or topic: the policy, read in the call
that reads the queue's ARN and redrive policy, turns a search of every rule and topic into one call
per named source (``ListRuleNamesByTarget`` would need the target's ARN, which is what is sought).
Lambda writes to its destinations with the function's own role, so no policy names it; its
asynchronous on-failure destinations are only read for functions whose names match the queue's.

A name alone (``-dlq``, ``-dead-letter``) proves nothing: a queue named like a dead-letter queue whose
configuration confirms no source becomes a ``name_only`` link, weak evidence the rules weigh lower.

The other direction: an alarm on a function reads its own DeadLetterConfig (GetFunctionConfiguration,
kept in the scope so that no gatherer reads it again), its asynchronous on-failure destinations
(ListFunctionEventInvokeConfigs) and its event source mappings' (ListEventSourceMappings); an alarm on
a queue reads its redrive policy. The dead-letter queues found join the scope, and so do the consumers
(the Lambda functions whose failures the queue holds), so that their own log groups are read.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .catalog import named
from .events import Alarm
from .gather import GatherContext, aws_time
from .gather.secrets import environment_secrets
from .models import DeadLetterKind, DeadLetterLink, FunctionState, Resource

MAX_QUEUES = 2  # the alarm's queues whose dead-letter sources are sought
MAX_FUNCTIONS = 2  # the alarm's functions whose dead-letter targets are read (three calls each)
FUNCTION_PAGES = 3  # ListFunctions returns at most 50 functions a call
MAPPING_PAGES = 2  # ListEventSourceMappings returns at most 100 mappings a call
MAX_SOURCE_QUEUES = 20
MAX_RULES = 2
MAX_TOPICS = 2
MAX_SUBSCRIPTIONS = 5  # per topic, Lambda subscriptions first
MAX_CANDIDATES = 2  # functions checked for an asynchronous on-failure destination, by name
MAX_CONSUMERS = (
    2  # consumers that join the scope: each costs the gatherers 3 to 5 calls (logs, versions, limits)
)

# Words that name a dead-letter queue; the rest of the name is what it serves.
_DEAD_LETTER_WORDS = frozenset(
    {"dlq", "dead", "deadletter", "deadletters", "failed", "failure", "failures", "poison", "undelivered"}
)
_FILLER_WORDS = frozenset({"letter", "letters", "queue", "q", "fifo", "sqs", "dl"})


# --- names and ARNs ----------------------------------------------------------------------------


def arn_part(arn: str, index: int) -> str:
    """One field of an ARN (2: service, 3: region, 4: account, 5: the resource), or ""."""
    parts = arn.split(":", 5)
    return parts[index] if len(parts) == 6 else ""


def queue_arn(region: str, account: str, name: str) -> str:
    return f"arn:aws:sqs:{region}:{account}:{name}"


def queue_url(alarm: Alarm, name: str, account: str | None = None) -> str:
    """A queue's URL is its region, account and name: no GetQueueUrl call needed."""
    return f"https://sqs.{alarm.region}.amazonaws.com/{account or alarm.account}/{name}"


def function_name(arn_or_name: str) -> str:
    """A function's name from its name, ARN or qualified ARN ("...:function:name:alias")."""
    return arn_or_name.split(":function:", 1)[-1].split(":", 1)[0]


def is_function(arn: str) -> bool:
    return arn_part(arn, 2) == "lambda" and ":function:" in arn


def source_queue(url: str) -> tuple[str, str]:
    """(account, name) of a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)."""
    path = url.rstrip("/").rsplit("/", 2)
    return (path[-2], path[-1]) if len(path) == 3 else ("", path[-1])


def words(name: str) -> list[str]:
    """A resource name's words: split at separators and camelCase, lower-cased."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def named_like_dead_letters(name: str) -> bool:
    """The name says "dead-letter queue"; weak evidence only, never proof."""
    return bool(_DEAD_LETTER_WORDS & set(words(name)))


def name_candidates(queue: str, functions: Iterable[str]) -> list[str]:
    """Functions whose names share at least half the words of what the queue's name serves, best first."""
    stem = {w for w in words(queue) if w not in _DEAD_LETTER_WORDS | _FILLER_WORDS}
    if not stem:
        return []
    needed = max(1, math.ceil(len(stem) / 2))
    scored = []
    for name in functions:
        own = set(words(name))
        shared = len(stem & own)
        if shared >= needed:
            scored.append((-shared, len(own - stem), name))
    return [name for *_, name in sorted(scored)][:MAX_CANDIDATES]


# --- configurations ----------------------------------------------------------------------------


def function_state(config: Mapping[str, Any]) -> FunctionState:
    """A function as GetFunctionConfiguration and ListFunctions describe it (reserved concurrency apart)."""
    vpc = config.get("VpcConfig") or {}
    name = str(config.get("FunctionName", ""))
    log_group = (config.get("LoggingConfig") or {}).get("LogGroup")
    return FunctionState(
        name=name,
        runtime=config.get("Runtime"),
        timeout_s=config.get("Timeout", 3),
        memory_mb=config.get("MemorySize", 128),
        last_modified=aws_time(config.get("LastModified")),
        version=config.get("Version"),
        subnets=vpc.get("SubnetIds", []),
        security_groups=vpc.get("SecurityGroupIds", []),
        vpc=vpc.get("VpcId") or None,
        log_group=log_group if log_group and log_group != own_log_group(name) else None,
        dead_letter_target=(config.get("DeadLetterConfig") or {}).get("TargetArn"),
        role=config.get("Role"),
        secrets=environment_secrets((config.get("Environment") or {}).get("Variables") or {}),
    )


def own_log_group(function: str) -> str:
    return f"/aws/lambda/{function}"


def log_group_of(function: FunctionState | None, name: str) -> str:
    return (function.log_group if function else None) or own_log_group(name)


def policy_sources(policy: str | None) -> tuple[list[str], list[str]]:
    """(EventBridge rule ARNs, SNS topic ARNs) a queue policy lets send to the queue (``aws:SourceArn``)."""
    try:
        document = json.loads(policy or "{}")
    except ValueError:
        return [], []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    rules: list[str] = []
    topics: list[str] = []
    for statement in [statements] if isinstance(statements, dict) else statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        conditions = statement.get("Condition") or {}
        for operator in conditions.values() if isinstance(conditions, dict) else []:
            for key, values in operator.items() if isinstance(operator, dict) else []:
                if key.lower() != "aws:sourcearn":
                    continue
                for arn in values if isinstance(values, list) else [values]:
                    if not isinstance(arn, str) or "*" in arn or "?" in arn:
                        continue  # a pattern names no one source
                    if arn_part(arn, 2) == "events" and arn_part(arn, 5).startswith("rule/"):
                        rules.append(arn)
                    elif arn_part(arn, 2) == "sns":
                        topics.append(arn)
    return list(dict.fromkeys(rules))[:MAX_RULES], list(dict.fromkeys(topics))[:MAX_TOPICS]


def rule_of(arn: str) -> tuple[str, str | None]:
    """(rule name, event bus name or None for the default bus) of a rule's ARN
    ("...:rule/<name>" or "...:rule/<bus>/<name>")."""
    parts = arn_part(arn, 5).split("/")[1:]
    return parts[-1], (parts[0] if len(parts) == 2 else None)


def on_failure(config: Mapping[str, Any]) -> str | None:
    """The on-failure destination of an event invoke configuration or an event source mapping."""
    return ((config.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")


# --- what was found ----------------------------------------------------------------------------


@dataclass
class Found:
    """What the dead-letter search adds to the scope."""

    links: list[DeadLetterLink] = field(default_factory=list)
    functions: list[FunctionState] = field(default_factory=list)  # configurations read on the way
    resources: list[Resource] = field(default_factory=list)  # dead-letter queues and consumers


@dataclass
class _Queue:
    """An alarm's queue as discovery reads it."""

    name: str
    arn: str
    redrive_target: str | None = None
    rules: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # source queues' ARNs


@dataclass
class _Account:
    """The account-wide listings: every function's configuration and every event source mapping."""

    functions: dict[str, dict[str, Any]] = field(default_factory=dict)
    mappings: list[dict[str, Any]] = field(default_factory=list)

    def consumers_of(self, source_arn: str) -> list[str]:
        """The functions an event source mapping feeds from this source (an SQS queue, a stream)."""
        return [
            function_name(m["FunctionArn"]) for m in self.mappings if m.get("EventSourceArn") == source_arn
        ]


# --- lookups -----------------------------------------------------------------------------------


def _listed(
    context: GatherContext,
    part: str,
    call: Callable[..., Mapping[str, Any]],
    items: str,
    pages: int,
    **request: Any,
) -> list[dict[str, Any]]:
    """Up to ``pages`` pages of a Lambda listing (Marker/NextMarker); a note when more were left."""
    found: list[dict[str, Any]] = []
    marker: str | None = None
    for _ in range(pages):
        response = call(**request, **({"Marker": marker} if marker else {}))
        found += response.get(items, [])
        marker = response.get("NextMarker")
        if not marker:
            return found
    context.note("listing_capped", part=part, read=len(found))
    return found


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _attributes(context: GatherContext, url: str, name: str) -> dict[str, str]:
    sqs = context.clients.client("sqs")
    names = ["QueueArn", "RedrivePolicy", "Policy"]
    found: dict[str, str] = context.attempt(
        "queue",
        lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names).get("Attributes", {}),
        {},
        subject=name,
    )
    return found


def _sources(context: GatherContext, url: str, name: str) -> list[str]:
    sqs = context.clients.client("sqs")
    urls: list[str] = context.attempt(
        "dead_letter_sources",
        lambda: sqs.list_dead_letter_source_queues(QueueUrl=url, MaxResults=MAX_SOURCE_QUEUES).get(
            "queueUrls", []
        ),
        [],
        subject=name,
    )
    return urls


def _queue(context: GatherContext, name: str) -> _Queue:
    """The alarm's queue: its ARN, redrive policy, the sources its policy lets send, its source queues."""
    alarm = context.alarm
    url = queue_url(alarm, name)
    with context.side_by_side() as work:
        described = work.submit(partial(_attributes, context, url, name))
        listed = work.submit(partial(_sources, context, url, name))
    attributes = described.result()
    rules, topics = policy_sources(attributes.get("Policy"))
    sources = [
        queue_arn(alarm.region, account or alarm.account, source)
        for account, source in map(source_queue, listed.result())
    ]
    return _Queue(
        name=name,
        arn=attributes.get("QueueArn") or queue_arn(alarm.region, alarm.account, name),
        redrive_target=_json(attributes.get("RedrivePolicy")).get("deadLetterTargetArn"),
        rules=rules,
        topics=topics,
        sources=sources,
    )


def _functions(context: GatherContext) -> list[dict[str, Any]]:
    awslambda = context.clients.client("lambda")
    found: list[dict[str, Any]] = context.attempt(
        "lambda_functions",
        lambda: _listed(
            context, "lambda_functions", awslambda.list_functions, "Functions", FUNCTION_PAGES, MaxItems=50
        ),
        [],
    )
    return found


def _mappings(context: GatherContext, function: str | None = None) -> list[dict[str, Any]]:
    """Every event source mapping of the account, or one function's."""
    awslambda = context.clients.client("lambda")
    request: dict[str, Any] = {"FunctionName": function} if function else {}
    pages = 1 if function else MAPPING_PAGES
    found: list[dict[str, Any]] = context.attempt(
        "event_source_mappings",
        lambda: _listed(
            context,
            "event_source_mappings",
            awslambda.list_event_source_mappings,
            "EventSourceMappings",
            pages,
            MaxItems=100,
            **request,
        ),
        [],
        **({"subject": function} if function else {}),
    )
    return found


def _account(context: GatherContext) -> _Account:
    with context.side_by_side() as work:
        functions = work.submit(partial(_functions, context))
        mappings = work.submit(partial(_mappings, context))
    listed = {str(f.get("FunctionName")): f for f in functions.result()}
    return _Account(listed, mappings.result())


def _invoke_configs(context: GatherContext, function: str) -> list[str]:
    """The on-failure destinations of a function's asynchronous invocations (every version and alias)."""
    awslambda = context.clients.client("lambda")
    configs: list[dict[str, Any]] = context.attempt(
        "invoke_configs",
        lambda: _listed(
            context,
            "invoke_configs",
            awslambda.list_function_event_invoke_configs,
            "FunctionEventInvokeConfigs",
            1,
            FunctionName=function,
            MaxItems=50,
        ),
        [],
        subject=function,
    )
    return [destination for config in configs if (destination := on_failure(config))]


def _configuration(context: GatherContext, name: str) -> FunctionState | None:
    awslambda = context.clients.client("lambda")
    config: dict[str, Any] | None = context.attempt(
        "function", lambda: awslambda.get_function_configuration(FunctionName=name), None, subject=name
    )
    return function_state(config) if config else None


def _mapping_links(
    mappings: Iterable[Mapping[str, Any]], log_group: Callable[[str], str]
) -> list[DeadLetterLink]:
    links = []
    for mapping in mappings:
        target = on_failure(mapping)
        if target:
            consumer = function_name(str(mapping.get("FunctionArn", "")))
            links.append(
                DeadLetterLink(
                    kind="esm_on_failure",
                    source=str(mapping.get("EventSourceArn") or mapping.get("UUID", "?")),
                    target=target,
                    consumer=consumer,
                    log_group=log_group(consumer),
                )
            )
    return links


def _function(
    context: GatherContext, name: str, list_mappings: bool
) -> tuple[FunctionState | None, list[DeadLetterLink]]:
    """A function the alarm watches: its configuration and where its failures go."""
    with context.side_by_side() as work:
        configured = work.submit(partial(_configuration, context, name))
        destinations = work.submit(partial(_invoke_configs, context, name))
        mappings = work.submit(partial(_mappings, context, name)) if list_mappings else None
    state = configured.result()
    log_group = log_group_of(state, name)

    def link(kind: DeadLetterKind, target: str) -> DeadLetterLink:
        return DeadLetterLink(kind=kind, source=name, target=target, consumer=name, log_group=log_group)

    links = [link("lambda_on_failure", target) for target in destinations.result()]
    if state and state.dead_letter_target:
        links.append(link("lambda_dlq", state.dead_letter_target))
    return state, [*links, *_mapping_links(mappings.result() if mappings else [], lambda _: log_group)]


def _rule_links(
    context: GatherContext, rule: str, target: str, log_group: Callable[[str], str]
) -> list[DeadLetterLink]:
    """The targets of an EventBridge rule whose dead-letter queue is ``target``."""
    events = context.clients.client("events")
    name, bus = rule_of(rule)
    request = {"Rule": name, **({"EventBusName": bus} if bus else {})}
    targets: list[dict[str, Any]] = context.attempt(
        "rule_targets", lambda: events.list_targets_by_rule(**request)["Targets"], [], subject=name
    )
    links = []
    for described in targets:
        if (described.get("DeadLetterConfig") or {}).get("Arn") != target:
            continue
        arn = str(described.get("Arn", ""))
        lambda_target = is_function(arn)
        links.append(
            DeadLetterLink(
                kind="eventbridge_dlq",
                source=f"{name}/{described.get('Id', '?')}",
                target=target,
                consumer=function_name(arn) if lambda_target else arn,
                log_group=log_group(function_name(arn)) if lambda_target else None,
            )
        )
    return links


def _subscription_link(
    context: GatherContext, subscription: Mapping[str, Any], target: str, log_group: Callable[[str], str]
) -> DeadLetterLink | None:
    sns, arn = context.clients.client("sns"), str(subscription.get("SubscriptionArn", ""))
    attributes: dict[str, str] = context.attempt(
        "subscription",
        lambda: sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"],
        {},
        subject=arn,
    )
    if _json(attributes.get("RedrivePolicy")).get("deadLetterTargetArn") != target:
        return None
    endpoint = str(subscription.get("Endpoint", ""))
    lambda_endpoint = subscription.get("Protocol") == "lambda" and is_function(endpoint)
    return DeadLetterLink(
        kind="sns_redrive",
        source=arn,
        target=target,
        consumer=function_name(endpoint) if lambda_endpoint else endpoint,
        log_group=log_group(function_name(endpoint)) if lambda_endpoint else None,
    )


def _topic_links(
    context: GatherContext, topic: str, target: str, log_group: Callable[[str], str]
) -> list[DeadLetterLink]:
    """The subscriptions of an SNS topic whose redrive policy ends in ``target``."""
    sns = context.clients.client("sns")
    listed: list[dict[str, Any]] = context.attempt(
        "subscriptions",
        lambda: sns.list_subscriptions_by_topic(TopicArn=topic).get("Subscriptions", []),
        [],
        subject=arn_part(topic, 5),
    )
    # Pending subscriptions have no ARN yet; Lambda endpoints first: they have logs to read.
    confirmed = [s for s in listed if str(s.get("SubscriptionArn", "")).startswith("arn:")]
    chosen = sorted(confirmed, key=lambda s: s.get("Protocol") != "lambda")[:MAX_SUBSCRIPTIONS]
    found = context.parallel(*(partial(_subscription_link, context, s, target, log_group) for s in chosen))
    return [link for link in found if link is not None]


# --- the search --------------------------------------------------------------------------------


@dataclass
class _Search:
    """One queue's search, with what the account-wide listings said."""

    context: GatherContext
    queue: _Queue
    account: _Account
    log_group: Callable[[str], str]

    def link(
        self, kind: DeadLetterKind, source: str, consumer: str | None, target: str = ""
    ) -> DeadLetterLink:
        """A link whose consumer (when it is a function) logs where its configuration says."""
        return DeadLetterLink(
            kind=kind,
            source=source,
            target=target or self.queue.arn,
            consumer=consumer,
            log_group=self.log_group(consumer) if consumer else None,
        )

    def first_round(self) -> list[DeadLetterLink]:
        """What dead-letters into the queue according to the listings: source queues, functions, mappings."""
        queue, account = self.queue, self.account
        links = [
            self.link("sqs_redrive", arn_part(source, 5), next(iter(account.consumers_of(source)), None))
            for source in queue.sources
        ]
        links += [
            self.link("lambda_dlq", name, name)
            for name, config in account.functions.items()
            if (config.get("DeadLetterConfig") or {}).get("TargetArn") == queue.arn
        ]
        return links + [
            link for link in _mapping_links(account.mappings, self.log_group) if link.target == queue.arn
        ]

    def second_round(self, found: Sequence[DeadLetterLink]) -> list[DeadLetterLink]:
        """The rules and topics the policy names and, when nothing confirmed the queue as a dead-letter
        queue and its name says it is one, the functions whose names match (checked with one call each)."""
        context, queue = self.context, self.queue
        named = named_like_dead_letters(queue.name)
        candidates = name_candidates(queue.name, self.account.functions) if named and not found else []
        with context.side_by_side() as work:
            by_rule = [
                work.submit(partial(_rule_links, context, r, queue.arn, self.log_group)) for r in queue.rules
            ]
            by_topic = [
                work.submit(partial(_topic_links, context, t, queue.arn, self.log_group))
                for t in queue.topics
            ]
            by_name = [work.submit(partial(_invoke_configs, context, c)) for c in candidates]
        links = [link for future in (*by_rule, *by_topic) for link in future.result()]
        links += [
            self.link("lambda_on_failure", candidate, candidate)
            for candidate, future in zip(candidates, by_name, strict=True)
            if queue.arn in future.result()
        ]
        if named and not found and not links:
            links.append(self.link("name_only", queue.name, next(iter(candidates), None)))
        return links

    def own_dead_letters(self) -> list[DeadLetterLink]:
        """The queue's own dead-letter queue (its redrive policy), with the function that consumes it."""
        queue = self.queue
        if not queue.redrive_target:
            return []
        consumer = next(iter(self.account.consumers_of(queue.arn)), None)
        return [self.link("sqs_redrive", queue.name, consumer, target=queue.redrive_target)]

    def run(self) -> list[DeadLetterLink]:
        found = self.first_round()
        return [*found, *self.second_round(found), *self.own_dead_letters()]


def discover(context: GatherContext, resources: Sequence[Resource]) -> Found:
    """The dead-letter relationships of the alarm's queues and functions, and what they bring into scope."""
    queues = [r.id for r in resources if r.kind == "sqs_queue"][:MAX_QUEUES]
    functions = [r.id for r in resources if r.kind == "lambda_function" and r.via == "alarm"][:MAX_FUNCTIONS]
    if not queues and not functions:
        return Found()
    with context.side_by_side() as work:
        read = [work.submit(partial(_queue, context, q)) for q in queues]
        listed = work.submit(partial(_account, context) if queues else _Account)
        # With the account's mappings listed anyway, a function's own are among them.
        watched = [work.submit(partial(_function, context, f, not queues)) for f in functions]
    account = listed.result()
    states = {name: function_state(config) for name, config in account.functions.items()}
    states |= {state.name: state for future in watched if (state := future.result()[0])}

    def log_group(function: str) -> str:
        return log_group_of(states.get(function), function)

    searches = [_Search(context, future.result(), account, log_group) for future in read]
    links = [link for future in watched for link in future.result()[1]]
    links += [link for found in context.parallel(*(search.run for search in searches)) for link in found]
    return _found(context, list(dict.fromkeys(links)), states, set(queues), set(functions))


def _found(
    context: GatherContext,
    links: list[DeadLetterLink],
    states: Mapping[str, FunctionState],
    queues: set[str],
    functions: set[str],
) -> Found:
    """The links, the dead-letter queues outside the scope and the consumers, as resources."""
    targets = [
        arn_part(link.target, 5)
        for link in links
        if arn_part(link.target, 2) == "sqs"
        and arn_part(link.target, 5) not in queues
        and arn_part(link.target, 3) == context.alarm.region  # a queue elsewhere has its metrics elsewhere
    ]
    consumers = [link.consumer for link in links if link.consumer and link.log_group]
    chosen = [name for name in dict.fromkeys(consumers) if name not in functions][:MAX_CONSUMERS]
    resources = [
        *(named("sqs_queue", name, "dead_letters") for name in dict.fromkeys(targets)),
        *(named("lambda_function", name, "dead_letters") for name in chosen),
    ]
    known = [states[name] for name in [*functions, *chosen] if name in states]
    return Found(links=links, functions=known, resources=resources)


def logged_where(patterns: Sequence[str], functions: Sequence[FunctionState]) -> list[str]:
    """The log groups to read, with each function's configured log group in place of /aws/lambda/<name>."""
    moved = {own_log_group(f.name): f.log_group for f in functions if f.log_group}
    return list(dict.fromkeys(moved.get(pattern, pattern) for pattern in patterns))
