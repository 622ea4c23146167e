/*
 * xpress.h - the decompressor for the page images ESE puts in its log.
 *
 * When ESE logs the before-image of a page (Split2, Merge2), it may first
 * "dehydrate" the page (see lrdecode.h) and then compress it with its
 * general data compressor. Every compressed blob starts with one byte whose
 * high five bits name the scheme (the low three bits belong to the 7-bit
 * schemes and are zero otherwise):
 *
 *   OFFSET SIZE FIELD
 *   0      1    scheme << 3: 1 7-bit ASCII, 2 7-bit Unicode, 3 Xpress,
 *                 4 scrub fill, 5 Xpress9, 6 Xpress10, 7 LZ4
 *   1      2    cbUncompressed (Xpress, Xpress10, LZ4): size of the data
 *                 before compression (a page: 4096 ... 32768 bytes)
 *   3      ...  the compressed stream
 *
 * Which stream ESE writes: compression.cxx frames "Xpress" (scheme 3, first
 * byte 0x18) around the legacy Xpress encoder, whose output is the format
 * Microsoft documents as MS-XCA "LZ77" (Plain LZ77, also called LZXPRESS):
 * 32-bit little-endian flag words, one bit per item from the most significant
 * down; a 0 bit is a literal byte, a 1 bit a 16-bit match token (length - 3
 * in the low 3 bits, offset - 1 in the high 13), with longer lengths carried
 * in a shared nibble, then a byte, then 16 or 32 bits. All pre-images in the
 * bundled Windows 10/11 logs are scheme 3 and decode to whole 4 KiB pages
 * (checked against libfwnt's lzxpress decoder, which agrees byte for byte).
 * Xpress10 (Corsica) and Xpress9 are not documented and not decoded here;
 * LZ4 is not decoded either (it needs a log format feature these logs do
 * not use). Those schemes fail with JET_errDecompressionFailed and a detail
 * naming the scheme.
 *
 * Memory: nothing is allocated; output goes into the caller's buffer.
 */
#ifndef JR_RECOVER_XPRESS_H
#define JR_RECOVER_XPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "util/errinfo.h"

/* The scheme numbers of ESE's compressed-data header byte (value >> 3). */
enum jr_compress_scheme {
	JR_COMPRESS_7BIT_ASCII   = 1,
	JR_COMPRESS_7BIT_UNICODE = 2,
	JR_COMPRESS_XPRESS       = 3,
	JR_COMPRESS_SCRUB        = 4,
	JR_COMPRESS_XPRESS9      = 5,
	JR_COMPRESS_XPRESS10     = 6,
	JR_COMPRESS_LZ4          = 7,
};

/* Size of the header in front of an Xpress stream (scheme byte + size). */
#define JR_XPRESS_HEADER_SIZE 3

/*
 * Decode a raw MS-XCA Plain LZ77 stream (no ESE header) that expands to
 * exactly out_len bytes into out. Decoding stops as soon as out_len bytes
 * are produced (a trailing end marker, if any, is not needed). Fails with
 * JET_errDecompressionFailed when the stream ends early, a match reaches
 * before the start of the output or past out_len.
 */
JET_ERR jr_xpress_decompress(const uint8_t *in, size_t in_len,
			     uint8_t *out, size_t out_len, jr_errinfo *ei);

/*
 * Decode one ESE compressed blob (header byte, then scheme data) into
 * out[out_cap]; *out_len receives the decompressed size. Only the Xpress
 * scheme is accepted; any other scheme, a size larger than out_cap, or a
 * damaged stream fail with JET_errDecompressionFailed.
 */
JET_ERR jr_ese_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t out_cap, size_t *out_len, jr_errinfo *ei);

/* A short name for a scheme number ("Xpress", "LZ4", ... "unknown"). */
const char *jr_compress_scheme_name(unsigned scheme);

#endif /* JR_RECOVER_XPRESS_H */
