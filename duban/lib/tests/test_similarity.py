"""Tests for the problem-similarity index.

The paraphrase set is written the way staff re-enter a problem months later: other word order,
synonyms (积水/内涝, 加装/增设电梯, 拖欠/欠付), a clause added or dropped. It is mixed into a few
hundred other problems, many of which share the place or the issue with an original, so that only
matching on both finds it. Speed is measured by ``benchmark``, not here.
"""

from __future__ import annotations

from collections import Counter

import pytest

from duban.lib.similarity import (
    SimilarityIndex,
    benchmark,
    normalise,
    synthetic_problems,
    terms,
)

# (original on record, the same problem typed again)
PARAPHRASES = [
    ("城东大道雨水管网堵塞，下雨积水严重", "城东大道一下雨就内涝，雨水管堵了"),
    ("幸福里小区3号楼加装电梯居民意见不一", "幸福里小区3号楼增设电梯，住户意见分歧大"),
    ("滨河花园项目拖欠工程款，施工单位多次上访", "施工单位反映滨河花园项目欠付工程款"),
    ("新华路商住楼工地夜间施工，噪音扰民", "新华路商住楼夜间施工噪音大，附近居民无法休息"),
    ("人民广场改造工地围挡破损，存在安全隐患", "人民广场改造项目围挡损坏有安全隐患"),
    ("老旧小区改造项目审批慢，开工一再推迟", "老旧小区改造审批时限长，迟迟不能开工"),
    ("锦绣家园燃气管道老化漏气", "锦绣家园小区天然气管道老化，有漏气味道"),
    ("光明街路灯不亮已有一个月", "光明街的路灯坏了一个多月没人修"),
    ("建设路人行道地砖松动绊倒行人", "建设路人行道砖块松动，有行人被绊倒"),
    ("金色阳光小区物业公司收费不规范", "金色阳光小区物业乱收费"),
    ("文化巷自建房违规加盖第四层", "文化巷一户自建房违法加层至四层"),
    ("朝阳嘉园延期交房，业主要求赔偿", "朝阳嘉园开发商逾期交房，业主要求按合同赔偿"),
    ("东风路污水管道破损，污水外溢", "东风路污水管破了，污水冒到路面上"),
    ("紫荆苑供水水压不足，高层住户用水困难", "紫荆苑高层住户反映水压低，用水困难"),
    ("解放路渣土车沿途抛洒，道路脏乱", "解放路渣土运输车辆撒漏严重，路面脏"),
    ("县医院旁建筑工地扬尘污染严重", "县医院附近工地扬尘大，影响病人"),
    ("龙湖片区安置小区房屋质量差，墙体开裂", "龙湖安置小区房子墙体出现裂缝，质量不过关"),
    ("桂花社区违建占用消防通道", "桂花社区消防通道被违法建筑占用"),
    ("实验小学门口市政道路坑洼不平", "实验小学门前道路坑坑洼洼"),
    ("翠苑小区维修基金使用不透明", "翠苑小区业主质疑专项维修资金使用不公开"),
    ("工业园区在建厂房塔吊未经检测投入使用", "工业园在建厂房的塔吊没有检测就使用"),
    ("开发区保障房违规转租", "开发区公租房有人违规转租牟利"),
    ("盛世华庭商品房办证难，业主迟迟拿不到不动产证", "盛世华庭业主反映不动产权证办不下来"),
    ("青石桥加固工程工期严重滞后", "青石桥加固工程进度缓慢，严重拖期"),
    ("书香门第小区外墙保温层脱落，砸坏车辆", "书香门第外墙保温材料掉落砸到汽车"),
    ("南门菜市场周边排水不畅，污水横流", "南门菜市场附近下水道排水不畅，污水满地"),
    ("西山路绿化带树木倒伏未清理", "西山路行道树被风刮倒，一直没人清理"),
    ("胜利街商业街改造施工后路面未恢复", "胜利街改造工程结束后路面没有恢复原状"),
    ("施工许可网上办理系统经常故障", "网上办理施工许可时系统老是出故障"),
    ("农民工反映泰和苑项目拖欠工资", "泰和苑项目欠付农民工工资"),
    # No place name at all, or the place written differently: only the wording of the issue helps.
    ("全县自建房安全隐患排查进度慢", "自建房安全排查工作推进缓慢"),
    ("商品房预售资金监管不到位", "预售资金监管存在漏洞"),
    ("物业服务企业信用评价制度未落实", "物业企业信用评价没有落实"),
    ("城区共享单车乱停乱放占用人行道", "人行道上共享单车停放混乱"),
    ("建筑垃圾消纳场地不足", "建筑垃圾没有地方消纳"),
    ("人民路与建设路交叉口积水", "人民建设路口下雨积水"),
    ("锦绣家园１２栋楼顶漏水", "锦绣家园12号楼屋顶渗水"),
    ("住宅小区电梯困人故障频发", "小区电梯经常出故障关人"),
    ("住房公积金提取手续繁琐", "公积金提取要的材料太多"),
    ("城市污水处理厂进水浓度偏低", "污水厂进水浓度低"),
]

