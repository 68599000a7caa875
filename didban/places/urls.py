from django.urls import path

from didban.places import views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="place_list"),
    path("pick/", views.place_pick, name="place_pick"),
    path("<int:place_id>/", views.place_detail, name="place_detail"),
]
