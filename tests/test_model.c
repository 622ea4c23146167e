/*
 * test_model.c - a synthetic workload over a real database, recovered and
 * read back by an independent reader (libesedb's esedbexport), compared
 * with the writer's model row by row.
 *
 * Database: srum-win10-clean-b's SRUDB.dat, table SruDbIdMapTable (objid 8,
 * FDP root 31, a parent-of-leaf root over 23 leaves; rows IdType (byte),
 * IdIndex (long, the primary key: 7F + big-endian IdIndex ^ 0x80000000),
 * IdBlob (tagged long binary); 714 rows, IdIndex 1..714, the last 16 on
 * leaf 399). New rows copy the record of row 702 (93 bytes) with their own
 * IdType, IdIndex and one blob byte.
 *
 * The log, as ESE writes it (procid = session):
 *   gen G    T1 (10): rows 715, 716 inserted at the end of leaf 399; row
 *            717 does not fit: an append split (MacroBegin, Split2 of the
 *            root that only receives the separator, Split2 of the leaf,
 *            the Insert with dbtimeBefore nil, MacroCommit) to a new page
 *            N1; rows 718..754 inserted on N1 until it is full; Commit0.
 *            T2 (11): Replace of row 700 (IdType 7, a blob byte); Commit0.
 *            T3 (12): FlagDelete of row 704 (versioned); Commit0.
 *   gen G+1  cleanup (13): the Delete of row 704's node.
 *            T5 (14): row 755 does not fit N1: a right split moving the
 *            upper half of N1 to N2 (with N1's pre-image), then rows 756,
 *            757 on N2; Commit0.
 *            T6 (15): row 758 inserted, row 701 replaced; never commits.
 *            T7 (16): row 759 inserted, undone (Undo), Rollback.
 * Model: rows 1..714 as exported from the input, minus 704, row 700's new
 * value, plus 715..757 (756 rows); 701's old value; no 758, no 759.
 *
 * N1's pre-image (ESE logs the split page's image for a right split) is
 * the page as recovery of the log up to T5 leaves it.
 *
 * Two more sets over the same table:
 *   - a RootPageMove macro (as a database shrink logs it): root 31, its OE
 *     and AE roots 32, 33 move to three blank pages; the index tree 35
 *     gets its parent's new page in its space header; the table's two
 *     catalog rows in MSysObjects and in MSysObjectsShadow get the new
 *     FDP. libesedb must find the table through the catalog at its new
 *     root and read the same 714 rows.
 *   - every row of leaf 188 flag-deleted (committed), then the cleanup's
 *     empty-page Merge2 macro (the root loses its pointer, the siblings
 *     are linked); Delta +1000 and Delta64 +0x10000 on the IdIndex bytes
 *     of rows 10 and 11 (the table has no escrow column: the bytes stand
 *     in for one), a Delta rolled back with its Undo, a Delta64 left open
 *     (undone at the end). libesedb: 695 rows, 10 -> 1010, 11 -> 65547.
 *   - committed deletes on four leaves, then a partial left merge (188's
 *     first lines into 187, the root re-keys 187's pointer) and a full
 *     left merge (91 into 90, 91 leaves the tree), each leaf record with
 *     the merged page's image. libesedb: 659 rows; the same merges redone
 *     from the images (the merged pages already on disk) give the same
 *     pages byte for byte.
 * The first workload also as a streaming backup restored with
 * JetExternalRestore2: the copy (the input's pages, older than every log
 * record) with backup info and trailer, log G in the backup, G+1 in the
 * target instance's log directory; the restore equals soft recovery page
 * for page and libesedb reads the model.
 * And a new tree (no catalog row, so checked on its pages): created by
 * CreateMultipleExtentFDP, three rows, a vertical split of the root, then
 * EmptyTree.
 * And the table's first separated long value (clean-b has no LV tree):
 * CreateSingleExtentFDP of the LV tree (objid 1001, one page), its
 * catalog rows (Type 4, "LV") in MSysObjects and MSysObjectsShadow, the
 * LVROOT and three 1000-byte chunks, a row 715 whose IdBlob is the
 * separated reference (header 0x05, LID 1). The long value is read back
 * from the recovered pages through the catalog; libesedb reads the other
 * rows unchanged (its packaged 20181229 release reads no separated long
 * value).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ese/checkpoint.h"
#include "ese/dbheader.h"
#include "ese/logwriter.h"
#include "ese/node.h"
#include "ese/page.h"
#include "recover/dbcheck.h"
#include "jetrestore.h"
#include "recover/recovery.h"
#include "synth/backupset.h"
#include "synth/model.h"
#include "fixture.h"
#include "testutil.h"
#include "util/bytes.h"

#define PS 4096u
#define GEN 0x40u
#define ROOT 31u
#define OBJID 8u
#define NROWS 714u
#define FIRST_NEW 715u
#define N1_ROWS 38u          /* rows N1 holds when full (see fits_n1) */

typedef struct {
	uint8_t *db;             /* the input file */
	size_t len;
	ese_dbheader hdr;
	ese_page_layout lay;
	uint32_t leaf;           /* last leaf of the table (399) */
	uint32_t n1, n2;         /* blank pages the splits take */
	unsigned leaf_lines;     /* its lines (16) */
	uint8_t prefix[16];      /* its key prefix */
	uint16_t cb_prefix;
	uint8_t tmpl[512];       /* the record new rows copy */
	uint16_t cb_tmpl;
	uint8_t old700[512], new700[512], old701[512], new701[512];
	uint16_t cb700, cb701;
	uint32_t flags_leaf;     /* page flags of the leaf */
	/* while writing */
	uint64_t dbtime;
	uint32_t pg[4];
	uint64_t pg_dbtime[4];
	uint32_t rceid;
	uint64_t split2_dbtime;  /* the right split's dbtime */
	uint32_t gen_last;
} fixture;

static uint8_t *page_of(uint8_t *db, uint32_t pgno)
{
	return db + ((size_t)pgno + 1) * PS;
}

static void row_key(uint32_t idx, uint8_t key[5])
{
	key[0] = 0x7f;
	key[1] = (uint8_t)((idx ^ 0x80000000u) >> 24);
	key[2] = (uint8_t)(idx >> 16);
	key[3] = (uint8_t)(idx >> 8);
	key[4] = (uint8_t)idx;
}

/* Node of the leaf with IdIndex idx (its iline in the input). */
static unsigned leaf_node(fixture *f, uint32_t idx, ese_node *n)
{
	jr_errinfo ei;
	uint8_t want[5], key[16];

	row_key(idx, want);
	for (unsigned i = 0; i < f->leaf_lines; i++) {
		assert_int_equal(ese_node_get(&f->lay, page_of(f->db, f->leaf),
					      i, n, &ei), 0);
		if (ese_key_copy(&n->key, key, sizeof(key)) == 5 &&
		    memcmp(key, want, 5) == 0)
			return i;
	}
	fail_msg("row %u not on leaf %u", idx, f->leaf);
	return 0;
}

/* Record of a new row: the template with its IdType, IdIndex and one
 * byte of the blob that says which row it is. */
static void new_row(const fixture *f, uint32_t idx, uint8_t *out)
{
	memcpy(out, f->tmpl, f->cb_tmpl);
	out[4] = (uint8_t)(idx % 5);
	jr_put_le32(out + 5, idx);
	out[f->cb_tmpl - 4] = (uint8_t)idx;
}

/* The line esedbexport writes for a record of this table: IdType, IdIndex,
 * the blob (after the tagged column's header and flag byte) in hex. */
static char *export_line(const uint8_t *rec, uint16_t cb)
{
	char *hex = model_hex(rec + 15, (size_t)cb - 15);
	char *s = g_strdup_printf("%u\t%u\t%s", rec[4], jr_le32(rec + 5), hex);

	g_free(hex);
	return s;
}

static void setup_fixture(fixture *f)
{
	char *src = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	ese_dbheader_read_result hr;
	jr_errinfo ei;
	const uint8_t *root, *pfx;
	ese_node n;
	uint32_t npages;

	memset(f, 0, sizeof(*f));
	f->db = jr_test_slurp(src, &f->len);
	g_free(src);
	assert_int_equal(ese_page_layout_init(&f->lay, PS, &ei), 0);
	assert_int_equal(ese_dbheader_read(f->db, f->len, &hr, &ei), 0);
	f->hdr = hr.hdr;
	root = page_of(f->db, ROOT);
	assert_int_equal(jr_le32(root + ESE_PGHDR_OBJID_FDP), OBJID);
	assert_true(jr_le32(root + ESE_PGHDR_FLAGS) & ESE_PGF_ROOT);
	assert_true(jr_le32(root + ESE_PGHDR_FLAGS) & ESE_PGF_PARENT_OF_LEAF);
	assert_int_equal(ese_page_line_count(&f->lay, root), 23);
	assert_int_equal(ese_node_get(&f->lay, root, 22, &n, &ei), 0);
	assert_int_equal(n.key.cb_prefix + n.key.cb_suffix, 0);
	f->leaf = jr_le32(n.data);
	assert_int_equal(f->leaf, 399);
	f->leaf_lines = ese_page_line_count(&f->lay, page_of(f->db, f->leaf));
	assert_int_equal(f->leaf_lines, 16);
	f->flags_leaf = jr_le32(page_of(f->db, f->leaf) + ESE_PGHDR_FLAGS);
	assert_int_equal(ese_node_page_prefix(&f->lay, page_of(f->db, f->leaf),
					      &pfx, &f->cb_prefix, &ei), 0);
	assert_true(f->cb_prefix >= 4 && f->cb_prefix <= sizeof(f->prefix));
	memcpy(f->prefix, pfx, f->cb_prefix);

	leaf_node(f, 702, &n);
	assert_int_equal(n.cb_data, 93);
	memcpy(f->tmpl, n.data, n.cb_data);
	f->cb_tmpl = n.cb_data;
	leaf_node(f, 700, &n);
	f->cb700 = n.cb_data;
	memcpy(f->old700, n.data, n.cb_data);
	memcpy(f->new700, n.data, n.cb_data);
	f->new700[4] = 7;
	f->new700[n.cb_data - 6] ^= 0x5a;
	leaf_node(f, 701, &n);
	f->cb701 = n.cb_data;
	memcpy(f->old701, n.data, n.cb_data);
	memcpy(f->new701, n.data, n.cb_data);
	f->new701[4] = 9;

	/* two blank pages from the end of the file */
	npages = (uint32_t)(f->len / PS - 2);
	for (uint32_t pg = npages; pg > 1 && !f->n1; pg--)
		if (ese_page_is_blank(&f->lay, page_of(f->db, pg))) {
			if (!f->n2)
				f->n2 = pg;
			else
				f->n1 = pg;
		}
	assert_int_not_equal(f->n1, 0);
}

static uint64_t *pgdbt(fixture *f, uint32_t pgno)
{
	for (unsigned i = 0; i < 4; i++)
		if (f->pg[i] == pgno)
			return &f->pg_dbtime[i];
	fail_msg("page %u not tracked", pgno);
	return NULL;
}

static void ok(JET_ERR err, const jr_errinfo *ei)
{
	if (err < 0)
		fail_msg("log writer: %d %s", err, ei->detail);
}

/* A node record's head on pgno, its page's dbtime moved on. */
static model_node node(fixture *f, uint16_t procid, uint32_t pgno,
		       uint16_t iline, bool versioned)
{
	model_node n;
	uint64_t *p = pgdbt(f, pgno);

	memset(&n, 0, sizeof(n));
	n.procid = procid;
	n.trx = 0x1000u + procid;
	n.level = 1;
	n.pgno = pgno;
	n.before = *p;
	n.after = ++f->dbtime;
	*p = n.after;
	n.iline = iline;
	n.flags = 0x04 | (versioned ? 0x01 : 0);
	n.rceid = versioned ? ++f->rceid : 0;
	n.pgno_fdp = ROOT;
	n.objid = OBJID;
	return n;
}

static void insert_row(fixture *f, ese_logwriter *w, uint16_t procid,
		       uint32_t pgno, uint16_t iline, uint32_t idx,
		       bool prefixed)
{
	uint8_t key[5], rec[512];
	model_node n = node(f, procid, pgno, iline, true);
	uint16_t common = 0;
	jr_errinfo ei;

	row_key(idx, key);
	new_row(f, idx, rec);
	/* the key bytes the page's prefix supplies (ESE compresses from 3) */
	while (prefixed && common < f->cb_prefix && common < 5 &&
	       key[common] == f->prefix[common])
		common++;
	if (common < 3)
		common = 0;
	ok(model_insert(w, &n, key, 5, common, rec, f->cb_tmpl, &ei), &ei);
}

/* A split of `pgno` under the root: the root's Split2 (it only takes the
 * separator, before its last node), the page's Split2, the Insert of row
 * idx, in a macro of one dbtime. */
