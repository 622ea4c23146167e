/*
 * jrfs.h - the state of one jetrestorefs mount: the databases of the
 * backup set, the raw files, the recovery parameters, and what each
 * database's recovery is doing.
 *
 * The FUSE layer knows nothing of pages or logs: a database is recovered
 * by one call of jr_job_run() (restore/job.h) with a one-entry restore map,
 * into a temporary directory of the cache, and then served from the cache
 * file (cache.h).
 *
 * Locking: one mutex (lock) guards every field marked [L] of jrfs and of
 * its databases, and one condition variable (cond) is broadcast whenever a
 * database changes state or its recovery makes progress. The lock is only
 * held for bookkeeping, never across a recovery or a read of data, so a
 * reader of one database is never held up by another's recovery. Control
 * writes are serialised by ctl_lock (taken before lock, never after).
 *
 * Fields without [L] are set when the mount is created and read-only
 * after.
 */
#ifndef JR_FUSE_JRFS_H
#define JR_FUSE_JRFS_H

#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cache.h"
#include "params.h"
#include "restore/job.h"
#include "util/errinfo.h"

struct fuse_session;

typedef enum {
	JRFS_IDLE,      /* not recovered under the current parameters */
	JRFS_RUNNING,   /* a recovery is under way */
	JRFS_DONE,      /* recovered: result_path holds it */
	JRFS_FAILED,    /* the last recovery failed (err, detail) */
} jrfs_state;

const char *jrfs_state_name(jrfs_state s);

typedef struct jrfs_run jrfs_run;
typedef struct jrfs_handle jrfs_handle;

typedef struct jrfs_db {
	char *source;                 /* file name in the backup directory */
	uint64_t source_size;
	struct timespec source_mtime;

	char *name;                   /* [L] name in the mount (restore map) */
	char fp[JRFS_FP_HEX];         /* [L] fingerprint under current params */
	jrfs_state state;             /* [L] */
	unsigned percent;             /* [L] progress of the current run */
	uint32_t gen;                 /* [L] generation being replayed */
	uint64_t records;             /* [L] records applied */
	char phase[16];               /* [L] */
	int64_t started_us, ended_us; /* [L] of the last run; 0 = none */
	JET_ERR err;                  /* [L] result of the last run */
	char detail[512];             /* [L] */
	unsigned recoveries;          /* [L] jr_job_run calls for it here */
	bool from_cache;              /* [L] result found, not recovered */
	char *result_path;            /* [L] cache file when DONE */
	uint64_t result_size;         /* [L] */
	uint64_t result_id;           /* [L] changes with every new result */
	uint64_t kernel_result_id;    /* [L] the result the kernel may cache */
	GPtrArray *handles;           /* [L] open jrfs_handle of it */
	jrfs_run *run;                /* [L] the current run, or NULL */
} jrfs_db;

typedef struct {
	char *name;
	uint64_t size;
	struct timespec mtime;
} jrfs_raw;

/* What a mount is created from (main.c fills it from the command line). */
typedef struct {
	const char *backup_dir;       /* absolute */
	const char *cache_dir;        /* absolute */
	uint64_t cache_max;           /* 0 = no limit */
	const jrfs_params *params;    /* initial values (may be NULL) */
	const char *map_text;         /* rstmap text, or NULL */
	size_t map_len;
	unsigned test_delay_ms;       /* see jobs.c: a test hook, else 0 */
} jrfs_config;

typedef struct jrfs {
	char *backup_dir;
	jrfs_cache *cache;
	char set_digest[JRFS_FP_HEX];
	jrfs_db *dbs;
	unsigned n_dbs;
	jrfs_raw *raws;
	unsigned n_raws;
	unsigned test_delay_ms;
	int64_t mounted_us;

	pthread_mutex_t ctl_lock;     /* serialises control writes */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	jrfs_params params;           /* [L] */
	char target_digest[JRFS_FP_HEX]; /* [L] "" without target dirs */
	GPtrArray *runs;              /* [L] runs not yet joined */
	GPtrArray *handles;           /* [L] every open jrfs_handle */
	GString *log;                 /* [L] progress lines (bounded) */
	JET_ERR last_err;             /* [L] the `result` file */
	char last_detail[512];        /* [L] */
	uint64_t next_result_id;      /* [L] */
	bool shutting_down;           /* [L] */
	struct fuse_session *session; /* to notice an unmount; may be NULL */
} jrfs;

/* Scan the backup directory, open the cache, apply the initial parameters
 * and restore map, and find results already in the cache. Nothing is
 * recovered. On failure nothing is left allocated. */
JET_ERR jrfs_new(const jrfs_config *cfg, jrfs **out, jr_errinfo *ei);

/* Cancel every recovery, wait for them, free everything. */
void jrfs_free(jrfs *fs);

/* Append one progress line "TIME TEXT\n" to the log. [L] held. */
void jrfs_log_locked(jrfs *fs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the last result shown by `result`. [L] held. */
void jrfs_set_result_locked(jrfs *fs, JET_ERR err, const char *detail);

/* The database shown under name, or NULL. [L] held. */
jrfs_db *jrfs_find_db_locked(jrfs *fs, const char *name);

/* Current time in microseconds since the epoch. */
int64_t jrfs_now_us(void);

#endif
