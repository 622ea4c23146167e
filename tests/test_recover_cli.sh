#!/usr/bin/env bash
# test_recover_cli.sh - `jetrestore recover` and `jetrestore check` end to
# end: the Windows 11 dirty set recovers into a new directory (inputs
# untouched), the result passes check and libesedb's esedbinfo reads it
# with the input's tables, a second run gives the same bytes, the default
# output directory is beside the input, bad input fails with its JET_ERR
# and leaves nothing at the output path, and check finds a damaged page.
set -u
JR=${JR_BUILDDIR:?run through make check}/src/jetrestore
DATA=${JR_TESTDATA:?}
TMP=${JR_TESTTMP:-/tmp}/recover_cli
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "ok - $1"; }
bad()  { fail=$((fail + 1)); echo "not ok - $1"; }
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}

W11=$DATA/srum-win11-dirty
(cd "$W11" && sha256sum -- *) >"$TMP/before"

# ---- recover the dirty set
out=$("$JR" recover --json --out "$TMP/out1" "$W11/SRUDB.dat"); rc=$?
check "recover exit" 0 "$rc"
check "recover state before" '"Dirty Shutdown"' "$(jq .state_before <<<"$out")"
check "recover generations" "92 92" "$(jq -r '"\(.gen_first) \(.gen_last)"' <<<"$out")"
check "recover start" '"(0x5C,8,0)"' "$(jq .lgpos_start <<<"$out")"
check "recover records" 3 "$(jq .records <<<"$out")"
check "recover undone" 0 "$(jq .transactions_undone <<<"$out")"
check "recover output" "$TMP/out1/SRUDB.dat" "$(jq -r .out <<<"$out")"
check "only the result in out" "SRUDB.dat" "$(ls -A "$TMP/out1")"
(cd "$W11" && sha256sum -- *) >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && ok "inputs untouched" || bad "inputs changed"

out=$("$JR" dump --json "$TMP/out1/SRUDB.dat")
check "recovered state" 3 "$(jq .state_code <<<"$out")"
check "recovered genMinRequired" 0 "$(jq .gen_min_required <<<"$out")"
check "recovered genMaxRequired" 0 "$(jq .gen_max_required <<<"$out")"

# data pages (everything after the two header pages) are Windows' bytes
cmp -s <(tail -c +8193 "$W11/SRUDB.dat") <(tail -c +8193 "$TMP/out1/SRUDB.dat") \
  && ok "data pages identical" || bad "data pages differ"

# ---- check
"$JR" check "$TMP/out1/SRUDB.dat" >"$TMP/check.txt"; rc=$?
check "check exit" 0 "$rc"
grep -q "sound: no problems" "$TMP/check.txt" && ok "check sound" || bad "check: $(cat "$TMP/check.txt")"
out=$("$JR" check --json "$TMP/out1/SRUDB.dat")
check "check json sound" true "$(jq .sound <<<"$out")"
check "check json dbtime" "$(jq .dbtime_header <<<"$out")" "$(jq .dbtime_max_page <<<"$out")"

# ---- libesedb reads the result: same tables as the input
if command -v esedbinfo >/dev/null; then
  esedbinfo "$TMP/out1/SRUDB.dat" >"$TMP/info.txt" 2>&1; rc=$?
  check "esedbinfo exit" 0 "$rc"
  check "esedbinfo tables" "Number of tables:	14" "$(grep -o 'Number of tables:.*' "$TMP/info.txt")"
  grep -q "SruDbIdMapTable" "$TMP/info.txt" && ok "esedbinfo SruDbIdMapTable" || bad "esedbinfo tables"
else
  echo "# esedbinfo not installed: skipped"
fi

# ---- idempotence
"$JR" recover --out "$TMP/out2" "$W11/SRUDB.dat" >/dev/null; rc=$?
check "second recover exit" 0 "$rc"
cmp -s "$TMP/out1/SRUDB.dat" "$TMP/out2/SRUDB.dat" && ok "same bytes twice" || bad "bytes differ between runs"

# ---- default output directory: beside the input directory
mkdir -p "$TMP/ev/w11" && cp "$W11"/* "$TMP/ev/w11/"
"$JR" recover "$TMP/ev/w11/SRUDB.dat" >/dev/null; rc=$?
check "default out exit" 0 "$rc"
[ -f "$TMP/ev/w11.recovered/SRUDB.dat" ] && ok "default out beside the input" || bad "no $TMP/ev/w11.recovered/SRUDB.dat"
check "input directory unchanged" "$(ls "$W11" | wc -l)" "$(ls "$TMP/ev/w11" | wc -l)"

# ---- bad input: a required generation missing
mkdir -p "$TMP/missing" && cp "$W11"/* "$TMP/missing/" && rm "$TMP/missing/SRU.log"
"$JR" recover --out "$TMP/out_missing" "$TMP/missing/SRUDB.dat" >/dev/null 2>"$TMP/err"; rc=$?
check "missing gen exit" 1 "$rc"
grep -q -- "-543 RequiredLogFilesMissing" "$TMP/err" && ok "missing gen error" || bad "missing gen error: $(cat "$TMP/err")"
check "missing gen leaves nothing" "" "$(ls -A "$TMP/out_missing" 2>/dev/null)"

# ---- check finds a damaged page (a flipped bit in page 10)
cp "$TMP/out1/SRUDB.dat" "$TMP/damaged.dat"
off=$(( (10 + 1) * 4096 + 300 ))
b=$(od -An -tu1 -j "$off" -N1 "$TMP/damaged.dat" | tr -d ' ')
printf "$(printf '\\%03o' $(( b ^ 1 )))" | dd of="$TMP/damaged.dat" bs=1 seek="$off" conv=notrunc status=none
"$JR" check "$TMP/damaged.dat" >"$TMP/check2.txt" 2>"$TMP/err"; rc=$?
check "check damaged exit" 1 "$rc"
grep -q "page 10" "$TMP/check2.txt" && ok "check names page 10" || bad "check output: $(cat "$TMP/check2.txt")"
grep -q -- "-1206 DatabaseCorrupted" "$TMP/err" && ok "check damaged error" || bad "check error: $(cat "$TMP/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
