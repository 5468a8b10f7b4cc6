"""The community guidelines, each published version, and the admins' editor."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from config.views import CheckedFormView
from moderation import selectors, services
from moderation.forms.guidelines import GuidelinesEditForm
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


class GuidelinesEditView(CheckedFormView):
    """Admins publish a new version: the current one is the starting point, and every
    earlier version stays readable at /guidelines/v<n>/."""

    template_name = "moderation/guidelines_edit.html"
    form_class = GuidelinesEditForm

    def load(self, request, **kwargs) -> None:
        self.current = selectors.guidelines_current()

    def check(self, user) -> None:
        check_edit_guidelines(user)

    def get_form_kwargs(self) -> dict:
        data = self.request.POST if self.request.method == "POST" else None
        return {
            "current": self.current,
            "base": self._base_version(data),
            "history": selectors.guideline_code_history(),
            "user": self.request.user,
        }

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

    def get_context_data(self, **context) -> dict:
        form = context.pop("form")
        return {
            "intro_form": form.intro,
            "formset": form.formset,
            "current": self.current,
            **context,
        }

    def invalid_status(self, form) -> int:
        return 409 if form.stale else 400

    def act(self, form):
        if form.unchanged():
            return None
        return services.guidelines_publish(
            actor=self.request.user, intro=form.intro.cleaned_data["intro"], rules=form.drafts()
        )

    def done(self, version):
        if version is None:
            messages.info(self.request, _("Nothing changed, so no new version was published."))
            return redirect("moderation:guidelines")
        text = _("Version %(number)s is published.") % {"number": version.number}
        if self.current:
            text += " " + _("Version %(number)s stays readable at %(url)s.") % {
                "number": self.current.number,
                "url": self.current.get_absolute_url(),
            }
        messages.success(self.request, text)
        return redirect("moderation:guidelines")
