/*
 * test_checksum.c - ESE's XOR and ECC checksums against a bit-by-bit model
 * of the definition, against every page, header and log segment of the
 * real Windows files, and on damaged copies: one flipped bit is found and
 * repaired, two are not, the format flag and the page number matter.
 * Built twice: with the vectorised ECC and with -DJR_ECC_SCALAR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "ese/checksum.h"
#include "util/bytes.h"
#include "testutil.h"

/* ---- a model of the definition, one bit at a time ---- */

/* ESE's 64-bit variant: every set bit b contributes b to the low half and
 * ~b to the high half of the code, the XOR word is the XOR of all words. */
static uint64_t model_ecc(const uint8_t *p, size_t len, uint32_t pgno,
			  bool header)
{
	uint32_t lo = 0, hi = 0, x = 0, mask = (uint32_t)(8 * len - 1);

	for (size_t b = header ? 64 : 0; b < 8 * len; b++) {
		if (!((p[b / 8] >> (b % 8)) & 1))
			continue;
		lo ^= (uint32_t)b;
		hi ^= ~(uint32_t)b;
		x ^= (uint32_t)1 << (b % 32);
	}
	return ((uint64_t)((lo & 0xffff) | ((hi & mask) << 16)) << 32) |
	       (x ^ pgno);
}

static uint32_t model_xor(const uint8_t *p, size_t len)
{
	uint32_t x = 0x89abcdef;

	for (size_t i = 4; i + 4 <= len; i += 4)
		x ^= jr_le32(p + i);
	return x;
}

static void fill_random(uint8_t *p, size_t len, GRand *r)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)g_rand_int_range(r, 0, 256);
}

