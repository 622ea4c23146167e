#!/usr/bin/env bash
# test_mount_fake.sh - jetrestorefs on a real mount, over the test double
# of the recovery job (tests/fuse/fake_job.c): the FUSE layer's own
# behaviour - tree, stat, reads at offsets, waiting, one recovery shared by
# concurrent readers, control files, cancel, invalidation, cache reuse and
# eviction, unmount and SIGTERM during a recovery - with exact bytes, JET_ERR
# numbers and status fields. Expected bytes come from run_job-fake, the
# same double run directly through jr_job_run.
. "${JR_SRCDIR:?run through make check}/tests/fuse/lib.sh"
need_fuse

FS=$JR_BUILDDIR/tests/fuse/jetrestorefs-fake
RUNJOB=$JR_BUILDDIR/tests/fuse/run_job-fake
TMP=${JR_TESTTMP:?}/fuse-fake
SET=$JR_TESTDATA/srum-win11-dirty
fusermount3 -u "$TMP/m1" 2>/dev/null; fusermount3 -u "$TMP/m2" 2>/dev/null
rm -rf "$TMP" && mkdir -p "$TMP"
probe_mount "$FS" "$TMP"

# Our own copy of the evidence, and a second set with two databases.
BK=$TMP/backup
cp -a "$SET" "$BK"
BK2=$TMP/backup2
cp -a "$SET" "$BK2"
cp -a "$SET/SRUDB.dat" "$BK2/Second.edb"
hash_dir "$BK" >"$TMP/bk.before"
hash_dir "$BK2" >"$TMP/bk2.before"
export JRFS_FAKE_JOB_LOG=$TMP/calls
: >"$JRFS_FAKE_JOB_LOG"
calls() { wc -l <"$JRFS_FAKE_JOB_LOG" | tr -d ' '; }
M=$TMP/m1
CACHE=$TMP/cache1

# Expected outputs straight from the job.
mkdir -p "$TMP/exp-auto" "$TMP/exp-soft" "$TMP/exp-renamed" "$TMP/exp-hard"
JRFS_FAKE_JOB_LOG=/dev/null "$RUNJOB" "$BK" "$TMP/exp-auto" auto SRUDB.dat SRUDB.dat >/dev/null
JRFS_FAKE_JOB_LOG=/dev/null "$RUNJOB" "$BK" "$TMP/exp-soft" soft SRUDB.dat SRUDB.dat >/dev/null
JRFS_FAKE_JOB_LOG=/dev/null "$RUNJOB" "$BK" "$TMP/exp-renamed" auto SRUDB.dat srum.edb >/dev/null
out=$(JRFS_FAKE_JOB_LOG=/dev/null "$RUNJOB" "$BK" "$TMP/exp-hard" hard SRUDB.dat SRUDB.dat 2>/dev/null)
check "job double: hard on a non-backup database" "-615 JET_errRestoreOfNonBackupDatabase" "$out"
EXP=$TMP/exp-auto/SRUDB.dat
exp_sha=$(sha256sum <"$EXP" | cut -d' ' -f1)
check "job double output size" 2494464 "$(stat -c %s "$EXP")"

# ---- command line
"$FS" --help >"$TMP/help" 2>&1; rc=$?
check "--help exit" 0 "$rc"
grep -q "direct_io" "$TMP/help" && grep -q "cache_max=SIZE" "$TMP/help" && grep -q -- "-o allow_other" "$TMP/help" \
	&& ok "--help documents sizes, our options and FUSE's" || bad "--help text: $(head -5 "$TMP/help")"
out=$("$FS" --version); check_match "--version" "^jetrestorefs \(jetrestore\) [0-9.]+" "$out"
"$FS" "$BK" >/dev/null 2>&1; check "no mount point: usage exit" 2 "$?"
"$FS" "$TMP/nonexistent" "$M" -f >/dev/null 2>&1; check "missing backup dir exit" 1 "$?"
mkdir -p "$M"
"$FS" "$BK" "$M" -f -o mode=bogus 2>"$TMP/err"; rc=$?
check "bad -o mode exit" 1 "$rc"
grep -q -- "-1003 JET_errInvalidParameter" "$TMP/err" && ok "bad -o mode: -1003 on stderr" || bad "bad -o mode: $(cat "$TMP/err")"
"$FS" "$BK" "$M" -f -o loginfo=9:1:SRU 2>"$TMP/err"; check "bad -o loginfo exit" 1 "$?"
"$FS" "$BK" "$M" -f -o cache="$BK/cache" 2>"$TMP/err"; check "cache inside the evidence refused" 1 "$?"
grep -q "inside the backup directory" "$TMP/err" && ok "cache inside: reason" || bad "cache inside: $(cat "$TMP/err")"
"$FS" "$BK" "$M" -f -o target_logs=/tmp 2>"$TMP/err"; check "target_logs alone refused" 1 "$?"
mountpoint -q "$M" && bad "a refused mount left a mount" || ok "refused mounts mount nothing"

# ---- tree, stat: no recovery
mount_fs "$FS" "$BK" "$M" -o cache="$CACHE" || exit 1
check "ls" "SRUDB.dat raw" "$(ls "$M" | tr '\n' ' ' | sed 's/ $//')"
check "ls -a shows .restore" ". .. .restore SRUDB.dat raw" "$(ls -a "$M" | tr '\n' ' ' | sed 's/ $//')"
check "raw listing" "$(ls "$BK" | tr '\n' ' ')" "$(ls "$M/raw" | tr '\n' ' ')"
check "raw bytes" "$(sha256sum <"$BK/SRU0005A.log")" "$(sha256sum <"$M/raw/SRU0005A.log")"
check "control files" "cancel log loginfo mode result rstmap start status status.json target" \
	"$(ls "$M/.restore" | tr '\n' ' ' | sed 's/ $//')"
check "stat before recovery: backup copy size" 2490368 "$(stat -c %s "$M/SRUDB.dat")"
check "stat mode" "-r--r--r--" "$(stat -c %A "$M/SRUDB.dat")"
ls -l "$M" >/dev/null; stat "$M/SRUDB.dat" >/dev/null
check "ls/stat start no recovery" 0 "$(calls)"
check "state idle" idle "$(db_field "$M" SRUDB.dat .state)"
check "status.json size_final before" false "$(db_field "$M" SRUDB.dat .size_final)"
check "result at mount" "0 JET_errSuccess: the operation succeeded" "$(cat "$M/.restore/result")"

# ---- cp, stat, dd at offsets, sha256sum
cp "$M/SRUDB.dat" "$TMP/copy.dat"; rc=$?
check "cp exit" 0 "$rc"
check "cp copy equals the job's output" "$exp_sha" "$(sha256sum <"$TMP/copy.dat" | cut -d' ' -f1)"
check "one recovery for cp" 1 "$(calls)"
check "stat after recovery: recovered size" 2494464 "$(stat -c %s "$M/SRUDB.dat")"
check "state done" done "$(db_field "$M" SRUDB.dat .state)"
check "percent" 100 "$(db_field "$M" SRUDB.dat .percent)"
check "recoveries" 1 "$(db_field "$M" SRUDB.dat .recoveries)"
check "error number" 0 "$(db_field "$M" SRUDB.dat .error.number)"
check "records from progress" 608 "$(db_field "$M" SRUDB.dat .records)"
check "generation from progress" 92 "$(db_field "$M" SRUDB.dat .generation)"
for spec in "4096 0 1" "4096 100 3" "1 1234567 100" "4096 608 1" "65536 37 2"; do
	set -- $spec
	a=$(dd if="$M/SRUDB.dat" bs="$1" skip="$2" count="$3" 2>/dev/null | sha256sum)
	b=$(dd if="$EXP" bs="$1" skip="$2" count="$3" 2>/dev/null | sha256sum)
	check "dd bs=$1 skip=$2 count=$3" "$b" "$a"
