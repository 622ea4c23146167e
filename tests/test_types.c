/*
 * test_types.c - LGPOS, LOGTIME, SIGNATURE and BKINFO: byte order, ordering,
 * esentutl's formats, exact round trips of the real headers' values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ese/types.h"

static void test_lgpos_layout(void **state)
{
	/* SRU.chk of srum-win11-dirty, offset 12: the checkpoint (0x5C,8,0) */
	const uint8_t raw[8] = { 0x00, 0x00, 0x08, 0x00, 0x5c, 0x00, 0x00, 0x00 };
	uint8_t back[8];
	ese_lgpos p;
	char s[ESE_LGPOS_STRLEN];

	(void)state;
	ese_lgpos_parse(raw, &p);
	assert_int_equal(p.ib, 0);
	assert_int_equal(p.isec, 8);
	assert_int_equal(p.gen, 0x5c);
	assert_string_equal(ese_lgpos_format(&p, s, sizeof s), "(0x5C,8,0)");
	assert_true(ese_lgpos_key(&p) == 0x0000005c00080000ull);
	ese_lgpos_write(&p, back);
	assert_memory_equal(raw, back, 8);

	/* the database header's lgposConsistent (0x5C,7,36) */
	p = (ese_lgpos){ .ib = 0x36, .isec = 7, .gen = 0x5c };
	assert_string_equal(ese_lgpos_format(&p, s, sizeof s), "(0x5C,7,36)");
	/* a buffer too small still terminates */
	assert_string_equal(ese_lgpos_format(&p, s, 4), "(0x");
}

static void test_lgpos_order(void **state)
{
	ese_lgpos a = { .ib = 0xffff, .isec = 0xffff, .gen = 1 };
	ese_lgpos b = { .ib = 0, .isec = 0, .gen = 2 };
	ese_lgpos c = { .ib = 1, .isec = 0, .gen = 2 };
	ese_lgpos d = { .ib = 0, .isec = 1, .gen = 2 };
	ese_lgpos z = { 0 };

	(void)state;
	assert_true(ese_lgpos_cmp(&a, &b) < 0);   /* generation first */
	assert_true(ese_lgpos_cmp(&b, &c) < 0);
	assert_true(ese_lgpos_cmp(&c, &d) < 0);   /* isec before ib */
	assert_true(ese_lgpos_cmp(&d, &c) > 0);
	assert_int_equal(ese_lgpos_cmp(&d, &d), 0);
	assert_true(ese_lgpos_is_zero(&z));
	assert_false(ese_lgpos_is_zero(&c));
	/* generations above 2^31 still order as unsigned */
	a.gen = 0x80000000u;
	assert_true(ese_lgpos_cmp(&b, &a) < 0);
}

static void test_logtime(void **state)
{
	/* signDb creation time of srum-win11-dirty's SRUDB.dat */
	const uint8_t raw[8] = { 0x02, 0x14, 0x10, 0x05, 0x03, 0x7a, 0x2b, 0x0a };
	uint8_t back[8];
	ese_logtime t, u;
	char s[ESE_LOGTIME_STRLEN];

	(void)state;
	ese_logtime_parse(raw, &t);
	assert_int_equal(t.sec, 2);
	assert_int_equal(t.min, 20);
	assert_int_equal(t.hour, 16);
	assert_int_equal(t.day, 5);
	assert_int_equal(t.month, 3);
	assert_int_equal(t.year, 122);
	assert_true(ese_logtime_is_utc(&t));
	assert_false(ese_logtime_is_os_snapshot(&t));
	/* 0x2b >> 1 = 21 low, (0x0a >> 1) & 7 = 5 high: 21 + 5 * 128 */
	assert_int_equal(ese_logtime_milliseconds(&t), 661);
	assert_string_equal(ese_logtime_format(&t, s, sizeof s),
			    "03/05/2022 16:20:02.661 UTC");
	ese_logtime_write(&t, back);
	assert_memory_equal(raw, back, 8);
	assert_true(ese_logtime_is_set(&t));

	memset(&u, 0, sizeof u);
	assert_false(ese_logtime_is_set(&u));
	assert_string_equal(ese_logtime_format(&u, s, sizeof s),
			    "00/00/1900 00:00:00.000 LOC");
	assert_true(ese_logtime_cmp(&u, &t) < 0);
	u = t;
	u.flags1 = (uint8_t)(u.flags1 + 2);        /* one millisecond later */
	assert_true(ese_logtime_cmp(&t, &u) < 0);
	assert_int_equal(ese_logtime_cmp(&t, &t), 0);
}

static void test_signature(void **state)
{
	/* signDb of srum-win11-dirty's SRUDB.dat (offset 24) */
	const uint8_t raw[28] = {
		0x5f, 0xb5, 0x16, 0x07, 0x02, 0x14, 0x10, 0x05, 0x03, 0x7a,
		0x2b, 0x0a,
	};
	uint8_t back[28];
	ese_signature g, h;
	char s[ESE_SIGNATURE_STRLEN], name[16];

	(void)state;
	ese_signature_parse(raw, &g);
	assert_int_equal(g.random, 0x0716b55f);
	assert_string_equal(ese_signature_format(&g, s, sizeof s),
			    "Create time:03/05/2022 16:20:02.661 Rand:118928735 Computer:");
	ese_signature_write(&g, back);
	assert_memory_equal(raw, back, 28);
	assert_false(ese_signature_is_zero(&g));

	h = g;
	assert_true(ese_signature_equal(&g, &h));
	memcpy(h.computer_name, "HOST\0junk\x01", 11);
	assert_false(ese_signature_equal(&g, &h));
	assert_string_equal(ese_signature_computer_name(&h, name, sizeof name),
			    "HOST");
	/* 15 characters at most, unprintables replaced */
	memcpy(h.computer_name, "ABCDEFGHIJKLMNO\x01", 16);
	assert_string_equal(ese_signature_computer_name(&h, name, sizeof name),
			    "ABCDEFGHIJKLMNO");
	h.computer_name[0] = 0x07;
	assert_string_equal(ese_signature_computer_name(&h, name, 4), "?BC");
	memset(&h, 0, sizeof h);
	assert_true(ese_signature_is_zero(&h));
}

static void test_bkinfo(void **state)
{
	uint8_t raw[24], back[24];
	ese_bkinfo b;

	(void)state;
	for (int i = 0; i < 24; i++)
		raw[i] = (uint8_t)(i * 7 + 1);
	ese_bkinfo_parse(raw, &b);
	assert_int_equal(b.lgpos_mark.ib, 0x0801);
	assert_int_equal(b.lgpos_mark.isec, 0x160f);
	assert_int_equal(b.lgpos_mark.gen, 0x322b241d);
	assert_int_equal(b.logtime_mark.sec, 57);
	assert_int_equal(b.gen_low, 0x867f7871);
	assert_int_equal(b.gen_high, 0xa29b948d);
	ese_bkinfo_write(&b, back);
	assert_memory_equal(raw, back, 24);
	assert_false(ese_bkinfo_is_zero(&b));
	memset(&b, 0, sizeof b);
	assert_true(ese_bkinfo_is_zero(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lgpos_layout),
		cmocka_unit_test(test_lgpos_order),
		cmocka_unit_test(test_logtime),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_bkinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
