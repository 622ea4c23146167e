/*
 * test_dbheader.c - the database header of the three real SRUDB.dat files:
 * exact field values, the byte-identical round trip, ESE's choice between
 * header and shadow when one is damaged, and the errors for files that are
 * truncated, zero-filled, foreign or of an old format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "util/bytes.h"
#include "testutil.h"

static uint8_t *slurp_db(const char *set, size_t *len)
{
	char *path = jr_test_data(set, "SRUDB.dat");
	uint8_t *buf = jr_test_slurp(path, len);

	g_free(path);
	return buf;
}

static char *lgpos_str(const ese_lgpos *p)
{
	static char s[ESE_LGPOS_STRLEN];

	return ese_lgpos_format(p, s, sizeof s);
}

static void test_win11_dirty(void **state)
{
	char *path = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	ese_dbheader_read_result r;
	jr_errinfo ei = { 0 };
	const ese_dbheader *h = &r.hdr;
	char s[ESE_SIGNATURE_STRLEN];

	(void)state;
	assert_int_equal(ese_dbheader_read_file(path, &r, &ei), 0);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.copy, 0);
	assert_int_equal(r.status, ESE_SHADOW_OK);
	assert_true(r.primary_ok && r.shadow_ok && !r.copies_differ);

	assert_int_equal(h->checksum, 0x86e49714);
	assert_int_equal(h->magic, 0x89abcdef);
	assert_int_equal(h->version, 0x620);
	assert_int_equal(h->update_major, 200);
	assert_int_equal(h->update_minor, 440);
	assert_int_equal(h->efv_max_bin_attach, 9400);
	assert_int_equal(h->create_version, 0x620);
	assert_int_equal(h->create_update, 20);
	assert_int_equal(h->filetype, 1);
	assert_int_equal(h->attrib, 0);
	assert_int_equal(h->state, JET_dbstateDirtyShutdown);
	assert_string_equal(ese_dbstate_name(h->state), "Dirty Shutdown");
	assert_false(ese_dbheader_is_clean(h));
	assert_true(h->dbtime == 0xab4b);
	assert_int_equal(h->gen_min_required, 0x5c);
	assert_int_equal(h->gen_max_required, 0x5c);
	assert_int_equal(h->gen_max_committed, 0x5c);
	assert_int_equal(h->gen_min_consistent, 0x5c);
	assert_int_equal(h->gen_recovering, 0);
	assert_int_equal(h->page_size_raw, 4096);
	assert_int_equal(ese_dbheader_page_size(h), 4096);
	assert_string_equal(lgpos_str(&h->lgpos_consistent), "(0x5C,7,36)");
	assert_string_equal(lgpos_str(&h->lgpos_attach), "(0x5C,9,268)");
	assert_string_equal(lgpos_str(&h->lgpos_detach), "(0x0,0,0)");
	assert_string_equal(lgpos_str(&h->lgpos_last_resize), "(0x5C,9,268)");
	assert_int_equal(h->dbid, 1);
	assert_int_equal(h->objid_last, 37);
	assert_int_equal(h->os_major, 10);
	assert_int_equal(h->os_minor, 0);
	assert_int_equal(h->os_build, 22000);
	assert_int_equal(h->os_sp, 0);
	assert_true(h->sort_version == UINT64_MAX);
	assert_int_equal(h->extend_count, 38);
	assert_int_equal(h->sign_db.random, 0x0716b55f);
	assert_string_equal(ese_signature_format(&h->sign_db, s, sizeof s),
			    "Create time:03/05/2022 16:20:02.661 Rand:118928735 Computer:");
	assert_int_equal(h->sign_log.random, 0x25894c02);
	assert_false(ese_dbheader_shadowing_disabled(h));
	assert_false(ese_dbheader_needs_patch(h));
	assert_true(ese_bkinfo_is_zero(&h->bk_full_prev));
	assert_true(ese_bkinfo_is_zero(&h->bk_full_cur));
	assert_true(ese_bkinfo_is_zero(&h->bk_snapshot_cur));
	assert_int_equal(h->ecc_fix_success + h->ecc_fix_fail + h->bad_checksum, 0);
	assert_false(h->tail_nonzero);
	g_free(path);
}

static void test_win10_clean(void **state)
{
	ese_dbheader_read_result r;
	const ese_dbheader *h = &r.hdr;
	size_t len;
	uint8_t *db;

	(void)state;
	db = slurp_db("srum-win10-clean-a", &len);
	assert_int_equal(ese_dbheader_read(db, len, &r, NULL), 0);
	assert_int_equal(h->state, JET_dbstateCleanShutdown);
	assert_true(ese_dbheader_is_clean(h));
	assert_int_equal(h->lgpos_consistent.gen, 9);
	assert_string_equal(lgpos_str(&h->lgpos_consistent), "(0x9,6,36)");
	assert_string_equal(lgpos_str(&h->lgpos_detach), "(0x9,6,36)");
	assert_string_equal(lgpos_str(&h->lgpos_attach), "(0x9,5,268)");
	assert_int_equal(h->gen_min_required, 0);
	assert_int_equal(h->gen_max_required, 0);
	assert_true(h->dbtime == 0xa98);
	assert_int_equal(h->objid_last, 27);
	assert_int_equal(h->os_build, 19043);
	assert_int_equal(h->update_major, 110);
	assert_int_equal(h->update_minor, 240);
	assert_int_equal(h->efv_max_bin_attach, 9180);
	assert_int_equal(h->version, 0x620);
	assert_int_equal(r.page_size, 4096);
	g_free(db);

	db = slurp_db("srum-win10-clean-b", &len);
	assert_int_equal(ese_dbheader_read(db, len, &r, NULL), 0);
	assert_int_equal(h->state, JET_dbstateCleanShutdown);
	assert_int_equal(h->lgpos_consistent.gen, 0x20);
	assert_string_equal(lgpos_str(&h->lgpos_consistent), "(0x20,B,36)");
	assert_true(h->dbtime == 0x2924);
	assert_int_equal(h->objid_last, 35);
	assert_int_equal(h->os_build, 19044);
	assert_int_equal(h->sign_db.random, 0xd261e505);
	g_free(db);
}

static void test_round_trip_real(void **state)
{
	static const char *const sets[] = {
		"srum-win11-dirty", "srum-win10-clean-a", "srum-win10-clean-b",
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
		size_t len;
		uint8_t *db = slurp_db(sets[i], &len);
		uint8_t out[8192];
		ese_dbheader h, h2;

		assert_int_equal(ese_dbheader_parse(db, 4096, &h, NULL), 0);
		assert_int_equal(ese_dbheader_write(&h, out, 4096), 0);
		assert_memory_equal(out, db, 4096);
		/* parse(write(parse(real))) */
		assert_int_equal(ese_dbheader_parse(out, 4096, &h2, NULL), 0);
		assert_int_equal(ese_dbheader_write(&h2, out, 4096), 0);
		assert_memory_equal(out, db, 4096);
		/* header and shadow together */
		assert_int_equal(ese_dbheader_write_pair(&h, out, 4096), 0);
		assert_memory_equal(out, db, 8192);
		g_free(db);
	}
}