static void split_insert(fixture *f, ese_logwriter *w, uint16_t procid,
			 uint32_t pgno, uint32_t pgno_new, uint8_t type,
			 uint16_t clines, uint16_t iline_split,
			 uint32_t idx, uint32_t idx_sep,
			 const uint8_t *preimage)
{
	const uint64_t D = ++f->dbtime;
	uint8_t key[5], sep[5], rec[512];
	model_split s;
	model_node n;
	jr_errinfo ei;

	row_key(idx, key);
	row_key(idx_sep, sep);
	new_row(f, idx, rec);
	ok(model_macro(w, 11, procid, D, &ei), &ei);

	memset(&s, 0, sizeof(s));
	s.procid = procid;
	s.trx = 0x1000u + procid;
	s.level = 1;
	s.pgno = ROOT;
	s.before = *pgdbt(f, ROOT);
	s.after = D;
	s.right_before = MODEL_DBTIME_NIL;
	s.pgno_fdp = ROOT;
	s.objid = OBJID;
	s.iline_oper = 22 + (pgno == f->n1 ? 1 : 0);
	s.clines = (uint16_t)(s.iline_oper + 2);
	s.iline_prefix_split = -1;
	s.iline_prefix_new = -1;
	ok(model_split2(w, &s, &ei), &ei);

	s.pgno = pgno;
	s.before = *pgdbt(f, pgno);
	s.pgno_new = pgno_new;
	s.pgno_parent = ROOT;
	s.parent_before = *pgdbt(f, ROOT);
	s.splittype = type;
	s.splitoper = 1;
	s.iline_oper = (uint16_t)(clines - 1);
	s.iline_split = iline_split;
	s.clines = clines;
	s.new_page_flags = f->flags_leaf & ~(uint32_t)0x18000;
	s.split_page_flags = jr_le32(page_of(f->db, f->leaf) +
				     ESE_PGHDR_FLAGS) & ~(uint32_t)0x18000;
	s.key_parent = sep;
	s.cb_key_parent = 5;
	s.preimage = preimage;
	s.cb_preimage = preimage ? PS : 0;
	ok(model_split2(w, &s, &ei), &ei);

	*pgdbt(f, ROOT) = D;
	*pgdbt(f, pgno) = D;
	*pgdbt(f, pgno_new) = D;
	memset(&n, 0, sizeof(n));
	n.procid = procid;
	n.trx = 0x1000u + procid;
	n.level = 1;
	n.pgno = pgno;
	n.before = MODEL_DBTIME_NIL;
	n.after = D;
	n.iline = (uint16_t)(clines - 1);
	n.flags = 0x05;
	n.rceid = ++f->rceid;
	n.pgno_fdp = ROOT;
	n.objid = OBJID;
	ok(model_insert(w, &n, key, 5, 0, rec, f->cb_tmpl, &ei), &ei);
	ok(model_macro(w, 12, procid, D, &ei), &ei);
}

/* The log writer for a set in dir: an attach list naming the database. */
static ese_logwriter *open_log(fixture *f, const char *dir)
{
	ese_logwriter_params wp;
	ese_loghdr tmpl;
	ese_logwriter *w;
	jr_errinfo ei;

	ese_loghdr_init(&tmpl, GEN, 16, &f->hdr.sign_log);
	tmpl.n_attach = 1;
	memset(&tmpl.attach[0], 0, sizeof(tmpl.attach[0]));
	tmpl.attach[0].dbid = 1;
	tmpl.attach[0].sign_db = f->hdr.sign_db;
	assert_int_equal(ese_attachinfo_set_path(&tmpl.attach[0],
						 "C:\\SRUDB.dat", &ei), 0);
	ese_logwriter_params_init(&wp, dir, "SRU", GEN, &f->hdr.sign_log);
	wp.template_hdr = &tmpl;
	assert_int_equal(ese_logwriter_open(&wp, &w, &ei), 0);
	return w;
}

/* Close the log; the database goes beside it, dirty, needing every
 * generation written. */
static void close_set(fixture *f, const char *dir, ese_logwriter *w)
{
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	ese_dbheader h = f->hdr;
	jr_errinfo ei;
	uint8_t *copy;

	ok(ese_logwriter_flush(w, &ei), &ei);
	f->gen_last = ese_logwriter_gen(w);
	ok(ese_logwriter_close(w, &ei), &ei);
	copy = g_malloc(f->len);
	memcpy(copy, f->db, f->len);
	h.state = JET_dbstateDirtyShutdown;
	h.gen_min_required = GEN;
	h.gen_max_required = f->gen_last;
	assert_int_equal(ese_dbheader_write_pair(&h, copy, PS), 0);
	jr_test_spit(db, copy, f->len);
	g_free(copy);
	g_free(db);
}

/*
 * Write the input database (dirty) and its logs into dir. full: the whole
 * workload (with N1's pre-image); else only up to T5.
 */
static void write_set(fixture *f, const char *dir, bool full,
		      const uint8_t *n1_image)
{
	ese_logwriter *w;
	jr_errinfo ei;
	uint8_t key[5];
	model_node n;
	uint16_t l0;

	f->dbtime = f->hdr.dbtime;
	f->rceid = 0;
	f->pg[0] = ROOT;
	f->pg[1] = f->leaf;
	f->pg[2] = f->n1;
	f->pg[3] = f->n2;
	for (unsigned i = 0; i < 4; i++)
		f->pg_dbtime[i] = jr_le64(page_of(f->db, f->pg[i]) +
					  ESE_PGHDR_DBTIME);

	w = open_log(f, dir);

	/* T1: appends to the last leaf, an append split, N1 filled */
	l0 = (uint16_t)f->leaf_lines;
	ok(model_begin0(w, 10, 0x1000u + 10, &ei), &ei);
	insert_row(f, w, 10, f->leaf, l0, FIRST_NEW, true);
	insert_row(f, w, 10, f->leaf, (uint16_t)(l0 + 1), FIRST_NEW + 1,
		   true);
	split_insert(f, w, 10, f->leaf, f->n1, 2, (uint16_t)(l0 + 3),
		     (uint16_t)(l0 + 2), FIRST_NEW + 2, FIRST_NEW + 2, NULL);
	for (uint32_t i = 1; i < N1_ROWS; i++)
		insert_row(f, w, 10, f->n1, (uint16_t)i, FIRST_NEW + 2 + i,
			   false);
	ok(model_commit0(w, 10, 0x2000u + 10, &ei), &ei);

	/* T2: a replace; T3: a flag delete */
	ok(model_begin0(w, 11, 0x1000u + 11, &ei), &ei);
	n = node(f, 11, f->leaf, 1, true);
	ok(model_replace(w, &n, f->cb700, f->new700, f->cb700, &ei), &ei);
	ok(model_commit0(w, 11, 0x2000u + 11, &ei), &ei);
	ok(model_begin0(w, 12, 0x1000u + 12, &ei), &ei);
	n = node(f, 12, f->leaf, 5, true);
	ok(model_delete(w, 32, &n, &ei), &ei);
	ok(model_commit0(w, 12, 0x2000u + 12, &ei), &ei);
	ok(ese_logwriter_flush(w, &ei), &ei);
	ok(ese_logwriter_new_generation(w, &ei), &ei);

	/* version cleanup: the node goes */
	ok(model_begin0(w, 13, 0x1000u + 13, &ei), &ei);
	n = node(f, 13, f->leaf, 5, false);
	ok(model_delete(w, 35, &n, &ei), &ei);
	ok(model_commit0(w, 13, 0x2000u + 13, &ei), &ei);

	if (full) {
		const uint32_t last = FIRST_NEW + 2 + N1_ROWS;  /* 755 */
		const uint16_t half = N1_ROWS / 2;
		uint8_t *img = g_malloc(PS);

		/* T5: a right split of N1 */
		memcpy(img, n1_image, PS);
		f->split2_dbtime = f->dbtime + 1;
		jr_put_le64(img + ESE_PGHDR_DBTIME, f->split2_dbtime);
		ok(model_begin0(w, 14, 0x1000u + 14, &ei), &ei);
		split_insert(f, w, 14, f->n1, f->n2, 1,
			     (uint16_t)(N1_ROWS + 1), half, last,
			     FIRST_NEW + 2 + half, img);
		g_free(img);
		insert_row(f, w, 14, f->n2, (uint16_t)(N1_ROWS + 1 - half),
			   last + 1, false);
		insert_row(f, w, 14, f->n2, (uint16_t)(N1_ROWS + 2 - half),
			   last + 2, false);
		ok(model_commit0(w, 14, 0x2000u + 14, &ei), &ei);

		/* T6: never commits */
		ok(model_begin0(w, 15, 0x1000u + 15, &ei), &ei);
		insert_row(f, w, 15, f->n2, (uint16_t)(N1_ROWS + 3 - half),
			   last + 3, false);
		n = node(f, 15, f->leaf, 2, true);
		ok(model_replace(w, &n, f->cb701, f->new701, f->cb701, &ei),
		   &ei);

		/* T7: rolled back while logging */
		ok(model_begin0(w, 16, 0x1000u + 16, &ei), &ei);
		insert_row(f, w, 16, f->n2, (uint16_t)(N1_ROWS + 4 - half),
			   last + 4, false);
		n = node(f, 16, f->n2, (uint16_t)(N1_ROWS + 4 - half), false);
		n.rceid = f->rceid;
		row_key(last + 4, key);
		ok(model_undo(w, &n, 1, key, 5, &ei), &ei);
		ok(model_rollback(w, 16, 1, &ei), &ei);
	}
	close_set(f, dir, w);
}

static void recover(const char *dir, const char *out,
		    jr_recovery_summary *sum)
{
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	jr_recovery_opts o;
	jr_errinfo ei;

	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = out;
	jr_errinfo_clear(&ei);
	if (jr_recover_database(&o, sum, &ei) < 0)
		fail_msg("recover: %d %s", ei.err, ei.detail);
	g_free(db);
}

static GHashTable *export(const char *db, const char *name, char **header)
{
	char *tmp = jr_test_tmpdir(name);
	bool missing;
	char *why;
	GHashTable *rows = model_export_table(db, "SruDbIdMapTable", tmp, 1,
					      header, &missing, &why);

	g_free(tmp);
	if (!rows && missing) {
		g_free(why);
		skip();
	}
	if (!rows)
		fail_msg("%s", why);
	return rows;
}

/* Stage 1 of the workload: recovery of the log up to the right split
 * gives N1's image, which the full workload logs as the split's
 * pre-image. */
static void n1_image(fixture *f, const char *set1, const char *out1,
		     uint8_t img[PS])
{
	char *res1 = g_build_filename(out1, "SRUDB.dat", NULL);
	jr_recovery_summary sum;
	uint8_t *r1;
	size_t l1;

	write_set(f, set1, false, NULL);
	recover(set1, out1, &sum);
	r1 = jr_test_slurp(res1, &l1);
	assert_int_equal(ese_page_line_count(&f->lay, page_of(r1, f->n1)),
			 N1_ROWS);
	/* N1 is full: the next row (104 bytes with its tag) does not fit */
	assert_true(jr_le16(page_of(r1, f->n1) + ESE_PGHDR_CB_FREE) <
		    2 + 5 + f->cb_tmpl + 4);
	memcpy(img, page_of(r1, f->n1), PS);
	g_free(r1);
	g_free(res1);
}

/* The model of the whole workload: the input's rows (base), minus 704,
 * row 700's new value, plus 715..757. */
/* A new table with base's rows (keys and lines copied). */
static GHashTable *copy_rows(GHashTable *base)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      g_free);
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, base);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(t, g_strdup(k), g_strdup(v));
	return t;
}

/* got has exactly want's rows: as many, each with want's line. */
static void assert_rows_equal(GHashTable *got, GHashTable *want)
{
	GHashTableIter it;
	gpointer k, v;

	assert_int_equal(g_hash_table_size(got), g_hash_table_size(want));
	g_hash_table_iter_init(&it, want);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *line = g_hash_table_lookup(got, k);

		if (!line)
			fail_msg("row %s missing", (const char *)k);
		assert_string_equal(line, v);
	}
}

static GHashTable *workload_model(const fixture *f, GHashTable *base)
{
	GHashTable *model = copy_rows(base);

	g_hash_table_remove(model, "704");
	g_hash_table_replace(model, g_strdup("700"),
			     export_line(f->new700, f->cb700));
	for (uint32_t idx = FIRST_NEW; idx <= FIRST_NEW + N1_ROWS + 4; idx++) {
		uint8_t rec[512];

		new_row(f, idx, rec);
		g_hash_table_replace(model, g_strdup_printf("%u", idx),
				     export_line(rec, f->cb_tmpl));
	}
	assert_int_equal(g_hash_table_size(model), NROWS - 1 + 43);
	return model;
}

/* libesedb's rows of the result (got) are the model's, exactly. */
static void assert_rows_are_model(GHashTable *got, GHashTable *model,
				  GHashTable *base)
{
	GHashTableIter it;
	gpointer k, v;
	unsigned changed = 0;

	assert_rows_equal(got, model);
	g_hash_table_iter_init(&it, model);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (g_strcmp0(g_hash_table_lookup(base, k), v) != 0)
			changed++;
	assert_int_equal(changed, 44);      /* 43 new rows, row 700 */
	assert_null(g_hash_table_lookup(got, "704"));
	assert_null(g_hash_table_lookup(got, "758"));
	assert_null(g_hash_table_lookup(got, "759"));
	assert_string_equal(g_hash_table_lookup(got, "701"),
			    g_hash_table_lookup(base, "701"));
}