done
check "dd past the end reads nothing" 0 "$(dd if="$M/SRUDB.dat" bs=4096 skip=609 count=4 2>/dev/null | wc -c)"
check "trailer beyond the backup size" "FAKE RECOVERY" "$(dd if="$M/SRUDB.dat" bs=4096 skip=608 count=1 2>/dev/null | head -1)"
check "sha256sum on the mount" "$exp_sha" "$(sha256sum "$M/SRUDB.dat" | cut -d' ' -f1)"
check "still one recovery" 1 "$(calls)"
grep -q "SRUDB.dat: recovered, 2494464 bytes" "$M/.restore/log" && ok "log: recovered line" || bad "log: $(cat "$M/.restore/log")"
grep -Eq "SRUDB.dat: redo [0-9]+% gen 0x5c records [0-9]+$" "$M/.restore/log" && ok "log: progress lines" || bad "log lacks progress"
grep -q "^  state       done$" "$M/.restore/status" && ok "status text: state" || bad "status text: $(cat "$M/.restore/status")"
grep -q "^  error       0 JET_errSuccess: the operation succeeded$" "$M/.restore/status" && ok "status text: error" || bad "status text error"

# ---- writes to the data: refused
( echo x >"$M/SRUDB.dat" ) 2>"$TMP/err"; check "write a database refused" 1 "$?"
grep -q "Read-only file system" "$TMP/err" && ok "write a database: EROFS" || bad "write db: $(cat "$TMP/err")"
rm -f "$M/SRUDB.dat" 2>/dev/null; check "rm refused" 1 "$?"
touch "$M/newfile" 2>/dev/null; check "create refused" 1 "$?"
mkdir "$M/dir" 2>/dev/null; check "mkdir refused" 1 "$?"
( echo x >"$M/raw/SRU.chk" ) 2>/dev/null; check "write raw refused" 1 "$?"
( echo x >"$M/.restore/status" ) 2>"$TMP/err"; check "write status refused" 1 "$?"
grep -q "Permission denied" "$TMP/err" && ok "write status: EACCES" || bad "write status: $(cat "$TMP/err")"
cat "$M/.restore/start" >/dev/null 2>&1; check "read start refused" 1 "$?"

# ---- mode
check "mode default" auto "$(cat "$M/.restore/mode")"
check "mode write bogus" "1 Invalid argument" "$(write_ctl "$M" mode $'bogus\n')"
check "mode bogus: -1003 recorded" "-1003 JET_errInvalidParameter" "$(cut -d: -f1 "$M/.restore/result")"
grep -q "not auto, hard or soft" "$M/.restore/result" && ok "mode bogus: reason" || bad "mode reason: $(cat "$M/.restore/result")"
check "mode unchanged" auto "$(cat "$M/.restore/mode")"
check "still done" done "$(db_field "$M" SRUDB.dat .state)"
check "mode write soft" 0 "$(write_ctl "$M" mode $'soft\n')"
check "mode soft" soft "$(cat "$M/.restore/mode")"
check "result after a good write" "0 JET_errSuccess: the operation succeeded" "$(cat "$M/.restore/result")"
check "mode change invalidates" idle "$(db_field "$M" SRUDB.dat .state)"
check "size back to the backup copy's" 2490368 "$(stat -c %s "$M/SRUDB.dat")"
check "soft read: soft bytes" "$(sha256sum <"$TMP/exp-soft/SRUDB.dat")" "$(sha256sum <"$M/SRUDB.dat")"
check "soft: a second recovery" 2 "$(calls)"
check "soft: job saw soft" "SRUDB.dat SRUDB.dat soft" "$(tail -1 "$JRFS_FAKE_JOB_LOG")"
check "mode back to auto" 0 "$(write_ctl "$M" mode auto)"
check "auto again: result from the cache" "done true" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .from_cache)"
check "auto again: bytes" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check "auto again: no recovery" 2 "$(calls)"

# ---- loginfo
check "loginfo default empty" "" "$(cat "$M/.restore/loginfo")"
check "loginfo write" 0 "$(write_ctl "$M" loginfo $'89 92 SRU\n')"
check "loginfo read" "89 92 SRU" "$(cat "$M/.restore/loginfo")"
check "loginfo invalidates" idle "$(db_field "$M" SRUDB.dat .state)"
check "loginfo json" "89 92 SRU" "$(jq -r '"\(.loginfo.gen_low) \(.loginfo.gen_high) \(.loginfo.base)"' "$M/.restore/status.json")"
for badv in "92 89 SRU" "1 2" "1 2 TOOLONG" "x y SRU"; do
	check "loginfo '$badv' refused" "1 Invalid argument" "$(write_ctl "$M" loginfo "$badv")"
	check "loginfo '$badv': -1003" "-1003" "$(cut -d' ' -f1 "$M/.restore/result")"
