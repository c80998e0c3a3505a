"""Sign-in security around django-axes: the client address (KESU_TRUSTED_PROXIES, as the public pages read it),
the Chinese lockout page, which accounts are locked now, and the must-change-password flag of the session.

Lockout rule (settings AXES_*): KESU_LOGIN_FAILURE_LIMIT failed sign-ins for one account (from anywhere), or
from one address (for any accounts), lock that account or that address for KESU_LOGIN_COOLOFF_MINUTES."""

from __future__ import annotations

import datetime as dt
import ipaddress

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kesu.accounts.models import AccountEvent, Profile
from kesu.volunteering.throttle import client_address

MUST_CHANGE_KEY = "kesu_must_change_password"
TOUCHED_KEY = "kesu_touched"  # when the session's expiry was last pushed forward (kesu.accounts.middleware)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, or the address the trusted proxies forwarded; None when that is not
    an IP address (a request built in code, a malformed header), which axes stores as unknown."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def cooloff() -> dt.timedelta:
    return settings.AXES_COOLOFF_TIME


def lockout_message() -> str:
    minutes = int(cooloff().total_seconds() // 60)
    return (f"密码连续输错 {settings.AXES_FAILURE_LIMIT} 次，该账号或您所在的网络地址已被暂时锁定。"
            f"请 {minutes} 分钟后再试，或请本地区科协办公室管理员在“账号管理”中解除锁定。")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, with the lockout explained in Chinese (HTTP 429)."""
    username = (credentials or {}).get("username", "") or ""
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "login.html", {"form": form, "locked": lockout_message(),
                                          "next": request.POST.get("next", "")}, status=429)


def failures_by_username(usernames: list[str]) -> dict[str, int]:
    """Failed sign-ins within the cool-off time, per account name."""
    since = timezone.now() - cooloff()
    rows = (AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
            .values("username").annotate(n=Sum("failures_since_start")))
    return {row["username"]: row["n"] for row in rows}


def locked_usernames(usernames: list[str]) -> set[str]:
    return {name for name, n in failures_by_username(usernames).items() if n >= settings.AXES_FAILURE_LIMIT}


def _logged_in(sender: type, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED_KEY] = int(timezone.now().timestamp())
        if Profile.objects.filter(user_id=user.pk, must_change_password=True).exists():
            request.session[MUST_CHANGE_KEY] = True
        else:
            request.session.pop(MUST_CHANGE_KEY, None)


def _locked_out(sender: object, request: HttpRequest | None = None, username: str | None = None, **kwargs) -> None:
    """History row when an existing account reaches the limit (once per cool-off, not at every later attempt)."""
    from kesu.accounts import events
    from kesu.accounts.access import home_jurisdiction

    if not username:
        return
    user = get_user_model().objects.filter(username=username).first()
    failures = failures_by_username([username]).get(username, 0)
    if user is None or failures < settings.AXES_FAILURE_LIMIT:
        return
    recent = AccountEvent.objects.filter(target=user, created_at__gte=timezone.now() - cooloff())
    if recent.filter(kind=AccountEvent.Kind.LOCKED_OUT).exists() and not recent.filter(kind=AccountEvent.Kind.UNLOCKED).exists():
        return
    events.locked_out(user, home_jurisdiction(user), failures)


def connect_signals() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="kesu-accounts-logged-in")
    user_locked_out.connect(_locked_out, dispatch_uid="kesu-accounts-locked-out")