static void test_model_read_by_libesedb(void **state)
{
	char *set1 = jr_test_tmpdir("model_set1");
	char *out1 = jr_test_tmpdir("model_out1");
	char *set2 = jr_test_tmpdir("model_set2");
	char *out2 = jr_test_tmpdir("model_out2");
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res_db = g_build_filename(out2, "SRUDB.dat", NULL);
	char *h_in, *h_out;
	GHashTable *base, *got, *model;
	jr_recovery_summary sum;
	fixture f;
	uint8_t *res, img[PS];
	size_t lres;

	(void)state;
	setup_fixture(&f);
	base = export(in_db, "model_exp_in", &h_in);
	assert_int_equal(g_hash_table_size(base), NROWS);
	/* the rule export_line() follows holds for the input's rows */
	{
		char *want = export_line(f.old700, f.cb700);

		assert_string_equal(g_hash_table_lookup(base, "700"), want);
		g_free(want);
		want = export_line(f.tmpl, f.cb_tmpl);
		assert_string_equal(g_hash_table_lookup(base, "702"), want);
		g_free(want);
	}

	/* stage 1: recovery up to the right split gives N1's image */
	n1_image(&f, set1, out1, img);

	/* stage 2: the whole workload */
	write_set(&f, set2, true, img);
	assert_int_equal(f.gen_last, GEN + 1);
	recover(set2, out2, &sum);
	assert_int_equal(sum.gen_first, GEN);
	assert_int_equal(sum.gen_last, GEN + 1);
	assert_int_equal(sum.redo.applied[62], 2);   /* both splits */
	assert_int_equal(sum.redo.applied[33], 2);
	assert_int_equal(sum.redo.applied[32], 1);
	assert_int_equal(sum.redo.applied[35], 1);
	assert_int_equal(sum.redo.applied[39], 1);
	assert_int_equal(sum.redo.trx_undone, 1);    /* T6 */
	assert_int_equal(sum.redo.rce_undone, 2);
	assert_int_equal(sum.dbtime, f.dbtime + 2);

	res = jr_test_slurp(res_db, &lres);
	assert_int_equal(lres, f.len);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, f.leaf)),
			 f.leaf_lines + 1);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, f.n1)),
			 N1_ROWS / 2);
	/* 19 moved + 755..759 (758 and 759 flag-deleted) */
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, f.n2)),
			 N1_ROWS / 2 + 5);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, ROOT)), 25);
	assert_int_equal(jr_le32(page_of(res, f.leaf) + ESE_PGHDR_PGNO_NEXT),
			 f.n1);
	assert_int_equal(jr_le32(page_of(res, f.n1) + ESE_PGHDR_PGNO_NEXT),
			 f.n2);
	assert_int_equal(jr_le32(page_of(res, f.n2) + ESE_PGHDR_PGNO_PREV),
			 f.n1);
	g_free(res);

	jr_test_check_sound(res_db);

	/* the model */
	model = workload_model(&f, base);

	/* libesedb's reading of the result */
	got = export(res_db, "model_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_rows_are_model(got, model, base);

	g_hash_table_unref(got);
	g_hash_table_unref(model);
	g_hash_table_unref(base);
	g_free(h_in);
	g_free(h_out);
	g_free(f.db);
	g_free(res_db);
	g_free(in_db);
	g_free(out2);
	g_free(set2);
	g_free(out1);
	g_free(set1);
}

/* ---- RootPageMove: the table's root and space tree roots move ---- */

static uint64_t dbtime_of(fixture *f, uint32_t pgno)
{
	return jr_le64(page_of(f->db, pgno) + ESE_PGHDR_DBTIME);
}

/* Catalog rows of the table (object row, clustered index row) as they
 * are on clean-b: MSysObjects (objid 2, FDP 4) page 14 lines 13 and 17,
 * MSysObjectsShadow (objid 3, FDP 24) page 28 lines 13 and 17; the FDP
 * (ColtypOrPgnoFDP) at byte 14 of the record. */
static const struct {
	uint32_t pgno, objid, fdp;
	uint16_t iline;
} catalog_rows[] = {
	{ 14, 2, 4, 13 }, { 14, 2, 4, 17 }, { 28, 3, 24, 13 },
	{ 28, 3, 24, 17 },
};

#define CHILD_FDP 35u        /* index IdTypeIdBlob, objid 9 */

