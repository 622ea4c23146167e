/*
 * test_scan.c - classification of backup-set files by content and the log
 * generation chain, on the real SRUM sets and on damaged copies of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>

#include "restore/logchain.h"
#include "restore/scan.h"
#include "testutil.h"

static const jr_scan_entry *by_name(const jr_scan *s, const char *name)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->entries[i]->name, name))
			return s->entries[i];
	fail_msg("no entry %s", name);
	return NULL;
}

static void test_logname(void **state)
{
	char base[8];
	uint32_t gen;

	(void)state;
	assert_int_equal(jr_logname_parse("SRU0005A.log", base, sizeof(base),
					  &gen), JR_LOGNAME_ARCHIVED);
	assert_string_equal(base, "SRU");
	assert_int_equal(gen, 0x5a);
	assert_int_equal(jr_logname_parse("edb0000001F.log", base, sizeof(base),
					  &gen), JR_LOGNAME_ARCHIVED);
	assert_string_equal(base, "edb");
	assert_int_equal(gen, 0x1f);
	assert_int_equal(jr_logname_parse("E00.log", base, sizeof(base), &gen),
			 JR_LOGNAME_CURRENT);
	assert_string_equal(base, "E00");
	assert_int_equal(jr_logname_parse("SRUtmp.log", base, sizeof(base),
					  &gen), JR_LOGNAME_NONE);
	assert_int_equal(jr_logname_parse("SRUres00001.jrs", base, sizeof(base),
					  &gen), JR_LOGNAME_NONE);
	assert_int_equal(jr_logname_parse("SRU0005G.log", base, sizeof(base),
					  &gen), JR_LOGNAME_NONE);
}

static void test_scan_real_set(void **state)
{
	char *dir = jr_test_data("srum-win11-dirty", NULL);
	jr_scan *s;
	const jr_scan_entry *e;

	(void)state;
	assert_int_equal(jr_scan_dir(dir, &s, NULL), 0);
	assert_int_equal(s->n, 9);
	e = by_name(s, "SRUDB.dat");
	assert_int_equal(e->filetype, JET_filetypeDatabase);
	assert_non_null(e->db);
	assert_int_equal(e->db->hdr.gen_min_required, 0x5c);
	e = by_name(s, "SRU.chk");
	assert_int_equal(e->filetype, JET_filetypeCheckpoint);
	assert_non_null(e->chk);
	assert_int_equal(e->chk->chk.lgpos_checkpoint.gen, 0x5c);
	e = by_name(s, "SRU.log");
	assert_int_equal(e->filetype, JET_filetypeLog);
	assert_int_equal(e->name_kind, JR_LOGNAME_CURRENT);
	assert_int_equal(e->log->gen, 0x5c);
	e = by_name(s, "SRUtmp.log");
	assert_int_equal(e->filetype, JET_filetypeLog);
	assert_int_equal(e->name_kind, JR_LOGNAME_NONE);
	assert_int_equal(e->log->gen, 0x50);
	e = by_name(s, "SRUres00001.jrs");
	assert_true(e->blank);
	assert_int_equal(e->filetype, JET_filetypeUnknown);
	e = by_name(s, "SRUDB.jfm");
	assert_int_equal(e->filetype, JET_filetypeFlushMap);
	jr_scan_free(s);
	g_free(dir);
}

static void test_chain_real_sets(void **state)
{
	static const struct {
		const char *set;
		uint32_t low, high;
		unsigned strays;
	} sets[] = {
		{ "srum-win11-dirty", 0x59, 0x5c, 2 },
		{ "srum-win10-clean-a", 0x3, 0x9, 1 },
		{ "srum-win10-clean-b", 0x19, 0x20, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char *dir = jr_test_data(sets[i].set, NULL);
		jr_scan *s;
		jr_logchain c;
		jr_errinfo ei;
		char name[32];

		jr_errinfo_clear(&ei);
		assert_int_equal(jr_scan_dir(dir, &s, NULL), 0);
		assert_int_equal(jr_logchain_build(s, NULL, &c, &ei), 0);
		assert_string_equal(c.base, "SRU");
		assert_int_equal(c.gen_low, sets[i].low);
		assert_int_equal(c.gen_high, sets[i].high);
		assert_int_equal(c.n, sets[i].high - sets[i].low + 1);
		assert_non_null(c.current);
		assert_string_equal(c.current->name, "SRU.log");
		assert_int_equal(c.n_strays, sets[i].strays);
		assert_int_equal(c.name_digits, 5);
		{
			char want[32];

			snprintf(want, sizeof(want), "SRU%05X.log",
				 sets[i].low);
			assert_string_equal(jr_logchain_name(&c, sets[i].low,
							     name, sizeof(name)),
					    want);
		}
		jr_logchain_clear(&c);
		jr_scan_free(s);
		g_free(dir);
	}
}

static JET_ERR chain_of(const char *dir, jr_errinfo *ei)
{
	jr_scan *s;
	jr_logchain c;
	JET_ERR err;

	jr_errinfo_clear(ei);
	assert_int_equal(jr_scan_dir(dir, &s, NULL), 0);
	err = jr_logchain_build(s, NULL, &c, ei);
	if (err >= 0)
		jr_logchain_clear(&c);
	jr_scan_free(s);
	return err;
}

/* Rewrite the header of dir/name through the parser and serializer after
 * `edit` changed it: a valid checksum, one fact altered. */
