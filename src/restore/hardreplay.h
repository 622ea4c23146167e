/*
 * hardreplay.h - replay a restore plan's logs onto one database copy and
 * leave it clean: the seam between the restore (extrestore.c) and the
 * replay engine (src/recover).
 *
 * Hard recovery is soft recovery's replay with other rules for where the
 * logs come from (an explicit, checked, ordered list: the backup's logs,
 * then the continuation) and for the header at the end (the backup
 * information cleared as after a hard restore). This file adapts the
 * engine to those rules; the loop is jr_recovery_replay_files().
 *
 * Ownership: nothing is kept after the call; the fd stays the caller's.
 */
#ifndef JR_RESTORE_HARDREPLAY_H
#define JR_RESTORE_HARDREPLAY_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "recover/recovery.h"
#include "restore/plan.h"
#include "util/errinfo.h"

/* Progress of one replay: the generation being read and the log bytes
 * consumed so far (never decreasing); the replay loop's own callback
 * (recover/recovery.h). A negative return stops the replay with that
 * error. */
typedef jr_recovery_tick jr_hard_replay_tick;

typedef struct {
	int fd;                     /* the copy, open read-write; its header
				       already the plan's completed one */
	const char *path;           /* its name, for messages */
	const jr_plan *plan;
	const jr_plan_db *db;
	size_t cache_bytes;         /* 0: the engine's default */
	jr_hard_replay_tick tick;   /* may be NULL */
	void *tick_ctx;
	atomic_bool *cancel;        /* may be NULL: -1000 when set */
} jr_hard_replay_args;

typedef struct {
	uint64_t records;           /* log records read */
	uint32_t gen_last;          /* last generation replayed */
} jr_hard_replay_result;

/* Replay plan->logs onto the copy, undo what never committed, write the
 * clean header with the hard-restore backup information (see
 * jr_hard_header_policy). */
JET_ERR jr_hard_replay(const jr_hard_replay_args *a,
		       jr_hard_replay_result *res, jr_errinfo *ei);

/* The backup information ESE leaves after a hard restore (db.cxx, the
 * detach after hard recovery): bkinfoFullCur, bkinfoSnapshotCur,
 * bkinfoIncPrev and bkinfoFullPrev zero, their previous types normal. */
void jr_hard_header_policy(ese_dbheader *h);

#endif
