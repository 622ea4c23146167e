/*
 * extrestore.c - JetExternalRestore2 and the execution of a restore plan
 * (see extrestore.h, plan.h and the manual in jetrestore.h).
 */
#include "restore/extrestore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ese/dbheader.h"
#include "restore/hardreplay.h"
#include "util/io.h"

#define JR_UNIT       4096u            /* progress unit (plan.c's) */
#define JR_COPY_CHUNK (1u << 20)       /* bytes copied per read */

/* One run: the plan, the temporary files, the progress counter. */
struct jr_run {
	const jr_restore_params *p;
	jr_plan *pl;
	int *fds;                 /* temp file of dbs[i], -1: none */
	char **tmp;               /* its path */
	bool *renamed;            /* moved onto its target already */
	uint64_t done;
	bool begun;
	const char *db;           /* target being worked on */
	const char *phase;
	uint32_t gen;
	uint64_t base_done;       /* done before the current replay */
	uint64_t records;
};

char *jr_restore_temp_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char *t = NULL;

	if (asprintf(&t, "%.*s.%s.jrrestore", dirlen, path, base) < 0)
		return NULL;
	return t;
}

/* ---- status ---- */

static JET_ERR jr_run_notify(struct jr_run *r, JET_SNT snt, jr_errinfo *ei)
{
	jr_restore_progress pr;
	JET_ERR err;

	if (!r->p->status)
		return JET_errSuccess;
	pr.done = r->done;
	pr.total = r->pl ? r->pl->work_total : 0;
	if (pr.done > pr.total)
		pr.done = pr.total;
	pr.database = r->db;
	pr.phase = r->phase;
	pr.gen = r->gen;
	err = r->p->status(snt, &pr, r->p->status_ctx);
	if (err < 0)
		return jr_fail(ei, err, "stopped by the status callback");
	return JET_errSuccess;
}

static JET_ERR jr_run_check_cancel(const struct jr_run *r, jr_errinfo *ei)
{
	if (r->p->cancel && atomic_load(r->p->cancel))
		return jr_fail(ei, JET_errTermInProgress, "restore cancelled");
	return JET_errSuccess;
}

/* Move the counter to `done` (never back) and report it. */
static JET_ERR jr_run_progress(struct jr_run *r, uint64_t done, jr_errinfo *ei)
{
	JET_ERR err = jr_run_check_cancel(r, ei);

	if (err < 0)
		return err;
	if (done > r->done)
		r->done = done;
	return jr_run_notify(r, JET_sntProgress, ei);
}

/* ---- temporary files ---- */

static JET_ERR jr_errno_err(int e)
{
	switch (e) {
	case ENOSPC:
	case EDQUOT:
		return JET_errDiskFull;
	case EACCES:
	case EPERM:
	case EROFS:
		return JET_errFileAccessDenied;
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case ELOOP:
		return JET_errInvalidPath;
	default:
		return JET_errDiskIO;
	}
}

/* Create (or take over a stale) temporary file and lock it for the run.
 * The lock is what keeps two restores off one target. */
static JET_ERR jr_open_temp(const char *tmp, int *out, jr_errinfo *ei)
{
	int fd = open(tmp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

	*out = -1;
	if (fd < 0)
		return jr_fail(ei, jr_errno_err(errno), "%s: %s", tmp,
			       strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK)
			return jr_fail(ei, JET_errRunningInOneInstanceMode,
				       "another restore is writing %s", tmp);
		return jr_fail(ei, JET_errDiskIO, "%s: lock: %s", tmp,
			       strerror(e));
	}
	if (ftruncate(fd, 0) != 0) {
		int e = errno;

		close(fd);
		return jr_fail(ei, jr_errno_err(e), "%s: %s", tmp, strerror(e));
	}
	*out = fd;
	return JET_errSuccess;
}