static void flip(uint8_t *p, size_t bit)
{
	p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

static void test_ecc_matches_model(void **state)
{
	GRand *r = g_rand_new_with_seed(0x5eed);
	uint8_t *buf = g_malloc(8192);

	(void)state;
	for (size_t len = 1024; len <= 8192; len *= 2) {
		for (int round = 0; round < 20; round++) {
			uint32_t pgno = g_rand_int(r);

			fill_random(buf, len, r);
			/* sparse blocks exercise single rows and columns */
			if (round % 4 == 1)
				for (size_t i = 0; i < len; i++)
					buf[i] &= (i % 97 == 3) ? 0xff : 0;
			assert_true(ese_checksum_ecc(buf, len, pgno, true) ==
				    model_ecc(buf, len, pgno, true));
			assert_true(ese_checksum_ecc(buf, len, pgno, false) ==
				    model_ecc(buf, len, pgno, false));
			assert_int_equal(ese_checksum_xor(buf, len),
					 model_xor(buf, len));
		}
	}
	/* the checksum field is excluded from a header block */
	fill_random(buf, 4096, r);
	uint64_t before = ese_checksum_ecc(buf, 4096, 7, true);

	memset(buf, 0xa5, 8);
	buf[2] = 0x01;
	assert_true(ese_checksum_ecc(buf, 4096, 7, true) == before);
	assert_true(ese_checksum_ecc(buf, 4096, 7, false) != before);
	g_free(buf);
	g_rand_free(r);
}

static void test_known_values(void **state)
{
	uint8_t zero[4096] = { 0 };
	uint8_t one[4096] = { 0 };

	(void)state;
	assert_int_equal(ese_checksum_xor(zero, 4096), 0x89abcdef);
	assert_true(ese_checksum_ecc(zero, 4096, 0, true) == 0);
	assert_true(ese_checksum_ecc(zero, 4096, 5, true) == 5);
	/* one bit at offset 8 * 100 + 3 = 803 = 0x323: code 0x323 | ~0x323
	 * masked to 15 bits (0x7cdc) above it; XOR word bit 803 % 32 = 3 */
	one[100] = 0x08;
	assert_true(ese_checksum_ecc(one, 4096, 0, true) ==
		    (((uint64_t)0x7cdc0323 << 32) | 0x8));
	/* the stored word itself does not count in the XOR checksum */
	one[100] = 0;
	one[0] = 0xff;
	assert_int_equal(ese_checksum_xor(one, 4096), 0x89abcdef);
	one[4] = 1;
	assert_int_equal(ese_checksum_xor(one, 4096), 0x89abcdee);
}

static void test_ecc_bad_bit(void **state)
{
	GRand *r = g_rand_new_with_seed(42);
	uint8_t page[4096];

	(void)state;
	fill_random(page, sizeof page, r);
	uint64_t good = ese_checksum_ecc(page, 4096, 9, true);

	for (size_t bit = 64; bit < 8 * 4096; bit += 997) {
		flip(page, bit);
		assert_int_equal(ese_checksum_ecc_bad_bit(good,
				 ese_checksum_ecc(page, 4096, 9, true), 4096), bit);
		flip(page, bit);
	}
	/* two bits, a damaged stored code, equal values: not one data bit */
	flip(page, 1000);
	flip(page, 5000);
	assert_int_equal(ese_checksum_ecc_bad_bit(good,
			 ese_checksum_ecc(page, 4096, 9, true), 4096), -1);
	assert_int_equal(ese_checksum_ecc_bad_bit(good ^ (1ull << 40), good, 4096), -1);
	assert_int_equal(ese_checksum_ecc_bad_bit(good, good, 4096), -1);
	/* the pattern of one flip at bit 70 is a data bit; at bit 14 it
	 * would lie in the checksum field, which is not data */
	uint64_t fake = good ^ ((uint64_t)(70u | ((~70u & 0x7fffu) << 16)) << 32) ^
			(1u << 6);

	assert_int_equal(ese_checksum_ecc_bad_bit(fake, good, 4096), 70);
	fake = good ^ ((uint64_t)(14u | ((~14u & 0x7fffu) << 16)) << 32) ^ (1u << 14);
	assert_int_equal(ese_checksum_ecc_bad_bit(fake, good, 4096), -1);
	/* a stored code with a bit no 4 KiB block can have (bit 31) */
	fake = good ^ ((uint64_t)(0x80000000u | 70u | ((~70u & 0x7fffu) << 16)) << 32) ^
	       (1u << 6);
	assert_int_equal(ese_checksum_ecc_bad_bit(fake, good, 4096), -1);
	/* right code, but the XOR word differs in another column */
	fake = good ^ ((uint64_t)(70u | ((~70u & 0x7fffu) << 16)) << 32) ^ (1u << 7);
	assert_int_equal(ese_checksum_ecc_bad_bit(fake, good, 4096), -1);
	/* a wrong page number alone changes only the XOR word */
	assert_int_equal(ese_checksum_ecc_bad_bit(good, good ^ 1, 4096), -1);
	g_rand_free(r);
}

/* ---- the real files ---- */

struct dbfacts {
	const char *set;
	unsigned pages;     /* database pages after header and shadow */
	unsigned ok;
	unsigned blank;
};

static const struct dbfacts real_dbs[] = {
	{ "srum-win11-dirty", 606, 482, 124 },
	{ "srum-win10-clean-a", 190, 104, 86 },
	{ "srum-win10-clean-b", 446, 325, 121 },
};

static void test_real_database_pages(void **state)
{
	(void)state;
	for (size_t s = 0; s < G_N_ELEMENTS(real_dbs); s++) {
		char *path = jr_test_data(real_dbs[s].set, "SRUDB.dat");
		size_t len;
		uint8_t *db = jr_test_slurp(path, &len);
		unsigned ok = 0, blank = 0, ecc = 0, npages = 0;

		assert_int_equal(len % 4096, 0);
		/* header and shadow: XOR checksum over the 4096-byte page */
		assert_true(ese_header_checksum_ok(db, 4096));
		assert_true(ese_header_checksum_ok(db + 4096, 4096));
		for (size_t off = 8192; off < len; off += 4096) {
			ese_page_checksum_result r;
			uint32_t pgno = (uint32_t)(off / 4096 - 1);

			ese_page_checksum_check(db + off, 4096, pgno, &r);
			npages++;
			ok += r.status == ESE_CKSUM_OK;
			blank += r.status == ESE_CKSUM_BLANK;
			if (r.status == ESE_CKSUM_OK) {
				ecc += r.format == ESE_CKSUM_FORMAT_ECC;
				assert_true(r.stored == r.computed);
				assert_int_equal(r.bad_bit, -1);
				/* moved to another page number, it fails */
				ese_page_checksum_check(db + off, 4096, pgno + 1, &r);
				assert_int_equal(r.status, ESE_CKSUM_BAD);
			}
		}
		assert_int_equal(npages, real_dbs[s].pages);
		assert_int_equal(ok, real_dbs[s].ok);
		assert_int_equal(blank, real_dbs[s].blank);
		assert_int_equal(ok + blank, npages);
		assert_int_equal(ecc, ok);      /* Windows writes ECC pages */
		g_free(db);
		g_free(path);
	}
}

struct logfacts {
	const char *set;
	const char *file;
	unsigned ok;        /* data segments 1..14 that verify */
};

/* Segment 15 (the last 4 KiB) is the shadow of the last full data segment
 * and carries that segment's isec, so it is checked apart. */
static const struct logfacts real_logs[] = {
	{ "srum-win11-dirty", "SRU00059.log", 14 },
	{ "srum-win11-dirty", "SRU0005A.log", 14 },
	{ "srum-win11-dirty", "SRU0005B.log", 14 },
	{ "srum-win11-dirty", "SRU.log", 9 },
	{ "srum-win10-clean-a", "SRU00003.log", 14 },
	{ "srum-win10-clean-a", "SRU00008.log", 14 },
	{ "srum-win10-clean-a", "SRU.log", 7 },
	{ "srum-win10-clean-b", "SRU0001F.log", 14 },
	{ "srum-win10-clean-b", "SRU.log", 14 },
};

static void test_real_log_segments(void **state)
{
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(real_logs); i++) {
		char *path = jr_test_data(real_logs[i].set, real_logs[i].file);
		size_t len;
		uint8_t *log = jr_test_slurp(path, &len);
		unsigned ok = 0;

		assert_int_equal(len, 65536);
		assert_true(ese_header_checksum_ok(log, 4096));
		for (uint32_t seg = 1; seg < 15; seg++) {
			const uint8_t *p = log + 4096 * seg;
			ese_page_checksum_result r;

			ese_page_checksum_check(p, 4096, seg, &r);
			if (r.status == ESE_CKSUM_BLANK)
				continue;
			/* the shadow of a partial segment follows it and
			 * names that segment's isec (clean-a SRU.log, 8) */
			if (r.status != ESE_CKSUM_OK &&
			    jr_le16(p + 10) == seg - 1) {
				ese_page_checksum_check(p, 4096, seg - 1, &r);
				assert_int_equal(r.status, ESE_CKSUM_OK);
				continue;
			}
			assert_int_equal(r.status, ESE_CKSUM_OK);
			assert_int_equal(r.format, ESE_CKSUM_FORMAT_ECC);
			/* the isec in the segment header is the segment number */
			assert_int_equal(jr_le16(p + 10), seg);
			assert_true(jr_le64(p) ==
				    ese_checksum_ecc(p, 4096, jr_le16(p + 10), true));
			ok++;
		}
		assert_int_equal(ok, real_logs[i].ok);
		g_free(log);
		g_free(path);
	}
}

