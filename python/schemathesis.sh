#!/usr/bin/env bash
# Hostile input: schemathesis (pinned in python/requirements.txt) against the OpenAPI
# document that `passage demo` serves, over every operation, authenticated, with its
# default checks (no 5xx, responses that conform to their documented schema, status codes
# and media types documented, schema-valid input accepted, schema-violating input
# rejected, ...). Any failure fails the run.
#
#   python/schemathesis.sh [PASSAGE_BINARY]       (default target/debug/passage)
#
# It serves the demo on a free loopback port from a fresh SQLite database and runs twice:
# as a user holding every role that works with records (registration to data
# protection), then as the administrator (organisations and users). Examples per
# operation: PASSAGE_SCHEMATHESIS_EXAMPLES (default 10). Reports go to
# PASSAGE_SCHEMATHESIS_REPORTS when set.
set -euo pipefail

passage=$(realpath "${1:-target/debug/passage}")
here=$(cd "$(dirname "$0")/.." && pwd)
schemathesis=${SCHEMATHESIS:-$here/.venv/bin/schemathesis}
examples=${PASSAGE_SCHEMATHESIS_EXAMPLES:-10}
work=$(mktemp -d /tmp/passage-schemathesis.XXXXXX)
reports=${PASSAGE_SCHEMATHESIS_REPORTS:-$work/reports}
server=""

cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/demo.db"
"$passage" demo --bind 127.0.0.1:0 --database "$db" >"$work/demo.out" 2>"$work/demo.err" &
server=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$work/demo.out" || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.err"; echo "passage demo stopped before serving"; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { echo "passage demo did not print its address"; exit 1; }
echo "passage demo serving at $url"

# Every role that works with records; the administrator runs on its own (it never reads
# personal records, so its token would only learn 403 on them).
roles=registration_clerk,screening_officer,asylum_caseworker,trafficking_caseworker
roles=$roles,child_protection_caseworker,return_caseworker,site_manager,assistance_officer
roles=$roles,incident_officer,supervisor,data_protection_focal_point
"$passage" users add hostile.aceh --database "$db" --organisation "Aceh Task Force for Foreign Refugees" \
  --roles "$roles" >/dev/null

status=0
for user in hostile.aceh admin; do
  token=$("$passage" users token "$user" --database "$db" --days 1 --name schemathesis 2>/dev/null)
  echo "--- schemathesis as $user, $examples examples per operation"
  # From the scratch folder: schemathesis leaves a cache (.schemathesis/) where it runs.
  (cd "$work" && "$schemathesis" --no-color --config-file "$here/python/schemathesis.toml" run "$url/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" --seed 1 --workers 2 \
    --report junit --report-dir "$reports/$user") || status=1
done
exit $status
