"""Benchmarks of triage on the demo's own history and the board's labelled pairs (run by ``bench/run.py``).

On SQLite only (the figures do not depend on the database; the PostgreSQL pass prints nothing): loads the demo
district and its two years of appeals into the scratch database (real resident messages when the shared data is
present), sets the demo routing rules, then splits the labelled history by time: the first 80% (by confirmation
time) is what the models learn from, the last 20% is held out.

- ``BENCH triage.leaf.accuracy`` / ``triage.leaf.macro_f1``: the whole path's last category (leaf, or the level 1
  where the history was labelled only that far) suggested from the text of each held-out appeal, against the
  category staff confirmed. The level-1 model is trained on ``train_tokenized.csv`` when present, else on the
  history before the split (as a newcomer's deployment is); the leaf model on the history before the split and
  the names.
- ``BENCH triage.unit.top1`` / ``top3``: for each held-out appeal dispatched to a unit, the units suggested for its
  confirmed category and place at the moment it was dispatched (rules, then the history finished before then,
  then duty), against the unit it was dispatched to.
- ``BENCH triage.suggest.p50_ms``: the whole suggestion an appeal's page computes (path, units, duplicates), per
  held-out appeal, models loaded.
- ``BENCH duplicates.precision`` / ``duplicates.recall``: ``triage.duplicates`` on the pairs built from the board
  file by ``triage.dup_pairs`` (skipped without the shared data).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault(
    "TRIAGE_MODEL_PATH", str(Path(tempfile.mkdtemp(prefix="linli-triage-")) / "model.joblib")
)
HELD_OUT = 0.2


def log(message: str) -> None:
    print(f"[triage_history_bench] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float) -> None:
    print(f"BENCH {name} {value:.2f}" if name.endswith("_ms") else f"BENCH {name} {value:.4f}", flush=True)


if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    log("figures of the history do not depend on the database: measured on the SQLite pass only")
    sys.exit(0)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from appeals.models import Appeal  # noqa: E402
from appeals.selectors import dispatchable_units  # noqa: E402
from triage import dup_pairs, leaf, routing  # noqa: E402
from triage.duplicates import duplicates_for  # noqa: E402
from triage.models import LabelledExample  # noqa: E402
from triage.suggest import category_paths, suggestion_for  # noqa: E402

DATA = Path(settings.SHARED_DATA_DIR) / "tipdm2020"


def load_demo() -> None:
    from appeals import demo as appeals_demo
    from demo.calendar import ensure_demo_calendar
    from demo.loader import load_demo_district
    from triage.demo import load_demo_triage

    settings.DEMO_MODE = True
    t0 = time.perf_counter()
    district = load_demo_district()
    ensure_demo_calendar(district)
    appeals_demo.load_demo_appeals(district)
    load_demo_triage(district)
    log(f"demo loaded in {time.perf_counter() - t0:.0f} s: {Appeal.objects.count()} appeals")


def split():
    examples = list(
        LabelledExample.objects.filter(category__isnull=False)
        .select_related("appeal__community", "category__parent", "unit")
        .order_by("confirmed_at", "pk")
    )
    cut = int(len(examples) * (1 - HELD_OUT))
    return examples[:cut], examples[cut:]


def train(learn, held) -> None:
    from triage.services import model_train

    t0 = time.perf_counter()
    if (DATA / "train_tokenized.csv").exists():
        model_train(csv_paths=[DATA / "train_tokenized.csv"])
        source = "train_tokenized.csv"
    else:
        from triage import classifier, text

        examples = classifier.Examples(sources=["labelled history"])
        for e in learn:
            examples.add(text.document(e.appeal.title, e.appeal.body), e.label)
        classifier.store(classifier.fit(examples))
        source = "the history before the split"
    log(f"level-1 model trained on {source} in {time.perf_counter() - t0:.0f} s")
    cutoff = held[0].confirmed_at
    t0 = time.perf_counter()
    leaf.store(leaf.train(before=cutoff))
    log(
        f"leaf model trained on {len(learn)} appeals before {cutoff:%Y-%m-%d} in {time.perf_counter() - t0:.0f} s"
    )


def bench_leaf(held) -> None:
    gold, guessed, top3 = [], [], 0
    for e in held:
        found = category_paths(e.appeal.title, e.appeal.body)
        assert found is not None
        codes = [g.node.code for g in found[2]]
        gold.append(e.category.code)
        guessed.append(codes[0] if codes else "")
        top3 += e.category.code in codes
    labels = sorted(set(gold))
    log(f"leaf: {len(held)} held-out appeals, {len(labels)} categories; top-3 {top3 / len(held):.4f}")
    bench("triage.leaf.accuracy", accuracy_score(gold, guessed))
    bench("triage.leaf.macro_f1", f1_score(gold, guessed, labels=labels, average="macro", zero_division=0))


def bench_units(held) -> None:
    from appeals.models import AppealEvent

    allowed_by_community: dict[int, dict] = {}
    n = top1 = top3 = 0
    by_source: dict[str, list[int]] = {}
    by_turn = {"first dispatch": [0, 0], "after a return": [0, 0]}
    misses = []
    for e in held:
        if e.unit_id is None or e.dispatched_at is None:
            continue
        appeal = e.appeal
        if appeal.community_id not in allowed_by_community:
            allowed_by_community[appeal.community_id] = {u.pk: u for u in dispatchable_units(appeal)}
        returned = set(
            AppealEvent.objects.filter(
                appeal=appeal, action="return", at__lte=e.dispatched_at, unit__isnull=False
            ).values_list("unit_id", flat=True)
        )
        guesses = routing.suggest_units(
            e.category,
            appeal.community_id,
            appeal.area_path,
            allowed=allowed_by_community[appeal.community_id],
            now=e.dispatched_at,
            exclude=appeal.pk,
            refused=returned,
        )
        units = [g.unit.pk for g in guesses]
        n += 1
        top1 += bool(units) and units[0] == e.unit_id
        top3 += e.unit_id in units[:3]
        turn = by_turn["after a return" if returned else "first dispatch"]
        turn[0] += e.unit_id in units[:3]
        turn[1] += 1
        if e.unit_id not in units[:3]:
            misses.append(
                f"#{appeal.pk} {routing.path_name(e.category)} → {e.unit.name}"
                f"{'（退回后改派）' if returned else ''}; suggested {[g.unit.name for g in guesses]}"
            )
        if guesses:
            counts = by_source.setdefault(guesses[0].source, [0, 0])
            counts[0] += units[0] == e.unit_id
            counts[1] += 1
    log(f"units: {n} held-out dispatches; top-1 by what suggested it: {by_source}")
    log(f"units: top-3 (right, of) on first dispatches and on dispatches after a return: {by_turn}")
    for miss in misses:
        log(f"  top-3 miss {miss}")
    bench("triage.unit.top1", top1 / n)
    bench("triage.unit.top3", top3 / n)


def bench_suggest(held) -> None:
    appeals = [e.appeal for e in held[:300]]
    for appeal in appeals[:10]:  # warm-up: models loaded, jieba's dictionary read
        suggestion_for(appeal)
    samples = []
    for appeal in appeals:
        t = time.perf_counter()
        suggestion_for(appeal)
        duplicates_for(appeal)
        samples.append((time.perf_counter() - t) * 1000)
    log(f"whole suggestion: p95 {statistics.quantiles(samples, n=20)[-1]:.2f} ms over {len(samples)} appeals")
    bench("triage.suggest.p50_ms", statistics.median(samples))


def bench_pairs() -> None:
    board = DATA / "messages_with_likes.csv"
    if not board.exists():
        log(f"board data absent at {board}; duplicate pairs skipped")
        return
    pairs = dup_pairs.board_pairs(board)
    scores = dup_pairs.evaluate(pairs)
    log(
        f"duplicate pairs: {len(pairs)} ({scores.positives} duplicates); called duplicates by kind "
        f"{scores.by_kind}; {scores.true_positives}/{scores.predicted_positives} right"
    )
    bench("duplicates.precision", scores.precision)
    bench("duplicates.recall", scores.recall)


if __name__ == "__main__":
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    learn, held = split()
    train(learn, held)
    bench_leaf(held)
    bench_units(held)
    bench_suggest(held)
    bench_pairs()
