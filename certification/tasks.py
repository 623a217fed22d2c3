from django.tasks import task

from certification import services


@task()
def certification_lifecycle_task(today: str | None = None) -> dict[str, int]:
    """The daily run, for a scheduler that enqueues tasks (or cron: `manage.py certification_lifecycle`)."""
    import datetime as dt

    return services.certification_lifecycle(today=dt.date.fromisoformat(today) if today else None)
