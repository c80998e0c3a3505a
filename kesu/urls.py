from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "科素 Kesu 管理后台"
admin.site.site_title = "科素 Kesu"

# Chinese error pages (JSON under /api/), kesu/serving/errors.py.
handler400 = "kesu.serving.errors.bad_request"
handler403 = "kesu.serving.errors.permission_denied"
handler404 = "kesu.serving.errors.page_not_found"
handler500 = "kesu.serving.errors.server_error"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("kesu.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("kesu.api.urls")),
    path("tokens/", include("kesu.api.web_urls")),
    path("", include("kesu.plans.urls")),
    path("", include("kesu.tracking.urls")),
    path("", include("kesu.liaisons.urls")),
    path("", include("kesu.meetings.urls")),
    path("", include("kesu.funding.urls")),
    path("", include("kesu.workpoints.urls")),
    path("survey/", include("kesu.survey.urls")),
    path("", include("kesu.volunteering.urls")),
    path("", include("kesu.campaigns.urls")),
    path("", include("kesu.datasets.urls")),
    path("", include("kesu.evaluation.urls")),
    path("", include("kesu.succession.urls")),
    path("", include("kesu.notices.urls")),
    # Browsers ask for /favicon.ico on a page that names no icon: answer with the site's icon, not a 404 in the console.
    path("favicon.ico", RedirectView.as_view(url=static("kesu/favicon.svg"), permanent=True)),
    path("", include("kesu.search.urls")),
]
