from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig as TasksDbAppConfig


class KiyoseConfig(AppConfig):
    # This module also holds the renamed configs of two third-party apps: say which one is the kit's own.
    default = True
    name = "kiyose"
    verbose_name = _("ポータル共通")

    def ready(self):
        from kiyose.cache import page_cache
        from kiyose.personal import staff_declarations_register
        from kiyose.roles import roles_sync_after_migrate

        page_cache.connect()

        # Groups get their permissions after every migrate, so a new model is covered without a data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="kiyose.roles_sync")
        staff_declarations_register()


class AxesConfig(AxesAppConfig):
    """django-axes as it appears in the admin's menu (it names no app of its own)."""

    verbose_name = _("職員ログインの記録")


class TasksDbConfig(TasksDbAppConfig):
    """The task queue's results in the admin's menu (its own name is a plain English string)."""

    verbose_name = _("バックグラウンド処理")
