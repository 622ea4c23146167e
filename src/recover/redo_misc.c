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
 *   RootPageMove (a macro, ErrLGRIRedoRootPageMove + SHKPerformRootMove,
 *              dbshrink.cxx): a tree's root and its owned- and available-
 *              extent roots move to new pages. The macro holds the
 *              RootPageMove record, one PageMove per moving root (move
 *              flags 1 root, 2 OE, 4 AE), a SetExternalHeader per child
 *              tree (its space header names the new parent) and one or two
 *              Replace records per catalog (MSysObjects, objid 2, and
 *              MSysObjectsShadow, 3: the object's row, then the clustered
 *              index's row, maybe on the same page). Each destination that
 *              needs redo (R4) becomes the logged image of its source
 *              (header and tag array around zeros) with the move's dbtime;
 *              the new root's space header points at the new OE root and
 *              keeps the source's FDP-delete flag. Children and catalog
 *              pages that need redo (R3) get the new data; sources that
 *              need redo are emptied (NDEmptyPage). Every page redone gets
 *              the move's dbtime.
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
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "PageMove of a root (flags 0x%x) outside a "
				  "RootPageMove macro", m->move_flags);
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

/* ---- RootPageMove ---- */

enum { JR_RM_FDP, JR_RM_OE, JR_RM_AE, JR_RM_ROOTS };

typedef struct {
	bool present;
	uint32_t pgno, pgno_new;
	uint64_t before;
	jr_pg src, dest;
	uint8_t *image;           /* the logged source image (dest.redo) */
} jr_rm_root;

typedef struct {
	uint64_t before;
	jr_pg pg;
	const uint8_t *data;
	uint16_t cb;
} jr_rm_child;

typedef struct {
	bool present;
	uint32_t pgno;
	uint64_t before;
	uint16_t iline;
	const uint8_t *data;
	uint16_t cb;
	jr_pg own;                /* pinned here unless it shares a page */
	jr_pg *pg;                /* &own or the object row's page */
} jr_rm_cat;

typedef struct {
	uint64_t dbtime;
	uint32_t objid;
	jr_rm_root root[JR_RM_ROOTS];
	jr_rm_child *child;
	size_t nchild;
	jr_rm_cat cat[2][2];      /* [MSO, shadow][object row, clustered
				   * index row] */
} jr_root_move;

static JET_ERR jr_rm_add_root(jr_redo *rd, jr_root_move *rm,
			      const lr_page_move *m, jr_errinfo *ei)
{
	int slot = (m->move_flags & 1u) ? JR_RM_FDP
		   : (m->move_flags & 2u) ? JR_RM_OE
		   : (m->move_flags & 4u) ? JR_RM_AE : -1;
	jr_rm_root *r;
	JET_ERR err;

	if (slot < 0 || rm->root[slot].present ||
	    m->page.dbtime_after != rm->dbtime)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "root move: PageMove of page %u (flags "
				  "0x%x, dbtime 0x%llx) does not belong",
				  m->page.pgno, m->move_flags,
				  (unsigned long long)m->page.dbtime_after);
	r = &rm->root[slot];
	r->present = true;
	r->pgno = m->page.pgno;
	r->pgno_new = m->pgno_dest;
	r->before = m->page.dbtime_before;
	err = jr_rd_access(rd, r->pgno, false, &r->src, ei);
	if (err < 0)
		return err;
	err = jr_rd_access_new(rd, r->pgno_new, rm->dbtime, &r->dest, ei);
	if (err < 0 || !r->dest.redo)
		return err;
	r->image = g_malloc(rd->o.page_size);
	return jr_page_from_parts(rd, m, r->image, ei);
}

static JET_ERR jr_rm_add_child(jr_redo *rd, jr_root_move *rm,
			       const lr_set_ext_header *h, jr_errinfo *ei)
{
	jr_rm_child *c;

	if (h->n.page.pgno != h->n.pgno_fdp ||
	    h->n.page.dbtime_after != rm->dbtime)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "root move: SetExternalHeader of page %u "
				  "(tree %u) does not belong", h->n.page.pgno,
				  h->n.pgno_fdp);
	rm->child = g_renew(jr_rm_child, rm->child, rm->nchild + 1);
	c = &rm->child[rm->nchild++];
	memset(c, 0, sizeof(*c));
	c->before = h->n.page.dbtime_before;
	c->data = h->data.p;
	c->cb = (uint16_t)h->data.len;
	return jr_rd_access(rd, h->n.page.pgno, false, &c->pg, ei);
}

