"""The public service pages (no account): place an order (群众点单), look it up by tracking code, cancel it,
confirm and rate the service, or object to it.

Guarded by per-address limits (kesu.volunteering.throttle) and an arithmetic challenge in the session. The
requester sees the order's progress, the reason of a rejection or cancellation and the team serving it —
never the staff's internal notes, and the contact details only masked.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kesu.domain import dispatch
from kesu.domain.dispatch import Move, MoveRefused, State
from kesu.infra.params import int_param
from kesu.org.models import Jurisdiction
from kesu.volunteering import actions, throttle
from kesu.volunteering.crypto import mask_name, mask_phone
from kesu.volunteering.forms import LookupForm, OrderForm, RatingForm, ReasonForm, topics_for
from kesu.volunteering.models import ServiceOrder


def _too_many(request: HttpRequest, scope: str) -> HttpResponse:
    return render(request, "services/public_limited.html", {"limit": throttle.LIMIT_TEXT[scope]}, status=429)


def public_index(request: HttpRequest) -> HttpResponse:
    """Jurisdictions that take orders: at least one township and one topic."""
    offering = Jurisdiction.objects.annotate(
        townships=Count("service_areas", filter=Q(service_areas__kind="township", service_areas__active=True))
    ).filter(townships__gt=0).order_by("path")
    offering = [j for j in offering if topics_for(j).exists()]
    if len(offering) == 1:
        return redirect("public-service-order", jurisdiction_id=offering[0].pk)
    return render(request, "services/public_index.html", {"jurisdictions": offering, "lookup": LookupForm()})


def public_order(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    digest = throttle.client_digest(request)
    if request.method == "POST":
        if not throttle.hit("order_attempt", digest):
            return _too_many(request, "order_attempt")
        if throttle.blocked("order", digest):
            return _too_many(request, "order")
        form = OrderForm(request.POST, jurisdiction=jurisdiction)
        answered = throttle.check_challenge(request, request.POST.get("answer", ""))
        if form.is_valid() and answered:
            throttle.hit("order", digest)
            order = actions.do_submit_order(form.cleaned_data, client_digest=digest)
            request.session["service_new_code"] = order.code
            return redirect("public-service-status", code=order.code)
        if not answered:
            form.add_error("answer", "验证问题回答不正确，请重新计算下面的新问题。")
        question = throttle.new_challenge(request)
        form.fields["answer"].label = f"验证问题：{question}"
        data = form.data.copy()
        data["answer"] = ""
        form.data = data
        status = 400
    else:
        form = OrderForm(jurisdiction=jurisdiction, question=throttle.new_challenge(request))
        status = 200
    if not form.fields["township"].queryset.exists() or not form.fields["topic"].queryset.exists():
        raise Http404("该地区尚未开通群众点单服务")
    return render(request, "services/public_order.html", {"form": form, "jurisdiction": jurisdiction}, status=status)


def public_track(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = actions.normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("public-service-status", code=code)
        form.add_error("code", "查询码格式不对：形如 KS-XXXX-XXXX-XXX。")
    return render(request, "services/public_track.html", {"form": form})


def _order_by_code(request: HttpRequest, code: str) -> ServiceOrder | HttpResponse:
    digest = throttle.client_digest(request)
    if throttle.blocked("lookup_miss", digest):
        return _too_many(request, "lookup_miss")
    if not throttle.hit("lookup", digest):
        return _too_many(request, "lookup")
    order = ServiceOrder.objects.select_related("township", "village", "topic", "team", "jurisdiction") \
        .filter(code=actions.normalise_code(code)).first()
    if order is None:
        throttle.hit("lookup_miss", digest)
        return render(request, "services/public_track.html", {
            "form": LookupForm(initial={"code": code}), "missing": True}, status=404)
    return order


def public_status(request: HttpRequest, code: str) -> HttpResponse:
    order = _order_by_code(request, code)
    if isinstance(order, HttpResponse):
        return order
    state = State(order.state)
    moves = dispatch.allowed_moves(state, [dispatch.Actor.REQUESTER])
    events = order.events.filter(public=True)
    record = getattr(order, "record", None) if state in (State.SERVED, State.CLOSED) else None
    return render(request, "services/public_status.html", {
        "order": order, "events": events, "record": record, "new": request.session.pop("service_new_code", "") == order.code,
        "can_cancel": Move.CANCEL in moves, "can_confirm": Move.CONFIRM in moves,
        "rating_form": RatingForm(), "reason_form": ReasonForm(),
        "contact_name": mask_name(order.contact_name), "contact_phone": mask_phone(order.contact_phone),
        "steps": _steps(order),
    })


def _steps(order: ServiceOrder) -> list[tuple[str, str]]:
    """The five stages a requester understands, each done / current / pending."""
    stages = [("点单", {State.SUBMITTED}), ("派单", {State.DISPATCHED, State.POOLED, State.CLAIMED}),
              ("接单", {State.ASSIGNED}), ("服务", {State.ACCEPTED}), ("评价", {State.SERVED})]
    state = State(order.state)
    if state in (State.CLOSED,):
        return [(label, "done") for label, _ in stages]
    result, reached = [], True
    for label, states in stages:
        if state in states:
            result.append((label, "current"))
            reached = False
        else:
            result.append((label, "done" if reached else "pending"))
    if state in (State.REJECTED, State.CANCELLED):
        return [(label, "pending") for label, _ in stages]
    return result


@require_POST
def public_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    order = _order_by_code(request, code)
    if isinstance(order, HttpResponse):
        return order
    try:
        if action == "confirm":
            rating = int_param(request.POST, "rating", low=1, high=5)
            actions.do_confirm_order(order, rating, request.POST.get("comment", "")[:500])
            messages.success(request, "感谢您的评价！本次服务已办结。")
        elif action == "cancel":
            actions.do_cancel_order(order, request.POST.get("reason", "")[:500])
            messages.success(request, "服务单已取消。")
        elif action == "dispute":
            actions.do_dispute_order(order, request.POST.get("reason", "")[:500])
            messages.success(request, "已将您的意见转给服务队和科协办公室，服务队会再次与您联系。")
        else:
            raise Http404
    except MoveRefused as error:
        messages.error(request, str(error))
    return redirect("public-service-status", code=order.code)
