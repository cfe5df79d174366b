"""Audit rows for what happens outside a service: an account locked out by too many wrong passwords (django-axes),
and a role given, changed or removed by the administrator in the admin (the admin's own log entry says who;
access.services audits the roles it changes itself)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import AuditEvent, record

ADMIN_ACTIONS = {
    ADDITION: ("grant_role", "添加"),
    CHANGE: ("change_role", "修改"),
    DELETION: ("revoke_role", "删除"),
}


@receiver(user_locked_out, dispatch_uid="audit.lockout")
def lockout_recorded(sender, request, username=None, ip_address=None, **kwargs) -> None:
    record(
        actor=None,
        action="lockout",
        summary=f"连续输错密码，已锁定：{username or '（未填用户名）'}，来自 {ip_address or '未知地址'}",
        username=username or "",
        ip_address=ip_address or "",
        path=getattr(request, "path", ""),
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.role_changed_in_admin")
def role_changed_in_admin(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or instance.content_type is None:
        return
    if (instance.content_type.app_label, instance.content_type.model) != ("access", "roleassignment"):
        return
    action, verb = ADMIN_ACTIONS.get(instance.action_flag, ("change_role", "修改"))
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        action=action,
        object_type="access.roleassignment",
        object_id=str(instance.object_id or ""),
        summary=f"后台{verb}角色：{instance.object_repr}"[:300],
        data={"change": instance.get_change_message()},
    )
