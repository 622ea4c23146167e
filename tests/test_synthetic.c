/*
 * test_synthetic.c - transactions, undo and merges on synthetic log sets
 * written over a real database (srum-win10-clean-b).
 *
 * The database is made dirty (genMin/MaxRequired = the synthetic
 * generation) and a log generation is written with ese/logwriter.h:
 *   session 100: Begin0, Insert (versioned) at the end of a leaf,
 *                Replace (versioned) of the first node; never commits.
 *   session 101: Begin0, Insert of another key, Commit0.
 *   session 102: Begin0, FlagDelete (versioned) of a node, the Undo of it
 *                (a rollback done while logging), Rollback.
 * Recovery must redo everything, then roll session 100 back: its insert
 * flag-deleted, the replaced node's data back; session 101's insert stays;
 * session 102's node is not deleted. The result passes the check.
 *
 * A second set merges a leaf fully into its right sibling (a Merge2 macro:
 * the parent loses its pointer, the page is emptied and unlinked).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ese/dbheader.h"
#include "ese/logwriter.h"
#include "ese/node.h"
#include "ese/page.h"
#include "ese/pagemut.h"
#include "recover/dbcheck.h"
#include "recover/recovery.h"
#include "fixture.h"
#include "testutil.h"
#include "util/bytes.h"

#define PS 4096u
#define GEN 0x30u

typedef struct {
	uint8_t *db;              /* the whole file */
	size_t len;
	ese_page_layout lay;
	uint32_t leaf;            /* rightmost leaf of a unique tree */
	uint32_t root;            /* its FDP root */
	uint32_t objid;
	uint64_t page_dbtime;     /* the leaf's dbtime */
	uint64_t dbtime;          /* last dbtime handed out */
	ese_dbheader hdr;
} fixture;

static uint8_t *page_of(fixture *f, uint32_t pgno)
{
	return f->db + ((size_t)pgno + 1) * PS;
}

/* srum-win10-clean-b's database loaded into a zeroed f: layout, header. */
static void load_clean_b(fixture *f)
{
	char *src = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	ese_dbheader_read_result hr;
	jr_errinfo ei;

	memset(f, 0, sizeof(*f));
	f->db = jr_test_slurp(src, &f->len);
	assert_int_equal(ese_page_layout_init(&f->lay, PS, &ei), 0);
	assert_int_equal(ese_dbheader_read(f->db, f->len, &hr, &ei), 0);
	f->hdr = hr.hdr;
	g_free(src);
}

/* f->root: the (last) FDP root page of the tree f->objid. */
static void find_root(fixture *f)
{
	uint32_t npages = (uint32_t)(f->len / PS - 2);

	for (uint32_t pg = 1; pg <= npages; pg++) {
		const uint8_t *p = page_of(f, pg);
		uint32_t fl = jr_le32(p + ESE_PGHDR_FLAGS);

		if ((fl & ESE_PGF_ROOT) && !(fl & ESE_PGF_SPACE_TREE) &&
		    jr_le32(p + ESE_PGHDR_OBJID_FDP) == f->objid)
			f->root = pg;
	}
}

/* The database made dirty, needing generation gen only, written to db. */
static void write_dirty(ese_dbheader *h, uint8_t *buf, size_t len,
			uint32_t gen, const char *db)
{
	h->state = JET_dbstateDirtyShutdown;
	h->gen_min_required = gen;
	h->gen_max_required = gen;
	assert_int_equal(ese_dbheader_write_pair(h, buf, PS), 0);
	jr_test_spit(db, buf, len);
}

/* A log writer for generation gen in dir (base SRU, csec sectors a file)
 * whose attach list names the database of h as dbid 1. */
static ese_logwriter *open_log(const char *dir, const ese_dbheader *h,
			       uint32_t gen, uint16_t csec)
{
	ese_logwriter_params wp;
	ese_loghdr tmpl;
	ese_logwriter *w;
	jr_errinfo ei;

	ese_loghdr_init(&tmpl, gen, csec, &h->sign_log);
	tmpl.n_attach = 1;
	memset(&tmpl.attach[0], 0, sizeof(tmpl.attach[0]));
	tmpl.attach[0].dbid = 1;
	tmpl.attach[0].sign_db = h->sign_db;
	assert_int_equal(ese_attachinfo_set_path(&tmpl.attach[0],
						 "C:\\SRUDB.dat", &ei), 0);
	ese_logwriter_params_init(&wp, dir, "SRU", gen, &h->sign_log);
	wp.template_hdr = &tmpl;
	wp.csec_lgfile = csec;
	assert_int_equal(ese_logwriter_open(&wp, &w, &ei), 0);
	return w;
}

