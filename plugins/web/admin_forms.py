"""The admin's forms: a new round, a new unit, a unit uploaded as a zip, a new person."""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from patuh.plugins.web.models import ROLES
from patuh.plugins.web.models import Unit


@lru_cache(maxsize=1)
def _editions() -> tuple[tuple[str, str, str], ...]:
    """(value "ruleset:edition", Indonesian label, English label) of every installed
    ruleset's editions, read once per process."""
    from patuh.rulebook import available
    from patuh.rulebook import load_ruleset

    out = []
    for ruleset_id in sorted(available()):
        ruleset = load_ruleset(ruleset_id)
        for edition in ruleset.editions:
            out.append((f"{ruleset_id}:{edition.edition}",
                        f"{ruleset.title.get('id')} — {ruleset_id} {edition.edition}",
                        f"{ruleset.title.get('en')} — {ruleset_id} {edition.edition}"))
    return tuple(out)


def edition_choices() -> list[tuple[str, str]]:
    lang = "en" if (get_language() or "id").startswith("en") else "id"
    return [(value, label_en if lang == "en" else label_id)
            for value, label_id, label_en in _editions()]


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Nama putaran"), max_length=200)
    edition = forms.ChoiceField(label=_("Aturan dan edisi"))
    year = forms.IntegerField(label=_("Tahun periode"), min_value=2000, max_value=2100)
    slug = forms.SlugField(label=_("Pengenal URL (boleh kosong)"), max_length=60,
                           required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = edition_choices()

    def ruleset_edition(self) -> tuple[str, str]:
        ruleset, _sep, edition = self.cleaned_data["edition"].partition(":")
        return ruleset, edition


class UnitForm(forms.Form):
    kode = forms.CharField(label=_("Kode unit"), max_length=80, validators=[RegexValidator(
        r"^[A-Za-z0-9_-]+$", _("Kode hanya huruf, angka, - dan _."))])
    nama = forms.CharField(label=_("Nama unit"), max_length=300)


class ImportForm(forms.Form):
    archive = forms.FileField(label=_("Zip folder manifest"))


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.round.slug} · {obj.kode} — {obj.nama}"


class PersonForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               validators=[UnicodeUsernameValidator()])
    role = forms.ChoiceField(label=_("Peran"), choices=ROLES, initial="operator")
    units = UnitChoices(label=_("Unit (untuk operator dan evaluator)"), required=False,
                        queryset=Unit.objects.none(),
                        widget=forms.SelectMultiple(attrs={"size": 8}))
    password1 = forms.CharField(label=_("Kata sandi"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))
    password2 = forms.CharField(label=_("Ulangi kata sandi"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (units if units is not None
                                         else Unit.objects.select_related("round"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned
