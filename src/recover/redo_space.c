/*
 * redo_space.c - redo of the space operations that build tree roots:
 * CreateSingleExtentFDP, CreateMultipleExtentFDP, ConvertFDP2, and of
 * EmptyTree.
 *
 * ESE: ErrLGIRedoFDPPage, ErrLGRIRedoSpaceRootPage, ErrLGRIRedoConvertFDP,
 * ErrLGRIRedoFreeEmptyPages (logredo.cxx); ErrSPICreateSingle,
 * SPIInitPgnoFDP, SPICreateExtentTree, SPIConvertCalcExtents,
 * SPIConvertUpdateOE/AE/FDP (space.cxx); NDEmptyPage, NDSetEmptyTree
 * (node.hxx).
 *
 * On-disk pieces built here (see ese/node.h):
 *   SPACE_HEADER (16): cpgPrimary 4, pgnoParent 4, flags 4 (byte 0:
 *     0x01 multiple extent, 0x02 non-unique), rgbitAvail or pgnoOE 4.
 *   SPLIT_BUFFER (16): all zero in a new space-tree root.
 *   Extent node of a space tree (legacy format): key = pgnoLast as 4
 *     big-endian bytes (so keys sort as numbers), data = cpgExtent as 4
 *     little-endian bytes.
 */
#include <string.h>

#include "ese/node.h"
#include "ese/pagemut.h"
#include "recover/nodeop.h"
#include "recover/redo_int.h"
#include "util/bytes.h"

#define JR_CPG_SMALL_SPACE_MOST 32   /* cpgSmallSpaceAvailMost */
#define JR_CPG_MULTIPLE_MIN     3    /* cpgMultipleExtentMin */
#define JR_SPH_MULTIPLE         0x01u
#define JR_SPH_NON_UNIQUE       0x02u

typedef struct {
	uint32_t pgno_last;
	int32_t cpg;
} jr_extent;

static void jr_sph_build(uint8_t sph[ESE_SPACE_HEADER_SIZE], int32_t cpg,
			 uint32_t pgno_parent, uint8_t flags, uint32_t last)
{
	memset(sph, 0, ESE_SPACE_HEADER_SIZE);
	jr_put_le32(sph, (uint32_t)cpg);
	jr_put_le32(sph + 4, pgno_parent);
	sph[8] = flags;
	jr_put_le32(sph + 12, last);
}

/* NDSetExternalHeader(noderfSpaceHeader): a bare SPACE_HEADER (or an
 * empty tag 0) is replaced whole; the extended form (flag byte + fields)
 * gets its space-header field replaced or added. */
static JET_ERR jr_set_space_header(jr_redo *rd, uint8_t *page,
				   const uint8_t sph[ESE_SPACE_HEADER_SIZE],
				   jr_errinfo *ei)
{
	uint8_t buf[64];
	ese_line line;
	ese_data part;
	size_t n = 0;
	JET_ERR err;

	err = ese_page_external_header(&rd->lay, page, &line, ei);
	if (err < 0)
		return err;
	if (line.cb == 0 || line.cb == ESE_SPACE_HEADER_SIZE) {
		part = (ese_data){ sph, ESE_SPACE_HEADER_SIZE };
		return ese_page_set_external_header(&rd->lay, page, &part, 1,
						    ei);
	}
	{
		uint8_t flags = line.data[0];
		const uint8_t *rest = line.data + 1;
		size_t cb_rest = line.cb - 1u;

		if (flags & ESE_EXTHDR_HAS_SPACE_HEADER) {
			if (cb_rest < ESE_SPACE_HEADER_SIZE)
				return jr_rd_fail(rd, ei,
						  JET_errDatabaseCorrupted,
						  "external header of %u bytes",
						  line.cb);
			rest += ESE_SPACE_HEADER_SIZE;
			cb_rest -= ESE_SPACE_HEADER_SIZE;
		}
		if (1 + ESE_SPACE_HEADER_SIZE + cb_rest > sizeof(buf))
			return jr_rd_fail(rd, ei, JET_errDatabaseCorrupted,
					  "external header of %u bytes",
					  line.cb);
		buf[n++] = (uint8_t)(flags | ESE_EXTHDR_HAS_SPACE_HEADER);
		memcpy(buf + n, sph, ESE_SPACE_HEADER_SIZE);
		n += ESE_SPACE_HEADER_SIZE;
		memcpy(buf + n, rest, cb_rest);
		n += cb_rest;
	}
	part = (ese_data){ buf, n };
	return ese_page_set_external_header(&rd->lay, page, &part, 1, ei);
}

