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
from patuh.plugins import tables
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
              "source_file": summary.get("berkas")}
    return Part(config["id"], title, _decimal(value), weight, detail), notes


def weighted_levels(edition: Any, results: Sequence[Any], facts: Mapping[str, Any]) -> Score:
    options = edition.scoring
    aspect_sources = options.get("aspect_sources", {})
    aspects: list[AspectScore] = []
    rules_part = Decimal(0)
    for aspect in edition.aspects:
        members = [r for r in results if r.aspect == aspect.id]
        score = sum((r.weight / HUNDRED * r.level for r in members), Decimal(0))
        aspects.append(AspectScore(aspect.id, aspect.title, aspect.weight, score,
                                   aspect.source or aspect_sources.get(aspect.id, {})))
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
        aspect = edition.aspect(r.aspect)
        if r.level < r.version.max_level and aspect is not None:
            gains[r.rule.id] = share * aspect.weight / HUNDRED * r.weight / HUNDRED
    notes.extend(tables.data_notes(facts))  # how the unit's data files were read
    return Score(final, tuple(parts), tuple(aspects), gains, tuple(notes), tuple(sources))


def weighted_share(edition: Any, results: Sequence[Any], facts: Mapping[str, Any]) -> Score:
    """Each rule scores 0–100 (its share of the maximum: level/max, pass = 100, or a measured
    score); an aspect is the weighted mean of its rules; the final score is the weighted mean
    of the aspects (``pool: aspects``, the default) or of all rules at once (``pool: rules``).
    A rule with no data scores 0."""
    pool = edition.scoring.get("pool", "aspects")
    aspect_sources = edition.scoring.get("aspect_sources", {})

    def points(r: Any) -> Decimal:
        return _decimal(r.value or Fraction(0)) * HUNDRED

    aspects: list[AspectScore] = []
    totals: dict[str, Decimal] = {}
    for aspect in edition.aspects:
        members = [r for r in results if r.aspect == aspect.id]
        total = sum((r.weight for r in members), Decimal(0))
        totals[aspect.id] = total
        score = (sum((r.weight * points(r) for r in members), Decimal(0)) / total
                 if total else Decimal(0))
        aspects.append(AspectScore(aspect.id, aspect.title, aspect.weight, score,
                                   aspect.source or aspect_sources.get(aspect.id, {})))
    def room(r: Any) -> Decimal:
        """Points (0–100) the rule can still add: its next level, or up to 100 if measured."""
        if r.next_level is not None:
            return HUNDRED / r.version.max_level
        if r.version.measure is not None:
            return HUNDRED - points(r)
        return Decimal(0)

    gains: dict[str, Decimal] = {}
    if pool == "rules":
        grand = sum((r.weight for r in results), Decimal(0))
        if grand:  # an aspect weighs what its rules weigh
            aspects = [AspectScore(a.id, a.title, totals[a.id] / grand * HUNDRED, a.score,
                                   a.source) for a in aspects]
        final = sum((r.weight * points(r) for r in results), Decimal(0)) / grand if grand \
            else Decimal(0)
        for r in results:
            if room(r) and grand:
                gains[r.rule.id] = r.weight / grand * room(r)
    else:
        weight_sum = sum((a.weight for a in edition.aspects), Decimal(0)) or Decimal(1)
        final = sum((a.weight * a_score.score for a, a_score in zip(edition.aspects, aspects,
                                                                   strict=True)),
                    Decimal(0)) / weight_sum
        for r in results:
            aspect = edition.aspect(r.aspect)
            total = totals.get(r.aspect)
            if room(r) and aspect is not None and total:
                gains[r.rule.id] = aspect.weight / weight_sum * r.weight / total * room(r)
    part = edition.scoring.get("part", {"id": "total", "title": {"id": "Nilai", "en": "Score"}})
    parts = (Part(part["id"], Text.of(part["title"]), final, Decimal(1)),)
    sources = tuple(s for s in [edition.scoring.get("weights_source")] if s)
    return Score(final, parts, tuple(aspects), gains, tuple(tables.data_notes(facts)), sources)


@hookimpl
def patuh_scoring_models() -> Mapping[str, Any]:
    return {"weighted_levels": weighted_levels, "weighted_share": weighted_share}
