"""The admin: a read-mostly window on the tables. Writes belong to the services."""

from django.contrib import admin

from designer.models import Activity, Execution, HistoryEvent, StateMachine, Version


@admin.register(StateMachine)
class StateMachineAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "owner", "type", "updated_at")
    list_filter = ("type",)
    search_fields = ("name",)


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("state_machine", "number", "description", "created_at")
    readonly_fields = ("state_machine", "number", "description", "definition", "created_at")


class HistoryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = HistoryEvent
    fields = ("event_id", "type", "timestamp")
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "state_machine", "status", "started_at", "stopped_at")
    list_filter = ("status",)
    search_fields = ("name", "arn")
    readonly_fields = [f.name for f in Execution._meta.fields]
    inlines = [HistoryInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "owner", "created_at")
