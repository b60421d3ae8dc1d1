"""Deploys the real template.yaml into the emulator: the same functions, queue, topic, table, state
machine (the real ASL with its substitutions), event buses and EventBridge patterns that `sam deploy`
creates; and member.yaml into a member account: its roles and its forwarding rule's pattern.

Only the intrinsic functions the templates use are resolved (Ref, GetAtt, Sub, Split, If and
conditions); anything else fails loudly rather than deploying something a template does not say.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from alarm_analyzer.aws import AwsClients

from .world import ACCOUNT

STACK = "alarm-analyzer"
_NO_VALUE = object()


class TemplateError(ValueError):
    """The template uses something the emulator cannot deploy."""


class _CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _tag)


def load_template(path: Path) -> dict[str, Any]:
    return dict(yaml.load(path.read_text(), Loader=_CfnLoader))


@dataclass
class Deployed:
    """What the emulator created for each logical id: its Ref value and attributes."""

    refs: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)


class Stack:
    def __init__(
        self,
        root: Path,
        clients: AwsClients,
        parameters: Mapping[str, str] | None = None,
        *,
        template: str = "template.yaml",
        account: str = ACCOUNT,
    ) -> None:
        self.root = root
        self.template = load_template(root / template)
        self.clients = clients
        self.region, self.account = clients.region, account
        declared = self.template.get("Parameters", {})
        self.parameters = {name: str(spec.get("Default", "")) for name, spec in declared.items()}
        self.parameters.update(parameters or {})
        self.deployed = Deployed()

    # --- intrinsic functions ----------------------------------------------------------------------

    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": "aws",
            "AWS::StackName": STACK,
            "AWS::NoValue": _NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.deployed.refs:
            return self.deployed.refs[name]
        raise TemplateError(f"Ref to {name}, which the emulator has not deployed")

    def _get_att(self, name: str, attribute: str) -> str:
        try:
            return self.deployed.attributes[(name, attribute)]
        except KeyError:
            raise TemplateError(f"GetAtt {name}.{attribute} is not available in the emulator") from None

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.template["Conditions"][name]))

    def _sub(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if "." in name:
                logical_id, attribute = name.split(".", 1)
                return self._get_att(logical_id, attribute)
            return str(self._ref(name))

        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref":
                return self._ref(value)
            if key == "Fn::GetAtt":
                return self._get_att(*value)
            if key == "Fn::Sub" and isinstance(value, str):
                return self._sub(value)
            if key == "Fn::Split":
                separator, text = value
                return str(self.resolve(text)).split(separator)
            if key == "Fn::If":
                condition, when_true, when_false = value
                return self.resolve(when_true if self.condition(condition) else when_false)
            if key == "Fn::Equals":
                left, right = (self.resolve(v) for v in value)
                return left == right
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in value)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in value)
            if key in ("Condition", "Fn::Condition"):  # !Condition in YAML, {"Condition": ...} in JSON
                return self.condition(value)
            if key.startswith("Fn::"):
                raise TemplateError(f"{key} is not supported by the emulator")
        resolved = {k: self.resolve(v) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    # --- resources ----------------------------------------------------------------------------------

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        """The template's resources of one type that its conditions create."""
        return {
            k: v
            for k, v in self.template["Resources"].items()
            if v["Type"] == kind and ("Condition" not in v or self.condition(v["Condition"]))
        }

    def _name(self, logical_id: str) -> str:
        return f"{STACK}-{logical_id}"

    def deploy_supporting(self) -> None:
        """Topics, queues, the table and the report bucket."""
        for logical_id in self.resources("AWS::S3::Bucket"):
            bucket = self._name(logical_id).lower()
            self.clients.client("s3").create_bucket(Bucket=bucket)
            self.deployed.refs[logical_id] = bucket
            self.deployed.attributes[(logical_id, "Arn")] = f"arn:aws:s3:::{bucket}"
        for logical_id in self.resources("AWS::SNS::Topic"):
            arn = self.clients.sns.create_topic(Name=self._name(logical_id))["TopicArn"]
            self.deployed.refs[logical_id] = arn
            self.deployed.attributes[(logical_id, "TopicName")] = arn.rsplit(":", 1)[-1]
        # A queue that redrives into another comes after it.
        queues = sorted(
            self.resources("AWS::SQS::Queue").items(), key=lambda q: "RedrivePolicy" in q[1]["Properties"]
        )
        for logical_id, resource in queues:
            properties = self.resolve(resource["Properties"])
            attributes = {
                k: str(properties[k])
                for k in ("VisibilityTimeout", "MessageRetentionPeriod")
                if k in properties
            }
            if "RedrivePolicy" in properties:
                attributes["RedrivePolicy"] = json.dumps(properties["RedrivePolicy"])
            url = self.clients.client("sqs").create_queue(
                QueueName=self._name(logical_id), Attributes=attributes
            )["QueueUrl"]
            arn = f"arn:aws:sqs:{self.region}:{self.account}:{self._name(logical_id)}"
            self.deployed.refs[logical_id] = url
            self.deployed.attributes |= {
                (logical_id, "Arn"): arn,
                (logical_id, "QueueName"): self._name(logical_id),
            }
        # The state machine's name and ARN are known before it exists: the starter's environment names it.
        for logical_id in self.resources("AWS::Serverless::StateMachine"):
            arn = f"arn:aws:states:{self.region}:{self.account}:stateMachine:{self._name(logical_id)}"
            self.deployed.refs[logical_id] = arn
            self.deployed.attributes[(logical_id, "Name")] = self._name(logical_id)
        for logical_id, resource in self.resources("AWS::DynamoDB::Table").items():
            properties = resource["Properties"]
            self.clients.dynamodb.create_table(
                TableName=self._name(logical_id),
                BillingMode=properties["BillingMode"],
                AttributeDefinitions=properties["AttributeDefinitions"],
                KeySchema=properties["KeySchema"],
            )
            self.deployed.refs[logical_id] = self._name(logical_id)
            self.deployed.attributes[(logical_id, "Arn")] = (
                f"arn:aws:dynamodb:{self.region}:{self.account}:table/{self._name(logical_id)}"
            )

    def functions(self) -> dict[str, dict[str, Any]]:
        """Each function's name, code directory, handler and environment, Globals applied."""
        defaults = self.template.get("Globals", {}).get("Function", {})
        found = {}
        for logical_id, resource in self.resources("AWS::Serverless::Function").items():
            properties = {**defaults, **resource["Properties"]}
            environment = {
                **defaults.get("Environment", {}).get("Variables", {}),
                **resource["Properties"].get("Environment", {}).get("Variables", {}),
            }
            found[logical_id] = {
                "name": self._name(logical_id),
                "code": self.root / properties["CodeUri"],
                "handler": properties["Handler"],
                "runtime": properties["Runtime"],
                "timeout": int(properties["Timeout"]),
                "environment": {k: str(v) for k, v in self.resolve(environment).items()},
                "events": resource["Properties"].get("Events", {}),
            }
        return found

    def deploy_functions(self, role_arn: str) -> dict[str, dict[str, Any]]:
        functions = self.functions()
        for logical_id, spec in functions.items():
            archive = io.BytesIO()
            with zipfile.ZipFile(archive, "w") as zipped:
                zipped.write(spec["code"] / "app.py", "app.py")
            arn = self.clients.client("lambda").create_function(
                FunctionName=spec["name"],
                Runtime=spec["runtime"],
                Role=role_arn,
                Handler=spec["handler"],
                Code={"ZipFile": archive.getvalue()},
                Environment={"Variables": spec["environment"]},
            )["FunctionArn"]
            self.deployed.refs[logical_id] = spec["name"]
            self.deployed.attributes[(logical_id, "Arn")] = arn
            self._subscribe(spec["events"], arn)
        return functions

    def _subscribe(self, events: dict[str, Any], function_arn: str) -> None:
        """The function's SNS event sources, as the subscriptions SAM generates for them."""
        for event in events.values():
            if event["Type"] != "SNS":
                continue
            properties = self.resolve(event["Properties"])
            attributes = (
                {"RedrivePolicy": json.dumps(properties["RedrivePolicy"])}
                if "RedrivePolicy" in properties
                else {}
            )
            self.clients.sns.subscribe(
                TopicArn=properties["Topic"], Protocol="lambda", Endpoint=function_arn, Attributes=attributes
            )

    def deploy_state_machine(self, role_arn: str) -> str:
        """The state machine: the real ASL, substitutions filled."""
        ((logical_id, resource),) = self.resources("AWS::Serverless::StateMachine").items()
        properties = resource["Properties"]
        definition = (self.root / properties["DefinitionUri"]).read_text()
        for name, value in self.resolve(properties["DefinitionSubstitutions"]).items():
            definition = definition.replace("${" + name + "}", str(value))
        arn = self.clients.client("stepfunctions").create_state_machine(
            name=self._name(logical_id), definition=definition, roleArn=role_arn, type=properties["Type"]
        )["stateMachineArn"]
        if arn != self.deployed.refs[logical_id]:
            raise TemplateError(
                f"the state machine's ARN is {arn}, not the {self.deployed.refs[logical_id]} expected"
            )
        return str(arn)

    def deploy_rules(self) -> dict[str, dict[str, Any]]:
        """The EventBridge rules with their pattern and targets; each rule's resolved properties."""
        events, deployed = self.clients.client("events"), {}
        for logical_id, resource in self.resources("AWS::Events::Rule").items():
            if "EventBusName" in resource["Properties"]:
                continue  # a rule on the stack's own bus: see bus_rules
            properties = self.resolve(resource["Properties"])
            arn = events.put_rule(
                Name=properties["Name"], EventPattern=json.dumps(properties["EventPattern"])
            )["RuleArn"]
            targets = [{"Id": t["Id"], "Arn": t["Arn"]} for t in properties["Targets"]]
            events.put_targets(Rule=properties["Name"], Targets=targets)
            self.deployed.refs[logical_id] = properties["Name"]
            self.deployed.attributes[(logical_id, "Arn")] = arn
            deployed[logical_id] = properties
        return deployed

    def event_source_mappings(self) -> list[dict[str, Any]]:
        """The Lambda event source mappings, resolved (the emulator polls their queues itself)."""
        return [
            self.resolve(r["Properties"]) for r in self.resources("AWS::Lambda::EventSourceMapping").values()
        ]

    def deploy_buses(self) -> dict[str, set[str]]:
        """The stack's own event buses; for each, who its policy lets put events on it (account ids,
        or "*" for an organization: the emulator does not model organizations)."""
        senders: dict[str, set[str]] = {}
        for logical_id, resource in self.resources("AWS::Events::EventBus").items():
            properties = self.resolve(resource["Properties"])
            name = properties["Name"]
            arn = self.clients.client("events").create_event_bus(Name=name)["EventBusArn"]
            self.deployed.refs[logical_id] = name
            self.deployed.attributes[(logical_id, "Arn")] = arn
            statements = properties.get("Policy", {}).get("Statement", [])
            senders[name] = {
                principal
                for statement in statements
                for principal in (
                    [statement["Principal"]]
                    if isinstance(statement["Principal"], str)
                    else statement["Principal"]["AWS"]
                )
            }
        return senders

    def bus_rules(self) -> list[tuple[str, dict[str, Any]]]:
        """The rules on the stack's own buses (deployed first): each one's bus and pattern."""
        return [
            (
                self.resolve(rule["Properties"]["EventBusName"]),
                self.resolve(rule["Properties"]["EventPattern"]),
            )
            for rule in self.resources("AWS::Events::Rule").values()
            if "EventBusName" in rule["Properties"]
        ]

    def deploy_roles(self) -> dict[str, str]:
        """The template's IAM roles with their inline policies, by logical id: their ARNs."""
        iam, made = self.clients.client("iam"), {}
        for logical_id, resource in self.resources("AWS::IAM::Role").items():
            properties = self.resolve(resource["Properties"])
            # IAM is global: like CloudFormation, name an unnamed role uniquely per stack instance.
            name = properties.get("RoleName", f"{self._name(logical_id)}-{self.region}")
            arn = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(properties["AssumeRolePolicyDocument"]),
                Path=properties.get("Path", "/"),
                Description=properties.get("Description", ""),
            )["Role"]["Arn"]
            for policy in properties.get("Policies", []):
                iam.put_role_policy(
                    RoleName=name,
                    PolicyName=policy["PolicyName"],
                    PolicyDocument=json.dumps(policy["PolicyDocument"]),
                )
            self.deployed.refs[logical_id] = name
            self.deployed.attributes[(logical_id, "Arn")] = made[logical_id] = arn
        return made

    def rule_patterns(self) -> list[dict[str, Any]]:
        """The patterns of the template's rules (after its roles: their targets name them)."""
        return [
            self.resolve(rule["Properties"]["EventPattern"])
            for rule in self.resources("AWS::Events::Rule").values()
        ]
