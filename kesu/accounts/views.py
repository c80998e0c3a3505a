"""Account pages: one's own account and password; for an office admin the accounts of its area (list, new,
.xlsx import, roles, deactivate, reset, unlock, history); for a city/province office a new jurisdiction below.

Views parse input, check access (404 for what lies outside the user's area, 403 for a missing role) and call one
action; the actions check the right again at the moment of writing. Temporary passwords appear in the response
to the POST that made them and nowhere else."""

from __future__ import annotations

import base64

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from kesu.accounts import access, actions
from kesu.accounts.forms import AccountForm, GrantForm, JurisdictionForm, SearchForm, UploadForm, unit_choices
from kesu.accounts.importing import AccountImporter, check_batch, example_row
from kesu.accounts.models import AccountEvent, AccountImport, Profile
from kesu.accounts.signin import MUST_CHANGE_KEY, locked_usernames
from kesu.org.models import Jurisdiction, Membership, MemberUnit
from kesu.plans.exports import content_disposition
from kesu.volunteering.exports import table_workbook, template_workbook
from kesu.volunteering.importing import ImportRefused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 30


# ---------------------------------------------------------------------------- everyone


@login_required
def me(request: HttpRequest) -> HttpResponse:
    roles = Membership.objects.filter(user=request.user).select_related("jurisdiction", "unit").order_by("jurisdiction__path")
    return render(request, "accounts/me.html", {
        "roles": roles, "profile": Profile.objects.filter(user=request.user).first(),
        "manages": bool(access.area_paths(request.user)),
        "creates": access.parents_for_new_jurisdiction(request.user).exists(),
    })


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None, label_suffix="")
    if request.method == "POST" and form.is_valid():
        actions.do_change_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        request.session.pop(MUST_CHANGE_KEY, None)
        messages.success(request, "密码已修改。下次登录请使用新密码。")
        return redirect("home")
    return render(request, "accounts/password.html", {"form": form, "forced": request.session.get(MUST_CHANGE_KEY, False)})


# ---------------------------------------------------------------------------- helpers


def _area(request: HttpRequest) -> QuerySet[Jurisdiction]:
    found = access.area(request.user)
    if not found.exists():
        raise PermissionDenied("只有科协办公室管理员可以管理账号。")
    return found


def _picked(request: HttpRequest, area: QuerySet[Jurisdiction], default_first: bool) -> Jurisdiction | None:
    """?j= (GET or POST) within the area; a jurisdiction outside it is not found (404)."""
    wanted = request.GET.get("j") or request.POST.get("j") or ""
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(area, pk=int(wanted))
    return area.first() if default_first else None


def _target(request: HttpRequest, user_id: int):
    return get_object_or_404(access.visible_accounts(request.user), pk=user_id)


def _nav(request: HttpRequest, tab: str, jurisdiction: Jurisdiction | None = None) -> dict:
    return {"tab": tab, "jurisdiction": jurisdiction,
            "creates": access.parents_for_new_jurisdiction(request.user).exists()}


def _show_passwords(request: HttpRequest, context: dict) -> HttpResponse:
    """The one page that shows temporary passwords: never cached, never stored."""
    response = render(request, "accounts/passwords_shown.html", context)
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------------------- the list


def _filtered(request: HttpRequest, area: QuerySet[Jurisdiction], selected: Jurisdiction | None, form: SearchForm) -> QuerySet:
    users = access.visible_accounts(request.user)
    where = area.filter(pk=selected.pk) if selected else area
    if selected:
        users = users.filter(Q(memberships__jurisdiction=selected) | Q(kesu_profile__jurisdiction=selected))
    if not form.is_valid():
        return users.distinct()
    data = form.cleaned_data
    if data["q"]:
        users = users.filter(Q(username__icontains=data["q"]) | Q(first_name__icontains=data["q"]))
    if data["unit"]:
        users = users.filter(memberships__unit__name__icontains=data["unit"], memberships__jurisdiction__in=where)
    if data["role"]:
        users = users.filter(memberships__role=data["role"], memberships__jurisdiction__in=where)
    state = data["state"]
    if state == "active":
        users = users.filter(is_active=True)
    elif state == "inactive":
        users = users.filter(is_active=False)
    elif state == "must_change":
        users = users.filter(kesu_profile__must_change_password=True)
    elif state == "locked":
        names = list(AccessAttempt.objects.values_list("username", flat=True).distinct())
        users = users.filter(username__in=locked_usernames([n for n in names if n]))
    return users.distinct()


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    selected = _picked(request, area, default_first=False)
    form = SearchForm(request.GET)
    users = _filtered(request, area, selected, form).order_by("username")
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(get_user_model().objects.filter(pk__in=[u.pk for u in page.object_list]).order_by("username").prefetch_related(
        Prefetch("memberships", Membership.objects.filter(jurisdiction__in=area).select_related("jurisdiction", "unit")
                 .order_by("jurisdiction__path")),
    ).select_related("kesu_profile"))
    locked = locked_usernames([u.username for u in rows])
    unit_names: list[str] = []
    without_reporter: list[MemberUnit] = []
    if selected is not None:
        unit_names = unit_choices(selected)
        without_reporter = list(MemberUnit.objects.filter(jurisdiction=selected, stands_for_all=False)
                                .exclude(reporters__role=Membership.Role.UNIT_REPORTER).order_by("name"))
    return render(request, "accounts/manage.html", {
        **_nav(request, "list", selected), "area": area, "selected": selected, "form": form, "page": page,
        "rows": [(u, getattr(u, "kesu_profile", None), u.username in locked) for u in rows],
        "unit_names": unit_names, "without_reporter": without_reporter,
    })