static void close_log(ese_logwriter *w)
{
	jr_errinfo ei;

	assert_int_equal(ese_logwriter_flush(w, &ei), 0);
	assert_int_equal(ese_logwriter_close(w, &ei), 0);
}

/* Soft recovery of db into out; fails the test on error. cache_bytes 0:
 * the default cache. */
static void recover_into(const char *db, const char *out,
			 jr_recovery_summary *sum, size_t cache_bytes)
{
	jr_recovery_opts o;
	jr_errinfo ei;

	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = out;
	if (cache_bytes)
		o.cache_bytes = cache_bytes;
	jr_errinfo_clear(&ei);
	if (jr_recover_database(&o, sum, &ei) < 0)
		fail_msg("recover: %d %s", ei.err, ei.detail);
}

/* A rightmost leaf of a unique data tree with a few lines and room. */
static void find_leaf(fixture *f)
{
	uint32_t npages = (uint32_t)(f->len / PS - 2);

	f->leaf = 0;
	for (uint32_t pg = 1; pg <= npages && !f->leaf; pg++) {
		const uint8_t *p = page_of(f, pg);
		uint32_t fl = jr_le32(p + ESE_PGHDR_FLAGS);

		if (ese_page_is_blank(&f->lay, p) || !(fl & ESE_PGF_LEAF) ||
		    (fl & (ESE_PGF_ROOT | ESE_PGF_SPACE_TREE |
			   ESE_PGF_NON_UNIQUE_KEYS | ESE_PGF_LONG_VALUE |
			   ESE_PGF_INDEX)) ||
		    jr_le32(p + ESE_PGHDR_PGNO_NEXT) != 0 ||
		    ese_page_line_count(&f->lay, p) < 3 ||
		    jr_le16(p + ESE_PGHDR_CB_FREE) < 1500)
			continue;
		f->leaf = pg;
		f->objid = jr_le32(p + ESE_PGHDR_OBJID_FDP);
	}
	assert_int_not_equal(f->leaf, 0);
	find_root(f);
	assert_int_not_equal(f->root, 0);
}

/* LRPAGE_ + LRNODE_ head of a node record. */
static void node_head(uint8_t *r, uint8_t lrtyp, uint16_t procid,
		      uint32_t pgno, uint64_t before, uint64_t after,
		      uint8_t level, uint16_t iline, uint8_t flags,
		      uint32_t rceid, const fixture *f)
{
	r[0] = lrtyp;
	jr_put_le16(r + 1, procid);
	r[3] = 1;                               /* dbid */
	jr_put_le32(r + 4, pgno);
	jr_put_le64(r + 8, after);
	jr_put_le64(r + 16, before);
	jr_put_le32(r + 24, 0x1000u + procid);  /* trxBegin0 */
	r[28] = level;
	jr_put_le16(r + 29, iline);
	r[31] = flags;
	jr_put_le32(r + 32, rceid);
	jr_put_le32(r + 36, f->root);
	jr_put_le32(r + 40, f->objid);
}

static void put(ese_logwriter *w, const uint8_t *r, size_t len)
{
	jr_errinfo ei;

	jr_errinfo_clear(&ei);
	if (ese_logwriter_append(w, r, len, NULL, &ei) < 0)
		fail_msg("append: %s", ei.detail);
}

static void begin0(ese_logwriter *w, uint16_t procid)
{
	uint8_t r[8] = { 8 };

	jr_put_le16(r + 1, procid);
	r[3] = 0 | (1 << 4);                     /* from 0, one level */
	jr_put_le32(r + 4, 0x1000u + procid);
	put(w, r, sizeof(r));
}

static void commit0(ese_logwriter *w, uint16_t procid)
{
	uint8_t r[8] = { 9 };

	jr_put_le16(r + 1, procid);
	r[3] = 0;
	jr_put_le32(r + 4, 0x2000u + procid);
	put(w, r, sizeof(r));
}

static void rollback(ese_logwriter *w, uint16_t procid)
{
	uint8_t r[4] = { 7 };

	jr_put_le16(r + 1, procid);
	r[3] = 1;
	put(w, r, sizeof(r));
}