static void test_root_move_read_by_libesedb(void **state)
{
	char *set = jr_test_tmpdir("rootmove_set");
	char *out = jr_test_tmpdir("rootmove_out");
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *h_in, *h_out;
	GHashTable *base, *got;
	jr_recovery_summary sum;
	jr_errinfo ei;
	ese_logwriter *w;
	fixture f;
	uint32_t X = 0, npages;
	uint64_t D;
	uint8_t *res;
	size_t lres;
	ese_line ext;
	ese_node n;

	(void)state;
	setup_fixture(&f);
	npages = (uint32_t)(f.len / PS - 2);
	for (uint32_t pg = npages - 2; pg > 1 && !X; pg--)
		if (ese_page_is_blank(&f.lay, page_of(f.db, pg)) &&
		    ese_page_is_blank(&f.lay, page_of(f.db, pg + 1)) &&
		    ese_page_is_blank(&f.lay, page_of(f.db, pg + 2)))
			X = pg;
	assert_int_not_equal(X, 0);
	/* the facts the records rely on */
	assert_int_equal(ese_page_external_header(&f.lay, page_of(f.db, ROOT),
						  &ext, &ei), 0);
	assert_int_equal(ext.cb, 16);
	assert_int_equal(jr_le32(ext.data + 12), 32);   /* OE 32, AE 33 */
	assert_int_equal(ese_page_external_header(&f.lay,
						  page_of(f.db, CHILD_FDP),
						  &ext, &ei), 0);
	assert_int_equal(jr_le32(ext.data + 4), ROOT);  /* its parent */
	for (size_t i = 0; i < G_N_ELEMENTS(catalog_rows); i++) {
		assert_int_equal(ese_node_get(&f.lay,
					      page_of(f.db,
						      catalog_rows[i].pgno),
					      catalog_rows[i].iline, &n, &ei),
				 0);
		assert_int_equal(jr_le32(n.data + 4), OBJID);
		assert_int_equal(jr_le32(n.data + 14), ROOT);
	}

	D = f.hdr.dbtime + 1;
	w = open_log(&f, set);
	ok(model_begin0(w, 20, 0x1000u + 20, &ei), &ei);
	ok(model_macro(w, 11, 20, D, &ei), &ei);
	ok(model_root_page_move(w, 20, D, OBJID, &ei), &ei);
	for (uint32_t i = 0; i < 3; i++) {
		model_page_move m;

		memset(&m, 0, sizeof(m));
		m.procid = 20;
		m.trx = 0x1000u + 20;
		m.pgno = ROOT + i;
		m.dest = X + i;
		m.before = dbtime_of(&f, ROOT + i);
		m.after = D;
		m.pgno_fdp = ROOT;
		m.objid = OBJID;
		m.move_flags = 1u << i;
		ok(model_page_move_rec(w, &m, page_of(f.db, ROOT + i), PS,
				       &ei), &ei);
	}
	{
		model_node c;
		uint8_t sph[16];

		assert_int_equal(ese_page_external_header(
					 &f.lay, page_of(f.db, CHILD_FDP), &ext,
					 &ei), 0);
		memcpy(sph, ext.data, 16);
		jr_put_le32(sph + 4, X);
		memset(&c, 0, sizeof(c));
		c.procid = 20;
		c.trx = 0x1000u + 20;
		c.level = 1;
		c.pgno = CHILD_FDP;
		c.before = dbtime_of(&f, CHILD_FDP);
		c.after = D;
		c.flags = 0x04;
		c.pgno_fdp = CHILD_FDP;
		c.objid = jr_le32(page_of(f.db, CHILD_FDP) +
				  ESE_PGHDR_OBJID_FDP);
		ok(model_set_ext_header(w, &c, sph, 16, &ei), &ei);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(catalog_rows); i++) {
		model_node c;
		uint8_t rec[512];

		assert_int_equal(ese_node_get(&f.lay,
					      page_of(f.db,
						      catalog_rows[i].pgno),
					      catalog_rows[i].iline, &n, &ei),
				 0);
		memcpy(rec, n.data, n.cb_data);
		jr_put_le32(rec + 14, X);
		memset(&c, 0, sizeof(c));
		c.procid = 20;
		c.trx = 0x1000u + 20;
		c.level = 1;
		c.pgno = catalog_rows[i].pgno;
		c.before = dbtime_of(&f, c.pgno);
		c.after = D;
		c.iline = catalog_rows[i].iline;
		c.flags = 0x04;
		c.pgno_fdp = catalog_rows[i].fdp;
		c.objid = catalog_rows[i].objid;
		ok(model_replace(w, &c, n.cb_data, rec, n.cb_data, &ei), &ei);
	}
	ok(model_macro(w, 12, 20, D, &ei), &ei);
	ok(model_commit0(w, 20, 0x2000u + 20, &ei), &ei);
	close_set(&f, set, w);

	recover(set, out, &sum);
	assert_int_equal(sum.redo.applied[96], 1);
	assert_int_equal(sum.redo.macros, 1);
	assert_int_equal(sum.dbtime, D);

	res = jr_test_slurp(res_db, &lres);
	for (uint32_t i = 0; i < 3; i++) {
		const uint8_t *src = page_of(f.db, ROOT + i);
		const uint8_t *old = page_of(res, ROOT + i);
		const uint8_t *nw = page_of(res, X + i);

		assert_int_equal(ese_page_line_count(&f.lay, nw),
				 ese_page_line_count(&f.lay, src));
		assert_int_equal(jr_le32(nw + ESE_PGHDR_FLAGS) & 0xffff,
				 jr_le32(src + ESE_PGHDR_FLAGS) & 0xffff);
		assert_int_equal(jr_le64(nw + ESE_PGHDR_DBTIME), D);
		assert_int_equal(ese_page_line_count(&f.lay, old), 0);
		assert_true(jr_le32(old + ESE_PGHDR_FLAGS) & ESE_PGF_EMPTY);
		assert_int_equal(jr_le64(old + ESE_PGHDR_DBTIME), D);
	}
	assert_int_equal(ese_page_external_header(&f.lay, page_of(res, X),
						  &ext, &ei), 0);
	assert_int_equal(jr_le32(ext.data + 12), X + 1);
	assert_int_equal(ese_page_external_header(&f.lay,
						  page_of(res, CHILD_FDP), &ext,
						  &ei), 0);
	assert_int_equal(jr_le32(ext.data + 4), X);
	for (size_t i = 0; i < G_N_ELEMENTS(catalog_rows); i++) {
		assert_int_equal(ese_node_get(&f.lay,
					      page_of(res, catalog_rows[i].pgno),
					      catalog_rows[i].iline, &n, &ei),
				 0);
		assert_int_equal(jr_le32(n.data + 14), X);
	}
	g_free(res);
	jr_test_check_sound(res_db);

	/* libesedb finds the table at its new root through the catalog and
	 * reads every row as before */
	base = export(in_db, "rootmove_exp_in", &h_in);
	got = export(res_db, "rootmove_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_int_equal(g_hash_table_size(got), NROWS);
	assert_rows_equal(got, base);

	g_hash_table_unref(got);
	g_hash_table_unref(base);
	g_free(h_in);
	g_free(h_out);
	g_free(f.db);
	g_free(res_db);
	g_free(in_db);
	g_free(out);
	g_free(set);
}

/* ---- an emptied page merged away, deltas ---- */

/* Line of row idx on page pgno of the input. */
static unsigned row_line(fixture *f, uint32_t pgno, uint32_t idx)
{
	const uint8_t *p = page_of(f->db, pgno);
	unsigned nl = ese_page_line_count(&f->lay, p);
	uint8_t want[5], key[16];
	jr_errinfo ei;
	ese_node n;

	row_key(idx, want);
	for (unsigned i = 0; i < nl; i++) {
		assert_int_equal(ese_node_get(&f->lay, p, i, &n, &ei), 0);
		if (ese_key_copy(&n.key, key, sizeof(key)) == 5 &&
		    memcmp(key, want, 5) == 0)
			return i;
	}
	fail_msg("row %u not on page %u", idx, pgno);
	return 0;
}

/* A Merge2 record without a page image. */
static void merge2(fixture *f, ese_logwriter *w, uint16_t procid,
		   uint32_t pgno, uint16_t iline, uint64_t D, uint32_t right,
		   uint32_t left, uint32_t parent, uint8_t mflags, uint8_t mtype)
{
	uint8_t r[96];
	jr_errinfo ei;

	memset(r, 0, sizeof(r));
	model_page_head(r, 63, procid, pgno, D, dbtime_of(f, pgno),
			0x1000u + procid, 1);
	jr_put_le16(r + 29, iline);
	r[31] = 0x04;
	jr_put_le32(r + 32, right);
	jr_put_le64(r + 36, right ? dbtime_of(f, right) : 0);
	jr_put_le32(r + 44, left);
	jr_put_le64(r + 48, left ? dbtime_of(f, left) : 0);
	jr_put_le32(r + 56, parent);
	jr_put_le64(r + 60, parent ? dbtime_of(f, parent) : 0);
	jr_put_le32(r + 68, ROOT);
	jr_put_le32(r + 72, OBJID);
	r[84] = mflags;
	r[85] = mtype;
	ok(ese_logwriter_append(w, r, sizeof(r), NULL, &ei), &ei);
}

/* A Delta or Delta64 on row idx of page pgno (its dbtime tracked in the
 * input copy f->db, which write-ahead stands for the page). */
static void delta(fixture *f, ese_logwriter *w, uint16_t procid,
		  uint32_t pgno, uint32_t idx, bool is64, int64_t d,
		  bool versioned, uint32_t *rceid)
{
	model_node n;
	uint8_t key[5];
	jr_errinfo ei;

	memset(&n, 0, sizeof(n));
	n.procid = procid;
	n.trx = 0x1000u + procid;
	n.level = 1;
	n.pgno = pgno;
	n.before = dbtime_of(f, pgno);
	n.after = ++f->dbtime;
	n.iline = (uint16_t)row_line(f, pgno, idx);
	n.flags = 0x04 | (versioned ? 0x01 : 0);
	n.rceid = versioned ? ++f->rceid : 0;
	n.pgno_fdp = ROOT;
	n.objid = OBJID;
	row_key(idx, key);
	ok(model_delta(w, &n, is64, d, 5, key, 5, &ei), &ei);
	jr_put_le64(page_of(f->db, pgno) + ESE_PGHDR_DBTIME, n.after);
	if (rceid)
		*rceid = n.rceid;
}

static void test_merge_and_deltas_read_by_libesedb(void **state)
{
	char *set = jr_test_tmpdir("merge_delta_set");
	char *out = jr_test_tmpdir("merge_delta_out");
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *h_in, *h_out;
	GHashTable *base, *got, *model;
	jr_recovery_summary sum;
	jr_errinfo ei;
	ese_logwriter *w;
	fixture f;
	uint8_t *input, *res;
	size_t lres;
	uint32_t L = 188, left, right, first, rc;
	unsigned nl, ip = 0, np;
	uint64_t D;
	ese_node n;

	(void)state;
	setup_fixture(&f);
	base = export(in_db, "md_exp_in", &h_in);
	/* the leaf emptied: 19 rows, 0x1a8..0x1ba (root line 13) */
	nl = ese_page_line_count(&f.lay, page_of(f.db, L));
	assert_int_equal(nl, 19);
	np = ese_page_line_count(&f.lay, page_of(f.db, ROOT));
	for (unsigned i = 0; i < np; i++) {
		assert_int_equal(ese_node_get(&f.lay, page_of(f.db, ROOT), i,
					      &n, &ei), 0);
		if (jr_le32(n.data) == L)
			ip = i;
	}
	assert_int_equal(ip, 13);
	left = jr_le32(page_of(f.db, L) + ESE_PGHDR_PGNO_PREV);
	right = jr_le32(page_of(f.db, L) + ESE_PGHDR_PGNO_NEXT);
	assert_int_equal(ese_node_get(&f.lay, page_of(f.db, L), 0, &n, &ei),
			 0);
	first = jr_le32(n.data + 5);
	assert_int_equal(first, 0x1a8);
	/* f.db tracks the pages' dbtimes as the log moves them */
	input = g_malloc(f.len);
	memcpy(input, f.db, f.len);
	f.dbtime = f.hdr.dbtime;
	f.rceid = 0;

	w = open_log(&f, set);
	/* T30 deletes every row of L */
	ok(model_begin0(w, 30, 0x1000u + 30, &ei), &ei);
	for (unsigned i = 0; i < nl; i++) {
		model_node d;

		memset(&d, 0, sizeof(d));
		d.procid = 30;
		d.trx = 0x1000u + 30;
		d.level = 1;
		d.pgno = L;
		d.before = dbtime_of(&f, L);
		d.after = ++f.dbtime;
		d.iline = (uint16_t)i;
		d.flags = 0x05;
		d.rceid = ++f.rceid;
		d.pgno_fdp = ROOT;
		d.objid = OBJID;
		ok(model_delete(w, 32, &d, &ei), &ei);
		jr_put_le64(page_of(f.db, L) + ESE_PGHDR_DBTIME, d.after);
	}
	ok(model_commit0(w, 30, 0x2000u + 30, &ei), &ei);
	/* cleanup: the page is merged away (empty-page merge) */
	D = ++f.dbtime;
	ok(model_begin0(w, 31, 0x1000u + 31, &ei), &ei);
	ok(model_macro(w, 11, 31, D, &ei), &ei);
	merge2(&f, w, 31, ROOT, (uint16_t)ip, D, 0, 0, 0, 0x02, 0);
	merge2(&f, w, 31, L, 0, D, right, left, ROOT, 0x04, 1);
	ok(model_macro(w, 12, 31, D, &ei), &ei);
	ok(model_commit0(w, 31, 0x2000u + 31, &ei), &ei);
	jr_put_le64(page_of(f.db, ROOT) + ESE_PGHDR_DBTIME, D);
	/* T32: deltas on row 10 (+1000) and row 11 (64-bit, +0x10000) */
	ok(model_begin0(w, 32, 0x1000u + 32, &ei), &ei);
	delta(&f, w, 32, 34, 10, false, 1000, true, NULL);
	delta(&f, w, 32, 34, 11, true, 0x10000, true, NULL);
	ok(model_commit0(w, 32, 0x2000u + 32, &ei), &ei);
	/* T33: a delta on row 12 rolled back while logging */
	ok(model_begin0(w, 33, 0x1000u + 33, &ei), &ei);
	delta(&f, w, 33, 34, 12, false, 7, true, &rc);
	{
		model_node u;
		uint8_t key[5];

		memset(&u, 0, sizeof(u));
		u.procid = 33;
		u.trx = 0x1000u + 33;
		u.level = 1;
		u.pgno = 34;
		u.before = dbtime_of(&f, 34);
		u.after = ++f.dbtime;
		u.iline = (uint16_t)row_line(&f, 34, 12);
		u.flags = 0x04;
		u.rceid = rc;
		u.pgno_fdp = ROOT;
		u.objid = OBJID;
		row_key(12, key);
		ok(model_undo(w, &u, 4, key, 5, &ei), &ei);
		jr_put_le64(page_of(f.db, 34) + ESE_PGHDR_DBTIME, u.after);
	}
	ok(model_rollback(w, 33, 1, &ei), &ei);
	/* T34: a 64-bit delta on row 13, open at the end */
	ok(model_begin0(w, 34, 0x1000u + 34, &ei), &ei);
	delta(&f, w, 34, 34, 13, true, 5, true, NULL);
	/* the input database is the one before the log */
	memcpy(f.db, input, f.len);
	close_set(&f, set, w);

	recover(set, out, &sum);
	assert_int_equal(sum.redo.applied[32], 19);
	assert_int_equal(sum.redo.applied[63], 1);
	assert_int_equal(sum.redo.applied[37], 2);
	assert_int_equal(sum.redo.applied[93], 2);
	assert_int_equal(sum.redo.applied[39], 1);
	assert_int_equal(sum.redo.trx_undone, 1);
	assert_int_equal(sum.redo.rce_undone, 1);
	assert_int_equal(sum.dbtime, f.dbtime + 1);

	res = jr_test_slurp(res_db, &lres);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, ROOT)),
			 np - 1);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, L)), 0);
	assert_true(jr_le32(page_of(res, L) + ESE_PGHDR_FLAGS) & ESE_PGF_EMPTY);
	assert_int_equal(jr_le32(page_of(res, left) + ESE_PGHDR_PGNO_NEXT),
			 right);
	assert_int_equal(jr_le32(page_of(res, right) + ESE_PGHDR_PGNO_PREV),
			 left);
	g_free(res);
	jr_test_check_sound(res_db);

	/* model: L's rows gone, rows 10 and 11 with their new IdIndex */
	model = copy_rows(base);
	for (uint32_t i = first; i < first + nl; i++) {
		char key[16];

		snprintf(key, sizeof(key), "%u", i);
		assert_true(g_hash_table_remove(model, key));
	}
	{
		static const struct { const char *from, *to; } moved[] = {
			{ "10", "1010" }, { "11", "65547" },
		};

		for (size_t i = 0; i < G_N_ELEMENTS(moved); i++) {
			char **cols = g_strsplit(g_hash_table_lookup(
							 base, moved[i].from),
						 "\t", -1);
			char *line = g_strdup_printf("%s\t%s\t%s", cols[0],
						     moved[i].to, cols[2]);

			g_strfreev(cols);
			g_hash_table_remove(model, moved[i].from);
			g_hash_table_replace(model, g_strdup(moved[i].to),
					     line);
		}
	}
	assert_int_equal(g_hash_table_size(model), NROWS - 19);
	got = export(res_db, "md_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_rows_equal(got, model);

	g_hash_table_unref(got);
	g_hash_table_unref(model);
	g_hash_table_unref(base);
	g_free(h_in);
	g_free(h_out);
	g_free(input);
	g_free(f.db);
	g_free(res_db);
	g_free(in_db);
	g_free(out);
	g_free(set);
}

/* ---- a partial left merge and a full left merge ---- */

/*
 * Root lines (input): 5 -> 90 (27 rows), 6 -> 91 (22), 12 -> 187 (35),
 * 13 -> 188 (19). The leaves are full (200..460 bytes free), so
 * committed deletes and their cleanup make room first, as version cleanup
 * does before online defragmentation merges:
 *   T40 flag-deletes 187 lines 18..34, 188 lines 3 and 12..18, 90 lines
 *       15..26, 91 lines 4..21 (55 rows); commits.
 *   T41 (cleanup) deletes those nodes (Delete, highest line first), all
 *       but 188 line 3, which stays flag-deleted (54 nodes).
 *   T42 partial left merge of 188 into 187 (ilineMerge 7: lines 0..7
 *       move but the flag-deleted line 3, which is dropped; 188 keeps 4
 *       lines); the root re-keys its pointer to 187 (line 12) with the
 *       separator between 188's lines 7 and 8.
 *   T43 full left merge of 91 into 90 (its 4 lines move, 91 leaves the
 *       tree): the root's line 6 points to 90, line 5 goes.
 * Both leaf records carry the merged page's image (ESE logs it for left
 * merges): the page as recovery of T40, T41 leaves it.
 */
#define ML_LEFT_P 187u
#define ML_MERGED_P 188u
#define ML_LEFT_F 90u
#define ML_MERGED_F 91u
#define ML_ILINE_MERGE 7u

static const struct {
	uint32_t pgno;
	uint16_t lo, hi;        /* input lines flag-deleted */
} ml_deletes[] = {
	{ ML_LEFT_P, 18, 34 }, { ML_MERGED_P, 12, 18 },
	{ ML_MERGED_P, 3, 3 }, { ML_LEFT_F, 15, 26 },
	{ ML_MERGED_F, 4, 21 },
};

/* A leaf node record on pgno, its dbtime moved on in f->db. */
static model_node ml_node(fixture *f, uint16_t procid, uint32_t pgno,
			  uint16_t iline, bool versioned)
{
	model_node n;

	memset(&n, 0, sizeof(n));
	n.procid = procid;
	n.trx = 0x1000u + procid;
	n.level = 1;
	n.pgno = pgno;
	n.before = dbtime_of(f, pgno);
	n.after = ++f->dbtime;
	n.iline = iline;
	n.flags = 0x04 | (versioned ? 0x01 : 0);
	n.rceid = versioned ? ++f->rceid : 0;
	n.pgno_fdp = ROOT;
	n.objid = OBJID;
	jr_put_le64(page_of(f->db, pgno) + ESE_PGHDR_DBTIME, n.after);
	return n;
}

/* One Merge2 level as ErrLGMerge logs it: the leaf (mtype != 0) with its
 * siblings, merge type, ilineMerge, separator and page image; a parent
 * level with nil sibling dbtimes. */
typedef struct {
	uint32_t pgno, left, right, parent;
	uint16_t iline, iline_merge;
	uint8_t mflags, mtype;
	const uint8_t *sep, *img;
	uint16_t cb_sep;
} ml_level;

static void ml_merge2(fixture *f, ese_logwriter *w, uint16_t procid,
		      uint64_t D, const ml_level *m)
{
	const size_t len = 96u + m->cb_sep + (m->img ? PS : 0);
	uint8_t *r = g_malloc0(len);
	jr_errinfo ei;

	model_page_head(r, 63, procid, m->pgno, D, dbtime_of(f, m->pgno),
			0x1000u + procid, 1);
	jr_put_le16(r + 29, m->iline);
	r[31] = 0x04;
	jr_put_le32(r + 32, m->right);
	jr_put_le64(r + 36, m->right ? dbtime_of(f, m->right)
				     : MODEL_DBTIME_NIL);
	jr_put_le32(r + 44, m->left);
	jr_put_le64(r + 48, m->left ? dbtime_of(f, m->left)
				    : MODEL_DBTIME_NIL);
	jr_put_le32(r + 56, m->parent);
	jr_put_le64(r + 60, m->parent ? dbtime_of(f, m->parent)
				      : MODEL_DBTIME_NIL);
	jr_put_le32(r + 68, ROOT);
	jr_put_le32(r + 72, OBJID);
	jr_put_le16(r + 82, m->iline_merge);
	r[84] = m->mflags;
	r[85] = m->mtype;
	jr_put_le16(r + 86, m->cb_sep);
	jr_put_le32(r + 92, m->img ? PS : 0);
	if (m->cb_sep)
		memcpy(r + 96, m->sep, m->cb_sep);
	if (m->img)
		memcpy(r + 96 + m->cb_sep, m->img, PS);
	ok(ese_logwriter_append(w, r, len, NULL, &ei), &ei);
	g_free(r);
}