# ---------------------------------------------------------------------------- one account


@login_required
def account(request: HttpRequest, user_id: int) -> HttpResponse:
    area = _area(request)
    target = _target(request, user_id)
    grant_to = _picked(request, area, default_first=False) or access.home_jurisdiction(target)
    if grant_to is None or not area.filter(pk=grant_to.pk).exists():
        grant_to = area.first()
    grant_form = GrantForm(area=area, initial={"jurisdiction": grant_to, "role": Membership.Role.UNIT_REPORTER})
    return _account_page(request, target, area, grant_form, grant_to)


def _account_page(request: HttpRequest, target, area: QuerySet[Jurisdiction], grant_form: GrantForm,
                  grant_to: Jurisdiction, status: int = 200) -> HttpResponse:
    """Roles outside the viewer's area are counted, not shown."""
    memberships = list(Membership.objects.filter(user=target).select_related("jurisdiction", "unit").order_by("jurisdiction__path"))
    in_area = set(area.values_list("pk", flat=True))
    shown = [m for m in memberships if m.jurisdiction_id in in_area]
    return render(request, "accounts/account.html", {
        **_nav(request, "list", None), "target": target, "profile": Profile.objects.filter(user=target).first(),
        "memberships": [(m, access.may_change_roles(request.user, target, m.jurisdiction)) for m in shown],
        "elsewhere": len(memberships) - len(shown),
        "manages": access.manages_account(request.user, target), "locked": bool(locked_usernames([target.username])),
        "grant_form": grant_form, "unit_names": unit_choices(grant_to), "self": target.pk == request.user.pk,
        "history": AccountEvent.objects.filter(target=target).select_related("actor", "jurisdiction")[:100],
    }, status=status)


def _account_action(request: HttpRequest, user_id: int, act, done: str) -> HttpResponse:
    _area(request)
    target = _target(request, user_id)
    try:
        act(request.user, target)
        messages.success(request, done)
    except actions.AccountRefused as refused:
        messages.error(request, str(refused))
    return redirect("accounts-account", user_id=target.pk)


@require_POST
@login_required
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(request, user_id, actions.do_deactivate_account, "账号已停用，该账号不能再登录。")


@require_POST
@login_required
def reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(request, user_id, actions.do_reactivate_account, "账号已启用。")


@require_POST
@login_required
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(request, user_id, actions.do_unlock_account, "已解除登录锁定，该账号可以重新登录。")


@require_POST
@login_required
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    _area(request)
    target = _target(request, user_id)
    password = actions.do_reset_password(request.user, target)
    return _show_passwords(request, {
        **_nav(request, "list"), "title": f"已重置 {target.username} 的密码",
        "accounts": [{"user": target, "password": password, "unit": ""}],
        "back": reverse("accounts-account", args=[target.pk]),
    })


@require_POST
@login_required
def grant(request: HttpRequest, user_id: int) -> HttpResponse:
    area = _area(request)
    target = _target(request, user_id)
    form = GrantForm(request.POST, area=area)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = actions.do_grant_role(request.user, target, data["jurisdiction"], data["role"], data["unit"])
            messages.success(request, f"已授予角色：{membership.jurisdiction.name} {membership.get_role_display()}")
            return redirect("accounts-account", user_id=target.pk)
        except actions.AccountRefused as refused:
            form.add_error(None, str(refused))
    return _account_page(request, target, area, form, form.cleaned_data.get("jurisdiction") or area.first(), status=400)


