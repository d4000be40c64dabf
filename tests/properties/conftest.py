"""Hypothesis settings of the property suites: bounded, so that `make test` stays fast.

``TOILES_HYPOTHESIS_PROFILE=thorough`` runs many more examples (by hand, not in CI).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "derandomize": True,  # the same examples on every run: CI failures reproduce
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("toiles", max_examples=30, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("TOILES_HYPOTHESIS_PROFILE", "toiles"))