/* Key of node iline of the leaf (whole key) into out; returns its size. */
static uint16_t leaf_key(fixture *f, unsigned iline, uint8_t *out,
			 const uint8_t **data, uint16_t *cb_data)
{
	ese_node n;
	jr_errinfo ei;

	assert_int_equal(ese_node_get(&f->lay, page_of(f, f->leaf), iline, &n,
				      &ei), 0);
	if (data) {
		*data = n.data;
		*cb_data = n.cb_data;
	}
	return (uint16_t)ese_key_copy(&n.key, out, 8192);
}

static void insert(ese_logwriter *w, fixture *f, uint16_t procid,
		   unsigned iline, const uint8_t *key, uint16_t cb_key,
		   const uint8_t *data, uint16_t cb_data, uint32_t rceid)
{
	uint8_t r[512];
	size_t len = 50 + cb_key + cb_data;

	memset(r, 0, sizeof(r));
	node_head(r, 29, procid, f->leaf, f->page_dbtime, f->dbtime + 1, 1,
		  (uint16_t)iline, 0x01 | 0x04, rceid, f);
	jr_put_le16(r + 44, cb_key);   /* cbSuffix */
	jr_put_le16(r + 46, 0);        /* cbPrefix */
	jr_put_le16(r + 48, cb_data);
	memcpy(r + 50, key, cb_key);
	memcpy(r + 50 + cb_key, data, cb_data);
	put(w, r, len);
	f->dbtime++;
	f->page_dbtime = f->dbtime;
}

static void replace(ese_logwriter *w, fixture *f, uint16_t procid,
		    unsigned iline, const uint8_t *data, uint16_t cb_old,
		    uint16_t cb_new, uint32_t rceid)
{
	uint8_t r[512];

	memset(r, 0, sizeof(r));
	node_head(r, 33, procid, f->leaf, f->page_dbtime, f->dbtime + 1, 1,
		  (uint16_t)iline, 0x01 | 0x04, rceid, f);
	jr_put_le16(r + 44, cb_new);
	jr_put_le16(r + 46, cb_old);
	jr_put_le16(r + 48, cb_new);
	memcpy(r + 50, data, cb_new);
	put(w, r, 50 + (size_t)cb_new);
	f->dbtime++;
	f->page_dbtime = f->dbtime;
}

static void flag_delete(ese_logwriter *w, fixture *f, uint16_t procid,
			unsigned iline, uint32_t rceid)
{
	uint8_t r[44];

	memset(r, 0, sizeof(r));
	node_head(r, 32, procid, f->leaf, f->page_dbtime, f->dbtime + 1, 1,
		  (uint16_t)iline, 0x01 | 0x04, rceid, f);
	put(w, r, sizeof(r));
	f->dbtime++;
	f->page_dbtime = f->dbtime;
}

static void undo(ese_logwriter *w, fixture *f, uint16_t procid,
		 unsigned iline, uint16_t oper, const uint8_t *key,
		 uint16_t cb_key, uint32_t rceid)
{
	uint8_t r[512];

	memset(r, 0, sizeof(r));
	node_head(r, 39, procid, f->leaf, f->page_dbtime, f->dbtime + 1, 1,
		  (uint16_t)iline, 0x04, rceid, f);
	jr_put_le16(r + 44, cb_key);
	jr_put_le16(r + 46, 0);
	jr_put_le16(r + 48, oper);
	r[50] = 1;
	memcpy(r + 51, key, cb_key);
	put(w, r, 51 + (size_t)cb_key);
	f->dbtime++;
	f->page_dbtime = f->dbtime;
}

