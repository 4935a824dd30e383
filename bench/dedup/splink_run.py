#!/usr/bin/env python3
"""Run Splink (DuckDB backend) on one benchmark CSV, as its documentation does.

    splink_run.py --profile febrl3|febrl4|synthetic --csv IN.csv
                  --pairs OUT.csv --clusters OUT.csv [--threshold P] [--pairs-min P]

Writes the same files as `passage dedup`: pairs (id_l,id_r,score = match
probability) for every compared pair with score >= --pairs-min, and clusters
(id,cluster) for every record, clustered at --threshold. Runs in its own
process so that the harness can measure its wall time and peak memory alone.

FEBRL profiles follow Splink's own FEBRL3 and FEBRL4 examples
(docs/demos/examples/duckdb/febrl3 and febrl4): the same column preparation,
blocking rules, comparisons, prior estimate, u sampling and EM sessions. The
synthetic profile follows the "deduplicate 50k synthetic" example
(ForenameSurnameComparison, DateOfBirthComparison, exact matches with term
frequencies, several name/date blocking rules, u from 1e7 random pairs), with
cleaning of the kind those docs recommend (lower case, normalised dates,
digits-only phones); its EM sessions block on phone and document (see below).
"""

import argparse
import logging
import os
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

T0 = time.time()


def step(msg):
    print(f"splink [{time.time() - T0:6.1f}s] {msg}", file=sys.stderr, flush=True)


# --- FEBRL (Splink's febrl3 / febrl4 examples) ------------------------------

FEBRL_PREP = """
    select * replace (trim(date_of_birth) as date_of_birth, trim(soc_sec_id) as soc_sec_id,
                      trim(postcode) as postcode),
           rec_id as unique_id
    from read_csv('{csv}', all_varchar = true, header = true)
"""


def febrl3_settings():
    blocking = [block_on("soc_sec_id"), block_on("given_name"), block_on("surname"),
                block_on("date_of_birth"), block_on("postcode")]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    training = dict(
        deterministic=[block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth"),
                       "l.given_name = r.surname and l.surname = r.given_name "
                       "and l.date_of_birth = r.date_of_birth"],
        recall=0.9, max_pairs=1e6,
        em=[block_on("date_of_birth"), block_on("postcode")], em_without_tf=False,
    )
    return settings, training


