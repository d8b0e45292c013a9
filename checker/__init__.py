"""Compliance checker for a district statistics bureau's rule-of-law obligations."""

from .errors import InputError, Problem
from .evaluate import CheckResult, evaluate
from .findings import Finding, Status
from .records import Bureau, load_bureau
from .rulebook import Rulebook, load_rulebook

__all__ = ["Bureau", "CheckResult", "Finding", "InputError", "Problem", "Rulebook", "Status", "evaluate", "load_bureau", "load_rulebook"]
