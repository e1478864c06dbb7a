#!/usr/bin/env bash
# A password given in a PostgreSQL connection string (issue 21) is never
# shown: not in --json, not in messages, not in the text output, not in
# the rejects or the runs recorded, for the URI form (user:password@,
# ?password=) and the key=value form (password=..., quoted with a space),
# whether the command works (the password still reaches the server:
# the role's authentication is scram-sha-256) or fails (a wrong
# password, an unknown layer, a refused write). The store's name shown
# is the connection string without the password.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
sg_setup
sg_pg_start

pw='Pw-s3cret#42'
pwenc='Pw-s3cret%2342'
sg_pg_psql "CREATE ROLE sg_pw LOGIN PASSWORD '$pw'; GRANT CREATE ON DATABASE sanigrid TO sg_pw;"
hba=$SG_PG_DIR/data/pg_hba.conf
{ echo "local all sg_pw scram-sha-256"; cat "$hba"; } >"$hba.new"
cat "$hba.new" >"$hba"
sg__pg_as_owner "$SG_PG_BIN/pg_ctl" -D "$SG_PG_DIR/data" reload >/dev/null
sleep 1
sock=${SG_PG_SOCK//\//%2F}
unset PGPASSWORD
export PGPASSFILE=/nonexistent

# no_secret: the password (plain or percent-encoded) nowhere in the last
# run's output, nor in the files it wrote here
no_secret()
{
    local f
    for f in "$T/out" "$T/err" "$T"/*.csv; do
        [[ -e "$f" ]] || continue
        ! grep -qF -e "s3cret" "$f" || sg_fail "the password shown in $(basename "$f"): $(grep -F s3cret "$f" | head -c 300)"
    done
}

cat >hh.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"H1","resident_population":2},"geometry":{"type":"Point","coordinates":[500050,3300010]}},
{"type":"Feature","properties":{"household_id":"H1","resident_population":5},"geometry":{"type":"Point","coordinates":[500400,3300010]}}]}
EOF

for form in uri query keyvalue; do
    case $form in
    uri) db="postgresql://sg_pw:$pwenc@$sock/sanigrid?options=-csearch_path%3Ds_$form"
         shown="store postgresql://sg_pw@$sock/" ;;
    query) db="postgresql://sg_pw@$sock/sanigrid?password=$pwenc&options=-csearch_path%3Ds_$form"
         shown="store postgresql://sg_pw@$sock/" ;;
    keyvalue) db="host=$SG_PG_SOCK dbname=sanigrid user=sg_pw password='$pw with space' options=-csearch_path=s_$form"
         sg_pg_psql "ALTER ROLE sg_pw PASSWORD '$pw with space'"
         shown="user=sg_pw" ;;
    esac
    # works: the password reached the server
    sg 0 init "$db" --crs EPSG:4545 --json
    no_secret
    json_ok '"s3cret" not in d["store"]' '"sg_pw" in d["store"]'
    sg 0 init "$SG_PG_DB?options=-csearch_path%3Dprobe_$form" --quiet
    sg 3 import "$db" households hh.geojson --src-crs EPSG:4545 --json
    no_secret
    json_ok 'd["imported"] == 1' 'd["rejected"] == 1'
    sg 3 import "$db" households hh.geojson --src-crs EPSG:4545 --mode replace
    no_secret
    sg 0 info "$db" --json
    no_secret
    json_ok 'd["layers"]["households"]["count"] == 1'
    sg 0 info "$db"
    no_secret
    out_has "$shown"
    sg 1 coverage "$db" --json  # no points: an error naming the store
    no_secret
    sg 2 show "$db" nolayer
    no_secret
    err_has "no layer 'nolayer'"
    sg 1 init "$db"
    no_secret
    err_has 'already exists'
    sg 2 config "$db" set cleaner.per_residents -3
    no_secret
    eq "$(sg_pg_psql "SELECT count(*) FROM s_$form.runs WHERE params LIKE '%s3cret%' OR counts LIKE '%s3cret%'")" 0 \
        "runs holding the password ($form)"
done

# a wrong password: refused by the server, and not shown either
sg 3 info "postgresql://sg_pw:Wrong-s3cret@$sock/sanigrid?options=-csearch_path%3Ds_uri" --json
no_secret
err_has 'cannot connect to PostgreSQL store'
sg 3 info "host=$SG_PG_SOCK dbname=sanigrid user=sg_pw password=Wrong-s3cret options=-csearch_path=s_uri"
no_secret
err_has 'password authentication failed'

sg_pg_stop
sg_done
