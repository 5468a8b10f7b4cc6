"""Assignment: the team assigns a thread to one of its own and takes it back, and each
keeps a "My threads" page. Members never see any of it: the thread page's assignment
panel and the board's "Assigned to" marks are added per reader, for the team only, and
never stored in a page shared with others."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can
from config.views import CheckedFormView
from forum import ratelimit, selectors
from forum.forms.assignment import ThreadAssignForm
from forum.permissions import check_assign_thread, check_view_assignments
from forum.selectors import assignment as assignment_selectors
from forum.services import assignment as assignment_services

ANCHOR = "#assignment"


def _back(thread) -> HttpResponseRedirect:
    return HttpResponseRedirect(thread.get_absolute_url() + ANCHOR)


class ThreadAssignView(CheckedFormView):
    """The panel on the thread page posts here. A refusal is the 403 page (the form is
    the team's alone); a mistake shows the form again on its own small page."""

    template_name = "forum/thread_assign.html"
    form_class = ThreadAssignForm
    http_method_names = ["post"]
    refusal_shows_form = False

    def load(self, request, *, thread_id: int) -> None:
        self.thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)

    def login_next(self) -> str:
        return self.thread.get_absolute_url()

    def check(self, user) -> None:
        check_assign_thread(user, self.thread)

    def write_context(self):
        return ratelimit.spending()

    def get_form_kwargs(self) -> dict:
        return {"team": assignment_selectors.assignable_users()}

    def get_context_data(self, **context) -> dict:
        return {"thread": self.thread, "board": self.thread.board, "assign_form": context["form"]}

    def act(self, form):
        assignee = form.cleaned_data["assignee"]
        changed = assignment_services.thread_assign(
            thread=self.thread, assignee=assignee, actor=self.request.user
        )
        return assignee, changed

    def done(self, result):
        assignee, changed = result
        if not changed:
            messages.info(
                self.request,
                gettext("The thread already is assigned to %(name)s, so nothing changed.")
                % {"name": assignee.public_name},
            )
        elif assignee.pk == self.request.user.pk:
            messages.success(self.request, gettext("You are now looking after this thread."))
        else:
            messages.success(
                self.request,
                gettext("Assigned to %(name)s; they have been notified.")
                % {"name": assignee.public_name},
            )
        return _back(self.thread)


@require_POST
@ratelimit.spends_budget
def thread_unassign(request, thread_id: int):
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(thread.get_absolute_url())
    check_assign_thread(request.user, thread)
    if assignment_services.thread_unassign(thread=thread, actor=request.user):
        messages.success(request, gettext("Nobody is assigned to this thread now."))
    else:
        messages.info(request, gettext("Nobody was assigned to this thread, so nothing changed."))
    return _back(thread)


@require_GET
def staff_my_threads(request):
    """The threads assigned to the person reading, latest activity first, with their
    state."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_view_assignments(request.user)
    page = assignment_selectors.assigned_threads_page(
        user=request.user, page_number=request.GET.get("page")
    )
    return render(request, "forum/staff_my_threads.html", {"page": page})


def thread_context(request, thread) -> dict:
    """The thread page's assignment panel, for the team alone (two queries: the
    assignment as it is now, and the team for the form); nothing for anyone else."""
    user = request.user
    if not can(check_view_assignments, user):
        return {}
    return {
        "show_assignment": True,
        "assignment": assignment_selectors.thread_assignment(thread_id=thread.pk),
        "can_assign": can(check_assign_thread, user, thread),
        "assign_form": ThreadAssignForm(team=assignment_selectors.assignable_users()),
    }


def assignees_for(request, thread_ids: list[int]) -> dict:
    """Who each listed thread is assigned to, for the team alone ({} for anyone else)."""
    if not can(check_view_assignments, request.user):
        return {}
    return assignment_selectors.assignees_for_threads(thread_ids=thread_ids)