static JET_ERR jr_rm_add_catalog(jr_redo *rd, jr_root_move *rm,
				 const lr_replace *r, jr_errinfo *ei)
{
	const uint32_t objid = r->n.objid_fdp;
	int icat = objid == 2 ? 0 : objid == 3 ? 1 : -1;
	jr_rm_cat *c;

	if (icat < 0 || r->diff || rm->cat[icat][1].present ||
	    r->n.page.dbtime_after != rm->dbtime)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "root move: Replace of page %u (object %u) "
				  "does not belong", r->n.page.pgno, objid);
	c = &rm->cat[icat][rm->cat[icat][0].present ? 1 : 0];
	c->present = true;
	c->pgno = r->n.page.pgno;
	c->before = r->n.page.dbtime_before;
	c->iline = r->n.page.iline;
	c->data = r->data.p;
	c->cb = (uint16_t)r->data.len;
	if (c == &rm->cat[icat][1] && c->pgno == rm->cat[icat][0].pgno) {
		c->pg = &rm->cat[icat][0].own;
		return JET_errSuccess;
	}
	c->pg = &c->own;
	return jr_rd_access(rd, c->pgno, false, &c->own, ei);
}

/* ErrLGIRedoRootMoveStructures + ErrLGIRedoRootMoveUpgradeLatches */
static JET_ERR jr_rm_collect(jr_redo *rd, jr_root_move *rm,
			     const jr_macro_rec *recs, size_t n,
			     jr_errinfo *ei)
{
	JET_ERR err = JET_errSuccess;

	for (size_t i = 1; i < n && err >= 0; i++) {
		lr_record r;

		rd->at = recs[i].at;
		err = lr_decode(recs[i].rec, recs[i].len, &r, ei);
		if (err < 0)
			return err;
		switch (r.lrtyp) {
		case 65:
			err = jr_rm_add_root(rd, rm, &r.u.page_move, ei);
			break;
		case 38:
			err = jr_rm_add_child(rd, rm, &r.u.set_ext_header, ei);
			break;
		case 33:
			err = jr_rm_add_catalog(rd, rm, &r.u.replace, ei);
			break;
		default:
			err = jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
					 "root move macro holds a %s record",
					 ese_lrtyp_name(r.lrtyp));
			break;
		}
	}
	if (err < 0)
		return err;
	if (!rm->root[JR_RM_FDP].present)
		return jr_rd_fail(rd, ei, JET_errLogFileCorrupt,
				  "root move macro without the root's "
				  "PageMove");
	for (int i = 0; i < JR_RM_ROOTS && err >= 0; i++)
		if (rm->root[i].present)
			err = jr_rd_check(rd, &rm->root[i].src,
					  rm->root[i].before, rm->dbtime, ei);
	for (size_t i = 0; i < rm->nchild && err >= 0; i++)
		err = jr_rd_check(rd, &rm->child[i].pg, rm->child[i].before,
				  rm->dbtime, ei);
	for (int c = 0; c < 2 && err >= 0; c++)
		for (int k = 0; k < 2 && err >= 0; k++)
			if (rm->cat[c][k].present &&
			    rm->cat[c][k].pg == &rm->cat[c][k].own)
				err = jr_rd_check(rd, &rm->cat[c][k].own,
						  rm->cat[c][k].before,
						  rm->dbtime, ei);
	return err;
}

/* The new root's space header names the new OE root. */
static JET_ERR jr_rm_fix_space_header(jr_redo *rd, uint8_t *page,
				      uint32_t pgno_oe, jr_errinfo *ei)
{
	uint8_t sph[64];
	ese_line ext;
	ese_data part;
	JET_ERR err;

	err = ese_page_external_header(&rd->lay, page, &ext, ei);
	if (err < 0)
		return err;
	if (ext.cb < 16 || ext.cb > sizeof(sph))
		return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
				  "moved root has a %u-byte space header",
				  ext.cb);
	memcpy(sph, ext.data, ext.cb);
	jr_put_le32(sph + 12, pgno_oe);
	part.pv = sph;
	part.cb = ext.cb;
	return ese_page_set_external_header(&rd->lay, page, &part, 1, ei);
}

