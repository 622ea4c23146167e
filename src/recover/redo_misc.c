/*
 * redo_misc.c - redo of the records that change pages outside the node
 * and split/merge machinery: Scrub, PageMove, ShrinkDB(2,3), TrimDB.
 *
 * ESE: ErrLGRIRedoScrub + ErrNDScrubOneUsedPage / ErrNDScrubOneUnusedPage
 * (node.cxx), ErrLGRIIRedoPageMove + BTPerformPageMove (bt.cxx),
 * ErrLGRIRedoShrinkDB (+PageReset, +FileTruncation), ErrLGRIRedoTrimDB
 * (logredo.cxx).
 *
 *   Scrub      the page is marked scrubbed; a used page gets the data of
 *              the nodes its SCRUBOPER codes name overwritten ('D', or for
 *              long-value chunks the scrub "compression" signature 0x20 then
 *              'L'), their version flag cleared, and every unused byte
 *              filled with 'Z'; an unused page loses every node and is
 *              filled with 'U'.
 *   PageMove   the source page's content goes to the destination page, the
 *              source is emptied, its parent's pointer and its siblings'
 *              links follow. When only the destination needs redo, the
 *              source is first replaced by its logged image (header and tag
 *              array around zeros), as with split pre-images.
 *   ShrinkDB   pages past the new end are cut: zeroed now and the file
 *              truncated when the replay ends; inside the required range
 *              an old shrink is skipped, or (ShrinkDB3) its pages older
 *              than the shrink's dbtime are reset to "shrunk" pages.
 *   TrimDB     the range reads as zeros (skipped inside the required
 *              range and when the file does not reach past it).
 */
#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"
#include "util/io.h"

#define JR_DBTIME_SHRUNK  UINT64_C(0xfffffffffffffffd)
#define JR_SCRUB_UNUSED_PAGE 0x1u

enum { JR_SCRUB_NONE = 0, JR_SCRUB_DATA = 1, JR_SCRUB_LV = 2 };

/* Forget what the redo maps noted for pgno first..last. */
static void jr_maps_clear(jr_redo *rd, uint32_t first, uint32_t last)
{
	GHashTable *maps[2] = { rd->map_zeroed, rd->map_behind };

	for (int m = 0; m < 2; m++) {
		GHashTableIter it;
		gpointer k;

		g_hash_table_iter_init(&it, maps[m]);
		while (g_hash_table_iter_next(&it, &k, NULL)) {
			uint32_t p = GPOINTER_TO_UINT(k);

			if (p >= first && p <= last)
				g_hash_table_iter_remove(&it);
		}
	}
}

JET_ERR jr_redo_scrub(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_scrub *s = &r->u.scrub;
	const uint64_t dbtime = s->n.page.dbtime_after;
	jr_pg pg;
	JET_ERR err;

	err = jr_rd_access_check(rd, s->n.page.pgno, s->n.page.dbtime_before,
				 dbtime, &pg, ei);
	if (err < 0)
		return err;
	if (!pg.redo) {
		jr_rd_count(rd, r->lrtyp, false);
		jr_rd_release(rd, &pg, 0);
		return JET_errSuccess;
	}
	ese_page_set_flags(pg.page, jr_le32(pg.page + ESE_PGHDR_FLAGS) |
				    ESE_PGF_SCRUBBED);
	pg.dirty = true;
	if (s->scrub_flags & JR_SCRUB_UNUSED_PAGE) {
		unsigned n = ese_page_line_count(&rd->lay, pg.page);

		while (err >= 0 && n-- > 0)
			err = jr_nd_delete(&rd->lay, pg.page, 0, ei);
		if (err >= 0)
			err = ese_page_overwrite_unused(&rd->lay, pg.page, 'U',
							ei);
	} else {
		unsigned n = ese_page_line_count(&rd->lay, pg.page);

		if (s->cscrub_oper != n || s->data.len < s->cscrub_oper) {
			err = jr_rd_fail(rd, ei,
					 JET_errLogOperationInconsistentWithDatabase,
					 "Scrub of %u lines on page %u of %u",
					 s->cscrub_oper, pg.pgno, n);
			goto release;
		}
		for (unsigned i = 0; i < n && err >= 0; i++) {
			uint8_t op = s->data.p[i];
			jr_nd_raw nd;

			if (op == JR_SCRUB_NONE)
				continue;
			err = jr_nd_get_raw(&rd->lay, pg.page, i, &nd, ei);
			if (err < 0)
				break;
			if (op == JR_SCRUB_DATA) {
				memset((uint8_t *)nd.data, 'D', nd.cb_data);
			} else if (op == JR_SCRUB_LV) {
				if (nd.cb_data) {
					((uint8_t *)nd.data)[0] = 4 << 3;
					memset((uint8_t *)nd.data + 1, 'L',
					       nd.cb_data - 1u);
				}
			} else {
				err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
						 "unknown scrub operation %u",
						 op);
				break;
			}
			err = ese_page_set_line_flags(&rd->lay, pg.page, i,
						      (uint8_t)(nd.flags &
								~JR_ND_VERSION),
						      ei);
		}
		if (err >= 0)
			err = ese_page_overwrite_unused(&rd->lay, pg.page, 'Z',
							ei);
	}
	if (err >= 0) {
		/* SetDbtime only: the scrubbed flag stays */
		ese_page_set_dbtime(pg.page, dbtime);
		jr_rd_count(rd, r->lrtyp, true);
	}
