from django.urls import path

from didban.portal import views

app_name = "portal"

urlpatterns = [
    path("<slug:org_code>/", views.item_list, name="item_list"),
    path("<slug:org_code>/rss/", views.item_feed, name="item_feed"),
    path("<slug:org_code>/<str:news_code>/", views.item_detail, name="item_detail"),
    path("<slug:org_code>/<str:news_code>/print/", views.item_print, name="item_print"),
]
