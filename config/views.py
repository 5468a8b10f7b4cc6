"""The one outline every write view follows, written once:

    look up → (visitor? sign in) → check → form → act (the service) → redirect
                                      │              │
                                      403 + reason   400 + field errors, text kept

A subclass names its template and form and fills in three methods: ``check`` (the one
permission check for the action, raising PermissionDenied with a human reason), ``act``
(calls the service with the cleaned data; a ValidationError it raises lands beside the
field it names) and ``done`` (the message and the redirect). Objects the URL names are
looked up in ``load`` before anything else, so a missing and a forbidden thing give the
same 404 and a visitor is only asked to sign in for something that exists."""

import contextlib

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views import View

from config.forms import apply_service_errors


class CheckedFormView(View):
    template_name = ""
    form_class = None
    # Service argument → form field, for errors a service names by its own argument.
    error_field_map: dict[str, str] = {}
    # Visitors are sent to sign in and brought back here afterwards.
    login_required = True
    # A refused GET is the site's 403 page; a view whose page still means something
    # without its form (which post, which action) shows the reason in place of the form.
    refusal_in_page = False
    # A refused POST shows the form again with the reason, the text kept; a form that is
    # not the person's to fill in at all (staff-only) refuses with the site's 403 page.
    refusal_shows_form = True

    def load(self, request, **kwargs) -> None:
        """Fetch what the URL names (404 alike for missing and forbidden)."""

    def check(self, user) -> None:
        raise NotImplementedError

    def act(self, form):
        raise NotImplementedError

    def done(self, result):
        raise NotImplementedError

    def get_form_kwargs(self) -> dict:
        return {}

    def get_context_data(self, **context) -> dict:
        return context

    def write_context(self):
        """Wraps the whole POST (check and service): a write view that spends a rate
        budget returns the budget's context here."""
        return contextlib.nullcontext()

    def before_validation(self, form):
        """Called once the check allowed the POST, before the form is validated: a
        response returned here ends the POST (e.g. a honeypot answered as if sent)."""
        return None

    def refusal_status(self, exc: PermissionDenied) -> int:
        return getattr(exc, "status", 403)

    def invalid_status(self, form) -> int:
        """The status of a form sent back with errors (a view may say 409 when the thing
        changed under the person meanwhile)."""
        return 400

    def login_next(self) -> str:
        """Where a visitor comes back to after signing in."""
        return self.request.get_full_path()

    def dispatch(self, request, *args, **kwargs):
        self.load(request, **kwargs)
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_login(self.login_next())
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, *, status: int = 200, reason: str = ""):
        context = self.get_context_data(form=form, denied_reason=reason)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        # A refusal on GET is the site's 403 page, with the reason.
        if self.refusal_in_page:
            try:
                self.check(request.user)
            except PermissionDenied as exc:
                return self.render_form(None, status=self.refusal_status(exc), reason=str(exc))
        else:
            self.check(request.user)
        return self.render_form(self.form_class(**self.get_form_kwargs()))

    def post(self, request, *args, **kwargs):
        with self.write_context():
            form = self.form_class(request.POST, request.FILES or None, **self.get_form_kwargs())
            try:
                self.check(request.user)
            except PermissionDenied as exc:
                if not self.refusal_shows_form:
                    raise
                return self.render_form(form, status=self.refusal_status(exc), reason=str(exc))
            early = self.before_validation(form)
            if early is not None:
                return early
            if form.is_valid():
                try:
                    result = self.act(form)
                except ValidationError as exc:
                    apply_service_errors(form, exc, field_map=self.error_field_map)
                else:
                    return self.done(result)
            return self.render_form(form, status=self.invalid_status(form))
