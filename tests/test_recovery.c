/*
 * test_recovery.c - soft recovery of the real Windows sets, end to end.
 *
 *   - srum-win11-dirty recovers to a CleanShutdown database whose data
 *     pages are byte-identical to the input (Windows had written every
 *     logged change), whose header carries ESE's clean end state, that
 *     passes the structural check, and that a second run reproduces byte
 *     for byte; the input is not touched.
 *   - srum-win10-clean-a/-b replayed from their first generation change no
 *     data page: every page record is skipped by dbtime.
 *   - Rebuild: pages born inside the log window are erased in a copy and
 *     the logs replayed from their first generation; every rebuilt page
 *     must equal Windows' page (its flush type, which ESE takes from the
 *     flush map when it writes a page, copied over; checksum recomputed
 *     and compared).
 *   - Bad input: a gap in the generations, another log signature, another
 *     database signature, a corrupt segment, required generations missing:
 *     the JET_ERR and nothing at the output path.
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

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "ese/logreader.h"
#include "recover/dbcheck.h"
#include "recover/lrdecode.h"
#include "recover/recovery.h"
#include "testutil.h"

#define PS 4096u

static JET_ERR recover(const char *db, const char *out, uint32_t from,
		       jr_recovery_summary *sum, jr_errinfo *ei)
{
	jr_recovery_opts o;

	jr_recovery_opts_init(&o);
	o.db_path = db;
	o.out_dir = out;
	o.replay_from = from;
	o.cache_bytes = 1u << 20; /* small: pages go through eviction */
	jr_errinfo_clear(ei);
	return jr_recover_database(&o, sum, ei);
}

/* Number of data pages (after the two header pages) that differ. */
static unsigned data_pages_differing(const uint8_t *a, size_t la,
				     const uint8_t *b, size_t lb)
{
	unsigned n = 0;

	assert_int_equal(la, lb);
	for (size_t off = 2 * PS; off + PS <= la; off += PS)
		if (memcmp(a + off, b + off, PS) != 0)
			n++;
	return n;
}

static uint64_t total(const uint64_t *v)
{
	uint64_t t = 0;

	for (int i = 0; i < 256; i++)
		t += v[i];
	return t;
}

/* ---- srum-win11-dirty ---- */