static void test_open_transaction_rolled_back(void **state)
{
	char *dir = jr_test_tmpdir("undo_set");
	char *out = jr_test_tmpdir("undo_out");
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	ese_logwriter *w;
	jr_recovery_summary sum;
	jr_errinfo ei;
	fixture f;
	uint8_t k_last[8192], k_a[8192], k_b[8192], k_first[8192];
	uint8_t k_mid[8192];
	uint16_t cb_last, cb_first, cb_mid;
	const uint8_t *d_first;
	uint16_t cb_d_first;
	uint8_t old_first[4096], new_first[4096];
	unsigned n0;
	uint8_t *res;
	size_t lres;
	ese_node n;

	(void)state;
	load_clean_b(&f);
	f.dbtime = f.hdr.dbtime;
	find_leaf(&f);
	n0 = ese_page_line_count(&f.lay, page_of(&f, f.leaf));

	/* keys: two above the last one, the first node's data */
	cb_last = leaf_key(&f, n0 - 1, k_last, NULL, NULL);
	memcpy(k_a, k_last, cb_last);
	k_a[cb_last] = 0x10;
	memcpy(k_b, k_last, cb_last);
	k_b[cb_last] = 0x20;
	cb_first = leaf_key(&f, 0, k_first, &d_first, &cb_d_first);
	memcpy(old_first, d_first, cb_d_first);
	memcpy(new_first, d_first, cb_d_first);
	new_first[cb_d_first - 1] ^= 0xff;
	cb_mid = leaf_key(&f, 1, k_mid, NULL, NULL);

	/* the leaf's dbtime is what the first record expects; new dbtimes
	 * come after the header's */
	f.page_dbtime = jr_le64(page_of(&f, f.leaf) + ESE_PGHDR_DBTIME);

	/* dirty database needing generation GEN */
	write_dirty(&f.hdr, f.db, f.len, GEN, db);

	/* the log: attach list naming the database as dbid 1 */
	w = open_log(dir, &f.hdr, GEN, 16);

	begin0(w, 100);
	insert(w, &f, 100, n0, k_a, (uint16_t)(cb_last + 1),
	       (const uint8_t *)"uncommitted", 11, 501);
	replace(w, &f, 100, 0, new_first, cb_d_first, cb_d_first, 502);
	begin0(w, 101);
	insert(w, &f, 101, n0 + 1, k_b, (uint16_t)(cb_last + 1),
	       (const uint8_t *)"committed", 9, 601);
	commit0(w, 101);
	begin0(w, 102);
	flag_delete(w, &f, 102, 1, 701);
	undo(w, &f, 102, 1, 3, k_mid, cb_mid, 701);
	rollback(w, 102);
	close_log(w);

	recover_into(db, out, &sum, 0);
	assert_int_equal(sum.gen_first, GEN);
	assert_int_equal(sum.redo.applied[29], 2);  /* both inserts */
	assert_int_equal(sum.redo.applied[33], 1);
	assert_int_equal(sum.redo.applied[32], 1);
	assert_int_equal(sum.redo.applied[39], 1);
	assert_int_equal(sum.redo.undo_records, 1);
	assert_int_equal(sum.redo.trx_undone, 1);
	assert_int_equal(sum.redo.rce_undone, 2);
	/* every logged dbtime, then one per undone operation */
	assert_int_equal(sum.dbtime, f.dbtime + 2);

	res = jr_test_slurp(out_db, &lres);
	g_free(f.db);
	f.db = res;
	{
		uint8_t *p = page_of(&f, f.leaf);

		assert_int_equal(ese_page_line_count(&f.lay, p), n0 + 2);
		/* session 100's insert: rolled back (flag-deleted) */
		assert_int_equal(ese_node_get(&f.lay, p, n0, &n, &ei), 0);
		assert_true(n.flags & ESE_LINE_DELETED);
		assert_int_equal(n.cb_data, 11);
		/* its replace: the old data is back */
		assert_int_equal(ese_node_get(&f.lay, p, 0, &n, &ei), 0);
		assert_int_equal(n.cb_data, cb_d_first);
		assert_memory_equal(n.data, old_first, cb_d_first);
		/* session 101's committed insert stays */
		assert_int_equal(ese_node_get(&f.lay, p, n0 + 1, &n, &ei), 0);
		assert_false(n.flags & ESE_LINE_DELETED);
		assert_memory_equal(n.data, "committed", 9);
		/* session 102's flag delete was undone while logging */
		assert_int_equal(ese_node_get(&f.lay, p, 1, &n, &ei), 0);
		assert_false(n.flags & ESE_LINE_DELETED);
		assert_int_equal(jr_le64(p + ESE_PGHDR_DBTIME), f.dbtime + 2);
	}
	jr_test_check_sound(out_db);
	(void)cb_first;

	g_free(res);
	g_free(out_db);
	g_free(db);
	g_free(out);
	g_free(dir);
}

/* ---- a full right merge ---- */

static void macro(ese_logwriter *w, uint8_t lrtyp, uint16_t procid,
		  uint64_t dbtime)
{
	uint8_t r[11] = { 0 };

	r[0] = lrtyp;
	jr_put_le16(r + 1, procid);
	jr_put_le64(r + 3, dbtime);
	put(w, r, sizeof(r));
}

