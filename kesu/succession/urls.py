from django.urls import path

from kesu.succession import views

urlpatterns = [
    path("plans/<int:plan_id>/succession/", views.succession, name="succession"),
]
