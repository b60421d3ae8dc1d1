"""Every seeded incident, by name: the library (scenarios.py), the dead-letter scenarios (dead_letters.py),
the causal chains (chains.py) and the services' incidents (services_*.py).

The scenario tests, ``alarm-analyzer scenarios`` and the benchmarks iterate ``SCENARIOS``.
"""

from __future__ import annotations

from .chains import CHAINS
from .dead_letters import DEAD_LETTERS
from .scenarios import LIBRARY, Scenario
from .services_edge import EDGE
from .services_lag import LAG
from .services_platform import PLATFORM

SCENARIOS: dict[str, Scenario] = {**LIBRARY, **DEAD_LETTERS, **CHAINS, **PLATFORM, **EDGE, **LAG}
