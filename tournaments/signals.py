"""Any committed change to the tournament's data invalidates the cached pages.

Model saves and deletes (the admin's included) arrive here; bulk writes in services call
caching.data_changed themselves, since Django sends no signal for them.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from tournaments.caching import data_changed


def _changed(sender, **kwargs) -> None:
    data_changed()


def connect() -> None:
    """Listen to every model of the tournaments app (called once from AppConfig.ready)."""
    for model in apps.get_app_config("tournaments").get_models():
        uid = f"copaperu-cache-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    through = apps.get_model("tournaments", "Region").departments.through
    m2m_changed.connect(_changed, sender=through, dispatch_uid="copaperu-cache-region-departments")
