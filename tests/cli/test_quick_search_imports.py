"""The quick path of `search` (cli/fast.py) loads only what the answer needs: not the `sqlite3`
package's Python layer and the `datetime` it pulls in (core/store/dbapi.py), not the parser's
patterns for a plain query. Each is a measurable share of a whole `evidence-app search`."""
from __future__ import annotations

import pytest

from tests.cli.test_startup import _modules_after

NOT_NEEDED = ["sqlite3", "sqlite3.dbapi2", "datetime", "typing", "argparse", "pathlib"]


@pytest.mark.parametrize("command", [["search", "visit", "--json"],
                                     ["search", "social", "worker"],
                                     ["search", "supervis* NOT visit", "--limit", "5"]])
def test_a_quick_search_loads_neither_the_sqlite3_package_nor_datetime(cli, command):
    cli("init")
    loaded = _modules_after(["-w", str(cli.workspace), *command])
    assert "_sqlite3" in loaded and "evidence_app.cli.fast_open" in loaded  # the quick path ran
    assert [m for m in NOT_NEEDED if m in loaded] == []


def test_a_date_filter_still_loads_datetime_when_it_needs_it(cli):
    """after:/before: read dates: that search (and only that one) loads datetime."""
    cli("init")
    loaded = _modules_after(["-w", str(cli.workspace), "search", "visit",
                             "after:01/04/2025", "--json"])
    assert "datetime" in loaded
