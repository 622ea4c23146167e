/*
 * hardreplay.c - the restore's use of the replay engine (see hardreplay.h).
 *
 * The engine is src/recover: the page cache (pagecache.h), the log reader
 * (ese/logreader.h) and redo/undo (redo.h). Soft recovery drives them in
 * recovery.c from a checkpoint and a scanned directory; hard recovery needs
 * the same loop over an explicit, already checked list of files, from the
 * start of genLow, with the plan's dbid, and a different header at the end.
 * recovery.h does not export its loop or its clean-header step, so the
 * loop is driven here through the same public engine calls, and the clean
 * header follows recovery.h's documented end state (step 5) exactly.
 */
#include "restore/hardreplay.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "ese/loghdr.h"
#include "ese/logreader.h"
#include "recover/pagecache.h"
#include "recover/redo.h"
#include "util/io.h"

#define JR_HARD_CACHE_DEFAULT (32u << 20)   /* recovery.h's default */
#define JR_HARD_SECTOR 512u                 /* lgpos isec unit */

void jr_hard_header_policy(ese_dbheader *h)
{
	memset(&h->bk_full_cur, 0, sizeof(h->bk_full_cur));
	memset(&h->bk_snapshot_cur, 0, sizeof(h->bk_snapshot_cur));
	memset(&h->bk_inc_prev, 0, sizeof(h->bk_inc_prev));
	memset(&h->bk_full_prev, 0, sizeof(h->bk_full_prev));
	h->bk_type_full_prev = ESE_BKTYPE_NORMAL;
	h->bk_type_inc_prev = ESE_BKTYPE_NORMAL;
}

/* ESE's clean end state after recovery, as recovery.h (step 5) states it:
 * state CleanShutdown; dbtime / objidLast the highest seen; consistent and
 * detach positions (and lastResize when in use) at the end of the replay;
 * their times the last generation's creation time; required / committed /
 * recovering generations and their times cleared; SetDbVersion applied. */
