"""Accuracy figures from an engine's pairs and clusters files against the truth.

truth CSV: id,entity,source (source empty for a deduplication, 'a'/'b' for a
linkage of two files, where only cross-file pairs count, on both sides).
pairs CSV: id_l,id_r,score. clusters CSV: id,cluster.

Definitions (printed by run.py too):
- true pairs: pairs of records of the same entity (cross-file only for linkage).
- blocking recall: share of true pairs present in the pairs file, at any score.
- pairwise P/R/F1 at t: predicted = pairs in the file with score >= t.
- best: the t over all distinct scores of the file that maximises pairwise F1.
- cluster pairwise P/R/F1: predicted = every pair of records put in one cluster.
- exact cluster P/R/F1: a predicted cluster of >= 2 records is correct when it
  holds exactly the records of one entity; precision over predicted clusters of
  >= 2 records, recall over entities with >= 2 records.
"""

import duckdb
import numpy as np


def _q(path):
    return "'" + str(path).replace("'", "''") + "'"


def prf(tp, pred, true):
    p = tp / pred if pred else 0.0
    r = tp / true if true else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(truth_csv, pairs_csv, clusters_csv, threshold=None, linkage=False):
    con = duckdb.connect()
    con.execute(f"create table truth as select id, entity, coalesce(source, '') as source "
                f"from read_csv({_q(truth_csv)}, all_varchar = true, header = true)")
    # number of within-entity pairs of n records (a of them in file A, b in B)
    pair_expr = "a * b" if linkage else "n * (n - 1) / 2"
    group_cols = ("count(*) filter (where source = 'a') as a, "
                  "count(*) filter (where source = 'b') as b, count(*) as n")
    true_pairs = con.execute(
        f"select coalesce(sum({pair_expr}), 0) from (select {group_cols} from truth group by entity)"
    ).fetchall()[0][0]
    out = {"records": con.execute("select count(*) from truth").fetchall()[0][0], "true_pairs": int(true_pairs)}

    if pairs_csv:
        con.execute(f"""
            create table p as
            select least(id_l, id_r) as l, greatest(id_l, id_r) as r, max(score) as score
            from read_csv({_q(pairs_csv)}, header = true,
                          columns = {{'id_l': 'VARCHAR', 'id_r': 'VARCHAR', 'score': 'DOUBLE'}})
            where id_l <> id_r
            group by all""")
        cross = "and tl.source <> tr.source" if linkage else ""
        con.execute(f"""
            create table lab as
            select p.score, (tl.entity = tr.entity)::int as m
            from p join truth tl on p.l = tl.id join truth tr on p.r = tr.id
            where true {cross}""")
        out["unknown_ids_in_pairs"] = con.execute(
            "select count(*) from p where l not in (select id from truth) "
            "or r not in (select id from truth)").fetchall()[0][0]
        n, tp_all = con.execute("select count(*), coalesce(sum(m), 0) from lab").fetchall()[0]
        out["pairs"] = n
        out["blocking_recall"] = tp_all / true_pairs if true_pairs else 0.0
        if threshold is not None:
            pred, tp = con.execute(
                f"select count(*), coalesce(sum(m), 0) from lab where score >= {float(threshold)}").fetchall()[0]
            out["at_threshold"] = (threshold,) + prf(tp, pred, true_pairs)
        scan = con.execute("select score, count(*) as n, sum(m) as tp from lab "
                           "group by score order by score desc").fetchnumpy()
        if len(scan["score"]):
            pred = np.cumsum(scan["n"].astype(np.float64))
            tp = np.cumsum(scan["tp"].astype(np.float64))
            p, r = tp / pred, tp / max(true_pairs, 1)
            f1 = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-300), 0.0)
            i = int(np.argmax(f1))
            out["best"] = (float(scan["score"][i]), float(p[i]), float(r[i]), float(f1[i]))

    if clusters_csv:
        con.execute(f"create table c as select id, cluster from read_csv({_q(clusters_csv)}, "
                    f"all_varchar = true, header = true)")
        out["cluster_rows"] = con.execute("select count(*) from c").fetchall()[0][0]
        out["records_without_cluster"] = con.execute(
            "select count(*) from truth where id not in (select id from c)").fetchall()[0][0]
        out["records_in_several_clusters"] = con.execute(
            "select count(*) from (select id from c group by id having count(distinct cluster) > 1)"
        ).fetchall()[0][0]
        # records the engine left out count as singletons
        con.execute("""
            create table j as
            select t.id, t.entity, t.source, coalesce(c.cluster, '\x01' || t.id) as cluster
            from truth t left join (select id, min(cluster) as cluster from c group by id) c using (id)""")
        pred = con.execute(f"select coalesce(sum({pair_expr}), 0) from "
                           f"(select {group_cols} from j group by cluster)").fetchall()[0][0]
        tp = con.execute(f"select coalesce(sum({pair_expr}), 0) from "
                         f"(select {group_cols} from j group by cluster, entity)").fetchall()[0][0]
        out["cluster_pairwise"] = prf(tp, pred, true_pairs)
        pred_ns, exact = con.execute("""
            with cl as (select cluster, count(*) as n, count(distinct entity) as ne, min(entity) as e
                        from j group by cluster),
                 es as (select entity, count(*) as n from truth group by entity)
            select count(*) filter (where cl.n >= 2),
                   count(*) filter (where cl.n >= 2 and cl.ne = 1 and cl.n = es.n)
            from cl join es on cl.e = es.entity""").fetchall()[0]
        true_ns = con.execute(
            "select count(*) from (select entity from truth group by entity having count(*) >= 2)").fetchall()[0][0]
        out["exact_cluster"] = prf(exact, pred_ns, true_ns)
        out["predicted_clusters"] = pred_ns
        out["true_clusters"] = true_ns
    con.close()
    return out
