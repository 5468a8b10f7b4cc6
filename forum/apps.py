from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from accounts import signals as account_signals


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self):
        # Receivers use the models, which can be imported only once the registry is ready.
        from forum import receivers

        # Sent once per app after every migrate; listening for the forum's own signal
        # writes the copy once, when the forum's tables are there.
        post_migrate.connect(
            receivers.write_status_copy_after_migrate,
            sender=self,
            dispatch_uid="forum.write_status_copy_after_migrate",
        )
        board = self.get_model("Board")
        post_save.connect(receivers.board_saved, sender=board, dispatch_uid="forum.board_saved")
        post_delete.connect(receivers.board_saved, sender=board, dispatch_uid="forum.board_deleted")
        webhook = self.get_model("Webhook")
        post_save.connect(
            receivers.webhook_changed, sender=webhook, dispatch_uid="forum.webhook_saved"
        )
        post_delete.connect(
            receivers.webhook_changed, sender=webhook, dispatch_uid="forum.webhook_deleted"
        )
        m2m_changed.connect(
            receivers.webhook_changed,
            sender=webhook.boards.through,
            dispatch_uid="forum.webhook_boards_changed",
        )
        post_save.connect(
            receivers.member_saved,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="forum.member_saved",
        )
        account_signals.data_export_collect.connect(
            receivers.member_data_export, dispatch_uid="forum.member_data_export"
        )
        account_signals.account_erasing.connect(
            receivers.member_account_erasing, dispatch_uid="forum.member_account_erasing"
        )
