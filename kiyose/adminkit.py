"""Pieces every app's admin uses the same way: workflow buttons and transition pages, the mails a record
caused, and the history of its states."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kiyose.models import OutboundMail, TransitionRecord
from kiyose.workflow import STAFF, TransitionError, Workflow, errors_to_form


class TransitionAdminMixin:
    """Adds one button per transition staff may take (change form's object tools) and one page per
    transition: GET shows the transition's form, POST runs the app's service. Set `workflow`, and
    `transition_service` when the app's service does more than `workflow.run` (it takes obj, to, by, data).

    The change form template must extend "admin/kiyose/change_form.html" (the default here)."""

    workflow: Workflow
    transition_service = None
    change_form_template = "admin/kiyose/change_form.html"
    transition_template = "admin/kiyose/transition.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/<slug:target>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_transition",
            ),
        ] + super().get_urls()

    def transition_buttons(self, obj) -> list[tuple[str, str]]:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_transition"
        return [
            (reverse(name, args=[obj.pk, t.target]), self.workflow.button_label(t))
            for t in self.workflow.available(obj, actor=STAFF)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra.setdefault("transition_buttons", self.transition_buttons(obj))
            extra.setdefault("transition_records", list(TransitionRecord.objects.of(obj).select_related("by")))
            extra.setdefault("state_label", self.workflow.label(self.workflow.state_of(obj)))
        return super().change_view(request, object_id, form_url, extra)

    def transition_context(self, request, obj, transition) -> dict:
        """Extra context for one transition's page (e.g. the availability of the preferred dates)."""
        return {}

    def transition_initial(self, obj, transition) -> dict:
        form = transition.form
        return {name: getattr(obj, name) for name in form.base_fields if getattr(obj, name, None) not in (None, "")}

    def transition_view(self, request, object_id, target):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if not self.has_change_permission(request, obj):
            messages.error(request, gettext("この記録を変更する権限がありません。"))
            return redirect(change_url)
        source = self.workflow.state_of(obj)
        transition = self.workflow.find(source, target)
        if transition is None or STAFF not in transition.actors:
            known = target in self.workflow.states.values
            messages.error(
                request,
                gettext("「%(src)s」から「%(dst)s」へは変更できません。")
                % {"src": self.workflow.label(source), "dst": self.workflow.label(target) if known else target},
            )
            return redirect(change_url)
        if request.method == "POST":
            form = self.workflow.form_for(transition, obj, data=request.POST)
            if form.is_valid():
                service = self.transition_service or self.workflow.run
                try:
                    service(obj=obj, to=target, by=request.user, data=request.POST)
                except TransitionError as exc:
                    errors_to_form(form, exc)
                else:
                    messages.success(
                        request, gettext("状態を「%(dst)s」に変更しました。") % {"dst": self.workflow.label(target)}
                    )
                    return redirect(change_url)
        else:
            form = self.workflow.form_for(transition, obj, initial=self.transition_initial(obj, transition))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(obj)s：%(action)s") % {"obj": obj, "action": self.workflow.button_label(transition)},
            "obj": obj,
            "form": form,
            "transition": transition,
            "state_label": self.workflow.label(source),
            "target_label": self.workflow.label(target),
            "opts": self.opts,
            "change_url": change_url,
            **self.transition_context(request, obj, transition),
        }
        return TemplateResponse(request, self.transition_template, context)


class MailInline(GenericTabularInline):
    """The mails a record caused (acknowledgements, notices, reminders), read-only, newest first."""

    model = OutboundMail
    ct_field = "about_type"
    ct_fk_field = "about_id"
    fields = ["created_at", "subject", "state", "sent_at", "attempts"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("送信したメール")
    verbose_name_plural = _("送信したメール")
    ordering = ["-created_at"]

    @admin.display(description=_("状態"))
    def state(self, obj):
        return obj.state_label

    def has_view_permission(self, request, obj=None):
        # Shown only on the parent's change page, which its own permission already guards.
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
