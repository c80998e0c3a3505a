from django.urls import path

from kesu.evaluation import views

urlpatterns = [
    path("plans/<int:plan_id>/evaluation/", views.evaluation, name="evaluation"),
    path("plans/<int:plan_id>/evaluation/text/", views.save_text, name="evaluation-text"),
    path("plans/<int:plan_id>/evaluation/file/<str:kind>/", views.download, name="evaluation-file"),
]
