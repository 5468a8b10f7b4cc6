"""Editing the guidelines as a new version: the introduction and the rules as a formset.

Codes stay stable. An existing rule keeps its code (its input is read-only and the code is
checked again on submit); a rule can be removed, which retires its code; a new rule gets a
code that no version has ever used. So "G3" in any moderation action, old or new, always
means the rule that was G3 when the action was taken — never a different rule that
inherited the number later. Rewording an existing rule is allowed: it keeps its code.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.formatting import grouped
from moderation.services import RULE_CODE, RuleDraft  # RULE_CODE: the one definition of a code

TITLE_MAX = 120  # GuidelineRule.title
INTRO_MAX = 20_000


def next_free_code(used) -> str:
    numbers = [int(code[1:]) for code in used if RULE_CODE.match(code)]
    return f"G{max(numbers, default=0) + 1}"


class GuidelinesIntroForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Shown above the rules."),
    )
    # The version this edit started from, so two admins editing at once cannot
    # silently overwrite each other's changes.
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_intro(self):
        intro = self.cleaned_data["intro"]
        if len(intro) > INTRO_MAX:
            raise forms.ValidationError(
                gettext("Keep the introduction under %(max)s characters (this one has %(count)s).")
                % {"max": grouped(INTRO_MAX), "count": grouped(len(intro))}
            )
        return intro


class RuleForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("Never used before."),
        error_messages={"required": _("Give the rule a code, e.g. G7.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 6}),
    )
    title = forms.CharField(
        label=_("Title"),
        error_messages={"required": _("Give the rule a short title, e.g. “Be kind”.")},
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown works. Explain the rule in plain words."),
        error_messages={"required": _("Explain the rule in a sentence or two.")},
    )

    def __init__(self, *args, existing_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_code = existing_code
        if existing_code:
            self.fields["code"].widget.attrs["readonly"] = True
            self.fields["code"].help_text = gettext("Kept, so past actions stay true.")

    def has_changed(self):
        """A blank row counts only once it has a title or a text: its suggested code alone,
        kept or cleared, adds nothing."""
        if self.existing_code or not self.is_bound:
            return super().has_changed()
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in ("title", "text")
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if self.existing_code and code != self.existing_code:
            raise forms.ValidationError(
                gettext(
                    "An existing rule keeps its code (%(code)s). To retire it, tick “Remove this "
                    "rule”; to add a rule, use an empty row at the end."
                )
                % {"code": self.existing_code}
            )
        if not RULE_CODE.match(code):
            raise forms.ValidationError(
                gettext("Codes look like G1, G2…: the letter G and a number from 1 to 999.")
            )
        return code

    def clean_title(self):
        title = self.cleaned_data["title"]
        if len(title) > TITLE_MAX:
            raise forms.ValidationError(
                gettext("Keep the title under %(max)s characters (this one has %(count)s).")
                % {"max": TITLE_MAX, "count": len(title)}
            )
        return title


class BaseRuleFormSet(forms.BaseFormSet):
    """Rows prefilled from the version being edited, then blank rows for new rules.

    ``history`` maps every code any version has used to (last version number, title)."""

    def __init__(self, *args, history: dict[str, tuple[int, str]], **kwargs):
        self.history = history
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:
            return kwargs
        existing = self.initial_form_count()
        if index < existing and index < len(self.initial or ()):
            kwargs["existing_code"] = self.initial[index]["code"]
        elif index >= existing:
            # Blank rows suggest the next unused codes; a row only counts once the admin
            # types into it (an unchanged extra row is skipped).
            used = [*self.history, *(row["code"] for row in self.initial or ())]
            number = int(next_free_code(used)[1:]) + index - existing
            kwargs["initial"] = {"code": f"G{number}"}
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext(
                "Remove this rule (its code is retired, never reused)"
            )

    def kept_forms(self):
        """The rows that will be published, in order: not removed, not left blank."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.existing_code or form.has_changed())
        ]

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        if not kept:
            raise forms.ValidationError(
                gettext("Guidelines need at least one rule. Keep a rule or fill in an empty row.")
            )
        seen: dict[str, int] = {}
        suggestion = next_free_code([*self.history, *(form.cleaned_data["code"] for form in kept)])
        for row, form in enumerate(kept, start=1):
            code = form.cleaned_data["code"]
            if code in seen:
                form.add_error(
                    "code",
                    gettext(
                        "%(code)s is already used by rule %(row)s above: each code names one "
                        "rule. Use %(suggestion)s."
                    )
                    % {"code": code, "row": seen[code], "suggestion": suggestion},
                )
                continue
            seen[code] = row
            if not form.existing_code and code in self.history:
                number, title = self.history[code]
                form.add_error(
                    "code",
                    gettext(
                        "%(code)s already named “%(title)s” (version %(number)s). A code is never "
                        "reused for a different rule, so actions that cite it keep their "
                        "meaning. Use %(suggestion)s."
                    )
                    % {"code": code, "title": title, "number": number, "suggestion": suggestion},
                )


