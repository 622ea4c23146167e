/*
 * jobs.h - scheduling the recoveries of a mount: one recovery per database
 * at a time, shared by every reader of it; readers wait for it; parameter
 * changes, `cancel` and unmount stop it.
 *
 * Each recovery runs jr_job_run() in its own thread with a one-entry
 * restore map (the database's source name to its current name) into a
 * fresh temporary directory of the cache, then moves the file into the
 * cache under the fingerprint the database had when the run started.
 * A run whose database's fingerprint changed meanwhile (rstmap, loginfo,
 * target or mode written) is cancelled; its state no longer shows.
 *
 * Functions marked [L] are called with fs->lock held.
 */
#ifndef JR_FUSE_JOBS_H
#define JR_FUSE_JOBS_H

#include <stdbool.h>

#include "jrfs.h"

/* The file handle of an open database, raw file or control file. */
typedef enum { JRFS_H_DB, JRFS_H_RAW, JRFS_H_CTL } jrfs_hkind;

struct jrfs_handle {
	jrfs_hkind kind;
	jrfs_db *db;              /* JRFS_H_DB */
	atomic_int fd;            /* DB: the result once ready; RAW: the file */
	uint64_t result_id;       /* DB: which result fd holds [L] */
	uint64_t size;            /* DB, RAW: bytes behind fd */
	bool direct;              /* DB: opened with direct_io */
	int ctl;                  /* JRFS_H_CTL: which control file */
	GString *buf;             /* CTL: snapshot to read, or text written */
	GString *orig;            /* CTL: the value when a writer opened it */
	bool written, truncated;  /* CTL: what a writer did */
	bool applied, failed;     /* CTL: a write took effect / was refused */
};

/* A new handle of that kind (fd -1), counted in fs->handles so that
 * handles the kernel never released (the mount went away under an open
 * file) are freed with the mount. */
jrfs_handle *jrfs_handle_new(jrfs *fs, jrfs_hkind kind);
/* Close its fd, free it, forget it. */
void jrfs_handle_free(jrfs *fs, jrfs_handle *h);

/* Start the database's recovery unless it is running or done (a failed
 * one is started again). [L] */
void jrfs_start_locked(jrfs *fs, jrfs_db *db);

/* Cancel its running recovery: it ends failed with -1000 TermInProgress.
 * Returns false when nothing was running. [L] */
bool jrfs_cancel_locked(jrfs *fs, jrfs_db *db);

/* A database handle opened or closed: keeps the count that eviction
 * respects. open returns whether the kernel may keep the pages it has
 * cached for this file (same result as when it cached them). [L] */
bool jrfs_db_opened_locked(jrfs *fs, jrfs_db *db, jrfs_handle *h);
void jrfs_db_released_locked(jrfs *fs, jrfs_db *db, jrfs_handle *h);

/* Wait until h's database is recovered (starting the recovery if it is
 * idle) and open the result into h->fd. Returns the fd, or -EIO when the
 * recovery failed or the mount is going away, -EINTR when the reader was
 * interrupted. Called without the lock. */
int jrfs_db_acquire(jrfs *fs, jrfs_handle *h);

/* Give the mount new parameters and restore-map names (names may be NULL:
 * unchanged; else n_dbs g_malloc'd strings, taken over). Every database
 * whose fingerprint changes loses its result: its run is cancelled, and
 * it becomes idle, or done when the cache holds a result for the new
 * fingerprint. Called with ctl_lock held, without lock. */
JET_ERR jrfs_reconfigure(jrfs *fs, const jrfs_params *p, char **names,
			 jr_errinfo *ei);

/* Evict cached results beyond cache_max (not those open). [L] */
void jrfs_evict_locked(jrfs *fs);

/* Stop: cancel every run and wait for all of them. Idempotent. Called
 * without the lock. */
void jrfs_stop_all(jrfs *fs);

#endif
