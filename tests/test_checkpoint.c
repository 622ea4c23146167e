/*
 * test_checkpoint.c - the real SRU.chk files: checkpoint positions, log
 * signatures, DBMS parameters, the stale attach area, byte-identical round
 * trips, copy election on damage, and -533 / -1812 for bad files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checkpoint.h"
#include "ese/checksum.h"
#include "ese/dbheader.h"
#include "util/bytes.h"
#include "testutil.h"

static uint8_t *slurp_chk(const char *set, size_t *len)
{
	char *path = jr_test_data(set, "SRU.chk");
	uint8_t *buf = jr_test_slurp(path, len);

	g_free(path);
	return buf;
}

static const char *lgpos_str(const ese_lgpos *p)
{
	static char s[ESE_LGPOS_STRLEN];

	return ese_lgpos_format(p, s, sizeof s);
}

/* ese_checkpoint is large: keep results off the stack. */
static ese_checkpoint_read_result r;

static void test_win11_dirty(void **state)
{
	char *path = jr_test_data("srum-win11-dirty", "SRU.chk");
	const ese_checkpoint *c = &r.chk;
	ese_dbheader_read_result dbr;
	char *dbpath = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	ese_lgpos cons;

	(void)state;
	assert_int_equal(ese_checkpoint_read_file(path, &r, NULL), 0);
	assert_int_equal(r.status, ESE_CHK_COPIES_OK);
	assert_int_equal(r.copy, 0);
	assert_string_equal(lgpos_str(&c->lgpos_checkpoint), "(0x5C,8,0)");
	assert_string_equal(lgpos_str(&c->lgpos_db_consistency), "(0x5C,8,0)");
	cons = ese_checkpoint_db_consistency(c);
	assert_int_equal(ese_lgpos_cmp(&cons, &c->lgpos_checkpoint), 0);
	assert_true(ese_lgpos_is_zero(&c->lgpos_last_full_backup_checkpoint));
	assert_true(ese_lgpos_is_zero(&c->lgpos_full_backup));
	assert_int_equal(c->filetype, ESE_FILETYPE_CHECKPOINT);
	assert_int_equal(c->checksum, 0x760b1a00);
	assert_string_equal(c->dbms.system_path, "C:\\Windows\\system32\\SRU\\");
	assert_string_equal(c->dbms.log_path, "C:\\Windows\\system32\\SRU\\");
	assert_int_equal(c->dbms.flags, 1);
	assert_int_equal(c->dbms.sessions_max, 30000);
	assert_int_equal(c->dbms.csec_lgfile, 16);
	assert_int_equal(c->dbms.log_buffers, 16);
	/* the log signature is the database header's */
	assert_int_equal(ese_dbheader_read_file(dbpath, &dbr, NULL), 0);
	assert_true(ese_signature_equal(&c->sign_log, &dbr.hdr.sign_log));
	assert_int_equal(c->sign_log.random, 0x25894c02);

	/* the attach list is flagged absent; a stale entry stays behind */
	assert_int_equal(c->version_flags, 0);
	assert_false(c->attach_present);
	assert_int_equal(c->n_attach, 0);
	assert_int_equal(c->attach_raw[0], 0);
	assert_int_equal(c->attach_raw[1], ESE_ATTACH_UNICODE_NAMES);
	assert_int_equal(jr_le16(c->attach_raw + 2), 68);
	assert_false(c->tail_nonzero);
	g_free(dbpath);
	g_free(path);
}

static void test_win10_clean(void **state)
{
	size_t len;
	uint8_t *buf;

	(void)state;
	buf = slurp_chk("srum-win10-clean-a", &len);
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	assert_string_equal(lgpos_str(&r.chk.lgpos_checkpoint), "(0x9,7,0)");
	assert_false(r.chk.attach_present);
	for (size_t i = 0; i < ESE_CHECKPOINT_ATTACH_SIZE; i++)
		assert_int_equal(r.chk.attach_raw[i], 0);
	g_free(buf);

	buf = slurp_chk("srum-win10-clean-b", &len);
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	assert_string_equal(lgpos_str(&r.chk.lgpos_checkpoint), "(0x20,E,0)");
	assert_int_equal(r.status, ESE_CHK_COPIES_OK);
	g_free(buf);
}