static JET_ERR jr_run_alloc(struct jr_run *r, jr_errinfo *ei)
{
	unsigned n = r->pl->n_dbs;

	r->fds = jr_restore_calloc(r->p, n, sizeof(*r->fds));
	if (!r->fds)
		return jr_fail(ei, JET_errOutOfMemory, "restore");
	for (unsigned i = 0; i < n; i++)
		r->fds[i] = -1;
	r->tmp = jr_restore_calloc(r->p, n, sizeof(*r->tmp));
	r->renamed = jr_restore_calloc(r->p, n, sizeof(*r->renamed));
	if (!r->tmp || !r->renamed)
		return jr_fail(ei, JET_errOutOfMemory, "restore");
	for (unsigned i = 0; i < n; i++) {
		if (r->p->alloc_hook &&
		    !r->p->alloc_hook(strlen(r->pl->dbs[i].new_path) + 16,
				      r->p->alloc_ctx))
			return jr_fail(ei, JET_errOutOfMemory, "restore");
		r->tmp[i] = jr_restore_temp_path(r->pl->dbs[i].new_path);
		if (!r->tmp[i])
			return jr_fail(ei, JET_errOutOfMemory, "restore");
	}
	return JET_errSuccess;
}

/* Remove what this run created; close everything. */
static void jr_run_cleanup(struct jr_run *r, bool failed)
{
	for (unsigned i = 0; r->pl && r->fds && i < r->pl->n_dbs; i++) {
		if (r->fds[i] < 0)
			continue;
		/* An fd is only opened once tmp and renamed exist. */
		if (failed) {
			/* Unlink while still holding the lock, so no other
			 * restore took the file over in between. */
			if (r->renamed[i])
				unlink(r->pl->dbs[i].new_path);
			else
				unlink(r->tmp[i]);
		}
		close(r->fds[i]);
		r->fds[i] = -1;
	}
	for (unsigned i = 0; r->pl && r->tmp && i < r->pl->n_dbs; i++)
		free(r->tmp[i]);
	free(r->tmp);
	free(r->fds);
	free(r->renamed);
	r->tmp = NULL;
	r->fds = NULL;
	r->renamed = NULL;
}

/* ---- one database ---- */

static JET_ERR jr_copy_db(struct jr_run *r, unsigned i, jr_errinfo *ei)
{
	const jr_plan_db *d = &r->pl->dbs[i];
	uint8_t *buf;
	uint64_t off = 0, start = r->done;
	int in;
	JET_ERR err;

	r->phase = "copy";
	buf = jr_restore_calloc(r->p, 1, JR_COPY_CHUNK);
	if (!buf)
		return jr_fail(ei, JET_errOutOfMemory, "restore copy buffer");
	err = jr_open_ro(d->src->path, &in, ei);
	if (err < 0)
		goto free_buf;
	while (off < d->file_size) {
		size_t n = d->file_size - off < JR_COPY_CHUNK
				   ? (size_t)(d->file_size - off)
				   : JR_COPY_CHUNK;

		err = jr_pread_full(in, buf, n, off, JET_errDatabaseCorrupted,
				    ei);
		if (err < 0)
			goto close_in;
		err = jr_pwrite_full(r->fds[i], buf, n, off, ei);
		if (err < 0)
			goto close_in;
		off += n;
		err = jr_run_progress(r, start + off / JR_UNIT, ei);
		if (err < 0)
			goto close_in;
	}
	/* The header and shadow restore starts from, and the trailer zeroed
	 * as ESE does (the file keeps its size). */
	memset(buf, 0, 2 * (size_t)d->page_size);
	err = ese_dbheader_write_pair(&d->hdr, buf, d->page_size);
	if (err < 0) {
		err = jr_fail(ei, err, "%s: header", r->tmp[i]);
		goto close_in;
	}
	err = jr_pwrite_full(r->fds[i], buf, 2 * (size_t)d->page_size, 0, ei);
	if (err < 0)
		goto close_in;
	if (d->zero_trailer) {
		memset(buf, 0, d->page_size);
		err = jr_pwrite_full(r->fds[i], buf, d->page_size,
				     d->file_size - d->page_size, ei);
	}
close_in:
	close(in);
free_buf:
	free(buf);
	return err;
}

static JET_ERR jr_replay_tick(uint32_t gen, uint64_t bytes, void *ctx)
{
	struct jr_run *r = ctx;
	jr_errinfo local;

	jr_errinfo_clear(&local);
	r->phase = "redo";
	r->gen = gen;
	return jr_run_progress(r, r->base_done + bytes / JR_UNIT, &local);
}

