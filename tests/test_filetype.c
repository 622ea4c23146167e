/*
 * test_filetype.c - every file of the three real sets classified by its
 * content (SRUtmp.log, reserve logs and flush maps included), damaged
 * headers still recognised, zero and random buffers Unknown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checksum.h"
#include "ese/filetype.h"
#include "util/bytes.h"
#include "testutil.h"

struct expect {
	const char *set;
	const char *file;
	uint32_t type;
	bool header_ok;
	bool blank;
};

static const struct expect real_files[] = {
	{ "srum-win11-dirty", "SRUDB.dat", JET_filetypeDatabase, true, false },
	{ "srum-win11-dirty", "SRU.chk", JET_filetypeCheckpoint, true, false },
	{ "srum-win11-dirty", "SRU.log", JET_filetypeLog, true, false },
	{ "srum-win11-dirty", "SRU00059.log", JET_filetypeLog, true, false },
	{ "srum-win11-dirty", "SRU0005A.log", JET_filetypeLog, true, false },
	{ "srum-win11-dirty", "SRU0005B.log", JET_filetypeLog, true, false },
	{ "srum-win11-dirty", "SRUtmp.log", JET_filetypeLog, true, false },
	{ "srum-win11-dirty", "SRUDB.jfm", JET_filetypeFlushMap, true, false },
	{ "srum-win11-dirty", "SRUres00001.jrs", JET_filetypeUnknown, false, true },
	{ "srum-win10-clean-a", "SRUDB.dat", JET_filetypeDatabase, true, false },
	{ "srum-win10-clean-a", "SRU.chk", JET_filetypeCheckpoint, true, false },
	{ "srum-win10-clean-a", "SRU00003.log", JET_filetypeLog, true, false },
	{ "srum-win10-clean-a", "SRU.log", JET_filetypeLog, true, false },
	{ "srum-win10-clean-a", "SRUDB.jfm", JET_filetypeFlushMap, true, false },
	{ "srum-win10-clean-a", "SRUres00001.jrs", JET_filetypeUnknown, false, true },
	{ "srum-win10-clean-b", "SRUDB.dat", JET_filetypeDatabase, true, false },
	{ "srum-win10-clean-b", "SRU.chk", JET_filetypeCheckpoint, true, false },
	{ "srum-win10-clean-b", "SRU00019.log", JET_filetypeLog, true, false },
	{ "srum-win10-clean-b", "SRUtmp.log", JET_filetypeLog, true, false },
	{ "srum-win10-clean-b", "SRUDB.jfm", JET_filetypeFlushMap, true, false },
	{ "srum-win10-clean-b", "SRUres00001.jrs", JET_filetypeUnknown, false, true },
	{ "srum-win10-clean-b", "SRUres00002.jrs", JET_filetypeUnknown, false, true },
};

static void test_real_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(real_files); i++) {
		const struct expect *e = &real_files[i];
		char *path = jr_test_data(e->set, e->file);
		ese_file_info fi;
		size_t len;
		uint8_t *buf;

		assert_int_equal(ese_file_detect_path(path, &fi, NULL), 0);
		if (fi.filetype != e->type)
			fail_msg("%s/%s: %s, expected %s", e->set, e->file,
				 ese_filetype_name(fi.filetype),
				 ese_filetype_name(e->type));
		assert_int_equal(fi.header_ok, e->header_ok);
		assert_int_equal(fi.blank, e->blank);
		assert_int_equal(fi.copy, 0);
		if (e->type != JET_filetypeUnknown) {
			assert_int_equal(fi.header_size, 4096);
			assert_int_equal(fi.stored_type, e->type);
		}
		/* the first 8 KiB are enough */
		buf = jr_test_slurp(path, &len);
		assert_int_equal(ese_file_detect(buf, len < 8192 ? len : 8192), e->type);
		g_free(buf);
		g_free(path);
	}
}