/* SHKPerformRootMove */
static JET_ERR jr_rm_perform(jr_redo *rd, jr_root_move *rm, jr_errinfo *ei)
{
	jr_rm_root *fdp = &rm->root[JR_RM_FDP];
	bool fdp_delete = false;
	JET_ERR err = JET_errSuccess;

	if (fdp->src.page && !fdp->src.scratch)
		fdp_delete = (jr_le32(fdp->src.page + ESE_PGHDR_FLAGS) &
			      ESE_PGF_FDP_DELETE) != 0;
	for (int i = 0; i < JR_RM_ROOTS && err >= 0; i++) {
		jr_rm_root *r = &rm->root[i];

		if (!r->present || !r->dest.redo)
			continue;
		memcpy(r->dest.page, r->image, rd->o.page_size);
		ese_page_set_pgno(&rd->lay, r->dest.page, r->pgno_new);
		ese_page_dirty(r->dest.page, rm->dbtime);
		if (i == JR_RM_FDP) {
			uint32_t fl = jr_le32(r->dest.page + ESE_PGHDR_FLAGS);

			fl = fdp_delete ? (fl | ESE_PGF_FDP_DELETE)
					: (fl & ~(uint32_t)ESE_PGF_FDP_DELETE);
			ese_page_set_flags(r->dest.page, fl);
			if (rm->root[JR_RM_OE].present)
				err = jr_rm_fix_space_header(
					rd, r->dest.page,
					rm->root[JR_RM_OE].pgno_new, ei);
		}
		r->dest.dirty = true;
	}
	for (size_t i = 0; i < rm->nchild && err >= 0; i++) {
		jr_rm_child *c = &rm->child[i];
		ese_data part = { c->data, c->cb };

		if (!c->pg.redo)
			continue;
		err = ese_page_set_external_header(&rd->lay, c->pg.page, &part,
						   1, ei);
		c->pg.dirty = true;
	}
	for (int ic = 0; ic < 2 && err >= 0; ic++)
		for (int k = 0; k < 2 && err >= 0; k++) {
			jr_rm_cat *c = &rm->cat[ic][k];
			jr_nd_raw nd;

			if (!c->present || !c->pg->redo)
				continue;
			err = jr_nd_get_raw(&rd->lay, c->pg->page, c->iline,
					    &nd, ei);
			if (err >= 0)
				err = jr_nd_replace(&rd->lay, c->pg->page,
						    c->iline, c->data, c->cb,
						    nd.flags, ei);
			c->pg->dirty = true;
		}
	for (int i = 0; i < JR_RM_ROOTS && err >= 0; i++) {
		jr_rm_root *r = &rm->root[i];

		if (!r->present || !r->src.redo)
			continue;
		err = jr_rd_empty_page(rd, &r->src, ei);
		r->src.dirty = true;
	}
	return err;
}

JET_ERR jr_redo_root_move(jr_redo *rd, const jr_macro_rec *recs, size_t n,
			  jr_errinfo *ei)
{
	jr_root_move rm;
	lr_record r;
	bool any = false;
	uint64_t dbtime;
	JET_ERR err;

	memset(&rm, 0, sizeof(rm));
	err = lr_decode(recs[0].rec, recs[0].len, &r, ei);
	if (err < 0)
		return err;
	rm.dbtime = r.u.root_page_move.dbtime_after;
	rm.objid = r.u.root_page_move.objid;
	if (!jr_rd_for_us(rd, r.u.root_page_move.dbid)) {
		jr_rd_count(rd, 96, false);
		return JET_errSuccess;
	}
	jr_rd_counters(rd, rm.dbtime, rm.objid);
	err = jr_rm_collect(rd, &rm, recs, n, ei);
	rd->at = recs[0].at;
	if (err >= 0)
		err = jr_rm_perform(rd, &rm, ei);
	if (err < 0)
		jr_errinfo_prefix(ei, "root move of object %u", rm.objid);

	dbtime = err < 0 ? 0 : rm.dbtime;
	for (int i = 0; i < JR_RM_ROOTS; i++) {
		any = any || rm.root[i].src.redo || rm.root[i].dest.redo;
		jr_rd_release(rd, &rm.root[i].src, dbtime);
		jr_rd_release(rd, &rm.root[i].dest, dbtime);
		g_free(rm.root[i].image);
	}
	for (size_t i = 0; i < rm.nchild; i++) {
		any = any || rm.child[i].pg.redo;
		jr_rd_release(rd, &rm.child[i].pg, dbtime);
	}
	for (int c = 0; c < 2; c++)
		for (int k = 0; k < 2; k++) {
			any = any || rm.cat[c][k].own.redo;
			jr_rd_release(rd, &rm.cat[c][k].own, dbtime);
		}
	g_free(rm.child);
	if (err >= 0)
		jr_rd_count(rd, 96, any);
	return err;
}