static void test_win11_dirty_recovers_clean(void **state)
{
	char *in = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	char *out = jr_test_tmpdir("rec_w11");
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	uint8_t *before, *after, *res;
	size_t lb, la, lr;
	jr_recovery_summary sum;
	ese_dbheader_read_result hr;
	jr_dbcheck_result chk;
	jr_errinfo ei;

	(void)state;
	before = jr_test_slurp(in, &lb);
	assert_int_equal(recover(in, out, 0, &sum, &ei), 0);
	assert_false(sum.was_clean);
	assert_int_equal(sum.state_before, JET_dbstateDirtyShutdown);
	assert_string_equal(sum.base, "SRU");
	/* replay from the checkpoint (0x5C,8,0) to the end of SRU.log */
	assert_int_equal(sum.gen_first, 0x5C);
	assert_int_equal(sum.gen_last, 0x5C);
	assert_int_equal(sum.lgpos_start.gen, 0x5C);
	assert_int_equal(sum.lgpos_start.isec, 8);
	assert_int_equal(sum.lgpos_start.ib, 0);
	assert_int_equal(sum.lgpos_end.gen, 0x5C);
	assert_int_equal(sum.lgpos_end.isec, 9);
	assert_int_equal(sum.lgpos_end.ib, 0x2F7);
	/* Term2, Init2, AttachDB: nothing for the pages */
	assert_int_equal(sum.redo.records, 3);
	assert_int_equal(total(sum.redo.applied), 0);
	assert_int_equal(sum.redo.pages_redone, 0);
	assert_int_equal(sum.redo.trx_undone, 0);
	assert_string_equal(sum.out_path, out_db);

	/* the input is untouched, only the recovered file is in out */
	after = jr_test_slurp(in, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(before, after, lb);
	assert_int_equal(jr_test_dir_count(out), 1);

	/* data pages byte-identical, header clean */
	res = jr_test_slurp(out_db, &lr);
	assert_int_equal(data_pages_differing(before, lb, res, lr), 0);
	assert_int_equal(ese_dbheader_read(res, lr, &hr, &ei), 0);
	assert_int_equal(hr.status, ESE_SHADOW_OK);
	assert_int_equal(hr.hdr.state, JET_dbstateCleanShutdown);
	assert_int_equal(hr.hdr.gen_min_required, 0);
	assert_int_equal(hr.hdr.gen_max_required, 0);
	assert_int_equal(hr.hdr.gen_min_consistent, 0);
	assert_int_equal(hr.hdr.gen_max_committed, 0);
	assert_int_equal(hr.hdr.dbtime, 0xab4b);
	assert_int_equal(hr.hdr.lgpos_consistent.gen, 0x5C);
	assert_int_equal(hr.hdr.lgpos_consistent.isec, 9);
	assert_int_equal(hr.hdr.lgpos_consistent.ib, 0x2F7);
	assert_int_equal(ese_lgpos_cmp(&hr.hdr.lgpos_detach,
				       &hr.hdr.lgpos_consistent), 0);
	assert_true(ese_logtime_is_set(&hr.hdr.logtime_consistent));
	assert_false(ese_logtime_is_set(&hr.hdr.logtime_gen_max_required));

	/* structurally sound, and so was the input */
	assert_int_equal(jr_dbcheck(out_db, NULL, &chk, &ei), 0);
	assert_int_equal(chk.problems.total, 0);
	assert_int_equal(chk.state, JET_dbstateCleanShutdown);
	assert_true(chk.trees > 10);
	jr_dbcheck_free(&chk);

	g_free(before);
	g_free(after);
	g_free(res);
	g_free(out_db);
	g_free(out);
	g_free(in);
}

static void test_win11_idempotent(void **state)
{
	char *in = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	char *o1 = jr_test_tmpdir("rec_w11_a");
	char *o2 = jr_test_tmpdir("rec_w11_b");
	char *f1 = g_build_filename(o1, "SRUDB.dat", NULL);
	char *f2 = g_build_filename(o2, "SRUDB.dat", NULL);
	jr_recovery_summary sum;
	jr_errinfo ei;
	uint8_t *a, *b, *c;
	size_t la, lb, lc;

	(void)state;
	assert_int_equal(recover(in, o1, 0, &sum, &ei), 0);
	assert_int_equal(recover(in, o2, 0, &sum, &ei), 0);
	a = jr_test_slurp(f1, &la);
	b = jr_test_slurp(f2, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* again into the same directory: replaced by the same bytes */
	assert_int_equal(recover(in, o1, 0, &sum, &ei), 0);
	c = jr_test_slurp(f1, &lc);
	assert_int_equal(lc, la);
	assert_memory_equal(a, c, la);
	assert_int_equal(jr_test_dir_count(o1), 1);
	g_free(a);
	g_free(b);
	g_free(c);
	g_free(f1);
	g_free(f2);
	g_free(o1);
	g_free(o2);
	g_free(in);
}

/* ---- libesedb reads the recovered database like the input ---- */

/* libesedb (20181229) checks a header's XOR checksum over its first 668
 * bytes only, so it refuses Windows' dirty header (fields past byte 672
 * are set): give the input copy that checksum so libesedb can read its
 * tables. Only bytes 0..3 of the two header copies change. */
static void stamp_libesedb_checksum(uint8_t *buf)
{
	for (int copy = 0; copy < 2; copy++) {
		uint8_t *h = buf + (size_t)copy * PS;
		uint32_t x = 0x89abcdefu;

		for (size_t i = 4; i < 668; i += 4)
			x ^= (uint32_t)h[i] | (uint32_t)h[i + 1] << 8 |
			     (uint32_t)h[i + 2] << 16 | (uint32_t)h[i + 3] << 24;
		h[0] = (uint8_t)x;
		h[1] = (uint8_t)(x >> 8);
		h[2] = (uint8_t)(x >> 16);
		h[3] = (uint8_t)(x >> 24);
	}
}

/* Run esedbexport on db into dir; the exported tables as a table of
 * "name rows" lines (g_free). */
static char *export_tables(const char *db, const char *dir)
{
	char *target = g_build_filename(dir, "x", NULL);
	char *argv[] = { "esedbexport", "-t", target, (char *)db, NULL };
	char *expdir = g_strconcat(target, ".export", NULL);
	GString *s = g_string_new(NULL);
	char **names;
	gint status = -1;

	assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
				 G_SPAWN_STDOUT_TO_DEV_NULL |
				 G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
				 NULL, &status, NULL));
	assert_int_equal(status, 0);
	names = jr_test_dir_names(expdir);
	for (guint i = 0; names[i]; i++) {
		const char *n = names[i];
		char *p = g_build_filename(expdir, n, NULL);
		size_t len;
		uint8_t *buf = jr_test_slurp(p, &len);
		unsigned lines = 0;

		for (size_t k = 0; k < len; k++)
			lines += buf[k] == '\n';
		g_string_append_printf(s, "%s %u\n", n, lines);
		g_free(buf);
		g_free(p);
	}
	g_strfreev(names);
	g_free(expdir);
	g_free(target);
	return g_string_free(s, FALSE);
}

