from django.urls import path

from notices import views, views_manage

# Mounted at /community/: the public pages need no login; the management pages do.
urlpatterns = [
    path("<str:code>/", views.community_page, name="community-page"),
    path("<str:code>/notices/<int:pk>/", views.notice_page, name="notice-page"),
    # 公示管理, for the community's staff only
    path("<str:code>/manage/", views_manage.notice_manage, name="notice-manage"),
    path("<str:code>/manage/publish/", views_manage.notice_manage_publish, name="notice-manage-publish"),
    path(
        "<str:code>/manage/<int:pk>/withdraw/",
        views_manage.notice_manage_withdraw,
        name="notice-manage-withdraw",
    ),
    path("<str:code>/notices/<int:pk>/objections/", views.objection_new, name="objection-new"),
    path(
        "<str:code>/notices/<int:pk>/objections/<int:objection_id>/answer/",
        views.objection_answer,
        name="objection-answer",
    ),
]
