/*
 * test_rstmap.c - restore map rules: Windows path matching, validation and
 * selection of databases (rstmap.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "restore/rstmap.h"

/* The path the real SRUM logs record for SRUDB.dat (all three sets; one
 * Windows 10 log writes "sru" in lower case). */
#define SRU_PATH "C:\\Windows\\system32\\SRU\\SRUDB.dat"

static void test_path_base(void **state)
{
	(void)state;
	assert_string_equal(jr_path_base(SRU_PATH), "SRUDB.dat");
	assert_string_equal(jr_path_base("/srv/restore/x.edb"), "x.edb");
	assert_string_equal(jr_path_base("C:db.edb"), "db.edb");
	assert_string_equal(jr_path_base("plain"), "plain");
	assert_string_equal(jr_path_base("dir\\"), "");
}

static void test_path_equal(void **state)
{
	(void)state;
	assert_true(jr_path_equal_ci(SRU_PATH,
				     "c:\\WINDOWS\\System32\\sru\\srudb.DAT"));
	assert_true(jr_path_equal_ci(SRU_PATH,
				     "C:/Windows/system32/SRU//SRUDB.dat"));
	assert_false(jr_path_equal_ci(SRU_PATH,
				      "C:\\Windows\\system32\\SRUDB.dat"));
	assert_false(jr_path_equal_ci("a\\b", "a\\bc"));
	/* Unicode case folding, not only ASCII. */
	assert_true(jr_path_equal_ci("D:\\Daten\\ÄRGER.edb",
				     "d:\\daten\\ärger.EDB"));
	assert_false(jr_path_equal_ci("D:\\Ä.edb", "D:\\A.edb"));
}

static void test_path_tail(void **state)
{
	(void)state;
	assert_int_equal(jr_path_tail_match(SRU_PATH, "srudb.dat"), 1);
	assert_int_equal(jr_path_tail_match(SRU_PATH, "sru/SRUDB.DAT"), 2);
	assert_int_equal(jr_path_tail_match(SRU_PATH, SRU_PATH), 5);
	assert_int_equal(jr_path_tail_match(SRU_PATH, "other\\SRUDB.dat"), 0);
	assert_int_equal(jr_path_tail_match(SRU_PATH, "RUDB.dat"), 0);
	assert_int_equal(jr_path_tail_match("x.dat", "a\\x.dat"), 0);
}

static JET_ERR validate1(const char *old, const char *nw)
{
	jr_rstmap_entry m = { old, nw };
	jr_errinfo ei;

	jr_errinfo_clear(&ei);
	return jr_rstmap_validate(&m, 1, &ei);
}

