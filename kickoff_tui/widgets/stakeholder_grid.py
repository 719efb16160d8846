"""The stakeholder map's 5 × 5 grid: interest across, influence up, each cell coloured by the
engagement it calls for (manage closely, keep satisfied, keep informed, monitor).

The risk matrix's grid (:class:`kickoff_tui.widgets.risk_grid.RiskGrid`) with other axes, items
named S1, S2… and colours by engagement; cursor keys, clicks and messages are the same.
"""

from __future__ import annotations

from kickoff_tui.rules.kickoff import engagement
from kickoff_tui.rules.status import shape
from kickoff_tui.widgets.risk_grid import Cell, RiskGrid

LEVELS = ("Very low", "Low", "Medium", "High", "Very high")
SHORT = ("V.low", "Low", "Med.", "High", "V.high")

#: Cell background per engagement (theme colours, readable in the light theme too).
ENGAGEMENT_BACKGROUND = {
    "manage closely": "$error-muted",
    "keep satisfied": "$warning-muted",
    "keep informed": "$primary-muted",
    "monitor": "$success-muted",
}


class StakeholderGrid(RiskGrid):
    """Influence (rows, 5 at the top) × interest (columns), with a cell cursor."""

    ROW_LABELS = LEVELS
    ROW_SHORT = SHORT
    COLUMN_LABELS = LEVELS
    COLUMN_SHORT = SHORT
    PREFIX = "S"

    def cell_background(self, cell: Cell) -> str:
        return ENGAGEMENT_BACKGROUND[engagement(*cell)]

    def corner(self, cell: Cell) -> str:
        """The engagement's shape (■ manage closely … ● monitor): the colour, readable without."""
        return shape(engagement(*cell))
