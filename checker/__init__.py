"""patuh: a rules-as-code compliance checker.

The core knows no regulation: it loads and validates rule files and manifests, evaluates
declarative conditions through operator plugins, hands results to a scoring-model plugin,
applies the edition's rounding and band table, and renders through reporter plugins.
"""

from patuh.conditions import Context
from patuh.conditions import Outcome
from patuh.conditions import Unmet
from patuh.errors import InputError
from patuh.evidence import resolve_inside
from patuh.hookspecs import hookimpl
from patuh.i18n import Text
from patuh.yamlio import Document

__version__ = "0.1.0"

__all__ = [
    "Context",
    "Document",
    "InputError",
    "Outcome",
    "Text",
    "Unmet",
    "__version__",
    "hookimpl",
    "resolve_inside",
]