def febrl4_settings():
    blocking = [block_on("given_name", "surname"),
                "l.given_name = r.surname and l.surname = r.given_name",
                block_on("date_of_birth"), block_on("soc_sec_id"), block_on("state", "address_1"),
                block_on("street_number", "address_1"), block_on("postcode")]
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    training = dict(
        deterministic=[block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
        recall=0.8, max_pairs=1e6,
        em=[block_on("date_of_birth"), block_on("postcode")], em_without_tf=True,
    )
    return settings, training


# --- synthetic multi-origin population ---------------------------------------

SYNTH_PREP = r"""
    with raw as (select * from read_csv('{csv}', all_varchar = true, header = true))
    select
        id as unique_id,
        nullif(lower(trim(given_name)), '') as given_name,
        nullif(lower(trim(family_name)), '') as family_name,
        nullif(lower(trim(concat_ws(' ', given_name, family_name))), '') as name_concat,
        nullif(trim(original_name), '') as original_name,
        case upper(substr(trim(sex), 1, 1)) when 'F' then 'F' when 'M' then 'M' end as sex,
        case
            when regexp_matches(dob, '^\d{{4}}$') then dob || '-01-01'
            when regexp_matches(dob, '^\d{{2}}/\d{{2}}/\d{{4}}$')
                then substr(dob, 7, 4) || '-' || substr(dob, 4, 2) || '-' || substr(dob, 1, 2)
            else nullif(trim(dob), '')
        end as dob,
        nullif(upper(trim(nationality)), '') as nationality,
        nullif(lower(trim(place_of_origin)), '') as place_of_origin,
        nullif(upper(regexp_replace(document, '[^A-Za-z0-9;]', '', 'g')), '') as document,
        nullif(right(regexp_replace(phone, '[^0-9]', '', 'g'), 9), '') as phone
    from raw
"""


def synthetic_settings():
    blocking = [
        block_on("given_name", "family_name"),
        block_on("given_name", "substr(dob, 1, 4)"),
        block_on("family_name", "substr(dob, 1, 4)"),
        block_on("dob", "substr(given_name, 1, 2)", "substr(coalesce(family_name, ''), 1, 1)"),
        block_on("original_name"),
        block_on("document"),
        block_on("phone"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.ForenameSurnameComparison("given_name", "family_name",
                                         forename_surname_concat_col_name="name_concat"),
            cl.JaroWinklerAtThresholds("original_name", [0.9]).configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality").configure(term_frequency_adjustments=True),
            cl.ExactMatch("place_of_origin").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("document", [1, 2]),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    training = dict(
        deterministic=[block_on("given_name", "family_name", "dob"), block_on("document")],
        recall=0.6, max_pairs=1e7,
        # EM on blocks where a good share of pairs are true matches, as Splink's
        # training guidance advises. Name and date blocks (the 50k example's
        # choice) hold <1% matches here: EM then learns "same community", not
        # "same person" (dates stop counting), so they are not used.
        em=[block_on("phone"), block_on("document")],
        em_without_tf=True,
    )
    return settings, training


PROFILES = {
    # profile: (prep SQL, settings, default clustering threshold from the example followed)
    "febrl3": (FEBRL_PREP, febrl3_settings, 0.99),
    "febrl4": (FEBRL_PREP, febrl4_settings, 0.99),
    "synthetic": (SYNTH_PREP, synthetic_settings, 0.95),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", required=True, choices=PROFILES)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--threshold", type=float, help="clustering threshold (default: the example's)")
    ap.add_argument("--pairs-min", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--model-json", help="also save the trained model here")
    ap.add_argument("--verbose", action="store_true", help="show Splink's own log")
    args = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.INFO if args.verbose else logging.WARNING)

    prep, make_settings, default_threshold = PROFILES[args.profile]
    threshold = default_threshold if args.threshold is None else args.threshold
    # DuckDB spills to disk beside the outputs, not in the current directory.
    spill = os.path.join(os.path.dirname(os.path.abspath(args.pairs)), "duckdb-spill")
    con = duckdb.connect(config={"temp_directory": spill})
    step(f"loading {args.csv}")
    con.execute("create table input as " + prep.format(csv=args.csv.replace("'", "''")))
    settings, tr = make_settings()
    db_api = DuckDBAPI(connection=con)
    if args.profile == "febrl4":  # link_only: the two files, as in the example
        con.execute("create table input_a as select * exclude (source) from input where source = 'a'")
        con.execute("create table input_b as select * exclude (source) from input where source = 'b'")
        linker = Linker(["input_a", "input_b"], settings, db_api, set_up_basic_logging=args.verbose,
                        input_table_aliases=["a", "b"])
    else:
        linker = Linker("input", settings, db_api, set_up_basic_logging=args.verbose)

    step("estimating the prior from deterministic rules")
    linker.training.estimate_probability_two_random_records_match(tr["deterministic"], recall=tr["recall"])
    step(f"estimating u by random sampling (max_pairs={tr['max_pairs']:.0e})")
    linker.training.estimate_u_using_random_sampling(max_pairs=tr["max_pairs"], seed=args.seed)
    for rule in tr["em"]:
        step(f"estimating m by EM, blocking on {rule.get_blocking_rule('duckdb').blocking_rule_sql}")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=tr["em_without_tf"])

    if args.model_json:
        linker.misc.save_model_to_json(args.model_json, overwrite=True)
    step("predicting")
    predictions = linker.inference.predict(threshold_match_probability=args.pairs_min or None)
    predictions.as_duckdbpyrelation().project(
        "unique_id_l as id_l, unique_id_r as id_r, match_probability as score").write_csv(args.pairs)
    n_pairs = con.execute(f"select count(*) from {predictions.physical_name}").fetchall()[0][0]
    step(f"{n_pairs} pairs written; clustering at {threshold}")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold)
    clusters.as_duckdbpyrelation().project("unique_id as id, cluster_id as cluster").write_csv(args.clusters)
    step("done")


if __name__ == "__main__":
    main()
