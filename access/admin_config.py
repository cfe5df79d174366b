"""django.contrib.admin with the administrator's site (access.admin_site.AdminSite). Kept apart from the site
itself: INSTALLED_APPS imports this module before the models are ready."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "access.admin_site.AdminSite"