/* A Merge2 record (LRMERGENEW) with an uncompressed page image. */
static void merge2(ese_logwriter *w, const fixture *f, uint16_t procid,
		   uint32_t pgno, uint16_t iline, uint64_t before,
		   uint64_t after, uint32_t right, uint64_t right_before,
		   uint32_t left, uint64_t left_before, uint32_t parent,
		   uint64_t parent_before, uint8_t mflags, uint8_t mtype,
		   const uint8_t *image)
{
	size_t len = 96 + (image ? PS : 0);
	uint8_t *r = g_malloc0(len);

	r[0] = 63;
	jr_put_le16(r + 1, procid);
	r[3] = 1;
	jr_put_le32(r + 4, pgno);
	jr_put_le64(r + 8, after);
	jr_put_le64(r + 16, before);
	jr_put_le32(r + 24, 0x1000u + procid);
	r[28] = 1;
	jr_put_le16(r + 29, iline);
	r[31] = 0x04;                       /* unique */
	jr_put_le32(r + 32, right);
	jr_put_le64(r + 36, right_before);
	jr_put_le32(r + 44, left);
	jr_put_le64(r + 48, left_before);
	jr_put_le32(r + 56, parent);
	jr_put_le64(r + 60, parent_before);
	jr_put_le32(r + 68, f->root);
	jr_put_le32(r + 72, f->objid);
	r[84] = mflags;
	r[85] = mtype;
	if (image) {
		jr_put_le32(r + 92, PS);
		memcpy(r + 96, image, PS);
	}
	put(w, r, len);
	g_free(r);
}

/* Bytes a page's lines take with their tags. */
static unsigned used_bytes(fixture *f, const uint8_t *p)
{
	unsigned n = ese_page_line_count(&f->lay, p), cb = 0;
	ese_line l;
	jr_errinfo ei;

	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(ese_page_line(&f->lay, p, i, &l, &ei), 0);
		cb += l.cb + ESE_TAG_SIZE;
	}
	return cb;
}

/* Page p is in use, a parent of leaves with three lines or more, neither
 * of a space tree nor empty nor flagged `excluded`; *n: its lines. */
static bool parent_of_leaves(fixture *f, const uint8_t *p, uint32_t excluded,
			     unsigned *n)
{
	uint32_t fl = jr_le32(p + ESE_PGHDR_FLAGS);

	*n = ese_page_line_count(&f->lay, p);
	return !ese_page_is_blank(&f->lay, p) &&
	       (fl & ESE_PGF_PARENT_OF_LEAF) &&
	       !(fl & (ESE_PGF_SPACE_TREE | ESE_PGF_EMPTY | excluded)) &&
	       *n >= 3;
}

/* A parent-of-leaf page P whose pointer `*iline` (not its last) leads to
 * a leaf L that fits into its right sibling R (pointer *iline + 1). */
static bool find_merge(fixture *f, uint32_t *P, unsigned *iline, uint32_t *L,
		       uint32_t *R)
{
	uint32_t npages = (uint32_t)(f->len / PS - 2);
	jr_errinfo ei;

	for (uint32_t pg = 1; pg <= npages; pg++) {
		const uint8_t *p = page_of(f, pg);
		unsigned n;

		if (!parent_of_leaves(f, p, ESE_PGF_NON_UNIQUE_KEYS, &n))
			continue;
		for (unsigned i = 0; i + 1 < n; i++) {
			ese_node a, b;
			const uint8_t *pl, *pr;

			assert_int_equal(ese_node_get(&f->lay, p, i, &a, &ei), 0);
			assert_int_equal(ese_node_get(&f->lay, p, i + 1, &b, &ei),
					 0);
			*L = jr_le32(a.data);
			*R = jr_le32(b.data);
			pl = page_of(f, *L);
			pr = page_of(f, *R);
			if (jr_le32(pl + ESE_PGHDR_PGNO_NEXT) != *R ||
			    used_bytes(f, pl) + 64 >
				    jr_le16(pr + ESE_PGHDR_CB_FREE))
				continue;
			*P = pg;
			*iline = i;
			f->objid = jr_le32(p + ESE_PGHDR_OBJID_FDP);
			return true;
		}
	}
	return false;
}

