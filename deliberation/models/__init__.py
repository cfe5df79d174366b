"""Deliberation (协商议事): topics run through a process template's steps, meetings of 1+6+X, votes, tasks."""

from deliberation.models.meeting import Meeting, Participant, Party
from deliberation.models.process import ProcessTemplate, Requirement, StepDefinition
from deliberation.models.topic import (
    Decision,
    Evaluation,
    Feedback,
    ImplementationTask,
    Satisfaction,
    Topic,
    TopicEvent,
    TopicStep,
)
from deliberation.models.vote import Ballot, Vote, VoteOption

__all__ = [
    "Ballot",
    "Decision",
    "Evaluation",
    "Feedback",
    "ImplementationTask",
    "Meeting",
    "Participant",
    "Party",
    "ProcessTemplate",
    "Requirement",
    "Satisfaction",
    "StepDefinition",
    "Topic",
    "TopicEvent",
    "TopicStep",
    "Vote",
    "VoteOption",
]
