/*
 * recovery.c - the soft-recovery driver (see recovery.h).
 */
#include "recover/recovery.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ese/dbheader.h"
#include "ese/logreader.h"
#include "recover/pagecache.h"
#include "restore/logchain.h"
#include "restore/scan.h"
#include "util/io.h"

#define JR_RECOVERY_COPY_CHUNK (1u << 20)
#define JR_RECOVERY_CACHE_DEFAULT (32u << 20)
#define JR_RECOVERY_SECTOR 512u              /* lgpos isec unit */

void jr_recovery_opts_init(jr_recovery_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cache_bytes = JR_RECOVERY_CACHE_DEFAULT;
}

char *jr_recovery_default_out(const char *db_path)
{
	char *dir = g_path_get_dirname(db_path);
	char *abs = g_canonicalize_filename(dir, NULL);
	char *out = g_strconcat(abs, ".recovered", NULL);

	g_free(dir);
	g_free(abs);
	return out;
}

/* What the plan found before anything is written. */
typedef struct {
	ese_dbheader_read_result db;
	jr_scan *logs;
	jr_scan *sys;
	jr_logchain chain;
	bool have_chain;
	uint32_t gen_first, gen_last;
	ese_lgpos start;
	uint8_t dbid;
	ese_lgpos lgpos_attach;
	ese_logtime last_create;        /* creation time of the last gen */
	char **paths;                   /* log files gen_first..gen_last */
	unsigned npaths;
} jr_soft_plan;

static void jr_soft_plan_free(jr_soft_plan *p)
{
	if (p->have_chain)
		jr_logchain_clear(&p->chain);
	jr_scan_free(p->logs);
	jr_scan_free(p->sys);
	if (p->paths)
		g_strfreev(p->paths);
}

static bool jr_same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The base name of the log set carrying sign_log; "" when none. */
static JET_ERR jr_find_base(const jr_scan *s, const ese_signature *sign_log,
			    char *base, bool *other_logs, jr_errinfo *ei)
{
	base[0] = '\0';
	*other_logs = false;
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];

		if (e->filetype != JET_filetypeLog || !e->log ||
		    e->name_kind == JR_LOGNAME_NONE)
			continue;
		if (!ese_signature_equal(&e->log->sign_log, sign_log)) {
			*other_logs = true;
			continue;
		}
		if (!base[0]) {
			memcpy(base, e->base, JET_BASE_NAME_LENGTH + 1);
		} else if (strcasecmp(base, e->base) != 0) {
			return jr_fail(ei, JET_errInvalidParameter,
				       "two log sets of the database's log "
				       "signature (%s, %s)", base, e->base);
		}
	}
	return JET_errSuccess;
}

/* The checkpoint of the log signature in the system directory. */
static JET_ERR jr_find_checkpoint(const jr_scan *s, const ese_signature *sign,
				  const ese_checkpoint **chk, jr_errinfo *ei)
{
	const ese_checkpoint *other = NULL;

	*chk = NULL;
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];

		if (e->filetype != JET_filetypeCheckpoint || !e->chk)
			continue;
		if (ese_signature_equal(&e->chk->chk.sign_log, sign)) {
			*chk = &e->chk->chk;
			return JET_errSuccess;
		}
		other = &e->chk->chk;
	}
	if (other)
		return jr_fail(ei, JET_errBadCheckpointSignature,
			       "the checkpoint belongs to another log sequence");
	return JET_errSuccess;
}

static const char *jr_basename_of(const char *path)
{
	const char *s1 = strrchr(path, '/');
	const char *s2 = strrchr(path, '\\');
	const char *s = s1 > s2 ? s1 : s2;

	return s ? s + 1 : path;
}

/* dbid and attach position from the attach list of the first log. */
static JET_ERR jr_find_attach(jr_soft_plan *p, const char *db_path,
			      jr_errinfo *ei)
{
	const jr_scan_entry *e = p->chain.by_gen[p->gen_first - p->chain.gen_low];
	const jr_scan_log *lg = e->log;
	const char *name = jr_basename_of(db_path);

	for (unsigned i = 0; lg && i < lg->n_attach; i++) {
		const jr_scan_attach *a = &lg->attach[i];

		if (ese_signature_equal(&a->sign_db, &p->db.hdr.sign_db)) {
			p->dbid = a->dbid;
			return JET_errSuccess;
		}
		if (a->path && strcasecmp(jr_basename_of(a->path), name) == 0)
			return jr_fail(ei, JET_errBadDbSignature,
				       "%s: the logs name %s (dbid %u) with "
				       "another database signature", e->name,
				       a->path, a->dbid);
	}
	return JET_errSuccess;
}