/* SPIInitSplitBuffer: an all-zero SPLIT_BUFFER as tag 0. */
static JET_ERR jr_init_split_buffer(jr_redo *rd, uint8_t *page,
				    jr_errinfo *ei)
{
	static const uint8_t zero[ESE_SPLIT_BUFFER_SIZE];
	ese_data part = { zero, sizeof(zero) };

	return ese_page_set_external_header(&rd->lay, page, &part, 1, ei);
}

static JET_ERR jr_insert_extent(jr_redo *rd, uint8_t *page, unsigned iline,
				uint32_t pgno_last, int32_t cpg,
				jr_errinfo *ei)
{
	uint8_t key[4], data[4];

	key[0] = (uint8_t)(pgno_last >> 24);
	key[1] = (uint8_t)(pgno_last >> 16);
	key[2] = (uint8_t)(pgno_last >> 8);
	key[3] = (uint8_t)pgno_last;
	jr_put_le32(data, (uint32_t)cpg);
	return jr_nd_insert(&rd->lay, page, iline, key, 4, 0, data, 4, 0, ei);
}

/* Where an extent node goes in a space-tree leaf (ErrNDSeek on a leaf,
 * then one past the last line when all are smaller). */
static JET_ERR jr_extent_position(jr_redo *rd, const uint8_t *page,
				  uint32_t pgno_last, unsigned *iline,
				  jr_errinfo *ei)
{
	unsigned clines = ese_page_line_count(&rd->lay, page);
	uint8_t key[4] = { (uint8_t)(pgno_last >> 24),
			   (uint8_t)(pgno_last >> 16),
			   (uint8_t)(pgno_last >> 8), (uint8_t)pgno_last };

	for (unsigned i = 0; i < clines; i++) {
		uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
		jr_kdf n;
		JET_ERR err = jr_nd_get(&rd->lay, page, i, kb, sizeof(kb), &n,
					ei);

		if (err < 0)
			return err;
		if (jr_nd_keycmp(n.key, n.cb_key, key, 4) > 0) {
			*iline = i;
			return JET_errSuccess;
		}
	}
	*iline = clines;
	return JET_errSuccess;
}

/* A new root page in pg (redone): pre-init + consume with flags. */
static JET_ERR jr_new_root(jr_redo *rd, jr_pg *pg, uint32_t objid,
			   uint64_t dbtime, uint32_t flags, jr_errinfo *ei)
{
	jr_rd_preinit(rd, pg, objid, dbtime - 1);
	return ese_page_consume_preinit(&rd->lay, pg->page, flags, ei);
}

JET_ERR jr_redo_create_fdp(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_create_fdp *c = &r->u.create_fdp;
	const uint64_t dbtime = c->page.dbtime_after;
	const bool unique = (c->page.flags & LR_PAGE_UNIQUE) != 0;
	uint8_t sph[ESE_SPACE_HEADER_SIZE];
	jr_pg root, oe, ae;
	bool any = false;
	JET_ERR err;

	memset(&oe, 0, sizeof(oe));
	memset(&ae, 0, sizeof(ae));
	err = jr_rd_access_new(rd, c->page.pgno, dbtime, &root, ei);
	if (err < 0)
		return err;
	if (root.redo) {
		any = true;
		err = jr_new_root(rd, &root, c->objid_fdp, dbtime,
				  c->page_flags | ESE_PGF_ROOT | ESE_PGF_LEAF,
				  ei);
		if (err < 0)
			goto release;
		if (!c->multiple) {
			int32_t cpg = c->cpg_primary;
			uint32_t bits = 0;

			if (cpg > JR_CPG_SMALL_SPACE_MOST)
				bits = 0xffffffffu;
			else
				while (--cpg > 0)
					bits = (bits << 1) + 1;
			jr_sph_build(sph, c->cpg_primary, c->pgno_fdp_parent,
				     unique ? 0 : JR_SPH_NON_UNIQUE, bits);
		} else {
			jr_sph_build(sph, c->cpg_primary, c->pgno_fdp_parent,
				     (uint8_t)(JR_SPH_MULTIPLE |
					       (unique ? 0 : JR_SPH_NON_UNIQUE)),
				     c->pgno_oe);
		}
		err = jr_set_space_header(rd, root.page, sph, ei);
		if (err < 0)
			goto release;
	}
	if (c->multiple) {
		const uint32_t pgno_last = c->page.pgno + (uint32_t)c->cpg_primary - 1;
		/* ErrLGRIRedoSpaceRootPage: AE first, then OE */
		jr_pg *sp[2] = { &ae, &oe };
		const uint32_t pgnos[2] = { c->pgno_ae, c->pgno_oe };

		for (int i = 0; i < 2; i++) {
			int32_t cpg = i == 0 ? c->cpg_primary - JR_CPG_MULTIPLE_MIN
					     : c->cpg_primary;

			err = jr_rd_access_new(rd, pgnos[i], dbtime, sp[i], ei);
			if (err < 0)
				goto release;
			if (!sp[i]->redo)
				continue;
			any = true;
			err = jr_new_root(rd, sp[i], c->objid_fdp, dbtime,
					  c->page_flags | ESE_PGF_ROOT |
						  ESE_PGF_LEAF |
						  ESE_PGF_SPACE_TREE,
					  ei);
			if (err < 0)
				goto release;
			err = jr_init_split_buffer(rd, sp[i]->page, ei);
			if (err < 0)
				goto release;
			if (cpg != 0) {
				err = jr_insert_extent(rd, sp[i]->page, 0,
						       pgno_last, cpg, ei);
				if (err < 0)
					goto release;
			}
		}
	}
	jr_rd_count(rd, r->lrtyp, any);
release:
	jr_rd_release(rd, &root, dbtime);
	jr_rd_release(rd, &oe, dbtime);
	jr_rd_release(rd, &ae, dbtime);
	return err;
}