/* The pages a merge macro touches take its dbtime. */
static void ml_touch(fixture *f, uint64_t D, const uint32_t *pg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jr_put_le64(page_of(f->db, pg[i]) + ESE_PGHDR_DBTIME, D);
}

/* The 5-byte key of line iline of pgno in the input. */
static void ml_key(fixture *f, uint32_t pgno, unsigned iline, uint8_t k[5])
{
	jr_errinfo ei;
	ese_node n;

	assert_int_equal(ese_node_get(&f->lay, page_of(f->db, pgno), iline,
				      &n, &ei), 0);
	assert_int_equal(ese_key_copy(&n.key, k, 5), 5);
}

/* ErrBTIComputeSeparatorKey for unique keys: the shortest prefix of next
 * that sorts after prev. */
static uint16_t ml_separator(const uint8_t prev[5], const uint8_t next[5],
			     uint8_t sep[5])
{
	uint16_t cb = 1;

	while (cb < 5 && memcmp(prev, next, cb) == 0)
		cb++;
	memcpy(sep, next, cb);
	return cb;
}

static void write_merge_set(fixture *f, const char *dir,
			    const uint8_t *img_p, const uint8_t *img_f,
			    const uint8_t *sep, uint16_t cb_sep)
{
	uint8_t *input = g_memdup2(f->db, f->len);
	ese_logwriter *w;
	jr_errinfo ei;
	model_node n;

	f->dbtime = f->hdr.dbtime;
	f->rceid = 0;
	w = open_log(f, dir);
	ok(model_begin0(w, 40, 0x1000u + 40, &ei), &ei);
	for (size_t i = 0; i < G_N_ELEMENTS(ml_deletes); i++)
		for (unsigned l = ml_deletes[i].lo; l <= ml_deletes[i].hi;
		     l++) {
			n = ml_node(f, 40, ml_deletes[i].pgno, (uint16_t)l,
				    true);
			ok(model_delete(w, 32, &n, &ei), &ei);
		}
	ok(model_commit0(w, 40, 0x2000u + 40, &ei), &ei);
	ok(model_begin0(w, 41, 0x1000u + 41, &ei), &ei);
	for (size_t i = 0; i < G_N_ELEMENTS(ml_deletes); i++) {
		if (ml_deletes[i].pgno == ML_MERGED_P && ml_deletes[i].lo == 3)
			continue;
		for (int l = ml_deletes[i].hi; l >= ml_deletes[i].lo; l--) {
			n = ml_node(f, 41, ml_deletes[i].pgno, (uint16_t)l,
				    false);
			ok(model_delete(w, 35, &n, &ei), &ei);
		}
	}
	ok(model_commit0(w, 41, 0x2000u + 41, &ei), &ei);
	ok(ese_logwriter_flush(w, &ei), &ei);
	ok(ese_logwriter_new_generation(w, &ei), &ei);

	if (img_p) {
		const uint64_t D = ++f->dbtime;
		const ml_level root = { ROOT, 0, 0, 0, 13, 0, 0x01, 0, NULL,
					NULL, 0 };
		const ml_level leaf = { ML_MERGED_P, ML_LEFT_P, 189, ROOT, 0,
					ML_ILINE_MERGE, 0, 6, sep, img_p,
					cb_sep };
		const uint32_t pg[] = { ROOT, ML_MERGED_P, ML_LEFT_P, 189 };

		ok(model_begin0(w, 42, 0x1000u + 42, &ei), &ei);
		ok(model_macro(w, 11, 42, D, &ei), &ei);
		ml_merge2(f, w, 42, D, &root);
		ml_merge2(f, w, 42, D, &leaf);
		ok(model_macro(w, 12, 42, D, &ei), &ei);
		ok(model_commit0(w, 42, 0x2000u + 42, &ei), &ei);
		ml_touch(f, D, pg, G_N_ELEMENTS(pg));
	}
	if (img_f) {
		const uint64_t D = ++f->dbtime;
		const ml_level root = { ROOT, 0, 0, 0, 6, 0, 0x03, 0, NULL,
					NULL, 0 };
		const ml_level leaf = { ML_MERGED_F, ML_LEFT_F, 92, ROOT, 0,
					3, 0x04, 5, NULL, img_f, 0 };
		const uint32_t pg[] = { ROOT, ML_MERGED_F, ML_LEFT_F, 92 };

		ok(model_begin0(w, 43, 0x1000u + 43, &ei), &ei);
		ok(model_macro(w, 11, 43, D, &ei), &ei);
		ml_merge2(f, w, 43, D, &root);
		ml_merge2(f, w, 43, D, &leaf);
		ok(model_macro(w, 12, 43, D, &ei), &ei);
		ok(model_commit0(w, 43, 0x2000u + 43, &ei), &ei);
		ml_touch(f, D, pg, G_N_ELEMENTS(pg));
	}
	/* f->db tracked the pages' dbtimes; the input is the one before
	 * the log */
	memcpy(f->db, input, f->len);
	g_free(input);
	close_set(f, dir, w);
}

/* Page pgno of the root line iline of page p. */
static uint32_t ml_child(fixture *f, const uint8_t *p, unsigned iline)
{
	jr_errinfo ei;
	ese_node n;

	assert_int_equal(ese_node_get(&f->lay, p, iline, &n, &ei), 0);
	assert_int_equal(n.cb_data, 4);
	return jr_le32(n.data);
}

static unsigned ml_lines(fixture *f, const uint8_t *db, uint32_t pgno)
{
	return ese_page_line_count(&f->lay, page_of((uint8_t *)db, pgno));
}