done
check "loginfo unchanged" "89 92 SRU" "$(cat "$M/.restore/loginfo")"
dd if="$M/SRUDB.dat" bs=4096 skip=608 count=1 2>/dev/null | grep -q "^loginfo 89 92 SRU$" \
	&& ok "loginfo reaches the job" || bad "loginfo not in the job's parameters"
: >"$M/.restore/loginfo"
check "loginfo cleared by truncation" "" "$(cat "$M/.restore/loginfo")"
check "loginfo cleared: cached result back" done "$(db_field "$M" SRUDB.dat .state)"

# ---- target
mkdir -p "$TMP/tlogs" "$TMP/tchk"
check "target write" 0 "$(write_ctl "$M" target "$TMP/tlogs $TMP/tchk")"
check "target read" "$TMP/tlogs
$TMP/tchk" "$(cat "$M/.restore/target")"
check "target invalidates" idle "$(db_field "$M" SRUDB.dat .state)"
check "target one dir refused" "1 Invalid argument" "$(write_ctl "$M" target "$TMP/tlogs")"
grep -q "both or none" "$M/.restore/result" && ok "target one dir: reason" || bad "target reason: $(cat "$M/.restore/result")"
check "target missing dir refused" "1 Invalid argument" "$(write_ctl "$M" target "$TMP/tlogs $TMP/nope")"
check "target relative refused" "1 Invalid argument" "$(write_ctl "$M" target "tlogs tchk")"
check "target unchanged" "$TMP/tlogs" "$(head -1 "$M/.restore/target")"
dd if="$M/SRUDB.dat" bs=4096 skip=608 count=1 2>/dev/null | grep -q "^target $TMP/tlogs $TMP/tchk$" \
	&& ok "target reaches the job" || bad "target not in the job's parameters"
n=$(calls)
echo "new log" >"$TMP/tlogs/SRU0005D.log"
check "target content change: rewrite" 0 "$(write_ctl "$M" target "$TMP/tlogs $TMP/tchk")"
check "target content is part of the fingerprint" idle "$(db_field "$M" SRUDB.dat .state)"
check "target cleared" 0 "$(write_ctl "$M" target "")"
check "target empty" "" "$(cat "$M/.restore/target")"

# ---- rstmap
check "rstmap default" "SRUDB.dat SRUDB.dat" "$(cat "$M/.restore/rstmap")"
check "rstmap write" 0 "$(write_ctl "$M" rstmap $'SRUDB.dat srum.edb\n')"
check "rstmap renames" "raw srum.edb" "$(ls "$M" | tr '\n' ' ' | sed 's/ $//')"
check "rstmap read" "SRUDB.dat srum.edb" "$(cat "$M/.restore/rstmap")"
check "old name gone" 1 "$(stat "$M/SRUDB.dat" >/dev/null 2>&1; echo $?)"
check "renamed: new recovery, renamed bytes" "$(sha256sum <"$TMP/exp-renamed/srum.edb")" "$(sha256sum <"$M/srum.edb")"
check "renamed: job saw the map" "SRUDB.dat srum.edb auto" "$(tail -1 "$JRFS_FAKE_JOB_LOG")"
for badv in "nosuch.edb x" "SRUDB.dat a/b" "SRUDB.dat .." "SRUDB.dat" "SRUDB.dat a
SRUDB.dat b" "SRUDB.dat raw" "SRUDB.dat .restore"; do
	check "rstmap '${badv//$'\n'/\\n}' refused" "1 Invalid argument" "$(write_ctl "$M" rstmap "$badv")"
	check "rstmap '${badv//$'\n'/\\n}': -1003" "-1003" "$(cut -d' ' -f1 "$M/.restore/result")"
done
grep -q "mapped twice" <(write_ctl "$M" rstmap $'SRUDB.dat a\nSRUDB.dat b' >/dev/null; cat "$M/.restore/result") \
	&& ok "rstmap duplicate: reason" || bad "rstmap duplicate reason: $(cat "$M/.restore/result")"
