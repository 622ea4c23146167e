/*
 * test_errors.c - the error table carries ESE's numbers and names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "jetrestore.h"

static void test_known_numbers(void **state)
{
	(void)state;
	assert_int_equal(JET_errLogFileCorrupt, -501);
	assert_int_equal(JET_errStartingRestoreLogTooHigh, -554);
	assert_int_equal(JET_errEndingRestoreLogTooLow, -553);
	assert_int_equal(JET_errRestoreOfNonBackupDatabase, -615);
	assert_int_equal(JET_errDatabaseCorrupted, -1206);
	assert_int_equal(JET_errFileNotFound, -1811);
	assert_string_equal(jet_error_name(-501), "LogFileCorrupt");
	assert_string_equal(jet_error_name(-615), "RestoreOfNonBackupDatabase");
	assert_string_equal(jet_error_name(-1080), "RunningInOneInstanceMode");
	assert_string_equal(jet_error_name(0), "Success");
}

static void test_unknown_number(void **state)
{
	(void)state;
	assert_string_equal(jet_error_name(-99999), "Unknown");
	assert_non_null(jet_error_message(-99999));
	assert_true(strlen(jet_error_message(-528)) > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_numbers),
		cmocka_unit_test(test_unknown_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
