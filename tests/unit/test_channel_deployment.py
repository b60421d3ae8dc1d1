"""How the channels are deployed: created only when configured, secrets only by reference, failed
deliveries retried then kept in a dead-letter queue, the report bucket private and expiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from moto import mock_aws

from alarm_analyzer.aws import AwsClients
from alarm_analyzer.slack import SlackDeliveryError
from alarm_devtools.emulator.template import Stack, load_template
from tests.loopback import SlackWebhook

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES = TEMPLATE["Resources"]
DLQ_ARN = {"Fn::GetAtt": ["DeliveryDeadLetterQueue", "Arn"]}
NOTIFIERS = {"SlackNotifierFunction": "HasSlack", "GitHubNotifierFunction": "HasGitHub"}


def _conditions(parameters: dict[str, str]) -> dict[str, bool]:
    stack = Stack(ROOT, AwsClients(region="us-east-1"), parameters)
    return {name: stack.condition(name) for name in TEMPLATE["Conditions"]}


def test_channels_exist_only_when_their_parameters_are_set() -> None:
    assert not any(_conditions({})[c] for c in ("HasSlack", "HasGitHub", "HasChannel", "MatchOk"))
    slack_only = _conditions({"SlackWebhookSecretArn": "arn:aws:secretsmanager:eu-west-1:1:secret:hook"})
    assert (slack_only["HasSlack"], slack_only["HasGitHub"], slack_only["HasChannel"]) == (True, False, True)
    half_github = _conditions({"GitHubRepository": "acme/shop"})
    assert not half_github["HasGitHub"]  # a repository without a token is no channel
    assert _conditions({"RecoveryFollowUp": "true"})["MatchOk"]  # recovery needs the OK transitions
    for logical_id, condition in NOTIFIERS.items():
        assert RESOURCES[logical_id]["Condition"] == condition
    for logical_id in (
        "DeliveryDeadLetterQueue",
        "DeliveryDeadLetterQueuePolicy",
        "DeliveryDeadLetterQueueAlarm",
    ):
        assert RESOURCES[logical_id]["Condition"] == "HasChannel"


@pytest.mark.parametrize("logical_id", sorted(NOTIFIERS))
def test_a_failed_delivery_is_retried_then_dead_lettered_and_secrets_stay_secret(logical_id: str) -> None:
    properties = RESOURCES[logical_id]["Properties"]
    (event,) = properties["Events"].values()
    assert event["Type"] == "SNS"
    assert event["Properties"]["Topic"] == {"Ref": "ReportTopic"}
    assert event["Properties"]["RedrivePolicy"] == {"deadLetterTargetArn": DLQ_ARN}
    assert properties["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": DLQ_ARN}
    (secret_statement,) = [
        s
        for p in properties["Policies"]
        for s in p["Statement"]
        if s["Action"] == "secretsmanager:GetSecretValue"
    ]
    assert secret_statement["Resource"]["Ref"].endswith("SecretArn")  # that one secret, nothing else


def test_the_webhook_url_is_never_in_the_template_only_its_secret() -> None:
    slack = RESOURCES["SlackNotifierFunction"]["Properties"]["Environment"]["Variables"]
    assert slack == {"SLACK_WEBHOOK_SECRET_ARN": {"Ref": "SlackWebhookSecretArn"}}
    assert not [
        name for name in TEMPLATE["Parameters"] if "Webhook" in name and not name.endswith("SecretArn")
    ]


def test_sns_may_redrive_into_the_delivery_queue_and_the_queue_depth_alarms() -> None:
    (statement,) = RESOURCES["DeliveryDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "sns.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": "ReportTopic"}
    alarm = RESOURCES["DeliveryDeadLetterQueueAlarm"]["Properties"]
    assert alarm["AlarmActions"] == [{"Ref": "AnalyzerHealthTopic"}]


def test_the_report_bucket_is_private_encrypted_and_expires_its_pages() -> None:
    bucket = RESOURCES["ReportBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == {"Ref": "ReportRetentionDays"}
    (deny,) = RESOURCES["ReportBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    correlate = RESOURCES["CorrelateFunction"]["Properties"]
    (s3,) = [
        s
        for p in correlate["Policies"]
        if "Statement" in p
        for s in p["Statement"]
        if "s3:PutObject" in s.get("Action", ())
    ]
    assert s3["Resource"] == {"Fn::Sub": "${ReportBucket.Arn}/reports/*"}


def test_the_slack_notifier_raises_when_slack_keeps_failing_and_never_logs_the_webhook(
    aws_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alarm_analyzer.lambda_notifiers import slack_notifier  # noqa: PLC0415 - reads its settings at creation

    report_event = json.loads((ROOT / "events/notify_slack.json").read_text())
    hook = SlackWebhook(failures=100)
    with mock_aws(), hook.serving() as url:
        secret = (
            AwsClients(region="us-east-1")
            .client("secretsmanager")
            .create_secret(Name="slack-webhook", SecretString=f"{url}/services/T0/B0/very-secret-token")
        )
        monkeypatch.setenv("SLACK_WEBHOOK_SECRET_ARN", secret["ARN"])
        monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
        monkeypatch.setattr("alarm_analyzer.slack.BACKOFF_SECONDS", 0.01)
        handler = slack_notifier()
        context = type("Context", (), {"function_name": "notify", "memory_limit_in_mb": 128,
                                       "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:notify",
                                       "aws_request_id": "r-1"})()  # fmt: skip
        with pytest.raises(SlackDeliveryError):
            handler(report_event, context)
        hook.failures = 0
        assert handler(report_event, context) == {
            "delivered": [json.loads(report_event["Records"][0]["Sns"]["Message"])["incident_id"]]
        }
    assert hook.messages[-1]["blocks"][0]["type"] == "header"
    captured = capsys.readouterr()
    assert "very-secret-token" not in captured.out + captured.err


def test_a_rotated_webhook_is_picked_up_without_recycling_the_function(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alarm_analyzer import lambda_notifiers  # noqa: PLC0415 - reads its settings at creation

    report_event = json.loads((ROOT / "events/notify_slack.json").read_text())
    old, new = SlackWebhook(failures=0), SlackWebhook(failures=0)
    with mock_aws(), old.serving() as old_url, new.serving() as new_url:
        secrets = AwsClients(region="us-east-1").client("secretsmanager")
        secret = secrets.create_secret(Name="slack-webhook", SecretString=f"{old_url}/services/T0/B0/v1")
        monkeypatch.setenv("SLACK_WEBHOOK_SECRET_ARN", secret["ARN"])
        monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
        monkeypatch.setattr(lambda_notifiers, "SECRET_MAX_AGE_SECONDS", 0)  # the cache has expired
        handler = lambda_notifiers.slack_notifier()
        context = type("Context", (), {"function_name": "notify", "memory_limit_in_mb": 128,
                                       "invoked_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:notify",
                                       "aws_request_id": "r-1"})()  # fmt: skip
        handler(report_event, context)
        secrets.put_secret_value(SecretId=secret["ARN"], SecretString=f"{new_url}/services/T0/B0/v2")
        handler(report_event, context)
    assert (len(old.messages), len(new.messages)) == (1, 1)  # the second report went to the new webhook


@pytest.mark.parametrize(
    ("parameters", "states", "prefix"),
    [
        ({}, ["ALARM"], None),
        (
            {"AlarmNamePrefix": "shop-", "AnalyzeOkTransitions": "true"},
            ["ALARM", "OK"],
            [{"prefix": "shop-"}],
        ),
        ({"RecoveryFollowUp": "true"}, ["ALARM", "OK"], None),
    ],
)
def test_one_rule_delivers_the_alarms_it_selects_into_the_admission_queue(
    parameters: dict[str, str], states: list[str], prefix: list[dict[str, str]] | None
) -> None:
    rule = RESOURCES["AlarmStateChangeRule"]
    stack = Stack(ROOT, AwsClients(region="us-east-1"), parameters)
    stack.deployed.attributes[("AdmissionQueue", "Arn")] = "arn:aws:sqs:us-east-1:1:admission"
    stack.deployed.attributes[("DeadLetterQueue", "Arn")] = "arn:aws:sqs:us-east-1:1:dead-letters"
    resolved = stack.resolve(rule["Properties"])
    assert resolved["EventPattern"]["detail"]["state"]["value"] == states
    assert resolved["EventPattern"]["detail"].get("alarmName") == prefix
    (target,) = resolved["Targets"]
    assert target["Arn"] == "arn:aws:sqs:us-east-1:1:admission"
    assert target["DeadLetterConfig"]["Arn"] == "arn:aws:sqs:us-east-1:1:dead-letters"
    queue = RESOURCES["AdmissionQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}
    mapping = RESOURCES["AnalysisStarterQueueMapping"]["Properties"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "MaxConcurrentAnalyses"}}
    assert mapping["BatchSize"] == 1
