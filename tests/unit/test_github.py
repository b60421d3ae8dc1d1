"""The GitHub channel against a local server answering the REST endpoints it uses: the first report
opens the alarm's issue, repeats comment on it, the recovery comments and closes it."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from alarm_analyzer.correlate import verdict
from alarm_analyzer.github import GitHubIssues, deliver_recovery, deliver_report
from alarm_analyzer.incidents import IncidentStore
from alarm_analyzer.recovery import follow_up, record_of
from tests.loopback import GitHubApi
from tests.reports import later, sample_report

TABLE = "alarm-analyzer-IdempotencyTable"


@pytest.fixture
def store(aws_env: None) -> Iterator[IncidentStore]:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        )
        yield IncidentStore(dynamodb, TABLE, ttl_seconds=3600)


@pytest.fixture
def github() -> Iterator[tuple[GitHubApi, GitHubIssues]]:
    api = GitHubApi()
    with api.serving() as url:
        yield api, GitHubIssues(api.repository, api.token, api_url=url)


def test_first_report_opens_an_issue_repeats_comment_and_recovery_closes_it(
    store: IncidentStore, github: tuple[GitHubApi, GitHubIssues]
) -> None:
    api, issues = github
    first = sample_report()
    assert deliver_report(issues, store, first) == 1
    create = api.requests[0]
    assert (create.method, create.path) == ("POST", "/repos/acme/shop/issues")
    assert create.body["title"] == verdict(first)
    assert create.body["body"].startswith(f"# {verdict(first)}")
    assert create.body["labels"] == ["severity:page", "category:database_connection_exhaustion"]

    again = later(first, 40)
    assert deliver_report(issues, store, again) == 1
    assert [(r.method, r.path) for r in api.requests[1:]] == [
        ("GET", "/repos/acme/shop/issues/1"),
        ("POST", "/repos/acme/shop/issues/1/comments"),
    ]
    assert api.comments[1][0].startswith(
        f"The alarm fired again at {again.alarm.state_changed_at:%Y-%m-%d %H:%M} UTC:"
    )
    assert len(api.issues) == 1

    ok = later(again, 25, state="OK").model_copy(update={"evidence": []})
    recovery = follow_up(record_of(again), ok, window_minutes=20)
    assert deliver_recovery(issues, store, recovery) == 1
    assert [(r.method, r.path) for r in api.requests[3:]] == [
        ("POST", "/repos/acme/shop/issues/1/comments"),
        ("PATCH", "/repos/acme/shop/issues/1"),
    ]
    assert api.requests[-1].body == {"state": "closed", "state_reason": "completed"}
    assert "Back to OK after 25 min" in api.comments[1][1]
    assert "The hypothesis still holds" in api.comments[1][1]
    assert api.issues[1]["state"] == "closed"

    # The next incident of the alarm opens a new issue.
    assert deliver_report(issues, store, later(first, 90)) == 2


def test_an_issue_closed_by_hand_is_not_reused(
    store: IncidentStore, github: tuple[GitHubApi, GitHubIssues]
) -> None:
    api, issues = github
    report = sample_report()
    deliver_report(issues, store, report)
    api.issues[1]["state"] = "closed"
    assert deliver_report(issues, store, later(report, 30)) == 2
    assert api.comments == {}


def test_a_recovery_without_an_open_issue_does_nothing(
    store: IncidentStore, github: tuple[GitHubApi, GitHubIssues]
) -> None:
    api, issues = github
    report = sample_report()
    recovery = follow_up(record_of(report), later(report, 10, state="OK"), window_minutes=20)
    assert deliver_recovery(issues, store, recovery) is None
    assert api.requests == []


def test_github_refusing_raises_so_the_delivery_is_retried(store: IncidentStore) -> None:
    api = GitHubApi(token="another")
    with api.serving() as url:
        issues = GitHubIssues(api.repository, "ghp_wrong", api_url=url)
        with pytest.raises(RuntimeError, match="401"):
            deliver_report(issues, store, sample_report())
    assert store.open_issue(sample_report().alarm.arn) is None


def test_a_deleted_issue_is_replaced_and_its_recovery_skipped(
    store: IncidentStore, github: tuple[GitHubApi, GitHubIssues]
) -> None:
    api, issues = github
    report = sample_report()
    first = deliver_report(issues, store, report)
    del api.issues[first]  # GitHub now answers 404 for it
    second = deliver_report(issues, store, later(report, 30))
    assert [r.method for r in api.requests].count("POST") == 2  # a new issue, not a comment on the gone one
    assert store.open_issue(report.alarm.arn) == second
    del api.issues[second]
    recovery = follow_up(record_of(report), later(report, 40, state="OK"), window_minutes=20)
    assert deliver_recovery(issues, store, recovery) is None
    assert store.open_issue(report.alarm.arn) is None
    assert api.comments == {}
