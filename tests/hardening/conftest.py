"""Hypothesis profiles: `ci` (the default, bounded so the hardening suite stays fast) and `lungo` (deep fuzzing).

    pytest tests/hardening --hypothesis-profile=lungo
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=12, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("lungo", max_examples=2_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def pytest_configure(config: pytest.Config) -> None:
    """`ci` unless the command line names a profile (this conftest may load after Hypothesis reads the option)."""
    settings.load_profile(config.getoption("--hypothesis-profile", default=None) or "ci")


@pytest.fixture
def lungo() -> None:
    """Skip a slow case unless the `lungo` profile was chosen: it runs in deep fuzzing, not in CI."""
    if settings.get_current_profile_name() != "lungo":
        pytest.skip("solo con --hypothesis-profile=lungo")
