#!/usr/bin/env bash
# What a user reads about where a number comes from cites the standard or
# the local rule itself (issue 14), never DOMAIN.md, a file that is not
# part of sanigrid: the help pages, the settings' sources in
# `sanigrid config DB list` (new stores and stores made before the fix),
# and the messages. Every "see `sanigrid config ...`" is a command that
# runs as written.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

src=$SG_SOURCE_DIR

# ---- help pages, catalogue, README ------------------------------------------
# (the catalogue's obsolete #~ entries are shown to nobody)
hits=$(grep -n 'DOMAIN' "$src"/docs/cli/*.md "$src"/po/zh_CN.po "$src"/README.md | grep -v ':#~' || true)
[[ -z "$hits" ]] || sg_fail "DOMAIN cited where users read it: $hits"
# every `sanigrid config ...` a page or message shows names a store and a
# verb the command takes
bad=$(grep -rhE '`sanigrid config' "$src"/docs/cli/*.md "$src"/src "$src"/po/zh_CN.po "$src"/README.md |
    grep -v '^#~' | grep -oE '`sanigrid config[^`]*`' |
    grep -vE '^`sanigrid config (DB|%s) (list|get [A-Za-z_.]+|set [A-Za-z_.]+ ([A-Z]+|[0-9.]+)|reset [A-Za-z_.]+)`$' |
    grep -vE '^`sanigrid config DB list\|get KEY\|set KEY VALUE\|reset KEY' || true)
[[ -z "$bad" ]] || sg_fail "config commands that do not run as written: $bad"

# ---- a new store: every source says something, none cites DOMAIN -------------
sg 0 init s.sqlite --quiet
sg 0 config s.sqlite list --json
json_ok 'len(d["settings"]) >= 40' \
    'all(v["source"] and "DOMAIN" not in v["source"] for v in d["settings"].values())' \
    'all("DOMAIN" not in (v["description"] or "") for v in d["settings"].values())' \
    'd["settings"]["collection_point.radius_m.clustered"]["source"].startswith("GB 55013-2021《市容环卫工程项目规范》§3.2.2")' \
    'd["settings"]["public_toilet.radius_m.town"]["source"] == "GB 55013-2021《市容环卫工程项目规范》§5.0.1"' \
    'd["settings"]["collection_vehicle.radius_km.small_motor"]["source"] == "GB/T 51435-2021《农村生活垃圾收运和处理技术标准》§4.4.2"'
sg 0 config s.sqlite list
out_has '^    source: GB 55013-2021《市容环卫工程项目规范》§3\.2\.2'
if grep -q 'DOMAIN' "$T/out"; then sg_fail "config list cites DOMAIN"; fi

# ---- a store made before: its sources are rewritten when it is opened -------
# (the schema before the migration that rewrites them, the sources as
# 0001 wrote them; values a user set are kept)
mig=$(cd "$src/data/sql" && ls ./*_setting_sources.sql)
mig=${mig#./}
before=$((10#${mig%%_*} - 1))
sg 0 config s.sqlite set cleaner.per_residents 500
store_exec s.sqlite "UPDATE settings SET source = 'GB 55013-2021 §3.2.2 (DOMAIN C1)' WHERE key = 'collection_point.radius_m.clustered';
                  UPDATE settings SET source = 'DOMAIN S5' WHERE key = 'cleaner.population_basis'"
store_set_version s.sqlite $before
sg 0 config s.sqlite set cleaner.min_per_village 2
sg 0 config s.sqlite list --json
json_ok 'all("DOMAIN" not in v["source"] for v in d["settings"].values())' \
    'd["settings"]["cleaner.per_residents"]["value"] == "500"' \
    'd["settings"]["cleaner.min_per_village"]["value"] == "2"'
eq "$(store_version s.sqlite)" \
    "$(sed -n 's/^#define SG_DB_SCHEMA_VERSION //p' "$src/include/sanigrid/store.h")" \
    "schema version after the upgrade"

# ---- the message of an unknown setting: the command it names runs ----------
sg 2 config s.sqlite get no.such.key
err_has 'unknown setting .no\.such\.key. \(`sanigrid config '"$(sg_store_re s.sqlite)"' list` shows them all\)'
cmd=$(grep -o '`sanigrid config [^`]*`' "$T/err" | tr -d '`')
# the command as a shell reads it (a PostgreSQL URI comes quoted)
mapfile -t words < <("$SG_PYTHON" -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "${cmd#sanigrid }")
sg 0 "${words[@]}"
out_has '^collection_point\.radius_m\.clustered'
# ... also for a store whose name holds a space (quoted in the command; on
# PostgreSQL every store's name, its conninfo, does)
sg 0 init "my store.sqlite" --quiet
sg 2 config "my store.sqlite" get no.such.key
cmd=$(grep -o '`sanigrid config [^`]*`' "$T/err" | tr -d '`')
mapfile -t words < <("$SG_PYTHON" -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "${cmd#sanigrid }")
eq "${#words[@]}" 3 "words of the suggested command: $cmd"
sg 0 "${words[@]}"
out_has '^collection_point\.radius_m\.clustered'
sg_done