static void test_damaged_headers(void **state)
{
	char *path = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	size_t len;
	uint8_t *db = jr_test_slurp(path, &len);
	ese_file_info fi;

	(void)state;
	/* header checksum broken: still a database, the shadow validates */
	db[3000] ^= 1;
	ese_file_detect_ex(db, 65536, &fi);
	assert_int_equal(fi.filetype, JET_filetypeDatabase);
	assert_true(fi.header_ok);
	assert_int_equal(fi.copy, 1);
	/* the first copy wiped: the shadow identifies it */
	memset(db, 0, 4096);
	ese_file_detect_ex(db, 65536, &fi);
	assert_int_equal(fi.filetype, JET_filetypeDatabase);
	assert_int_equal(fi.copy, 1);
	/* both copies' checksums broken: magic and type still say database */
	db[4096 + 3000] ^= 1;
	memcpy(db, db + 4096, 4096);
	ese_file_detect_ex(db, 65536, &fi);
	assert_int_equal(fi.filetype, JET_filetypeDatabase);
	assert_false(fi.header_ok);
	/* a streaming backup copy carries type 2 */
	jr_put_le32(db + 667, JET_filetypeStreamingFile);
	assert_int_equal(ese_file_detect(db, 8192), JET_filetypeStreamingFile);
	/* an untyped copy needs its checksum (old databases) */
	jr_put_le32(db + 667, 0);
	assert_int_equal(ese_file_detect(db, 4096), JET_filetypeUnknown);
	ese_header_checksum_write(db, 4096);
	assert_int_equal(ese_file_detect(db, 4096), JET_filetypeDatabase);
	g_free(db);
	g_free(path);

	/* checkpoint: either copy */
	path = jr_test_data("srum-win11-dirty", "SRU.chk");
	uint8_t *chk = jr_test_slurp(path, &len);

	chk[100] ^= 1;
	ese_file_detect_ex(chk, len, &fi);
	assert_int_equal(fi.filetype, JET_filetypeCheckpoint);
	assert_int_equal(fi.copy, 1);
	chk[4096 + 100] ^= 1;
	ese_file_detect_ex(chk, len, &fi);
	assert_int_equal(fi.filetype, JET_filetypeCheckpoint);
	assert_false(fi.header_ok);
	g_free(chk);
	g_free(path);

	/* log: a broken checksum, the version still reads 8.4000 */
	path = jr_test_data("srum-win11-dirty", "SRU.log");
	uint8_t *log = jr_test_slurp(path, &len);

	log[200] ^= 1;
	ese_file_detect_ex(log, len, &fi);
	assert_int_equal(fi.filetype, JET_filetypeLog);
	assert_false(fi.header_ok);
	jr_put_le32(log + 36, 1234);
	assert_int_equal(ese_file_detect(log, len), JET_filetypeUnknown);
	g_free(log);
	g_free(path);
}

static void test_unknown(void **state)
{
	uint8_t buf[65536];
	GRand *r = g_rand_new_with_seed(99);
	ese_file_info fi;

	(void)state;
	memset(buf, 0, sizeof buf);
	ese_file_detect_ex(buf, sizeof buf, &fi);
	assert_int_equal(fi.filetype, JET_filetypeUnknown);
	assert_true(fi.blank);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)g_rand_int_range(r, 0, 256);
		assert_int_equal(ese_file_detect(buf, sizeof buf), JET_filetypeUnknown);
		/* a plausible type byte alone is not enough */
		jr_put_le32(buf + 667, 1 + (uint32_t)(round % 11));
		assert_int_equal(ese_file_detect(buf, sizeof buf), JET_filetypeUnknown);
	}
	/* a text file */
	memset(buf, 'A', sizeof buf);
	assert_int_equal(ese_file_detect(buf, sizeof buf), JET_filetypeUnknown);
	/* too short for the type field */
	assert_int_equal(ese_file_detect(buf, 670), JET_filetypeUnknown);
	assert_int_equal(ese_file_detect(buf, 0), JET_filetypeUnknown);
	assert_int_equal(ese_file_detect_path("/nonexistent/file", &fi, NULL),
			 JET_errFileNotFound);
	g_rand_free(r);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ese_filetype_name(JET_filetypeDatabase), "Database");
	assert_string_equal(ese_filetype_name(JET_filetypeLog), "Log");
	assert_string_equal(ese_filetype_name(JET_filetypeCheckpoint), "Checkpoint");
	assert_string_equal(ese_filetype_name(JET_filetypeFlushMap), "FlushMap");
	assert_string_equal(ese_filetype_name(JET_filetypeStreamingFile), "StreamingFile");
	assert_string_equal(ese_filetype_name(11), "RBSRevertCheckpoint");
	assert_string_equal(ese_filetype_name(12), "Unknown");
	assert_string_equal(ese_filetype_name(0), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files),
		cmocka_unit_test(test_damaged_headers),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
