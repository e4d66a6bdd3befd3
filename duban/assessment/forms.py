from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.assessment.choices import Method
from duban.assessment.models import Indicator, Report, Scheme
from duban.core.forms import StyledFormMixin, VersionedModelForm
from duban.lib import scoring


class SchemeForm(StyledFormMixin, VersionedModelForm):
    class Meta:
        model = Scheme
        fields = [
            "year",
            "name",
            "assessor",
            "units",
            "total_points",
            "excellent_percent",
            "good_percent",
            "pass_percent",
            "lagging_percent",
            "lagging_rank_fraction",
            "status",
            "note",
        ]
        widgets = {
            "units": forms.SelectMultiple(attrs={"size": 10}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class IndicatorForm(StyledFormMixin, VersionedModelForm):
    """The indicator and its method's parameters, one field per parameter of the chosen method."""

    class Meta:
        model = Indicator
        fields = [
            "scheme",
            "parent",
            "code",
            "name",
            "points",
            "method",
            "target",
            "unit_of_measure",
            "direction",
            "value_kind",
            "rule_text",
            "assessor_department",
            "responsible_leader",
            "lead_section",
            "cooperating_sections",
            "responsible_person",
            "is_bonus",
            "sort_order",
        ]
        widgets = {"rule_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        method = self.data.get("method") if self.is_bound else self.instance.method
        self.method = method if method in scoring.METHODS else ""
        self.fields["method"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-trigger": "change",
                "hx-select": "#param-fields",
                "hx-target": "#param-fields",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
            }
        )
        current = self.instance.params or {}
        self.param_names = []
        for spec in scoring.PARAMS.get(self.method, []):
            name = f"param_{spec.name}"
            self.param_names.append(name)
            choices = scoring.PARAM_CHOICES.get(spec.name)
            if choices:
                field = forms.ChoiceField(
                    label=spec.label, choices=list(choices.items()), required=spec.required
                )
            elif spec.name == "gate_last":
                field = forms.BooleanField(label=spec.label, required=False)
            else:
                field = forms.DecimalField(
                    label=spec.label, required=spec.required, max_digits=12, decimal_places=4
                )
            default = current.get(spec.name, spec.default)
            if default is not None:
                field.initial = default
            self.fields[name] = field
        from duban.core.forms import style_fields

        style_fields(self.fields[n] for n in self.param_names)

    def param_fields(self):
        return [self[name] for name in self.param_names]

    def clean(self):
        cleaned = super().clean()
        params = {}
        for spec in scoring.PARAMS.get(self.method, []):
            value = cleaned.get(f"param_{spec.name}")
            if value in (None, ""):
                continue
            params[spec.name] = str(value) if isinstance(value, Decimal) else value
        self.instance.params = params
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Model.clean() reports parameter problems under "params"; show them at the parameter.
        errors = self.errors.get("params")
        if errors and self.param_names:
            self.add_error(self.param_names[0], errors)


class ReportForm(StyledFormMixin, VersionedModelForm):
    """A period's report: the actual value, the method's other inputs, the narrative and evidence."""

    events = forms.IntegerField(label=_("Number of events"), min_value=0, required=False)
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: due date, then the date done if done, e.g. 2026-06-30 2026-06-28"
        ),
    )
    peers = forms.CharField(
        label=_("Values of the other units"),
        required=False,
        help_text=_("Numbers separated by commas or spaces, as the assessor published them."),
    )
    items = forms.CharField(
        label=_("Recognised items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the points, then what it was for, e.g. 1 省级表彰"),
    )
    triggered = forms.BooleanField(label=_("The veto was triggered"), required=False)

    class Meta:
        model = Report
        fields = ["actual", "narrative", "problems", "next_steps", "documents"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.SelectMultiple(attrs={"size": 6}),
        }

    EXTRA_FIELDS = {
        Method.DEDUCT_PER_EVENT: ["events"],
        Method.MILESTONE_DEDUCTION: ["milestones"],
        Method.RANKING_PROPORTIONAL: ["peers"],
        Method.BONUS_CAPPED: ["items"],
        Method.VETO: ["triggered"],
    }

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        wanted = set(self.EXTRA_FIELDS.get(indicator.method, []))
        for name in ("events", "milestones", "peers", "items", "triggered"):
            if name not in wanted:
                del self.fields[name]
        if indicator.method not in (
            Method.COMPLETION_LINEAR,
            Method.BINARY,
            Method.RANKING_PROPORTIONAL,
        ):
            del self.fields["actual"]
        else:
            self.fields["actual"].label = _("Actual value (%(u)s)") % {
                "u": indicator.unit_of_measure or "—"
            }
        extras = self.instance.extras if isinstance(self.instance.extras, dict) else {}
        if "events" in self.fields:
            self.fields["events"].initial = extras.get("events")
        if "milestones" in self.fields:
            self.fields["milestones"].initial = "\n".join(
                f"{m.get('due', '')} {m.get('done') or ''}".strip()
                for m in extras.get("milestones", [])
            )
        if "peers" in self.fields:
            self.fields["peers"].initial = " ".join(str(p) for p in extras.get("peers", []))
        if "items" in self.fields:
            names = extras.get("item_names", [])
            self.fields["items"].initial = "\n".join(
                f"{p} {names[i] if i < len(names) else ''}".strip()
                for i, p in enumerate(extras.get("items", []))
            )
        if "triggered" in self.fields:
            self.fields["triggered"].initial = bool(extras.get("triggered"))

    def clean_milestones(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            parts = line.replace(",", " ").replace("，", " ").split()
            if not parts:
                continue
            try:
                due = dt.date.fromisoformat(parts[0])
                done = dt.date.fromisoformat(parts[1]) if len(parts) > 1 else None
            except ValueError as error:
                raise forms.ValidationError(
                    _("Line %(n)d: write dates as YYYY-MM-DD.") % {"n": number}
                ) from error
            rows.append({"due": due.isoformat(), "done": done.isoformat() if done else None})
        return rows

    def clean_peers(self):
        values = []
        for token in self.cleaned_data["peers"].replace(",", " ").replace("，", " ").split():
            try:
                values.append(str(Decimal(token)))
            except InvalidOperation as error:
                raise forms.ValidationError(_("“%(v)s” is not a number.") % {"v": token}) from error
        return values

    def clean_items(self):
        points, names = [], []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            parts = line.split(maxsplit=1)
            if not parts:
                continue
            try:
                points.append(str(Decimal(parts[0])))
            except InvalidOperation as error:
                raise forms.ValidationError(
                    _("Line %(n)d: start with the points, e.g. 1 省级表彰.") % {"n": number}
                ) from error
            names.append(parts[1] if len(parts) > 1 else "")
        return {"items": points, "item_names": names}

    def clean(self):
        cleaned = super().clean()
        extras = {}
        if "events" in self.fields and cleaned.get("events") is not None:
            extras["events"] = cleaned["events"]
        if "milestones" in self.fields and "milestones" in cleaned:
            extras["milestones"] = cleaned["milestones"]
        if "peers" in self.fields and "peers" in cleaned:
            extras["peers"] = cleaned["peers"]
        if "items" in self.fields and "items" in cleaned:
            extras.update(cleaned["items"])
        if "triggered" in self.fields:
            extras["triggered"] = bool(cleaned.get("triggered"))
        self.instance.extras = extras
        if not self.errors:
            self._check_with_engine(extras, cleaned.get("actual"))
        return cleaned

    def _check_with_engine(self, extras: dict, actual) -> None:
        """The same checks as 评分试算: a value the engine refuses is refused here, at its field."""
        from duban.assessment.scoreboard import scoring_extras

        as_of = self.instance.period.end if self.instance.period_id else None
        problems = scoring.validate_inputs(
            self.indicator.method, scoring_extras(extras, as_of), actual
        )
        for key, message in problems.items():
            field = key.split("[", 1)[0].split(".", 1)[0]
            self.add_error(field if field in self.fields else None, message)


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ScorePreviewForm(StyledFormMixin, forms.Form):
    """评分试算: 'if we reach X, what do we get?' — the indicator's own method and parameters."""

    actual = forms.DecimalField(
        label=_("If the actual value is"), required=False, max_digits=16, decimal_places=4
    )
    events = forms.IntegerField(label=_("If the number of events is"), required=False, min_value=0)