# Problems that share the place or the issue with an original but are a different problem.
NEAR_MISSES = [
    "城东大道路灯不亮",
    "城西大道雨水管网堵塞积水",
    "幸福里小区物业服务差",
    "阳光小区加装电梯居民意见不一",
    "滨河花园小区停车位不足",
    "城南项目拖欠工程款",
    "新华路人行道被占用停车",
    "人民广场周边道路坑洼不平",
    "锦绣家园外墙脱落",
    "光明街污水管道堵塞",
    "建设路雨水井盖缺失",
    "金色阳光小区加装电梯补贴未到位",
    "朝阳嘉园物业收费不规范",
    "东风路工地夜间施工噪音扰民",
    "紫荆苑路灯线路老化",
    "县医院门口道路积水",
    "龙湖片区燃气管道老化漏气",
    "实验小学周边工地扬尘",
    "开发区在建项目安全防护不到位",
    "青石桥路灯不亮",
]

UNRELATED = [
    "会议室投影仪无法连接笔记本电脑",
    "请假申请单模板下载",
    "今天食堂午饭供应时间调整",
]

ORIGINAL_BASE = 1_000_000  # ids of the originals, apart from the 1.. ids of everything else


@pytest.fixture(scope="module")
def ledger() -> SimilarityIndex:
    index = SimilarityIndex()
    others = [*synthetic_problems(320, seed=7), *NEAR_MISSES]
    for doc_id, text in enumerate(others, start=1):
        index.add(doc_id, text)
    for i, (original, _) in enumerate(PARAPHRASES):
        index.add(ORIGINAL_BASE + i, original)
    return index


def top3_hits(index: SimilarityIndex) -> list[bool]:
    return [
        ORIGINAL_BASE + i in [doc_id for doc_id, _ in index.search(paraphrase, limit=3)]
        for i, (_, paraphrase) in enumerate(PARAPHRASES)
    ]


# --- normalisation and terms ---------------------------------------------------------------------


def test_normalise_folds_width_and_case_and_drops_punctuation() -> None:
    assert normalise("１２号楼ＡＢ，城东 大道！（积水）") == "12号楼ab城东大道积水"
    assert normalise("…，。！ \t\n") == ""


def test_terms_are_unigrams_and_bigrams_within_segments() -> None:
    assert terms("积水，堵塞") == Counter(
        {"积": 1, "水": 1, "积水": 1, "堵": 1, "塞": 1, "堵塞": 1}
    )


def test_terms_treat_an_ascii_run_as_one_unit() -> None:
    assert terms("G205国道") == Counter({"g205": 1, "国": 1, "道": 1, "g205国": 1, "国道": 1})