static void test_left_merges_read_by_libesedb(void **state)
{
	char *set1 = jr_test_tmpdir("lmerge_set1");
	char *out1 = jr_test_tmpdir("lmerge_out1");
	char *set = jr_test_tmpdir("lmerge_set");
	char *out = jr_test_tmpdir("lmerge_out");
	char *set3 = jr_test_tmpdir("lmerge_set3");
	char *out3 = jr_test_tmpdir("lmerge_out3");
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res1_db = g_build_filename(out1, "SRUDB.dat", NULL);
	char *res_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *h_in, *h_out;
	GHashTable *base, *got, *model;
	jr_recovery_summary sum;
	fixture f;
	uint8_t *input, *res, img_p[PS], img_f[PS], sep[5], k7[5], k8[5];
	uint8_t key[16];
	size_t lres;
	uint16_t cb_sep, cb_sep91;
	uint8_t sep91[16];
	unsigned removed = 0;
	jr_errinfo ei;
	ese_node n;

	(void)state;
	setup_fixture(&f);
	base = export(in_db, "lm_exp_in", &h_in);
	{
		const uint8_t *root = page_of(f.db, ROOT);

		assert_int_equal(ml_child(&f, root, 5), ML_LEFT_F);
		assert_int_equal(ml_child(&f, root, 6), ML_MERGED_F);
		assert_int_equal(ml_child(&f, root, 12), ML_LEFT_P);
		assert_int_equal(ml_child(&f, root, 13), ML_MERGED_P);
		assert_int_equal(ml_lines(&f, f.db, ML_LEFT_F), 27);
		assert_int_equal(ml_lines(&f, f.db, ML_MERGED_F), 22);
		assert_int_equal(ml_lines(&f, f.db, ML_LEFT_P), 35);
		assert_int_equal(ml_lines(&f, f.db, ML_MERGED_P), 19);
		assert_int_equal(jr_le32(page_of(f.db, ML_MERGED_F) +
					 ESE_PGHDR_PGNO_NEXT), 92);
		assert_int_equal(jr_le32(page_of(f.db, ML_MERGED_P) +
					 ESE_PGHDR_PGNO_NEXT), 189);
	}
	/* 91's separator in the root, which 90's pointer takes */
	assert_int_equal(ese_node_get(&f.lay, page_of(f.db, ROOT), 6, &n, &ei),
			 0);
	cb_sep91 = (uint16_t)ese_key_copy(&n.key, sep91, sizeof(sep91));
	assert_true(cb_sep91 >= 1 && cb_sep91 <= 5);
	/* the model: the deleted rows go, every other row stays as it is */
	model = copy_rows(base);
	for (size_t i = 0; i < G_N_ELEMENTS(ml_deletes); i++)
		for (unsigned l = ml_deletes[i].lo; l <= ml_deletes[i].hi;
		     l++) {
			char idx[16];

			assert_int_equal(ese_node_get(&f.lay,
						      page_of(f.db,
							      ml_deletes[i].pgno),
						      l, &n, &ei), 0);
			snprintf(idx, sizeof(idx), "%u", jr_le32(n.data + 5));
			assert_true(g_hash_table_remove(model, idx));
			removed++;
		}
	assert_int_equal(removed, 55);
	assert_int_equal(g_hash_table_size(model), NROWS - 55);
	ml_key(&f, ML_MERGED_P, ML_ILINE_MERGE, k7);
	ml_key(&f, ML_MERGED_P, ML_ILINE_MERGE + 1, k8);
	cb_sep = ml_separator(k7, k8, sep);
	assert_true(cb_sep >= 2 && cb_sep <= 5);
	input = g_malloc(f.len);
	memcpy(input, f.db, f.len);

	/* stage 1: the deletes only, for the merged pages' images */
	write_merge_set(&f, set1, NULL, NULL, NULL, 0);
	recover(set1, out1, &sum);
	assert_int_equal(sum.redo.applied[32], 55);
	assert_int_equal(sum.redo.applied[35], 54);
	res = jr_test_slurp(res1_db, &lres);
	assert_int_equal(ml_lines(&f, res, ML_LEFT_P), 18);
	assert_int_equal(ml_lines(&f, res, ML_MERGED_P), 12);
	assert_int_equal(ml_lines(&f, res, ML_LEFT_F), 15);
	assert_int_equal(ml_lines(&f, res, ML_MERGED_F), 4);
	memcpy(img_p, page_of(res, ML_MERGED_P), PS);
	memcpy(img_f, page_of(res, ML_MERGED_F), PS);
	g_free(res);

	/* stage 2: the same log and the two merges */
	write_merge_set(&f, set, img_p, img_f, sep, cb_sep);
	assert_memory_equal(f.db, input, f.len);
	recover(set, out, &sum);
	assert_int_equal(sum.redo.applied[32], 55);
	assert_int_equal(sum.redo.applied[35], 54);
	assert_int_equal(sum.redo.applied[63], 2);
	assert_int_equal(sum.redo.trx_undone, 0);
	assert_int_equal(sum.dbtime, f.dbtime);   /* nothing undone */

	res = jr_test_slurp(res_db, &lres);
	{
		const uint8_t *root = page_of(res, ROOT);
		uint8_t rk[16];
		ese_node rn;

		/* root: 23 lines less line 5; 90 at 5, 187 at 11, 188 at 12 */
		assert_int_equal(ml_lines(&f, res, ROOT), 22);
		assert_int_equal(ml_child(&f, root, 4), 89);
		assert_int_equal(ml_child(&f, root, 5), ML_LEFT_F);
		assert_int_equal(ml_child(&f, root, 6), 92);
		assert_int_equal(ml_child(&f, root, 11), ML_LEFT_P);
		assert_int_equal(ml_child(&f, root, 12), ML_MERGED_P);
		/* 187's pointer has the new separator */
		assert_int_equal(ese_node_get(&f.lay, root, 11, &rn, &ei), 0);
		assert_int_equal(ese_key_copy(&rn.key, rk, sizeof(rk)),
				 cb_sep);
		assert_memory_equal(rk, sep, cb_sep);
		/* 90's pointer: the key 91's had */
		assert_int_equal(ese_node_get(&f.lay, root, 5, &rn, &ei), 0);
		assert_int_equal(ese_key_copy(&rn.key, rk, sizeof(rk)),
				 cb_sep91);
		assert_memory_equal(rk, sep91, cb_sep91);
	}
	/* partial: 18 + 7 lines on 187, 4 left on 188, links kept */
	assert_int_equal(ml_lines(&f, res, ML_LEFT_P), 25);
	assert_int_equal(ml_lines(&f, res, ML_MERGED_P), 4);
	assert_int_equal(jr_le32(page_of(res, ML_LEFT_P) + ESE_PGHDR_PGNO_NEXT),
			 ML_MERGED_P);
	assert_int_equal(jr_le32(page_of(res, ML_MERGED_P) +
				 ESE_PGHDR_PGNO_PREV), ML_LEFT_P);
	assert_false(jr_le32(page_of(res, ML_MERGED_P) + ESE_PGHDR_FLAGS) &
		     ESE_PGF_EMPTY);
	/* 187's last line is 188's input line 7, 188's first its line 8 */
	assert_int_equal(ese_node_get(&f.lay, page_of(res, ML_LEFT_P), 24, &n,
				      &ei), 0);
	assert_int_equal(ese_key_copy(&n.key, key, sizeof(key)), 5);
	assert_memory_equal(key, k7, 5);
	assert_int_equal(ese_node_get(&f.lay, page_of(res, ML_MERGED_P), 0,
				      &n, &ei), 0);
	assert_int_equal(ese_key_copy(&n.key, key, sizeof(key)), 5);
	assert_memory_equal(key, k8, 5);
	/* full: 15 + 4 lines on 90, 91 empty and unlinked */
	assert_int_equal(ml_lines(&f, res, ML_LEFT_F), 19);
	assert_int_equal(ml_lines(&f, res, ML_MERGED_F), 0);
	assert_true(jr_le32(page_of(res, ML_MERGED_F) + ESE_PGHDR_FLAGS) &
		    ESE_PGF_EMPTY);
	assert_int_equal(jr_le32(page_of(res, ML_LEFT_F) + ESE_PGHDR_PGNO_NEXT),
			 92);
	assert_int_equal(jr_le32(page_of(res, 92) + ESE_PGHDR_PGNO_PREV),
			 ML_LEFT_F);
	g_free(res);
	jr_test_check_sound(res_db);

	got = export(res_db, "lm_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_rows_equal(got, model);

	/* stage 3: the merged pages 188 and 91 reached the disk after the
	 * merges, their left siblings and the root did not: redo of the
	 * destinations works on the logged images and ends on the same
	 * pages */
	{
		char *db3 = g_build_filename(set3, "SRUDB.dat", NULL);
		char *res3_db = g_build_filename(out3, "SRUDB.dat", NULL);
		static const uint32_t same[] = {
			ROOT, ML_LEFT_P, ML_MERGED_P, 189, ML_LEFT_F,
			ML_MERGED_F, 92,
		};
		uint8_t *d3, *r3;
		size_t l3;

		res = jr_test_slurp(res_db, &lres);
		write_merge_set(&f, set3, img_p, img_f, sep, cb_sep);
		d3 = jr_test_slurp(db3, &l3);
		memcpy(page_of(d3, ML_MERGED_P), page_of(res, ML_MERGED_P), PS);
		memcpy(page_of(d3, ML_MERGED_F), page_of(res, ML_MERGED_F), PS);
		jr_test_spit(db3, d3, l3);
		recover(set3, out3, &sum);
		assert_int_equal(sum.redo.preimages_used, 2);
		assert_int_equal(sum.redo.applied[63], 2);
		r3 = jr_test_slurp(res3_db, &l3);
		for (size_t i = 0; i < G_N_ELEMENTS(same); i++)
			assert_memory_equal(page_of(r3, same[i]),
					    page_of(res, same[i]), PS);
		g_free(r3);
		g_free(d3);
		g_free(res);
		jr_test_check_sound(res3_db);
		g_free(res3_db);
		g_free(db3);
	}

	g_hash_table_unref(got);
	g_hash_table_unref(model);
	g_hash_table_unref(base);
	g_free(h_in);
	g_free(h_out);
	g_free(input);
	g_free(f.db);
	g_free(res1_db);
	g_free(res_db);
	g_free(in_db);
	g_free(out);
	g_free(set);
	g_free(out1);
	g_free(set1);
	g_free(out3);
	g_free(set3);
}

/* ---- a tree created (multiple extent), split vertically, emptied ---- */

#define NEW_OBJID 1000u
#define NEW_CPG 7u

static void new_tree_node(fixture *f, model_node *n, uint16_t procid,
			  uint32_t pgno, uint32_t root, uint16_t iline)
{
	memset(n, 0, sizeof(*n));
	n->procid = procid;
	n->trx = 0x1000u + procid;
	n->level = 1;
	n->pgno = pgno;
	n->before = dbtime_of(f, pgno);
	n->after = ++f->dbtime;
	n->iline = iline;
	n->flags = 0x04;
	n->pgno_fdp = root;
	n->objid = NEW_OBJID;
	jr_put_le64(page_of(f->db, pgno) + ESE_PGHDR_DBTIME, n->after);
}

/*
 * stage 1: CreateMultipleExtentFDP at P (OE P+1, AE P+2, 7 pages), three
 * rows inserted in the root; stage 2: a fourth row makes a vertical split
 * (the rows go to P+3, the root points to it); stage 3: EmptyTree.
 */
static void write_tree_set(fixture *f, const char *dir, uint32_t P, int stage,
			   const uint8_t *root_image)
{
	uint8_t *input = g_malloc(f->len);
	ese_logwriter *w;
	model_node n;
	jr_errinfo ei;
	uint8_t key[5], data[8] = "rowdata";

	memcpy(input, f->db, f->len);
	f->dbtime = f->hdr.dbtime;
	w = open_log(f, dir);
	ok(model_begin0(w, 50, 0x1000u + 50, &ei), &ei);
	{
		uint8_t r[56];

		memset(r, 0, sizeof(r));
		model_page_head(r, 24, 50, P, ++f->dbtime, 0, 0x1000u + 50, 1);
		r[31] = 0x04;
		jr_put_le32(r + 32, NEW_OBJID);
		jr_put_le32(r + 36, P + 1);
		jr_put_le32(r + 40, P + 2);
		jr_put_le32(r + 44, 1);
		jr_put_le32(r + 48, NEW_CPG);
		jr_put_le32(r + 52, 0x2800);
		ok(ese_logwriter_append(w, r, sizeof(r), NULL, &ei), &ei);
		for (uint32_t i = 0; i < 3; i++)
			jr_put_le64(page_of(f->db, P + i) + ESE_PGHDR_DBTIME,
				    f->dbtime);
	}
	for (uint16_t i = 0; i < 3; i++) {
		new_tree_node(f, &n, 50, P, P, i);
		row_key(i + 1u, key);
		ok(model_insert(w, &n, key, 5, 0, data, 8, &ei), &ei);
	}
	ok(model_commit0(w, 50, 0x2000u + 50, &ei), &ei);
	if (stage >= 2) {
		const uint64_t D = ++f->dbtime;
		uint8_t *img = g_malloc(PS);
		model_split sp;

		memcpy(img, root_image, PS);
		jr_put_le64(img + ESE_PGHDR_DBTIME, D);
		ok(model_begin0(w, 51, 0x1000u + 51, &ei), &ei);
		ok(model_macro(w, 11, 51, D, &ei), &ei);
		memset(&sp, 0, sizeof(sp));
		sp.procid = 51;
		sp.trx = 0x1000u + 51;
		sp.level = 1;
		sp.pgno = P;
		sp.before = dbtime_of(f, P);
		sp.after = D;
		sp.pgno_new = P + 3;
		sp.right_before = MODEL_DBTIME_NIL;
		sp.pgno_fdp = P;
		sp.objid = NEW_OBJID;
		sp.splittype = 0;
		sp.splitoper = 1;
		sp.iline_oper = 3;
		sp.iline_split = 0;
		sp.clines = 4;
		sp.new_page_flags = 0x2800 | ESE_PGF_LEAF;
		sp.split_page_flags = 0x2800 | ESE_PGF_ROOT |
				      ESE_PGF_PARENT_OF_LEAF;
		sp.iline_prefix_split = -1;
		sp.iline_prefix_new = -1;
		sp.preimage = img;
		sp.cb_preimage = PS;
		ok(model_split2(w, &sp, &ei), &ei);
		memset(&n, 0, sizeof(n));
		n.procid = 51;
		n.trx = 0x1000u + 51;
		n.level = 1;
		n.pgno = P;
		n.before = MODEL_DBTIME_NIL;
		n.after = D;
		n.iline = 3;
		n.flags = 0x04;
		n.pgno_fdp = P;
		n.objid = NEW_OBJID;
		row_key(4, key);
		ok(model_insert(w, &n, key, 5, 0, data, 8, &ei), &ei);
		ok(model_macro(w, 12, 51, D, &ei), &ei);
		ok(model_commit0(w, 51, 0x2000u + 51, &ei), &ei);
		jr_put_le64(page_of(f->db, P) + ESE_PGHDR_DBTIME, D);
		jr_put_le64(page_of(f->db, P + 3) + ESE_PGHDR_DBTIME, D);
		g_free(img);
	}
	if (stage >= 3) {
		uint8_t r[46 + 16];
		uint64_t leaf_before = dbtime_of(f, P + 3);

		ok(model_begin0(w, 52, 0x1000u + 52, &ei), &ei);
		memset(r, 0, sizeof(r));
		new_tree_node(f, &n, 52, P, P, 0);
		model_page_head(r, 48, 52, P, n.after, n.before, n.trx, 1);
		r[31] = 0x04;
		jr_put_le32(r + 36, P);
		jr_put_le32(r + 40, NEW_OBJID);
		jr_put_le16(r + 44, 16);
		jr_put_le64(r + 46, leaf_before);
		jr_put_le32(r + 54, P + 3);
		jr_put_le32(r + 58, 0x2800 | ESE_PGF_LEAF);
		ok(ese_logwriter_append(w, r, sizeof(r), NULL, &ei), &ei);
		ok(model_commit0(w, 52, 0x2000u + 52, &ei), &ei);
	}
	memcpy(f->db, input, f->len);
	g_free(input);
	close_set(f, dir, w);
}

static void test_tree_create_split_empty(void **state)
{
	fixture f;
	uint32_t P = 0, npages;
	uint8_t *res, root_img[PS];
	size_t lres;
	jr_recovery_summary sum;
	jr_errinfo ei;
	ese_line ext;
	ese_node n;

	(void)state;
	setup_fixture(&f);
	npages = (uint32_t)(f.len / PS - 2);
	for (uint32_t pg = npages - NEW_CPG + 1; pg > 1 && !P; pg--) {
		bool blank = true;

		for (uint32_t i = 0; i < NEW_CPG && blank; i++)
			blank = ese_page_is_blank(&f.lay, page_of(f.db, pg + i));
		if (blank)
			P = pg;
	}
	assert_int_not_equal(P, 0);

	for (int stage = 1; stage <= 3; stage++) {
		char name[32], *set, *out, *db;

		snprintf(name, sizeof(name), "tree_set%d", stage);
		set = jr_test_tmpdir(name);
		snprintf(name, sizeof(name), "tree_out%d", stage);
		out = jr_test_tmpdir(name);
		db = g_build_filename(out, "SRUDB.dat", NULL);
		write_tree_set(&f, set, P, stage, root_img);
		recover(set, out, &sum);
		jr_test_check_sound(db);
		res = jr_test_slurp(db, &lres);
		if (stage == 1) {
			const uint8_t *oe = page_of(res, P + 1);
			const uint8_t *ae = page_of(res, P + 2);
			uint8_t k[4];

			assert_int_equal(sum.redo.applied[24], 1);
			assert_int_equal(jr_le32(page_of(res, P) +
						 ESE_PGHDR_FLAGS) &
					 (ESE_PGF_ROOT | ESE_PGF_LEAF),
					 ESE_PGF_ROOT | ESE_PGF_LEAF);
			assert_int_equal(ese_page_external_header(
						 &f.lay, page_of(res, P), &ext,
						 &ei), 0);
			assert_int_equal(ext.cb, 16);
			assert_int_equal(jr_le32(ext.data), NEW_CPG);
			assert_int_equal(jr_le32(ext.data + 4), 1);
			assert_int_equal(ext.data[8], 0x01);
			assert_int_equal(jr_le32(ext.data + 12), P + 1);
			/* one extent each: pgnoLast P+6 (big-endian key),
			 * 7 pages owned, 4 available */
			k[0] = (uint8_t)((P + 6) >> 24);
			k[1] = (uint8_t)((P + 6) >> 16);
			k[2] = (uint8_t)((P + 6) >> 8);
			k[3] = (uint8_t)(P + 6);
			assert_true(jr_le32(oe + ESE_PGHDR_FLAGS) &
				    ESE_PGF_SPACE_TREE);
			assert_int_equal(ese_page_line_count(&f.lay, oe), 1);
			assert_int_equal(ese_node_get(&f.lay, oe, 0, &n, &ei), 0);
			assert_int_equal(n.key.cb_prefix + n.key.cb_suffix, 4);
			assert_memory_equal(n.key.suffix, k, 4);
			assert_int_equal(jr_le32(n.data), NEW_CPG);
			assert_int_equal(ese_page_line_count(&f.lay, ae), 1);
			assert_int_equal(ese_node_get(&f.lay, ae, 0, &n, &ei), 0);
			assert_memory_equal(n.key.suffix, k, 4);
			assert_int_equal(jr_le32(n.data), NEW_CPG - 3);
			assert_int_equal(ese_page_line_count(&f.lay,
							     page_of(res, P)),
					 3);
			memcpy(root_img, page_of(res, P), PS);
		} else if (stage == 2) {
			assert_int_equal(sum.redo.applied[62], 1);
			assert_int_equal(ese_page_line_count(&f.lay,
							     page_of(res, P)),
					 1);
			assert_int_equal(ese_node_get(&f.lay, page_of(res, P), 0,
						      &n, &ei), 0);
			assert_int_equal(jr_le32(n.data), P + 3);
			assert_int_equal(ese_page_line_count(
						 &f.lay, page_of(res, P + 3)), 4);
			/* the root keeps its space header */
			assert_int_equal(ese_page_external_header(
						 &f.lay, page_of(res, P), &ext,
						 &ei), 0);
			assert_int_equal(jr_le32(ext.data + 12), P + 1);
		} else {
			const uint8_t *r = page_of(res, P);

			assert_int_equal(sum.redo.applied[48], 1);
			assert_int_equal(ese_page_line_count(&f.lay, r), 0);
			assert_int_equal(jr_le32(r + ESE_PGHDR_FLAGS) &
					 (ESE_PGF_LEAF | ESE_PGF_PARENT_OF_LEAF),
					 ESE_PGF_LEAF);
			assert_int_equal(ese_page_line_count(
						 &f.lay, page_of(res, P + 3)), 0);
			assert_true(jr_le32(page_of(res, P + 3) +
					    ESE_PGHDR_FLAGS) & ESE_PGF_EMPTY);
			assert_int_equal(jr_le64(page_of(res, P + 3) +
						 ESE_PGHDR_DBTIME), f.dbtime);
		}
		g_free(res);
		g_free(db);
		g_free(out);
		g_free(set);
	}
	g_free(f.db);
}

/* ---- the workload restored from a streaming backup ---- */

/* The copy was taken while GEN was the current generation: its pages are
 * the input's (older than every record of the log) and it needs GEN only;
 * GEN+1 was written after the backup ended. */
static void copy_needs_gen(ese_dbheader *h, void *ctx)
{
	(void)ctx;
	h->gen_min_required = GEN;
	h->gen_max_required = GEN;
}

/* The instance's checkpoint (Windows' own file of the log sequence the
 * writer continues), moved to GEN+1 as the instance that kept running
 * would have it. */
static void write_target_checkpoint(const char *dir)
{
	char *src = jr_test_data("srum-win10-clean-b", "SRU.chk");
	char *dst = g_build_filename(dir, "SRU.chk", NULL);
	ese_checkpoint_read_result r;
	jr_errinfo ei;
	uint8_t buf[ESE_CHECKPOINT_FILE_SIZE];

	assert_int_equal(ese_checkpoint_read_file(src, &r, &ei), 0);
	r.chk.lgpos_checkpoint.gen = GEN + 1;
	r.chk.lgpos_checkpoint.isec = 8;
	r.chk.lgpos_checkpoint.ib = 0;
	memset(&r.chk.lgpos_db_consistency, 0,
	       sizeof(r.chk.lgpos_db_consistency));
	ese_checkpoint_write_pair(&r.chk, buf);
	jr_test_spit(dst, buf, sizeof(buf));
	g_free(dst);
	g_free(src);
}

/* `jetrestore check DB` of the build (make check sets JR_BUILDDIR);
 * returns its exit status, or -1 when the binary is not known. */
static int cli_check(const char *db)
{
	const char *bd = g_getenv("JR_BUILDDIR");
	char *jr, *out = NULL, *err = NULL;
	int status = -1;

	if (!bd)
		return -1;
	jr = g_build_filename(bd, "src", "jetrestore", NULL);
	{
		char *argv[] = { jr, (char *)"check", (char *)db, NULL };

		if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL,
				  NULL, &out, &err, &status, NULL))
			fail_msg("cannot run %s", jr);
	}
	if (!g_spawn_check_wait_status(status, NULL))
		fprintf(stderr, "jetrestore check:\n%s%s", out, err);
	g_free(out);
	g_free(err);
	g_free(jr);
	return g_spawn_check_wait_status(status, NULL) ? 0 : 1;
}

