"""Every seeded incident: the library (scenarios.py) and the causal chains (chains.py), by name.

The scenario tests, ``alarm-analyzer scenarios`` and the benchmarks iterate ``SCENARIOS``.
"""

from __future__ import annotations

from .chains import CHAINS
from .scenarios import LIBRARY, Scenario

SCENARIOS: dict[str, Scenario] = {**LIBRARY, **CHAINS}
