"""The manifest as a YAML form (``patuh init``, ``patuh convert … x.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from patuh import hookimpl
from patuh.questionnaire import Questionnaire
from patuh.template import manifest_template


def yaml_form(model: Questionnaire, data: Mapping[str, Any], lang: str) -> bytes:
    return manifest_template(model, lang, data).encode("utf-8")


@hookimpl
def patuh_manifest_formats() -> Mapping[str, Any]:
    return {"yaml": yaml_form}