release:
	jr_rd_release(rd, &pg, 0);
	return err;
}

/* A page image from a PageMove's header and trailer around zeros. */
static JET_ERR jr_page_from_parts(jr_redo *rd, const lr_page_move *m,
				  uint8_t *out, jr_errinfo *ei)
{
	if ((size_t)m->page_header.len + m->page_trailer.len > rd->o.page_size)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "PageMove image of %u + %u bytes",
				  m->page_header.len, m->page_trailer.len);
	memset(out, 0, rd->o.page_size);
	memcpy(out, m->page_header.p, m->page_header.len);
	memcpy(out + rd->o.page_size - m->page_trailer.len, m->page_trailer.p,
	       m->page_trailer.len);
	return JET_errSuccess;
}

JET_ERR jr_redo_page_move(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_page_move *m = &r->u.page_move;
	const uint64_t dbtime = m->page.dbtime_after;
	jr_pg parent, src, left, right, dest;
	uint8_t *image = NULL;
	JET_ERR err;

	memset(&parent, 0, sizeof(parent));
	memset(&src, 0, sizeof(src));
	memset(&left, 0, sizeof(left));
	memset(&right, 0, sizeof(right));
	memset(&dest, 0, sizeof(dest));
	if (m->move_flags)
		return jr_rd_fail(rd, ei, JET_errInvalidLoggedOperation,
				  "PageMove of a root (flags 0x%x) outside a "
				  "RootPageMove is not implemented",
				  m->move_flags);
	err = jr_rd_access_check(rd, m->pgno_parent, m->dbtime_parent_before,
				 dbtime, &parent, ei);
	if (err >= 0)
		err = jr_rd_access_check(rd, m->page.pgno,
					 m->page.dbtime_before, dbtime, &src,
					 ei);
	if (err >= 0 && m->pgno_left)
		err = jr_rd_access_check(rd, m->pgno_left,
					 m->dbtime_left_before, dbtime, &left,
					 ei);
	if (err >= 0 && m->pgno_right)
		err = jr_rd_access_check(rd, m->pgno_right,
					 m->dbtime_right_before, dbtime,
					 &right, ei);
	if (err >= 0)
		err = jr_rd_access_new(rd, m->pgno_dest, dbtime, &dest, ei);
	if (err < 0)
		goto release;

	if (dest.redo && !src.redo) {
		image = g_malloc(rd->o.page_size);
		err = jr_page_from_parts(rd, m, image, ei);
		if (err < 0)
			goto release;
		jr_rd_use_preimage(rd, &src, image, m->page.dbtime_before);
	}
	/* every page redone carries the move's dbtime before the copy */
	if (src.redo)
		ese_page_dirty(src.page, dbtime);
	if (dest.redo) {
		memcpy(dest.page, src.page, rd->o.page_size);
		ese_page_set_pgno(&rd->lay, dest.page, m->pgno_dest);
		dest.dirty = true;
	}
	if (src.redo) {
		unsigned n;

		err = jr_nd_set_prefix(&rd->lay, src.page, NULL, 0, ei);
		n = ese_page_line_count(&rd->lay, src.page);
		while (err >= 0 && n-- > 0)
			err = jr_nd_delete(&rd->lay, src.page, n, ei);
		if (err < 0)
			goto release;
		ese_page_set_flags(src.page, jr_le32(src.page + ESE_PGHDR_FLAGS) |
					     ESE_PGF_EMPTY);
		src.dirty = true;
	}
	if (parent.redo) {
		jr_nd_raw n;
		uint8_t le[4];

		err = jr_nd_get_raw(&rd->lay, parent.page,
				    (unsigned)m->iline_parent, &n, ei);
		if (err < 0)
			goto release;
		if (n.cb_data != 4 || jr_le32(n.data) != m->page.pgno) {
			err = jr_rd_fail(rd, ei,
					 JET_errLogOperationInconsistentWithDatabase,
					 "parent %u line %d does not point to "
					 "page %u", m->pgno_parent,
					 m->iline_parent, m->page.pgno);
			goto release;
		}
		jr_put_le32(le, m->pgno_dest);
		err = jr_nd_replace(&rd->lay, parent.page,
				    (unsigned)m->iline_parent, le, 4, n.flags,
				    ei);
		if (err < 0)
			goto release;
		parent.dirty = true;
	}
	if (left.redo) {
		ese_page_set_pgno_next(left.page, m->pgno_dest);
		left.dirty = true;
	}
	if (right.redo) {
		ese_page_set_pgno_prev(right.page, m->pgno_dest);
		right.dirty = true;
	}
	jr_rd_count(rd, r->lrtyp, src.redo || dest.redo || parent.redo ||
				       left.redo || right.redo);
release:
	jr_rd_release(rd, &parent, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &src, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &left, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &right, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &dest, err < 0 ? 0 : dbtime);
	g_free(image);
	return err;
}

