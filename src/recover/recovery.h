/*
 * recovery.h - soft recovery of one database (esentutl /r): find its logs
 * and checkpoint by content, check them against the database, replay them
 * into a copy, roll back what never committed, and write a clean copy.
 *
 * Usage:
 *   jr_recovery_opts o; jr_recovery_opts_init(&o);
 *   o.db_path = "SRUDB.dat"; o.out_dir = "out";      (others optional)
 *   jr_recovery_summary sum;
 *   JET_ERR err = jr_recover_database(&o, &sum, &ei);
 *   sum.out_path, sum.gen_first..gen_last, sum.redo.applied[lrtyp] ...
 *
 * What it does, in order (every check happens before anything is written):
 *   1. Read the database header (the input is opened read-only, never
 *      changed). A CleanShutdown database needs no replay: its copy is
 *      written as is (unless opts.replay_from forces a replay).
 *   2. Scan the log directory and the system directory by content
 *      (restore/scan.h): the log set is the base name whose log signature
 *      is the database's (-530 BadLogSignature when logs are there but none
 *      carries it), its generation chain must be sound (restore/logchain.h:
 *      -528 MissingLogFile for a gap, -513, -515...). The checkpoint is the
 *      checkpoint file of that log signature (another one: -532).
 *   3. The replay starts at the checkpoint, or at genMinRequired when there
 *      is no checkpoint or the checkpoint lies beyond it, and runs to the
 *      end of the last generation. Generations genMinRequired ..
 *      genMaxRequired must be present (-543 RequiredLogFilesMissing). The
 *      attach list of the first replayed log names the database's dbid; a
 *      database there under the same file name but with another signature
 *      is -531 BadDbSignature.
 *   4. The database is copied to a temporary file in the output directory,
 *      replayed (redo.h) and undone through a page cache of opts.cache_bytes.
 *   5. The header becomes ESE's clean end state (ErrIOTermUpdateAndWrite-
 *      DatabaseHeader and DBFILEHDR::SetDbstate): state CleanShutdown;
 *      dbtime and objidLast the highest seen; lgposConsistent,
 *      lgposDetach (and lgposLastResize when in use) at the end of the
 *      replayed log; logtimeConsistent and logtimeDetach the creation time
 *      of the last generation (ESE uses the wall clock; a time from the
 *      logs keeps a re-run byte-identical); genMin/MaxRequired,
 *      genMinConsistent, genMaxCommitted, genRecovering, the pre-redo
 *      generations and the genMax times cleared; a backup in progress
 *      (bkinfoFullCur, bkinfoSnapshotCur, bkinfoIncPrev) forgotten; a
 *      SetDbVersion in the logs applied. Header and shadow are written
 *      with their checksums.
 *   6. fsync, rename to out_dir/<database file name>, fsync the directory.
 *      On any failure the temporary file is removed: nothing is left at the
 *      output path (an older result there is left as it was).
 *
 * Memory: the page cache (opts.cache_bytes) plus a copy buffer and the
 * redo engine's scratch pages; none of it grows with the database or logs.
 */
#ifndef JR_RECOVER_RECOVERY_H
#define JR_RECOVER_RECOVERY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ese/dbheader.h"
#include "ese/types.h"
#include "recover/redo.h"
#include "util/errinfo.h"

/* Progress report: called when a new generation starts being replayed
 * (gen_first <= gen <= gen_last), and once more with gen 0 at the end.
 * A negative return stops the recovery with that error (nothing is left
 * at the output path). */
typedef JET_ERR (*jr_recovery_progress)(const char *db, uint32_t gen,
					uint32_t gen_first, uint32_t gen_last,
					void *ctx);

typedef struct {
	const char *db_path;       /* the database to recover (read only) */
	const char *log_dir;       /* NULL: the database's directory */
	const char *system_dir;    /* checkpoint; NULL: the log directory */
	const char *out_dir;       /* created if missing; must not be the
				      database's own directory */
	size_t cache_bytes;        /* page cache budget (default 32 MiB) */
	uint32_t replay_from;      /* 0: checkpoint / genMinRequired; else
				      replay every generation from this one
				      (the database counts as possibly
				      holding all of them: used to replay
				      logs over a clean database) */
	jr_recovery_progress progress;
	void *progress_ctx;
	atomic_bool *cancel;       /* may be NULL; when set (from any thread)
				      the replay stops within 64 KiB of log
				      with -1000 JET_errTermInProgress and
				      nothing is left at the output path */
} jr_recovery_opts;

