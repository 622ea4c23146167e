/*
 * lz77_ref.h - a reference MS-XCA Plain LZ77 compressor for tests.
 *
 * Greedy and brute force over the 8 KiB window: slow, simple, and it writes
 * every form of the format's length encoding (3-bit, shared nibble, byte,
 * 16-bit, 32-bit), so that round trips through jr_xpress_decompress()
 * exercise all of them. Not part of the library: the tool only decodes.
 */
#ifndef JR_TESTS_LZ77_REF_H
#define JR_TESTS_LZ77_REF_H

#include <stddef.h>
#include <stdint.h>

/* Compress in[0..n) into out[cap]; returns the compressed size, or
 * SIZE_MAX when cap is too small. */
size_t lz77_ref_compress(const uint8_t *in, size_t n, uint8_t *out,
			 size_t cap);

#endif