static void test_round_trip(void **state)
{
	static const char *const sets[] = {
		"srum-win11-dirty", "srum-win10-clean-a", "srum-win10-clean-b",
	};
	static ese_checkpoint_read_result r2;
	uint8_t out[ESE_CHECKPOINT_FILE_SIZE];

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(sets); i++) {
		size_t len;
		uint8_t *buf = slurp_chk(sets[i], &len);

		assert_int_equal(len, ESE_CHECKPOINT_FILE_SIZE);
		assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
		ese_checkpoint_write_pair(&r.chk, out);
		assert_memory_equal(out, buf, len);
		assert_int_equal(ese_checkpoint_read(out, len, &r2, NULL), 0);
		ese_checkpoint_write(&r2.chk, out);
		assert_memory_equal(out, buf, ESE_CHECKPOINT_SIZE);
		g_free(buf);
	}
}

/* Every byte of the fixed part and the attach area survives a round trip. */
static void test_round_trip_every_byte(void **state)
{
	GRand *rnd = g_rand_new_with_seed(77);
	uint8_t in[ESE_CHECKPOINT_SIZE], out[ESE_CHECKPOINT_SIZE];

	(void)state;
	for (int round = 0; round < 50; round++) {
		memset(in, 0, sizeof in);
		for (size_t i = 0; i < ESE_CHECKPOINT_ATTACH_OFFSET +
				       ESE_CHECKPOINT_ATTACH_SIZE; i++)
			in[i] = (uint8_t)g_rand_int_range(rnd, 0, 256);
		in[647] &= (uint8_t)~ESE_CHECKPOINT_ATTACH_PRESENT;
		jr_put_le32(in + 667, round % 2 ? ESE_FILETYPE_CHECKPOINT : 0);
		ese_header_checksum_write(in, sizeof in);
		assert_int_equal(ese_checkpoint_parse(in, sizeof in, &r.chk, NULL), 0);
		assert_false(r.chk.tail_nonzero);
		ese_checkpoint_write(&r.chk, out);
		assert_memory_equal(in, out, sizeof in);
	}
	in[4000] = 1;
	assert_int_equal(ese_checkpoint_parse(in, sizeof in, &r.chk, NULL), 0);
	assert_true(r.chk.tail_nonzero);
	g_rand_free(rnd);
}

