"""Rounds, units, people, evidence, API tokens and the audit log.

A unit's answers and files are not in the database: they are its manifest folder
(``DATA/units/<round>/<kode>``), the truth that ``patuh check`` reads. The database holds who
may see what, the unit's stage, an index of its evidence and the record of every change."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _

from patuh.plugins.web.stage_codes import DRAFT
from patuh.plugins.web.stage_codes import FINAL
from patuh.plugins.web.stage_codes import IN_VERIFICATION
from patuh.plugins.web.stage_codes import REVISION
from patuh.plugins.web.stage_codes import SUBMITTED
from patuh.plugins.web.stage_codes import VERIFIED

ADMIN, OPERATOR, EVALUATOR, PIMPINAN = "admin", "operator", "evaluator", "pimpinan"
ROLES = [(ADMIN, _("Admin (Bagian Organisasi)")), (OPERATOR, _("Operator unit")),
         (EVALUATOR, _("Evaluator")), (PIMPINAN, _("Pimpinan (hanya baca)"))]
# A unit's stages in an official round (the operator's claim is checked by evaluators, F-01
# against F-02): who moves a unit from which stage to which is ``patuh.plugins.web.stages``.
STAGES = [(DRAFT, _("Draf")), (SUBMITTED, _("Diserahkan")),
          (IN_VERIFICATION, _("Dalam verifikasi")), (REVISION, _("Perlu perbaikan")),
          (VERIFIED, _("Terverifikasi")), (FINAL, _("Final"))]


class Round(models.Model):
    """A ruleset edition + a period + a set of units."""

    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(max_length=200)
    ruleset = models.CharField(max_length=60)
    edition = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def folder(self):
        return settings.DATA / "units" / self.slug


class Unit(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="units")
    kode = models.SlugField(max_length=80)
    nama = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=STAGES, default=DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["round", "kode"]
        constraints = [models.UniqueConstraint(fields=["round", "kode"],
                                               name="one_kode_per_round")]

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode})"

    @property
    def folder(self):
        return self.round.folder / self.kode


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=ROLES)
    units = models.ManyToManyField(Unit, blank=True, related_name="people")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"


class Evidence(models.Model):
    """An index of the files the unit's manifest holds (the folder stays the truth), and of
    its earlier versions: a file detached from its slot (removed or replaced) keeps its row
    with when and by whom (``detached_at`` set) — the stored file is never deleted."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="evidence")
    slot = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=120)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    detached_at = models.DateTimeField(null=True, blank=True)
    detached_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        indexes = [models.Index(fields=["unit", "sha256"])]

    @property
    def current(self) -> bool:
        return self.detached_at is None


class ApiToken(models.Model):
    """A bearer token for the HTTP API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        token = "patuh_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.digest(token))
        return token


class AuditEvent(models.Model):
    """Every change: who, when, what."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    action = models.CharField(max_length=60)
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class StageChange(models.Model):
    """One move of a unit from a stage to another: who, when, from, to, and why."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="stage_changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    from_stage = models.CharField(max_length=20, choices=STAGES)
    to_stage = models.CharField(max_length=20, choices=STAGES)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class RevisionComment(models.Model):
    """The evaluator's comment on one indicator (rule id) when asking the unit to revise."""

    change = models.ForeignKey(StageChange, on_delete=models.CASCADE, related_name="comments")
    rule = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["id"]
