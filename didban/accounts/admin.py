"""Django's admin, for superusers only (national operators). Staff use Didban's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from didban.accounts.models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class DidbanUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Didban", {"fields": ("language", "phone")}))
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit_type", "code", "parent"]
    list_filter = ["kind", "unit_type"]
    search_fields = ["name", "name_en", "code"]
    readonly_fields = ["path", "depth"]