RuleFormSet = forms.formset_factory(
    RuleForm,
    formset=BaseRuleFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    max_num=200,
    validate_max=True,
)


class GuidelinesEditForm:
    """The introduction and the rules, edited as one form: valid when both are, with a
    service's errors shown above the introduction. ``stale`` says another version was
    published since the editor opened (checked before the rows, so a second admin's edit
    is never silently replaced)."""

    def __init__(self, data=None, files=None, *, current, base, history, user):
        self.current, self.user, self.stale = current, user, False
        rules = list(base.rules.all()) if base else []
        self.intro = GuidelinesIntroForm(
            data,
            initial={
                "intro": base.intro if base else "",
                "based_on": base.number if base else None,
            },
        )
        self.formset = RuleFormSet(
            data,
            prefix="rules",
            history=history,
            initial=[{"code": r.code, "title": r.title, "text": r.body} for r in rules],
        )
        self.fields = self.intro.fields

    def __getitem__(self, name):
        return self.intro[name]

    def add_error(self, field, error):
        self.intro.add_error(field, error)

    def is_valid(self) -> bool:
        if self.intro.is_valid() and not self._based_on_current():
            self.stale = True
            return False
        return self.intro.is_valid() & self.formset.is_valid()

    def drafts(self) -> list[RuleDraft]:
        return [
            RuleDraft(
                form.cleaned_data["code"], form.cleaned_data["title"], form.cleaned_data["text"]
            )
            for form in self.formset.kept_forms()
        ]

    def unchanged(self) -> bool:
        if self.current is None:
            return False
        before = [(r.code, r.title, r.body) for r in self.current.rules.all()]
        after = [(d.code, d.title.strip(), d.body.strip()) for d in self.drafts()]
        intro = self.intro.cleaned_data["intro"]
        return intro.strip() == self.current.intro.strip() and before == after

    def _based_on_current(self) -> bool:
        based_on = self.intro.cleaned_data.get("based_on")
        current_number = self.current.number if self.current else None
        if based_on == current_number:
            return True
        published_by = self.current.published_by if self.current else None
        if published_by is not None and published_by.pk == self.user.pk:
            message = gettext(
                "You published version %(number)s (the form may have been sent twice), so "
                "nothing more was published. Your text is still below: copy what you need, "
                "then open the editor again to start from the newest version."
            )
        elif published_by is not None:
            message = gettext(
                "%(name)s published version %(number)s while you were editing, so nothing more "
                "was published. Your text is still below: copy what you need, then open the "
                "editor again to start from the newest version."
            )
        else:
            message = gettext(
                "Another admin published version %(number)s while you were editing, so nothing "
                "more was published. Your text is still below: copy what you need, then open "
                "the editor again to start from the newest version."
            )
        name = published_by.public_name if published_by else ""
        self.intro.add_error(None, message % {"name": name, "number": current_number})
        return False