static void test_win11_libesedb_same_tables(void **state)
{
	char *exe = g_find_program_in_path("esedbexport");
	char *in = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	char *out = jr_test_tmpdir("rec_w11_esedb");
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *wa = jr_test_tmpdir("rec_w11_esedb_in");
	char *wb = jr_test_tmpdir("rec_w11_esedb_out");
	char *in_copy = g_build_filename(wa, "SRUDB.dat", NULL);
	jr_recovery_summary sum;
	jr_errinfo ei;
	uint8_t *buf;
	size_t len;
	char *ta, *tb;

	(void)state;
	if (!exe) {
		print_message("esedbexport not installed: skipped\n");
		skip();
	}
	assert_int_equal(recover(in, out, 0, &sum, &ei), 0);
	buf = jr_test_slurp(in, &len);
	stamp_libesedb_checksum(buf);
	jr_test_spit(in_copy, buf, len);
	ta = export_tables(in_copy, wa);
	tb = export_tables(out_db, wb);
	print_message("tables and rows:\n%s", tb);
	assert_string_equal(ta, tb);
	/* 14 tables, and the big ones have their rows */
	assert_non_null(strstr(tb, "MSysObjects.0 244\n"));
	assert_non_null(strstr(tb, "SruDbIdMapTable.4 1045\n"));
	g_free(ta);
	g_free(tb);
	g_free(buf);
	g_free(in_copy);
	g_free(wa);
	g_free(wb);
	g_free(out_db);
	g_free(out);
	g_free(in);
	g_free(exe);
}

/* ---- the clean sets, replayed from their first generation ---- */

static void replay_changes_nothing(const char *set, uint32_t first,
				   uint32_t last, uint64_t inserts,
				   uint64_t splits)
{
	char *in = jr_test_data(set, "SRUDB.dat");
	char *name = g_strdup_printf("rec_%s", set);
	char *out = jr_test_tmpdir(name);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	jr_recovery_summary sum;
	jr_errinfo ei;
	uint8_t *a, *b;
	size_t la, lb;

	assert_int_equal(recover(in, out, first, &sum, &ei), 0);
	assert_int_equal(sum.gen_first, first);
	assert_int_equal(sum.gen_last, last);
	assert_int_equal(total(sum.redo.applied), 0);
	assert_int_equal(sum.redo.pages_redone, 0);
	assert_int_equal(sum.redo.pages_created, 0);
	assert_int_equal(sum.redo.skipped[29], inserts);   /* Insert */
	assert_int_equal(sum.redo.skipped[62], splits);    /* Split2 */
	a = jr_test_slurp(in, &la);
	b = jr_test_slurp(out_db, &lb);
	assert_int_equal(data_pages_differing(a, la, b, lb), 0);
	g_free(a);
	g_free(b);
	g_free(out_db);
	g_free(out);
	g_free(name);
	g_free(in);
}

static void test_clean_a_replay_changes_no_page(void **state)
{
	(void)state;
	replay_changes_nothing("srum-win10-clean-a", 3, 9, 1879, 45);
}

