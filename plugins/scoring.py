"""Scoring model ``weighted_levels``: indicator levels weighted within their aspect, aspects
weighted into one score, optionally blended with a user-survey part.

    aspect score A_k = Σ_i (w_i / 100) · level_i
    rules part       = Σ_k (W_k / 100) · A_k
    final            = b · rules part + (1 − b) · survey part   (survey given)
                     = rules part                               (no survey data)

Options (ruleset edition ``scoring``): ``part`` {id, title}; ``aspect_sources``; ``blend``
{weight_rules, survey: {id, weight, fact, title, items[], source}}.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from patuh import Text
from patuh import hookimpl
from patuh.scoring import AspectScore
from patuh.scoring import Part
from patuh.scoring import Score

HUNDRED = Decimal(100)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _survey_part(config: Mapping[str, Any], facts: Mapping[str, Any]) -> tuple[Part, list[Text]]:
    summary = (facts.get(config["fact"]) or {}).get("hasil")
    title = Text.of(config["title"])
    weight = Decimal(str(config["weight"]))
    if not summary or not summary.get("butir"):
        return Part(config["id"], title, None, weight, {"respondents": 0}), []
    codes = [item["code"] for item in config["items"]]
    means = summary["butir"]
    present = [c for c in codes if c in means]
    absent = [c for c in codes if c not in means]
    unknown = sorted(c for c in means if c not in codes)
    notes: list[Text] = []
    if absent:
        notes.append(Text(
            f"Butir {', '.join(absent)} tidak ada dalam data pengguna; rerata memakai "
            f"{len(present)} butir.",
            f"Items {', '.join(absent)} are absent from the user data; the mean uses "
            f"{len(present)} items."))
    if unknown:
        notes.append(Text(f"Kolom tidak dikenal diabaikan: {', '.join(unknown)}",
                          f"Unknown columns ignored: {', '.join(unknown)}"))
    if not present:
        return Part(config["id"], title, None, weight, {"respondents": summary["responden"]}), notes
    value = sum((Fraction(means[c]) for c in present), Fraction(0)) / len(present)
    detail = {"respondents": summary["responden"],
              "items": {c: _decimal(Fraction(means[c])) for c in present},
              "source_file": summary.get("berkas"), "source_sha256": summary.get("sha256")}
    return Part(config["id"], title, _decimal(value), weight, detail), notes


def weighted_levels(edition: Any, results: Sequence[Any], facts: Mapping[str, Any]) -> Score:
    options = edition.scoring
    aspect_sources = options.get("aspect_sources", {})
    aspects: list[AspectScore] = []
    rules_part = Decimal(0)
    for aspect in edition.aspects:
        members = [r for r in results if r.rule.aspect == aspect.id]
        score = sum((r.version.weight / HUNDRED * r.level for r in members), Decimal(0))
        aspects.append(AspectScore(aspect.id, aspect.title, aspect.weight, score,
                                   aspect_sources.get(aspect.id, {})))
        rules_part += aspect.weight / HUNDRED * score
    part_cfg = options.get("part", {"id": "rules", "title": {"id": "Aturan", "en": "Rules"}})
    blend = options.get("blend")
    notes: list[Text] = []
    sources: list[Mapping[str, Any]] = []
    share = Decimal(1)
    parts = [Part(part_cfg["id"], Text.of(part_cfg["title"]), rules_part, share)]
    final = rules_part
    if blend:
        survey, survey_notes = _survey_part(blend["survey"], facts)
        notes.extend(survey_notes)
        sources.append(blend["survey"].get("source", {}))
        if survey.value is None:
            notes.append(Text(
                f"Tanpa data {survey.title.id}: nilai akhir adalah bagian "
                f"{parts[0].title.id} saja (bobot 100%).",
                f"Without {survey.title.en} data: the final score is the "
                f"{parts[0].title.en} part alone (weight 100%)."))
            survey = Part(survey.id, survey.title, None, Decimal(0), survey.detail)
        else:
            share = Decimal(str(blend["weight_rules"]))
            final = share * rules_part + survey.weight * survey.value
        parts = [Part(part_cfg["id"], Text.of(part_cfg["title"]), rules_part, share), survey]
    gains = {}
    for r in results:
        aspect = edition.aspect(r.rule.aspect)
        if r.level < r.version.max_level and aspect is not None:
            gains[r.rule.id] = share * aspect.weight / HUNDRED * r.version.weight / HUNDRED
    return Score(final, tuple(parts), tuple(aspects), gains, tuple(notes), tuple(sources))


@hookimpl
def patuh_scoring_models() -> Mapping[str, Any]:
    return {"weighted_levels": weighted_levels}