check "rstmap unchanged" "SRUDB.dat srum.edb" "$(cat "$M/.restore/rstmap")"
check "rstmap Windows path" 0 "$(write_ctl "$M" rstmap 'C:\Windows\System32\sru\SRUDB.dat srum.edb')"
check "rstmap Windows path: same map" "done" "$(db_field "$M" srum.edb .state)"
: >"$M/.restore/rstmap"
check "rstmap cleared: own name" "SRUDB.dat raw" "$(ls "$M" | tr '\n' ' ' | sed 's/ $//')"
check "rstmap cleared: cached result" done "$(db_field "$M" SRUDB.dat .state)"

# ---- start / cancel
check "start unknown refused" "1 Invalid argument" "$(write_ctl "$M" start nosuch)"
grep -q "no database named 'nosuch'" "$M/.restore/result" && ok "start unknown: reason" || bad "start reason: $(cat "$M/.restore/result")"
check "cancel unknown refused" "1 Invalid argument" "$(write_ctl "$M" cancel nosuch)"
check "start empty refused" "1 Invalid argument" "$(write_ctl "$M" start " ")"
check "mode hard for start" 0 "$(write_ctl "$M" mode hard)"
n=$(calls)
check "start SRUDB.dat" 0 "$(write_ctl "$M" start SRUDB.dat)"
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = failed && ok "start ran it" || bad "start: $(db_field "$M" SRUDB.dat .state)"
check "start: one recovery" $((n + 1)) "$(calls)"

# ---- a failing recovery: EIO and the JET_ERR
cat "$M/SRUDB.dat" >/dev/null 2>"$TMP/err"; rc=$?
check "read of a failed database fails" 1 "$rc"
grep -q "Input/output error" "$TMP/err" && ok "failed database: EIO" || bad "failed read: $(cat "$TMP/err")"
check "failed: no new recovery for the read" $((n + 1)) "$(calls)"
check "failed: state" failed "$(db_field "$M" SRUDB.dat .state)"
check "failed: error number" -615 "$(db_field "$M" SRUDB.dat .error.number)"
check "failed: error name" JET_errRestoreOfNonBackupDatabase "$(db_field "$M" SRUDB.dat .error.name)"
check "failed: error message" "the database carries no backup information and cannot be restored from backup" \
	"$(db_field "$M" SRUDB.dat .error.message)"
check_match "result names -615" "^-615 JET_errRestoreOfNonBackupDatabase: the database carries no backup information" "$(cat "$M/.restore/result")"
grep -q "^  error       -615 JET_errRestoreOfNonBackupDatabase: " "$M/.restore/status" && ok "status text: -615" || bad "status text lacks -615"
grep -q "failed: -615 JET_errRestoreOfNonBackupDatabase" "$M/.restore/log" && ok "log: failure" || bad "log lacks failure"
check "start all restarts a failed one" 0 "$(write_ctl "$M" start all)"
wait_until 60 test "$(calls)" = $((n + 2)) && ok "start all: recovery again" || bad "start all: $(calls) calls"
check "mode auto" 0 "$(write_ctl "$M" mode auto)"
check "back to the cached result" done "$(db_field "$M" SRUDB.dat .state)"
check_unmount "first mount" "$M"
check "backup dir unchanged" "" "$(diff "$TMP/bk.before" <(hash_dir "$BK"))"

# ---- remount reuses the cache
n=$(calls)
mount_fs "$FS" "$BK" "$M" -o cache="$CACHE" || exit 1
check "remount: done from cache" "done true 0" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .from_cache) $(db_field "$M" SRUDB.dat .recoveries)"
check "remount: recovered size at once" 2494464 "$(stat -c %s "$M/SRUDB.dat")"
check "remount: bytes" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check "remount: no recovery" "$n" "$(calls)"
check_unmount "remount" "$M"
printf 'SRUDB.dat srum.edb\n' >"$TMP/map"
mount_fs "$FS" "$BK" "$M" -o cache="$CACHE",map="$TMP/map" || exit 1
check "-o map names" "raw srum.edb" "$(ls "$M" | tr '\n' ' ' | sed 's/ $//')"
check "-o map: cached from the rstmap write" "done true" \
	"$(db_field "$M" srum.edb .state) $(db_field "$M" srum.edb .from_cache)"
