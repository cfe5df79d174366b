from django.urls import path

from deliberation import views, views_meetings, views_steps, views_votes

urlpatterns = [
    path("", views.home, name="deliberation-home"),
    path("topics/new/", views.topic_new, name="topic-new"),
    path("topics/propose/", views.topic_propose, name="topic-propose"),
    path("topics/<int:pk>/", views.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/<str:action>/", views_steps.topic_act, name="topic-act"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/<str:action>/", views_meetings.meeting_act, name="meeting-act"),
    path("votes/<int:pk>/", views_votes.vote_detail, name="vote-detail"),
    path("votes/<int:pk>/<str:action>/", views_votes.vote_act, name="vote-act"),
]
