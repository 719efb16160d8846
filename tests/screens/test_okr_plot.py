"""The block-character sparkline and the braille plot of the history (pure drawing functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.widgets.okr_plot import PlotPoint, plot_lines
from kickoff_tui.widgets.sparkline import BLOCKS, sparkline


def test_sparkline_scales_between_lowest_and_highest():
    assert sparkline([44, 52, 57, 66, 71], 6) == "▁▃▄▇█"
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9], 4) == "▁▃▆█"  # the last four
    assert sparkline([3, 3, 3]) == "▄▄▄"
    assert sparkline([]) == ""
    assert sparkline([float("nan"), 1, float("inf"), 2]) == "▁█"


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), max_size=30), st.integers(1, 12))
def test_sparkline_is_never_wider_than_asked(values, width):
    line = sparkline(values, width)
    assert len(line) == min(len(values), width)
    assert set(line) <= set(BLOCKS)


def test_the_plot_has_the_target_line_labels_and_the_90_days():
    points = [PlotPoint(7 * w, v) for w, v in enumerate([44, 52, 57, 66, 71], start=1)]
    lines = [t.plain for t in plot_lines(points, 120, width=60, height=10, baseline=40)]
    assert len(lines) == 10
    assert lines[0].startswith("120 ┤╌╌╌")  # the target is the top of the range here
    assert lines[7].startswith(" 40 ┤")
    assert lines[-1].split() == ["day", "0", "day", "90"]
    dots = "".join(lines[1:8])
    assert any(0x2800 < ord(ch) <= 0x28FF for ch in dots)
    assert all(len(line) <= 60 for line in lines)


def test_a_target_below_the_values_is_drawn_at_the_bottom():
    points = [PlotPoint(7, 13), PlotPoint(14, 12), PlotPoint(21, 8)]
    lines = [t.plain for t in plot_lines(points, 3, width=40, height=8, baseline=14)]
    assert lines[0].startswith("14 ┤")
    assert lines[5].startswith(" 3 ┤╌╌")


def test_no_check_ins_says_how_to_add_one():
    assert plot_lines([], None, width=40, height=8)[0].plain.startswith("No check-ins yet")
