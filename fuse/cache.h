/*
 * cache.h - where recovered databases are kept between reads and mounts.
 *
 * A recovered database is stored under the fingerprint of everything that
 * determined its bytes: the backup set's files, the database, its name in
 * the restore map, the mode, the log range, the target-instance directories
 * and their files, and the engine's version. A later mount (or the same
 * mount after its parameters changed back) with the same fingerprint finds
 * the result and recovers nothing; any change gives another fingerprint, so
 * a stale result is never served.
 *
 * Layout of the cache directory (default $XDG_CACHE_HOME/jetrestorefs):
 *   <fp>.edb          the recovered database (complete: renamed in place)
 *   <fp>.info         "key value" lines: size, records, seconds, source,
 *                     name, backup_dir, created (written before the rename
 *                     of the .edb, so an .edb without .info is an orphan)
 *   tmp-<pid>-<n>/    a recovery in progress: the job's output directory,
 *                     removed when it ends, whatever the outcome; those of
 *                     processes that no longer run are removed at open
 *
 * What the fingerprint reads of a file: its name, size, modification time
 * and the SHA-256 of its content (whole files up to 256 KiB, the first and
 * last 64 KiB of larger ones), so that reading a large set does not spend
 * as long hashing it as recovering it. Evidence is not expected to change
 * under a mount.
 *
 * Eviction (cache_max): whole databases, least recently used first (a use
 * is a store or an open: it touches the .info), skipping those the caller
 * says are in use.
 *
 * Thread safety: a jrfs_cache is immutable after open except its counter
 * of temporary directories (atomic); functions may be called from several
 * threads. Several processes may share one directory: every file appears
 * by rename.
 * Ownership: returned strings are g_malloc'd, freed by the caller.
 */
#ifndef JR_FUSE_CACHE_H
#define JR_FUSE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "params.h"
#include "util/errinfo.h"

#define JRFS_FP_HEX 65   /* SHA-256 in hex + NUL */

typedef struct jrfs_cache jrfs_cache;

typedef struct {
	uint64_t size;        /* bytes of the recovered database */
	uint64_t records;     /* log records applied */
	double seconds;       /* how long the recovery took */
	int64_t created_us;   /* when it was stored (Unix time, microseconds) */
} jrfs_cache_meta;

/* Create dir if needed (mode 0700), remove temporary directories of dead
 * processes and orphaned files. max_bytes 0 = no limit. */
JET_ERR jrfs_cache_open(const char *dir, uint64_t max_bytes,
			jrfs_cache **out, jr_errinfo *ei);
void jrfs_cache_close(jrfs_cache *c);
const char *jrfs_cache_dir(const jrfs_cache *c);
uint64_t jrfs_cache_max(const jrfs_cache *c);

/* Digest (hex SHA-256) of the regular files directly inside dir. */
JET_ERR jrfs_digest_dir(const char *dir, char out[JRFS_FP_HEX], jr_errinfo *ei);

/* Fingerprint of one database's recovery. target_digest is the digest of
 * the target directories ("" when there are none). */
void jrfs_fingerprint(const char *set_digest, const char *source,
		      const char *name, const jrfs_params *p,
		      const char *target_digest, char out[JRFS_FP_HEX]);

/* Is a complete result stored for fp? Then *path_out is its .edb and
 * *meta what its .info says. */
bool jrfs_cache_lookup(jrfs_cache *c, const char *fp, char **path_out,
		       jrfs_cache_meta *meta);

/* A fresh, empty directory for one recovery's output. */
JET_ERR jrfs_cache_mktemp(jrfs_cache *c, char **dir_out, jr_errinfo *ei);

/* Remove a directory made by jrfs_cache_mktemp and everything in it. */
void jrfs_cache_rmtemp(const char *dir);

/* Move the finished file into the cache as fp's result, with its .info
 * (source, name, backup_dir describe it for people). *path_out: its path. */
JET_ERR jrfs_cache_store(jrfs_cache *c, const char *fp, const char *file,
			 const jrfs_cache_meta *meta, const char *source,
			 const char *name, const char *backup_dir,
			 char **path_out, jr_errinfo *ei);

/* Mark fp's result as just used (least-recently-used order). */
void jrfs_cache_touch(jrfs_cache *c, const char *fp);

/* Evict least recently used results until the cache holds at most its
 * maximum. in_use(fp, ctx) true keeps a result. Returns a g_strfreev()
 * vector of the evicted fingerprints (never NULL). */
char **jrfs_cache_evict(jrfs_cache *c, bool (*in_use)(const char *fp, void *ctx),
			void *ctx);

#endif
