"""The sample site passes the site checks a person would make: links, HTML, accessibility, keyboard.

Screenshots of one page of every template, at 375 and 1280 px, are left in output-checks/ to look at
(CI uploads them as an artifact).
"""

from __future__ import annotations

import contextlib
import io

from conftest import REPO

from sitecheck.__main__ import main as sitecheck


def test_the_sample_site_passes_every_site_check(sample_site):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = sitecheck([str(sample_site), "--screenshots", str(REPO / "output-checks")])
    assert code == 0, out.getvalue() + err.getvalue()
    shots = sorted(p.name for p in (REPO / "output-checks").glob("*.png"))
    assert "home-375.png" in shots and "home-1280.png" in shots, shots