static JET_ERR jr_soft_plan_make(const jr_recovery_opts *o, jr_soft_plan *p,
			    jr_recovery_summary *sum, jr_errinfo *ei)
{
	char *db_dir = g_path_get_dirname(o->db_path);
	const char *log_dir = o->log_dir ? o->log_dir : db_dir;
	const char *sys_dir = o->system_dir ? o->system_dir : log_dir;
	const ese_checkpoint *chk = NULL;
	const ese_dbheader *h;
	bool other_logs;
	JET_ERR err;

	err = ese_dbheader_read_file(o->db_path, &p->db, ei);
	if (err < 0)
		goto free_dir;
	h = &p->db.hdr;
	sum->state_before = h->state;
	if (ese_dbheader_page_size(h) != p->db.page_size) {
		err = jr_fail(ei, JET_errPageSizeMismatch,
			      "header says %u-byte pages, read as %u",
			      ese_dbheader_page_size(h), p->db.page_size);
		goto free_dir;
	}
	if (h->state != JET_dbstateDirtyShutdown &&
	    h->state != JET_dbstateCleanShutdown) {
		err = jr_fail(ei, JET_errDatabaseCorrupted,
			      "database state %u (%s) is not one soft "
			      "recovery handles", h->state,
			      ese_dbstate_name(h->state));
		goto free_dir;
	}
	if (h->state == JET_dbstateCleanShutdown && !o->replay_from) {
		sum->was_clean = true;
		err = JET_errSuccess;
		goto free_dir;
	}

	err = jr_scan_dir(log_dir, &p->logs, ei);
	if (err < 0)
		goto free_dir;
	err = jr_find_base(p->logs, &h->sign_log, sum->base, &other_logs, ei);
	if (err < 0)
		goto free_dir;
	if (!sum->base[0]) {
		err = other_logs
			? jr_fail(ei, JET_errBadLogSignature,
				  "%s: the logs there belong to another log "
				  "sequence than the database's", log_dir)
			: jr_fail(ei, JET_errRequiredLogFilesMissing,
				  "%s: no log files of the database (it needs "
				  "generations 0x%X..0x%X)", log_dir,
				  h->gen_min_required, h->gen_max_required);
		goto free_dir;
	}
	err = jr_logchain_build(p->logs, sum->base, &p->chain, ei);
	if (err < 0)
		goto free_dir;
	p->have_chain = true;
	if (!ese_signature_equal(&p->chain.sign_log, &h->sign_log)) {
		err = jr_fail(ei, JET_errBadLogSignature,
			      "log set %s belongs to another log sequence",
			      sum->base);
		goto free_dir;
	}

	if (jr_same_dir(sys_dir, log_dir)) {
		p->sys = NULL;
		err = jr_find_checkpoint(p->logs, &h->sign_log, &chk, ei);
	} else {
		err = jr_scan_dir(sys_dir, &p->sys, ei);
		if (err >= 0)
			err = jr_find_checkpoint(p->sys, &h->sign_log, &chk, ei);
	}
	if (err < 0)
		goto free_dir;

	/* where to start */
	if (o->replay_from) {
		p->gen_first = o->replay_from;
		p->start = (ese_lgpos){ 0, 0, o->replay_from };
	} else if (chk && chk->lgpos_checkpoint.gen &&
		   chk->lgpos_checkpoint.gen <= h->gen_min_required) {
		p->gen_first = chk->lgpos_checkpoint.gen;
		p->start = chk->lgpos_checkpoint;
	} else {
		p->gen_first = h->gen_min_required;
		p->start = (ese_lgpos){ 0, 0, h->gen_min_required };
	}
	if (p->gen_first == 0) {
		err = jr_fail(ei, JET_errDatabaseCorrupted,
			      "dirty database without required generations");
		goto free_dir;
	}
	p->gen_last = p->chain.gen_high;
	if (p->chain.n == 0 || p->gen_first < p->chain.gen_low ||
	    p->gen_first > p->chain.gen_high ||
	    (!o->replay_from && h->gen_max_required > p->chain.gen_high)) {
		err = jr_fail(ei, JET_errRequiredLogFilesMissing,
			      "the database needs generations 0x%X..0x%X, "
			      "%s has 0x%X..0x%X", p->gen_first,
			      h->gen_max_required, sum->base,
			      p->chain.gen_low, p->chain.gen_high);
		goto free_dir;
	}
	p->npaths = p->gen_last - p->gen_first + 1;
	p->paths = g_new0(char *, p->npaths + 1);
	for (unsigned i = 0; i < p->npaths; i++) {
		const jr_scan_entry *e =
			p->chain.by_gen[p->gen_first + i - p->chain.gen_low];

		p->paths[i] = g_strdup(e->path);
		if (i + 1 == p->npaths)
			p->last_create = e->log->tm_create;
	}
	err = jr_find_attach(p, o->db_path, ei);
	sum->gen_first = p->gen_first;
	sum->gen_last = p->gen_last;
	sum->lgpos_start = p->start;
free_dir:
	g_free(db_dir);
	return err;
}

