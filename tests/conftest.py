"""Shared settings for the annlib core tests.

Hypothesis runs few, derandomized examples by default so the suite is fast and gives the same result on
every machine. For a deeper, random search run e.g.  HYPOTHESIS_PROFILE=explore pytest tests
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("annlib", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "annlib"))
