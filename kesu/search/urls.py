from django.urls import path

from kesu.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
