from django.urls import path

from access import account_views, erasure_views, privacy_views, twofactor_views

urlpatterns = [
    path("twofactor/", twofactor_views.twofactor_settings, name="twofactor-settings"),
    path("twofactor/setup/", twofactor_views.twofactor_setup, name="twofactor-setup"),
    path("twofactor/verify/", twofactor_views.twofactor_verify, name="twofactor-verify"),
    path("twofactor/disable/", twofactor_views.twofactor_disable, name="twofactor-disable"),
    path("twofactor/codes/", twofactor_views.twofactor_codes_renew, name="twofactor-codes"),
    path("privacy/", privacy_views.privacy_notice, name="privacy-notice"),
    path("privacy/consent/", privacy_views.privacy_consent, name="privacy-consent"),
    path("my-data/", privacy_views.my_data, name="my-data"),
    path("my-data/export.<str:fmt>", privacy_views.my_data_export, name="my-data-export"),
    path("my-data/erasure/", privacy_views.erasure_request_new, name="erasure-request-new"),
    path("erasure/", erasure_views.erasure_queue, name="erasure-queue"),
    path("erasure/<int:pk>/", erasure_views.erasure_handle, name="erasure-handle"),
    path("accounts/", account_views.account_security, name="account-security"),
    path("accounts/<int:user_id>/twofactor-reset/", account_views.twofactor_reset, name="twofactor-reset"),
    path("accounts/unlock/", account_views.lockout_clear, name="lockout-clear"),
]