static void edit_log_header(const char *dir, const char *name,
			    void (*edit)(ese_loghdr *))
{
	char *path = g_build_filename(dir, name, NULL);
	size_t len;
	uint8_t *buf = jr_test_slurp(path, &len);
	ese_loghdr *h = g_malloc(sizeof(*h));

	assert_int_equal(ese_loghdr_parse(buf, len, h, NULL), 0);
	edit(h);
	ese_loghdr_write(h, buf);
	jr_test_spit(path, buf, len);
	g_free(h);
	g_free(buf);
	g_free(path);
}

static void other_signature(ese_loghdr *h)
{
	h->sign_log.random ^= 1;
}

static void other_prev_time(ese_loghdr *h)
{
	h->tm_prev_gen.sec = (uint8_t)((h->tm_prev_gen.sec + 1) % 60);
}

static void test_chain_errors(void **state)
{
	char *dir, *p, *q;
	jr_errinfo ei;

	(void)state;
	/* a gap */
	dir = jr_test_copy_set("srum-win11-dirty", "scan_gap", NULL);
	p = g_build_filename(dir, "SRU0005A.log", NULL);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(chain_of(dir, &ei), JET_errMissingLogFile);
	assert_non_null(strstr(ei.detail, "SRU0005A.log"));
	g_free(p);
	g_free(dir);

	/* a file whose name and header disagree */
	dir = jr_test_copy_set("srum-win11-dirty", "scan_mismatch", NULL);
	p = g_build_filename(dir, "SRU0005A.log", NULL);
	q = g_build_filename(dir, "SRU0005B.log", NULL);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rename(q, p), 0);
	assert_int_equal(chain_of(dir, &ei), JET_errLogGenerationMismatch);
	assert_non_null(strstr(ei.detail, "0x5A"));
	g_free(p);
	g_free(q);
	g_free(dir);

	/* another log sequence's file */
	dir = jr_test_copy_set("srum-win11-dirty", "scan_signature", NULL);
	edit_log_header(dir, "SRU0005A.log", other_signature);
	assert_int_equal(chain_of(dir, &ei), JET_errBadLogSignature);
	assert_non_null(strstr(ei.detail, "SRU0005A.log"));
	g_free(dir);

	/* previous-generation time that does not chain */
	dir = jr_test_copy_set("srum-win11-dirty", "scan_prevtime", NULL);
	edit_log_header(dir, "SRU0005B.log", other_prev_time);
	assert_int_equal(chain_of(dir, &ei), JET_errInvalidLogSequence);
	assert_non_null(strstr(ei.detail, "SRU0005B.log"));
	g_free(dir);

	/* a member with a damaged header */
	dir = jr_test_copy_set("srum-win11-dirty", "scan_corrupt", NULL);
	p = g_build_filename(dir, "SRU00059.log", NULL);
	{
		size_t len;
		uint8_t *buf = jr_test_slurp(p, &len);

		buf[100] ^= 0x10;
		jr_test_spit(p, buf, len);
		g_free(buf);
	}
	assert_int_equal(chain_of(dir, &ei), JET_errLogFileCorrupt);
	assert_non_null(strstr(ei.detail, "SRU00059.log"));
	g_free(p);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logname),
		cmocka_unit_test(test_scan_real_set),
		cmocka_unit_test(test_chain_real_sets),
		cmocka_unit_test(test_chain_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
