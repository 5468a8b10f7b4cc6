"""Jobs run at the same moment, as separate worker processes would run them: for tests of
what happens when requests or workers race for the same rows, budget or lock."""

import threading

from django.db import connection


def run_together(*jobs, timeout: float = 30) -> tuple[list, list]:
    """Run each job in its own thread, all released at once by a barrier, each on its own
    database connection (closed when it ends). Returns (results, errors) in job order: a
    job's return value, or the exception it raised, with None in the other list."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a job hung"
    return results, errors
