#!/usr/bin/env bash
# test_restore_cli.sh - `jetrestore restore` end to end on a streaming
# backup made from the real Windows 11 set (tests/synth/mkbackup): exit
# status, the JET_ERR line on stderr, outputs equal to `jetrestore recover`
# of the original, --map, --json, target-instance roll-forward, plain
# progress lines, the backup directory unchanged.
# Prints TAP-like lines and "N passed, N failed" at the end.
set -u
JR=${JR_BUILDDIR:?run through make check}/src/jetrestore
MK=${JR_BUILDDIR}/tests/synth/mkbackup
DATA=${JR_TESTDATA:?}
TMP=${JR_TESTTMP:-/tmp}/restore-cli
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0 fail=0

ok()   { pass=$((pass + 1)); echo "ok - $1"; }
bad()  { fail=$((fail + 1)); echo "not ok - $1"; }
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}

SET=$DATA/srum-win11-dirty
BK=$TMP/backup
mkdir -p "$BK" "$TMP/soft"
"$MK" "$SET" SRUDB.dat SRU "$BK" >/dev/null || { bad "mkbackup"; exit 1; }
(cd "$BK" && sha256sum -- *) >"$TMP/before"

# The reference: soft recovery of the original set.
"$JR" recover --out "$TMP/soft" "$SET/SRUDB.dat" >/dev/null 2>&1
check "recover reference" 0 "$?"
SOFT=$TMP/soft/SRUDB.dat
size=$(stat -c %s "$SOFT")

same_as_soft() {  # same_as_soft FILE: the soft result plus a zero page
  local f=$1
  [ "$(stat -c %s "$f")" = $((size + 4096)) ] &&
    cmp -s -n "$size" "$f" "$SOFT" &&
    [ -z "$(tail -c 4096 "$f" | tr -d '\0')" ]
}

# ---- a plain restore (stderr not a terminal: plain progress lines)
mkdir -p "$TMP/t1"
out=$("$JR" restore --backup-dir "$BK" --target "$TMP/t1" 2>"$TMP/err1"); rc=$?
check "restore exit" 0 "$rc"
check "restore names the output" "restored $TMP/t1/SRUDB.dat" "$(head -1 <<<"$out")"
same_as_soft "$TMP/t1/SRUDB.dat" && ok "restore equals recover" || bad "restore equals recover"
check "progress begins" "restore: begin" "$(head -1 "$TMP/err1")"
check "progress completes" "restore: complete" "$(tail -1 "$TMP/err1")"
grep -q "redo .* gen 0x59" "$TMP/err1" && ok "progress shows the replay" || bad "progress shows the replay"
"$JR" check "$TMP/t1/SRUDB.dat" >/dev/null
check "restored database passes check" 0 "$?"
if command -v esedbinfo >/dev/null; then
  # libesedb (20181229) reads the restored database; the dirty
  # Windows 11 original it refuses with a header checksum mismatch.
  check "libesedb reads it: tables" "Number of tables: 14" \
    "$(esedbinfo "$TMP/t1/SRUDB.dat" | grep -o 'Number of tables:.*' | tr -s '\t ' ' ')"
fi

# ---- --map with the recorded Windows path, --json
mkdir -p "$TMP/t2"
out=$("$JR" restore --backup-dir "$BK" --target "$TMP/t2" --json \
  --map 'C:\Windows\system32\SRU\SRUDB.dat=renamed.edb' 2>/dev/null); rc=$?
check "map exit" 0 "$rc"
check "map json target" "$TMP/t2/renamed.edb" "$(jq -r '.databases[0]' <<<"$out")"
check "map json range" "89 92 92" "$(jq -r '"\(.gen_low) \(.gen_high) \(.gen_end)"' <<<"$out")"
check "map json records" 1752 "$(jq .records <<<"$out")"
same_as_soft "$TMP/t2/renamed.edb" && ok "map output equals recover" || bad "map output equals recover"

# ---- errors: number, name and message on stderr, exit 1, nothing left
mkdir -p "$TMP/t3"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --gen-low 0x5A 2>"$TMP/err3"; rc=$?
check "genLow too high exit" 1 "$rc"
grep -q "^jetrestore restore: error -554 StartingRestoreLogTooHigh: .*SRU00059.log" "$TMP/err3" &&
  ok "genLow too high message" || bad "genLow too high message: $(cat "$TMP/err3")"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --gen-high 0x5B 2>"$TMP/err3"; rc=$?
check "genHigh too low exit" 1 "$rc"
grep -q "error -553 EndingRestoreLogTooLow" "$TMP/err3" && ok "genHigh too low message" || bad "genHigh too low message"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --map 'C:\x\dhcp.mdb=d.mdb' 2>"$TMP/err3"; rc=$?
check "unknown map name exit" 1 "$rc"
grep -q "error -1811 FileNotFound" "$TMP/err3" && ok "unknown map name message" || bad "unknown map name message"
"$JR" restore --backup-dir "$TMP/nowhere" --target "$TMP/t3" 2>"$TMP/err3"; rc=$?
check "missing backup dir exit" 1 "$rc"
grep -q "error -1811 FileNotFound" "$TMP/err3" && ok "missing backup dir message" || bad "missing backup dir message"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --target-log-dir "$TMP" 2>"$TMP/err3"; rc=$?
check "one target dir exit" 1 "$rc"
grep -q "error -1003 InvalidParameter" "$TMP/err3" && ok "one target dir message" || bad "one target dir message"
check "failures leave nothing" 0 "$(ls -A "$TMP/t3" | wc -l)"

# ---- usage errors
"$JR" restore --target "$TMP/t3" 2>/dev/null; check "no backup dir is usage" 2 "$?"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --map nomap 2>/dev/null
check "bad --map is usage" 2 "$?"
"$JR" restore --backup-dir "$BK" --target "$TMP/t3" --gen-low x 2>/dev/null
check "bad number is usage" 2 "$?"

# ---- roll forward from a target instance
BK2=$TMP/backup2 TGT=$TMP/instance
mkdir -p "$BK2" "$TGT" "$TMP/t4"
"$MK" "$SET" SRUDB.dat SRU "$BK2" 0x59 0x5A "$TGT" >/dev/null
out=$("$JR" restore --backup-dir "$BK2" --target "$TMP/t4" --gen-low 0x59 \
  --gen-high 0x5A --target-log-dir "$TGT" --target-checkpoint-dir "$TGT" \
  --json 2>/dev/null); rc=$?
check "roll forward exit" 0 "$rc"
check "roll forward to 0x5C" 92 "$(jq .gen_end <<<"$out")"
same_as_soft "$TMP/t4/SRUDB.dat" && ok "roll forward equals recover" || bad "roll forward equals recover"
"$JR" restore --backup-dir "$BK2" --target "$TMP/t3" 2>"$TMP/err3"; rc=$?
grep -q "error -543 RequiredLogFilesMissing" "$TMP/err3" && ok "without the instance: -543" || bad "without the instance: -543"

# ---- the evidence is untouched
(cd "$BK" && sha256sum -- *) >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && ok "backup directory unchanged" || bad "backup directory unchanged"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