/* Zero pages first..last through the cache. */
static JET_ERR jr_zero_pages(jr_redo *rd, uint32_t first, uint32_t last,
			     jr_errinfo *ei)
{
	for (uint32_t p = first; p <= last && p >= first; p++) {
		uint8_t *page;
		JET_ERR err = jr_pagecache_get(rd->o.pc, p, &page, ei);

		if (err < 0)
			return err;
		memset(page, 0, rd->o.page_size);
		jr_pagecache_release(rd->o.pc, p, true);
	}
	return JET_errSuccess;
}

/* The last page the file holds. */
static JET_ERR jr_file_last_pgno(jr_redo *rd, uint32_t *last, jr_errinfo *ei)
{
	uint64_t size;
	JET_ERR err;

	*last = 0;
	if (rd->o.fd < 0)
		return JET_errSuccess;
	err = jr_file_size(rd->o.fd, &size, ei);
	if (err < 0)
		return err;
	if (size / rd->o.page_size > 2)
		*last = (uint32_t)(size / rd->o.page_size - 2);
	return JET_errSuccess;
}

JET_ERR jr_redo_shrink(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_shrink_db *s = &r->u.shrink_db;
	const uint32_t first = s->pgno_last + 1;
	const uint32_t last = first + (uint32_t)(s->cpg_shrunk > 0
							 ? s->cpg_shrunk : 0) - 1;
	const bool resize_set = !ese_lgpos_is_zero(&rd->o.lgpos_last_resize);
	uint32_t file_last;
	JET_ERR err;

	if (!jr_rd_for_us(rd, s->dbid) ||
	    (!ese_lgpos_is_zero(&rd->o.lgpos_attach) &&
	     ese_lgpos_cmp(&rd->at, &rd->o.lgpos_attach) <= 0))
		return JET_errSuccess;
	err = jr_file_last_pgno(rd, &file_last, ei);
	if (err < 0)
		return err;
	jr_maps_clear(rd, first, last > file_last ? last : file_last);
	if (s->has_dbtime && s->dbtime > rd->st.dbtime_max)
		jr_rd_counters(rd, s->dbtime, 0);
	if (!resize_set && rd->future) {
		jr_rd_count(rd, r->lrtyp, false);
		return JET_errSuccess;
	}
	if (resize_set &&
	    ese_lgpos_cmp(&rd->o.lgpos_last_resize, &rd->at) > 0) {
		uint32_t end = last < file_last ? last : file_last;

		/* already done once: reset what is older than the shrink */
		if (!s->has_dbtime || s->dbtime == 0) {
			jr_rd_count(rd, r->lrtyp, false);
			return JET_errSuccess;
		}
		for (uint32_t p = first; p <= end && p >= first; p++) {
			uint8_t *page;
			uint64_t t;

			err = jr_pagecache_get(rd->o.pc, p, &page, ei);
			if (err < 0)
				return err;
			t = jr_le64(page + ESE_PGHDR_DBTIME);
			if (!ese_page_is_blank(&rd->lay, page) &&
			    t != JR_DBTIME_SHRUNK && t > 0 && t < s->dbtime) {
				ese_page_preinit(&rd->lay, page, p, 0,
						 JR_DBTIME_SHRUNK);
				err = ese_page_consume_preinit(&rd->lay, page, 0,
							       ei);
			}
			jr_pagecache_release(rd->o.pc, p, err >= 0);
			if (err < 0)
				return err;
		}
		jr_rd_count(rd, r->lrtyp, true);
		return JET_errSuccess;
	}
	/* cut the file: zeros now, the truncation when the replay ends */
	if (file_last > s->pgno_last) {
		err = jr_zero_pages(rd, first, file_last, ei);
		if (err < 0)
			return err;
	}
	rd->st.pgno_last_shrunk = s->pgno_last;
	jr_rd_count(rd, r->lrtyp, true);
	return JET_errSuccess;
}

JET_ERR jr_redo_trim(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_trim_db *t = &r->u.trim_db;
	const uint32_t end = t->pgno_start_zeroes +
			     (uint32_t)(t->cpg_zero_length > 0
						? t->cpg_zero_length : 0) - 1;
	uint32_t file_last;
	JET_ERR err;

	if (!jr_rd_for_us(rd, t->dbid) || t->cpg_zero_length <= 0)
		return JET_errSuccess;
	jr_maps_clear(rd, t->pgno_start_zeroes, end);
	if (rd->future) {
		jr_rd_count(rd, r->lrtyp, false);
		return JET_errSuccess;
	}
	err = jr_file_last_pgno(rd, &file_last, ei);
	if (err < 0)
		return err;
	if (file_last <= end) {
		jr_rd_count(rd, r->lrtyp, false);
		return JET_errSuccess;
	}
	err = jr_zero_pages(rd, t->pgno_start_zeroes, end, ei);
	if (err >= 0)
		jr_rd_count(rd, r->lrtyp, true);
	return err;
}
