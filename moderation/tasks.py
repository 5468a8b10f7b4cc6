"""Background tasks of the moderation app (django-tasks, run by ``manage.py db_worker``).

Tasks take plain values and re-read everything when they run."""

from django_tasks import task

from moderation.services import temperature


@task()
def aggregate_temperature(*, hours: int = 3) -> dict[str, int]:
    """The hourly temperature refresh: the last ``hours`` hours of activity, recent
    questions solved, the hottest threads and the heating-up check."""
    return temperature.temperature_refresh(hours=hours)
