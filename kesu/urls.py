from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "科素 Kesu 管理后台"
admin.site.site_title = "科素 Kesu"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("kesu.api.urls")),
    path("", include("kesu.plans.urls")),
    path("", include("kesu.tracking.urls")),
    path("survey/", include("kesu.survey.urls")),
    path("", include("kesu.services.urls")),
]