/* Every one of the 748 bytes is some field: random bytes survive. */
static void test_round_trip_every_byte(void **state)
{
	GRand *r = g_rand_new_with_seed(1234);
	uint8_t in[4096], out[4096];
	ese_dbheader h;

	(void)state;
	for (int round = 0; round < 50; round++) {
		memset(in, 0, sizeof in);
		for (size_t i = 0; i < ESE_DBHEADER_SIZE; i++)
			in[i] = (uint8_t)g_rand_int_range(r, 0, 256);
		ese_header_checksum_write(in, sizeof in);
		(void)ese_dbheader_parse(in, sizeof in, &h, NULL);
		assert_false(h.tail_nonzero);
		assert_int_equal(ese_dbheader_write(&h, out, sizeof out), 0);
		assert_memory_equal(in, out, sizeof in);
	}
	/* bytes after DBFILEHDR are reported and written as zero */
	in[3000] = 1;
	(void)ese_dbheader_parse(in, sizeof in, &h, NULL);
	assert_true(h.tail_nonzero);
	assert_int_equal(ese_dbheader_write(&h, out, sizeof out), 0);
	assert_int_equal(out[3000], 0);
	assert_int_equal(ese_dbheader_write(&h, out, 100), JET_errInvalidParameter);
	g_rand_free(r);
}

