#!/usr/bin/env bash
# test_mount_real.sh - fuse/jetrestorefs with the real recovery engines on
# the bundled real SRUM sets, on a real mount: the bytes of a mounted
# database equal jr_job_run's output for the same set and parameters (and
# `jetrestore recover`'s), esedbinfo reads it, 8 concurrent readers share
# one recovery, mode=hard gives EIO and -615, unmount during a recovery
# exits cleanly and leaves nothing, a remount reuses the cache, and the
# evidence is never written.
. "${JR_SRCDIR:?run through make check}/tests/fuse/lib.sh"
need_fuse

FS=$JR_BUILDDIR/fuse/jetrestorefs
RUNJOB=$JR_BUILDDIR/tests/fuse/run_job
JR=$JR_BUILDDIR/src/jetrestore
TMP=${JR_TESTTMP:?}/fuse-real
fusermount3 -u "$TMP/m" 2>/dev/null
rm -rf "$TMP" && mkdir -p "$TMP"
probe_mount "$FS" "$TMP"
M=$TMP/m

BK=$TMP/backup
cp -a "$JR_TESTDATA/srum-win11-dirty" "$BK"
hash_dir "$BK" >"$TMP/bk.before"
recovery_lines() { grep -c "recovery started" "$1/.restore/log"; }

# Expected: the job itself, and the soft-recovery command (the same bytes).
mkdir -p "$TMP/exp" "$TMP/exp-hard" "$TMP/rec"
check "job: auto" "0 JET_errSuccess" "$("$RUNJOB" "$BK" "$TMP/exp" auto SRUDB.dat SRUDB.dat)"
check "job: hard on a non-backup set" "-615 JET_errRestoreOfNonBackupDatabase" \
	"$("$RUNJOB" "$BK" "$TMP/exp-hard" hard SRUDB.dat SRUDB.dat 2>/dev/null)"
EXP=$TMP/exp/SRUDB.dat
exp_sha=$(sha256sum <"$EXP" | cut -d' ' -f1)
"$JR" recover --log-dir "$BK" --system-dir "$BK" --out "$TMP/rec" "$BK/SRUDB.dat" >/dev/null
check "jetrestore recover gives the job's bytes" "$exp_sha" "$(sha256sum <"$TMP/rec/SRUDB.dat" | cut -d' ' -f1)"
exp_size=$(stat -c %s "$EXP")

# ---- listing, stat, cp, dd, sha256sum, esedbinfo
mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache" || exit 1
check "ls" "SRUDB.dat raw" "$(ls "$M" | tr '\n' ' ' | sed 's/ $//')"
check "raw" "SRU.chk SRU.log SRU00059.log SRU0005A.log SRU0005B.log SRUDB.dat SRUDB.jfm SRUres00001.jrs SRUtmp.log" \
	"$(ls "$M/raw" | tr '\n' ' ' | sed 's/ $//')"
check "stat before recovery" 2490368 "$(stat -c %s "$M/SRUDB.dat")"
ls -l "$M" >/dev/null
check "stat/ls start nothing" "idle 0" "$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .recoveries)"
cp "$M/SRUDB.dat" "$TMP/copy.dat"
check "cp: the job's bytes" "$exp_sha" "$(sha256sum <"$TMP/copy.dat" | cut -d' ' -f1)"
check "stat after recovery" "$exp_size" "$(stat -c %s "$M/SRUDB.dat")"
check "status after cp" "done 100 1 0" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .percent) $(db_field "$M" SRUDB.dat .recoveries) $(db_field "$M" SRUDB.dat .error.number)"
check "generation replayed" 92 "$(db_field "$M" SRUDB.dat .generation)"
check "sha256sum on the mount" "$exp_sha" "$(sha256sum "$M/SRUDB.dat" | cut -d' ' -f1)"
for spec in "4096 0 2" "4096 1 1" "4096 300 7" "512 12345 9" "65536 30 8"; do
	set -- $spec
	check "dd bs=$1 skip=$2 count=$3" "$(dd if="$EXP" bs="$1" skip="$2" count="$3" 2>/dev/null | sha256sum)" \
		"$(dd if="$M/SRUDB.dat" bs="$1" skip="$2" count="$3" 2>/dev/null | sha256sum)"
done
if command -v esedbinfo >/dev/null; then
	esedbinfo "$TMP/copy.dat" >"$TMP/info" 2>&1; check "esedbinfo of the copy" 0 "$?"
	grep -q "Number of tables:	14" "$TMP/info" && ok "esedbinfo: 14 tables" || bad "esedbinfo: $(head -12 "$TMP/info")"
	esedbinfo "$M/SRUDB.dat" >"$TMP/info2" 2>&1; check "esedbinfo on the mount" 0 "$?"
	check "esedbinfo on the mount = on the copy" "$(cat "$TMP/info")" "$(cat "$TMP/info2")"
else
	echo "# esedbinfo not installed: skipped its checks"
