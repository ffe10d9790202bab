"""Interception rates and their difference, against the published worked examples (Newcombe 1998)."""

from __future__ import annotations

import pytest

from mr_agreements.safety import difference, wilson


def test_wilson_matches_the_published_example():
    rate = wilson(81, 263)
    assert (round(rate.low, 4), round(rate.high, 4)) == (0.2553, 0.3662)


def test_wilson_stays_inside_zero_and_one_where_the_normal_approximation_does_not():
    none_found = wilson(0, 40)
    assert none_found.low == 0.0 and 0.08 < none_found.high < 0.09
    assert wilson(40, 40).high == 1.0


def test_no_trials_is_no_rate_and_impossible_counts_are_refused():
    assert wilson(0, 0).value is None and wilson(0, 0).low is None
    with pytest.raises(ValueError):
        wilson(5, 3)


def test_newcombe_difference_matches_the_published_example_and_says_if_it_is_significant():
    d = difference(wilson(56, 70), wilson(48, 80))
    assert (round(d.low, 4), round(d.high, 4)) == (0.0524, 0.3339) and d.significant
    same = difference(wilson(2, 100), wilson(3, 120))
    assert same.low < 0 < same.high and not same.significant
    assert difference(wilson(0, 0), wilson(1, 10)).value is None
