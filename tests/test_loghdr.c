/*
 * test_loghdr.c - the log file header (LGFILEHDR) read off Windows' own
 * files: exact fields, generations of every file of every set, signature
 * and creation-time chaining, byte-identical round trip, and the damaged
 * or foreign headers the parser must refuse with ESE's error numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/loghdr.h"
#include "util/bytes.h"
#include "testutil.h"

struct genfile {
	const char *set;
	const char *file;
	uint32_t gen;
};

/* Every log-named file of the three sets and the generation its header
 * carries (SRU.log is the current generation, SRUtmp.log a recycled one). */
static const struct genfile all_logs[] = {
	{ "srum-win11-dirty", "SRU00059.log", 0x59 },
	{ "srum-win11-dirty", "SRU0005A.log", 0x5A },
	{ "srum-win11-dirty", "SRU0005B.log", 0x5B },
	{ "srum-win11-dirty", "SRU.log", 0x5C },
	{ "srum-win11-dirty", "SRUtmp.log", 0x50 },
	{ "srum-win10-clean-a", "SRU00003.log", 3 },
	{ "srum-win10-clean-a", "SRU00004.log", 4 },
	{ "srum-win10-clean-a", "SRU00005.log", 5 },
	{ "srum-win10-clean-a", "SRU00006.log", 6 },
	{ "srum-win10-clean-a", "SRU00007.log", 7 },
	{ "srum-win10-clean-a", "SRU00008.log", 8 },
	{ "srum-win10-clean-a", "SRU.log", 9 },
	{ "srum-win10-clean-b", "SRU00019.log", 0x19 },
	{ "srum-win10-clean-b", "SRU0001A.log", 0x1A },
	{ "srum-win10-clean-b", "SRU0001B.log", 0x1B },
	{ "srum-win10-clean-b", "SRU0001C.log", 0x1C },
	{ "srum-win10-clean-b", "SRU0001D.log", 0x1D },
	{ "srum-win10-clean-b", "SRU0001E.log", 0x1E },
	{ "srum-win10-clean-b", "SRU0001F.log", 0x1F },
	{ "srum-win10-clean-b", "SRU.log", 0x20 },
	{ "srum-win10-clean-b", "SRUtmp.log", 0x18 },
};

static ese_loghdr *read_hdr(const char *set, const char *file)
{
	ese_loghdr *h = g_new0(ese_loghdr, 1);
	char *path = jr_test_data(set, file);
	jr_errinfo ei;
	uint64_t size = 0;

	jr_errinfo_clear(&ei);
	if (ese_loghdr_read_file(path, h, &size, &ei) != JET_errSuccess)
		fail_msg("%s: %d %s", path, ei.err, ei.detail);
	assert_int_equal(size, ese_loghdr_file_size(h));
	g_free(path);
	return h;
}

static uint8_t *slurp_hdr(const char *set, const char *file, size_t *len)
{
	char *path = jr_test_data(set, file);
	uint8_t *buf = jr_test_slurp(path, len);

	g_free(path);
	return buf;
}