def test_stop_words_are_deleted_before_ngrams() -> None:
    assert terms("管网的堵塞问题") == terms("管网堵塞")
    assert terms("存在积水情况") == terms("积水")


def test_words_starting_with_a_stop_character_are_kept() -> None:
    assert "和平" in terms("和平路")
    assert "及时" in terms("未及时处理")
    assert "在建" in terms("在建工程")
    assert "在" not in terms("现在积水")


def test_repeated_terms_are_counted() -> None:
    assert terms("积水积水")["积水"] == 2


# --- scores ------------------------------------------------------------------------------------


def test_exact_duplicate_scores_one(ledger: SimilarityIndex) -> None:
    original = PARAPHRASES[0][0]
    assert ledger.search(original, limit=1) == [(ORIGINAL_BASE, 1.0)]


def test_duplicate_up_to_width_case_and_punctuation_scores_one(ledger: SimilarityIndex) -> None:
    assert ledger.search(" 城东大道雨水管网堵塞。下雨积水严重！\n", limit=1) == [
        (ORIGINAL_BASE, 1.0)
    ]


def test_paraphrases_find_the_original_in_the_top_three(ledger: SimilarityIndex) -> None:
    hits = top3_hits(ledger)
    assert len(PARAPHRASES) >= 20
    assert len(ledger) >= 300 + len(PARAPHRASES)
    assert sum(hits) / len(hits) >= 0.9, [
        p for (_, p), hit in zip(PARAPHRASES, hits, strict=True) if not hit
    ]


def test_scores_are_best_first_and_within_bounds(ledger: SimilarityIndex) -> None:
    for _, paraphrase in PARAPHRASES:
        results = ledger.search(paraphrase, limit=10)
        scores = [score for _, score in results]
        assert scores == sorted(scores, reverse=True)
        assert all(0.05 <= score <= 1.0 and score == round(score, 4) for score in scores)


def test_unrelated_queries_score_low(ledger: SimilarityIndex) -> None:
    for query in UNRELATED:
        assert all(score < 0.2 for _, score in ledger.search(query, limit=3)), query


def test_min_score_filters_and_limit_caps(ledger: SimilarityIndex) -> None:
    query = PARAPHRASES[1][1]
    assert len(ledger.search(query, limit=2, min_score=0.0)) == 2
    assert all(score >= 0.3 for _, score in ledger.search(query, limit=10, min_score=0.3))
    assert ledger.search(query, min_score=1.0) == []


@pytest.mark.parametrize("query", ["", "   ", "，。！？……", "（）【】\n\t"])
def test_empty_and_punctuation_only_queries_return_nothing(
    ledger: SimilarityIndex, query: str
) -> None:
    assert ledger.search(query) == []


def test_stop_words_only_query_returns_nothing(ledger: SimilarityIndex) -> None:
    assert ledger.search("的问题") == []


def test_empty_index_returns_nothing() -> None:
    assert SimilarityIndex().search("城东大道积水") == []


@pytest.mark.parametrize(("limit", "min_score"), [(0, 0.05), (5, -0.1), (5, 1.5)])
def test_bad_arguments_are_refused(limit: int, min_score: float) -> None:
    with pytest.raises(ValueError):
        SimilarityIndex().search("积水", limit=limit, min_score=min_score)


# --- ties and determinism ------------------------------------------------------------------------


def test_equal_scores_are_ordered_by_doc_id() -> None:
    index = SimilarityIndex()
    for doc_id in (30, 10, 20):
        index.add(doc_id, "幸福里小区加装电梯居民意见不一")
    index.add(5, "幸福里小区物业收费")
    results = index.search("幸福里小区加装电梯居民意见不一")
    assert [doc_id for doc_id, _ in results[:3]] == [10, 20, 30]
    assert [score for _, score in results[:3]] == [1.0, 1.0, 1.0]