/*
 * The whole workload as a streaming backup: the copy is the input
 * database (pages older than the logs) with bkinfoFullCur { genLow GEN }
 * and the trailer; the backup holds log GEN only (genLow = genHigh = GEN);
 * GEN+1 is in the target instance's log directory, its checkpoint in a
 * directory of its own. JetExternalRestore2 must roll forward through
 * both and undo T6, giving what soft recovery gives: the model's rows.
 */
static void test_backup_restore_read_by_libesedb(void **state)
{
	char *root = jr_test_tmpdir("model_bk");
	char *set1 = g_build_filename(root, "set1", NULL);
	char *out1 = g_build_filename(root, "out1", NULL);
	char *set = g_build_filename(root, "set", NULL);
	char *soft = g_build_filename(root, "soft", NULL);
	char *bk = g_build_filename(root, "backup", NULL);
	char *tlog = g_build_filename(root, "tlog", NULL);
	char *tchk = g_build_filename(root, "tchk", NULL);
	char *out = g_build_filename(root, "out", NULL);
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *soft_db = g_build_filename(soft, "SRUDB.dat", NULL);
	char *set_db = g_build_filename(set, "SRUDB.dat", NULL);
	char *bk_db = g_build_filename(bk, "SRUDB.dat", NULL);
	char *h_in, *h_out, *hash0, *hash1;
	char name[64];
	GHashTable *base, *got, *model;
	ese_dbheader_read_result hr;
	jr_recovery_summary sum;
	jr_bkset_params bp;
	ese_bkinfo bki;
	JET_LOGINFO li;
	jr_errinfo ei;
	fixture f;
	jr_test_status_log *s = &jr_test_status;
	uint8_t *res, *sres, *copy, img[PS];
	size_t lres, lsoft, lcopy;
	unsigned nbk, nbk1, progress = 0;
	int cli;

	(void)state;
	const char *dirs[] = { set1, out1, set, soft, bk, tlog, tchk, out };
	for (unsigned i = 0; i < G_N_ELEMENTS(dirs); i++)
		assert_int_equal(g_mkdir(dirs[i], 0755), 0);
	setup_fixture(&f);
	base = export(in_db, "model_bk_exp_in", &h_in);
	assert_int_equal(g_hash_table_size(base), NROWS);

	/* the workload's logs (GEN, GEN+1) beside the starting database */
	n1_image(&f, set1, out1, img);
	write_set(&f, set, true, img);
	assert_int_equal(f.gen_last, GEN + 1);
	jr_errinfo_clear(&ei);
	if (jr_bkset_edit_db_header(set_db, copy_needs_gen, NULL, &ei) < 0)
		fail_msg("edit: %d %s", ei.err, ei.detail);

	/* the backup: the copy + log GEN; GEN+1 to the target instance */
	memset(&bp, 0, sizeof(bp));
	bp.set_dir = set;
	bp.db_name = "SRUDB.dat";
	bp.base = "SRU";
	bp.backup_dir = bk;
	bp.gen_low = GEN;
	bp.gen_high = GEN;
	bp.target_dir = tlog;
	if (jr_bkset_build(&bp, &bki, &ei) < 0)
		fail_msg("backup set: %d %s", ei.err, ei.detail);
	assert_int_equal(bki.gen_low, GEN);
	assert_int_equal(bki.gen_high, GEN);
	write_target_checkpoint(tchk);
	jr_bkset_log_name("SRU", 5, GEN, name, sizeof(name));
	assert_string_equal(name, "SRU00040.log");
	{
		char *p = g_build_filename(bk, name, NULL);

		assert_true(g_file_test(p, G_FILE_TEST_IS_REGULAR));
		g_free(p);
		/* GEN+1, the instance's current log */
		p = g_build_filename(tlog, "SRU.log", NULL);
		assert_true(g_file_test(p, G_FILE_TEST_IS_REGULAR));
		g_free(p);
	}
	/* the copy: the input's pages, one trailer page more, in backup */
	copy = jr_test_slurp(bk_db, &lcopy);
	assert_int_equal(lcopy, f.len + PS);
	assert_memory_equal(copy + 2 * PS, f.db + 2 * PS, f.len - 2 * PS);
	g_free(copy);
	assert_int_equal(ese_dbheader_read_file(bk_db, &hr, &ei), 0);
	assert_int_equal(hr.hdr.state, JET_dbstateDirtyShutdown);
	assert_int_equal(hr.hdr.bk_full_cur.gen_low, GEN);
	assert_int_equal(hr.hdr.bk_full_cur.gen_high, 0);
	hash0 = jr_test_dir_hash(bk, &nbk);
	assert_int_equal(nbk, 2);

	/* the restore, through the public call */
	memset(&li, 0, sizeof(li));
	li.cbSize = sizeof(li);
	li.ulGenLow = GEN;
	li.ulGenHigh = GEN;
	g_strlcpy(li.szBaseName, "SRU", sizeof(li.szBaseName));
	memset(s, 0, sizeof(*s));
	assert_int_equal(JetExternalRestore2(out, out, NULL, 0, bk, &li, NULL,
					     tlog, tchk, jr_test_record_status),
			 JET_errSuccess);
	assert_true(s->n <= 1024);
	hash1 = jr_test_dir_hash(bk, &nbk1);
	assert_string_equal(hash1, hash0);
	assert_int_equal(nbk1, 2);

	/* begin, monotonic progress to the total, complete */
	progress = jr_test_status_sequence(s);
	assert_true(progress >= 2);
	assert_true(s->done[s->n - 2] > s->done[1]);
	fprintf(stderr, "restore: %u status calls, %u progress, %u..%u of "
		"%u\n", s->n, progress, s->done[1], s->done[s->n - 2],
		s->total[1]);

	/* the header as ESE leaves a hard restore */
	assert_int_equal(ese_dbheader_read_file(res_db, &hr, &ei), 0);
	assert_int_equal(hr.hdr.state, JET_dbstateCleanShutdown);
	assert_true(ese_bkinfo_is_zero(&hr.hdr.bk_full_cur));
	assert_true(ese_bkinfo_is_zero(&hr.hdr.bk_snapshot_cur));
	assert_int_equal(hr.hdr.dbtime, f.dbtime + 2);

	/* every page as soft recovery of the same logs makes it */
	recover(set, soft, &sum);
	assert_int_equal(sum.gen_last, GEN + 1);
	assert_int_equal(sum.redo.trx_undone, 1);
	res = jr_test_slurp(res_db, &lres);
	sres = jr_test_slurp(soft_db, &lsoft);
	assert_int_equal(lsoft, f.len);
	/* the trailer's page stays, zeroed, as in ESE's restored file */
	assert_int_equal(lres, f.len + PS);
	for (size_t i = f.len; i < lres; i++)
		if (res[i])
			fail_msg("trailer byte %zu not zero", i - f.len);
	assert_memory_equal(res + 2 * PS, sres + 2 * PS, f.len - 2 * PS);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, f.n2)),
			 N1_ROWS / 2 + 5);
	assert_int_equal(ese_page_line_count(&f.lay, page_of(res, ROOT)), 25);
	g_free(sres);
	g_free(res);

	jr_test_check_sound(res_db);
	cli = cli_check(res_db);
	if (cli >= 0)
		assert_int_equal(cli, 0);

	/* libesedb's reading of the restored database is the model */
	model = workload_model(&f, base);
	got = export(res_db, "model_bk_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_rows_are_model(got, model, base);

	/* the same backup without the target instance: log GEN only, with
	 * T1..T3; T5 and the cleanup's Delete (GEN+1) are not replayed, so
	 * the logs in the target directory are what the restore needed */
	{
		char *out_b = g_build_filename(root, "out_b", NULL);
		char *db_b = g_build_filename(out_b, "SRUDB.dat", NULL);
		char *h_b;
		GHashTable *got_b;

		assert_int_equal(g_mkdir(out_b, 0755), 0);
		assert_int_equal(JetExternalRestore2(out_b, out_b, NULL, 0, bk,
						     &li, NULL, NULL, NULL,
						     NULL),
				 JET_errSuccess);
		got_b = export(db_b, "model_bk_exp_b", &h_b);
		/* 714 - 704 + 715..754 */
		assert_int_equal(g_hash_table_size(got_b), NROWS - 1 + 40);
		assert_string_equal(g_hash_table_lookup(got_b, "754"),
				    g_hash_table_lookup(model, "754"));
		assert_string_equal(g_hash_table_lookup(got_b, "700"),
				    g_hash_table_lookup(model, "700"));
		assert_null(g_hash_table_lookup(got_b, "755"));
		assert_null(g_hash_table_lookup(got_b, "704"));
		g_hash_table_unref(got_b);
		g_free(h_b);
		g_free(db_b);
		g_free(out_b);
	}
	g_free(hash1);
	hash1 = jr_test_dir_hash(bk, &nbk1);
	assert_string_equal(hash1, hash0);

	g_hash_table_unref(got);
	g_hash_table_unref(model);
	g_hash_table_unref(base);
	g_free(hash0);
	g_free(hash1);
	g_free(h_in);
	g_free(h_out);
	g_free(f.db);
	for (unsigned i = 0; i < G_N_ELEMENTS(dirs); i++)
		g_free((char *)dirs[i]);
	g_free(root);
	g_free(in_db);
	g_free(res_db);
	g_free(soft_db);
	g_free(set_db);
	g_free(bk_db);
}

/* ---- a table's first separated long value ---- */