static void test_damaged_copies(void **state)
{
	size_t len;
	uint8_t *db = slurp_db("srum-win11-dirty", &len);
	uint8_t *buf = g_malloc(len);
	ese_dbheader_read_result r;
	jr_errinfo ei = { 0 };

	(void)state;
	/* header damaged: the shadow is used and the damage reported */
	memcpy(buf, db, len);
	buf[300] ^= 0x10;       /* inside gen_min_required */
	assert_int_equal(ese_dbheader_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_SHADOW_PRIMARY_BAD);
	assert_int_equal(r.copy, 1);
	assert_false(r.primary_ok);
	assert_true(r.shadow_ok);
	assert_int_equal(r.hdr.gen_min_required, 0x5c);
	assert_string_equal(ese_shadow_status_name(r.status), "primary bad");

	/* shadow damaged */
	memcpy(buf, db, len);
	buf[4096 + 2000] ^= 0x01;
	assert_int_equal(ese_dbheader_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_SHADOW_SECONDARY_BAD);
	assert_int_equal(r.copy, 0);
	assert_false(r.copies_differ);

	/* both valid but different: the header wins, the shadow is "bad" */
	memcpy(buf, db, len);
	jr_put_le32(buf + 4096 + 52, JET_dbstateCleanShutdown);
	ese_header_checksum_write(buf + 4096, 4096);
	assert_int_equal(ese_dbheader_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_SHADOW_SECONDARY_BAD);
	assert_true(r.copies_differ);
	assert_int_equal(r.hdr.state, JET_dbstateDirtyShutdown);

	/* both damaged */
	memcpy(buf, db, len);
	buf[300] ^= 0x10;
	buf[4096 + 300] ^= 0x10;
	assert_int_equal(ese_dbheader_read(buf, len, &r, &ei), JET_errDatabaseCorrupted);
	assert_int_equal(ei.err, JET_errDatabaseCorrupted);
	assert_non_null(strstr(ei.detail, "neither"));
	g_free(buf);
	g_free(db);
}

static void test_not_a_database(void **state)
{
	size_t len;
	uint8_t *db = slurp_db("srum-win11-dirty", &len);
	uint8_t buf[8192];
	ese_dbheader_read_result r;
	ese_dbheader h;

	(void)state;
	/* truncated inside the header, and a header without its shadow */
	assert_int_equal(ese_dbheader_read(db, 100, &r, NULL), JET_errDatabaseCorrupted);
	assert_int_equal(ese_dbheader_read(db, 4095, &r, NULL), JET_errDatabaseCorrupted);
	assert_int_equal(ese_dbheader_read(db, 4096, &r, NULL), 0);
	assert_int_equal(r.status, ESE_SHADOW_SECONDARY_BAD);
	assert_int_equal(ese_dbheader_parse(db, 700, &h, NULL), JET_errDatabaseCorrupted);

	/* zero-filled */
	memset(buf, 0, sizeof buf);
	assert_int_equal(ese_dbheader_read(buf, sizeof buf, &r, NULL), JET_errDatabaseCorrupted);

	/* a valid checksum but no magic: not a database */
	memcpy(buf, db, 8192);
	jr_put_le32(buf + 4, 0x12345678);
	ese_header_checksum_write(buf, 4096);
	memcpy(buf + 4096, buf, 4096);
	assert_int_equal(ese_dbheader_read(buf, sizeof buf, &r, NULL), JET_errDatabaseCorrupted);

	/* an old format */
	memcpy(buf, db, 8192);
	jr_put_le32(buf + 8, 0x500);
	ese_header_checksum_write(buf, 4096);
	memcpy(buf + 4096, buf, 4096);
	assert_int_equal(ese_dbheader_read(buf, sizeof buf, &r, NULL), JET_errInvalidDatabaseVersion);

	/* the page size field must name the size the checksum covers */
	memcpy(buf, db, 8192);
	jr_put_le32(buf + 236, 8192);
	ese_header_checksum_write(buf, 4096);
	memcpy(buf + 4096, buf, 4096);
	assert_int_equal(ese_dbheader_read(buf, sizeof buf, &r, NULL), JET_errDatabaseCorrupted);
	/* ... and 0 stands for 4096 */
	jr_put_le32(buf + 236, 0);
	ese_header_checksum_write(buf, 4096);
	memcpy(buf + 4096, buf, 4096);
	assert_int_equal(ese_dbheader_read(buf, sizeof buf, &r, NULL), 0);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(ese_dbheader_page_size(&r.hdr), 4096);

	/* a checkpoint is not a database */
	char *path = jr_test_data("srum-win11-dirty", "SRU.chk");
	jr_errinfo ei = { 0 };

	assert_int_equal(ese_dbheader_read_file(path, &r, &ei), JET_errDatabaseCorrupted);
	assert_non_null(strstr(ei.detail, "SRU.chk"));
	g_free(path);
	assert_int_equal(ese_dbheader_read_file("/nonexistent/x.edb", &r, NULL),
			 JET_errFileNotFound);
	g_free(db);
}

