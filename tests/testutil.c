/*
 * testutil.c - shared test helpers (see testutil.h).
 */
#include "testutil.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

char *jr_test_copy_set(const char *set, const char *name,
		       const char *const *skip)
{
	char *src = jr_test_data(set, NULL);
	char *dst = jr_test_tmpdir(name);
	GDir *d = g_dir_open(src, 0, NULL);
	const char *f;

	if (!d)
		fail_msg("cannot open %s", src);
	while ((f = g_dir_read_name(d))) {
		bool skipped = false;
		char *a, *b;

		for (const char *const *s = skip; s && *s; s++)
			if (!strcmp(*s, f))
				skipped = true;
		if (skipped)
			continue;
		a = g_build_filename(src, f, NULL);
		b = g_build_filename(dst, f, NULL);
		jr_test_copy(a, b);
		g_free(a);
		g_free(b);
	}
	g_dir_close(d);
	g_free(src);
	return dst;
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **jr_test_dir_names(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *names = g_ptr_array_new();
	const char *n;

	if (!d)
		fail_msg("cannot open %s", dir);
	while ((n = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(n));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_names);
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

char *jr_test_dir_hash(const char *dir, unsigned *n)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char **names = jr_test_dir_names(dir);
	unsigned i;
	char *out;

	for (i = 0; names[i]; i++) {
		char *p = g_build_filename(dir, names[i], NULL);
		size_t len;
		uint8_t *buf = jr_test_slurp(p, &len);

		g_checksum_update(ck, (const guchar *)names[i],
				  (gssize)strlen(names[i]) + 1);
		g_checksum_update(ck, buf, (gssize)len);
		g_free(buf);
		g_free(p);
	}
	if (n)
		*n = i;
	out = g_strdup(g_checksum_get_string(ck));
	g_checksum_free(ck);
	g_strfreev(names);
	return out;
}

unsigned jr_test_dir_count(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	unsigned n = 0;

	if (!d)
		return 0;
	while (g_dir_read_name(d))
		n++;
	g_dir_close(d);
	return n;
}
