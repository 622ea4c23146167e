/*
 * test_patchpage.c - a synthetic streaming backup of the real win11 database:
 * header marked "backup in progress", a trailer page appended; the trailer
 * parses, verifies, matches the header, and updates it as ESE's restore
 * does. Damaged and foreign trailers give -535 and -552.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "ese/patchpage.h"
#include "util/bytes.h"
#include "testutil.h"

static ese_dbheader real_header(void)
{
	char *path = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	ese_dbheader_read_result r;

	assert_int_equal(ese_dbheader_read_file(path, &r, NULL), 0);
	g_free(path);
	return r.hdr;
}

static ese_bkinfo backup_record(void)
{
	ese_bkinfo bk = {
		.lgpos_mark = { .ib = 0x20, .isec = 3, .gen = 0x5c },
		.logtime_mark = { .sec = 1, .min = 2, .hour = 3, .day = 4,
				  .month = 5, .year = 122, .flags1 = 1 },
		.gen_low = 0x5c,
		.gen_high = 0x5e,
	};
	return bk;
}

static void test_write_parse(void **state)
{
	ese_dbheader h = real_header();
	ese_bkinfo bk = backup_record();
	ese_patchpage p, q;
	uint8_t page[4096], again[4096];

	(void)state;
	ese_patchpage_from_header(&h, &bk, &p);
	assert_int_equal(ese_patchpage_write(&p, page, sizeof page), 0);
	/* layout: an empty page header, then the fields */
	assert_int_equal(jr_le32(page), ese_checksum_xor(page, 4096));
	for (size_t i = 4; i < 40; i++)
		assert_int_equal(page[i], 0);
	assert_int_equal(jr_le32(page + 40 + 16), 0x5c);     /* genLow */
	assert_int_equal(jr_le32(page + 40 + 20), 0x5e);     /* genHigh */
	assert_int_equal(jr_le32(page + 64), 0x0716b55f);    /* signDb */
	assert_int_equal(jr_le32(page + 92), 0x25894c02);    /* signLog */
	assert_int_equal(jr_le32(page + 120), 0x5c);
	assert_int_equal(jr_le32(page + 124), 0x5c);
	assert_int_equal(jr_le32(page + 128), 0x5c);
	for (size_t i = ESE_PATCHHDR_SIZE; i < sizeof page; i++)
		assert_int_equal(page[i], 0);

	assert_int_equal(ese_patchpage_parse(page, sizeof page, &q, NULL), 0);
	assert_int_equal(q.bkinfo.gen_high, 0x5e);
	assert_int_equal(ese_lgpos_cmp(&q.bkinfo.lgpos_mark, &bk.lgpos_mark), 0);
	assert_true(ese_signature_equal(&q.sign_db, &h.sign_db));
	assert_int_equal(ese_logtime_cmp(&q.logtime_gen_max_required,
					 &h.logtime_gen_max_required), 0);
	assert_false(q.tail_nonzero);
	assert_int_equal(ese_patchpage_write(&q, again, sizeof again), 0);
	assert_memory_equal(page, again, sizeof page);

	/* damaged */
	page[130] ^= 2;
	assert_int_equal(ese_patchpage_parse(page, sizeof page, &q, NULL),
			 JET_errBadPatchPage);
	assert_int_equal(ese_patchpage_parse(page, 100, &q, NULL), JET_errBadPatchPage);
	memset(page, 0, sizeof page);
	assert_int_equal(ese_patchpage_parse(page, sizeof page, &q, NULL),
			 JET_errBadPatchPage);
	assert_int_equal(ese_patchpage_write(&q, page, 100), JET_errInvalidParameter);
}