static void test_other_page_sizes(void **state)
{
	size_t len;
	uint8_t *db = slurp_db("srum-win10-clean-b", &len);
	uint8_t *buf = g_malloc0(65536);
	ese_dbheader h;
	ese_dbheader_read_result r;

	(void)state;
	assert_int_equal(ese_dbheader_parse(db, 4096, &h, NULL), 0);
	for (uint32_t ps = 8192; ps <= 32768; ps *= 2) {
		h.page_size_raw = ps;
		assert_int_equal(ese_dbheader_write_pair(&h, buf, ps), 0);
		assert_int_equal(ese_dbheader_read(buf, 2 * ps, &r, NULL), 0);
		assert_int_equal(r.page_size, ps);
		assert_int_equal(r.status, ESE_SHADOW_OK);
		assert_int_equal(r.hdr.page_size_raw, ps);
		/* primary damaged: the shadow one page further */
		buf[1000] ^= 4;
		assert_int_equal(ese_dbheader_read(buf, 2 * ps, &r, NULL), 0);
		assert_int_equal(r.copy, 1);
		assert_int_equal(r.page_size, ps);
		assert_int_equal(r.status, ESE_SHADOW_PRIMARY_BAD);
	}
	assert_true(ese_db_page_offset(1, 4096) == 8192);
	assert_true(ese_db_page_offset(606, 4096) == 2490368 - 4096);
	g_free(buf);
	g_free(db);
}

static void test_names_and_flags(void **state)
{
	ese_dbheader h;

	(void)state;
	assert_string_equal(ese_dbstate_name(1), "Just Created");
	assert_string_equal(ese_dbstate_name(3), "Clean Shutdown");
	assert_string_equal(ese_dbstate_name(7), "Dirty and Patched Shutdown");
	assert_string_equal(ese_dbstate_name(8), "Database Revert in Progress");
	assert_string_equal(ese_dbstate_name(0), "Illegal");
	assert_string_equal(ese_dbstate_name(99), "Illegal");
	memset(&h, 0, sizeof h);
	h.db_flags = 1;
	assert_true(ese_dbheader_shadowing_disabled(&h));
	h.bk_full_cur.gen_low = 5;
	assert_true(ese_dbheader_needs_patch(&h));
	h.bk_full_cur.gen_high = 9;
	assert_false(ese_dbheader_needs_patch(&h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_win11_dirty),
		cmocka_unit_test(test_win10_clean),
		cmocka_unit_test(test_round_trip_real),
		cmocka_unit_test(test_round_trip_every_byte),
		cmocka_unit_test(test_damaged_copies),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_other_page_sizes),
		cmocka_unit_test(test_names_and_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