static JET_ERR jr_copy_file(int in, int out, jr_errinfo *ei)
{
	uint64_t size, off = 0;
	uint8_t *buf;
	JET_ERR err;

	err = jr_file_size(in, &size, ei);
	if (err < 0)
		return err;
	/* in-kernel copy when the file system offers it (as cp does) */
	while (off < size) {
		loff_t a = (loff_t)off, b = (loff_t)off;
		ssize_t n = copy_file_range(in, &a, out, &b,
					    (size_t)(size - off), 0);

		if (n <= 0)
			break;
		off += (uint64_t)n;
	}
	buf = g_malloc(JR_RECOVERY_COPY_CHUNK);
	while (off < size) {
		size_t n = size - off > JR_RECOVERY_COPY_CHUNK
				   ? JR_RECOVERY_COPY_CHUNK
				   : (size_t)(size - off);

		err = jr_pread_full(in, buf, n, off, JET_errDatabaseCorrupted,
				    ei);
		if (err >= 0)
			err = jr_pwrite_full(out, buf, n, off, ei);
		if (err < 0)
			break;
		off += n;
	}
	g_free(buf);
	return err;
}

/* ESE's clean end state of the header (see recovery.h, step 5). */
void jr_recovery_header_clean(ese_dbheader *h, const jr_redo_stats *st,
			      const ese_lgpos *start,
			      const ese_logtime *last_create)
{
	ese_lgpos end = st->last_lgpos_end;

	if (ese_lgpos_is_zero(&end))
		end = *start;
	if (st->dbtime_max > h->dbtime)
		h->dbtime = st->dbtime_max;
	if (st->objid_max > h->objid_last)
		h->objid_last = st->objid_max;
	h->state = JET_dbstateCleanShutdown;
	h->gen_min_required = 0;
	h->gen_min_consistent = 0;
	h->gen_max_required = 0;
	h->gen_max_committed = 0;
	h->gen_pre_redo_min_required = 0;
	h->gen_pre_redo_min_consistent = 0;
	h->gen_recovering = 0;
	memset(&h->logtime_gen_max_create, 0, sizeof(h->logtime_gen_max_create));
	memset(&h->logtime_gen_max_required, 0,
	       sizeof(h->logtime_gen_max_required));
	if (h->bk_full_cur.gen_low != 0) {
		memset(&h->bk_full_cur, 0, sizeof(h->bk_full_cur));
		memset(&h->bk_snapshot_cur, 0, sizeof(h->bk_snapshot_cur));
		memset(&h->bk_inc_prev, 0, sizeof(h->bk_inc_prev));
	}
	h->lgpos_consistent = end;
	h->lgpos_detach = end;
	if (!ese_lgpos_is_zero(&h->lgpos_last_resize))
		h->lgpos_last_resize = end;
	h->logtime_consistent = *last_create;
	h->logtime_detach = *last_create;
	if (st->db_version) {
		h->version = st->db_version;
		h->update_major = st->db_update_major;
		h->update_minor = st->db_update_minor;
	}
}

/* Sizes of the logs summed before each one: the log bytes done when
 * generation gen_first + i starts. g_free the result. */
