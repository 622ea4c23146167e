/*
 * hardreplay.c - the restore's use of the replay engine (see hardreplay.h).
 *
 * The loop itself is soft recovery's (jr_recovery_replay_files in
 * recover/recovery.h): page cache, log reader, redo and undo, flush and
 * shrink. Hard recovery gives it an explicit, already checked list of
 * files, from the start of genLow, with the plan's dbid, and writes a
 * header with the hard-restore backup information at the end.
 */
#include "restore/hardreplay.h"

#include <stdlib.h>
#include <string.h>

#include "ese/dbheader.h"
#include "ese/loghdr.h"
#include "recover/recovery.h"
#include "util/io.h"

void jr_hard_header_policy(ese_dbheader *h)
{
	memset(&h->bk_full_cur, 0, sizeof(h->bk_full_cur));
	memset(&h->bk_snapshot_cur, 0, sizeof(h->bk_snapshot_cur));
	memset(&h->bk_inc_prev, 0, sizeof(h->bk_inc_prev));
	memset(&h->bk_full_prev, 0, sizeof(h->bk_full_prev));
	h->bk_type_full_prev = ESE_BKTYPE_NORMAL;
	h->bk_type_inc_prev = ESE_BKTYPE_NORMAL;
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
	jr_recovery_header_clean(&h, st, &start, &last->tm_create);
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
	jr_replay_files_args ra;
	jr_replay_files_result rr;
	JET_ERR err;

	memset(res, 0, sizeof(*res));
	memset(&ra, 0, sizeof(ra));
	ra.fd = a->fd;
	ra.page_size = d->page_size;
	ra.hdr = &d->hdr;
	ra.sign_log = &pl->sign_log;
	ra.paths = (const char *const *)pl->logs;
	ra.npaths = pl->n_logs;
	ra.gen_first = pl->gen_low;
	ra.start = (ese_lgpos){ 0, 0, pl->gen_low };
	ra.dbid = d->dbid_start;
	/* The plan raised genMaxRequired to the backup's genHigh: within the
	 * backup's range a page may already hold later changes (the copy
	 * was read while the database ran); past it, every change must
	 * apply (ESE's hard-restore rule). */
	ra.gen_max_required = d->hdr.gen_max_required;
	ra.cache_bytes = a->cache_bytes;
	ra.tick = a->tick;
	ra.tick_ctx = a->tick_ctx;
	ra.cancel = a->cancel;
	err = jr_recovery_replay_files(&ra, &rr, ei);
	res->records = rr.records;
	res->gen_last = rr.gen_last;
	if (err < 0)
		return err;
	return jr_hard_write_header(a, &rr.redo, ei);
}