static void test_clean_b_replay_changes_no_page(void **state)
{
	(void)state;
	replay_changes_nothing("srum-win10-clean-b", 0x19, 0x20, 2444, 74);
}

/* ---- rebuild of the pages born inside the log window ---- */

/* Pages created by a record of a session the replay follows (one that
 * began a transaction inside the window): their whole history is in the
 * logs. Returns the number found; pg[] receives them. */
static unsigned born_pages(const char *dir, uint32_t first, uint32_t *pg,
			   unsigned max, unsigned *not_followed)
{
	ese_logreader *r;
	ese_logrecord rec;
	jr_errinfo ei;
	bool begun[65536] = { false };
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	unsigned n = 0;
	JET_ERR err;

	*not_followed = 0;
	jr_errinfo_clear(&ei);
	assert_int_equal(ese_logreader_open_range(dir, "SRU", first,
						  ESE_LOGREADER_GEN_CURRENT,
						  NULL, &r, &ei), 0);
	while ((err = ese_logreader_next(r, &rec, &ei)) == 0) {
		lr_record d;
		uint32_t p[3] = { 0, 0, 0 };
		uint16_t procid = 0;

		assert_int_equal(lr_decode(rec.data, rec.size, &d, &ei), 0);
		switch (d.lrtyp) {
		case 5: case 8:
			if (d.u.begin.level_begin_from == 0)
				begun[d.u.begin.procid] = true;
			continue;
		case 95:
			p[0] = d.u.new_page.pgno;
			procid = d.u.new_page.procid;
			break;
		case 24: case 25:
			p[0] = d.u.create_fdp.page.pgno;
			p[1] = d.u.create_fdp.pgno_oe;
			p[2] = d.u.create_fdp.pgno_ae;
			procid = d.u.create_fdp.page.procid;
			break;
		case 62:
			p[0] = d.u.split.pgno_new;
			procid = d.u.split.page.procid;
			break;
		case 58:
			p[0] = d.u.convert_fdp.pgno_oe;
			p[1] = d.u.convert_fdp.pgno_ae;
			procid = d.u.convert_fdp.page.procid;
			break;
		default:
			continue;
		}
		for (int i = 0; i < 3; i++) {
			if (!p[i] || g_hash_table_contains(seen,
							   GUINT_TO_POINTER(p[i])))
				continue;
			g_hash_table_add(seen, GUINT_TO_POINTER(p[i]));
			if (!begun[procid]) {
				(*not_followed)++;
				continue;
			}
			assert_true(n < max);
			pg[n++] = p[i];
		}
	}
	assert_int_equal(err, ESE_LOGREADER_END);
	ese_logreader_close(r);
	g_hash_table_destroy(seen);
	return n;
}

