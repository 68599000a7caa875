"""Django's admin (superusers only): the command room's data, read-mostly.

Figures and rollup runs are derived (recomputed by the worker) and audience samples are
measurements, so they are read-only here; targets and schedules are changed on the command
room's own pages, through the actions that audit them.
"""

from django.contrib import admin

from didban.command.models import (
    AudienceSample,
    HourlyFigure,
    Report,
    ReportSchedule,
    RollupRun,
    Target,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HourlyFigure)
class HourlyFigureAdmin(ReadOnlyAdmin):
    list_display = ["bucket_start", "resolution", "org", "metric", "value"]
    list_filter = ["resolution"]
    search_fields = ["metric"]
    date_hierarchy = "bucket_start"
    list_select_related = ["org"]


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "buckets", "figures"]


@admin.register(AudienceSample)
class AudienceSampleAdmin(ReadOnlyAdmin):
    list_display = ["at", "channel_name", "channel_kind", "members", "source", "org"]
    list_filter = ["source", "channel_kind"]
    search_fields = ["channel_name"]
    list_select_related = ["org"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["org", "metric", "value", "starts_on", "ends_on", "created_by"]
    search_fields = ["metric", "note"]
    list_select_related = ["org", "created_by"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdmin):
    list_display = ["org", "period", "enabled", "channel_id", "last_period_end"]
    list_filter = ["period", "enabled"]
    list_select_related = ["org"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["org", "period", "period_start", "format", "size", "sent_to", "send_errors"]
    list_filter = ["period", "format"]
    list_select_related = ["org"]
