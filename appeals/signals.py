"""Signals other apps listen to, sent inside the service's transaction.

``appeal_changed`` is sent after every event row an appeal service writes (so after every step of the
loop), with ``appeal`` (saved, current) and ``event``. Receivers run in the same transaction: what they
write commits or rolls back with the step. Keep receivers cheap: they run on every step.
"""

from django.dispatch import Signal

appeal_changed = Signal()
