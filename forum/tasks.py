"""Background tasks (django-tasks, database backend; run by ``manage.py db_worker``).
OWNER: helper B1 (notification emails, digests). Helper D keeps the contact-mail task
in forum/services/contact.py. PLACEHOLDER."""
