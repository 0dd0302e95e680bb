"""The dashboard's hand-counted year 2025, reused for the year's figures."""

from tests.dashboard.conftest import centre, year_2025  # noqa: F401  (fixtures)