fi
check "one recovery for all of that" 1 "$(recovery_lines "$M")"
check "result" "0 JET_errSuccess: the operation succeeded" "$(cat "$M/.restore/result")"

# ---- mode soft: same bytes on this set, recovered again; hard: EIO, -615
check "mode soft" 0 "$(write_ctl "$M" mode soft)"
check "soft: idle again" idle "$(db_field "$M" SRUDB.dat .state)"
check "soft: same bytes" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check "soft: a second recovery" 2 "$(recovery_lines "$M")"
check "mode hard" 0 "$(write_ctl "$M" mode hard)"
cat "$M/SRUDB.dat" >/dev/null 2>"$TMP/err"; check "hard: read fails" 1 "$?"
grep -q "Input/output error" "$TMP/err" && ok "hard: EIO" || bad "hard read: $(cat "$TMP/err")"
check "hard: status" "failed -615 JET_errRestoreOfNonBackupDatabase" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .error.number) $(db_field "$M" SRUDB.dat .error.name)"
check_match "hard: result" "^-615 JET_errRestoreOfNonBackupDatabase: the database carries no backup information" \
	"$(cat "$M/.restore/result")"
check "hard: size stays the backup copy's" 2490368 "$(stat -c %s "$M/SRUDB.dat")"
check "mode auto: the cached result" 0 "$(write_ctl "$M" mode auto)"
check "auto: done from the cache" "done true" "$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .from_cache)"
check_unmount "first mount" "$M"

# ---- remount reuses the cache
mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache" || exit 1
check "remount: from the cache, no recovery" "done true 0" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .from_cache) $(db_field "$M" SRUDB.dat .recoveries)"
check "remount: bytes" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check "remount: no recovery started" 0 "$(recovery_lines "$M")"
check_unmount "remount" "$M"
mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache",mode=hard || exit 1
check "-o mode=hard: status before reading" "idle hard" "$(db_field "$M" SRUDB.dat .state) $(cat "$M/.restore/mode")"
cat "$M/SRUDB.dat" >/dev/null 2>&1; check "-o mode=hard: EIO" 1 "$?"
check "-o mode=hard: -615" -615 "$(db_field "$M" SRUDB.dat .error.number)"
check_unmount "mode=hard mount" "$M"

# ---- 8 concurrent readers: one recovery, identical bytes
JETRESTOREFS_TEST_DELAY_MS=1500 mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache8" || exit 1
readers=()
for i in 1 2 3 4 5 6 7 8; do
	sha256sum "$M/SRUDB.dat" >"$TMP/r$i" 2>&1 &
	readers+=($!)
done
wait_until 60 test "$(db_field "$M" SRUDB.dat .open)" = 8 && ok "8 readers open at once" || bad "open: $(db_field "$M" SRUDB.dat .open)"
check "they wait on one running recovery" running "$(db_field "$M" SRUDB.dat .state)"
wait "${readers[@]}"
for i in 1 2 3 4 5 6 7 8; do
	check "reader $i" "$exp_sha" "$(cut -d' ' -f1 "$TMP/r$i")"
done
check "8 readers: one recovery" "1 1" "$(db_field "$M" SRUDB.dat .recoveries) $(recovery_lines "$M")"
check_unmount "8 readers mount" "$M"

# ---- unmount during a running recovery
JETRESTOREFS_TEST_DELAY_MS=30000 mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache-u" || exit 1
check "start all" 0 "$(write_ctl "$M" start all)"
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = running && ok "running" || bad "not running"
ls "$TMP/cache-u" | grep -q "^tmp-" && ok "the recovery has its temporary directory" || bad "no temporary directory"
t0=$(date +%s)
check_unmount "unmount during a recovery" "$M"
check "...within 10 s" 1 "$(( $(date +%s) - t0 < 10 ))"
check "...nothing left in the cache" "" "$(ls -A "$TMP/cache-u")"
mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache-u" || exit 1
check "remount: idle" "idle 0" "$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .recoveries)"
check "remount completes it" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check_unmount "remount after the interrupted recovery" "$M"

# ---- the other real sets: the mount serves the job's bytes
for set in srum-win10-clean-a srum-win10-clean-b; do
	mkdir -p "$TMP/exp-$set"
	hash_dir "$JR_TESTDATA/$set" >"$TMP/$set.before"
	"$RUNJOB" "$JR_TESTDATA/$set" "$TMP/exp-$set" auto SRUDB.dat SRUDB.dat >/dev/null
	mount_fs "$FS" "$JR_TESTDATA/$set" "$M" -o cache="$TMP/cache" || exit 1
	check "$set: mounted bytes = job's" "$(sha256sum <"$TMP/exp-$set/SRUDB.dat")" "$(sha256sum <"$M/SRUDB.dat")"
	check_unmount "$set mount" "$M"
	check "$set: unchanged" "" "$(diff "$TMP/$set.before" <(hash_dir "$JR_TESTDATA/$set"))"
done

check "backup dir unchanged" "" "$(diff "$TMP/bk.before" <(hash_dir "$BK"))"
finish