/* SPIConvertCalcExtents: the free extents of a single-extent space
 * header, highest first. */
static int jr_convert_extents(int32_t cpg_primary, uint32_t rgbit_avail,
			      uint32_t pgno_fdp, jr_extent *ext)
{
	uint32_t bit = 0x80000000u;
	uint32_t pgno;
	int n = 0;

	if (cpg_primary - 1 > JR_CPG_SMALL_SPACE_MOST) {
		pgno = pgno_fdp + (uint32_t)cpg_primary - 1;
		ext[n].pgno_last = pgno;
		ext[n].cpg = cpg_primary - JR_CPG_SMALL_SPACE_MOST - 1;
		pgno -= (uint32_t)ext[n].cpg;
		n++;
	} else {
		pgno = pgno_fdp + JR_CPG_SMALL_SPACE_MOST;
		while (bit != 0 && n == 0) {
			if (bit & rgbit_avail) {
				ext[n].pgno_last = pgno;
				ext[n].cpg = 1;
				n++;
			}
			pgno--;
			bit >>= 1;
		}
	}
	for (; bit != 0; pgno--, bit >>= 1) {
		if (!(bit & rgbit_avail))
			continue;
		if (ext[n - 1].pgno_last - (uint32_t)ext[n - 1].cpg == pgno) {
			ext[n - 1].cpg++;
		} else {
			ext[n].pgno_last = pgno;
			ext[n].cpg = 1;
			n++;
		}
	}
	return n;
}