static void rebuild(const char *set, uint32_t first, unsigned want_pages,
		    unsigned want_not_followed, unsigned want_exact,
		    unsigned want_preimages)
{
	char *name = g_strdup_printf("rebuild_%s", set);
	char *oname = g_strdup_printf("rebuild_%s_out", set);
	char *dir = jr_test_copy_set(set, name, NULL);
	char *out = jr_test_tmpdir(oname);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out_db = g_build_filename(out, "SRUDB.dat", NULL);
	char *orig_path = jr_test_data(set, "SRUDB.dat");
	uint32_t pg[512];
	unsigned n, not_followed, exact = 0, matched = 0;
	uint8_t *orig, *img, *res;
	size_t lo, li, lr;
	jr_recovery_summary sum;
	jr_errinfo ei;

	n = born_pages(dir, first, pg, 512, &not_followed);
	assert_int_equal(n, want_pages);
	assert_int_equal(not_followed, want_not_followed);

	/* erase them */
	orig = jr_test_slurp(orig_path, &lo);
	li = lo;
	img = g_malloc(li);
	memcpy(img, orig, li);
	for (unsigned i = 0; i < n; i++)
		memset(img + ((size_t)pg[i] + 1) * PS, 0, PS);
	jr_test_spit(db, img, li);

	assert_int_equal(recover(db, out, first, &sum, &ei), 0);
	/* splits redone on the logged (Xpress) image of their split page */
	assert_int_equal(sum.redo.preimages_used, want_preimages);
	res = jr_test_slurp(out_db, &lr);
	assert_int_equal(lr, lo);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *w = orig + ((size_t)pg[i] + 1) * PS;
		uint8_t mine[PS];
		uint32_t fw, fm;

		memcpy(mine, res + ((size_t)pg[i] + 1) * PS, PS);
		if (!memcmp(mine, w, PS)) {
			exact++;
			matched++;
			continue;
		}
		/* the flush type is ESE's write-time stamp from the flush
		 * map: take Windows' and recompute the checksum */
		fw = (uint32_t)w[36] | (uint32_t)w[37] << 8 |
		     (uint32_t)w[38] << 16 | (uint32_t)w[39] << 24;
		fm = (uint32_t)mine[36] | (uint32_t)mine[37] << 8 |
		     (uint32_t)mine[38] << 16 | (uint32_t)mine[39] << 24;
		fm = (fm & ~0x18000u) | (fw & 0x18000u);
		mine[36] = (uint8_t)fm;
		mine[37] = (uint8_t)(fm >> 8);
		mine[38] = (uint8_t)(fm >> 16);
		mine[39] = (uint8_t)(fm >> 24);
		ese_page_checksum_write(mine, PS, pg[i]);
		if (!memcmp(mine, w, PS))
			matched++;
		else
			print_message("%s: rebuilt page %u differs\n", set,
				      pg[i]);
	}
	print_message("%s: %u pages born in the window (%u more by sessions "
		      "begun before it), %u rebuilt identical (%u including "
		      "the flush type)\n", set, n, not_followed, matched,
		      exact);
	assert_int_equal(matched, n);
	assert_int_equal(exact, want_exact);
	g_free(orig);
	g_free(img);
	g_free(res);
	g_free(orig_path);
	g_free(out_db);
	g_free(db);
	g_free(out);
	g_free(dir);
	g_free(oname);
	g_free(name);
}

static void test_rebuild_win11(void **state)
{
	(void)state;
	rebuild("srum-win11-dirty", 0x59, 27, 1, 9, 2);
}

static void test_rebuild_clean_a(void **state)
{
	(void)state;
	rebuild("srum-win10-clean-a", 3, 70, 0, 7, 2);
}

static void test_rebuild_clean_b(void **state)
{
	(void)state;
	rebuild("srum-win10-clean-b", 0x19, 74, 0, 4, 8);
}

/* ---- bad input ---- */

static void expect_failure(const char *dir, const char *outname,
			   uint32_t from, JET_ERR want, const char *detail)
{
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out = jr_test_tmpdir(outname);
	jr_recovery_summary sum;
	jr_errinfo ei;

	assert_int_equal(recover(db, out, from, &sum, &ei), want);
	assert_int_equal(ei.err, want);
	if (detail && !strstr(ei.detail, detail))
		fail_msg("detail '%s' lacks '%s'", ei.detail, detail);
	assert_int_equal(jr_test_dir_count(out), 0);
	g_free(out);
	g_free(db);
}

static void test_gap_in_generations(void **state)
{
	static const char *const skip[] = { "SRU0001C.log", NULL };
	char *dir = jr_test_copy_set("srum-win10-clean-b", "bad_gap", skip);

	(void)state;
	expect_failure(dir, "bad_gap_out", 0x19, JET_errMissingLogFile,
		       "SRU0001C");
	g_free(dir);
}

static void test_required_generation_missing(void **state)
{
	static const char *const skip[] = { "SRU.log", NULL };
	char *dir = jr_test_copy_set("srum-win11-dirty", "bad_req", skip);

	(void)state;
	expect_failure(dir, "bad_req_out", 0, JET_errRequiredLogFilesMissing,
		       "0x5C");
	g_free(dir);
}

