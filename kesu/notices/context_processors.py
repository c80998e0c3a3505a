from django.http import HttpRequest

from kesu.notices.models import Notice


def unread_notices(request: HttpRequest) -> dict:
    """The count in the top bar's 提醒 link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": Notice.objects.filter(user=user, read_at__isnull=True).count()}
