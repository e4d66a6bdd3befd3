"""Text similarity for short Chinese problem descriptions (问题台账: "decide a problem once").

While a supervisor types a new problem into the ledger, the page shows the most similar problems
already on record, so that a problem the bureau has already ruled on is recognised instead of being
opened, assigned and argued about a second time. The descriptions are one short sentence each and
the same problem comes back paraphrased ("城东大道积水" / "城东大道雨后内涝严重"), so exact or
prefix matching is useless and Chinese has no spaces to split words on.

The approach is the classic one that needs no dictionary and no dependency (no jieba, no numpy):

* ``normalise`` folds full-width characters and case (NFKC) and keeps only CJK characters, letters
  and digits; punctuation and whitespace become segment boundaries that no n-gram crosses;
* ``terms`` deletes a few characters and filler words that every entry contains, then takes
  character unigrams and bigrams. Bigrams carry most of the meaning (积水, 电梯, 围挡); unigrams let a
  paraphrase that shares only half a word (拖欠/欠付, 破损/损坏) still score something;
* terms are weighted TF-IDF (sublinear tf, smoothed idf) and compared by cosine similarity.

``SimilarityIndex`` keeps an inverted index (term -> doc ids and weights, as compact ``array``
columns) that grows and shrinks one problem at a time, so the Django layer can keep it in step with
the table from signals. A search runs in two phases to stay in the low milliseconds at 100,000
problems in pure Python:

1. candidates: accumulate a cheap score over the query's *selective* terms only (skipping terms
   found in more than ``max_df`` of the problems, such as 小区 or 施工 in a bureau's ledger, whose
   posting lists are long and say little), and keep the best few dozen;
2. rescoring: compute the exact TF-IDF cosine, over all terms and with the current idf, for those
   candidates only.

Scores are therefore exact for every problem returned, and an identical text scores 1.0. The
candidate score stores no idf in the postings (only the document's length-normalised term
frequencies), so nothing goes stale as the corpus grows and results do not depend on the order the
problems were added in.

It is deliberately free of Django and not locked: the web layer owns one index per process, builds
it from the table at start-up and serialises writes itself if it ever writes from several threads.
"""

from __future__ import annotations

import heapq
import math
import random
import re
import statistics
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable

__all__ = [
    "STOP_WORDS",
    "SYNONYMS",
    "SimilarityIndex",
    "benchmark",
    "normalise",
    "synthetic_problems",
    "terms",
]

# Deleted before n-grams are taken, so "管网的堵塞" and "管网堵塞" give the same terms:
#
# * particles and conjunctions (的 了 和 是 在 有 与 及 等): they join content words without adding to
#   them, and left in they create bigrams such as 网的/的堵 that match unrelated problems sharing
#   nothing but grammar;
# * filler nouns every ledger entry has (问题 存在 情况 现象): "存在积水问题" means 积水.
#
# IDF would discount all of them on a large ledger anyway, but not on a new county's first fifty
# problems, and never the spurious bigrams they create; a fixed list costs nothing.
STOP_WORDS = frozenset(
    {"的", "了", "和", "是", "在", "有", "与", "及", "等", "问题", "存在", "情况", "现象"}
)

# Ordinary words that start with a stop character; deleting that character would leave half a word
# behind (和平路 -> 平路, 未及时 -> 未时), so they are kept whole.
_KEPT_WORDS = ("及时", "是否", "在建", "和平", "有限", "等级")

# One alternation, longest first: at each position the regex tries a kept word before the stop
# character it starts with, so "在建" survives while the "在" of "现在" does not.
_STOP_PATTERN = re.compile(
    "|".join(re.escape(w) for w in sorted((*_KEPT_WORDS, *STOP_WORDS), key=lambda w: -len(w)))
)
_KEPT = frozenset(_KEPT_WORDS)