def test_ties_at_the_candidate_cut_keep_the_lowest_ids() -> None:
    index = SimilarityIndex(candidates=5)
    for doc_id in range(100, 0, -1):
        index.add(doc_id, "城东大道雨水管网堵塞积水")
    assert [doc_id for doc_id, _ in index.search("城东大道雨水管网堵塞积水")] == [1, 2, 3, 4, 5]


def test_results_do_not_depend_on_insertion_order() -> None:
    texts = dict(enumerate(synthetic_problems(200, seed=3), start=1))
    forward, backward = SimilarityIndex(), SimilarityIndex()
    for doc_id in sorted(texts):
        forward.add(doc_id, texts[doc_id])
    for doc_id in sorted(texts, reverse=True):
        backward.add(doc_id, texts[doc_id])
    for _, paraphrase in PARAPHRASES:
        assert forward.search(paraphrase, limit=10) == backward.search(paraphrase, limit=10)


# --- add, remove, update -----------------------------------------------------------------------


def test_remove_forgets_a_problem() -> None:
    index = SimilarityIndex()
    index.add(1, "城东大道雨水管网堵塞积水")
    index.add(2, "光明街路灯不亮")
    index.remove(1)
    assert len(index) == 1
    assert 1 not in index
    assert all(doc_id != 1 for doc_id, _ in index.search("城东大道积水", min_score=0.0))
    index.remove(2)
    assert len(index) == 0
    assert index.search("光明街路灯不亮") == []


def test_remove_of_an_unknown_id_is_a_no_op() -> None:
    index = SimilarityIndex()
    index.add(1, "光明街路灯不亮")
    index.remove(99)
    assert len(index) == 1


def test_add_again_replaces_the_text() -> None:
    index = SimilarityIndex()
    index.add(1, "城东大道雨水管网堵塞积水")
    index.add(2, "光明街路灯不亮")
    index.add(1, "幸福里小区加装电梯居民意见不一")
    assert len(index) == 2
    assert index.search("城东大道雨水管网堵塞积水") == []
    assert index.search("幸福里小区加装电梯居民意见不一", limit=1) == [(1, 1.0)]


def test_remove_keeps_scores_as_if_never_added() -> None:
    texts = synthetic_problems(100, seed=5)
    kept = SimilarityIndex()
    churned = SimilarityIndex()
    for doc_id, text in enumerate(texts, start=1):
        kept.add(doc_id, text)
        churned.add(doc_id, text)
    for doc_id, text in enumerate(synthetic_problems(50, seed=6), start=1000):
        churned.add(doc_id, text)
    for doc_id in range(1000, 1050):
        churned.remove(doc_id)
    assert len(churned) == len(kept)
    for query in texts[:10]:
        assert churned.search(query, limit=10) == kept.search(query, limit=10)


def test_text_without_terms_is_not_indexed() -> None:
    index = SimilarityIndex()
    index.add(1, "，。！")
    index.add(2, "的问题")
    assert len(index) == 0
    index.add(3, "光明街路灯不亮")
    index.add(3, "")
    assert len(index) == 0


def test_doc_id_must_fit_32_bits() -> None:
    with pytest.raises(ValueError):
        SimilarityIndex().add(2**31, "光明街路灯不亮")


# --- benchmark ---------------------------------------------------------------------------------


def test_benchmark_runs_on_a_small_corpus() -> None:
    result = benchmark(n=2_000, queries=10)
    assert set(result) == {"build_s", "median_ms", "p95_ms"}
    assert all(value >= 0 for value in result.values())


def test_the_thesaurus_folds_the_bureaus_synonyms():
    assert normalise("塔式起重机未检验") == normalise("塔吊未检测")
    assert terms("不动产权证办不下来") == terms("房产证办不下来")
    index = SimilarityIndex()
    index.add(1, "塔吊未经检测验收即投入使用")
    index.add(2, "脚手架未经验收即投入使用")
    assert index.search("塔式起重机没有检验就开始用了", 1)[0][0] == 1
