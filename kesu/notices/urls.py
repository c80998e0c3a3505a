from django.urls import path

from kesu.notices import views

urlpatterns = [path("notices/", views.notices, name="notices")]