static void test_full_right_merge(void **state)
{
	char *dir = jr_test_tmpdir("merge_set");
	char *out = jr_test_tmpdir("merge_out");
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	ese_logwriter *w;
	jr_recovery_summary sum;
	jr_errinfo ei;
	fixture f;
	uint32_t P = 0, L = 0, R = 0, left;
	unsigned iline = 0, nl_live = 0, nr, np;
	uint8_t *res, *img;
	size_t lres;
	uint64_t D;
	(void)state;
	load_clean_b(&f);
	assert_true(find_merge(&f, &P, &iline, &L, &R));
	find_root(&f);
	left = jr_le32(page_of(&f, L) + ESE_PGHDR_PGNO_PREV);
	for (unsigned i = 0; i < ese_page_line_count(&f.lay, page_of(&f, L));
	     i++) {
		ese_line l;

		assert_int_equal(ese_page_line(&f.lay, page_of(&f, L), i, &l,
					       &ei), 0);
		if (!(l.flags & ESE_LINE_DELETED))
			nl_live++;
	}
	nr = ese_page_line_count(&f.lay, page_of(&f, R));
	np = ese_page_line_count(&f.lay, page_of(&f, P));
	img = g_malloc(PS);
	memcpy(img, page_of(&f, L), PS);
	D = f.hdr.dbtime + 1;
	jr_put_le64(img + ESE_PGHDR_DBTIME, D);

	write_dirty(&f.hdr, f.db, f.len, GEN, db);

	w = open_log(dir, &f.hdr, GEN, 16);
	begin0(w, 200);
	macro(w, 11, 200, D);
	merge2(w, &f, 200, P, (uint16_t)iline,
	       jr_le64(page_of(&f, P) + ESE_PGHDR_DBTIME), D, 0, 0, 0, 0, 0,
	       0, 0x02 /* delete node */, 0, NULL);
	merge2(w, &f, 200, L, 0, jr_le64(page_of(&f, L) + ESE_PGHDR_DBTIME), D,
	       R, jr_le64(page_of(&f, R) + ESE_PGHDR_DBTIME), left,
	       left ? jr_le64(page_of(&f, left) + ESE_PGHDR_DBTIME) : 0, P,
	       jr_le64(page_of(&f, P) + ESE_PGHDR_DBTIME),
	       0x04 /* empty page */, 2 /* full right */, img);
	macro(w, 12, 200, D);
	commit0(w, 200);
	close_log(w);

	recover_into(db, out, &sum, 0);
	assert_int_equal(sum.redo.applied[63], 1);
	assert_int_equal(sum.redo.macros, 1);

	res = jr_test_slurp(out_db, &lres);
	g_free(f.db);
	f.db = res;
	assert_int_equal(ese_page_line_count(&f.lay, page_of(&f, P)), np - 1);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(&f, R)),
			 nr + nl_live);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(&f, L)), 0);
	assert_true(jr_le32(page_of(&f, L) + ESE_PGHDR_FLAGS) & ESE_PGF_EMPTY);
	assert_int_equal(jr_le32(page_of(&f, R) + ESE_PGHDR_PGNO_PREV), left);
	if (left)
		assert_int_equal(jr_le32(page_of(&f, left) +
					 ESE_PGHDR_PGNO_NEXT), R);
	assert_int_equal(jr_le64(page_of(&f, R) + ESE_PGHDR_DBTIME), D);
	assert_int_equal(jr_le64(page_of(&f, P) + ESE_PGHDR_DBTIME), D);
	jr_test_check_sound(out_db);

	g_free(img);
	g_free(res);
	g_free(out_db);
	g_free(db);
	g_free(out);
	g_free(dir);
}

/* ---- a page move, then a shrink past the required range ---- */

/* An internal page's line pointing to a leaf that has a left sibling. */
static bool find_moveable(fixture *f, uint32_t *P, unsigned *iline,
			  uint32_t *L)
{
	uint32_t npages = (uint32_t)(f->len / PS - 2);
	jr_errinfo ei;

	for (uint32_t pg = 1; pg <= npages; pg++) {
		const uint8_t *p = page_of(f, pg);
		unsigned n;

		if (!parent_of_leaves(f, p, 0, &n))
			continue;
		for (unsigned i = 1; i + 1 < n; i++) {
			ese_node a;

			assert_int_equal(ese_node_get(&f->lay, p, i, &a, &ei), 0);
			*L = jr_le32(a.data);
			if (!jr_le32(page_of(f, *L) + ESE_PGHDR_PGNO_PREV) ||
			    !jr_le32(page_of(f, *L) + ESE_PGHDR_PGNO_NEXT))
				continue;
			*P = pg;
			*iline = i;
			f->objid = jr_le32(p + ESE_PGHDR_OBJID_FDP);
			return true;
		}
	}
	return false;
}

