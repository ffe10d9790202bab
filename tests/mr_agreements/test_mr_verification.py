"""Verification sampling: unpredictable without the secret, reproducible with it, raised by risk."""

from __future__ import annotations

import pytest

from mr_agreements.verification import FLAGGED, NEW_EXPORTER, RECENT_INTERCEPTION, basis, draw, selected

SECRET = b"server secret"


def test_the_draw_is_the_same_for_the_same_key_and_secret_and_differs_otherwise():
    assert draw(SECRET, "JI-2027-000001") == draw(SECRET, "JI-2027-000001")
    assert draw(SECRET, "JI-2027-000001") != draw(SECRET, "JI-2027-000002")
    assert draw(b"another secret", "JI-2027-000001") != draw(SECRET, "JI-2027-000001")
    assert all(0 <= draw(SECRET, f"K{i}") < 1 for i in range(200))


def test_about_the_stated_share_of_loads_is_selected():
    sampling = basis(0.02)
    chosen = sum(selected(SECRET, f"JI-{i:06d}", sampling)[0] for i in range(20_000))
    assert 300 <= chosen <= 500  # 2% of 20,000 is 400; a binomial sd is 20


def test_risk_raises_the_rate_to_the_highest_factor_and_never_lowers_it():
    assert basis(0.02).probability == 0.02
    assert basis(0.02, (NEW_EXPORTER,)).probability == 0.10
    assert basis(0.02, (NEW_EXPORTER, RECENT_INTERCEPTION)).probability == 0.50
    assert basis(0.30, (FLAGGED,)).probability == 0.30
    assert basis(0.0, (NEW_EXPORTER, FLAGGED)).probability == 0.0  # a rule the program does not sample
    with pytest.raises(ValueError):
        basis(1.5)
    with pytest.raises(ValueError):
        basis(0.02, ("rumour",))