static void test_attach_list(void **state)
{
	size_t len;
	uint8_t *buf = slurp_chk("srum-win11-dirty", &len);
	static ese_attachinfo ai[2];
	static ese_checkpoint_read_result r2;
	uint8_t out[ESE_CHECKPOINT_FILE_SIZE];
	static const char name[] = "C:\\Windows\\system32\\SRU\\SRUDB.dat";

	(void)state;
	/* The stale entry behind the cleared byte is an ATTACHINFO for dbid
	 * 1: re-validating it gives ESE's list back. */
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	buf[ESE_CHECKPOINT_ATTACH_OFFSET] = 1;
	buf[647] |= ESE_CHECKPOINT_ATTACH_PRESENT;
	ese_header_checksum_write(buf, ESE_CHECKPOINT_SIZE);
	assert_int_equal(ese_checkpoint_read(buf, ESE_CHECKPOINT_SIZE, &r, NULL), 0);
	assert_true(r.chk.attach_present);
	assert_int_equal(r.chk.n_attach, 1);
	assert_int_equal(r.chk.attach[0].dbid, 1);
	assert_int_equal(r.chk.attach[0].cb_names, 68);
	assert_true(r.chk.attach[0].dbtime == 0xab4b);
	assert_int_equal(r.chk.attach[0].objid_last, 37);
	assert_string_equal(r.chk.attach[0].path, name);
	assert_int_equal(r.chk.attach[0].sign_db.random, 0x0716b55f);
	assert_string_equal(lgpos_str(&r.chk.attach[0].lgpos_attach), "(0x2F,8,268)");
	assert_string_equal(lgpos_str(&r.chk.attach[0].lgpos_consistent), "(0x2F,6,36)");

	/* set_attach serializes the same bytes */
	ai[0] = r.chk.attach[0];
	ai[1] = r.chk.attach[0];
	ai[1].dbid = 2;
	ese_checkpoint_clear_attach(&r.chk);
	assert_false(r.chk.attach_present);
	assert_int_equal(ese_checkpoint_set_attach(&r.chk, ai, 2, NULL), 0);
	ese_checkpoint_write_pair(&r.chk, out);
	assert_memory_equal(out + ESE_CHECKPOINT_ATTACH_OFFSET,
			    buf + ESE_CHECKPOINT_ATTACH_OFFSET, 64 + 68);
	assert_int_equal(ese_checkpoint_read(out, sizeof out, &r2, NULL), 0);
	assert_int_equal(r2.chk.n_attach, 2);
	assert_int_equal(r2.chk.attach[1].dbid, 2);
	assert_string_equal(r2.chk.attach[1].path, name);

	/* too many / too long */
	ai[0].cb_names = 2000;
	assert_int_equal(ese_checkpoint_set_attach(&r.chk, ai, 2, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(ese_checkpoint_set_attach(&r.chk, ai, ESE_ATTACH_MAX + 1, NULL),
			 JET_errInvalidParameter);

	/* a list running past its area is corrupt */
	memset(buf + ESE_CHECKPOINT_ATTACH_OFFSET, 0, ESE_CHECKPOINT_ATTACH_SIZE);
	buf[ESE_CHECKPOINT_ATTACH_OFFSET] = 1;
	jr_put_le16(buf + ESE_CHECKPOINT_ATTACH_OFFSET + 2, 2000);
	ese_header_checksum_write(buf, ESE_CHECKPOINT_SIZE);
	assert_int_equal(ese_checkpoint_read(buf, ESE_CHECKPOINT_SIZE, &r, NULL),
			 JET_errCheckpointCorrupt);
	g_free(buf);
}

static void test_damaged(void **state)
{
	size_t len;
	uint8_t *orig = slurp_chk("srum-win11-dirty", &len);
	uint8_t buf[ESE_CHECKPOINT_FILE_SIZE];
	jr_errinfo ei = { 0 };

	(void)state;
	/* first copy damaged in the checkpoint position itself */
	memcpy(buf, orig, len);
	buf[16] ^= 0x01;
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_CHK_PRIMARY_BAD);
	assert_int_equal(r.copy, 1);
	assert_int_equal(r.chk.lgpos_checkpoint.gen, 0x5c);

	/* shadow damaged */
	memcpy(buf, orig, len);
	buf[4096 + 3000] ^= 0x80;
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_CHK_SECONDARY_BAD);
	assert_int_equal(r.copy, 0);

	/* both valid but different */
	memcpy(buf, orig, len);
	buf[4096 + 16] = 0x5b;
	ese_header_checksum_write(buf + 4096, 4096);
	assert_int_equal(ese_checkpoint_read(buf, len, &r, NULL), 0);
	assert_int_equal(r.status, ESE_CHK_SECONDARY_BAD);
	assert_true(r.copies_differ);
	assert_int_equal(r.chk.lgpos_checkpoint.gen, 0x5c);

	/* both damaged, truncated, zero-filled */
	memcpy(buf, orig, len);
	buf[16] ^= 0x01;
	buf[4096 + 16] ^= 0x01;
	assert_int_equal(ese_checkpoint_read(buf, len, &r, &ei), JET_errCheckpointCorrupt);
	assert_int_equal(ei.err, JET_errCheckpointCorrupt);
	assert_int_equal(ese_checkpoint_read(orig, 4000, &r, NULL), JET_errCheckpointCorrupt);
	assert_int_equal(ese_checkpoint_read(orig, 4096, &r, NULL), 0);
	assert_int_equal(r.status, ESE_CHK_SECONDARY_BAD);
	memset(buf, 0, sizeof buf);
	assert_int_equal(ese_checkpoint_read(buf, sizeof buf, &r, NULL), JET_errCheckpointCorrupt);

	/* a valid header of another kind: a log file */
	char *path = jr_test_data("srum-win11-dirty", "SRU.log");

	assert_int_equal(ese_checkpoint_read_file(path, &r, NULL), JET_errFileInvalidType);
	g_free(path);
	assert_int_equal(ese_checkpoint_read_file("/nonexistent/SRU.chk", &r, NULL),
			 JET_errFileNotFound);
	g_free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_win11_dirty),
		cmocka_unit_test(test_win10_clean),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_every_byte),
		cmocka_unit_test(test_attach_list),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
