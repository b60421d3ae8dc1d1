"""Every seeded incident: the library (scenarios.py) and the dead-letter scenarios (dead_letters.py), by name.

The scenario tests, ``alarm-analyzer scenarios`` and the benchmarks iterate ``SCENARIOS``.
"""

from __future__ import annotations

from .dead_letters import DEAD_LETTERS
from .scenarios import LIBRARY, Scenario

SCENARIOS: dict[str, Scenario] = {**LIBRARY, **DEAD_LETTERS}