static void test_page_move_and_shrink(void **state)
{
	char *dir = jr_test_tmpdir("move_set");
	char *out = jr_test_tmpdir("move_out");
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	const uint32_t DEST = 428, LAST = 430;
	ese_logwriter *w;
	jr_recovery_summary sum;
	jr_errinfo ei;
	fixture f;
	uint32_t P = 0, L = 0, left, right;
	unsigned iline = 0, nl;
	uint8_t rec[96 + 2 * PS], old[PS];
	uint8_t *res;
	size_t lres, cb_head, cb_tail;
	uint64_t D;
	ese_node n;

	(void)state;
	load_clean_b(&f);
	assert_true(ese_page_is_blank(&f.lay, page_of(&f, DEST)));
	assert_true(find_moveable(&f, &P, &iline, &L));
	find_root(&f);
	left = jr_le32(page_of(&f, L) + ESE_PGHDR_PGNO_PREV);
	right = jr_le32(page_of(&f, L) + ESE_PGHDR_PGNO_NEXT);
	nl = ese_page_line_count(&f.lay, page_of(&f, L));
	memcpy(old, page_of(&f, L), PS);
	D = f.hdr.dbtime + 1;

	/* the PageMove record: the source as header + tag array */
	memset(rec, 0, sizeof(rec));
	rec[0] = 65;
	jr_put_le16(rec + 1, 300);
	rec[3] = 1;
	jr_put_le32(rec + 4, L);
	jr_put_le64(rec + 8, D);
	jr_put_le64(rec + 16, jr_le64(old + ESE_PGHDR_DBTIME));
	rec[28] = 1;
	jr_put_le32(rec + 32, DEST);
	jr_put_le32(rec + 36, left);
	jr_put_le32(rec + 40, right);
	jr_put_le32(rec + 44, P);
	jr_put_le64(rec + 48, jr_le64(page_of(&f, left) + ESE_PGHDR_DBTIME));
	jr_put_le64(rec + 56, jr_le64(page_of(&f, right) + ESE_PGHDR_DBTIME));
	jr_put_le64(rec + 64, jr_le64(page_of(&f, P) + ESE_PGHDR_DBTIME));
	jr_put_le32(rec + 72, f.root);
	jr_put_le32(rec + 76, f.objid);
	jr_put_le32(rec + 80, iline);
	{
		uint8_t tmp[PS];

		memcpy(tmp, old, PS);
		assert_int_equal(ese_page_compact(&f.lay, tmp, &cb_head,
						  &cb_tail, &ei), 0);
		jr_put_le32(rec + 88, (uint32_t)cb_head);
		jr_put_le32(rec + 92, (uint32_t)cb_tail);
		memcpy(rec + 96, tmp, cb_head);
		memcpy(rec + 96 + cb_head, tmp + PS - cb_tail, cb_tail);
	}

	write_dirty(&f.hdr, f.db, f.len, GEN, db);

	w = open_log(dir, &f.hdr, GEN, 16);
	begin0(w, 300);
	put(w, rec, 96 + cb_head + cb_tail);
	commit0(w, 300);
	assert_int_equal(ese_logwriter_flush(w, &ei), 0);
	/* past the required range: the shrink is done, not skipped */
	assert_int_equal(ese_logwriter_new_generation(w, &ei), 0);
	{
		uint8_t sh[18] = { 99, 1 };

		jr_put_le32(sh + 2, LAST);
		jr_put_le32(sh + 6, (uint32_t)(f.len / PS - 2 - LAST));
		jr_put_le64(sh + 10, D + 1);
		put(w, sh, sizeof(sh));
	}
	close_log(w);

	recover_into(db, out, &sum, 0);
	assert_int_equal(sum.gen_last, GEN + 1);
	assert_int_equal(sum.redo.applied[65], 1);
	assert_int_equal(sum.redo.applied[99], 1);
	assert_int_equal(sum.redo.pgno_last_shrunk, LAST);

	res = jr_test_slurp(out_db, &lres);
	assert_int_equal(lres, ((size_t)LAST + 2) * PS);
	g_free(f.db);
	f.db = res;
	/* the destination holds the source's nodes, the source is empty */
	assert_int_equal(ese_page_line_count(&f.lay, page_of(&f, DEST)), nl);
	assert_memory_equal(page_of(&f, DEST) + 16, old + 16, PS - 16 - 24);
	assert_int_equal(jr_le64(page_of(&f, DEST) + ESE_PGHDR_DBTIME), D);
	assert_true(jr_le32(page_of(&f, L) + ESE_PGHDR_FLAGS) & ESE_PGF_EMPTY);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(&f, L)), 0);
	assert_int_equal(ese_node_get(&f.lay, page_of(&f, P), iline, &n, &ei),
			 0);
	assert_int_equal(jr_le32(n.data), DEST);
	assert_int_equal(jr_le32(page_of(&f, left) + ESE_PGHDR_PGNO_NEXT), DEST);
	assert_int_equal(jr_le32(page_of(&f, right) + ESE_PGHDR_PGNO_PREV), DEST);
	jr_test_check_sound(out_db);

	g_free(res);
	g_free(out_db);
	g_free(db);
	g_free(out);
	g_free(dir);
}