typedef struct {
	char out_path[4096];       /* the recovered database */
	char base[16];             /* log base name ("SRU") */
	bool was_clean;            /* nothing to replay */
	uint32_t gen_first, gen_last;   /* generations replayed (0: none) */
	ese_lgpos lgpos_start;     /* where the replay started */
	ese_lgpos lgpos_end;       /* end of the last record replayed */
	uint64_t dbtime;           /* the recovered header's dbtime */
	uint32_t state_before;     /* JET_dbstate of the input */
	jr_redo_stats redo;        /* records applied / skipped per type... */
	uint64_t cache_reads, cache_writes;
	uint32_t cache_frames;
	double seconds;            /* wall time */
} jr_recovery_summary;

void jr_recovery_opts_init(jr_recovery_opts *o);

/* Recover one database (see above). *sum is filled as far as the run got. */
JET_ERR jr_recover_database(const jr_recovery_opts *o,
			    jr_recovery_summary *sum, jr_errinfo *ei);

/* ---- the replay loop, for callers that plan their own logs ----
 *
 * Hard recovery (restore/hardreplay.c) replays an explicit, already
 * checked list of log files onto a database copy it made itself; soft
 * recovery replays the generations it found by scanning. Both go through
 * this one loop: page cache (jr_redo_write_hook), log reader, redo, undo,
 * flush, the shrink the logs asked for. */

/* Progress of one replay: the generation being read and the log bytes
 * consumed so far (never decreasing). Called when a generation starts and
 * once per 64 KiB of log. A negative return stops the replay with that
 * error. */
typedef JET_ERR (*jr_recovery_tick)(uint32_t gen, uint64_t log_bytes_done,
				  void *ctx);

typedef struct {
	int fd;                     /* the copy, open read-write (stays the
				       caller's) */
	uint32_t page_size;
	const ese_dbheader *hdr;    /* the copy's header: sign_db, dbtime,
				       objid_last, lgpos_last_resize */
	const ese_signature *sign_log;   /* every log must carry it */
	const char *const *paths;   /* log files, generation order */
	unsigned npaths;
	uint32_t gen_first;         /* generation of paths[0] */
	ese_lgpos start;            /* records before it are skipped */
	uint8_t dbid;               /* the database's dbid in the logs */
	uint32_t gen_max_required;  /* below/at it a page may already hold
				       later changes (dbtime-guarded) */
	bool replay_all;            /* the database may hold every
				       generation (replay over a clean copy) */
	bool fix_single_bit_errors; /* correct a 1-bit ECC error as ESE */
	size_t cache_bytes;         /* 0: the default 32 MiB */
	jr_recovery_tick tick;        /* may be NULL */
	void *tick_ctx;
	atomic_bool *cancel;        /* may be NULL: -1000 when set */
} jr_replay_files_args;

typedef struct {
	jr_redo_stats redo;         /* as far as the replay got */
	uint64_t records;           /* log records replayed */
	uint32_t gen_last;          /* last generation replayed (0: none) */
	uint64_t cache_reads, cache_writes;
	uint32_t cache_frames;
} jr_replay_files_result;

/* Replay a->paths onto the copy, undo what never committed, flush, cut
 * the file where a shrink left it. The header is not touched (see
 * jr_recovery_header_clean). -1000 when cancelled, the tick's error when
 * it stopped the replay, -501... for bad logs. */
JET_ERR jr_recovery_replay_files(const jr_replay_files_args *a,
				 jr_replay_files_result *res, jr_errinfo *ei);

/* ESE's clean end state of a header after a replay (step 5 above):
 * `start` is where the replay began (the end position when nothing was
 * replayed), `last_create` the creation time of the last generation. */
void jr_recovery_header_clean(ese_dbheader *h, const jr_redo_stats *st,
			      const ese_lgpos *start,
			      const ese_logtime *last_create);

/* The default output directory for a database: "<its directory>.recovered"
 * next to the directory that holds it (so evidence directories are never
 * written into). Returns a g_malloc'd string. */
char *jr_recovery_default_out(const char *db_path);

#endif /* JR_RECOVER_RECOVERY_H */