/* Rewrite the database header of dir/SRUDB.dat with a changed field. */
static void patch_header(const char *dir, bool log_sign)
{
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	size_t len;
	uint8_t *buf = jr_test_slurp(db, &len);
	ese_dbheader_read_result hr;
	jr_errinfo ei;

	assert_int_equal(ese_dbheader_read(buf, len, &hr, &ei), 0);
	if (log_sign)
		hr.hdr.sign_log.random ^= 0x5a5a5a5a;
	else
		hr.hdr.sign_db.random ^= 0x5a5a5a5a;
	assert_int_equal(ese_dbheader_write_pair(&hr.hdr, buf, PS), 0);
	jr_test_spit(db, buf, len);
	g_free(buf);
	g_free(db);
}

static void test_other_log_signature(void **state)
{
	char *dir = jr_test_copy_set("srum-win11-dirty", "bad_logsig", NULL);

	(void)state;
	patch_header(dir, true);
	expect_failure(dir, "bad_logsig_out", 0, JET_errBadLogSignature,
		       NULL);
	g_free(dir);
}

static void test_other_db_signature(void **state)
{
	char *dir = jr_test_copy_set("srum-win11-dirty", "bad_dbsig", NULL);

	(void)state;
	patch_header(dir, false);
	expect_failure(dir, "bad_dbsig_out", 0, JET_errBadDbSignature,
		       "SRUDB.dat");
	g_free(dir);
}

static void test_corrupt_segment(void **state)
{
	char *dir = jr_test_copy_set("srum-win10-clean-b", "bad_seg", NULL);
	char *log = g_build_filename(dir, "SRU0001C.log", NULL);
	size_t len;
	uint8_t *buf = jr_test_slurp(log, &len);

	(void)state;
	/* two bytes in the middle of segment 3: beyond ECC correction */
	buf[3 * 4096 + 2000] ^= 0x40;
	buf[3 * 4096 + 2301] ^= 0x11;
	jr_test_spit(log, buf, len);
	expect_failure(dir, "bad_seg_out", 0x19, JET_errLogFileCorrupt,
		       "0x1C");
	g_free(buf);
	g_free(log);
	g_free(dir);
}

static void test_single_bit_error_corrected(void **state)
{
	char *dir = jr_test_copy_set("srum-win10-clean-b", "seg_1bit", NULL);
	char *log = g_build_filename(dir, "SRU0001C.log", NULL);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	char *out = jr_test_tmpdir("seg_1bit_out");
	jr_recovery_summary sum;
	jr_errinfo ei;
	size_t len;
	uint8_t *buf = jr_test_slurp(log, &len);

	(void)state;
	/* one flipped bit: ESE's ECC corrects it, and so does the replay */
	buf[3 * 4096 + 2000] ^= 0x40;
	jr_test_spit(log, buf, len);
	assert_int_equal(recover(db, out, 0x19, &sum, &ei), 0);
	assert_int_equal(sum.redo.skipped[29], 2444);
	g_free(buf);
	g_free(out);
	g_free(db);
	g_free(log);
	g_free(dir);
}

static void test_out_dir_is_input_dir(void **state)
{
	char *dir = jr_test_copy_set("srum-win11-dirty", "bad_outdir", NULL);
	char *db = g_build_filename(dir, "SRUDB.dat", NULL);
	jr_recovery_summary sum;
	jr_errinfo ei;
	unsigned n = jr_test_dir_count(dir);

	(void)state;
	assert_int_equal(recover(db, dir, 0, &sum, &ei), JET_errInvalidPath);
	assert_int_equal(jr_test_dir_count(dir), n);
	g_free(db);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_win11_dirty_recovers_clean),
		cmocka_unit_test(test_win11_idempotent),
		cmocka_unit_test(test_win11_libesedb_same_tables),
		cmocka_unit_test(test_clean_a_replay_changes_no_page),
		cmocka_unit_test(test_clean_b_replay_changes_no_page),
		cmocka_unit_test(test_rebuild_win11),
		cmocka_unit_test(test_rebuild_clean_a),
		cmocka_unit_test(test_rebuild_clean_b),
		cmocka_unit_test(test_gap_in_generations),
		cmocka_unit_test(test_required_generation_missing),
		cmocka_unit_test(test_other_log_signature),
		cmocka_unit_test(test_other_db_signature),
		cmocka_unit_test(test_corrupt_segment),
		cmocka_unit_test(test_single_bit_error_corrected),
		cmocka_unit_test(test_out_dir_is_input_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
