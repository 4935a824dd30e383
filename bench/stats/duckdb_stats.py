"""DuckDB's side of `passage bench stats`: the population and monthly arrivals tables over
the same rows Passage counted, read from Passage's SQLite file and written to Parquet.

Usage: duckdb_stats.py DB NOW FROM CUTS RUNS
  DB    the benchmark's SQLite database
  NOW   the reference time as Passage stores it (persons registered by it; arrivals before it)
  FROM  the first instant of the arrivals table
  CUTS  the age bracket cut dates, latest first (YYYY-MM-DD,...)
  RUNS  how many times each query runs; the best time is printed

Prints one JSON line: {"population_ms": ..., "arrivals_ms": ..., "groups": ...}.
"""

import json
import os
import sqlite3
import sys
import tempfile
import time

import duckdb
import pandas


def best(con, sql, runs):
    times = []
    rows = None
    for _ in range(runs):
        t = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return min(times), rows


def main():
    db, now, start, cuts, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5])
    source = sqlite3.connect(db)
    frames = {
        "persons": "SELECT status, anonymised_at, registration_level, site_id, population_type, sex, "
        "first_nationality, born_on, created_at FROM persons",
        "arrivals": "SELECT id, arrived_at, mode, site_id FROM arrivals",
        "households": "SELECT arrival_id, size FROM households",
    }
    folder = tempfile.mkdtemp(prefix="passage-duckdb-")
    con = duckdb.connect()
    for name, sql in frames.items():
        frame = pandas.read_sql_query(sql, source)
        con.register("frame", frame)
        con.execute(f"COPY frame TO '{folder}/{name}.parquet' (FORMAT parquet)")
        con.unregister("frame")
    brackets = " ".join(f"WHEN born_on > '{cut}' THEN {i}" for i, cut in enumerate(cuts))
    population = f"""
        SELECT population_type, sex,
               CASE WHEN born_on IS NULL THEN -1 {brackets} ELSE {len(cuts)} END AS bracket,
               first_nationality, site_id, COUNT(*) AS n
        FROM '{folder}/persons.parquet'
        WHERE status <> 'merged' AND anonymised_at IS NULL AND registration_level >= 2
          AND created_at <= '{now}'
        GROUP BY ALL
    """
    arrivals = f"""
        SELECT substr(a.arrived_at, 1, 7) AS month, SUM(h.size) AS n
        FROM '{folder}/arrivals.parquet' a
        LEFT JOIN '{folder}/households.parquet' h ON h.arrival_id = a.id
        WHERE a.arrived_at >= '{start}' AND a.arrived_at < '{now}'
        GROUP BY ALL
    """
    population_ms, groups = best(con, population, runs)
    arrivals_ms, _ = best(con, arrivals, runs)
    for name in frames:
        os.remove(f"{folder}/{name}.parquet")
    os.rmdir(folder)
    print(json.dumps({"population_ms": population_ms, "arrivals_ms": arrivals_ms, "groups": len(groups)}))


if __name__ == "__main__":
    main()
