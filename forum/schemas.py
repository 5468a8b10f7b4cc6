"""What the forum's things look like from outside: the JSON API's responses (reads and
writes alike) and the data of webhook deliveries, one shape for both.

Times are ISO 8601 in UTC; ``url`` fields are the site's own page for the thing (a path:
prefix it with the site's address)."""

from datetime import datetime

from ninja import Schema

from forum.selectors import thread_is_held


def _readable(post, context) -> bool:
    """Whether the caller reads a post's text, as the thread page shows it: a post
    moderators hid is a placeholder for all but moderators and its author."""
    if not post.is_hidden:
        return True
    user = context["request"].user if context else None
    return bool(getattr(user, "is_moderator", False)) or (
        getattr(user, "is_authenticated", False) and post.author_id == user.pk
    )


class Badge(Schema):
    kind: str
    label: str
    title: str


class MemberRef(Schema):
    username: str
    name: str
    badges: list[Badge]
    is_staff: bool
    url: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.public_name

    @staticmethod
    def resolve_is_staff(user) -> bool:
        return user.is_employee

    @staticmethod
    def resolve_url(user) -> str:
        return user.get_absolute_url()


class BoardRef(Schema):
    slug: str
    name: str
    kind: str


class ThreadOut(Schema):
    id: int
    title: str
    board: BoardRef
    author: MemberRef
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    is_pinned: bool
    # Help threads: "open", "answered", "solved", …; "" on other boards.
    state: str
    # Bugs and Ideas: "under_review", "planned", …; "" elsewhere.
    status: str
    status_reason: str
    vote_count: int
    affected_count: int
    accepted_post_id: int | None
    url: str

    # True only for the few who may still open a thread moderators hid (its author,
    # moderators); everyone else gets a 404 for it.
    is_hidden: bool

    @staticmethod
    def resolve_state(thread) -> str:
        # A thread held for review was never published: it waits on no one yet.
        return "" if thread_is_held(thread) else thread.help_state or ""

    @staticmethod
    def resolve_reply_count(thread) -> int:
        # The replies readers see: hidden ones are placeholders at most.
        return thread.shown_reply_count

    @staticmethod
    def resolve_accepted_post_id(thread) -> int | None:
        return None if thread_is_held(thread) else thread.accepted_post_id

    @staticmethod
    def resolve_url(thread) -> str:
        return thread.get_absolute_url()


class PostOut(Schema):
    id: int
    thread_id: int
    position: int
    author: MemberRef
    created_at: datetime
    edited_at: datetime | None
    # Both are null when moderators hid the post and the caller may not read it.
    body: str | None
    body_html: str | None
    is_hidden: bool
    is_held: bool
    is_official_answer: bool
    is_staff_reply: bool
    url: str

    # The guideline rule moderators hid the post under ("G3"); "" when it is not hidden.
    hidden_rule: str

    @staticmethod
    def resolve_body(post, context) -> str | None:
        return post.body if _readable(post, context) else None

    @staticmethod
    def resolve_body_html(post, context) -> str | None:
        return post.body_html if _readable(post, context) else None

    @staticmethod
    def resolve_hidden_rule(post) -> str:
        return post.hidden_rule_code if post.is_hidden and post.held_at is None else ""

    @staticmethod
    def resolve_is_held(post) -> bool:
        return post.held_at is not None

    @staticmethod
    def resolve_is_staff_reply(post) -> bool:
        return post.author.is_employee

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class BoardOut(Schema):
    slug: str
    name: str
    description: str
    kind: str
    is_archived: bool
    thread_count: int
    post_count: int
    last_activity_at: datetime | None = None
    url: str

    @staticmethod
    def resolve_url(board) -> str:
        return board.get_absolute_url()


class AcceptedAnswerOut(Schema):
    id: int
    author: MemberRef
    # Null when moderators hid the reply and the caller may not read it.
    body_html: str | None
    url: str

    @staticmethod
    def resolve_body_html(post, context) -> str | None:
        return post.body_html if _readable(post, context) else None

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class ThreadDetailOut(ThreadOut):
    # Bugs: the thread this one duplicates, when its status is "duplicate".
    duplicate_of_id: int | None
    solved_at: datetime | None
    status_changed_at: datetime | None
    # The accepted answer quoted under the question, as the thread page shows it.
    accepted_answer: AcceptedAnswerOut | None = None


class RecentPostOut(Schema):
    id: int
    thread_id: int
    thread_title: str
    board: BoardRef
    created_at: datetime
    url: str

    @staticmethod
    def resolve_thread_title(post) -> str:
        return post.thread.title

    @staticmethod
    def resolve_board(post):
        return post.thread.board

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()


class MemberOut(MemberRef):
    """What a member's profile page shows everyone; never an address or a setting."""

    bio: str
    joined_at: datetime
    post_count: int
    # Their latest posts readers can see, newest first (the profile's ten).
    recent_posts: list[RecentPostOut]

    @staticmethod
    def resolve_joined_at(user) -> datetime:
        return user.date_joined


class ThreadRef(Schema):
    id: int
    title: str
    board: BoardRef
    url: str

    @staticmethod
    def resolve_url(thread) -> str:
        return thread.get_absolute_url()


class SearchHitOut(Schema):
    post_id: int
    position: int
    thread: ThreadRef
    author: MemberRef
    created_at: datetime
    # An escaped extract of the post with the matched words in <mark>…</mark>.
    snippet_html: str
    url: str


class NoticeThreadOut(Schema):
    id: int
    title: str
    reply_count: int
    url: str

    @staticmethod
    def resolve_reply_count(thread) -> int:
        return thread.shown_reply_count

    @staticmethod
    def resolve_url(thread) -> str:
        return thread.get_absolute_url()


class NoticeOut(Schema):
    id: int
    # "info", "warning" or "outage"; the list is most severe first.
    level: str
    message: str
    message_html: str
    starts_at: datetime
    ends_at: datetime | None
    # Info notices can be dismissed on the site; warnings and outages stay until they end.
    dismissible: bool
    # Where people talk about it.
    thread: NoticeThreadOut | None


class MeOut(Schema):
    # Null for a visitor.
    member: MemberRef | None
    # "visitor", "member", "staff", "moderator" or "admin".
    role: str
    # The token's scope ("read", "write" or "moderate"); null without a token.
    token_scope: str | None
    token_name: str | None
