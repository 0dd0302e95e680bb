"""The people tests' helpers: the real `kiosk` command on the test database."""

from tests.people.conftest import cli, run_kiosk  # noqa: F401  (fixtures shared with tests/people)
