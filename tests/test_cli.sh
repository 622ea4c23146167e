#!/usr/bin/env bash
# test_cli.sh - `jetrestore dump` and `verify` end to end on the bundled real
# sets and on damaged copies: exit status, JET_ERR numbers, JSON fields and
# record counts. Prints TAP-like lines and "N passed, N failed" at the end.
set -u
JR=${JR_BUILDDIR:?run through make check}/src/jetrestore
DATA=${JR_TESTDATA:?}
TMP=${JR_TESTTMP:-/tmp}/cli
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0 fail=0
(cd "$DATA/srum-win11-dirty" && sha256sum -- *) >"$TMP/before"

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
bad()  { fail=$((fail + 1)); echo "not ok - $1"; }
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}

# ---- verify: the real sets are sound
for set in srum-win11-dirty:89:92:2 srum-win10-clean-a:3:9:1 srum-win10-clean-b:25:32:3; do
  IFS=: read -r name low high strays <<<"$set"
  out=$("$JR" verify --json "$DATA/$name"); rc=$?
  check "verify $name exit" 0 "$rc"
  check "verify $name result" 0 "$(jq .result <<<"$out")"
  check "verify $name gen_low" "$low" "$(jq '.sets[0].logs.gen_low' <<<"$out")"
  check "verify $name gen_high" "$high" "$(jq '.sets[0].logs.gen_high' <<<"$out")"
  check "verify $name strays" "$strays" "$(jq '.sets[0].logs.not_in_chain | length' <<<"$out")"
  check "verify $name bad pages" 0 "$(jq '[.sets[0].files[] | select(.kind=="Database") | .pages_bad] | add' <<<"$out")"
done

# ---- dump: header facts
D=$DATA/srum-win11-dirty
out=$("$JR" dump --json "$D/SRUDB.dat")
check "dump db state" 2 "$(jq .state_code <<<"$out")"
check "dump db genMinRequired" 92 "$(jq .gen_min_required <<<"$out")"
check "dump db genMaxRequired" 92 "$(jq .gen_max_required <<<"$out")"
check "dump db page size" 4096 "$(jq .page_size <<<"$out")"
check "dump db format" 1568 "$(jq .version <<<"$out")"
out=$("$JR" dump --json "$D/SRU.chk")
check "dump checkpoint" "92 8 0" "$(jq -r '"\(.lgpos_checkpoint.gen) \(.lgpos_checkpoint.isec) \(.lgpos_checkpoint.ib)"' <<<"$out")"
out=$("$JR" dump --json "$D/SRU.log")
check "dump current log gen" 92 "$(jq .gen <<<"$out")"
check "dump log kind" Log "$(jq -r .kind <<<"$out")"
"$JR" dump "$D/SRUres00001.jrs" >/dev/null 2>"$TMP/err"; rc=$?
check "dump blank file exit" 1 "$rc"
grep -q -- "-1812 FileInvalidType" "$TMP/err" && ok "dump blank file error" || bad "dump blank file error: $(cat "$TMP/err")"

# ---- dump --records: per-type counts of the whole set (README facts: logical
# records with fragments reassembled, NOP2 fill records counted, NOP bytes not)
for f in "$D"/SRU0005[9AB].log "$D/SRU.log"; do "$JR" dump --records --json "$f"; done \
  | jq -c 'select(.lrtyp != null)' >"$TMP/records.jsonl"
count() { jq -r .type "$TMP/records.jsonl" | grep -cx "$1"; }
check "records in the set" 1759 "$(wc -l <"$TMP/records.jsonl")"
check "records NOP2" 7 "$(count NOP2)"
check "records Insert" 913 "$(count Insert)"
check "records Split2" 56 "$(count Split2)"
check "records NewPage" 28 "$(count NewPage)"
check "records Replace" 23 "$(count Replace)"
check "records Delete" 7 "$(count Delete)"
check "records SetExternalHeader" 1 "$(count SetExternalHeader)"
check "records have positions" 0 "$(jq -c 'select(.gen == null or .isec == null or .ib == null or .size == null)' "$TMP/records.jsonl" | wc -l)"
check "page records have dbtimes" 0 "$(jq -c 'select(.type == "Insert" and (.pgno == null or .dbtime_before == null or .dbtime_after == null))' "$TMP/records.jsonl" | wc -l)"

# ---- damaged copies
copy() { rm -rf "$TMP/$1"; cp -r "$D" "$TMP/$1"; chmod -R u+w "$TMP/$1"; echo "$TMP/$1"; }
flip() {  # flip FILE OFFSET: xor one byte with 0x04
  local b; b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 4)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
expect_err() {  # expect_err NAME NUMBER DIR
  "$JR" verify "$3" >/dev/null 2>"$TMP/err"; local rc=$?
  if [ "$rc" -ne 0 ] && grep -q -- "error $2 " "$TMP/err"; then ok "$1"; else bad "$1 (rc $rc: $(cat "$TMP/err"))"; fi
}

d=$(copy segbit); flip "$d/SRU0005A.log" $((0x3000 + 700)); flip "$d/SRU0005A.log" $((0x3000 + 900))
expect_err "segment bit flips -> LogFileCorrupt" -501 "$d"
grep -q "0x5A" "$TMP/err" && ok "segment error names the generation" || bad "segment error position: $(cat "$TMP/err")"
d=$(copy pagebits); flip "$d/SRUDB.dat" $((12 * 4096 + 1000)); flip "$d/SRUDB.dat" $((12 * 4096 + 2000))
expect_err "page bit flips -> ReadVerifyFailure" -1018 "$d"
grep -q "page 11 (offset 49152)" "$TMP/err" && ok "page error names page 11" || bad "page error position: $(cat "$TMP/err")"
d=$(copy gap); rm "$d/SRU0005A.log"
expect_err "generation gap -> MissingLogFile" -528 "$d"
d=$(copy trunc); truncate -s 20000 "$d/SRU0005B.log"
"$JR" verify "$d" >/dev/null 2>"$TMP/err"; rc=$?
[ "$rc" -ne 0 ] && grep -q "SRU0005B.log" "$TMP/err" && ok "truncated log fails naming the file" || bad "truncated log ($rc: $(cat "$TMP/err"))"
d=$(copy zerodb); dd if=/dev/zero of="$d/SRUDB.dat" bs=4096 count=2 conv=notrunc status=none
"$JR" dump "$d/SRUDB.dat" >/dev/null 2>"$TMP/err"; rc=$?
[ "$rc" -ne 0 ] && grep -q -- "error -1812 \|error -1206 " "$TMP/err" && ok "zeroed database header refused" || bad "zeroed header ($rc: $(cat "$TMP/err"))"
d=$(copy hdrbit); flip "$d/SRUDB.dat" 100
out=$("$JR" dump --json "$d/SRUDB.dat"); rc=$?
check "one header copy damaged: exit" 0 "$rc"
check "one header copy damaged: shadow used" shadow "$(jq -r .header_copy <<<"$out")"
"$JR" verify /nonexistent/dir >/dev/null 2>"$TMP/err"
grep -q -- "error -1811 " "$TMP/err" && ok "missing path -> FileNotFound" || bad "missing path: $(cat "$TMP/err")"
"$JR" dump >/dev/null 2>&1; check "dump without files is a usage error" 2 "$?"

# the evidence is never touched
(cd "$DATA/srum-win11-dirty" && sha256sum -- *) | diff -q - "$TMP/before" >/dev/null && ok "inputs unchanged" || bad "inputs unchanged"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