static void test_real_checkpoint_and_flushmap(void **state)
{
	char *path = jr_test_data("srum-win11-dirty", "SRU.chk");
	size_t len;
	uint8_t *buf = jr_test_slurp(path, &len);

	(void)state;
	assert_int_equal(len, 8192);
	assert_true(ese_header_checksum_ok(buf, 4096));
	assert_true(ese_header_checksum_ok(buf + 4096, 4096));
	assert_int_equal(jr_le32(buf), ese_checksum_xor(buf, 4096));
	g_free(buf);
	g_free(path);

	path = jr_test_data("srum-win11-dirty", "SRUDB.jfm");
	buf = jr_test_slurp(path, &len);
	assert_true(ese_header_checksum_ok(buf, 4096));
	/* flush-map data pages are ECC'd like database pages (pgno 0 here) */
	ese_page_checksum_result r;

	ese_page_checksum_check(buf + 8192, 4096, 0, &r);
	assert_int_equal(r.status, ESE_CKSUM_OK);
	g_free(buf);
	g_free(path);
}

/* ---- damaged pages ---- */

static uint8_t *real_page(uint32_t pgno)
{
	char *path = jr_test_data("srum-win11-dirty", "SRUDB.dat");
	size_t len;
	uint8_t *db = jr_test_slurp(path, &len);
	uint8_t *page = g_malloc(4096);

	memcpy(page, db + (size_t)(pgno + 1) * 4096, 4096);
	g_free(db);
	g_free(path);
	return page;
}

