"""Development tools for Alarm Analyzer: the emulator, the scenario library, the demo and the benchmarks.

Installed next to the analyzer in a checkout (``make demo``, ``make test``); never shipped in its
wheel or Lambda layer. The analyzer's CLI offers ``demo``, ``bench`` and ``scenarios`` when this
package is importable.
"""
