"""Log signatures: what each masking and merging rule groups, and the near miss it must keep apart;
the same signatures whatever the order of lines; bounded work; the `signatures` command."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from alarm_analyzer import signatures
from alarm_analyzer.cli import main
from alarm_analyzer.signatures import SignatureCounter, shape_of


def grouped(*lines: str) -> list[str]:
    found, _ = signatures.assign(lines)
    return found


def same(*lines: str) -> bool:
    return len(set(grouped(*lines))) == 1


# --- step 1: the shape of a line, rule by rule -----------------------------------------------------
@pytest.mark.parametrize(
    ("first", "second", "near_miss"),
    [
        # digit runs, inside a token too; the letters around them stay
        ("order 4411 failed after 3012 ms", "order 87 failed after 29 ms", "order 87 failed after 29 s"),
        ("Found block rdd_2_1 locally", "Found block rdd_12_30 locally", "Found block blk_12_30 locally"),
        ("Deleting blk_-1608999687 file", "Deleting blk_38865049064139660 file", "Deleting rdd_3886 file"),
        # a version or an interface named by a digit is a word: IPv4 is not IPv6
        ("IPV4 Addr: 10.105.160.95", "IPV4 Addr: 192.168.0.1", "IPV6 Addr: 10.105.160.95"),
        # hex ids, with or without 0x; a word made of hex letters stays a word
        ("iar 001064fc dear 0245b64c", "iar 00106228 dear 0244c21c", "iar 00106228 face 0244c21c"),
        ("flags=0x1 mask=0x7fed806eb5d", "flags=0x40 mask=0x1", "flags=0x40 mode=0x1"),
        # UUIDs and trace ids
        (
            "request 5f0c1e2a-4b7d-4c1e-9a3b-2d9e8f7a6b5c done",
            "request 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d done",
            "response 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d done",
        ),
        # IPv4 with its port, IPv6, MAC addresses
        ("from /10.251.91.84:50010 to", "from /10.250.7.244:60076 to", "from /10.250.7.244:60076 via"),
        ("peer fe80::1c2a:fecd:467f up", "peer 2607:f140:6000:8:c6b3:1ff:fecd:467f up", "peer fe80::1 down"),
        ("DHCPACK to 00:11:43:e3:ba:c3", "DHCPACK to ba:11:43:e3:ba:c3", "DHCPNAK to ba:11:43:e3:ba:c3"),
        # dates and times, in ISO 8601 or in words
        ("at 2026-11-23T10:00:01.123Z done", "at 2026-01-02 23:59:59,999 done", "at 2026-01-02 23:59:59 failed"),
        ("status=M Thu Aug 4 22:32:43 PDT 2005", "status=M Sun Jul 24 02:38:22 PDT 2005", "status=F Sun Jul 24 2005"),
        # sizes in the unit a formatter picked
        ("stored (estimated size 9.2 KB, free 868.3 KB)", "stored (estimated size 300.0 B, free 1.2 MB)",
         "stored (estimated size 300.0 B, used 1.2 MB)"),
        # URLs and emails
        ("GET https://api.example.com/v1/x?id=9 failed", "GET https://10.0.0.1:8080/health failed",
         "POST https://10.0.0.1:8080/health failed"),
        ("mail to bob@example.com bounced", "mail to ops.team+x@mail.example.org bounced", "mail to bob@example.com sent"),
        # the key before = or : stays
        ("uid=0 euid=0 tty=ssh", "uid=501 euid=501 tty=ssh", "gid=501 euid=501 tty=ssh"),
    ],
)  # fmt: skip
def test_a_masking_rule_gives_occurrences_one_shape_and_the_near_miss_another(
    first: str, second: str, near_miss: str
) -> None:
    assert shape_of(first) == shape_of(second)
    assert shape_of(near_miss) != shape_of(first)


def test_a_shape_keeps_the_words_rules_read_and_masks_what_varies() -> None:
    assert shape_of("ERROR order 4411 failed after 3012 ms") == "ERROR order <*> failed after <*> ms"
    assert shape_of("ssh2 en0 wl0 Brcm43xx") == "ssh2 en0 wl0 Brcm43xx"
    assert shape_of("node042 task12345 x7Gh3kLm9") == "<*> <*> <*>"


def test_the_text_of_quoted_error_messages_is_kept() -> None:
    offline = 'failed with Error Code=-1009 "The Internet connection appears to be offline."'
    timeout = 'failed with Error Code=-1001 "The request timed out."'
    assert grouped(offline, timeout)[0] != grouped(offline, timeout)[1]
    assert "appears to be offline" in grouped(offline)[0]


# --- step 2: positions whose words vary ------------------------------------------------------------
def test_variable_words_merge_when_they_look_variable_or_are_many() -> None:
    hosts = [f"reverse mapping checking getaddrinfo for {h} failed" for h in ("a.example.com", "ns1.isp.net")]
    assert same(*hosts)
    users = [f"Failed password for {u} from 10.0.0.{i} port 22 ssh2" for i, u in enumerate(
        ("root", "admin", "oracle", "test", "guest"))]  # fmt: skip
    assert same(*users)
    signature = grouped(*users)[0]
    assert signature == "Failed password for <*> from <*> port <*> ssh2"


def test_a_few_plain_words_in_one_position_are_different_messages() -> None:
    states = [
        f"Captive: CNPluginHandler en0: {state}" for state in ("Evaluating", "Authenticated", "Inactive")
    ]
    assert len(set(grouped(*states))) == 3


def test_a_new_error_never_disappears_into_an_old_signature() -> None:
    old = [
        f"Unhandled exception in handler {h}: java.lang.{e}"
        for h, e in (("a.b.C", "NullPointerException"), ("x.y.Z", "IllegalArgumentException"))
    ]
    new = "Unhandled exception in handler a.b.C: java.lang.OutOfMemoryError"
    found = grouped(*old, new)
    assert found[2] not in found[:2]
    reasons = [
        f"payment declined for card {c}: {r}"
        for c, r in zip("ABCDE", ("expired", "stolen", "limit", "fraud"), strict=False)
    ]
    assert len(set(grouped(*reasons, "payment declined for card F: not supported"))) == 5


def test_values_with_different_keys_stay_apart() -> None:
    assert not same("getDataEnabled: subId=1 phoneId=1", "getDataEnabled: subId=1 retVal=true")


def test_signatures_do_not_depend_on_the_order_of_lines() -> None:
    lines = [
        *(f"Failed password for {u} from 10.0.{i}.7 port {4000 + i} ssh2" for i, u in enumerate("abcdefg")),
        *(f"session opened for user {u} by (uid=0)" for u in ("root", "cyrus", "news", "test", "ftp", "www")),
        *(f"Connection from /10.1.{i}.2:{i}0 host{i}.example.com closed" for i in range(4)),
        "Connection refused", "Connection reset", "ERROR db pool exhausted after 30000 ms",
    ]  # fmt: skip
    expected = dict(zip(lines, grouped(*lines), strict=True))
    shuffled = list(lines)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert dict(zip(shuffled, grouped(*shuffled), strict=True)) == expected


# --- bounded work -------------------------------------------------------------------------------
def test_a_huge_line_is_read_only_up_to_the_cap() -> None:
    huge_token = "x" * 65536
    assert len(shape_of(huge_token)) <= signatures.MAX_MESSAGE
    assert shape_of("1f" * 16384) == "<*>"  # a 32 KB hex line: one variable part
    words = " ".join(f"w{i % 7}" for i in range(20000))
    assert len(shape_of(words).split()) <= signatures.MAX_TOKENS
    # Lines that differ only beyond what is read share a signature.
    assert same("head " + "a " * 600 + "tail one", "head " + "a " * 600 + "tail two")


def test_past_the_deadline_the_table_stops_and_says_so() -> None:
    table = signatures.ShapeTable(deadline=0.0)  # a monotonic time long past
    assert table.add("ERROR boom") is None
    assert table.stopped
    assert any("time limit" in note for note in table.notes())


def test_shapes_beyond_the_cap_are_counted_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signatures, "MAX_SHAPES", 2)
    found, notes = signatures.assign(["a 1", "b 2", "c 3", "a 4"])
    assert found == ["a <*>", "b <*>", "c <*>", "a <*>"]  # an ungrouped line still gets its shape
    assert notes == ["1 lines of more than 2 distinct shapes were not grouped"]


# --- the gatherer's counter ---------------------------------------------------------------------
def _event(second: int, message: str) -> dict[str, object]:
    return {"timestamp": 1_780_000_000_000 + second * 1000, "message": message}


def test_the_counter_counts_incident_and_baseline_of_one_signature_together() -> None:
    counter = SignatureCounter()
    for second, user in enumerate(("root", "admin", "oracle", "test", "guest")):
        counter.add("/ecs/a", _event(second, f"ERROR login failed for {user} from 10.0.0.{second}"), True)
    counter.add("/ecs/b", _event(9, "ERROR login failed for nobody from 10.9.9.9"), False)
    counter.add("/ecs/a", _event(3, "INFO GET /health 200"), True)
    counter.add("/ecs/a", _event(4, "REPORT RequestId: 8f5e Duration: 3003.12 ms Status: timeout"), True)
    (found,) = counter.signatures()
    assert found.signature == "ERROR login failed for <*> from <*>"
    assert (found.count, found.baseline_count, found.level) == (5, 1, "error")
    assert found.log_groups == ["/ecs/a"]
    assert len(found.samples) == signatures.MAX_SAMPLES
    assert (found.last_seen - found.first_seen).total_seconds() == 4


def test_secrets_never_reach_a_signature_even_in_pieces() -> None:
    line = (
        "ERROR connect postgres://app:s3cr3t-pw@db:5432/orders password=hunter2 Bearer 9fK2.b7Qz3x "
        "AKIAIOSFODNN7EXAMPLE token xoxb-1234-5678-abcdefgh sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    )
    counter = SignatureCounter()
    counter.add("/ecs/a", _event(0, line), True)
    (found,) = counter.signatures()
    # Masking alone would leave pieces ("abcdefgh", "EXAMPLE") that redaction no longer recognizes.
    for piece in (
        "s3cr3t",
        "hunter2",
        "9fK2",
        "b7Qz3x",
        "AKIAIOSFODNN",
        "EXAMPLE",
        "abcdefgh",
        "HqLyjWDarjt",
    ):
        assert piece not in found.signature
        assert piece not in found.samples[0]
        assert piece not in grouped(line)[0]


def test_a_counter_past_its_deadline_reads_nothing_more() -> None:
    counter = SignatureCounter(deadline=0.0)
    counter.add("/ecs/a", _event(0, "ERROR boom"), True)
    assert counter.out_of_time
    assert counter.signatures() == []
    assert counter.limits()


# --- the command ----------------------------------------------------------------------------------
LOG = "ERROR order 4411 failed after 3012 ms\nINFO GET /health 200\nERROR order 87 failed after 29 ms\n\n"
BEFORE = "ERROR order 1 failed after 2 ms\nINFO GET /health 200\n"


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.log"
    path.write_text(LOG)
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_assign_prints_one_signature_per_input_line_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, LOG.encode())
    assert main(["signatures", "--assign"]) == 0
    out = capsys.readouterr().out
    assert out.split("\n")[:-1] == [
        "ERROR order <*> failed after <*> ms", "INFO GET /health <*>", "ERROR order <*> failed after <*> ms", "",
    ]  # fmt: skip


def test_assign_as_json_numbers_the_lines(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["signatures", str(log_file), "--assign", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["line"] for row in rows] == [1, 2, 3, 4]
    assert rows[0]["signature"] == rows[2]["signature"]


def test_the_summary_counts_each_signature_with_its_lines_and_a_sample(
    log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["signatures", str(log_file)]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[1].split()
    assert first[:3] == ["2", "error", "1-3"]
    assert "ERROR order 4411 failed after 3012 ms" in out  # the first occurrence, as a sample
    assert "3 signatures in 4 lines" in out


def test_a_baseline_marks_new_and_surging_signatures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = tmp_path / "incident.log"
    incident.write_text(
        "".join(f"ERROR order {i} failed after {i} ms\n" for i in range(10)) + "WARN disk 91% full\n"
    )
    before = tmp_path / "before.log"
    before.write_text(BEFORE)
    assert main(["signatures", str(incident), "--baseline", str(before), "--format", "json"]) == 0
    rows = {row["signature"]: row for row in json.loads(capsys.readouterr().out)["signatures"]}
    surge = rows["ERROR order <*> failed after <*> ms"]
    assert (surge["count"], surge["baseline_count"], surge["new"], surge["surging"]) == (10, 1, False, True)
    assert rows["WARN disk <*>% full"]["new"]
    assert "INFO GET /health <*>" not in rows  # only what the file itself logged


def test_the_ratio_of_time_spans_scales_what_counts_as_a_surge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = tmp_path / "incident.log"
    incident.write_text("".join(f"ERROR order {i} failed\n" for i in range(10)))
    before = tmp_path / "before.log"
    before.write_text("".join(f"ERROR order {i} failed\n" for i in range(8)))
    main(["signatures", str(incident), "--baseline", str(before), "--format", "json"])
    assert not json.loads(capsys.readouterr().out)["signatures"][0]["surging"]
    main(["signatures", str(incident), "--baseline", str(before), "--ratio", "0.25", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["signatures"][0]["surging"]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: path / "missing.log", "No such file or directory"),
        (lambda path: path, "Is a directory"),
        (lambda path: _write(path / "core", b"\x7fELF\x00\x01binary"), "binary data"),
    ],
)
def test_unreadable_or_binary_input_is_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, problem: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    assert main(["signatures", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert problem in captured.err
    assert str(path) in captured.err


def test_binary_data_on_stdin_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"ERROR fine\n\x00\x01\x02")
    assert main(["signatures", "--assign"]) == 2
    assert "stdin: binary data" in capsys.readouterr().err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_command_loads_neither_aws_nor_pydantic_nor_the_rules(log_file: Path) -> None:
    probe = (
        "import sys; from alarm_analyzer.cli import main; "
        f"main(['signatures', '--assign', {str(log_file)!r}]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'pydantic', 'rich'}), "
        "'alarm_analyzer.rules' in sys.modules, file=sys.stderr)"
    )
    finished = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert finished.stderr.strip() == "[] False"