static uint64_t *jr_log_offsets(const char *const *paths, unsigned n)
{
	uint64_t *before = g_new0(uint64_t, (size_t)n + 1);

	for (unsigned i = 0; i < n; i++) {
		struct stat st;

		before[i + 1] = before[i] +
			(stat(paths[i], &st) == 0 ? (uint64_t)st.st_size : 0);
	}
	return before;
}

/* Read every record from a->start on and redo it; cancel and progress
 * when a generation starts and once per 64 KiB of log. */
static JET_ERR jr_replay_loop(const jr_replay_files_args *a, jr_redo *rd,
			      ese_logreader *lr, const uint64_t *before,
			      jr_replay_files_result *res, jr_errinfo *ei)
{
	uint32_t gen_end = a->gen_first + a->npaths - 1;
	uint64_t last_unit = UINT64_MAX;
	uint32_t gen = 0;
	ese_logrecord rec;
	JET_ERR err;

	while ((err = ese_logreader_next(lr, &rec, ei)) == JET_errSuccess) {
		jr_redo_rec rr;
		uint64_t done;

		if (ese_lgpos_cmp(&rec.lgpos, &a->start) < 0)
			continue;
		if (rec.lgpos.gen < a->gen_first || rec.lgpos.gen > gen_end)
			return jr_fail(ei, JET_errLogGenerationMismatch,
				       "%s: record at generation 0x%X outside "
				       "the replay's 0x%X..0x%X", rec.file,
				       rec.lgpos.gen, a->gen_first, gen_end);
		res->records++;
		res->gen_last = rec.lgpos.gen;
		done = before[rec.lgpos.gen - a->gen_first] +
		       (uint64_t)rec.lgpos.isec * JR_RECOVERY_SECTOR;
		if (rec.lgpos.gen != gen || done >> 16 != last_unit) {
			gen = rec.lgpos.gen;
			last_unit = done >> 16;
			if (a->cancel && atomic_load(a->cancel))
				return jr_fail(ei, JET_errTermInProgress,
					       "replay cancelled at "
					       "generation 0x%X", gen);
			if (a->tick) {
				err = a->tick(gen, done, a->tick_ctx);
				if (err < 0)
					return jr_fail(ei, err, "replay "
						       "stopped by its "
						       "progress callback");
			}
		}
		rr.data = rec.data;
		rr.size = rec.size;
		rr.lgpos = rec.lgpos;
		rr.lgpos_end = rec.lgpos_end;
		err = jr_redo_record(rd, &rr, ei);
		if (err < 0)
			return err;
	}
	if (err != ESE_LOGREADER_END)
		return err;
	return jr_redo_finish(rd, ei);
}

JET_ERR jr_recovery_replay_files(const jr_replay_files_args *a,
				 jr_replay_files_result *res, jr_errinfo *ei)
{
	ese_logreader_opts lro;
	ese_logreader *lr = NULL;
	jr_pagecache *pc = NULL;
	jr_redo *rd = NULL;
	jr_redo_opts ro;
	jr_pagecache_stats cs;
	uint64_t *before;
	JET_ERR err;

	memset(res, 0, sizeof(*res));
	if (!a->npaths || !a->paths || !a->hdr || !a->sign_log)
		return jr_fail(ei, JET_errInvalidParameter, "no logs to replay");
	err = jr_pagecache_open(a->fd, a->page_size, 1,
				a->cache_bytes ? a->cache_bytes
					       : JR_RECOVERY_CACHE_DEFAULT,
				jr_redo_write_hook, NULL, &pc, ei);
	if (err < 0)
		return err;
	before = jr_log_offsets(a->paths, a->npaths);
	jr_redo_opts_init(&ro);
	ro.pc = pc;
	ro.fd = a->fd;
	ro.page_size = a->page_size;
	ro.sign_db = a->hdr->sign_db;
	ro.dbid = a->dbid;
	ro.gen_max_required = a->gen_max_required;
	ro.lgpos_last_resize = a->hdr->lgpos_last_resize;
	ro.replay_all = a->replay_all;
	ro.dbtime_start = a->hdr->dbtime;
	ro.objid_start = a->hdr->objid_last;
	err = jr_redo_new(&ro, &rd, ei);
	if (err < 0)
		goto close_cache;

	ese_logreader_opts_init(&lro);
	lro.sign_log = a->sign_log;
	lro.return_nop2 = false;
	lro.fix_single_bit_errors = a->fix_single_bit_errors;
	err = ese_logreader_open_files(a->paths, a->npaths, &lro, &lr, ei);
	if (err < 0)
		goto free_redo;
	err = jr_replay_loop(a, rd, lr, before, res, ei);
	if (err < 0)
		goto close_reader;
	/* pages past a shrink are cut off at the end: never write them */
	if (jr_redo_stats_get(rd)->pgno_last_shrunk)
		jr_pagecache_discard(pc,
				     jr_redo_stats_get(rd)->pgno_last_shrunk + 1,
				     UINT32_MAX);
	err = jr_pagecache_flush(pc, ei);
	if (err < 0)
		goto close_reader;
	res->redo = *jr_redo_stats_get(rd);
	err = jr_redo_apply_shrink(&res->redo, a->fd, a->page_size, ei);
close_reader:
	ese_logreader_close(lr);
free_redo:
	if (rd)
		res->redo = *jr_redo_stats_get(rd);
	jr_redo_free(rd);
close_cache:
	jr_pagecache_get_stats(pc, &cs);
	res->cache_reads = cs.reads;
	res->cache_writes = cs.writes;
	res->cache_frames = cs.frames;
	jr_pagecache_close(pc);
	g_free(before);
	return err;
}

