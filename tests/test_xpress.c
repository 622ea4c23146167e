/*
 * test_xpress.c - the MS-XCA Plain LZ77 decoder and ESE's compressed-data
 * header: the specification's own examples, round trips through the
 * reference compressor of lz77_ref.c (every length encoding, including the
 * shared nibble), and damaged input.
 *
 * The real pre-images in the bundled logs are decoded in test_lrdecode.c,
 * where the log reader finds them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lz77_ref.h"
#include "recover/xpress.h"
#include "util/bytes.h"

/* MS-XCA 3.1: 26 literals, then the end marker bits. */
static void test_spec_alphabet(void **state)
{
	(void)state;
	static const uint8_t in[] = {
		0x3f, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
		'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
		't', 'u', 'v', 'w', 'x', 'y', 'z' };
	uint8_t out[26];
	jr_errinfo ei = { 0 };

	assert_int_equal(jr_xpress_decompress(in, sizeof in, out, sizeof out,
					      &ei), 0);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxyz", 26);
}

/* MS-XCA 3.1: "abc" 100 times is three literals and one match of 297
 * bytes at distance 3, whose length takes the nibble (15), the byte (255)
 * and the 16-bit form (0x126 = 294 = 297 - 3). */
static void test_spec_abc_repeated(void **state)
{
	(void)state;
	static const uint8_t in[] = {
		0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff,
		0x26, 0x01 };
	uint8_t out[300], want[300];
	jr_errinfo ei = { 0 };

	for (int i = 0; i < 300; i++)
		want[i] = (uint8_t)("abc"[i % 3]);
	assert_int_equal(jr_xpress_decompress(in, sizeof in, out, sizeof out,
					      &ei), 0);
	assert_memory_equal(out, want, sizeof want);

	/* our compressor writes exactly the specification's bytes */
	uint8_t comp[64];
	size_t n = lz77_ref_compress(want, sizeof want, comp, sizeof comp);
	assert_int_equal(n, sizeof in);
	assert_memory_equal(comp, in, sizeof in);
}

static void round_trip(const uint8_t *data, size_t n)
{
	size_t cap = n + n / 8 + 64;
	uint8_t *comp = malloc(cap), *back = malloc(n ? n : 1);
	jr_errinfo ei = { 0 };

	assert_non_null(comp);
	assert_non_null(back);
	size_t cn = lz77_ref_compress(data, n, comp, cap);
	assert_true(cn != SIZE_MAX);
	assert_int_equal(jr_xpress_decompress(comp, cn, back, n, &ei), 0);
	assert_memory_equal(back, data, n);

	/* the same through ESE's header */
	uint8_t *framed = malloc(cn + 3), *out = malloc(n ? n : 1);
	size_t out_len = 0;
	assert_non_null(framed);
	assert_non_null(out);
	framed[0] = JR_COMPRESS_XPRESS << 3;
	jr_put_le16(framed + 1, (uint16_t)n);
	memcpy(framed + 3, comp, cn);
	if (n <= 0xffff) {
		assert_int_equal(jr_ese_decompress(framed, cn + 3, out, n,
						   &out_len, &ei), 0);
		assert_int_equal(out_len, n);
		assert_memory_equal(out, data, n);
	}
	free(framed);
	free(out);
	free(comp);
	free(back);
}

/* Every length form: plain (< 10), nibble (10..24), byte (25..279),
 * 16-bit, 32-bit (> 65538), and two extended matches sharing one byte. */
static void test_round_trips(void **state)
{
	(void)state;
	static const size_t runs[] = { 3, 9, 10, 24, 25, 279, 280, 4096,
				       65538, 65539, 70000 };
	uint8_t *buf = malloc(80000);

	assert_non_null(buf);
	for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
		/* "x", "y", then a match of exactly runs[k] more "y" */
		buf[0] = 'x';
		memset(buf + 1, 'y', runs[k] + 1);
		round_trip(buf, runs[k] + 2);
	}

	/* two nibble-sized matches in a row share one length byte */
	size_t n = 0;
	memcpy(buf, "0123456789abcdefghij", 20);
	n = 20;
	memcpy(buf + n, buf, 20);       /* match 20: nibble 10 */
	n += 20;
	buf[n++] = '#';
	memcpy(buf + n, buf, 16);       /* match 16: nibble 6, high half */
	n += 16;
	round_trip(buf, n);

	/* pseudo-random bytes with repeats, and a page-like image */
	uint32_t x = 12345;
	for (size_t i = 0; i < 4096; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (i % 97 < 40) ? (uint8_t)(x >> 24) : (uint8_t)(i % 13);
	}
	round_trip(buf, 4096);
	round_trip(buf, 1);
	round_trip(buf, 0);
	free(buf);
}

