from django.core.management.base import BaseCommand

from moderation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo accounts, guidelines and threads. Safe to run more than once."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, _display_name, job_title in DEMO_ACCOUNTS[:4]:
            title = f", {job_title}" if job_title else ""
            self.stdout.write(f"  {username:<10} {role.label}{title}")
