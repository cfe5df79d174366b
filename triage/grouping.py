"""Grouping messages into problems for hotspots (step 3 of ``triage.hotspots``): one pass in time order, then parts
of one problem merged and lone messages adopted. Split from ``triage.hotspots``, behaviour unchanged.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from triage.places import ROAD, _main_places, _shared


@dataclass(frozen=True)
class Thresholds:
    """How alike (cosine of the place-free topic vectors) a message must read to join a problem. The same
    complaint about two estates is two problems: when both name places and none is shared, never."""

    same_place: float  # it names one of the problem's estates, villages, communities, schools
    same_road: float  # it names one of the problem's roads (a long road has many problems)
    no_place: float  # one of the two names no place

    @property
    def lowest(self) -> float:
        return min(self.same_place, self.same_road, self.no_place)

    def needed(self, mine: set[str], theirs: set[str]) -> float:
        shared = _shared(mine, theirs)
        if shared:
            return self.same_road if all(ROAD.search(p) for p in shared) else self.same_place
        if mine and theirs:
            return math.inf
        return self.no_place


def _assign(sims, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """One pass in time order: a message joins the problem it reads most like, measured against the whole problem
    (the cosine with the sum of its members' vectors), so a problem cannot drift from one topic to the next
    through loosely related messages; a message like none starts a problem of its own."""
    self_sims = sims.diagonal()
    lowest = thresholds.lowest
    cluster_of = np.full(len(place_sets), -1)
    clusters: list[list[int]] = []
    norm2: list[float] = []  # squared length of each problem's vector sum
    counts: list[Counter[str]] = []  # how many of its messages name each place
    for i in range(len(place_sets)):
        lo, hi = sims.indptr[i], sims.indptr[i + 1]
        js, ss = sims.indices[lo:hi], sims.data[lo:hi]
        earlier = (js < i) & (times[i] - times[js] <= gap)
        js, ss = js[earlier], ss[earlier]
        best, best_score, best_dot = -1, 0.0, 0.0
        if len(js):
            candidates, where = np.unique(cluster_of[js], return_inverse=True)
            dots = np.bincount(where, weights=ss)  # this message · the sum of each problem's members
            linked = np.bincount(where, weights=ss >= lowest) > 0  # at least one member reads alike
            for c, dot, link in zip(candidates.tolist(), dots.tolist(), linked.tolist(), strict=True):
                if not link or norm2[c] <= 0:
                    continue
                score = dot / math.sqrt(norm2[c])
                needed = thresholds.needed(place_sets[i], _main_places(counts[c], len(clusters[c])))
                if score >= needed and score > best_score:
                    best, best_score, best_dot = c, score, dot
        if best < 0:
            cluster_of[i] = len(clusters)
            clusters.append([i])
            norm2.append(float(self_sims[i]))
            counts.append(Counter(place_sets[i]))
        else:
            cluster_of[i] = best
            clusters[best].append(i)
            norm2[best] += 2 * best_dot + float(self_sims[i])
            counts[best].update(place_sets[i])
    return clusters


def _membership(clusters: list[list[int]], n: int) -> sparse.csr_matrix:
    """n × len(clusters): 1 where a message belongs to a problem."""
    rows = np.concatenate(clusters)
    columns = np.repeat(np.arange(len(clusters)), [len(c) for c in clusters])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, len(clusters)))


def _merge(clusters, matrix, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """Join the parts of one problem the first pass kept apart (its first messages read less alike than the
    problem as a whole does): repeatedly the two problems whose centroids read most alike, when their places and
    times allow it, with the thresholds the first pass uses for one message."""
    big = [list(c) for c in clusters if len(c) >= 2]
    rest = [c for c in clusters if len(c) < 2]
    if len(big) < 2:
        return clusters
    # gram[a, b] = (sum of a's vectors) · (sum of b's vectors); merging two problems adds their rows and columns
    summed = _membership(big, matrix.shape[0]).T @ matrix
    gram = (summed @ summed.T).toarray()

    def named(members: list[int]) -> Counter[str]:
        return Counter(p for i in members for p in place_sets[i])

    alls = [named(c) for c in big]
    mains = [_main_places(alls[k], len(c)) for k, c in enumerate(big)]
    spans = [(times[c].min(), times[c].max()) for c in big]
    alive = np.ones(len(big), dtype=bool)
    lowest = thresholds.lowest
    refused: set[tuple[int, int]] = set()
    while True:
        norms = np.sqrt(np.maximum(np.diag(gram), 1e-12))
        cos = np.triu(gram / np.outer(norms, norms), k=1)
        cos[~alive, :] = 0
        cos[:, ~alive] = 0
        pairs = np.argwhere(cos >= lowest)
        pairs = pairs[np.argsort(-cos[pairs[:, 0], pairs[:, 1]], kind="stable")]
        for a, b in pairs.tolist():
            if (a, b) in refused:
                continue
            near = spans[a][0] - spans[b][1] <= gap and spans[b][0] - spans[a][1] <= gap
            # one problem's own place is among those the other's messages name
            needed = min(thresholds.needed(mains[a], set(alls[b])), thresholds.needed(set(alls[a]), mains[b]))
            if near and cos[a, b] >= needed:
                break
            refused.add((a, b))
        else:
            break
        big[a] = sorted(big[a] + big[b])
        alive[b] = False
        gram[a, :] += gram[b, :]
        gram[:, a] += gram[:, b]
        gram[b, :] = gram[:, b] = 0
        alls[a] += alls[b]
        mains[a] = _main_places(alls[a], len(big[a]))
        spans[a] = (min(spans[a][0], spans[b][0]), max(spans[a][1], spans[b][1]))
        refused = {(x, y) for x, y in refused if a not in (x, y)}
    return [c for k, c in enumerate(big) if alive[k]] + rest


def _adopt(clusters, sims, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """A message left alone joins the problem it reads most like now that the problem is whole (when it came,
    the problem's first messages may have read less like it than all of them do)."""
    big = [c for c in clusters if len(c) >= 2]
    alone = [c[0] for c in clusters if len(c) == 1]
    if not big or not alone:
        return clusters
    membership = _membership(big, sims.shape[0])
    dots = (sims[alone] @ membership).tocsr()  # each lone message · the sum of each problem's members
    norms = np.sqrt(np.maximum((membership.T @ sims @ membership).diagonal(), 1e-12))
    mains = [_main_places(Counter(p for i in c for p in place_sets[i]), len(c)) for c in big]
    spans = [(times[c].min(), times[c].max()) for c in big]
    joined = [list(c) for c in big]
    left = []
    for row, i in enumerate(alone):
        lo, hi = dots.indptr[row], dots.indptr[row + 1]
        best, best_score = -1, 0.0
        for c, dot in zip(dots.indices[lo:hi].tolist(), dots.data[lo:hi].tolist(), strict=True):
            score = dot / norms[c]
            near = spans[c][0] - gap <= times[i] <= spans[c][1] + gap
            if near and score > best_score and score >= thresholds.needed(place_sets[i], mains[c]):
                best, best_score = c, score
        if best < 0:
            left.append([i])
        else:
            joined[best].append(i)
    return [sorted(c) for c in joined] + left


def city_wide(clusters, matrix, place_sets, times, similar: float, gap: float) -> list[list[int]]:
    """Problems raised without one place (a city's policy, a service, the whole district): the messages of every
    problem that names no place (no place is named by a third of its messages) are grouped again, by topic alone
    and over a longer window (``gap``), so that one policy asked about all year by residents everywhere forms one
    row instead of many small ones below the place-bound rows."""
    placeless = [
        c for c in clusters if not _main_places(Counter(p for i in c for p in place_sets[i]), len(c))
    ]
    if sum(len(c) for c in placeless) < 2:
        return clusters
    kept = [c for c in clusters if _main_places(Counter(p for i in c for p in place_sets[i]), len(c))]
    pool = np.array(sorted(i for c in placeless for i in c))
    sub = matrix[pool]
    sims = (sub @ sub.T).tocsr()
    sims.data[sims.data < 0.05] = 0
    sims.eliminate_zeros()
    nowhere: list[set[str]] = [set() for _ in pool]
    thresholds = Thresholds(similar, similar, similar)
    found = _assign(sims, nowhere, times[pool], thresholds, gap)
    found = _merge(found, sub, nowhere, times[pool], thresholds, gap)
    found = _adopt(found, sims, nowhere, times[pool], thresholds, gap)
    return kept + [[int(pool[i]) for i in c] for c in found]
