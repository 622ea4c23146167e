#!/usr/bin/env bash
# test_bigset.sh - the recovery benchmark's generator (`jrsynth db`) at a
# small scale: a 4 MiB log set over the Windows 11 dirty database. The set
# verifies; `jetrestore recover` applies every page record the generator
# wrote (none skipped, none undone); the result is Clean Shutdown, passes
# `jetrestore check`, holds the created pages; a second recovery gives the
# same bytes; the generated inputs are untouched.
set -u
JR=${JR_BUILDDIR:?run through make check}/src/jetrestore
SYNTH=$JR_BUILDDIR/tests/synth/jrsynth
DATA=${JR_TESTDATA:?}
TMP=${JR_TESTTMP:-/tmp}/bigset
rm -rf "$TMP" && mkdir -p "$TMP/set"
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok - $1"; }
bad()  { fail=$((fail + 1)); echo "not ok - $1"; }
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}
stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/synth.txt"; }

"$SYNTH" db --from "$DATA/srum-win11-dirty" --out "$TMP/set" --mib 4 \
  >"$TMP/synth.txt"
check "generator exit" 0 "$?"
records=$(stat_of records)
pages=$(stat_of pages_created)
check "generator wrote page records" 1 "$([ "${records:-0}" -gt 10000 ] && echo 1)"
check "generator created pages" 1 "$([ "${pages:-0}" -gt 100 ] && echo 1)"
check "generations 0x5D.." 93 "$(stat_of gen_first)"
check "files" "SRU.chk SRU.log SRU0005D.log SRU0005E.log SRU0005F.log SRUDB.dat" \
  "$(cd "$TMP/set" && echo *)"
"$JR" verify "$TMP/set" >"$TMP/verify.txt" 2>&1
check "verify the set" 0 "$?"
(cd "$TMP/set" && sha256sum -- *) >"$TMP/before"

out=$("$JR" recover --json --out "$TMP/out1" "$TMP/set/SRUDB.dat")
check "recover exit" 0 "$?"
check "recover state" '"Clean Shutdown"' "$(jq .state_after <<<"$out")"
check "recover from the checkpoint" '"(0x5D,1,0)"' "$(jq .lgpos_start <<<"$out")"
check "records applied = page records written" "$records" \
  "$(jq '[.types[].applied] | add' <<<"$out")"
check "records skipped" 0 "$(jq '[.types[].skipped] | add' <<<"$out")"
check "inserts applied" 1 "$(jq '.types.Insert.applied > 10000' <<<"$out" | sed 's/true/1/')"
check "pages created" "$pages" "$(jq .pages_created <<<"$out")"
check "nothing undone" 0 "$(jq .transactions_undone <<<"$out")"

"$JR" check "$TMP/out1/SRUDB.dat" >"$TMP/check.txt" 2>&1
check "check exit" 0 "$?"
grep -q "sound: no problems" "$TMP/check.txt" && ok "check sound" || bad "check: $(cat "$TMP/check.txt")"
trees=$(sed -n 's/.* \([0-9]*\) trees,.*/\1/p' "$TMP/check.txt")
check "a tree per created page" 1 "$([ "${trees:-0}" -ge "$pages" ] && echo 1)"
# the first created page was blank in the input and holds nodes now
first=$(stat_of pgno_first)
in_pg=$(dd if="$TMP/set/SRUDB.dat" bs=4096 skip=$((first + 1)) count=1 2>/dev/null | tr -d '\0' | wc -c)
out_pg=$(dd if="$TMP/out1/SRUDB.dat" bs=4096 skip=$((first + 1)) count=1 2>/dev/null | tr -d '\0' | wc -c)
check "created page blank in the input" 0 "$in_pg"
check "created page filled" 1 "$([ "$out_pg" -gt 2000 ] && echo 1)"

"$JR" recover --out "$TMP/out2" "$TMP/set/SRUDB.dat" >/dev/null
check "second recover exit" 0 "$?"
cmp -s "$TMP/out1/SRUDB.dat" "$TMP/out2/SRUDB.dat" && ok "second recovery: same bytes" \
  || bad "second recovery differs"
(cd "$TMP/set" && sha256sum -- *) >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && ok "inputs untouched" || bad "inputs changed"

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$TMP"
[ "$fail" -eq 0 ]
