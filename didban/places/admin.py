from django.contrib import admin

from didban.places.models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name_fa", "name_en", "code"]
    raw_id_fields = ["parent"]