static void test_validate(void **state)
{
	jr_rstmap_entry two[2];
	jr_rstmap_entry many[JR_RSTMAP_MAX + 1];
	jr_errinfo ei;

	(void)state;
	assert_int_equal(jr_rstmap_validate(NULL, 0, NULL), 0);
	assert_int_equal(jr_rstmap_validate(NULL, -1, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(jr_rstmap_validate(NULL, 2, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(jr_rstmap_validate(two, 0, NULL),
			 JET_errInvalidParameter);
	for (int i = 0; i <= JR_RSTMAP_MAX; i++) {
		many[i].old_name = "a";
		many[i].new_name = "b";
	}
	assert_int_equal(jr_rstmap_validate(many, JR_RSTMAP_MAX + 1, NULL),
			 JET_errInvalidParameter);

	assert_int_equal(validate1(SRU_PATH, "/tmp/out/SRUDB.dat"), 0);
	assert_int_equal(validate1("SRUDB.dat", "renamed.edb"), 0);
	assert_int_equal(validate1(NULL, "x"), JET_errInvalidParameter);
	assert_int_equal(validate1("", "x"), JET_errInvalidParameter);
	assert_int_equal(validate1("C:\\dir\\", "x"), JET_errInvalidParameter);
	assert_int_equal(validate1("x", NULL), JET_errInvalidParameter);
	assert_int_equal(validate1("x", ""), JET_errInvalidParameter);
	assert_int_equal(validate1("x", "/tmp/out/"), JET_errInvalidParameter);
	assert_int_equal(validate1("x", "/tmp/.."), JET_errInvalidParameter);
	assert_int_equal(validate1("x", "C:\\restore\\x.edb"),
			 JET_errInvalidParameter);
	assert_int_equal(validate1("\xff\xfe.edb", "x"),
			 JET_errInvalidParameter);

	two[0].old_name = SRU_PATH;
	two[0].new_name = "a.edb";
	two[1].old_name = "c:/windows/SYSTEM32/sru/srudb.dat";
	two[1].new_name = "b.edb";
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_rstmap_validate(two, 2, &ei),
			 JET_errInvalidParameter);
	assert_non_null(strstr(ei.detail, "both name"));
	two[1].old_name = "other.edb";
	two[1].new_name = "a.edb";
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_rstmap_validate(two, 2, &ei),
			 JET_errInvalidParameter);
	assert_non_null(strstr(ei.detail, "both restore to"));
}

/* Two databases of one backup: SRUDB.dat (recorded with its Windows path)
 * and a copy named "second.edb" recorded at D:\data\second.edb. */
static const char *const rec_sru[] = { SRU_PATH };
static const char *const rec_second[] = { "D:\\data\\second.edb",
					  "D:\\old\\second.edb" };
static const jr_rstmap_candidate cands[] = {
	{ "SRUDB.dat", rec_sru, 1 },
	{ "second.edb", rec_second, 2 },
};

static void test_score(void **state)
{
	(void)state;
	assert_int_equal(jr_rstmap_score(SRU_PATH, &cands[0]), 1000);
	assert_int_equal(jr_rstmap_score("sru\\srudb.dat", &cands[0]), 20);
	assert_int_equal(jr_rstmap_score("SRUDB.DAT", &cands[0]), 10);
	assert_int_equal(jr_rstmap_score("E:\\elsewhere\\SRUDB.dat",
					 &cands[0]), 10);
	assert_int_equal(jr_rstmap_score("second.edb", &cands[0]), 0);
	assert_int_equal(jr_rstmap_score("old\\second.edb", &cands[1]), 20);
}

static void test_match(void **state)
{
	jr_rstmap_entry m[2];
	long entry_of[2];
	jr_errinfo ei;

	(void)state;
	/* Restore one of two databases, named by its recorded path. */
	m[0].old_name = SRU_PATH;
	m[0].new_name = "/restore/sru.edb";
	assert_int_equal(jr_rstmap_match(m, 1, cands, 2, entry_of, NULL), 0);
	assert_int_equal(entry_of[0], 0);
	assert_int_equal(entry_of[1], -1);

	/* Both, one by base name and one by a recorded tail. */
	m[0].old_name = "srudb.dat";
	m[1].old_name = "data/SECOND.EDB";
	m[1].new_name = "/restore/2.edb";
	assert_int_equal(jr_rstmap_match(m, 2, cands, 2, entry_of, NULL), 0);
	assert_int_equal(entry_of[0], 0);
	assert_int_equal(entry_of[1], 1);

	/* A name of no database. */
	m[0].old_name = "C:\\nowhere\\missing.edb";
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_rstmap_match(m, 1, cands, 2, entry_of, &ei),
			 JET_errFileNotFound);
	assert_non_null(strstr(ei.detail, "missing.edb"));

	/* Two entries for one database. */
	m[0].old_name = SRU_PATH;
	m[1].old_name = "SRUDB.dat";
	assert_int_equal(jr_rstmap_match(m, 2, cands, 2, entry_of, NULL),
			 JET_errInvalidParameter);
}

static void test_match_ambiguous(void **state)
{
	static const char *const ra[] = { "C:\\a\\db.edb" };
	static const char *const rb[] = { "C:\\b\\db.edb" };
	const jr_rstmap_candidate c[] = { { "db.edb", ra, 1 },
					  { "db2.edb", rb, 1 } };
	jr_rstmap_entry m = { "db.edb", "/x" };
	long entry_of[2];
	jr_errinfo ei;

	(void)state;
	/* "db.edb" is the base name of both recorded paths (and the file
	 * name of one): ambiguous. */
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_rstmap_match(&m, 1, c, 2, entry_of, &ei),
			 JET_errInvalidParameter);
	assert_non_null(strstr(ei.detail, "matches both"));
	/* One more component decides it. */
	m.old_name = "b\\db.edb";
	assert_int_equal(jr_rstmap_match(&m, 1, c, 2, entry_of, NULL), 0);
	assert_int_equal(entry_of[0], -1);
	assert_int_equal(entry_of[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_base),
		cmocka_unit_test(test_path_equal),
		cmocka_unit_test(test_path_tail),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_ambiguous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
