"""Personal data declared once per model: which fields are personal, for what purpose, kept how long, owned by
which office. The erasure, the export (開示), the register of personal-information files (個人情報ファイル簿),
the access log and the tests all read these declarations, so a field added to a model and not declared fails
the suite, and a declared field is erased everywhere without anyone listing it again.

On a model of ours:

    class Person(models.Model):
        ...
        personal_data = PersonalData(
            file=_("市民人材バンク登録者ファイル"), office=Role.KYODO,
            purpose=_("…"), source=_("本人（ウェブフォーム）"), retention=_("…"),
            personal=["name", "furigana", "email", "phone", "fields", ...],
            other=["status", "registered_at", ...],
        )

A model that holds rows about someone declared elsewhere says whose they are with `belongs_to` (the path to
that model), and is erased with it. A model with no personal data at all says `personal_data = NOT_PERSONAL`.

`office` is the Role (kiyose.portal) that owns the file: its staff see the access log of its records
(kiyose.accesslog) and its contact block answers disclosure requests on /privacy/. Optional: `viewers`
(利用者の範囲; default: the office's staff), `subjects` (記録範囲: whose data it is) and `provided_to`
(経常的提供先; default: none).
"""

from collections.abc import Iterable, Sequence

from django.apps import apps
from django.db import models, transaction
from django.utils.translation import gettext

NOT_PERSONAL = None

# The office of the files no section owns (staff accounts, the mail queue, the access log): the city's
# information-systems side. Not a Role: only superusers (system administrators) see their access log.
SYSTEMS_OFFICE = "情報システム担当課"


class PersonalData:
    def __init__(
        self,
        *,
        personal: Sequence[str],
        other: Sequence[str],
        file: str = "",
        office: str = "",
        purpose: str = "",
        source: str = "",
        retention: str = "",
        viewers: str = "",
        belongs_to: str = "",
        export: Sequence[str] = (),
        subjects: str = "",
        provided_to: str = "",
    ):
        self.personal = tuple(personal)
        self.other = tuple(other)
        self.file = file
        self.office = office
        self.purpose = purpose
        self.source = source
        self.retention = retention
        self.viewers = viewers
        # The path from this model to the subject it belongs to (e.g. "person"); empty for a subject itself.
        self.belongs_to = belongs_to
        # Fields shown in the subject's export beside the personal ones (status, dates…).
        self.export = tuple(export)
        self.subjects = subjects
        self.provided_to = provided_to
        self.model: type[models.Model] | None = None

    def bind(self, model) -> "PersonalData":
        self.model = model
        return self

    # --- reading ----------------------------------------------------------------------------------------
    def personal_fields(self) -> list[models.Field]:
        return [self.model._meta.get_field(name) for name in self.personal]

    def items(self) -> list[str]:
        """The items recorded, as the register prints them (the fields' verbose names)."""
        return [str(f.verbose_name) for f in self.personal_fields()]

    def undeclared(self) -> list[str]:
        """Fields of the model that are neither personal nor other: each is a failing test."""
        declared = set(self.personal) | set(self.other)
        return [f.name for f in concrete_fields(self.model) if f.name not in declared]

    def unknown(self) -> list[str]:
        names = {f.name for f in concrete_fields(self.model)}
        return [n for n in (*self.personal, *self.other, *self.export) if n not in names]

    def values(self, obj) -> list[str]:
        """The personal values of `obj` as text (for scanning mails, logs and sessions at erasure)."""
        found = []
        for f in self.personal_fields():
            if f.many_to_many:
                continue
            value = getattr(obj, f.attname)
            if isinstance(value, str) and value.strip():
                found.append(value.strip())
        return found


def concrete_fields(model) -> list[models.Field]:
    """The fields a declaration must classify: columns and many-to-many, not reverse relations or the pk."""
    return [
        f for f in (*model._meta.concrete_fields, *model._meta.many_to_many) if not f.primary_key and not f.auto_created
    ]


_THIRD_PARTY: dict[str, PersonalData] = {}


def declare(model, declaration: PersonalData | None) -> None:
    """Declare a model we do not own (e.g. the staff accounts of django.contrib.auth)."""
    _THIRD_PARTY[model._meta.label_lower] = declaration.bind(model) if declaration else None