/* Soft recovery's progress: once per generation, then gen 0 at the end. */
struct jr_soft_tick_ctx {
	const jr_recovery_opts *o;
	const jr_soft_plan *p;
	uint32_t gen_reported;
};

static JET_ERR jr_soft_tick(uint32_t gen, uint64_t done, void *ctx)
{
	struct jr_soft_tick_ctx *c = ctx;

	(void)done;
	if (gen == c->gen_reported)
		return JET_errSuccess;
	c->gen_reported = gen;
	return c->o->progress(c->o->db_path, gen, c->p->gen_first,
			      c->p->gen_last, c->o->progress_ctx);
}

static JET_ERR jr_replay(const jr_recovery_opts *o, jr_soft_plan *p, int fd,
			 jr_recovery_summary *sum, jr_errinfo *ei)
{
	struct jr_soft_tick_ctx tc = { o, p, 0 };
	jr_replay_files_args a;
	jr_replay_files_result res;
	JET_ERR err;

	memset(&a, 0, sizeof(a));
	a.fd = fd;
	a.page_size = p->db.page_size;
	a.hdr = &p->db.hdr;
	a.sign_log = &p->db.hdr.sign_log;
	a.paths = (const char *const *)p->paths;
	a.npaths = p->npaths;
	a.gen_first = p->gen_first;
	a.start = p->start;
	a.dbid = p->dbid;
	a.gen_max_required = p->db.hdr.gen_max_required;
	a.replay_all = o->replay_from != 0;
	/* ESE corrects a segment whose ECC shows a single flipped bit */
	a.fix_single_bit_errors = true;
	a.cache_bytes = o->cache_bytes;
	a.tick = o->progress ? jr_soft_tick : NULL;
	a.tick_ctx = &tc;
	a.cancel = o->cancel;
	err = jr_recovery_replay_files(&a, &res, ei);
	sum->redo = res.redo;
	sum->cache_reads = res.cache_reads;
	sum->cache_writes = res.cache_writes;
	sum->cache_frames = res.cache_frames;
	if (err < 0)
		return err;
	sum->lgpos_end = sum->redo.last_lgpos_end;
	if (o->progress)
		err = o->progress(o->db_path, 0, p->gen_first, p->gen_last,
				  o->progress_ctx);
	return err;
}

static JET_ERR jr_write_header(const jr_soft_plan *p, int fd,
			       const jr_recovery_summary *sum, uint64_t *dbtime,
			       jr_errinfo *ei)
{
	ese_dbheader h = p->db.hdr;
	uint8_t *buf = g_malloc0(2 * (size_t)p->db.page_size);
	JET_ERR err;

	jr_recovery_header_clean(&h, &sum->redo, &p->start, &p->last_create);
	*dbtime = h.dbtime;
	err = ese_dbheader_write_pair(&h, buf, p->db.page_size);
	if (err >= 0)
		err = jr_pwrite_full(fd, buf, 2 * (size_t)p->db.page_size, 0, ei);
	g_free(buf);
	return err;
}

