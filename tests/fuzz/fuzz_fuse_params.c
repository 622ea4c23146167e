/*
 * fuzz_fuse_params.c - the parsers of jetrestorefs' control values
 * (fuse/params.h) on arbitrary text: the first byte picks the parser, the
 * rest is what a user wrote to the control file. A value that parses must
 * print to its canonical text and parse back to the same value; a refused
 * one must leave its output untouched.
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *sources[] = { "SRUDB.dat", "other.edb", "Windows.edb" };
#define N_SOURCES 3

static void fuzz_rstmap(const char *text, size_t len)
{
	char *names[N_SOURCES] = { NULL, NULL, NULL };
	char *again[N_SOURCES] = { NULL, NULL, NULL };
	char *canon;

	if (jrfs_parse_rstmap(text, len, sources, N_SOURCES, names, NULL)) {
		for (unsigned i = 0; i < N_SOURCES; i++)
			if (names[i])
				abort();
		return;
	}
	canon = jrfs_format_rstmap(sources, names, N_SOURCES);
	if (jrfs_parse_rstmap(canon, strlen(canon), sources, N_SOURCES, again,
			      NULL))
		abort();
	for (unsigned i = 0; i < N_SOURCES; i++) {
		if (strcmp(names[i], again[i]) || jrfs_check_name(names[i], NULL))
			abort();
		g_free(names[i]);
		g_free(again[i]);
	}
	g_free(canon);
}

static void fuzz_loginfo(const char *text, size_t len)
{
	jrfs_params p, q;
	char *canon;

	jrfs_params_init(&p);
	jrfs_params_init(&q);
	p.gen_low = 7;
	if (jrfs_parse_loginfo(text, len, &p, NULL)) {
		if (p.gen_low != 7 || p.have_loginfo)
			abort();
		return;
	}
	if (p.have_loginfo && (p.gen_low == 0 || p.gen_low > p.gen_high ||
			       strlen(p.base) != JET_BASE_NAME_LENGTH))
		abort();
	canon = jrfs_format_loginfo(&p);
	if (jrfs_parse_loginfo(canon, strlen(canon), &q, NULL) ||
	    q.have_loginfo != p.have_loginfo || q.gen_low != p.gen_low ||
	    q.gen_high != p.gen_high || strcmp(q.base, p.base))
		abort();
	g_free(canon);
}

static void fuzz_mode(const char *text, size_t len)
{
	jr_mode m = (jr_mode)99, m2;
	const char *name;

	if (jrfs_parse_mode(text, len, &m, NULL)) {
		if (m != (jr_mode)99)
			abort();
		return;
	}
	name = jrfs_mode_name(m);
	if (jrfs_parse_mode(name, strlen(name), &m2, NULL) || m2 != m)
		abort();
}

static void fuzz_size(const char *text, size_t len)
{
	char *s = g_strndup(text, len);
	uint64_t v = 12345;

	if (jrfs_parse_size(s, &v, NULL) && v != 12345)
		abort();
	g_free(s);
}

static void fuzz_words(const char *text, size_t len)
{
	char **w = NULL;

	if (jrfs_split_words(text, len, &w, NULL)) {
		if (w)
			abort();
		return;
	}
	if (!w[0])
		abort();
	for (unsigned i = 0; w[i]; i++)
		if (!*w[i] || strpbrk(w[i], " \t\r\n"))
			abort();
	g_strfreev(w);
}

static void fuzz_target(const char *text, size_t len)
{
	char *logs = (char *)1, *chk = (char *)1;

	if (jrfs_parse_target(text, len, &logs, &chk, NULL)) {
		if (logs != (char *)1 || chk != (char *)1)
			abort();
		return;
	}
	if (!logs != !chk || (logs && (logs[0] != '/' || chk[0] != '/')))
		abort();
	g_free(logs);
	g_free(chk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;

	if (size == 0)
		return 0;
	switch (data[0] % 6) {
	case 0:
		fuzz_rstmap(text, len);
		break;
	case 1:
		fuzz_loginfo(text, len);
		break;
	case 2:
		fuzz_mode(text, len);
		break;
	case 3:
		fuzz_size(text, len);
		break;
	case 4:
		fuzz_words(text, len);
		break;
	default:
		fuzz_target(text, len);
		break;
	}
	return 0;
}