JET_ERR jr_redo_convert_fdp(jr_redo *rd, const lr_record *r, jr_errinfo *ei)
{
	const lr_convert_fdp *c = &r->u.convert_fdp;
	const uint64_t dbtime = c->page.dbtime_after;
	const bool unique = (c->page.flags & LR_PAGE_UNIQUE) != 0;
	const uint32_t space_flags = c->cpage_flags | ESE_PGF_ROOT |
				     ESE_PGF_LEAF | ESE_PGF_SPACE_TREE;
	jr_extent ext[(JR_CPG_SMALL_SPACE_MOST + 1) / 2 + 2];
	uint8_t sph[ESE_SPACE_HEADER_SIZE];
	jr_pg root, oe, ae;
	int next;
	JET_ERR err;

	memset(&oe, 0, sizeof(oe));
	memset(&ae, 0, sizeof(ae));
	err = jr_rd_access_check(rd, c->page.pgno, c->page.dbtime_before,
				 dbtime, &root, ei);
	if (err < 0)
		return err;
	err = jr_rd_access_new(rd, c->pgno_oe, dbtime, &oe, ei);
	if (err < 0)
		goto release;
	err = jr_rd_access_new(rd, c->pgno_ae, dbtime, &ae, ei);
	if (err < 0)
		goto release;
	if (!root.redo && !oe.redo && !ae.redo) {
		jr_rd_count(rd, r->lrtyp, false);
		goto release;
	}
	next = jr_convert_extents(c->cpg_primary, c->rgbit_avail,
				  c->page.pgno, ext);

	if (oe.redo) {
		unsigned iline;
		uint32_t prim_last = c->page.pgno + (uint32_t)c->cpg_primary - 1;

		err = jr_new_root(rd, &oe, c->objid_fdp, dbtime, space_flags,
				  ei);
		if (err < 0)
			goto release;
		ese_page_set_dbtime(oe.page, dbtime);
		err = jr_init_split_buffer(rd, oe.page, ei);
		if (err < 0)
			goto release;
		err = jr_insert_extent(rd, oe.page, 0,
				       c->pgno_secondary_first +
					       (uint32_t)c->cpg_secondary - 1,
				       c->cpg_secondary, ei);
		if (err < 0)
			goto release;
		err = jr_extent_position(rd, oe.page, prim_last, &iline, ei);
		if (err < 0)
			goto release;
		err = jr_insert_extent(rd, oe.page, iline, prim_last,
				       c->cpg_primary, ei);
		if (err < 0)
			goto release;
	}
	if (ae.redo) {
		int32_t cpg2 = c->cpg_secondary - 2;

		err = jr_new_root(rd, &ae, c->objid_fdp, dbtime, space_flags,
				  ei);
		if (err < 0)
			goto release;
		ese_page_set_dbtime(ae.page, dbtime);
		err = jr_init_split_buffer(rd, ae.page, ei);
		if (err < 0)
			goto release;
		if (cpg2 != 0) {
			err = jr_insert_extent(rd, ae.page, 0,
					       c->pgno_secondary_first +
						       (uint32_t)c->cpg_secondary - 1,
					       cpg2, ei);
			if (err < 0)
				goto release;
		}
		for (int i = next - 1; i >= 0; i--) {
			unsigned iline = 0;

			if (ese_page_line_count(&rd->lay, ae.page) > 0) {
				err = jr_extent_position(rd, ae.page,
							 ext[i].pgno_last,
							 &iline, ei);
				if (err < 0)
					goto release;
			}
			err = jr_insert_extent(rd, ae.page, iline,
					       ext[i].pgno_last, ext[i].cpg, ei);
			if (err < 0)
				goto release;
		}
	}
	if (root.redo) {
		jr_sph_build(sph, c->cpg_primary, c->pgno_fdp_parent,
			     (uint8_t)(JR_SPH_MULTIPLE |
				       (unique ? 0 : JR_SPH_NON_UNIQUE)),
			     c->pgno_secondary_first);
		err = jr_set_space_header(rd, root.page, sph, ei);
		if (err < 0)
			goto release;
		root.dirty = true;
	}
	jr_rd_count(rd, r->lrtyp, true);
release:
	jr_rd_release(rd, &root, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &oe, err < 0 ? 0 : dbtime);
	jr_rd_release(rd, &ae, err < 0 ? 0 : dbtime);
	return err;
}

/* NDEmptyPage on each listed page, then NDSetEmptyTree on the root. */
JET_ERR jr_redo_empty_tree(jr_redo *rd, const lr_record *r, jr_pg *root,
			   jr_errinfo *ei)
{
	const lr_empty_tree *t = &r->u.empty_tree;
	const uint64_t dbtime = t->n.page.dbtime_after;
	JET_ERR err;

	for (uint32_t i = 0; i < t->count; i++) {
		lr_empty_page ep;
		jr_pg pg;

		lr_empty_tree_page(t, i, &ep);
		err = jr_rd_access_check(rd, ep.pgno, ep.dbtime_before, dbtime,
					 &pg, ei);
		if (err < 0)
			return err;
		if (pg.redo) {
			unsigned clines;

			err = jr_nd_set_prefix(&rd->lay, pg.page, NULL, 0, ei);
			clines = ese_page_line_count(&rd->lay, pg.page);
			while (err >= 0 && clines-- > 0)
				err = jr_nd_delete(&rd->lay, pg.page, clines, ei);
			if (err >= 0)
				ese_page_set_flags(pg.page,
						   jr_le32(pg.page +
							   ESE_PGHDR_FLAGS) |
							   ESE_PGF_EMPTY);
			pg.dirty = true;
		}
		jr_rd_release(rd, &pg, err < 0 ? 0 : dbtime);
		if (err < 0)
			return err;
	}
	if (!root->redo)
		return JET_errSuccess;
	if (ese_page_line_count(&rd->lay, root->page) != 1)
		return jr_rd_fail(rd, ei,
				  JET_errLogOperationInconsistentWithDatabase,
				  "EmptyTree root %u has %u lines, not 1",
				  root->pgno,
				  ese_page_line_count(&rd->lay, root->page));
	err = jr_nd_delete(&rd->lay, root->page, 0, ei);
	if (err < 0)
		return err;
	ese_page_set_flags(root->page,
			   (jr_le32(root->page + ESE_PGHDR_FLAGS) &
			    ~ESE_PGF_PARENT_OF_LEAF) | ESE_PGF_LEAF);
	root->dirty = true;
	return JET_errSuccess;
}
