"""The product ships alone: no emulator, no moto, no workshop in its wheel, and its CLI runs without them."""

from __future__ import annotations

import email
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run the CLI in a fresh interpreter where the workshop and moto cannot be imported, as after `pip install .`.
WITHOUT_WORKSHOP = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("moto", "alarm_devtools"):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, Refuse())
from alarm_analyzer.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _cli_without_workshop(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_WORKSHOP, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_investigate_runs_where_moto_and_the_workshop_cannot_be_imported() -> None:
    finished = _cli_without_workshop("investigate", "--help")
    assert finished.returncode == 0, finished.stderr
    assert "--alarm-name" in finished.stdout


def test_the_demo_without_the_workshop_says_how_to_get_it() -> None:
    finished = _cli_without_workshop("demo", "--scenario", "rds-memory")
    assert finished.returncode == 2
    assert "development tools" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_the_wheel_holds_the_analyzer_alone(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("alarm_analyzer-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = email.message_from_bytes(
            archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        )
    packages = {name.split("/")[0] for name in names if not name.endswith(".dist-info/") and "/" in name}
    assert packages - {n for n in packages if n.endswith(".dist-info")} == {"alarm_analyzer"}
    assert not [name for name in names if "emulator" in name or "devtools" in name]
    assert "alarm_analyzer/cli.py" in names
    requirements = " ".join(metadata.get_all("Requires-Dist") or [])
    assert "moto" not in requirements
