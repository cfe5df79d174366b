"""Who may use the import and export (administrators, community and subdistrict staff), and download names."""

from __future__ import annotations

from django.utils import timezone

from access.models import Role
from access.scope import Scope

SPREADSHEET_ROLES = {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}


def can_use_spreadsheets(scope: Scope) -> bool:
    return scope.is_admin or bool(scope.roles & SPREADSHEET_ROLES)


def download_name(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}.xlsx"