static void test_single_bit_correctable(void **state)
{
	uint8_t *page = real_page(1);
	uint8_t *orig = g_memdup2(page, 4096);
	static const size_t bits[] = { 64, 100, 8 * 40 + 1, 8 * 2000 + 7,
				       8 * 4096 - 1 };

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bits); i++) {
		ese_page_checksum_result r;

		flip(page, bits[i]);
		ese_page_checksum_check(page, 4096, 1, &r);
		assert_int_equal(r.status, ESE_CKSUM_CORRECTABLE);
		assert_int_equal(r.bad_bit, bits[i]);
		assert_int_equal(ese_page_checksum_fix(page, 4096, &r), 1);
		assert_memory_equal(page, orig, 4096);
		ese_page_checksum_check(page, 4096, 1, &r);
		assert_int_equal(r.status, ESE_CKSUM_OK);
	}
	g_free(orig);
	g_free(page);
}

static void test_uncorrectable(void **state)
{
	uint8_t *page = real_page(1);
	ese_page_checksum_result r;

	(void)state;
	/* two bits */
	flip(page, 1000);
	flip(page, 20000);
	ese_page_checksum_check(page, 4096, 1, &r);
	assert_int_equal(r.status, ESE_CKSUM_BAD);
	assert_int_equal(r.bad_bit, -1);
	assert_int_equal(ese_page_checksum_fix(page, 4096, &r), 0);
	flip(page, 1000);
	flip(page, 20000);

	/* a bit of the stored checksum itself */
	flip(page, 3);
	ese_page_checksum_check(page, 4096, 1, &r);
	assert_int_equal(r.status, ESE_CKSUM_BAD);
	flip(page, 3);

	/* the format flag: the page then reads as a legacy XOR page */
	flip(page, ESE_PAGE_NEW_CHECKSUM_BIT);
	ese_page_checksum_check(page, 4096, 1, &r);
	assert_int_equal(r.format, ESE_CKSUM_FORMAT_XOR);
	assert_int_equal(r.status, ESE_CKSUM_BAD);
	flip(page, ESE_PAGE_NEW_CHECKSUM_BIT);

	/* the wrong page number */
	ese_page_checksum_check(page, 4096, 2, &r);
	assert_int_equal(r.status, ESE_CKSUM_BAD);
	ese_page_checksum_check(page, 4096, 1, &r);
	assert_int_equal(r.status, ESE_CKSUM_OK);
	/* a page size ESE does not have */
	ese_page_checksum_check(page, 3000, 1, &r);
	assert_int_equal(r.status, ESE_CKSUM_BAD);
	g_free(page);
}

static void test_blank_and_legacy(void **state)
{
	uint8_t page[8192];
	ese_page_checksum_result r;

	(void)state;
	memset(page, 0, sizeof page);
	ese_page_checksum_check(page, 8192, 12, &r);
	assert_int_equal(r.status, ESE_CKSUM_BLANK);

	/* a legacy page: no flag, XOR over the page with the pgno word */
	for (size_t i = 0; i < sizeof page; i++)
		page[i] = (uint8_t)(i * 13);
	jr_put_le32(page + ESE_PAGE_OFF_FLAGS, 0);
	ese_page_checksum_write(page, 8192, 12);
	assert_int_equal(jr_le32(page + 4), 12);
	assert_int_equal(jr_le32(page), model_xor(page, 8192));
	ese_page_checksum_check(page, 8192, 12, &r);
	assert_int_equal(r.format, ESE_CKSUM_FORMAT_XOR);
	assert_int_equal(r.status, ESE_CKSUM_OK);
	assert_true(r.computed == (((uint64_t)12 << 32) | model_xor(page, 8192)));
	/* legacy pages have no correction */
	flip(page, 5000);
	ese_page_checksum_check(page, 8192, 12, &r);
	assert_int_equal(r.status, ESE_CKSUM_BAD);

	/* converted the way ESE writes it */
	ese_page_set_ecc_format(page);
	ese_page_checksum_write(page, 8192, 12);
	ese_page_checksum_check(page, 8192, 12, &r);
	assert_int_equal(r.format, ESE_CKSUM_FORMAT_ECC);
	assert_int_equal(r.status, ESE_CKSUM_OK);
	assert_true(r.stored == model_ecc(page, 8192, 12, true));
}

