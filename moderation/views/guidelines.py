from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from forum.forms import apply_service_errors
from moderation import selectors, services
from moderation.forms.guidelines import GuidelinesIntroForm, RuleFormSet
from moderation.models import GuidelineRule
from moderation.permissions import check_edit_guidelines


def guidelines_current(request):
    version = selectors.guidelines_current()
    return _render(request, version, is_current=True)


def guidelines_version(request, number: int):
    version = selectors.guidelines_version(number=number)
    current = selectors.guidelines_current()
    return _render(request, version, is_current=current is not None and current.pk == version.pk)


def _render(request, version, *, is_current: bool):
    return render(
        request,
        "moderation/guidelines.html",
        {
            "version": version,
            "is_current": is_current,
            "versions": selectors.guidelines_versions(),
        },
    )


def _code_history() -> dict[str, tuple[int, str]]:
    """Every code any version has used → (the last version that had it, its title there).
    One query. It belongs in moderation.selectors (owned elsewhere); kept here until then."""
    rows = GuidelineRule.objects.order_by("version__number").values_list(
        "code", "version__number", "title"
    )
    return {code: (number, title) for code, number, title in rows}


class GuidelinesEditView(View):
    """Admins publish a new version: the current one is the starting point, and every
    earlier version stays readable at /guidelines/v<n>/."""

    template_name = "moderation/guidelines_edit.html"

    def dispatch(self, request, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.current = selectors.guidelines_current()
        self.history = _code_history()
        return super().dispatch(request, **kwargs)

    def _forms(self, data=None):
        base = self._base_version(data)
        rules = list(base.rules.all()) if base else []
        intro = GuidelinesIntroForm(
            data,
            initial={
                "intro": base.intro if base else "",
                "based_on": base.number if base else None,
            },
        )
        formset = RuleFormSet(
            data,
            prefix="rules",
            history=self.history,
            initial=[{"code": r.code, "title": r.title, "text": r.body} for r in rules],
        )
        return intro, formset

    def _base_version(self, data):
        """The version the admin started from: rows are matched against it, so a version
        published meanwhile cannot shift which row is which rule."""
        if data is None or self.current is None:
            return self.current
        try:
            number = int(data.get("based_on") or 0)
        except ValueError:
            return self.current
        if number == self.current.number:
            return self.current
        try:
            return selectors.guidelines_version(number=number)
        except Http404:
            return self.current

    def _render(self, request, intro, formset, status=200, reason=""):
        context = {
            "intro_form": intro,
            "formset": formset,
            "current": self.current,
            "denied_reason": reason,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        check_edit_guidelines(request.user)
        intro, formset = self._forms()
        return self._render(request, intro, formset)

    def post(self, request):
        intro, formset = self._forms(request.POST)
        try:
            check_edit_guidelines(request.user)
        except PermissionDenied as exc:
            return self._render(request, intro, formset, status=403, reason=str(exc))
        # Checked before the rows, so a second admin's edit is never silently replaced.
        if intro.is_valid() and not self._based_on_current(intro, request.user):
            return self._render(request, intro, formset, status=409)
        if intro.is_valid() & formset.is_valid():
            drafts = [
                services.RuleDraft(
                    form.cleaned_data["code"], form.cleaned_data["title"], form.cleaned_data["text"]
                )
                for form in formset.kept_forms()
            ]
            if self._unchanged(intro.cleaned_data["intro"], drafts):
                messages.info(request, "Nothing changed, so no new version was published.")
                return redirect("moderation:guidelines")
            try:
                version = services.guidelines_publish(
                    actor=request.user, intro=intro.cleaned_data["intro"], rules=drafts
                )
            except ValidationError as exc:
                apply_service_errors(intro, exc)
            else:
                kept = (
                    f" Version {self.current.number} stays readable at "
                    f"{self.current.get_absolute_url()}."
                    if self.current
                    else ""
                )
                messages.success(request, f"Version {version.number} is published.{kept}")
                return redirect("moderation:guidelines")
        return self._render(request, intro, formset, status=400)

    def _based_on_current(self, intro, user) -> bool:
        based_on = intro.cleaned_data.get("based_on")
        current_number = self.current.number if self.current else None
        if based_on == current_number:
            return True
        published_by = self.current.published_by if self.current else None
        if published_by is not None and published_by.pk == user.pk:
            who = "You"
            hint = " (the form may have been sent twice)"
        else:
            who = published_by.public_name if published_by else "Another admin"
            hint = " while you were editing"
        intro.add_error(
            None,
            f"{who} published version {current_number}{hint}, so nothing more was published. "
            "Your text is still below: copy what you need, then open the editor again to "
            "start from the newest version.",
        )
        return False

    def _unchanged(self, intro: str, drafts) -> bool:
        if self.current is None:
            return False
        before = [(r.code, r.title, r.body) for r in self.current.rules.all()]
        after = [(d.code, d.title.strip(), d.body.strip()) for d in drafts]
        return intro.strip() == self.current.intro.strip() and before == after