static void jr_hard_header_clean(ese_dbheader *h, const jr_redo_stats *st,
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
	memset(&h->logtime_gen_max_create, 0,
	       sizeof(h->logtime_gen_max_create));
	memset(&h->logtime_gen_max_required, 0,
	       sizeof(h->logtime_gen_max_required));
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

static void jr_hard_write_hook(uint8_t *page, size_t page_size, uint32_t pgno,
			       void *ctx)
{
	(void)ctx;
	/* As recovery.c: ESE writes every page in the ECC checksum format. */
	ese_page_set_ecc_format(page);
	ese_page_checksum_write(page, page_size, pgno);
}

/* Sizes of the plan's logs, summed before each one (bytes done when
 * generation gen_low + i starts). */
static JET_ERR jr_log_offsets(const jr_plan *pl, uint64_t **out,
			      jr_errinfo *ei)
{
	uint64_t *before = calloc(pl->n_logs + 1, sizeof(*before));

	if (!before)
		return jr_fail(ei, JET_errOutOfMemory, "hard replay");
	for (unsigned i = 0; i < pl->n_logs; i++) {
		struct stat st;

		before[i + 1] = before[i] +
			(stat(pl->logs[i], &st) == 0 ? (uint64_t)st.st_size : 0);
	}
	*out = before;
	return JET_errSuccess;
}

static JET_ERR jr_hard_loop(const jr_hard_replay_args *a, jr_redo *rd,
			    ese_logreader *lr, const uint64_t *before,
			    jr_hard_replay_result *res, jr_errinfo *ei)
{
	const jr_plan *pl = a->plan;
	uint64_t last_unit = UINT64_MAX;
	ese_logrecord rec;
	JET_ERR err;

	while ((err = ese_logreader_next(lr, &rec, ei)) == JET_errSuccess) {
		jr_redo_rec rr;
		uint64_t done;

		if (rec.lgpos.gen < pl->gen_low || rec.lgpos.gen > pl->gen_end)
			return jr_fail(ei, JET_errLogGenerationMismatch,
				       "%s: record at generation 0x%X outside "
				       "the restore's 0x%X..0x%X", rec.file,
				       rec.lgpos.gen, pl->gen_low, pl->gen_end);
		res->records++;
		res->gen_last = rec.lgpos.gen;
		done = before[rec.lgpos.gen - pl->gen_low] +
		       (uint64_t)rec.lgpos.isec * JR_HARD_SECTOR;
		/* Progress and cancel once per 64 KiB of log. */
		if (done >> 16 != last_unit) {
			last_unit = done >> 16;
			if (a->cancel && atomic_load(a->cancel))
				return jr_fail(ei, JET_errTermInProgress,
					       "restore cancelled");
			if (a->tick) {
				err = a->tick(rec.lgpos.gen, done, a->tick_ctx);
				if (err < 0)
					return jr_fail(ei, err, "stopped by the "
						       "status callback");
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

static JET_ERR jr_hard_write_header(const jr_hard_replay_args *a,
				    const jr_redo_stats *st, jr_errinfo *ei)
{
	const jr_plan *pl = a->plan;
	ese_dbheader h = a->db->hdr;
	ese_loghdr *last;
	ese_lgpos start = { 0, 1, pl->gen_low };
	uint8_t *buf;
	JET_ERR err;

	last = calloc(1, sizeof(*last));
	buf = calloc(2, a->db->page_size);
	if (!last || !buf) {
		err = jr_fail(ei, JET_errOutOfMemory, "hard replay header");
		goto free_bufs;
	}
	err = ese_loghdr_read_file(pl->logs[pl->n_logs - 1], last, NULL, ei);
	if (err < 0)
		goto free_bufs;
	jr_hard_header_clean(&h, st, &start, &last->tm_create);
	jr_hard_header_policy(&h);
	err = ese_dbheader_write_pair(&h, buf, a->db->page_size);
	if (err < 0) {
		err = jr_fail(ei, err, "%s: header", a->path);
		goto free_bufs;
	}
	err = jr_pwrite_full(a->fd, buf, 2 * (size_t)a->db->page_size, 0, ei);
free_bufs:
	free(buf);
	free(last);
	return err;
}

JET_ERR jr_hard_replay(const jr_hard_replay_args *a,
		       jr_hard_replay_result *res, jr_errinfo *ei)
{
	const jr_plan *pl = a->plan;
	const jr_plan_db *d = a->db;
	ese_logreader_opts lro;
	ese_logreader *lr = NULL;
	jr_pagecache *pc = NULL;
	jr_redo *rd = NULL;
	jr_redo_opts ro;
	uint64_t *before = NULL;
	JET_ERR err;

	memset(res, 0, sizeof(*res));
	err = jr_log_offsets(pl, &before, ei);
	if (err < 0)
		return err;
	err = jr_pagecache_open(a->fd, d->page_size, 1,
				a->cache_bytes ? a->cache_bytes
					       : JR_HARD_CACHE_DEFAULT,
				jr_hard_write_hook, NULL, &pc, ei);
	if (err < 0)
		goto free_offsets;
	jr_redo_opts_init(&ro);
	ro.pc = pc;
	ro.fd = a->fd;
	ro.page_size = d->page_size;
	ro.sign_db = d->hdr.sign_db;
	ro.dbid = d->dbid_start;
	/* The plan raised genMaxRequired to the backup's genHigh: within the
	 * backup's range a page may already hold later changes (the copy
	 * was read while the database ran); past it, every change must
	 * apply (ESE's hard-restore rule). */
	ro.gen_max_required = d->hdr.gen_max_required;
	ro.dbtime_start = d->hdr.dbtime;
	ro.objid_start = d->hdr.objid_last;
	err = jr_redo_new(&ro, &rd, ei);
	if (err < 0)
		goto close_cache;
	ese_logreader_opts_init(&lro);
	lro.sign_log = &pl->sign_log;
	lro.return_nop2 = false;
	err = ese_logreader_open_files((const char *const *)pl->logs,
				       pl->n_logs, &lro, &lr, ei);
	if (err < 0)
		goto free_redo;
	err = jr_hard_loop(a, rd, lr, before, res, ei);
	if (err < 0)
		goto close_reader;
	err = jr_pagecache_flush(pc, ei);
	if (err < 0)
		goto close_reader;
	err = jr_hard_write_header(a, jr_redo_stats_get(rd), ei);
close_reader:
	ese_logreader_close(lr);
free_redo:
	jr_redo_free(rd);
close_cache:
	jr_pagecache_close(pc);
free_offsets:
	free(before);
	return err;
}