check_unmount "mount with -o map" "$M"
mount_fs "$FS" "$BK" "$M" -o cache="$CACHE",mode=soft,loginfo=0x59:0x5c:SRU,target_logs="$TMP/tlogs",target_checkpoint="$TMP/tchk" || exit 1
check "-o mode" soft "$(cat "$M/.restore/mode")"
check "-o loginfo" "89 92 SRU" "$(cat "$M/.restore/loginfo")"
check "-o target_*" "$TMP/tlogs $TMP/tchk" "$(tr '\n' ' ' <"$M/.restore/target" | sed 's/ $//')"
dd if="$M/SRUDB.dat" bs=4096 skip=608 count=1 2>/dev/null | grep -q "^loginfo 89 92 SRU$" \
	&& ok "-o loginfo reaches the job" || bad "-o loginfo not in the job's parameters"
check_unmount "mount with -o mode, loginfo, target" "$M"

# ---- 8 concurrent readers: one recovery, identical bytes
n=$(calls)
JRFS_FAKE_CHUNK_DELAY_MS=20 mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache8" || exit 1
readers=()
for i in 1 2 3 4 5 6 7 8; do
	sha256sum "$M/SRUDB.dat" >"$TMP/r$i" 2>&1 &
	readers+=($!)
done
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = running && ok "readers wait on a running recovery" || bad "not running"
wait_until 60 test "$(db_field "$M" SRUDB.dat .open)" = 8 && ok "8 readers are open at once" || bad "open: $(db_field "$M" SRUDB.dat .open)"
wait "${readers[@]}"
for i in 1 2 3 4 5 6 7 8; do
	check "reader $i bytes" "$exp_sha" "$(cut -d' ' -f1 "$TMP/r$i")"
done
check "8 readers: one recovery" $((n + 1)) "$(calls)"
check "8 readers: recoveries in status" 1 "$(db_field "$M" SRUDB.dat .recoveries)"
check_unmount "8 readers mount" "$M"

# ---- a reader of another database is not held up
mount_fs "$FS" "$BK2" "$M" -o cache="$TMP/cache2" || exit 1
exp2=$(sha256sum <"$M/Second.edb")  # recovered now, quickly
check_unmount "second-set mount" "$M"
JRFS_FAKE_CHUNK_DELAY_MS=150 mount_fs "$FS" "$BK2" "$M" -o cache="$TMP/cache2" || exit 1
sha256sum <"$M/SRUDB.dat" >"$TMP/slow" 2>/dev/null &
slow=$!
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = running || bad "slow recovery not running"
t0=$(date +%s%N)
got=$(sha256sum <"$M/Second.edb")
stat "$M/SRUDB.dat" >/dev/null; cat "$M/.restore/status" >/dev/null
t1=$(date +%s%N)
check "other database read while one recovers" "$exp2" "$got"
check "...and the slow one is still running" running "$(db_field "$M" SRUDB.dat .state)"
[ $(( (t1 - t0) / 1000000 )) -lt 2000 ] && ok "other reads took $(( (t1 - t0) / 1000000 )) ms" || bad "other reads took $(( (t1 - t0) / 1000000 )) ms"

# ---- a waiting reader interrupted by a signal returns at once; the
# ---- recovery goes on
t0=$(date +%s%N)
timeout -s INT 0.5 cat "$M/SRUDB.dat" >/dev/null 2>&1
rc=$?
t1=$(date +%s%N)
check "interrupted reader: killed by SIGINT" 124 "$rc"
[ $(( (t1 - t0) / 1000000 )) -lt 2000 ] && ok "interrupted reader returned after $(( (t1 - t0) / 1000000 )) ms" \
	|| bad "interrupted reader took $(( (t1 - t0) / 1000000 )) ms"
check "the recovery goes on" running "$(db_field "$M" SRUDB.dat .state)"