@require_POST
@login_required
def revoke(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    _area(request)
    target = _target(request, user_id)
    membership = get_object_or_404(Membership.objects.select_related("jurisdiction"), pk=membership_id, user=target)
    actions.do_revoke_role(request.user, membership)
    messages.success(request, f"已撤销角色：{membership.jurisdiction.name} {membership.get_role_display()}")
    return redirect("accounts-account", user_id=target.pk)


# ---------------------------------------------------------------------------- new accounts


@login_required
def new_account(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    jurisdiction = _picked(request, area, default_first=True)
    initial = {"unit": request.GET.get("unit", "")[:100]} if request.GET.get("unit") else {}
    form = AccountForm(request.POST or None, jurisdiction=jurisdiction, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = actions.do_create_account(request.user, jurisdiction, data["username"], data["name"], data["phone"],
                                            data["role"], data["unit"])
            return _show_passwords(request, {
                **_nav(request, "new", jurisdiction), "title": f"已新建账号 {new.user.username}",
                "accounts": [{"user": new.user, "password": new.password, "unit": new.unit.name if new.unit else ""}],
                "back": f'{reverse("accounts-new")}?j={jurisdiction.pk}',
            })
        except actions.AccountRefused as refused:
            form.add_error(None, str(refused))
    return render(request, "accounts/new.html", {
        **_nav(request, "new", jurisdiction), "area": area, "form": form, "unit_names": unit_choices(jurisdiction),
    }, status=400 if form.errors else 200)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    jurisdiction = _picked(request, area, default_first=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = AccountImport.objects.create(jurisdiction=jurisdiction, name=upload.name[:255], data=upload.read(),
                                             uploaded_by=request.user)
        return redirect("accounts-import-review", batch_id=batch.pk)
    return render(request, "accounts/import_upload.html", {
        **_nav(request, "import", jurisdiction), "area": area, "form": form, "spec": AccountImporter.spec,
    })


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    jurisdiction = _picked(request, area, default_first=True)
    spec = AccountImporter.spec
    data = template_workbook(spec.title, [c.header for c in spec.columns], example_row(jurisdiction), spec.notes)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"{jurisdiction.name}填报员账号导入模板.xlsx")
    return response


def _passwords_workbook(jurisdiction: Jurisdiction, created: list[actions.NewAccount]) -> str:
    """The created accounts with their temporary passwords as an .xlsx in a data: address (no copy kept)."""
    header = ["单位", "姓名", "账号", "临时密码"]
    rows = [[n.unit.name if n.unit else "", n.user.first_name, n.user.username, n.password] for n in created]
    data = table_workbook(f"{jurisdiction.name}新建账号", [("临时密码", header, rows, [24, 12, 22, 18])],
                          ["临时密码只在首次登录时使用，登录后须立即修改。请妥善分发，用后销毁本表。"])
    return f"data:{XLSX};base64,{base64.b64encode(data).decode()}"


@login_required
def import_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    area = _area(request)
    batch = get_object_or_404(AccountImport.objects.select_related("jurisdiction"), pk=batch_id, uploaded_by=request.user,
                              jurisdiction__in=area)
    error = ""
    if request.method == "POST":
        try:
            created = actions.do_import_accounts(request.user, batch)
            return _show_passwords(request, {
                **_nav(request, "import", batch.jurisdiction), "title": f"已从“{batch.name}”创建 {len(created)} 个账号",
                "accounts": [{"user": n.user, "password": n.password, "unit": n.unit.name if n.unit else ""} for n in created],
                "download": _passwords_workbook(batch.jurisdiction, created), "back": reverse("accounts-manage") + f"?j={batch.jurisdiction_id}",
            })
        except actions.AccountRefused as refused:
            error = str(refused)
        batch.refresh_from_db()
    checked = None
    if batch.imported_at is None:
        try:
            checked = check_batch(batch)
        except ImportRefused as refused:
            error = str(refused)
    return render(request, "accounts/import_review.html", {
        **_nav(request, "import", batch.jurisdiction), "batch": batch, "checked": checked, "error": error,
        "problem_rows": sorted({p.row for p in checked.problems}) if checked else [],
    }, status=409 if request.method == "POST" else 200)


# ---------------------------------------------------------------------------- history, units, jurisdictions


@login_required
def history(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    selected = _picked(request, area, default_first=False)
    where = Q(jurisdiction=selected) if selected else Q(jurisdiction__in=area)
    if selected is None:  # with events of the area's accounts that name no jurisdiction of it
        where |= Q(target__in=access.visible_accounts(request.user))
    events = AccountEvent.objects.filter(where).select_related("actor", "jurisdiction")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/history.html", {**_nav(request, "history", selected), "area": area,
                                                     "selected": selected, "page": page})


@login_required
def units(request: HttpRequest) -> JsonResponse:
    """The unit picker's options for another jurisdiction of the area."""
    jurisdiction = _picked(request, _area(request), default_first=True)
    return JsonResponse({"jurisdiction": jurisdiction.name, "units": unit_choices(jurisdiction)})


@login_required
def new_jurisdiction(request: HttpRequest) -> HttpResponse:
    parents = access.parents_for_new_jurisdiction(request.user)
    if not parents.exists() and not request.user.is_superuser:
        raise PermissionDenied("只有市级、省级科协办公室管理员可以新建下级地区。")
    form = JurisdictionForm(request.POST or None, parents=parents, allow_top=request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.do_create_jurisdiction(request.user, data["parent"], data["name"], data["admin_username"],
                                                  data["admin_name"], data["admin_phone"])
            return _show_passwords(request, {
                **_nav(request, "jurisdiction", made.jurisdiction),
                "title": f"已新建{made.jurisdiction.name}（{made.jurisdiction.get_level_display()}）",
                "accounts": [{"user": made.admin.user, "password": made.admin.password, "unit": "科协办公室管理员"}],
                "jurisdiction_made": made.jurisdiction, "back": reverse("accounts-jurisdiction-new"),
            })
        except actions.AccountRefused as refused:
            form.add_error(None, str(refused))
    return render(request, "accounts/jurisdiction_new.html", {**_nav(request, "jurisdiction"), "form": form,
                                                              "manages": bool(access.area_paths(request.user))},
                  status=400 if form.errors else 200)