static JET_ERR jr_fsync_dir(const char *dir, jr_errinfo *ei)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return jr_fail(ei, JET_errDiskIO, "%s: %s", dir,
			       strerror(errno));
	if (fsync(fd) != 0 && errno != EINVAL) {
		close(fd);
		return jr_fail(ei, JET_errDiskIO, "fsync %s: %s", dir,
			       strerror(errno));
	}
	close(fd);
	return JET_errSuccess;
}

/* A run killed before its rename leaves its temporary file behind: the
 * next run into the same directory removes it (one writer per output
 * directory at a time). */
static void jr_remove_stale_temps(const char *out_dir, const char *name)
{
	char *prefix = g_strdup_printf(".%s.jetrestore-", name);
	GDir *d = g_dir_open(out_dir, 0, NULL);
	const char *f;

	while (d && (f = g_dir_read_name(d))) {
		if (g_str_has_prefix(f, prefix) &&
		    strlen(f) == strlen(prefix) + 6) {
			char *p = g_build_filename(out_dir, f, NULL);

			unlink(p);
			g_free(p);
		}
	}
	if (d)
		g_dir_close(d);
	g_free(prefix);
}

JET_ERR jr_recover_database(const jr_recovery_opts *o,
			    jr_recovery_summary *sum, jr_errinfo *ei)
{
	struct timespec t0, t1;
	jr_soft_plan plan;
	char *db_dir = NULL, *out_dir = NULL, *tmp = NULL;
	int in = -1, out = -1;
	JET_ERR err;

	memset(sum, 0, sizeof(*sum));
	memset(&plan, 0, sizeof(plan));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!o->db_path)
		return jr_fail(ei, JET_errInvalidParameter, "no database");

	err = jr_soft_plan_make(o, &plan, sum, ei);
	if (err < 0)
		goto free_plan;

	db_dir = g_path_get_dirname(o->db_path);
	out_dir = o->out_dir ? g_strdup(o->out_dir)
			     : jr_recovery_default_out(o->db_path);
	if (g_mkdir_with_parents(out_dir, 0755) != 0) {
		err = jr_fail(ei, JET_errInvalidPath, "cannot create %s: %s",
			      out_dir, strerror(errno));
		goto free_plan;
	}
	if (jr_same_dir(out_dir, db_dir)) {
		err = jr_fail(ei, JET_errInvalidPath,
			      "the output directory %s is the database's own "
			      "directory: inputs are never written", out_dir);
		goto free_plan;
	}
	snprintf(sum->out_path, sizeof(sum->out_path), "%s/%s", out_dir,
		 jr_basename_of(o->db_path));
	jr_remove_stale_temps(out_dir, jr_basename_of(o->db_path));

	err = jr_open_ro(o->db_path, &in, ei);
	if (err < 0)
		goto free_plan;
	tmp = g_strdup_printf("%s/.%s.jetrestore-XXXXXX", out_dir,
			      jr_basename_of(o->db_path));
	out = g_mkstemp_full(tmp, O_RDWR, 0644);
	if (out < 0) {
		err = jr_fail(ei, JET_errInvalidPath, "cannot create %s: %s",
			      tmp, strerror(errno));
		g_free(tmp);
		tmp = NULL;
		goto close_in;
	}
	err = jr_copy_file(in, out, ei);
	if (err < 0)
		goto remove_tmp;
	if (!sum->was_clean) {
		err = jr_replay(o, &plan, out, sum, ei);
		if (err < 0)
			goto remove_tmp;
		err = jr_write_header(&plan, out, sum, &sum->dbtime, ei);
		if (err < 0)
			goto remove_tmp;
	} else {
		sum->dbtime = plan.db.hdr.dbtime;
	}
	if (fsync(out) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "fsync %s: %s", tmp,
			      strerror(errno));
		goto remove_tmp;
	}
	close(out);
	out = -1;
	if (rename(tmp, sum->out_path) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "rename to %s: %s",
			      sum->out_path, strerror(errno));
		goto remove_tmp;
	}
	err = jr_fsync_dir(out_dir, ei);
	goto close_in;

remove_tmp:
	if (out >= 0)
		close(out);
	out = -1;
	unlink(tmp);
close_in:
	if (in >= 0)
		close(in);
free_plan:
	jr_soft_plan_free(&plan);
	g_free(tmp);
	g_free(db_dir);
	g_free(out_dir);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sum->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (err < 0)
		jr_errinfo_prefix(ei, "%s", o->db_path);
	return err;
}