static void test_check_and_apply(void **state)
{
	ese_dbheader h = real_header(), h2;
	ese_bkinfo bk = backup_record();
	ese_patchpage p, bad;
	jr_errinfo ei = { 0 };

	(void)state;
	/* the backup's copy of the header: backup in progress */
	h.bk_full_cur = bk;
	h.bk_full_cur.gen_high = 0;
	assert_true(ese_dbheader_needs_patch(&h));
	ese_patchpage_from_header(&h, &bk, &p);
	p.gen_max_required = 0x5d;
	p.gen_max_committed = 0x5e;
	p.logtime_gen_max_committed.sec = 42;

	assert_int_equal(ese_patchpage_check(&h, &p, false, NULL), 0);
	h2 = h;
	assert_int_equal(ese_patchpage_apply(&h2, &p, NULL), 0);
	assert_false(ese_dbheader_needs_patch(&h2));
	assert_int_equal(h2.bk_full_cur.gen_high, 0x5e);
	assert_int_equal(h2.gen_min_required, 0x5c);
	assert_int_equal(h2.gen_max_required, 0x5d);
	assert_int_equal(h2.gen_max_committed, 0x5e);
	assert_int_equal(h2.logtime_gen_max_create.sec, 42);
	assert_int_equal(h2.gen_min_consistent, 0x5c);
	assert_int_equal(h2.gen_pre_redo_min_required, 0);

	/* an older engine's trailer: no range, genHigh stands in */
	p.gen_min_required = p.gen_max_required = p.gen_max_committed = 0;
	h2 = h;
	assert_int_equal(ese_patchpage_apply(&h2, &p, NULL), 0);
	assert_int_equal(h2.gen_max_required, 0x5e);
	assert_int_equal(h2.gen_max_committed, 0x5e);

	/* mismatches */
	bad = p;
	bad.sign_db.random ^= 1;
	assert_int_equal(ese_patchpage_check(&h, &bad, false, &ei),
			 JET_errDatabasePatchFileMismatch);
	assert_non_null(strstr(ei.detail, "database signature"));
	bad = p;
	bad.sign_log.created.sec ^= 1;
	assert_int_equal(ese_patchpage_check(&h, &bad, false, NULL),
			 JET_errDatabasePatchFileMismatch);
	bad = p;
	bad.bkinfo.gen_high = 0;
	assert_int_equal(ese_patchpage_check(&h, &bad, true, NULL),
			 JET_errDatabasePatchFileMismatch);
	bad = p;
	bad.bkinfo.lgpos_mark.ib++;
	assert_int_equal(ese_patchpage_apply(&h, &bad, NULL),
			 JET_errDatabasePatchFileMismatch);
	assert_int_equal(ese_patchpage_check(&h, &bad, true, NULL), 0);
}

/* A whole backup file: the database, its header marked, trailer appended. */
static void test_backup_file(void **state)
{
	char *src = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	char *dir = jr_test_tmpdir("patchpage");
	char *dst = g_build_filename(dir, "SRUDB.dat", NULL);
	size_t len;
	uint8_t *db = jr_test_slurp(src, &len);
	uint8_t *file = g_malloc(len + 4096);
	ese_dbheader h = real_header();
	ese_bkinfo bk = backup_record();
	ese_patchpage p, got;
	ese_dbheader_read_result r;
	int fd;

	(void)state;
	h.bk_full_cur = bk;
	h.bk_full_cur.gen_high = 0;
	memcpy(file, db, len);
	assert_int_equal(ese_dbheader_write_pair(&h, file, 4096), 0);
	ese_patchpage_from_header(&h, &bk, &p);
	assert_int_equal(ese_patchpage_write(&p, file + len, 4096), 0);
	jr_test_spit(dst, file, len + 4096);

	assert_int_equal(ese_dbheader_read_file(dst, &r, NULL), 0);
	assert_true(ese_dbheader_needs_patch(&r.hdr));
	fd = open(dst, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(ese_patchpage_read_fd(fd, 4096, &got, NULL), 0);
	assert_int_equal(ese_patchpage_apply(&r.hdr, &got, NULL), 0);
	assert_int_equal(r.hdr.bk_full_cur.gen_high, 0x5e);
	/* the trailer checksum is a header checksum, not a page one */
	ese_page_checksum_result pr;

	ese_page_checksum_check(file + len, 4096, (uint32_t)(len / 4096 - 1), &pr);
	assert_int_not_equal(pr.status, ESE_CKSUM_OK);
	close(fd);

	/* a plain database has no valid trailer; a tiny file has none at all */
	jr_test_spit(dst, db, len);
	fd = open(dst, O_RDONLY);
	assert_int_equal(ese_patchpage_read_fd(fd, 4096, &got, NULL), JET_errBadPatchPage);
	close(fd);
	jr_test_spit(dst, db, 8192);
	fd = open(dst, O_RDONLY);
	assert_int_equal(ese_patchpage_read_fd(fd, 4096, &got, NULL), JET_errBadPatchPage);
	close(fd);

	g_free(file);
	g_free(db);
	g_free(dst);
	g_free(dir);
	g_free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_parse),
		cmocka_unit_test(test_check_and_apply),
		cmocka_unit_test(test_backup_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
