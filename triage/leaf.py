"""The leaf model: an appeal's whole category path (level 1 → leaf of this deployment's tree) with confidences.

Learnt from the deployment's own labelled history (``LabelledExample.category``: the category staff confirmed
when they triaged or dispatched), on top of the level-1 model (``triage.classifier``), and from names where
history is thin: each category of the tree is also taught by its own name and path, and by the level-2/level-3
names of the taxonomy (``tipdm2020/taxonomy.csv``, 517 rows) that read most like it under the same level 1. So a
leaf nobody has confirmed yet is still suggested when an appeal names what it is about.

Features: TF-IDF of character 1–3-grams within the tokens ``triage.text.document`` gives (the same prepared text
as the level-1 model, so jieba runs once per suggestion). Classifier: multinomial logistic regression over every
category that has examples (leaves, and the level-1 categories themselves for history labelled only that far).

Combining: P(path ending at c) = λ · P_leaf(c) + (1 − λ) · P_1(root of c) · P_leaf(c | its root), where P_1 is
the level-1 model's calibrated probability (when a level-1 model is stored) and λ grows with the history the
leaf model learnt from (``HISTORY_WEIGHT``): with little history the level-1 model, trained on far more data,
decides the first level. Figures: ``docs/triage.md`` and ``bench/triage_bench.py``.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from triage import text

LEAF_VERSION = 1
NAME_WEIGHT = 2.0  # a name example weighs as much as this many confirmed appeals
HISTORY_FULL = 2000  # examples at which the leaf model's own first level counts fully
HISTORY_WEIGHT = 0.7  # λ at HISTORY_FULL examples (linear below)
MIN_TAXONOMY_SIMILARITY = 0.2
TAXONOMY_FILE = "tipdm2020/taxonomy.csv"
FEATURES: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (1, 3), "lowercase": True}


@dataclass(frozen=True)
class Node:
    """One category of the tree as the model knows it (plain data: the model file outlives database rows)."""

    pk: int
    code: str
    name: str
    root: str  # the level-1 name
    path: tuple[str, ...]  # names from level 1 to this category


@dataclass
class LeafExamples:
    documents: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def add(self, document: str, code: str, weight: float = 1.0) -> None:
        self.documents.append(document)
        self.codes.append(code)
        self.weights.append(weight)


def tree() -> dict[str, Node]:
    """Every active category of the deployment, by code."""
    from categories.models import Category

    rows = list(Category.objects.filter(is_active=True).values_list("pk", "code", "name", "parent_id"))
    by_pk = {pk: (code, name, parent) for pk, code, name, parent in rows}
    nodes = {}
    for pk, (code, name, _parent) in by_pk.items():
        path: list[str] = []
        node: int | None = pk
        while node is not None and node in by_pk:
            path.insert(0, by_pk[node][1])
            node = by_pk[node][2]
        if node is not None:  # an ancestor is inactive: not offered
            continue
        nodes[code] = Node(pk, code, name, path[0], tuple(path))
    return nodes


def taxonomy_rows(path: Path | None = None) -> list[tuple[str, str, str]]:
    """(level1, level2, level3) of the taxonomy file, or nothing when it is absent."""
    path = path or Path(settings.SHARED_DATA_DIR) / TAXONOMY_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            (r["level1"].strip(), r["level2"].strip(), r["level3"].strip())
            for r in csv.DictReader(handle)
            if r.get("level1") and r.get("level3")
        ]


def name_examples(nodes: dict[str, Node], taxonomy: Sequence[tuple[str, str, str]]) -> LeafExamples:
    """What names teach: each category its own path; each leaf the taxonomy's level-2/3 names most like it under
    the same level 1 (character-bigram Jaccard with the leaf's name ≥ ``MIN_TAXONOMY_SIMILARITY``)."""
    examples = LeafExamples()
    leaves_by_root: dict[str, list[Node]] = {}
    for node in nodes.values():
        examples.add(" ".join(text.tokens(" ".join(node.path))), node.code, NAME_WEIGHT)
        if len(node.path) > 1:
            leaves_by_root.setdefault(node.root, []).append(node)
    for level1, level2, level3 in taxonomy:
        candidates = leaves_by_root.get(level1, [])
        if not candidates:
            continue
        grams = text.bigrams(f"{level2}{level3}")
        scored = [(text.jaccard(grams, text.bigrams(n.name)), n.code) for n in candidates]
        best, code = max(scored)
        if best >= MIN_TAXONOMY_SIMILARITY:
            examples.add(" ".join(text.tokens(f"{level2} {level3}")), code, NAME_WEIGHT)
    return examples


def history(nodes: dict[str, Node], *, before=None, exclude_ids: Iterable[int] = ()) -> LeafExamples:
    """The confirmed history as examples: each labelled appeal's category (at whatever level it was confirmed)."""
    from triage.models import LabelledExample

    rows = LabelledExample.objects.filter(category__isnull=False).exclude(appeal_id__in=list(exclude_ids))
    if before is not None:
        rows = rows.filter(confirmed_at__lt=before)
    examples = LeafExamples()
    for code, title, body in rows.values_list("category__code", "appeal__title", "appeal__body").iterator(
        chunk_size=2000
    ):
        if code in nodes:
            examples.add(text.document(title, body), code)
    return examples


def fit(
    nodes: dict[str, Node], history_examples: LeafExamples, names: LeafExamples, *, C: float = 10.0
) -> dict[str, Any]:
    """Train on history and names together. Raises ValueError when fewer than two categories have examples."""
    documents = history_examples.documents + names.documents
    codes = history_examples.codes + names.codes
    weights = np.array(history_examples.weights + names.weights)
    if len(set(codes)) < 2:
        raise ValueError("分类树中至少需要两个有样例的类别")
    vectorizer = TfidfVectorizer(**FEATURES, sublinear_tf=True, min_df=1, max_df=0.5, dtype=np.float32)
    matrix = vectorizer.fit_transform(documents)
    classifier = LogisticRegression(C=C, max_iter=2000)
    classifier.fit(matrix, codes, sample_weight=weights)
    classes = [str(c) for c in classifier.classes_]
    return {
        "version": LEAF_VERSION,
        "nodes": {code: nodes[code] for code in classes},
        "classes": classes,
        "vocabulary": vectorizer.vocabulary_,
        "idf": vectorizer.idf_.astype(np.float64),
        "analyzer": _analyzer(),
        "coef": np.asarray(classifier.coef_, dtype=np.float64),
        "intercept": np.asarray(classifier.intercept_, dtype=np.float64),
        "history": len(history_examples.documents),
        "counts": dict(Counter(history_examples.codes)),
    }


def train(*, before=None, exclude_ids: Iterable[int] = (), taxonomy: Path | None = None) -> dict[str, Any]:
    nodes = tree()
    return fit(
        nodes,
        history(nodes, before=before, exclude_ids=exclude_ids),
        name_examples(nodes, taxonomy_rows(taxonomy)),
    )


# ---- scoring ----------------------------------------------------------------------------------------------------
def leaf_probabilities(model: dict[str, Any], document: str, grams: text.Grams | None = None) -> np.ndarray:
    """``grams``: the document's n-grams counted once (``text.grams``: the same ``FEATURES``), else counted here."""
    counted = grams.whole if grams is not None else Counter(model["analyzer"](document))
    idx, found = text.lookup(model["vocabulary"], counted)
    coef, intercept = model["coef"], model["intercept"]
    if len(idx):
        values = (1.0 + np.log(found)) * model["idf"][idx]
        values /= np.linalg.norm(values)
        scores = coef[:, idx] @ values + intercept
    else:
        scores = intercept.copy()
    if coef.shape[0] == 1:  # two classes: one row scoring the second
        p = 1.0 / (1.0 + math.exp(-float(scores[0])))
        return np.array([1.0 - p, p])
    scores -= scores.max()
    exp = np.exp(scores)
    return exp / exp.sum()


@dataclass(frozen=True)
class PathGuess:
    node: Node
    confidence: float  # of the whole path ending at this category
    root_confidence: float  # of its first level


def history_weight(model: dict[str, Any]) -> float:
    return HISTORY_WEIGHT * min(1.0, model["history"] / HISTORY_FULL)


def rank(
    model: dict[str, Any],
    document: str,
    level1: dict[str, float] | None = None,
    *,
    top: int = 3,
    grams: text.Grams | None = None,
) -> list[PathGuess]:
    """The ``top`` most likely paths, most likely first. ``level1`` maps level-1 names to the level-1 model's
    probabilities (None: the leaf model decides alone)."""
    probabilities = leaf_probabilities(model, document, grams)
    nodes: dict[str, Node] = model["nodes"]
    classes: list[str] = model["classes"]
    by_root: dict[str, float] = {}
    for code, p in zip(classes, probabilities.tolist(), strict=True):
        root = nodes[code].root
        by_root[root] = by_root.get(root, 0.0) + p
    if level1:
        lam = history_weight(model)
        roots = {
            r: lam * by_root.get(r, 0.0) + (1 - lam) * level1.get(r, 0.0) for r in set(by_root) | set(level1)
        }
        combined = [
            lam * p + (1 - lam) * level1.get(nodes[c].root, 0.0) * p / max(by_root[nodes[c].root], 1e-12)
            for c, p in zip(classes, probabilities.tolist(), strict=True)
        ]
    else:
        roots, combined = by_root, probabilities.tolist()
    order = sorted(range(len(classes)), key=lambda i: -combined[i])[:top]
    return [
        PathGuess(nodes[classes[i]], float(combined[i]), float(roots.get(nodes[classes[i]].root, 0.0)))
        for i in order
    ]


# ---- storing and loading ----------------------------------------------------------------------------------------
_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def model_path() -> Path:
    """Beside the level-1 model: ``leaf.joblib``."""
    return Path(settings.TRIAGE_MODEL_PATH).with_name("leaf.joblib")


def store(model: dict[str, Any], path: Path | None = None) -> Path:
    """Written beside its place and renamed over it (readers see the old or the new model)."""
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".leaf-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            joblib.dump({k: v for k, v in model.items() if k != "analyzer"}, handle, compress=3)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: Path | None = None) -> dict[str, Any] | None:
    """The stored leaf model, loaded once per process and again when the file changes; None when absent."""
    path = path or model_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == mtime:
        return cached[1]
    model = joblib.load(path)
    if not isinstance(model, dict) or model.get("version") != LEAF_VERSION:
        return None
    model["analyzer"] = _analyzer()
    _cache[str(path)] = (mtime, model)
    return model


def _analyzer():
    return TfidfVectorizer(**FEATURES).build_analyzer()
