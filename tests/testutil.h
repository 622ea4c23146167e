/*
 * testutil.h - helpers shared by the cmocka unit tests.
 *
 * The build unpacks the bundled real sets into $JR_TESTDATA/<set>/ and gives
 * each test a scratch area under $JR_TESTTMP. Paths returned are g_malloc'd:
 * the caller frees them with g_free().
 */
#ifndef JR_TESTS_TESTUTIL_H
#define JR_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* $JR_TESTDATA/<set>/<file> (file may be NULL for the set's directory).
 * Fails the test if JR_TESTDATA is unset or the path does not exist. */
char *jr_test_data(const char *set, const char *file);

/* A fresh, empty directory under $JR_TESTTMP named after `name`. */
char *jr_test_tmpdir(const char *name);

/* Read a whole file into a g_malloc'd buffer; fails the test on error. */
uint8_t *jr_test_slurp(const char *path, size_t *len_out);

/* Write len bytes to path (created or truncated); fails the test on error. */
void jr_test_spit(const char *path, const void *buf, size_t len);

/* Copy file src to dst, fails the test on error. */
void jr_test_copy(const char *src, const char *dst);

/* Copy every file of real set `set` into a fresh jr_test_tmpdir(name),
 * except the names in `skip` (NULL-terminated list, or NULL). Returns the
 * directory (g_free). */
char *jr_test_copy_set(const char *set, const char *name,
		       const char *const *skip);

/* The names of a directory's entries, sorted by strcmp, as a
 * NULL-terminated g_malloc'd vector (g_strfreev). Fails the test if the
 * directory cannot be opened. */
char **jr_test_dir_names(const char *dir);

/* SHA-256 (hex, g_free) over the sorted names and contents of a
 * directory's files; *n (if not NULL) gets their number. */
char *jr_test_dir_hash(const char *dir, unsigned *n);

/* Number of entries in dir; 0 if it does not exist. */
unsigned jr_test_dir_count(const char *dir);

#endif
