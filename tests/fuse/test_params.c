/*
 * test_params.c - the syntax of the .restore/ control values and mount
 * options: every accepted form gives the exact value, every refused one
 * -1003 with a reason, and a refused parse leaves its output untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cache.h"
#include "params.h"
#include "testutil.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_mode(void **state)
{
	jr_mode m = JR_MODE_AUTO;
	jr_errinfo ei;

	(void)state;
	assert_int_equal(jrfs_parse_mode(S("hard\n"), &m, NULL), 0);
	assert_int_equal(m, JR_MODE_HARD);
	assert_int_equal(jrfs_parse_mode(S("  soft  "), &m, NULL), 0);
	assert_int_equal(m, JR_MODE_SOFT);
	assert_int_equal(jrfs_parse_mode(S("auto"), &m, NULL), 0);
	assert_int_equal(m, JR_MODE_AUTO);
	assert_string_equal(jrfs_mode_name(JR_MODE_HARD), "hard");

	jr_errinfo_clear(&ei);
	assert_int_equal(jrfs_parse_mode(S("HARD"), &m, &ei), JET_errInvalidParameter);
	assert_int_equal(ei.err, -1003);
	assert_non_null(strstr(ei.detail, "not auto, hard or soft"));
	assert_int_equal(m, JR_MODE_AUTO);
	assert_int_equal(jrfs_parse_mode(S(""), &m, NULL), JET_errInvalidParameter);
	assert_int_equal(jrfs_parse_mode(S("hard soft"), &m, NULL),
			 JET_errInvalidParameter);
	assert_int_equal(jrfs_parse_mode("ha\0rd", 5, &m, NULL),
			 JET_errInvalidParameter);
}

static void test_loginfo(void **state)
{
	jrfs_params p;
	jr_errinfo ei;
	char *s;

	(void)state;
	jrfs_params_init(&p);
	assert_int_equal(jrfs_parse_loginfo(S("89 92 SRU\n"), &p, NULL), 0);
	assert_true(p.have_loginfo);
	assert_int_equal(p.gen_low, 89);
	assert_int_equal(p.gen_high, 92);
	assert_string_equal(p.base, "SRU");
	s = jrfs_format_loginfo(&p);
	assert_string_equal(s, "89 92 SRU\n");
	g_free(s);
	/* The mount option form, hex generations. */
	assert_int_equal(jrfs_parse_loginfo(S("0x59:0x5c:edb"), &p, NULL), 0);
	assert_int_equal(p.gen_low, 0x59);
	assert_int_equal(p.gen_high, 0x5c);
	assert_string_equal(p.base, "edb");

	jr_errinfo_clear(&ei);
	assert_int_equal(jrfs_parse_loginfo(S("92 89 SRU"), &p, &ei), -1003);
	assert_non_null(strstr(ei.detail, "above genHigh"));
	assert_int_equal(p.gen_low, 0x59);  /* untouched */
	assert_int_equal(jrfs_parse_loginfo(S("1 2 SRUX"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("1 2 S-U"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("0 2 SRU"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("-1 2 SRU"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("1 0x80000000 SRU"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("1 2"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("1 2 SRU x"), &p, NULL), -1003);
	assert_int_equal(jrfs_parse_loginfo(S("1x 2 SRU"), &p, NULL), -1003);
	assert_true(p.have_loginfo);
	/* Empty clears. */
	assert_int_equal(jrfs_parse_loginfo(S(" \n"), &p, NULL), 0);
	assert_false(p.have_loginfo);
	s = jrfs_format_loginfo(&p);
	assert_string_equal(s, "");
	g_free(s);
	jrfs_params_clear(&p);
}

static void test_target(void **state)
{
	char *dir = jr_test_tmpdir("fuse-params-target");
	char *a = g_build_filename(dir, "logs dir", NULL);
	char *b = g_build_filename(dir, "chk", NULL);
	char *file = g_build_filename(dir, "file", NULL);
	char *text, *logs = NULL, *chk = NULL;
	jr_errinfo ei;

	(void)state;
	assert_int_equal(g_mkdir(a, 0700), 0);
	assert_int_equal(g_mkdir(b, 0700), 0);
	jr_test_spit(file, "x", 1);

	/* One directory per line: spaces allowed. */
	text = g_strdup_printf("%s\n%s\n", a, b);
	assert_int_equal(jrfs_parse_target(text, strlen(text), &logs, &chk, NULL), 0);
	assert_string_equal(logs, a);
	assert_string_equal(chk, b);
	g_free(text);
	g_free(logs);
	g_free(chk);
	/* One line, two words. */
	text = g_strdup_printf("%s %s\n", b, b);
	assert_int_equal(jrfs_parse_target(text, strlen(text), &logs, &chk, NULL), 0);
	assert_string_equal(logs, b);
	assert_string_equal(chk, b);
	g_free(text);
	g_free(logs);
	g_free(chk);
	/* Empty: none. */
	assert_int_equal(jrfs_parse_target(S("\n"), &logs, &chk, NULL), 0);
	assert_null(logs);
	assert_null(chk);

	jr_errinfo_clear(&ei);
	text = g_strdup_printf("%s\n", b);
	assert_int_equal(jrfs_parse_target(text, strlen(text), &logs, &chk, &ei), -1003);
	assert_non_null(strstr(ei.detail, "both or none"));
	g_free(text);
	text = g_strdup_printf("%s %s/missing\n", b, dir);
	assert_int_equal(jrfs_parse_target(text, strlen(text), &logs, &chk, NULL), -1003);
	g_free(text);
	text = g_strdup_printf("%s %s\n", b, file);
	jr_errinfo_clear(&ei);
	assert_int_equal(jrfs_parse_target(text, strlen(text), &logs, &chk, &ei), -1003);
	assert_non_null(strstr(ei.detail, "not a directory"));
	g_free(text);
	assert_int_equal(jrfs_parse_target(S("logs chk"), &logs, &chk, NULL), -1003);
	assert_int_equal(jrfs_parse_target(S("/ / /"), &logs, &chk, NULL), -1003);
	assert_null(logs);
	g_free(a);
	g_free(b);
	g_free(file);
	g_free(dir);
}

static void test_rstmap(void **state)
{
	char *sources[] = { "SRUDB.dat", "other.edb" };
	char *names[2] = { NULL, NULL };
	jr_errinfo ei;
	char *s;

	(void)state;
	assert_int_equal(jrfs_parse_rstmap(S("# comment\nSRUDB.dat srum.edb\n\n"),
					   sources, 2, names, NULL), 0);
	assert_string_equal(names[0], "srum.edb");
	assert_string_equal(names[1], "other.edb");
	s = jrfs_format_rstmap(sources, names, 2);
	assert_string_equal(s, "SRUDB.dat srum.edb\nother.edb other.edb\n");
	g_free(s);
	g_free(names[0]);
	g_free(names[1]);
	/* A recorded Windows path names the database by its last component,
	 * without case; both may be renamed; swapping names is fine. */
	assert_int_equal(jrfs_parse_rstmap(
		S("C:\\Windows\\System32\\sru\\srudb.DAT other.edb\nother.edb SRUDB.dat"),
		sources, 2, names, NULL), 0);
	assert_string_equal(names[0], "other.edb");
	assert_string_equal(names[1], "SRUDB.dat");
	g_free(names[0]);
	g_free(names[1]);
	names[0] = names[1] = NULL;
	/* Empty: every database under its own name. */
	assert_int_equal(jrfs_parse_rstmap(S(""), sources, 2, names, NULL), 0);
	assert_string_equal(names[0], "SRUDB.dat");
	g_free(names[0]);
	g_free(names[1]);
	names[0] = names[1] = NULL;

	/* Refusals, each with its reason; names untouched. */
	struct { const char *text; const char *why; } bad[] = {
		{ "SRUDB.dat\n", "expected 'OLD NEW'" },
		{ "SRUDB.dat a b\n", "expected 'OLD NEW'" },
		{ "nosuch.edb x\n", "not a database of the backup set" },
		{ "SRUDB.dat a\nSRUDB.dat b\n", "mapped twice" },
		{ "SRUDB.dat a/b\n", "holds a '/'" },
		{ "SRUDB.dat ..\n", "cannot name a database" },
		{ "SRUDB.dat .\n", "cannot name a database" },
		{ "SRUDB.dat raw\n", "the mount uses itself" },
		{ "SRUDB.dat .restore\n", "the mount uses itself" },
		{ "SRUDB.dat x\nother.edb x\n", "would both be named 'x'" },
		{ "SRUDB.dat other.edb\n", "would both be named 'other.edb'" },
		{ "SRUDB.dat a\x01\n", "control character" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		jr_errinfo_clear(&ei);
		assert_int_equal(jrfs_parse_rstmap(bad[i].text, strlen(bad[i].text),
						   sources, 2, names, &ei), -1003);
		if (!strstr(ei.detail, bad[i].why))
			fail_msg("rstmap '%s': detail '%s' lacks '%s'", bad[i].text,
				 ei.detail, bad[i].why);
		assert_null(names[0]);
	}
	assert_int_equal(jrfs_parse_rstmap("SRUDB.dat a\0b", 13, sources, 2,
					   names, NULL), -1003);
}

static void test_size(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(jrfs_parse_size("1048576", &v, NULL), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(jrfs_parse_size("512K", &v, NULL), 0);
	assert_int_equal(v, 512 * 1024);
	assert_int_equal(jrfs_parse_size("100M", &v, NULL), 0);
	assert_int_equal(v, 100ull << 20);
	assert_int_equal(jrfs_parse_size("2GiB", &v, NULL), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(jrfs_parse_size("1t", &v, NULL), 0);
	assert_int_equal(v, 1ull << 40);
	assert_int_equal(jrfs_parse_size("0", &v, NULL), 0);
	assert_int_equal(v, 0);
	v = 7;
	assert_int_equal(jrfs_parse_size("", &v, NULL), -1003);
	assert_int_equal(jrfs_parse_size("-1", &v, NULL), -1003);
	assert_int_equal(jrfs_parse_size("12X", &v, NULL), -1003);
	assert_int_equal(jrfs_parse_size("12MX", &v, NULL), -1003);
	assert_int_equal(jrfs_parse_size("99999999999999999999", &v, NULL), -1003);
	assert_int_equal(jrfs_parse_size("17000000000E", &v, NULL), -1003);
	assert_int_equal(v, 7);
}

static void test_words(void **state)
{
	char **w = NULL;

	(void)state;
	assert_int_equal(jrfs_split_words(S(" a\tb\n\nall \n"), &w, NULL), 0);
	assert_int_equal(g_strv_length(w), 3);
	assert_string_equal(w[0], "a");
	assert_string_equal(w[2], "all");
	g_strfreev(w);
	w = NULL;
	assert_int_equal(jrfs_split_words(S(" \n"), &w, NULL), -1003);
	assert_null(w);
}

static void test_names(void **state)
{
	char longname[300];

	(void)state;
	assert_int_equal(jrfs_check_name("SRUDB.dat", NULL), 0);
	assert_int_equal(jrfs_check_name("with space.edb", NULL), 0);
	assert_int_equal(jrfs_check_name("", NULL), -1003);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(jrfs_check_name(longname, NULL), -1003);
	longname[255] = '\0';
	assert_int_equal(jrfs_check_name(longname, NULL), 0);
}

/* The fingerprint changes with every input and only with them. */
static void test_fingerprint(void **state)
{
	jrfs_params p;
	char a[JRFS_FP_HEX], b[JRFS_FP_HEX];

	(void)state;
	jrfs_params_init(&p);
	jrfs_fingerprint("set1", "SRUDB.dat", "SRUDB.dat", &p, "", a);
	assert_int_equal(strlen(a), 64);
	jrfs_fingerprint("set1", "SRUDB.dat", "SRUDB.dat", &p, "", b);
	assert_string_equal(a, b);
	jrfs_fingerprint("set2", "SRUDB.dat", "SRUDB.dat", &p, "", b);
	assert_string_not_equal(a, b);
	jrfs_fingerprint("set1", "SRUDB.dat", "x.edb", &p, "", b);
	assert_string_not_equal(a, b);
	p.mode = JR_MODE_SOFT;
	jrfs_fingerprint("set1", "SRUDB.dat", "SRUDB.dat", &p, "", b);
	assert_string_not_equal(a, b);
	p.mode = JR_MODE_AUTO;
	assert_int_equal(jrfs_parse_loginfo(S("1 2 SRU"), &p, NULL), 0);
	jrfs_fingerprint("set1", "SRUDB.dat", "SRUDB.dat", &p, "", b);
	assert_string_not_equal(a, b);
	jrfs_params_clear(&p);
	jrfs_fingerprint("set1", "SRUDB.dat", "SRUDB.dat", &p, "", b);
	assert_string_equal(a, b);
}

/* The digest of a real set is stable and sees a one-byte change. */
static void test_digest(void **state)
{
	char *set = jr_test_data("srum-win11-dirty", NULL);
	char *dir = jr_test_tmpdir("fuse-params-digest");
	char *copy = g_build_filename(dir, "SRU.chk", NULL);
	char *src = g_build_filename(set, "SRU.chk", NULL);
	char a[JRFS_FP_HEX], b[JRFS_FP_HEX];
	uint8_t *buf;
	size_t len;
	struct timespec ts[2];

	(void)state;
	assert_int_equal(jrfs_digest_dir(set, a, NULL), 0);
	assert_int_equal(jrfs_digest_dir(set, b, NULL), 0);
	assert_string_equal(a, b);

	jr_test_copy(src, copy);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[1] = ts[0];
	utimensat(AT_FDCWD, copy, ts, 0);
	assert_int_equal(jrfs_digest_dir(dir, a, NULL), 0);
	buf = jr_test_slurp(copy, &len);
	assert_int_equal(len, 8192);
	/* Same size and time: only the content tells them apart. */
	buf[100] ^= 1;
	jr_test_spit(copy, buf, len);
	utimensat(AT_FDCWD, copy, ts, 0);
	assert_int_equal(jrfs_digest_dir(dir, b, NULL), 0);
	assert_string_not_equal(a, b);
	/* Put back: the same digest again. */
	buf[100] ^= 1;
	jr_test_spit(copy, buf, len);
	utimensat(AT_FDCWD, copy, ts, 0);
	assert_int_equal(jrfs_digest_dir(dir, b, NULL), 0);
	assert_string_equal(a, b);
	assert_int_equal(jrfs_digest_dir("/nonexistent-jetrestore", a, NULL),
			 JET_errFileNotFound);
	g_free(buf);
	g_free(src);
	g_free(copy);
	g_free(dir);
	g_free(set);
}

/* Store, look up, evict least recently used, never the newest. */
static void test_cache(void **state)
{
	char *dir = jr_test_tmpdir("fuse-params-cache");
	char *cdir = g_build_filename(dir, "cache", NULL);
	jrfs_cache *c;
	jrfs_cache_meta meta = { .size = 10000, .records = 5 }, got;
	char *tmp, *file, *path = NULL, **gone;
	char fps[3][JRFS_FP_HEX] = { "aaaa", "bbbb", "cccc" };
	uint8_t data[10000];

	(void)state;
	memset(data, 0x5a, sizeof(data));
	assert_int_equal(jrfs_cache_open(cdir, 25000, &c, NULL), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(jrfs_cache_mktemp(c, &tmp, NULL), 0);
		file = g_build_filename(tmp, "x.edb", NULL);
		jr_test_spit(file, data, sizeof(data));
		assert_int_equal(jrfs_cache_store(c, fps[i], file, &meta, "s", "n",
						  "/b", &path, NULL), 0);
		jrfs_cache_rmtemp(tmp);
		assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
		g_free(path);
		g_free(file);
		g_free(tmp);
		g_usleep(20000);  /* distinct use times */
	}
	assert_true(jrfs_cache_lookup(c, "aaaa", &path, &got));
	assert_int_equal(got.size, 10000);
	assert_int_equal(got.records, 5);
	g_free(path);
	assert_false(jrfs_cache_lookup(c, "dddd", &path, &got));
	/* 30000 > 25000: the least recently used (aaaa) goes. */
	gone = jrfs_cache_evict(c, NULL, NULL);
	assert_int_equal(g_strv_length(gone), 1);
	assert_string_equal(gone[0], "aaaa");
	g_strfreev(gone);
	assert_false(jrfs_cache_lookup(c, "aaaa", &path, &got));
	jrfs_cache_close(c);

	/* Limit 1 byte: all but the newest go. */
	assert_int_equal(jrfs_cache_open(cdir, 1, &c, NULL), 0);
	jrfs_cache_touch(c, "bbbb");
	gone = jrfs_cache_evict(c, NULL, NULL);
	assert_int_equal(g_strv_length(gone), 1);
	assert_string_equal(gone[0], "cccc");
	g_strfreev(gone);
	assert_true(jrfs_cache_lookup(c, "bbbb", &path, &got));
	g_free(path);
	/* A result whose file lost bytes is not a result. */
	path = g_build_filename(cdir, "bbbb.edb", NULL);
	assert_int_equal(truncate(path, 100), 0);
	g_free(path);
	assert_false(jrfs_cache_lookup(c, "bbbb", &path, &got));
	jrfs_cache_close(c);
	g_free(cdir);
	g_free(dir);
}

/* Stray temporary directories of dead processes and orphans go at open. */
static void test_cache_strays(void **state)
{
	char *dir = jr_test_tmpdir("fuse-params-strays");
	char *dead = g_build_filename(dir, "tmp-999999999-0", NULL);
	char *live = g_strdup_printf("%s/tmp-%d-77", dir, (int)getpid());
	char *orphan = g_build_filename(dir, "eeee.edb", NULL);
	char *inner = g_build_filename(dead, "partial.edb", NULL);
	jrfs_cache *c;

	(void)state;
	assert_int_equal(g_mkdir(dead, 0700), 0);
	assert_int_equal(g_mkdir(live, 0700), 0);
	jr_test_spit(inner, "x", 1);
	jr_test_spit(orphan, "x", 1);
	assert_int_equal(jrfs_cache_open(dir, 0, &c, NULL), 0);
	assert_false(g_file_test(dead, G_FILE_TEST_EXISTS));
	assert_false(g_file_test(orphan, G_FILE_TEST_EXISTS));
	assert_true(g_file_test(live, G_FILE_TEST_IS_DIR));
	jrfs_cache_close(c);
	g_free(dead);
	g_free(live);
	g_free(orphan);
	g_free(inner);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_loginfo),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_rstmap),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_strays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