static void test_damaged_input(void **state)
{
	(void)state;
	static const uint8_t abc[] = {
		0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff,
		0x26, 0x01 };
	uint8_t out[300], bad[sizeof abc];
	jr_errinfo ei = { 0 };

	/* every truncation fails cleanly */
	for (size_t n = 0; n < sizeof abc; n++) {
		jr_errinfo_clear(&ei);
		assert_int_equal(jr_xpress_decompress(abc, n, out, sizeof out,
						      &ei),
				 JET_errDecompressionFailed);
		assert_true(strlen(ei.detail) > 0);
	}
	/* asking for more output than the stream holds */
	assert_int_equal(jr_xpress_decompress(abc, sizeof abc, out, 299, &ei),
			 JET_errDecompressionFailed);

	/* a match distance before the start of the output */
	memcpy(bad, abc, sizeof abc);
	bad[7] = 0x27;           /* distance 5 after only 3 bytes */
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_xpress_decompress(bad, sizeof bad, out, sizeof out,
					      &ei), JET_errDecompressionFailed);
	assert_non_null(strstr(ei.detail, "distance"));

	/* a 16-bit length below the minimum the wide form allows */
	memcpy(bad, abc, sizeof abc);
	bad[11] = 0x05;
	bad[12] = 0x00;
	assert_int_equal(jr_xpress_decompress(bad, sizeof bad, out, sizeof out,
					      &ei), JET_errDecompressionFailed);

	/* every single-bit flip: a result or an error, never a crash */
	for (size_t i = 0; i < sizeof abc * 8; i++) {
		memcpy(bad, abc, sizeof abc);
		bad[i / 8] ^= (uint8_t)(1u << (i % 8));
		JET_ERR err = jr_xpress_decompress(bad, sizeof bad, out,
						   sizeof out, NULL);
		assert_true(err == 0 || err == JET_errDecompressionFailed);
	}
}

static void test_ese_header(void **state)
{
	(void)state;
	uint8_t blob[3 + 30] = { 0x18, 26, 0 };
	uint8_t out[64];
	size_t out_len = 0;
	jr_errinfo ei = { 0 };
	static const uint8_t alpha[] = {
		0x3f, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
		'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
		't', 'u', 'v', 'w', 'x', 'y', 'z' };

	memcpy(blob + 3, alpha, sizeof alpha);
	assert_int_equal(jr_ese_decompress(blob, sizeof blob, out, sizeof out,
					   &out_len, &ei), 0);
	assert_int_equal(out_len, 26);
	assert_memory_equal(out, "abcdefghijklmnopqrstuvwxyz", 26);

	/* the output buffer is too small for the declared size */
	assert_int_equal(jr_ese_decompress(blob, sizeof blob, out, 25,
					   &out_len, &ei),
			 JET_errDecompressionFailed);

	/* Xpress10 (scheme 6) is named, not decoded */
	blob[0] = 6 << 3;
	jr_errinfo_clear(&ei);
	assert_int_equal(jr_ese_decompress(blob, sizeof blob, out, sizeof out,
					   &out_len, &ei),
			 JET_errDecompressionFailed);
	assert_non_null(strstr(ei.detail, "Xpress10"));
	assert_string_equal(jr_compress_scheme_name(7), "LZ4");
	assert_string_equal(jr_compress_scheme_name(31), "unknown");

	/* a header without its size, and empty input */
	blob[0] = 0x18;
	assert_int_equal(jr_ese_decompress(blob, 2, out, sizeof out, &out_len,
					   &ei), JET_errDecompressionFailed);
	assert_int_equal(jr_ese_decompress(blob, 0, out, sizeof out, &out_len,
					   &ei), JET_errDecompressionFailed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_alphabet),
		cmocka_unit_test(test_spec_abc_repeated),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_damaged_input),
		cmocka_unit_test(test_ese_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
