from django.apps import AppConfig
from django.db.models.signals import post_migrate


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