static JET_ERR jr_restore_db(struct jr_run *r, unsigned i, jr_errinfo *ei)
{
	const jr_plan_db *d = &r->pl->dbs[i];
	jr_hard_replay_args a;
	jr_hard_replay_result hr;
	uint64_t start = r->done;
	JET_ERR err;

	r->db = d->new_path;
	err = jr_copy_db(r, i, ei);
	if (err < 0)
		return err;
	r->base_done = start + d->file_size / JR_UNIT;
	memset(&a, 0, sizeof(a));
	a.fd = r->fds[i];
	a.path = r->tmp[i];
	a.plan = r->pl;
	a.db = d;
	a.cache_bytes = r->p->cache_bytes;
	a.tick = jr_replay_tick;
	a.tick_ctx = r;
	a.cancel = r->p->cancel;
	memset(&hr, 0, sizeof(hr));
	err = jr_hard_replay(&a, &hr, ei);
	if (err < 0)
		return err;
	r->records += hr.records;
	r->phase = "header";
	r->gen = 0;
	err = jr_run_progress(r, r->base_done + r->pl->log_bytes / JR_UNIT + 1,
			      ei);
	if (err < 0)
		return err;
	if (fsync(r->fds[i]) != 0)
		return jr_fail(ei, jr_errno_err(errno), "%s: fsync: %s",
			       r->tmp[i], strerror(errno));
	return JET_errSuccess;
}

static void jr_fsync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : strdup(".");
	int fd;

	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

static JET_ERR jr_publish(struct jr_run *r, jr_errinfo *ei)
{
	for (unsigned i = 0; i < r->pl->n_dbs; i++) {
		if (rename(r->tmp[i], r->pl->dbs[i].new_path) != 0)
			return jr_fail(ei, jr_errno_err(errno),
				       "rename %s -> %s: %s", r->tmp[i],
				       r->pl->dbs[i].new_path, strerror(errno));
		r->renamed[i] = true;
	}
	for (unsigned i = 0; i < r->pl->n_dbs; i++)
		jr_fsync_dir_of(r->pl->dbs[i].new_path);
	return JET_errSuccess;
}

JET_ERR jr_restore_run(const jr_restore_params *p, jr_restore_result *res,
		       jr_errinfo *ei)
{
	struct jr_run r;
	JET_ERR err;

	memset(&r, 0, sizeof(r));
	r.p = p;
	if (res)
		memset(res, 0, sizeof(*res));
	err = jr_plan_build(p, &r.pl, ei);
	if (err < 0)
		return err;
	err = jr_run_check_cancel(&r, ei);
	if (err < 0)
		goto free_plan;
	r.phase = "copy";
	err = jr_run_notify(&r, JET_sntBegin, ei);
	if (err < 0)
		goto free_plan;
	r.begun = true;
	err = jr_run_alloc(&r, ei);
	if (err < 0)
		goto fail;
	/* Every target is claimed before anything is copied. */
	for (unsigned i = 0; i < r.pl->n_dbs; i++) {
		err = jr_open_temp(r.tmp[i], &r.fds[i], ei);
		if (err < 0)
			goto fail;
	}
	for (unsigned i = 0; i < r.pl->n_dbs; i++) {
		err = jr_restore_db(&r, i, ei);
		if (err < 0) {
			jr_errinfo_prefix(ei, "%s", r.pl->dbs[i].new_path);
			goto fail;
		}
	}
	err = jr_run_check_cancel(&r, ei);
	if (err < 0)
		goto fail;
	err = jr_publish(&r, ei);
	if (err < 0)
		goto fail;
	if (res) {
		res->n_dbs = r.pl->n_dbs;
		res->gen_low = r.pl->gen_low;
		res->gen_high = r.pl->gen_high;
		res->gen_end = r.pl->gen_end;
		res->records = r.records;
		/* The targets exist now; a name we cannot copy is left out
		 * of the result rather than undoing the restore. */
		res->targets = calloc(r.pl->n_dbs, sizeof(*res->targets));
		for (unsigned i = 0; res->targets && i < r.pl->n_dbs; i++)
			res->targets[i] = strdup(r.pl->dbs[i].new_path);
	}
	jr_run_cleanup(&r, false);
	r.done = r.pl->work_total;
	r.phase = "done";
	r.db = NULL;
	r.gen = 0;
	/* The targets are in place: a callback's error here is reported
	 * but no longer undoes them. */
	err = jr_run_notify(&r, JET_sntComplete, ei);
	goto free_plan;
fail:
	jr_run_cleanup(&r, true);
	if (r.begun) {
		jr_errinfo ignored;

		jr_errinfo_clear(&ignored);
		r.phase = "done";
		(void)jr_run_notify(&r, JET_sntFail, &ignored);
	}
free_plan:
	jr_plan_free(r.pl);
	return err;
}

