"""Run by test_test_database_teardown.py in its own pytest: a thread reads the database
and ends without closing its connection, as a live server's request threads do."""

import threading

import pytest

from accounts.models import User


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thread_leaves_its_connection_open():
    counted = []
    worker = threading.Thread(target=lambda: counted.append(User.objects.count()))
    worker.start()
    worker.join()
    assert counted == [0]