# A small thesaurus of the bureau's own words: the same thing said two ways in a county 住建局's
# ledger (the ledger's reporters, 12345 operators and staff each have their word for it). Each
# variant is rewritten to its canonical word before n-grams are taken, so 塔式起重机 meets 塔吊 and
# 不动产权证 meets 房产证, which no character overlap would find. Kept short and concrete: a variant
# here must mean the canonical word in every sentence of the domain, or it would merge unrelated
# problems.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "住户": ("居民", "业主", "群众", "购房户", "老百姓", "市民"),
    "反对": ("不同意", "阻挠", "阻止", "不配合", "不肯"),
    "积水": ("内涝", "水浸", "淹水"),
    "塔吊": ("塔式起重机",),
    "房产证": ("不动产权证书", "不动产权证", "不动产证", "产权证"),
    "公厕": ("公共厕所",),
    "爆炸": ("爆燃",),
    "泄漏": ("漏气", "泄露"),
    "开挖": ("挖开",),
    "恢复": ("修复",),
    "维修资金": ("维修基金",),
    "公租房": ("保障性租赁住房", "保障性住房", "保障房", "廉租房"),
    "安置房": ("回迁房",),
    "棚改": ("棚户区改造",),
    "拖欠": ("讨薪", "欠薪", "欠付"),
    "噪声": ("噪音", "太吵"),
    "夜间": ("晚上", "夜里"),
    "污水厂": ("污水处理厂",),
    "检测": ("检验",),
    "高层": ("高楼层",),
    "抛洒": ("遗撒", "撒漏", "掉土"),
    "渣土车": ("渣土运输车辆", "渣土运输车", "拉渣土的车"),
    "混接": ("接错",),
    "不公开": ("不透明",),
    "养护": ("管护",),
    "工地": ("施工现场", "建筑工地"),
}
_SYNONYM_OF = {variant: word for word, variants in SYNONYMS.items() for variant in variants}
_SYNONYM_PATTERN = re.compile(
    "|".join(re.escape(v) for v in sorted(_SYNONYM_OF, key=lambda v: -len(v)))
)

# After NFKC and lower-casing: runs of "word" characters (letters, digits, CJK; not "_").
_SEGMENT = re.compile(r"[^\W_]+")
# Within a segment, an ASCII letter/digit run is one unit (G205, 3, 2024), any other character is a
# unit on its own (each 汉字). So "3号楼" gives units 3/号/楼 and bigrams 3号/号楼.
_UNIT = re.compile(r"[0-9a-z]+|[^\W_]")

# Relative weight of a unigram against a bigram. Single characters are ambiguous (水 is in 积水,
# 供水 and 水费), so they count for less, but not for nothing: they are what 拖欠/欠付 share.
_UNIGRAM_WEIGHT = 0.5

# Defaults of SimilarityIndex. A term in more than 10% of the ledger (小区, 施工, and boilerplate such
# as 请相关单位核实 or 12345热线转办) has a posting list long enough to dominate the search time and
# says little about *which* problem is meant. Leaving it out of candidate selection also keeps a
# problem that only shares the boilerplate with the query out of the results, where brute-force
# cosine would have ranked it high; the scores of what is returned still count it. Below 5,000
# problems (10% of them < 500) no term is skipped: every list is short and the search is exact.
# 50 candidates: at 100,000 synthetic problems, 100 or 200 changed the top 3 of a few queries out
# of a hundred, always among near-identical entries, and cost a third more time.
_MAX_DF = 0.10
_MIN_COMMON_DF = 500
_CANDIDATES = 50


def normalise(text: str) -> str:
    """Canonical form for comparison: NFKC, lower case, only CJK characters, letters and digits.

    NFKC turns full-width digits and letters (１２号楼, ＡＢ) into ASCII, which people type
    interchangeably in Chinese input methods; punctuation and whitespace are dropped.
    """
    return "".join(_segments(text))


def terms(text: str) -> Counter[str]:
    """Character unigrams and bigrams of a text, with stop words deleted, and how often each occurs.

    N-grams never cross punctuation or whitespace: "积水，堵塞" has no 水堵.
    """
    return _counts(_segments(text))


