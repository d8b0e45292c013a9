"""Ledgers added by the whole-rulebook work (issue 3); see the module docstrings of each type."""
