"""Load the demo district (青山区) once, deterministically, and only in demo mode.

``load_demo_district()`` builds everything in one transaction (the tree, units, party orgs, roles and logins
through the service functions, the flats and residents in bulk), so either the whole district is there,
with its audit trail, or nothing is. A second call finds the district by its code and returns at once.

Later demo data (appeals, needs and offers, deliberations …) is added by the app that owns it: append the
dotted path of its loader to ``DEMO_STEPS``. ``manage.py load_demo`` calls each step after the district, on
every run, as ``step(district, stdout=stdout)`` with the ``DemoDistrict``; a step must therefore be
idempotent itself (check ``district.created`` or look for its own rows).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import TextIOBase

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

from areas.models import Area
from demo.categories import ensure_categories
from demo.district import DISTRICT_CODE, build_area_tree
from demo.logins import LoginRow, create_logins, login_rows
from demo.names import NameMaker
from demo.people import add_residents
from demo.units import build_units

SEED = 20231208  # the date of the 中心路街道 bulletin in the seeds; any fixed number would do

# Dotted paths of further loaders, run in this order after the district, e.g. "appeals.demo.load_demo_appeals".
DEMO_STEPS: list[str] = [
    "demo.calendar.ensure_demo_calendar",  # first: every later step's deadlines count working days
    "needs.demo.load_demo_needs",
    "projects.demo.load_demo_projects",
    "appeals.demo.load_demo_appeals",
    "triage.demo.load_demo_triage",  # the routing rules a real district has (the appeals above follow them)
    "evaluation.demo.load_demo_figures",
]
DEMO_STEPS += ["deliberation.demo.load_demo_deliberation"]
# The community-life, structure and mediation ledgers; structure first, as the others name its people and places.
DEMO_STEPS += [
    "cobuilding.demo.load_demo_cobuilding",
    "estates.demo.load_demo_estates",
    "streets.demo.load_demo_streets",
    "compounds.demo.load_demo_compounds",
    "councils.demo.load_demo_councils",
    "sites.demo.load_demo_sites",
    "activities.demo.load_demo_activities",
    "visits.demo.load_demo_visits",
    "campaigns.demo.load_demo_campaigns",
    "covenants.demo.load_demo_covenants",
    "disputes.demo.load_demo_disputes",
    "open311.demo.load_demo_open311",
]

# The community the demo logins live and work in (the first one the generator makes).
MAIN_COMMUNITY_CODE = f"{DISTRICT_CODE}-S1-C1"


class DemoModeOff(ImproperlyConfigured):
    """Demo data and demo passwords load only with settings.DEMO_MODE (which needs DEBUG)."""


@dataclass
class DemoDistrict:
    district: Area
    created: bool  # False when the district was already there

    @property
    def community(self) -> Area:
        """The main community, where the demo logins live and work."""
        return Area.objects.get(code=MAIN_COMMUNITY_CODE)

    def logins(self) -> list[LoginRow]:
        return login_rows()


def check_demo_mode() -> None:
    if not getattr(settings, "DEMO_MODE", False):
        raise DemoModeOff(
            "演示数据只能在演示模式下加载 (DEMO_MODE is off: it needs DEBUG=1 and LINLI_DEMO not 0); "
            "no demo data or demo passwords were written."
        )


def load_demo_district(stdout: TextIOBase | None = None) -> DemoDistrict:
    """The demo district, built on the first call and found by its code afterwards."""
    check_demo_mode()
    existing = Area.objects.filter(code=DISTRICT_CODE).first()
    if existing is not None:
        return DemoDistrict(district=existing, created=False)

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    started = time.monotonic()
    rng = random.Random(SEED)
    names = NameMaker(rng)
    with transaction.atomic():
        categories = ensure_categories()
        tree = build_area_tree(rng)
        say(
            f"  区域 areas: {len(tree.subdistricts)} 街道, {len(tree.communities)} 社区, {len(tree.zones)} 片区, "
            f"{len(tree.grids)} 网格, {len(tree.buildings)} 楼栋, {len(tree.households)} 户"
        )
        units = build_units(rng, tree, categories)
        say(f"  单位 units: {len(units.units)}; 诉求类别 categories: {len(categories)}")
        residents = add_residents(rng, names, tree, units)
        say(f"  居民 residents: {len(residents)}")
        create_logins(rng, names, tree, units)
    say(f"  演示区 {tree.district.name} 已加载 loaded in {time.monotonic() - started:.1f} s")
    return DemoDistrict(district=tree.district, created=True)


def run_demo_steps(district: DemoDistrict, stdout: TextIOBase | None = None) -> None:
    check_demo_mode()
    for path in DEMO_STEPS:
        step: Callable[..., object] = import_string(path)
        step(district, stdout=stdout)
