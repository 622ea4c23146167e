/*
 * test_undo.c - transactions and undo on synthetic log sets written over a
 * real database (srum-win10-clean-b).
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
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/dbheader.h"
#include "ese/logwriter.h"
#include "ese/node.h"
#include "ese/page.h"
#include "recover/dbcheck.h"
#include "recover/recovery.h"
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
	for (uint32_t pg = 1; pg <= npages; pg++) {
		const uint8_t *p = page_of(f, pg);
		uint32_t fl = jr_le32(p + ESE_PGHDR_FLAGS);

		if ((fl & ESE_PGF_ROOT) && !(fl & ESE_PGF_SPACE_TREE) &&
		    jr_le32(p + ESE_PGHDR_OBJID_FDP) == f->objid)
			f->root = pg;
	}
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
	char *src = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *dir = jr_test_tmpdir("undo_set");
	char *out = jr_test_tmpdir("undo_out");
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	ese_dbheader_read_result hr;
	ese_logwriter_params wp;
	ese_loghdr tmpl;
	ese_logwriter *w;
	jr_recovery_opts o;
	jr_recovery_summary sum;
	jr_dbcheck_result chk;
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
	memset(&f, 0, sizeof(f));
	f.db = jr_test_slurp(src, &f.len);
	assert_int_equal(ese_page_layout_init(&f.lay, PS, &ei), 0);
	assert_int_equal(ese_dbheader_read(f.db, f.len, &hr, &ei), 0);
	f.hdr = hr.hdr;
	f.dbtime = hr.hdr.dbtime;
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
	f.hdr.state = JET_dbstateDirtyShutdown;
	f.hdr.gen_min_required = GEN;
	f.hdr.gen_max_required = GEN;
	assert_int_equal(ese_dbheader_write_pair(&f.hdr, f.db, PS), 0);
	jr_test_spit(db, f.db, f.len);

	/* the log: attach list naming the database as dbid 1 */
	ese_loghdr_init(&tmpl, GEN, 16, &f.hdr.sign_log);
	tmpl.n_attach = 1;
	memset(&tmpl.attach[0], 0, sizeof(tmpl.attach[0]));
	tmpl.attach[0].dbid = 1;
	tmpl.attach[0].sign_db = f.hdr.sign_db;
	assert_int_equal(ese_attachinfo_set_path(&tmpl.attach[0],
						 "C:\\SRUDB.dat", &ei), 0);
	ese_logwriter_params_init(&wp, dir, "SRU", GEN, &f.hdr.sign_log);
	wp.template_hdr = &tmpl;
	assert_int_equal(ese_logwriter_open(&wp, &w, &ei), 0);

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
	assert_int_equal(ese_logwriter_flush(w, &ei), 0);
	assert_int_equal(ese_logwriter_close(w, &ei), 0);

	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = out;
	jr_errinfo_clear(&ei);
	if (jr_recover_database(&o, &sum, &ei) < 0)
		fail_msg("recover: %d %s", ei.err, ei.detail);
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
	assert_int_equal(jr_dbcheck(out_db, NULL, &chk, &ei), 0);
	if (chk.problems.total)
		fail_msg("check: page %u: %s", chk.problems.items[0].pgno,
			 chk.problems.items[0].reason);
	jr_dbcheck_free(&chk);
	(void)cb_first;

	g_free(res);
	g_free(out_db);
	g_free(db);
	g_free(out);
	g_free(dir);
	g_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_transaction_rolled_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
