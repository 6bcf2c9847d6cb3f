"""Which lane the running test is in, so that what only some lanes may do (start a server, a store,
a browser) can check that the test says so: a test that is not marked ``server`` and starts one
would put servers into the fast lane."""

from __future__ import annotations

LANES = frozenset({"server", "browser", "store", "slow"})
running: set[str] = set()  # the lanes of the test being set up, run or torn down


def check(lane: str, what: str) -> None:
    """AssertionError unless the running test is in ``lane`` (session fixtures are set up for
    the first test that asks for them, so that test's marks decide)."""
    if lane not in running:
        raise AssertionError(
            f"{what}: a test that does this must be in the '{lane}' lane "
            f"(mark it @pytest.mark.{lane}, or ask for a fixture that puts it there)"
        )
