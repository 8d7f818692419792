"""The manifest as a YAML form (``patuh init``, ``patuh convert … x.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any

from patuh import hookimpl

if TYPE_CHECKING:
    from patuh.questionnaire import Questionnaire


def yaml_form(model: Questionnaire, data: Mapping[str, Any], lang: str) -> bytes:
    from patuh.template import manifest_template  # imported by `patuh init`, not by a check

    return manifest_template(model, lang, data).encode("utf-8")


@hookimpl
def patuh_manifest_formats() -> Mapping[str, Any]:
    return {"yaml": yaml_form}
