"""How a figure's value reads in a table, a printout and the terminal."""

from bastion.reports.catalogue import Figure
from bastion.reports.selectors.sections import Value

MISSING = "—"


def display(value: Value, figure: Figure | None = None) -> str:
    """0 stays 0 (a real zero); None (nothing to measure: a median of no cases) is a dash."""
    if value is None:
        return MISSING
    if figure is not None and figure.key == "donations.money":
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