static void test_exact_fields_win11(void **state)
{
	ese_loghdr *h = read_hdr("srum-win11-dirty", "SRU00059.log");
	const ese_attachinfo *ai;
	char s[64];

	(void)state;
	assert_int_equal(h->checksum, 0x7e5d38cd);
	assert_int_equal(h->gen, 0x59);
	assert_int_equal(h->cb_sec, 4096);
	assert_int_equal(h->csec_header, 1);
	assert_int_equal(h->csec_lgfile, 16);
	assert_int_equal(h->cb_page, 4096);
	assert_int_equal(ese_loghdr_file_size(h), 65536);
	assert_string_equal(ese_loghdr_version_format(h, s, sizeof(s)),
			    "8.4000.90.200");
	/* tmCreate 07/03/2022 02:05:58.202 UTC, tmPrevGen ...:57.968 */
	assert_int_equal(h->tm_create.sec, 58);
	assert_int_equal(h->tm_create.min, 5);
	assert_int_equal(h->tm_create.hour, 2);
	assert_int_equal(h->tm_create.day, 3);
	assert_int_equal(h->tm_create.month, 7);
	assert_int_equal(h->tm_create.year, 122);
	assert_true(ese_logtime_is_utc(&h->tm_create));
	assert_int_equal(ese_logtime_milliseconds(&h->tm_create), 202);
	assert_int_equal(h->tm_prev_gen.sec, 57);
	assert_int_equal(ese_logtime_milliseconds(&h->tm_prev_gen), 968);
	/* log signature: random 0x25894c02 created 03/05/2022 16:20:02.646 */
	assert_int_equal(h->sign_log.random, 0x25894c02);
	assert_int_equal(h->sign_log.created.hour, 16);
	assert_int_equal(h->sign_log.created.min, 20);
	assert_int_equal(ese_logtime_milliseconds(&h->sign_log.created), 646);
	/* DBMS_PARAM */
	assert_string_equal(h->dbms.system_path, "C:\\Windows\\system32\\SRU\\");
	assert_string_equal(h->dbms.log_path, "C:\\Windows\\system32\\SRU\\");
	assert_int_equal(h->dbms.flags, 1);
	assert_int_equal(h->dbms.sessions_max, 30000);
	assert_int_equal(h->dbms.open_tables_max, 0x7fffffff);
	assert_int_equal(h->dbms.ver_pages_max, 0x7fffffff);
	assert_int_equal(h->dbms.cursors_max, 0x7fffffff);
	assert_int_equal(h->dbms.log_buffers, 16);
	assert_int_equal(h->dbms.csec_lgfile, 16);
	assert_int_equal(h->dbms.cache_size_max, 16);
	/* circular logging on (0x02) and was on (0x04) */
	assert_int_equal(h->lg_flags, 0x06);
	assert_true(ese_loghdr_circular(h));
	assert_int_equal(h->lgpos_checkpoint.gen, 0x50);
	assert_int_equal(h->lgpos_checkpoint.isec, 1);
	assert_int_equal(h->lgpos_checkpoint.ib, 0);
	assert_int_equal(h->disk_sec_size_mismatch, 0);
	assert_true(h->checksum_prev_log == 0x00e800e8e1c9766dull);
	assert_int_equal(h->efv_engine, 9400);
	assert_int_equal(h->filetype, ESE_FILETYPE_LOG);
	/* attach list: SRUDB.dat as dbid 1 */
	assert_int_equal(h->n_attach, 1);
	ai = &h->attach[0];
	assert_int_equal(ai->dbid, 1);
	assert_int_equal(ai->flags, ESE_ATTACH_UNICODE_NAMES);
	assert_int_equal(ai->cb_names, 68);
	assert_true(ai->dbtime == 0xa77e);
	assert_int_equal(ai->objid_last, 0x25);
	assert_int_equal(ai->cpg_max, 0);
	assert_int_equal(ai->lgpos_attach.gen, 0x2f);
	assert_int_equal(ai->lgpos_attach.isec, 8);
	assert_int_equal(ai->lgpos_attach.ib, 0x268);
	assert_int_equal(ai->lgpos_consistent.gen, 0x2f);
	assert_int_equal(ai->lgpos_consistent.isec, 6);
	assert_int_equal(ai->lgpos_consistent.ib, 0x36);
	assert_int_equal(ai->sign_db.random, 0x0716b55f);
	assert_string_equal(ai->path, "C:\\Windows\\system32\\SRU\\SRUDB.dat");
	g_free(h);
}

static void test_exact_fields_win10(void **state)
{
	ese_loghdr *a = read_hdr("srum-win10-clean-a", "SRU00003.log");
	ese_loghdr *b = read_hdr("srum-win10-clean-b", "SRU.log");
	char s[64];

	(void)state;
	assert_string_equal(ese_loghdr_version_format(a, s, sizeof(s)),
			    "8.4000.60.140");
	assert_int_equal(a->efv_engine, 9180);
	assert_int_equal(a->sign_log.random, 338689357);
	assert_true(a->checksum_prev_log == 0x0881777e29be5fe5ull);
	assert_int_equal(a->lgpos_checkpoint.gen, 1);
	assert_int_equal(a->lgpos_checkpoint.isec, 1);
	assert_int_equal(a->attach[0].lgpos_attach.gen, 1);
	assert_int_equal(a->attach[0].lgpos_attach.isec, 1);
	assert_int_equal(a->attach[0].lgpos_attach.ib, 0x268);
	assert_string_equal(a->attach[0].path,
			    "C:\\Windows\\system32\\sru\\SRUDB.dat");

	assert_int_equal(b->gen, 0x20);
	assert_int_equal(b->sign_log.random, 161517174);
	assert_int_equal(b->lgpos_checkpoint.gen, 0x1a);
	assert_int_equal(b->lgpos_checkpoint.isec, 1);
	assert_int_equal(b->checksum, 0x555fca4c);
	g_free(a);
	g_free(b);
}

