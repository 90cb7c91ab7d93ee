from django.apps import AppConfig
from django.conf import settings


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Statecraft"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from designer import functions

        # Every process that may run a Task (web for Express, workers for Standard) registers them.
        functions.load_modules(list(settings.STATECRAFT["FUNCTION_MODULES"]))
