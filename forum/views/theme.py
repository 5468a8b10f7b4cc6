"""A member's colour scheme: the Appearance settings page and the header's quick control
post here. Served beside the profile pages under the ``accounts`` namespace; visitors'
choice never reaches the server (static/js/theme.js keeps it in localStorage), so their
cached pages stay one copy for everyone."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from accounts.forms import ThemeForm
from accounts.permissions import check_choose_theme
from accounts.services import user_set_theme
from config.views import CheckedFormView


class ThemeEditView(CheckedFormView):
    template_name = "accounts/theme_edit.html"
    form_class = ThemeForm

    def check(self, user) -> None:
        check_choose_theme(user)

    def get_form_kwargs(self) -> dict:
        if self.request.method == "POST":
            return {}
        return {"initial": {"theme": self.request.user.theme}}

    def act(self, form):
        self.next_url = form.cleaned_data["next"]
        return user_set_theme(user=self.request.user, theme=form.cleaned_data["theme"])

    def done(self, result):
        messages.success(self.request, gettext("Your theme is saved."))
        # Only a path on this site: never another host, nor a bare word redirect() would
        # take for a view name.
        if self.next_url.startswith("/") and url_has_allowed_host_and_scheme(
            self.next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return HttpResponseRedirect(self.next_url)
        return redirect("accounts:theme")