/*
 * ESE stores a long value apart from its record when it does not fit in
 * line; the table's first one creates the LV tree (ErrCATIAddTableLV):
 * a single-extent FDP of one page (cpgLVTree) under the table, catalog
 * rows (Type 4 = LongValue, name "LV", SpaceUsage 100, Flags 0, Pages 1)
 * in MSysObjects and MSysObjectsShadow, the LVROOT node (key: the LID
 * big-endian; data: reference count, size) and the chunk nodes (key: LID
 * + offset, big-endian). The record's tagged column holds the header
 * byte 0x05 (long value | separated) and the LID (4 bytes, little-endian).
 */
#define LV_OBJID 1001u
#define LV_LID 1u
#define LV_SIZE 3000u
#define LV_CHUNK 1000u
#define LV_ROW 715u

/* A node record on pgno of tree fdp/objid; the page's dbtime (kept in
 * f->db while writing) moves on. */
static model_node lv_node(fixture *f, uint16_t procid, uint32_t pgno,
			  uint32_t fdp, uint32_t objid, uint16_t iline)
{
	model_node n;

	memset(&n, 0, sizeof(n));
	n.procid = procid;
	n.trx = 0x1000u + procid;
	n.level = 1;
	n.pgno = pgno;
	n.before = dbtime_of(f, pgno);
	n.after = ++f->dbtime;
	n.iline = iline;
	n.flags = 0x05;
	n.rceid = ++f->rceid;
	n.pgno_fdp = fdp;
	n.objid = objid;
	jr_put_le64(page_of(f->db, pgno) + ESE_PGHDR_DBTIME, n.after);
	return n;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint8_t lv_byte(uint32_t i)
{
	return (uint8_t)((i * 7u + 3u) % 251u);
}

/* MSysObjects key of (objidTable, type, id): each column 7F + its
 * big-endian value, sign bit flipped. */
static void catalog_key(uint32_t table, uint16_t type, uint32_t id,
			uint8_t k[13])
{
	k[0] = 0x7f;
	put_be32(k + 1, table ^ 0x80000000u);
	k[5] = 0x7f;
	k[6] = (uint8_t)((type ^ 0x8000u) >> 8);
	k[7] = (uint8_t)type;
	k[8] = 0x7f;
	put_be32(k + 9, id ^ 0x80000000u);
}

static void write_lv_set(fixture *f, const char *dir, uint32_t L)
{
	static const struct {
		uint32_t pgno, fdp, objid;
	} cat[] = { { 14, 4, 2 }, { 28, 24, 3 } };
	uint8_t *input = g_malloc(f->len);
	ese_logwriter *w;
	model_node n;
	jr_errinfo ei;
	uint8_t key[13], rec[64], chunk[LV_CHUNK];

	memcpy(input, f->db, f->len);
	f->dbtime = f->hdr.dbtime;
	f->rceid = 0;
	w = open_log(f, dir);
	ok(model_begin0(w, 30, 0x1000u + 30, &ei), &ei);
	{
		uint8_t r[48];

		memset(r, 0, sizeof(r));
		model_page_head(r, 25, 30, L, ++f->dbtime, 0, 0x1000u + 30, 1);
		r[31] = 0x04;
		jr_put_le32(r + 32, LV_OBJID);
		jr_put_le32(r + 36, ROOT);
		jr_put_le32(r + 40, 1);
		jr_put_le32(r + 44, 0x2800 | ESE_PGF_LONG_VALUE);
		ok(ese_logwriter_append(w, r, sizeof(r), NULL, &ei), &ei);
		jr_put_le64(page_of(f->db, L) + ESE_PGHDR_DBTIME, f->dbtime);
	}
	/* the catalog rows, after the table's last index row (line 18) */
	memset(rec, 0, sizeof(rec));
	rec[0] = 7;
	rec[1] = 0x80;
	jr_put_le16(rec + 2, 31);
	jr_put_le32(rec + 4, OBJID);
	jr_put_le16(rec + 8, 4);
	jr_put_le32(rec + 10, LV_OBJID);
	jr_put_le32(rec + 14, L);
	jr_put_le32(rec + 18, 100);
	jr_put_le32(rec + 22, 0);
	jr_put_le32(rec + 26, 1);
	rec[30] = 0x80;
	jr_put_le16(rec + 31, 2);
	rec[33] = 'L';
	rec[34] = 'V';
	catalog_key(OBJID, 4, LV_OBJID, key);
	for (size_t i = 0; i < G_N_ELEMENTS(cat); i++) {
		n = lv_node(f, 30, cat[i].pgno, cat[i].fdp, cat[i].objid, 19);
		ok(model_insert(w, &n, key, 13, 4, rec, 35, &ei), &ei);
	}
	/* LVROOT, then the chunks */
	put_be32(key, LV_LID);
	jr_put_le32(rec, 1);
	jr_put_le32(rec + 4, LV_SIZE);
	n = lv_node(f, 30, L, L, LV_OBJID, 0);
	ok(model_insert(w, &n, key, 4, 0, rec, 8, &ei), &ei);
	for (uint32_t off = 0; off < LV_SIZE; off += LV_CHUNK) {
		for (uint32_t i = 0; i < LV_CHUNK; i++)
			chunk[i] = lv_byte(off + i);
		put_be32(key + 4, off);
		n = lv_node(f, 30, L, L, LV_OBJID,
			    (uint16_t)(1 + off / LV_CHUNK));
		ok(model_insert(w, &n, key, 8, 0, chunk, LV_CHUNK, &ei), &ei);
	}
	/* the row: row 702's fixed part, IdBlob separated */
	memcpy(rec, f->tmpl, 10);
	rec[4] = (uint8_t)(LV_ROW % 5);
	jr_put_le32(rec + 5, LV_ROW);
	jr_put_le16(rec + 10, 256);
	jr_put_le16(rec + 12, 0x4004);
	rec[14] = 0x05;
	jr_put_le32(rec + 15, LV_LID);
	row_key(LV_ROW, key);
	n = lv_node(f, 30, f->leaf, ROOT, OBJID, (uint16_t)f->leaf_lines);
	{
		uint16_t common = 0;

		while (common < f->cb_prefix && common < 5 &&
		       key[common] == f->prefix[common])
			common++;
		if (common < 3)
			common = 0;
		ok(model_insert(w, &n, key, 5, common, rec, 19, &ei), &ei);
	}
	ok(model_commit0(w, 30, 0x2000u + 30, &ei), &ei);
	memcpy(f->db, input, f->len);
	g_free(input);
	close_set(f, dir, w);
}

/*
 * The long value of row 715 in a recovered database, read as ESE reads it:
 * the LV object's catalog row (after the table's last index row on the
 * catalog page cat_pg) gives the tree's FDP; the row's tagged IdBlob
 * (header 0x05) gives the LID; the LVROOT's size and the chunks (keys
 * LID + offset, in order) give the bytes. Returns a static buffer.
 */
static const uint8_t *lv_read(fixture *f, const uint8_t *db, uint32_t cat_pg)
{
	static uint8_t buf[LV_SIZE];
	const uint8_t *p;
	uint8_t key[16], want[13];
	uint32_t fdp, lid, size, got = 0;
	unsigned lines;
	jr_errinfo ei;
	ese_node n;

	catalog_key(OBJID, 4, LV_OBJID, want);
	assert_int_equal(ese_node_get(&f->lay, page_of((uint8_t *)db, cat_pg), 19,
				      &n, &ei), 0);
	assert_int_equal(ese_key_copy(&n.key, key, sizeof(key)), 13);
	assert_memory_equal(key, want, 13);
	assert_int_equal(n.cb_data, 35);
	assert_int_equal(jr_le16(n.data + 8), 4);          /* Type LongValue */
	assert_memory_equal(n.data + 33, "LV", 2);
	fdp = jr_le32(n.data + 14);
	p = page_of((uint8_t *)db, fdp);
	assert_int_equal(jr_le32(p + ESE_PGHDR_OBJID_FDP), LV_OBJID);
	assert_true(jr_le32(p + ESE_PGHDR_FLAGS) & ESE_PGF_LONG_VALUE);
	assert_true(jr_le32(p + ESE_PGHDR_FLAGS) & ESE_PGF_ROOT);

	/* the row (the last line of the table's last leaf) */
	lines = ese_page_line_count(&f->lay, page_of((uint8_t *)db, f->leaf));
	assert_int_equal(ese_node_get(&f->lay, page_of((uint8_t *)db, f->leaf),
				      lines - 1, &n, &ei), 0);
	assert_int_equal(n.cb_data, 19);
	assert_int_equal(jr_le32(n.data + 5), LV_ROW);
	assert_int_equal(jr_le16(n.data + 10), 256);
	assert_int_equal(n.data[14], 0x05);
	lid = jr_le32(n.data + 15);

	lines = ese_page_line_count(&f->lay, p);
	assert_int_equal(lines, 1 + LV_SIZE / LV_CHUNK);
	assert_int_equal(ese_node_get(&f->lay, p, 0, &n, &ei), 0);
	assert_int_equal(ese_key_copy(&n.key, key, sizeof(key)), 4);
	assert_int_equal(be32_at(key), lid);
	assert_int_equal(n.cb_data, 8);
	assert_int_equal(jr_le32(n.data), 1);               /* references */
	size = jr_le32(n.data + 4);
	assert_int_equal(size, LV_SIZE);
	for (unsigned i = 1; i < lines; i++) {
		assert_int_equal(ese_node_get(&f->lay, p, i, &n, &ei), 0);
		assert_int_equal(ese_key_copy(&n.key, key, sizeof(key)), 8);
		assert_int_equal(be32_at(key), lid);
		assert_int_equal(be32_at(key + 4), got);
		assert_true(got + n.cb_data <= size);
		memcpy(buf + got, n.data, n.cb_data);
		got += n.cb_data;
	}
	assert_int_equal(got, size);
	return buf;
}

static void test_long_value_tree_created(void **state)
{
	char *set = jr_test_tmpdir("lv_set");
	char *out = jr_test_tmpdir("lv_out");
	char *in_db = jr_test_data("srum-win10-clean-b", "SRUDB.dat");
	char *res_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *h_in, *h_out;
	GHashTable *base, *got;
	jr_recovery_summary sum;
	jr_errinfo ei;
	fixture f;
	uint32_t L = 0, npages;
	uint8_t *res, lv[LV_SIZE], key[13];
	size_t lres;
	ese_node n;

	(void)state;
	setup_fixture(&f);
	npages = (uint32_t)(f.len / PS - 2);
	for (uint32_t pg = npages; pg > 1 && !L; pg--)
		if (ese_page_is_blank(&f.lay, page_of(f.db, pg)))
			L = pg;
	assert_int_not_equal(L, 0);
	/* the catalog rows go after the table's index IdTypeIdBlob */
	catalog_key(OBJID, 3, 9, key);
	for (uint32_t pg = 14; pg <= 28; pg += 14) {
		uint8_t k[32];

		assert_int_equal(ese_node_get(&f.lay, page_of(f.db, pg), 18, &n,
					      &ei), 0);
		assert_int_equal(ese_key_copy(&n.key, k, sizeof(k)), 13);
		assert_memory_equal(k, key, 13);
	}

	write_lv_set(&f, set, L);
	recover(set, out, &sum);
	assert_int_equal(sum.redo.applied[25], 1);
	assert_int_equal(sum.redo.applied[29], 2 + 1 + LV_SIZE / LV_CHUNK + 1);
	jr_test_check_sound(res_db);
	res = jr_test_slurp(res_db, &lres);
	for (uint32_t i = 0; i < LV_SIZE; i++)
		lv[i] = lv_byte(i);
	assert_memory_equal(lv_read(&f, res, 14), lv, LV_SIZE);
	assert_memory_equal(lv_read(&f, res, 28), lv, LV_SIZE);
	g_free(res);

	/* libesedb: the catalog and every other row as before, the new row
	 * with its fixed columns. (libesedb 20181229, the one packaged, looks
	 * up no separated long value: its LV key lookup finds no node, see
	 * libyal/libesedb#47, so IdBlob reads as empty there.) */
	base = export(in_db, "lv_exp_in", &h_in);
	got = export(res_db, "lv_exp_out", &h_out);
	assert_string_equal(h_out, h_in);
	assert_int_equal(g_hash_table_size(got), NROWS + 1);
	assert_non_null(g_hash_table_lookup(got, "715"));
	assert_true(g_str_has_prefix(g_hash_table_lookup(got, "715"),
				     "0\t715\t"));
	g_hash_table_remove(got, "715");
	assert_rows_equal(got, base);

	g_hash_table_unref(got);
	g_hash_table_unref(base);
	g_free(h_in);
	g_free(h_out);
	g_free(f.db);
	g_free(res_db);
	g_free(in_db);
	g_free(out);
	g_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_read_by_libesedb),
		cmocka_unit_test(test_backup_restore_read_by_libesedb),
		cmocka_unit_test(test_root_move_read_by_libesedb),
		cmocka_unit_test(test_merge_and_deltas_read_by_libesedb),
		cmocka_unit_test(test_left_merges_read_by_libesedb),
		cmocka_unit_test(test_tree_create_split_empty),
		cmocka_unit_test(test_long_value_tree_created),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