void jr_restore_result_clear(jr_restore_result *res)
{
	if (!res)
		return;
	for (unsigned i = 0; res->targets && i < res->n_dbs; i++)
		free(res->targets[i]);
	free(res->targets);
	memset(res, 0, sizeof(*res));
}

/* ---- the public call ---- */

/* JET_PFNSTATUS has no context pointer: the adapter carries it. */
struct jr_pfn_ctx {
	JET_PFNSTATUS pfn;
};

static JET_ERR jr_pfn_adapter(JET_SNT snt, const jr_restore_progress *pr,
			      void *ctx)
{
	const struct jr_pfn_ctx *c = ctx;
	JET_SNPROG prog;
	uint64_t done = pr->done, total = pr->total;

	if (snt != JET_sntProgress)
		return c->pfn(0, JET_snpRestore, snt, NULL);
	/* cunit* are 32-bit: scale a larger total down. */
	while (total > UINT32_MAX) {
		total >>= 1;
		done >>= 1;
	}
	prog.cbStruct = sizeof(prog);
	prog.cunitDone = (uint32_t)done;
	prog.cunitTotal = (uint32_t)total;
	return c->pfn(0, JET_snpRestore, JET_sntProgress, &prog);
}

JET_ERR JetExternalRestore2(const char *szCheckpointFilePath,
			    const char *szLogPath,
			    JET_RSTMAP *rgrstmap,
			    long crstfilemap,
			    const char *szBackupLogPath,
			    JET_LOGINFO *pLogInfo,
			    const char *szTargetInstanceName,
			    const char *szTargetInstanceLogPath,
			    const char *szTargetInstanceCheckpointPath,
			    JET_PFNSTATUS pfn)
{
	jr_restore_params p;
	jr_rstmap_entry *map = NULL;
	struct jr_pfn_ctx pc;
	JET_ERR err;

	if (szTargetInstanceName)
		return JET_errInvalidParameter;
	if (!szTargetInstanceLogPath != !szTargetInstanceCheckpointPath)
		return JET_errInvalidParameter;
	if (!pLogInfo || pLogInfo->cbSize != sizeof(JET_LOGINFO))
		return JET_errInvalidParameter;
	if (!memchr(pLogInfo->szBaseName, '\0', sizeof(pLogInfo->szBaseName)))
		return JET_errInvalidParameter;
	if (crstfilemap < 0 || (!rgrstmap && crstfilemap > 0) ||
	    (rgrstmap && crstfilemap == 0) || crstfilemap > JR_RSTMAP_MAX)
		return JET_errInvalidParameter;
	if (crstfilemap > 0) {
		map = calloc((size_t)crstfilemap, sizeof(*map));
		if (!map)
			return JET_errOutOfMemory;
		for (long i = 0; i < crstfilemap; i++) {
			map[i].old_name = rgrstmap[i].szDatabaseName;
			map[i].new_name = rgrstmap[i].szNewDatabaseName;
		}
	}
	memset(&p, 0, sizeof(p));
	p.backup_dir = szBackupLogPath;
	p.log_dir = szLogPath;
	p.checkpoint_dir = szCheckpointFilePath;
	p.out_dir = szLogPath;
	p.map = map;
	p.n_map = crstfilemap;
	p.gen_low = pLogInfo->ulGenLow;
	p.gen_high = pLogInfo->ulGenHigh;
	memcpy(p.base, pLogInfo->szBaseName, sizeof(p.base));
	p.target_log_dir = szTargetInstanceLogPath;
	p.target_checkpoint_dir = szTargetInstanceCheckpointPath;
	if (pfn) {
		pc.pfn = pfn;
		p.status = jr_pfn_adapter;
		p.status_ctx = &pc;
	}
	err = jr_restore_run(&p, NULL, NULL);
	free(map);
	return err;
}
