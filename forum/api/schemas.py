"""What the API returns for the forum's things, shared by the read and write operations.

Times are ISO 8601 in UTC; ``url`` fields are the site's own page for the thing (a path:
prefix it with the site's address)."""

from datetime import datetime

from ninja import Schema


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

    @staticmethod
    def resolve_state(thread) -> str:
        return thread.help_state or ""

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

    @staticmethod
    def resolve_is_held(post) -> bool:
        return post.held_at is not None

    @staticmethod
    def resolve_is_staff_reply(post) -> bool:
        return post.author.is_employee

    @staticmethod
    def resolve_url(post) -> str:
        return post.get_absolute_url()
