from django.urls import path

from didban.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("new/", views.organization_create, name="organization_create"),
    path("<int:org_id>/", views.organization_detail, name="organization_detail"),
    path("<int:org_id>/edit/", views.organization_edit, name="organization_edit"),
    path("people/", views.user_list, name="user_list"),
    path("people/new/", views.user_create, name="user_create"),
    path("people/<int:user_id>/", views.user_detail, name="user_detail"),
    path("people/<int:user_id>/edit/", views.user_edit, name="user_edit"),
    path("people/<int:user_id>/memberships/new/", views.membership_add, name="membership_add"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("me/tokens/", views.my_tokens, name="my_tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/password/", views.password_change, name="password_change"),
]
