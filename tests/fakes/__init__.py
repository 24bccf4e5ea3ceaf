"""Fakes of external services (LLM providers) for the product's tests and benchmarks.

The fake provider lives in :mod:`fakes.provider` (imported on demand, so that
``python -m fakes.provider`` runs it cleanly).
"""

from fakes.scenario import FailMode, Scenario, ScenarioError

__all__ = ["FailMode", "Scenario", "ScenarioError"]