/* Every file's header names the generation its name says; every file of
 * a set shares one log signature and one format 8.4000. */
static void test_generations_and_signatures(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(all_logs); i++) {
		ese_loghdr *h = read_hdr(all_logs[i].set, all_logs[i].file);
		ese_loghdr *first = read_hdr(all_logs[i].set, "SRU.log");

		assert_int_equal(h->gen, all_logs[i].gen);
		assert_int_equal(h->ver_major, 8);
		assert_int_equal(h->ver_minor, 4000);
		assert_int_equal(h->cb_sec, 4096);
		assert_int_equal(h->csec_lgfile, 16);
		assert_true(ese_signature_equal(&h->sign_log,
						&first->sign_log));
		assert_int_equal(h->n_attach, 1);
		g_free(h);
		g_free(first);
	}
}

/* tmPrevGen of generation n+1 is tmCreate of generation n. */
static void test_prev_gen_time_chain(void **state)
{
	static const char *const dirty[] = {
		"SRU00059.log", "SRU0005A.log", "SRU0005B.log", "SRU.log",
	};
	static const char *const clean_a[] = {
		"SRU00003.log", "SRU00004.log", "SRU00005.log", "SRU00006.log",
		"SRU00007.log", "SRU00008.log", "SRU.log",
	};
	ese_loghdr *g3, *g4;
	struct { const char *set; const char *const *files; size_t n; } sets[] = {
		{ "srum-win11-dirty", dirty, G_N_ELEMENTS(dirty) },
		{ "srum-win10-clean-a", clean_a, G_N_ELEMENTS(clean_a) },
	};

	(void)state;
	for (size_t s = 0; s < G_N_ELEMENTS(sets); s++) {
		for (size_t i = 0; i + 1 < sets[s].n; i++) {
			ese_loghdr *a = read_hdr(sets[s].set, sets[s].files[i]);
			ese_loghdr *b = read_hdr(sets[s].set,
						 sets[s].files[i + 1]);

			assert_int_equal(b->gen, a->gen + 1);
			assert_int_equal(ese_logtime_cmp(&b->tm_prev_gen,
							 &a->tm_create), 0);
			assert_memory_equal(b->raw + 24, a->raw + 16, 8);
			g_free(a);
			g_free(b);
		}
	}
	/* The chain is by equality, not by order: in clean-a the machine's
	 * clock went back between generations 3 (22:18:49) and 4 (19:30:29). */
	g3 = read_hdr("srum-win10-clean-a", "SRU00003.log");
	g4 = read_hdr("srum-win10-clean-a", "SRU00004.log");
	assert_true(ese_logtime_cmp(&g4->tm_create, &g3->tm_create) < 0);
	assert_int_equal(ese_logtime_cmp(&g4->tm_prev_gen, &g3->tm_create), 0);
	g_free(g3);
	g_free(g4);
}

/* parse + write reproduces every real header byte for byte. */
static void test_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(all_logs); i++) {
		size_t len;
		uint8_t *buf = slurp_hdr(all_logs[i].set, all_logs[i].file,
					 &len);
		ese_loghdr *h = g_new0(ese_loghdr, 1);
		uint8_t out[ESE_LOGHDR_SIZE];

		assert_int_equal(ese_loghdr_parse(buf, len, h, NULL), 0);
		memset(h->raw, 0x5a, 8); /* the writer must not rely on these */
		ese_loghdr_write(h, out);
		assert_memory_equal(out, buf, ESE_LOGHDR_SIZE);
		g_free(h);
		g_free(buf);
	}
}