# ---- cancel a running recovery
check "cancel all" 0 "$(write_ctl "$M" cancel all)"
wait "$slow"; rc=$?
check "reader of a cancelled recovery fails" 1 "$rc"
check "cancelled: failed -1000" "failed -1000 JET_errTermInProgress" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .error.number) $(db_field "$M" SRUDB.dat .error.name)"
check_match "cancelled: result" "^-1000 JET_errTermInProgress: " "$(cat "$M/.restore/result")"
check "cancelled: no partial files in the cache" "" "$(ls "$TMP/cache2" | grep -v '\.edb$\|\.info$')"
check "cancel of an idle database is harmless" 0 "$(write_ctl "$M" cancel Second.edb)"
check_unmount "cancel mount" "$M"

# ---- unmount during a running recovery: clean exit, nothing partial,
# ---- remount completes it
n=$(calls)
JRFS_FAKE_CHUNK_DELAY_MS=200 mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache-u" || exit 1
check "start for the unmount test" 0 "$(write_ctl "$M" start all)"
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = running || bad "not running"
sleep 0.5
ls "$TMP/cache-u" | grep -q "^tmp-" && ok "a recovery in progress has its temporary directory" || bad "no temporary directory: $(ls "$TMP/cache-u")"
t0=$(date +%s)
check_unmount "unmount during a recovery" "$M"
check "...promptly" 1 "$(( $(date +%s) - t0 < 10 ))"
check "...no files left in the cache" "" "$(ls -A "$TMP/cache-u")"
mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache-u" || exit 1
check "remount after an interrupted recovery: idle" "idle 0" \
	"$(db_field "$M" SRUDB.dat .state) $(db_field "$M" SRUDB.dat .recoveries)"
check "remount completes it" "$exp_sha" "$(sha256sum <"$M/SRUDB.dat" | cut -d' ' -f1)"
check_unmount "remount after an interrupted recovery" "$M"

# ---- SIGTERM while a reader waits
JRFS_FAKE_CHUNK_DELAY_MS=200 mount_fs "$FS" "$BK" "$M" -o cache="$TMP/cache-t" || exit 1
cat "$M/SRUDB.dat" >/dev/null 2>&1 &
reader=$!
wait_until 60 test "$(db_field "$M" SRUDB.dat .state)" = running || bad "not running"
pid=${FS_PID[$M]}
kill -TERM "$pid"
if wait_until 60 eval "! kill -0 $pid"; then
	wait "$pid"; rc=$?
	check "SIGTERM during a recovery: exit status" 0 "$rc"
	check_quiet "SIGTERM during a recovery" "$M"
else
	bad "SIGTERM: daemon still running"
fi
unset "FS_PID[$M]"
wait "$reader"; check "the waiting reader got an error" 1 "$(( $? != 0 ))"
wait_until 30 eval "! mountpoint -q $M" && ok "SIGTERM unmounted" || { bad "still mounted"; umount -l "$M"; }
check "SIGTERM: no files left in the cache" "" "$(ls -A "$TMP/cache-t")"

# ---- cache_max: least recently used whole databases go, not open ones
mount_fs "$FS" "$BK2" "$M" -o cache="$TMP/cache-max",cache_max=3M || exit 1
sha256sum <"$M/SRUDB.dat" >/dev/null
check "cache_max: first done" done "$(db_field "$M" SRUDB.dat .state)"
exec 7<"$M/Second.edb"   # keep the second open while it recovers
sha256sum <&7 >/dev/null
check "cache_max: first evicted (LRU)" idle "$(db_field "$M" SRUDB.dat .state)"
check "cache_max: second kept" done "$(db_field "$M" Second.edb .state)"
grep -q "SRUDB.dat: evicted from the cache" "$M/.restore/log" && ok "log: eviction" || bad "log lacks eviction"
check "cache_max: one result in the cache" 1 "$(ls "$TMP/cache-max" | grep -c '\.edb$')"
sha256sum <"$M/SRUDB.dat" >/dev/null
check "cache_max: the open one stays" done "$(db_field "$M" Second.edb .state)"
check "cache_max: both results present while one is open" 2 "$(ls "$TMP/cache-max" | grep -c '\.edb$')"
exec 7<&-
check_unmount "cache_max mount" "$M"

# ---- the evidence was never written
check "backup dir unchanged" "" "$(diff "$TMP/bk.before" <(hash_dir "$BK"))"
check "second backup dir unchanged" "" "$(diff "$TMP/bk2.before" <(hash_dir "$BK2"))"
finish
