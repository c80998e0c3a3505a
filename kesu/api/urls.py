from django.urls import path

from kesu.api.api import api

urlpatterns = [path("", api.urls)]
