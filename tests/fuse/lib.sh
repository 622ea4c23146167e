# lib.sh - shared by the jetrestorefs integration tests (sourced, bash).
#
# TAP-like checks, and mounts that are always taken down: every mount made
# with mount_fs is unmounted by the EXIT trap even when a test fails or is
# interrupted (fusermount3 -u, then umount -l, then the daemon is killed).
# A test that cannot run here (no /dev/fuse, no fusermount3) exits 77:
# automake reports it as skipped, not passed.

set -u
export LC_ALL=C
pass=0 fail=0
MOUNTS=()       # mount points made by mount_fs
declare -A FS_PID=() FS_ERR=()
MOUNT_N=0

ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
check() {  # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}
check_match() {  # check_match NAME REGEX ACTUAL
	if [[ $3 =~ $2 ]]; then ok "$1"; else bad "$1 ('$3' does not match /$2/)"; fi
}

need_fuse() {
	if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
		echo "SKIP: no /dev/fuse or fusermount3 here"
		exit 77
	fi
	if ! (exec 3<>/dev/fuse) 2>/dev/null; then
		echo "SKIP: /dev/fuse cannot be opened"
		exit 77
	fi
}

# probe_mount BINARY TMPDIR: mount a set without databases once; when the system
# refuses FUSE mounts (a container without the privilege), skip (77).
# Any other failure is the file system's and fails the test.
probe_mount() {
	local bin=$1 dir=$2/probe
	mkdir -p "$dir/set" "$dir/mnt"
	echo "not a database" >"$dir/set/note.txt"
	if mount_fs "$bin" "$dir/set" "$dir/mnt" -o cache="$dir/cache" 2>/dev/null; then
		unmount_fs "$dir/mnt"
		rm -rf "$dir"
		return 0
	fi
	if grep -Eqi "fusermount|not permitted|permission denied|mount failed" "${FS_ERR[$dir/mnt]}"; then
		echo "SKIP: this system refuses FUSE mounts: $(head -1 "${FS_ERR[$dir/mnt]}")"
		exit 77
	fi
	echo "# the probe mount failed:"; sed 's/^/# /' "${FS_ERR[$dir/mnt]}"
	exit 1
}

# wait_until SECONDS COMMAND...: poll every 50 ms; status 1 on timeout.
wait_until() {
	local limit=$(( $1 * 20 )) i=0
	shift
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $limit ] && return 1
		sleep 0.05
	done
	return 0
}

# mount_fs BINARY BACKUPDIR MOUNTPOINT [options...]: run the daemon in the
# foreground (in the background of this shell), its stderr to
# FS_ERR[MOUNTPOINT] (MOUNTPOINT.N.err), and wait until the mount answers.
mount_fs() {
	local bin=$1 backup=$2 mnt=$3
	shift 3
	mkdir -p "$mnt"
	MOUNT_N=$((MOUNT_N + 1))
	FS_ERR[$mnt]=$mnt.$MOUNT_N.err
	"$bin" "$backup" "$mnt" -f "$@" 2>"${FS_ERR[$mnt]}" &
	FS_PID[$mnt]=$!
	MOUNTS+=("$mnt")
	wait_until 20 eval "test -e '$mnt/.restore/status' || ! kill -0 ${FS_PID[$mnt]}"
	if ! test -e "$mnt/.restore/status"; then
		echo "# mount of $backup on $mnt did not come up:" >&2
		cat "${FS_ERR[$mnt]}" >&2
		return 1
	fi
}

# unmount_fs MOUNTPOINT: unmount and wait for the daemon; its exit status
# goes to UNMOUNT_RC (124 if it did not exit within 20 s). Not in a
# subshell: the daemon is a child of this shell.
UNMOUNT_RC=
unmount_fs() {
	local mnt=$1 pid=${FS_PID[$1]:-} rc
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		fusermount3 -u "$mnt" 2>/dev/null && break
		sleep 0.2
	done
	mountpoint -q "$mnt" && umount -l "$mnt" 2>/dev/null
	if [ -n "$pid" ]; then
		if wait_until 20 eval "! kill -0 $pid"; then
			wait "$pid"; rc=$?
		else
			kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rc=124
		fi
		unset "FS_PID[$mnt]"
	else
		rc=0
	fi
	UNMOUNT_RC=$rc
}

# check_unmount NAME MOUNTPOINT: unmount; the daemon must exit with 0 and
# print nothing on stderr.
check_unmount() {
	unmount_fs "$2"
	check "$1: daemon exit status" 0 "$UNMOUNT_RC"
	check_quiet "$1" "$2"
}

# check_quiet NAME MOUNTPOINT: the daemon printed nothing on stderr (a
# sanitizer report, a libfuse complaint).
check_quiet() {
	if [ -s "${FS_ERR[$2]}" ]; then
		bad "$1: daemon stderr: $(head -20 "${FS_ERR[$2]}")"
	fi
}

cleanup_mounts() {
	local mnt
	for mnt in "${MOUNTS[@]}"; do
		if mountpoint -q "$mnt" 2>/dev/null; then
			fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
		fi
		if [ -n "${FS_PID[$mnt]:-}" ]; then
			kill "${FS_PID[$mnt]}" 2>/dev/null
			sleep 0.2
			kill -9 "${FS_PID[$mnt]}" 2>/dev/null
		fi
	done
}
trap cleanup_mounts EXIT

# The sha256 of every file of a directory, sorted: the evidence check.
hash_dir() { (cd "$1" && sha256sum -- * | sort); }

# A field of a database in status.json: db_field MNT NAME FIELD (jq path)
db_field() {
	jq -r --arg n "$2" ".databases[] | select(.name == \$n) | $3" \
		"$1/.restore/status.json"
}

# write_ctl MNT FILE TEXT: write TEXT to a control file; prints the exit
# status and the error text of the write, e.g. "0" or "1 Invalid argument".
write_ctl() {
	local out
	out=$( { printf '%s' "$3" > "$1/.restore/$2"; } 2>&1 )
	local rc=$?
	if [ $rc -eq 0 ]; then echo 0; else echo "1 ${out##*: }"; fi
}

finish() {
	echo "# $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