static void test_init_write_parse(void **state)
{
	ese_loghdr *h = g_new0(ese_loghdr, 1), *p = g_new0(ese_loghdr, 1);
	ese_signature sig;
	uint8_t out[ESE_LOGHDR_SIZE];

	(void)state;
	memset(&sig, 0, sizeof(sig));
	sig.random = 0x12345678;
	sig.created.year = 125;
	sig.created.month = 1;
	sig.created.day = 2;
	ese_loghdr_init(h, 0x1234, 256, &sig);
	h->n_attach = 1;
	h->attach[0].dbid = 1;
	assert_int_equal(ese_attachinfo_set_path(&h->attach[0],
		"D:\\Daten\\Grüße\xf0\x9f\x98\x80.edb", NULL), 0);
	ese_loghdr_write(h, out);
	assert_int_equal(ese_loghdr_parse(out, sizeof(out), p, NULL), 0);
	assert_int_equal(p->gen, 0x1234);
	assert_int_equal(p->csec_lgfile, 256);
	assert_int_equal(ese_loghdr_file_size(p), 256 * 4096);
	assert_true(ese_signature_equal(&p->sign_log, &sig));
	assert_int_equal(p->n_attach, 1);
	assert_string_equal(p->attach[0].path,
			    "D:\\Daten\\Grüße\xf0\x9f\x98\x80.edb");
	/* 18 BMP characters + a surrogate pair + NUL, 2 bytes each */
	assert_int_equal(p->attach[0].cb_names, (18 + 2 + 1) * 2);
	assert_int_equal(ese_attachinfo_set_path(&h->attach[0], "\xff",
						 NULL),
			 JET_errInvalidParameter);
	g_free(h);
	g_free(p);
}

static JET_ERR parse_buf(uint8_t *buf, size_t len, jr_errinfo *ei)
{
	ese_loghdr *h = g_new0(ese_loghdr, 1);
	JET_ERR err;

	jr_errinfo_clear(ei);
	err = ese_loghdr_parse(buf, len, h, ei);
	g_free(h);
	return err;
}

/* The header in hdr (a full ESE_LOGHDR_SIZE buffer), first re-checksummed
 * when `reseal`, fails to parse with want; the detail names `detail`
 * when it is not NULL. */
static void assert_parse_fails(uint8_t *hdr, bool reseal, JET_ERR want,
			       const char *detail, jr_errinfo *ei)
{
	if (reseal)
		jr_put_le32(hdr, ese_loghdr_checksum(hdr));
	assert_int_equal(parse_buf(hdr, ESE_LOGHDR_SIZE, ei), want);
	if (detail)
		assert_non_null(strstr(ei->detail, detail));
}

static void test_damaged(void **state)
{
	size_t len;
	uint8_t *buf = slurp_hdr("srum-win11-dirty", "SRU0005A.log", &len);
	uint8_t copy[ESE_LOGHDR_SIZE];
	jr_errinfo ei;

	(void)state;
	/* a flipped bit anywhere in the 4096 bytes */
	for (size_t bit = 0; bit < ESE_LOGHDR_SIZE * 8; bit += 997) {
		memcpy(copy, buf, sizeof(copy));
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_parse_fails(copy, false, JET_errLogFileCorrupt,
				   "checksum", &ei);
	}
	/* truncated */
	assert_int_equal(parse_buf(buf, 4095, &ei), JET_errLogFileCorrupt);
	assert_non_null(strstr(ei.detail, "truncated"));
	/* zero-filled */
	memset(copy, 0, sizeof(copy));
	assert_parse_fails(copy, false, JET_errLogFileCorrupt, "blank", &ei);
	g_free(buf);
}

/* Re-checksummed headers carrying foreign values. */
static JET_ERR parse_patched(const uint8_t *orig, size_t off, uint32_t v,
			     jr_errinfo *ei)
{
	uint8_t copy[ESE_LOGHDR_SIZE];

	memcpy(copy, orig, sizeof(copy));
	jr_put_le32(copy + off, v);
	jr_put_le32(copy, ese_loghdr_checksum(copy));
	return parse_buf(copy, sizeof(copy), ei);
}