static void test_large_pages(void **state)
{
	GRand *rnd = g_rand_new_with_seed(7);
	uint8_t *page = g_malloc(32768), *orig = g_malloc(32768);

	(void)state;
	for (size_t ps = 16384; ps <= 32768; ps *= 2) {
		size_t cb = ps == 16384 ? 4096 : 8192;
		ese_page_checksum_result r;

		fill_random(page, ps, rnd);
		ese_page_set_ecc_format(page);
		ese_page_checksum_write(page, ps, 77);
		memcpy(orig, page, ps);
		ese_page_checksum_check(page, ps, 77, &r);
		assert_int_equal(r.status, ESE_CKSUM_OK);
		assert_int_equal(r.nblocks, 4);
		/* blocks 1..3 are stored at 40, 48, 56; block 0 at 0 */
		for (unsigned i = 1; i < 4; i++)
			assert_true(jr_le64(page + 40 + 8 * (i - 1)) ==
				    model_ecc(page + i * cb, cb, 77, false));
		assert_true(jr_le64(page) == model_ecc(page, cb, 77, true));

		/* one bit in block 2: found with its page offset */
		size_t bit = 8 * (2 * cb + 123) + 5;

		flip(page, bit);
		ese_page_checksum_check(page, ps, 77, &r);
		assert_int_equal(r.status, ESE_CKSUM_CORRECTABLE);
		assert_int_equal(r.bad_bit, bit);
		assert_int_equal(r.bad_bits[2], bit);
		ese_page_checksum_fix(page, ps, &r);
		assert_memory_equal(page, orig, ps);

		/* one bit in the stored checksum of block 3: block 0 sees a
		 * data bit, and block 3 is right once that bit is undone */
		bit = 8 * 56 + 9;
		flip(page, bit);
		ese_page_checksum_check(page, ps, 77, &r);
		assert_int_equal(r.status, ESE_CKSUM_CORRECTABLE);
		assert_int_equal(r.bad_bit, bit);
		assert_int_equal(r.bad_bits[3], -1);
		ese_page_checksum_fix(page, ps, &r);
		assert_memory_equal(page, orig, ps);

		/* one bit in each of two blocks: both corrected */
		flip(page, 8 * (cb + 10));
		flip(page, 8 * (3 * cb + 10) + 1);
		ese_page_checksum_check(page, ps, 77, &r);
		assert_int_equal(r.status, ESE_CKSUM_CORRECTABLE);
		assert_int_equal(r.bad_bit, 8 * (cb + 10));
		assert_int_equal(ese_page_checksum_fix(page, ps, &r), 2);
		assert_memory_equal(page, orig, ps);

		/* two bits in one block */
		flip(page, 8 * (cb + 10));
		flip(page, 8 * (cb + 20));
		ese_page_checksum_check(page, ps, 77, &r);
		assert_int_equal(r.status, ESE_CKSUM_BAD);
		memcpy(page, orig, ps);
	}
	g_free(orig);
	g_free(page);
	g_rand_free(rnd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecc_matches_model),
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_ecc_bad_bit),
		cmocka_unit_test(test_real_database_pages),
		cmocka_unit_test(test_real_log_segments),
		cmocka_unit_test(test_real_checkpoint_and_flushmap),
		cmocka_unit_test(test_single_bit_correctable),
		cmocka_unit_test(test_uncorrectable),
		cmocka_unit_test(test_blank_and_legacy),
		cmocka_unit_test(test_large_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
