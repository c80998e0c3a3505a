"""Writes of the volunteer registries: teams, volunteers (personal data encrypted), joining a team on the team
admin's approval. Kept apart from the views so that imports and pages share the same rules."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from kesu.domain.refusals import Refused
from kesu.org.models import Jurisdiction
from kesu.volunteering import events
from kesu.volunteering.access import Roles, may_reveal_contact
from kesu.volunteering.crypto import digest, normalise_id, normalise_phone
from kesu.volunteering.exports import volunteers_workbook
from kesu.volunteering.models import BaseReview, ScienceBase, Team, TeamMembership, Volunteer


class RegistryRefused(Refused):
    pass


class RevealRefused(RegistryRefused):
    status = 403


class DuplicateVolunteer(RegistryRefused):
    """The ID or phone number is already registered: the page names that volunteer and links to it (merge there)."""

    def __init__(self, message: str, existing: Volunteer) -> None:
        super().__init__(message)
        self.existing = existing


def duplicate_of(jurisdiction: Jurisdiction, id_number: str, phone: str, exclude: int | None = None) -> tuple[str, Volunteer] | None:
    """The volunteer of `jurisdiction` already registered with this ID number, else with this phone number, and which
    of the two it shares ("身份证号" / "手机号"); None if neither. Compared by keyed digest, never decrypted."""
    others = Volunteer.objects.filter(jurisdiction=jurisdiction).exclude(pk=exclude).order_by("pk")
    for label, field, key in (("身份证号", "id_digest", digest(normalise_id(id_number))),
                              ("手机号", "phone_digest", digest(normalise_phone(phone)))):
        if key:
            existing = others.filter(**{field: key}).first()
            if existing is not None:
                return label, existing
    return None


def duplicate_message(label: str, existing: Volunteer) -> str:
    return (f"{label}与已登记的志愿者“{existing.name}”（{existing.masked_phone}）相同，可能是同一人："
            f"请在现有志愿者的记录中修改（合并到现有志愿者），不要重复登记。")


PERSONAL = ("id_number", "phone")  # the history says that they changed, never what they are
VOLUNTEER_FIELDS = ("name", "gender", "skills", "area", "affiliation", "registered_on", "left_on", "user")
TEAM_FIELDS = ("name", "unit", "area", "in_pool", "founded_on", "dissolved_on", "description")


def _snapshot(item: object, names: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(item, name)) for name in names}


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _user_for(username: str):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise RegistryRefused(f"没有账号“{username}”：请先创建账号再关联。")
    return user


@transaction.atomic
def do_save_volunteer(jurisdiction: Jurisdiction, actor, data: dict, volunteer: Volunteer | None = None) -> Volunteer:
    """Create or update a volunteer; neither the ID number nor the phone number may be registered twice in one
    jurisdiction (DuplicateVolunteer names the volunteer who has it)."""
    old = _snapshot(volunteer, VOLUNTEER_FIELDS) if volunteer else None
    old_personal = {name: getattr(volunteer, name) for name in PERSONAL} if volunteer else {}
    volunteer = volunteer or Volunteer(jurisdiction=jurisdiction, created_by=actor)
    # an edit that leaves a number empty keeps it (the form does not show numbers, see VolunteerForm)
    id_number = data.get("id_number") or (volunteer.id_number if volunteer.pk else "")
    phone = data.get("phone") or (volunteer.phone if volunteer.pk else "")
    duplicate = duplicate_of(volunteer.jurisdiction, id_number, phone, exclude=volunteer.pk)
    if duplicate is not None:
        raise DuplicateVolunteer(duplicate_message(*duplicate), duplicate[1])
    for name in ("name", "gender", "id_number", "phone", "skills", "area", "affiliation", "registered_on", "left_on"):
        if name in PERSONAL and volunteer.pk and not data.get(name):
            continue
        if name in data:
            setattr(volunteer, name, data[name] if data[name] is not None or name in ("area", "left_on") else "")
    if "username" in data:
        user = _user_for(data.get("username", ""))
        if user is not None and Volunteer.objects.filter(user=user).exclude(pk=volunteer.pk).exists():
            raise RegistryRefused(f"账号“{user.username}”已关联其他志愿者。")
        volunteer.user = user
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as error:
        raise RegistryRefused("该身份证号已登记过志愿者。") from error
    if "topics" in data:
        volunteer.topics.set(data["topics"])
    changed_personal = [Volunteer._meta.get_field(name).verbose_name for name in PERSONAL
                        if old_personal.get(name, "") != getattr(volunteer, name)]
    events.record(events.Kind.VOLUNTEER_SAVED, actor, volunteer.jurisdiction, volunteer.name, old=old,
                  new=_snapshot(volunteer, VOLUNTEER_FIELDS), personal_changed=changed_personal)
    return volunteer


@transaction.atomic
def do_reveal_volunteer_contact(volunteer: Volunteer, actor, roles: Roles) -> Volunteer:
    """The office shows one volunteer's full ID and phone numbers once; the history records who and when."""
    if not may_reveal_contact(roles, volunteer):
        raise RevealRefused(f"只有{volunteer.jurisdiction.name}科协办公室可以查看志愿者的完整号码。")
    events.record(events.Kind.CONTACT_REVEALED, actor, volunteer.jurisdiction, volunteer.name, new="身份证号、手机号",
                  volunteer=volunteer.pk)
    return volunteer