def staff_declarations_register() -> None:
    """The staff accounts (django.contrib.auth) and their second-factor stamps, declared for them (called from
    the kit's AppConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext_lazy as _

    declare(
        get_user_model(),
        PersonalData(
            file=_("職員アカウント"),
            office=SYSTEMS_OFFICE,
            purpose=_("ポータルの管理画面を利用する職員の本人確認、担当業務に応じた権限の管理、操作の記録のため"),
            source=_("システム管理者が登録（氏名・メールアドレスは職員本人の申出による）"),
            retention=_("異動・退職などで利用を終えた後、アクセス記録の保存期間が満了するまで"),
            subjects=_("ポータルの管理画面を利用する清瀬市の職員"),
            viewers=_("システム管理者（職員本人は自分のアカウントを閲覧）"),
            # The password is stored only as a salted hash; it is still the person's and is listed.
            personal=["username", "first_name", "last_name", "email", "password", "last_login"],
            other=["is_superuser", "is_staff", "is_active", "date_joined", "groups", "user_permissions"],
        ),
    )
    if apps.is_installed("kiyose.staff"):
        # A random value renewed on each change of factors: ends old sessions, says nothing about anyone.
        declare(apps.get_model("kiyose_staff", "SecurityStamp"), NOT_PERSONAL)


def declaration_of(model) -> PersonalData | None:
    label = model._meta.label_lower
    if label in _THIRD_PARTY:
        return _THIRD_PARTY[label]
    declaration = model.__dict__.get("personal_data", NOT_PERSONAL)
    return declaration.bind(model) if declaration is not None else None


def has_declaration(model) -> bool:
    return model._meta.label_lower in _THIRD_PARTY or "personal_data" in model.__dict__


def declarations() -> list[PersonalData]:
    found = []
    for model in apps.get_models():
        declaration = declaration_of(model) if has_declaration(model) else None
        if declaration is not None and declaration.personal:
            found.append(declaration)
    return found


def days_label(days: int) -> str:
    """A retention period as the register prints it: 1826 days → 5年, 30 → 30日."""
    years = round(days / 365.25)
    if years >= 1 and abs(years * 365.25 - days) <= 1:
        return gettext("%(n)d年") % {"n": years}
    return gettext("%(n)d日") % {"n": days}


def personal_models() -> list[type[models.Model]]:
    """Every model with at least one personal field (what the access log records)."""
    return [d.model for d in declarations()]


def is_personal(model) -> bool:
    declaration = declaration_of(model) if has_declaration(model) else None
    return declaration is not None and bool(declaration.personal)


def models_of_offices(offices: Iterable[str]) -> list[str]:
    """Labels ("app.model") of the personal models owned by any of `offices` (Role names)."""
    wanted = {str(o) for o in offices}
    return [d.model._meta.label_lower for d in declarations() if str(d.office) in wanted]


def files() -> list[dict]:
    """The register of personal-information files (個人情報ファイル簿): one entry per file — the subject models
    sharing a file name and an office (each area's お問い合わせ記録 is a file of its own office) — with the items
    of the rows that belong to them (belongs_to). Items are the fields' verbose names, in declaration order."""
    all_declarations = declarations()
    declared = {d.model for d in all_declarations}
    # A dependent whose subject declares nothing personal is a file of its own rather than lost.
    subjects = [d for d in all_declarations if not d.belongs_to or _target_model(d) not in declared]
    grouped: dict[tuple[str, str], dict] = {}
    for subject in subjects:
        default_viewers = gettext("%(office)sの職員") % {"office": subject.office}
        key = (str(subject.file or subject.model._meta.verbose_name), str(subject.office))
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = {
                "model": subject.model._meta.label_lower,
                "models": [],
                "file": key[0],
                "purpose": str(subject.purpose),
                "items": [],
                "source": str(subject.source),
                "retention": str(subject.retention),
                "office": key[1],
                "viewers": str(subject.viewers or default_viewers),
                "subjects": str(subject.subjects),
                "provided_to": str(subject.provided_to),
            }
        entry["models"].append(subject.model._meta.label_lower)
        parts = [subject] + [
            d for d in all_declarations if d.belongs_to and d is not subject and _target_model(d) is subject.model
        ]
        for part in parts:
            entry["items"] += [i for i in part.items() if i not in entry["items"]]
    return sorted(grouped.values(), key=lambda r: (r["office"], r["model"]))


def _target_model(declaration: PersonalData):
    model = declaration.model
    for part in declaration.belongs_to.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def dependents_of(model) -> list[PersonalData]:
    return [d for d in declarations() if d.belongs_to and _target_model(d) is model]


# --- erasure ------------------------------------------------------------------------------------------
def _blank(field: models.Field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return 0
    return ""


def _erase_rows(declaration: PersonalData, queryset) -> list[str]:
    """Blank the declared fields of every row in `queryset` and scrub its history; returns the values erased."""
    model = declaration.model
    values: list[str] = []
    rows = list(queryset)
    for row in rows:
        values += declaration.values(row)
    plain = {f.attname: _blank(f) for f in declaration.personal_fields() if not f.many_to_many}
    pks = [row.pk for row in rows]
    if not pks:
        return values
    for f in declaration.personal_fields():
        if isinstance(f, models.FileField):
            for row in rows:
                stored = getattr(row, f.attname)
                if stored:
                    # The attribute is a FieldFile; the storage deletes by name.
                    f.storage.delete(stored.name)
    if plain:
        # A queryset update writes no history row; the old history rows go just below.
        model._default_manager.filter(pk__in=pks).update(**plain)
    for f in declaration.personal_fields():
        if f.many_to_many:
            for row in rows:
                getattr(row, f.name).clear()
    _scrub_history(model, pks, plain, declaration)
    return values


def _scrub_history(model, pks, plain: dict, declaration: PersonalData) -> None:
    """simple-history keeps every version: blank the personal fields there too, and drop the many-to-many
    history rows of erased many-to-many fields (they record which choices the person made)."""
    if not hasattr(model, "history"):
        return
    historical = model.history.model
    id_name = model._meta.pk.attname
    versions = historical._default_manager.filter(**{f"{id_name}__in": pks})
    erased_m2m = {f.name for f in declaration.personal_fields() if f.many_to_many}
    for candidate in apps.get_models():
        if candidate is historical:
            continue
        for f in candidate._meta.fields:
            if f.is_relation and f.related_model is historical and f.name == "history":
                m2m_name = getattr(candidate, "m2m_history_field_name", "") or candidate._meta.object_name
                if not erased_m2m or any(name.lower() in m2m_name.lower() for name in erased_m2m):
                    candidate._default_manager.filter(history__in=versions).delete()
    columns = {f.attname for f in historical._meta.fields}
    kept = {name: value for name, value in plain.items() if name in columns}
    if kept:
        versions.update(**kept)


def personal_erase(*, obj) -> list[str]:
    """Erase `obj`'s personal data and that of every row declared as belonging to it: the fields, their
    history, admin log lines naming it, mails, login-attempt records and sessions quoting the values.
    Returns nothing personal — only the count of traces removed is logged by callers."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from kiyose.mail import mail_forget

    declaration = declaration_of(type(obj))
    if declaration is None:
        raise ValueError(f"{type(obj).__name__} declares no personal data")
    with transaction.atomic():
        values = _erase_rows(declaration, type(obj)._default_manager.filter(pk=obj.pk))
        for dependent in dependents_of(type(obj)):
            qs = dependent.model._default_manager.filter(**{dependent.belongs_to: obj.pk})
            values += _erase_rows(dependent, qs)
        obj.refresh_from_db()
        # Admin log lines name the object as it was and may quote changed values.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).update(object_repr=str(obj)[:200], change_message="[]")
        traces_forget(values=values)
        mail_forget(values=values)
    return values


def traces_forget(*, values: Iterable[str]) -> None:
    """Login attempts typed with the person's e-mail (django-axes) and sessions holding their values."""
    from django.contrib.sessions.models import Session

    needles = [v for v in values if v and len(v) >= 2]
    if not needles:
        return
    if apps.is_installed("axes"):
        for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            model = apps.get_model("axes", name)
            model.objects.filter(username__in=needles).delete()
    doomed = []
    for session in Session.objects.all().iterator():
        # get_decoded() returns {} for a session it cannot read (tampered, other key): nothing to match.
        text = str(session.get_decoded())
        if any(n in text for n in needles):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