class SimilarityIndex:
    """Incremental TF-IDF cosine index over short texts keyed by integer ids (database pks).

    ``add`` inserts or replaces, ``remove`` deletes, ``search`` returns ``(doc_id, score)`` best
    first, score the cosine in [0, 1] rounded to 4 places, ties by doc id.

    ``max_df``: terms found in more than this fraction of the problems (and in more than
    ``min_common_df`` of them) do not nominate candidates; they still count in the exact score.
    ``candidates``: how many candidates (at least, and at least ``4 * limit``) are rescored exactly.
    """

    def __init__(
        self,
        max_df: float = _MAX_DF,
        min_common_df: int = _MIN_COMMON_DF,
        candidates: int = _CANDIDATES,
    ) -> None:
        if not 0.0 < max_df <= 1.0:
            raise ValueError("max_df must be in (0, 1]")
        if min_common_df < 0 or candidates < 1:
            raise ValueError("min_common_df must be >= 0 and candidates >= 1")
        self._max_df = max_df
        self._min_common_df = min_common_df
        self._candidates = candidates
        # term -> (doc ids, weights); weight = weighted sublinear tf / the document's norm of those.
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        # doc id -> its segments joined by a space: enough to recompute its terms for rescoring and
        # removal, and far smaller than a Counter per document.
        self._docs: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def add(self, doc_id: int, text: str) -> None:
        """Index text under doc_id, replacing what was indexed under it before.

        A text with no terms (empty, punctuation only) cannot match anything and is not kept.
        doc_id must fit in a signed 32-bit integer, as database primary keys do.
        """
        if not -(2**31) <= doc_id < 2**31:
            raise ValueError("doc_id must fit in a signed 32-bit integer")
        self.remove(doc_id)
        segments = _segments(text)
        counts = _counts(segments)
        if not counts:
            return
        self._docs[doc_id] = " ".join(segments)
        weights = {term: _tf(term, count) for term, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        postings = self._postings
        for term, weight in weights.items():
            column = postings.get(term)
            if column is None:
                column = postings[term] = (array("i"), array("f"))
            column[0].append(doc_id)
            column[1].append(weight / norm)

    def remove(self, doc_id: int) -> None:
        """Forget doc_id; a no-op for an id never indexed (e.g. a problem saved with no text)."""
        canonical = self._docs.pop(doc_id, None)
        if canonical is None:
            return
        postings = self._postings
        for term in _counts(canonical.split(" ")):
            ids, weights = postings[term]
            # Linear, but in C, and removal is rare next to searching; it keeps every df exact.
            i = ids.index(doc_id)
            del ids[i]
            del weights[i]
            if not ids:
                del postings[term]

    def search(
        self, query: str, limit: int = 5, min_score: float = 0.05
    ) -> list[tuple[int, float]]:
        """The indexed texts most similar to query: ``(doc_id, score)``, best first.

        Only positive scores >= min_score are returned; an empty or punctuation-only query, or one
        of stop words only, returns [].
        """
        if limit < 1:
            raise ValueError("limit must be >= 1")
        if not 0.0 <= min_score <= 1.0:
            raise ValueError("min_score must be in [0, 1]")
        counts = terms(query)
        if not counts or not self._docs:
            return []
        idf = self._idf_function()
        query_vector = {t: _tf(t, c) * idf(t) for t, c in counts.items()}
        query_norm = math.sqrt(sum(w * w for w in query_vector.values()))

        chosen = _best(self._accumulate(query_vector, idf), max(self._candidates, 4 * limit))
        results: list[tuple[int, float]] = []
        for doc_id in chosen:
            doc_counts = _counts(self._docs[doc_id].split(" "))
            dot = 0.0
            doc_norm_sq = 0.0
            for term, count in doc_counts.items():
                weight = _tf(term, count) * idf(term)
                doc_norm_sq += weight * weight
                q = query_vector.get(term)
                if q is not None:
                    dot += q * weight
            score = round(min(1.0, dot / (query_norm * math.sqrt(doc_norm_sq))), 4)
            if score >= min_score and score > 0.0:
                results.append((doc_id, score))
        results.sort(key=lambda r: (-r[1], r[0]))
        return results[:limit]

    # --- internals ---------------------------------------------------------------------------

    def _idf_function(self) -> Callable[[str], float]:
        """Smoothed idf, ln((1 + N) / (1 + df)) + 1: positive for every term, finite for new ones."""
        postings = self._postings
        n_plus_1 = len(self._docs) + 1
        log = math.log

        def idf(term: str) -> float:
            column = postings.get(term)
            df = len(column[0]) if column is not None else 0
            return log(n_plus_1 / (1 + df)) + 1.0

        return idf

    def _accumulate(
        self, query_vector: dict[str, float], idf: Callable[[str], float]
    ) -> dict[int, float]:
        """Phase 1: sum of query weight x idf x document weight over the query's selective terms.

        Rarest terms first, so that when every term is common (a two-character query such as 电梯
        on a ledger full of lifts) the rarest one is still used and the search is never empty.
        """
        postings = self._postings
        present = sorted(
            (len(postings[t][0]), t) for t in query_vector if t in postings
        )  # (df, term): deterministic order
        if not present:
            return {}
        common = max(self._max_df * len(self._docs), self._min_common_df)
        selected = [t for df, t in present if df <= common] or [present[0][1]]
        accumulated: dict[int, float] = {}
        get = accumulated.get
        for term in selected:
            factor = query_vector[term] * idf(term)
            ids, weights = postings[term]
            for doc_id, weight in zip(ids, weights, strict=True):
                accumulated[doc_id] = get(doc_id, 0.0) + factor * weight
        return accumulated


# --- synthetic corpus and benchmark ---------------------------------------------------------------

_PLACE_NAMES = (
    "城东 城西 城南 城北 幸福 和平 人民 建设 光明 新华 解放 文化 朝阳 东风 滨河 锦绣 阳光 金色 "
    "龙湖 翠苑 书香 紫荆 桂花 银杏 丽景 怡和 安居 康乐 泰和 盛世 东湖 西山 南门 北关 青石 白塔 "
    "红旗 胜利 团结 振兴 新城 老城 工业 开发区 火车站 汽车站 县医院 实验"
).split()
_PLACE_KINDS = (
    "大道 路 街 巷 小区 里小区 家园 花园小区 社区 广场 公园 桥 安置小区 菜市场 中学 小学 "
    "工业园 商业街 嘉园 苑 新村 公寓 片区"
).split()
_SUBJECTS_AND_ISSUES = (
    ("雨水管网", ("堵塞积水", "破损渗漏", "排水不畅", "雨后内涝严重", "井盖缺失")),
    ("污水管道", ("堵塞外溢", "破损污水横流", "臭味扰民", "雨污混接")),
    ("加装电梯", ("居民意见不一", "审批进度慢", "施工影响通行", "补贴未到位", "低层住户反对")),
    ("建筑工地", ("夜间施工噪音扰民", "扬尘污染严重", "围挡破损", "渣土车抛洒", "未办施工许可")),
    ("在建项目", ("拖欠农民工工资", "拖欠工程款", "安全防护不到位", "塔吊未检测", "工期严重滞后")),
    ("老旧小区改造", ("进度滞后", "质量不达标", "外墙保温脱落", "管线改造不彻底", "停车位不足")),
    ("路灯", ("不亮", "损坏未修", "线路老化", "亮灯时间不合理")),
    ("物业", ("服务质量差", "收费不规范", "维修基金使用不透明", "撤离无人管理")),
    ("燃气管道", ("老化漏气", "被违章建筑占压", "入户检查不到位", "改造迟迟未完成")),
    ("自建房", ("存在安全隐患", "违规加层", "墙体开裂", "改变用途经营")),
    ("供水管网", ("水压不足", "频繁停水", "水质浑浊", "爆管漏水")),
    ("人行道", ("路面破损", "地砖松动", "被占用停车", "盲道被占")),
    ("商品房", ("延期交房", "办证难", "房屋质量问题", "虚假宣传")),
    ("保障性住房", ("分配不公", "违规转租", "维修不及时", "租金收缴困难")),
    ("市政道路", ("坑洼不平", "施工后未恢复", "积水严重", "标线不清")),
    ("园林绿化", ("树木倒伏", "绿地被毁", "养护不到位", "树枝遮挡路灯")),
    ("违法建设", ("屋顶违建", "私搭乱建", "占用消防通道", "拆除后反弹")),
    ("行政审批", ("审批时限长", "材料反复退回", "窗口服务态度差", "网上办理系统故障")),
)
_PREFIXES = ("", "", "", "群众反映", "12345热线转办：", "县长信箱：", "网民留言")
_SUFFIXES = (
    "",
    "",
    "",
    "，要求尽快处理",
    "，已多次反映",
    "，影响居民出行",
    "，请相关单位核实",
    "严重",
)
_DETAILS = ("", "", "", "3号楼", "5栋", "二期", "东门附近", "北侧", "十字路口", "2单元")


def synthetic_problems(n: int, seed: int = 0) -> list[str]:
    """n short problem texts shaped like ledger entries, for the benchmark and for test corpora.

    Built as {prefix}{place}{detail}{subject}{issue}{suffix} from a few dozen words per slot, so
    that, as in a real ledger, many entries share a place or an issue and few share both.
    """
    rng = random.Random(seed)
    problems = []
    for _ in range(n):
        subject, issues = rng.choice(_SUBJECTS_AND_ISSUES)
        problems.append(
            rng.choice(_PREFIXES)
            + rng.choice(_PLACE_NAMES)
            + rng.choice(_PLACE_KINDS)
            + rng.choice(_DETAILS)
            + subject
            + rng.choice(issues)
            + rng.choice(_SUFFIXES)
        )
    return problems


def _paraphrase(text: str, rng: random.Random) -> str:
    """A crude rewording for the benchmark queries: cut, swap the halves, drop a character."""
    cut = rng.randrange(1, len(text))
    text = text[cut:] + "，" + text[:cut]
    drop = rng.randrange(len(text))
    return text[:drop] + text[drop + 1 :]


def benchmark(n: int = 100_000, queries: int = 100, seed: int = 0) -> dict[str, float]:
    """Build an index over n synthetic problems and time `queries` paraphrased searches.

    Returns build time in seconds and the median and 95th-percentile search time in milliseconds.
    Run by hand (``python -m duban.lib.similarity``), never by the test suite: it takes seconds.
    """
    texts = synthetic_problems(n, seed)
    index = SimilarityIndex()
    start = time.perf_counter()
    for doc_id, text in enumerate(texts, start=1):
        index.add(doc_id, text)
    build_s = time.perf_counter() - start

    rng = random.Random(seed + 1)
    timings = []
    for _ in range(queries):
        query = _paraphrase(rng.choice(texts), rng)
        start = time.perf_counter()
        index.search(query)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "build_s": round(build_s, 3),
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[min(len(timings) - 1, math.ceil(0.95 * len(timings)) - 1)], 3),
    }


