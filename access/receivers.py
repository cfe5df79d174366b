"""API tokens end with the session that made them pointless: logout, a removed role (``access.tokens``)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete
from django.dispatch import receiver

from access.models import RoleAssignment
from access.tokens import tokens_revoke_all


@receiver(user_logged_out, dispatch_uid="access.revoke_tokens_on_logout")
def revoke_on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        tokens_revoke_all(user=user, why="退出登录")


@receiver(post_delete, sender=RoleAssignment, dispatch_uid="access.revoke_tokens_on_role_removed")
def revoke_on_role_removed(sender, instance: RoleAssignment, **kwargs) -> None:
    tokens_revoke_all(user=instance.user, why=f"角色“{instance.get_role_display()}”被移除")
