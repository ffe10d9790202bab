"""Minutes from the horizon start: ranges of start minutes merged, intersected and fitted to periods."""

from __future__ import annotations

from scheduling.minutes import day_index, intersect, normalise, starts_within


def test_ranges_merge_when_they_touch_and_empty_ones_drop():
    assert normalise([(5, 9), (0, 3), (4, 4), (20, 10)]) == [(0, 9)]
    assert normalise([]) == []


def test_intersection_keeps_what_both_allow():
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert intersect([(0, 10)], [(11, 20)]) == []


def test_an_inspection_starts_only_where_it_ends_inside_the_period():
    assert starts_within([(0, 100), (200, 230)], 60) == [(0, 40)]


def test_a_minute_falls_on_the_day_of_the_last_midnight_before_it():
    midnights = (-360, 1080, 2520)
    assert [day_index(midnights, m) for m in (-360, 0, 1079, 1080, 3000)] == [0, 0, 0, 1, 2]