static void test_legacy_and_foreign(void **state)
{
	size_t len;
	uint8_t *buf = slurp_hdr("srum-win10-clean-b", "SRU0001C.log", &len);
	uint8_t copy[ESE_LOGHDR_SIZE];
	jr_errinfo ei;

	(void)state;
	/* major 7 (the LRCHECKSUM format, 7.3704) is named, not misread */
	memcpy(copy, buf, sizeof(copy));
	jr_put_le32(copy + 32, 7);
	jr_put_le32(copy + 36, 3704);
	jr_put_le32(copy + 40, 17);
	assert_parse_fails(copy, true, JET_errBadLogVersion,
			   "ESE 7.3704 legacy log format", &ei);
	assert_non_null(strstr(ei.detail, "7.3704.17"));
	/* major 6 */
	assert_int_equal(parse_patched(buf, 32, 6, &ei), JET_errBadLogVersion);
	assert_non_null(strstr(ei.detail, "ESE 6"));
	/* a newer major */
	assert_int_equal(parse_patched(buf, 32, 9, &ei), JET_errBadLogVersion);
	assert_non_null(strstr(ei.detail, "newer"));
	/* another minor */
	assert_int_equal(parse_patched(buf, 36, 3704, &ei),
			 JET_errBadLogVersion);
	/* Jet 500: values at 24/28/32 that ESE itself tests for */
	memcpy(copy, buf, sizeof(copy));
	jr_put_le32(copy + 24, 4);
	jr_put_le32(copy + 28, 909);
	jr_put_le32(copy + 32, 0);
	assert_parse_fails(copy, false, JET_errBadLogVersion, "Jet 500", &ei);
	/* a database header type at 667 */
	assert_int_equal(parse_patched(buf, 667, 0, &ei), JET_errSuccess);
	assert_int_equal(parse_patched(buf, 667, 1, &ei),
			 JET_errFileInvalidType);
	/* sector size other than 4 KiB in format 8 */
	memcpy(copy, buf, sizeof(copy));
	jr_put_le16(copy + 8, 512);
	assert_parse_fails(copy, true, JET_errLogFileCorrupt, NULL, &ei);
	/* an attach entry whose names run past the list */
	memcpy(copy, buf, sizeof(copy));
	jr_put_le16(copy + ESE_LOGHDR_ATTACH_OFFSET + 2, 2000);
	assert_parse_fails(copy, true, JET_errLogFileCorrupt, "attach", &ei);
	g_free(buf);
}

/* *.jrs reserve logs are blank files of log size: classified as blank,
 * never parsed as a generation. */
static void test_reserve_logs(void **state)
{
	static const struct { const char *set, *file; } jrs[] = {
		{ "srum-win11-dirty", "SRUres00001.jrs" },
		{ "srum-win10-clean-a", "SRUres00001.jrs" },
		{ "srum-win10-clean-b", "SRUres00001.jrs" },
		{ "srum-win10-clean-b", "SRUres00002.jrs" },
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(jrs); i++) {
		char *path = jr_test_data(jrs[i].set, jrs[i].file);
		ese_loghdr *h = g_new0(ese_loghdr, 1);
		size_t len;
		uint8_t *buf = jr_test_slurp(path, &len);
		jr_errinfo ei;
		uint64_t size = 0;

		assert_int_equal(len, 65536);
		assert_true(ese_loghdr_is_blank(buf, len));
		jr_errinfo_clear(&ei);
		assert_int_equal(ese_loghdr_read_file(path, h, &size, &ei),
				 JET_errLogFileCorrupt);
		assert_non_null(strstr(ei.detail, "reserve log"));
		assert_non_null(strstr(ei.detail, jrs[i].file));
		g_free(buf);
		g_free(h);
		g_free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_fields_win11),
		cmocka_unit_test(test_exact_fields_win10),
		cmocka_unit_test(test_generations_and_signatures),
		cmocka_unit_test(test_prev_gen_time_chain),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_init_write_parse),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_legacy_and_foreign),
		cmocka_unit_test(test_reserve_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