def _best(scores: dict[int, float], wanted: int) -> list[int]:
    """The ids of the `wanted` highest scores; among ties at the cut, the lowest ids.

    Without the tie rule the cut would follow insertion order; and a ledger holding the same short
    text many times (路灯不亮) would otherwise send every copy to rescoring.
    """
    if len(scores) <= wanted:
        return list(scores)
    floor = heapq.nlargest(wanted, scores.values())[-1]
    chosen = [doc_id for doc_id, score in scores.items() if score > floor]
    ties = sorted(doc_id for doc_id, score in scores.items() if score == floor)
    return chosen + ties[: wanted - len(chosen)]


def _segments(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).lower()
    return _SEGMENT.findall(_SYNONYM_PATTERN.sub(lambda m: _SYNONYM_OF[m.group()], folded))


def _delete_stop_words(segment: str) -> str:
    return _STOP_PATTERN.sub(lambda m: m.group() if m.group() in _KEPT else "", segment)


def _counts(segments: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for segment in segments:
        units = _UNIT.findall(_delete_stop_words(segment))
        counts.update(units)
        counts.update(a + b for a, b in zip(units, units[1:], strict=False))
    return counts


def _tf(term: str, count: int) -> float:
    """Sublinear term frequency, with unigrams (one unit, see _UNIT) down-weighted.

    A term that is all ASCII is a single unit: ASCII runs are maximal, so no bigram is two of them.
    """
    weight = 1.0 + math.log(count)
    if len(term) == 1 or (term.isascii() and term.isalnum()):
        return weight * _UNIGRAM_WEIGHT
    return weight


if __name__ == "__main__":
    print(benchmark())