@transaction.atomic
def do_export_volunteer_contacts(jurisdiction: Jurisdiction, actor, roles: Roles, volunteers: list[Volunteer],
                                 filters: dict) -> bytes:
    """导出（含完整号码）: the office exports its own volunteers with full ID and phone numbers. The history records
    who, when, how many and with which filters — never the numbers."""
    if not roles.is_office_for(jurisdiction) or any(v.jurisdiction_id != jurisdiction.pk for v in volunteers):
        raise RevealRefused(f"只有{jurisdiction.name}科协办公室可以导出志愿者的完整号码。")
    events.record(events.Kind.CONTACTS_EXPORTED, actor, jurisdiction, "科技志愿者名册", new=len(volunteers), filters=filters)
    return volunteers_workbook([(v, True) for v in volunteers], full=True)


@transaction.atomic
def do_save_team(jurisdiction: Jurisdiction, data: dict, team: Team | None = None, *, actor=None) -> Team:
    old = _snapshot(team, TEAM_FIELDS) if team else None
    team = team or Team(jurisdiction=jurisdiction)
    for name in TEAM_FIELDS:
        if name in data:
            setattr(team, name, data[name])
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:
        raise RegistryRefused(f"已有名为“{data['name']}”的服务队。") from error
    if "topics" in data:
        team.topics.set(data["topics"])
    events.record(events.Kind.TEAM_SAVED, actor, team.jurisdiction, team.name, old=old, new=_snapshot(team, TEAM_FIELDS))
    return team


@transaction.atomic
def do_request_membership(team: Team, volunteer: Volunteer) -> TeamMembership:
    """A volunteer asks to join a team; the team admin decides."""
    if not team.active:
        raise RegistryRefused("该服务队已撤销。")
    membership, created = TeamMembership.objects.get_or_create(team=team, volunteer=volunteer)
    if not created:
        if membership.status in (TeamMembership.Status.PENDING, TeamMembership.Status.ACTIVE):
            raise RegistryRefused("已经申请过或已在队中。")
        membership.status, membership.decided_at, membership.decided_by = TeamMembership.Status.PENDING, None, None
        membership.save(update_fields=["status", "decided_at", "decided_by"])
    events.record(events.Kind.MEMBERSHIP_REQUESTED, volunteer.user, team.jurisdiction, f"{volunteer.name} → {team.name}",
                  new=TeamMembership.Status.PENDING.value)
    return membership


@transaction.atomic
def do_add_member(team: Team, volunteer: Volunteer, actor) -> TeamMembership:
    """The team admin (or the office) adds a volunteer directly: approved at once."""
    membership, _ = TeamMembership.objects.get_or_create(team=team, volunteer=volunteer)
    return do_decide_membership(membership, actor, approve=True)


@transaction.atomic
def do_decide_membership(membership: TeamMembership, actor, approve: bool) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update(of=("self",)).select_related("team__jurisdiction", "volunteer") \
        .get(pk=membership.pk)
    before = membership.status
    today = timezone.localdate()
    if approve:
        membership.status = TeamMembership.Status.ACTIVE
        membership.joined_on = membership.joined_on or today
        membership.left_on = None
    elif membership.status == TeamMembership.Status.ACTIVE:
        membership.status = TeamMembership.Status.LEFT
        membership.left_on = today
    else:
        membership.status = TeamMembership.Status.REJECTED
    membership.decided_at, membership.decided_by = timezone.now(), actor
    membership.save()
    events.record(events.Kind.MEMBERSHIP_DECIDED, actor, membership.team.jurisdiction,
                  f"{membership.volunteer.name} → {membership.team.name}", old=before, new=membership.status)
    return membership


@transaction.atomic
def do_review_base(base: ScienceBase, actor, year: int, outcome: str, note: str = "") -> BaseReview:
    """Record a yearly review; a revocation ends the base's standing from that year (it stops counting)."""
    before = BaseReview.objects.select_for_update().filter(base=base, year=year).values_list("outcome", flat=True).first()
    review, _ = BaseReview.objects.update_or_create(base=base, year=year, defaults={
        "outcome": outcome, "note": note, "reviewed_by": actor})
    events.record(events.Kind.BASE_REVIEWED, actor, base.jurisdiction, f"{base.name} {year}年", old=before, new=outcome,
                  note=note)
    revoked = base.reviews.filter(outcome=BaseReview.Outcome.REVOKED).order_by("year").values_list("year", flat=True).first()
    ScienceBase.objects.filter(pk=base.pk).update(revoked_year=revoked)
    return review
