"""DuckDB's side of `passage bench stats`: the population and monthly arrivals tables over
the same rows Passage counted, exported to Parquet.

Usage: duckdb_stats.py DIR NOW_UNIX CUTS RUNS
  DIR       holds population.csv and arrivals.csv written by the benchmark
  NOW_UNIX  the reference time (persons registered by it; arrivals in the two years to it)
  CUTS      the age bracket cut dates, latest first (YYYY-MM-DD,...)
  RUNS      how many times each query runs; the best time is printed

Prints one JSON line: {"population_ms": ..., "arrivals_ms": ..., "groups": ...}.
"""

import json
import sys
import time

import duckdb


def best(con, sql, runs):
    times = []
    rows = None
    for _ in range(runs):
        t = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return min(times), rows


def main():
    folder, now, cuts, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), int(sys.argv[4])
    con = duckdb.connect()
    for name in ("population", "arrivals"):
        con.execute(
            f"COPY (SELECT * FROM read_csv_auto('{folder}/{name}.csv', header=true, all_varchar=false)) "
            f"TO '{folder}/{name}.parquet' (FORMAT parquet)"
        )
    brackets = " ".join(
        f"WHEN CAST(born_on AS DATE) > DATE '{cut}' THEN {i}" for i, cut in enumerate(cuts)
    )
    population = f"""
        SELECT population_type, sex,
               CASE WHEN born_on IS NULL THEN -1 {brackets} ELSE {len(cuts)} END AS bracket,
               nationality, site, COUNT(*) AS n
        FROM '{folder}/population.parquet'
        WHERE counted AND registered_at <= {now}
        GROUP BY ALL
    """
    arrivals = f"""
        SELECT strftime(to_timestamp(arrived_at), '%Y-%m') AS month, SUM(persons) AS n
        FROM '{folder}/arrivals.parquet'
        WHERE arrived_at >= {now - 731 * 86400} AND arrived_at < {now}
        GROUP BY ALL
    """
    population_ms, groups = best(con, population, runs)
    arrivals_ms, _ = best(con, arrivals, runs)
    print(json.dumps({"population_ms": population_ms, "arrivals_ms": arrivals_ms, "groups": len(groups)}))


if __name__ == "__main__":
    main()