/* ---- a killed recovery, run again, gives the same bytes ---- */

/* A dirty copy of clean-b grown to npages (sparse) and nrec NewPage
 * records spread over it: a replay long enough to be killed midway. */
static char *make_big_set(const char *name, uint32_t npages, uint32_t nrec)
{
	char *src = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *dir = jr_test_tmpdir(name);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	ese_dbheader_read_result hr;
	ese_logwriter *w;
	jr_errinfo ei;
	size_t len;
	uint8_t *buf = jr_test_slurp(src, &len);
	uint8_t r[20];
	uint64_t dbt;
	FILE *f;

	assert_int_equal(ese_dbheader_read(buf, len, &hr, &ei), 0);
	write_dirty(&hr.hdr, buf, len, 1, db);
	f = fopen(db, "r+");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), ((off_t)npages + 2) * PS), 0);
	fclose(f);

	w = open_log(dir, &hr.hdr, 1, 256);
	begin0(w, 1);
	dbt = hr.hdr.dbtime;
	for (uint32_t i = 0; i < nrec; i++) {
		memset(r, 0, sizeof(r));
		r[0] = 95;
		jr_put_le16(r + 1, 1);
		r[3] = 1;
		jr_put_le32(r + 4, 500 + (uint32_t)(((uint64_t)i * 7919) %
						    (npages - 500)));
		jr_put_le32(r + 8, 99);
		jr_put_le64(r + 12, ++dbt);
		put(w, r, sizeof(r));
	}
	commit0(w, 1);
	close_log(w);
	g_free(buf);
	g_free(db);
	g_free(src);
	return dir;
}

static void test_killed_recovery_reruns_to_same_bytes(void **state)
{
	char *dir = make_big_set("kill_set", 16384, 120000);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *ref = jr_test_tmpdir("kill_ref");
	char *out = jr_test_tmpdir("kill_out");
	char *fa = g_build_filename(ref, "SRUDB.dat", NULL);
	char *fb = g_build_filename(out, "SRUDB.dat", NULL);
	static const unsigned delays_ms[] = { 20, 120, 400 };
	jr_recovery_summary sum;
	uint8_t *a, *b;
	size_t la, lb;

	(void)state;
	recover_into(db, ref, &sum, 1u << 20);
	for (size_t i = 0; i < G_N_ELEMENTS(delays_ms); i++) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0) {
			recover_into(db, out, &sum, 1u << 20);
			_exit(0);
		}
		g_usleep(delays_ms[i] * 1000);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		/* killed: at most a temporary file, never a partial result */
		if (g_file_test(fb, G_FILE_TEST_EXISTS)) {
			b = jr_test_slurp(fb, &lb);
			a = jr_test_slurp(fa, &la);
			assert_int_equal(la, lb);
			assert_memory_equal(a, b, la);
			g_free(a);
			g_free(b);
			g_unlink(fb);
		}
	}
	recover_into(db, out, &sum, 1u << 20);
	a = jr_test_slurp(fa, &la);
	b = jr_test_slurp(fb, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* the stale temporary files of the killed runs are gone */
	assert_int_equal(jr_test_dir_count(out), 1);
	g_free(a);
	g_free(b);
	g_free(fa);
	g_free(fb);
	g_free(out);
	g_free(ref);
	g_free(db);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_transaction_rolled_back),
		cmocka_unit_test(test_full_right_merge),
		cmocka_unit_test(test_page_move_and_shrink),
		cmocka_unit_test(test_killed_recovery_reruns_to_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
