"""Benchmark of the similar-problem search (`duban bench`): 100,000 problems, as in a province.

Measured through the same index class the pages use (`lib.similarity.SimilarityIndex`, which
`supervision.similar` keeps one of per unit): the 100,000 are synthetic ledger entries
(`synthetic_problems`) plus the realistic problems of the hand-written paraphrase set; the queries
are its re-wordings, and crude rewrites of synthetic entries (cut, halves swapped, a character
dropped). Reported: build time, median and 95th-percentile search time, and how often the earlier
problem is among the top 3 at that size.
"""

from __future__ import annotations

import math
import random
import statistics
import time

from duban.lib.similarity import SimilarityIndex, synthetic_problems


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def _rewrite(text: str, rng: random.Random) -> str:
    cut = rng.randrange(1, len(text))
    text = text[cut:] + "，" + text[:cut]
    drop = rng.randrange(len(text))
    return text[:drop] + text[drop + 1 :]


def similarity_benchmark(n: int = 100_000, seed: int = 0) -> list[tuple[str, float, str]]:
    from duban.supervision.tests.paraphrases import DISTRACTORS, PAIRS

    texts = synthetic_problems(n - len(PAIRS) - len(DISTRACTORS), seed)
    texts += DISTRACTORS
    first_original = len(texts) + 1
    texts += [original for original, _ in PAIRS]
    index = SimilarityIndex()
    start = time.perf_counter()
    for doc_id, text in enumerate(texts, start=1):
        index.add(doc_id, text)
    build_s = time.perf_counter() - start

    rng = random.Random(seed + 1)
    queries = [(first_original + k, reworded) for k, (_, reworded) in enumerate(PAIRS)]
    queries += [
        (doc_id, _rewrite(texts[doc_id - 1], rng))
        for doc_id in rng.sample(range(1, len(texts) + 1), 200)
    ]
    timings, realistic_hits, synthetic_hits = [], 0, 0
    for position, (expected, query) in enumerate(queries):
        start = time.perf_counter()
        found = [doc_id for doc_id, _ in index.search(query, 5)]
        timings.append((time.perf_counter() - start) * 1000)
        if expected in found[:3]:
            if position < len(PAIRS):
                realistic_hits += 1
            else:
                synthetic_hits += 1
    size = f"{len(texts):,}"
    return [
        (f"similarity: build the index of {size} problems", build_s * 1000, "ms"),
        (f"similarity: search among {size}, median", statistics.median(timings), "ms"),
        (f"similarity: search among {size}, p95", _percentile(timings, 0.95), "ms"),
        (
            f"similarity: hand-written paraphrases in the top 3 among {size}",
            100.0 * realistic_hits / len(PAIRS),
            f"% of {len(PAIRS)}",
        ),
        (
            f"similarity: rewritten synthetic entries in the top 3 among {size}",
            100.0 * synthetic_hits / (len(queries) - len(PAIRS)),
            f"% of {len(queries) - len(PAIRS)}",
        ),
    ]


if __name__ == "__main__":
    for name, value, unit in similarity_benchmark():
        print(f"{name:<70} {value:9.2f} {unit}")
