/*
 * testutil.c - shared test helpers (see testutil.h).
 */
#include "testutil.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

char *jr_test_data(const char *set, const char *file)
{
	const char *root = getenv("JR_TESTDATA");
	char *path;

	if (!root)
		fail_msg("JR_TESTDATA is not set: run the tests with make check");
	path = file ? g_build_filename(root, set, file, NULL)
		    : g_build_filename(root, set, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		fail_msg("missing test data %s", path);
	return path;
}

static void jr_rm_rf(const char *path)
{
	GDir *dir;
	const char *name;

	if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
	    !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		dir = g_dir_open(path, 0, NULL);
		while (dir && (name = g_dir_read_name(dir))) {
			char *child = g_build_filename(path, name, NULL);

			jr_rm_rf(child);
			g_free(child);
		}
		if (dir)
			g_dir_close(dir);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

char *jr_test_tmpdir(const char *name)
{
	const char *root = getenv("JR_TESTTMP");
	char *path;

	if (!root)
		root = g_get_tmp_dir();
	path = g_build_filename(root, name, NULL);
	jr_rm_rf(path);
	if (g_mkdir_with_parents(path, 0755) != 0)
		fail_msg("cannot create %s", path);
	return path;
}

uint8_t *jr_test_slurp(const char *path, size_t *len_out)
{
	gchar *buf = NULL;
	gsize len = 0;
	GError *err = NULL;

	if (!g_file_get_contents(path, &buf, &len, &err))
		fail_msg("cannot read %s: %s", path, err->message);
	*len_out = len;
	return (uint8_t *)buf;
}

void jr_test_spit(const char *path, const void *buf, size_t len)
{
	GError *err = NULL;

	if (!g_file_set_contents(path, buf, (gssize)len, &err))
		fail_msg("cannot write %s: %s", path, err->message);
}

void jr_test_copy(const char *src, const char *dst)
{
	size_t len;
	uint8_t *buf = jr_test_slurp(src, &len);

	jr_test_spit(dst, buf, len);
	g_free(buf);
}
