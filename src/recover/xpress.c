/*
 * xpress.c - MS-XCA Plain LZ77 decoding and ESE's compressed-data header.
 *
 * The Plain LZ77 stream (MS-XCA section 2.3/2.4), as decoded here:
 *
 *   flags    32-bit little-endian word read whenever the previous one is
 *            used up; its bits are consumed from bit 31 down to bit 0.
 *   bit 0    a literal: copy the next input byte to the output.
 *   bit 1    a match token, 16-bit little-endian T:
 *              length = T & 7, distance = (T >> 3) + 1 (1..8192)
 *            if length == 7, more length comes from a nibble: the first
 *            extended match in a pair reads a new byte and uses its low
 *            nibble, the next one uses the high nibble of that same byte;
 *            if the nibble is 15, the next byte is added; if that byte is
 *            255, a 16-bit length replaces the sum (and if that is 0, a
 *            32-bit length follows); see decode_length() for the arithmetic.
 *            The match copies length + 3 bytes from distance bytes back,
 *            byte by byte, so a match may overlap its own output (runs).
 *
 * ESE's legacy encoder knows the uncompressed size (it is in the blob
 * header) and its decoder stops when that many bytes are out, so we do the
 * same and never rely on an end marker.
 */
#include "recover/xpress.h"

#include <stdbool.h>

#include "util/bytes.h"

/* State of one decode: read cursor and the shared length nibble. */
struct lz77_reader {
	const uint8_t *in;
	size_t len;
	size_t pos;
	bool nibble_pending;     /* a byte with an unused high nibble exists */
	size_t nibble_at;        /* its offset in the input */
};

static bool take(struct lz77_reader *r, size_t n, size_t *at)
{
	if (r->len - r->pos < n)
		return false;
	*at = r->pos;
	r->pos += n;
	return true;
}

/* Extend the 3-bit length of a token whose low bits are 7 (MS-XCA 2.4).
 * Returns false when the input ends or the encoded length is impossible. */
static bool decode_length(struct lz77_reader *r, uint32_t *length)
{
	size_t at;
	uint32_t len;

	if (r->nibble_pending) {
		len = r->in[r->nibble_at] >> 4;
		r->nibble_pending = false;
	} else {
		if (!take(r, 1, &at))
			return false;
		len = r->in[at] & 0x0f;
		r->nibble_pending = true;
		r->nibble_at = at;
	}
	if (len == 15) {
		if (!take(r, 1, &at))
			return false;
		len = r->in[at];
		if (len == 255) {
			if (!take(r, 2, &at))
				return false;
			len = jr_le16(r->in + at);
			if (len == 0) {
				if (!take(r, 4, &at))
					return false;
				len = jr_le32(r->in + at);
			}
			/* the wide forms carry the whole length minus 3 */
			if (len < 15 + 7)
				return false;
			len -= 15 + 7;
		}
		len += 15;
	}
	*length = len + 7;
	return true;
}

JET_ERR jr_xpress_decompress(const uint8_t *in, size_t in_len,
			     uint8_t *out, size_t out_len, jr_errinfo *ei)
{
	struct lz77_reader r = { .in = in, .len = in_len };
	size_t produced = 0;
	uint32_t flags = 0;
	unsigned flags_left = 0;
	size_t at;

	while (produced < out_len) {
		if (flags_left == 0) {
			if (!take(&r, 4, &at))
				return jr_fail(ei, JET_errDecompressionFailed,
					       "Xpress: input ends at %zu before a flag word (%zu of %zu bytes out)",
					       r.pos, produced, out_len);
			flags = jr_le32(in + at);
			flags_left = 32;
		}
		flags_left--;
		if (!(flags & (UINT32_C(1) << flags_left))) {
			if (!take(&r, 1, &at))
				return jr_fail(ei, JET_errDecompressionFailed,
					       "Xpress: input ends at %zu inside a literal (%zu of %zu bytes out)",
					       r.pos, produced, out_len);
			out[produced++] = in[at];
			continue;
		}

		if (!take(&r, 2, &at))
			return jr_fail(ei, JET_errDecompressionFailed,
				       "Xpress: input ends at %zu inside a match token (%zu of %zu bytes out)",
				       r.pos, produced, out_len);
		uint16_t token = jr_le16(in + at);
		size_t distance = (size_t)(token >> 3) + 1;
		uint32_t length = token & 7;

		if (length == 7 && !decode_length(&r, &length))
			return jr_fail(ei, JET_errDecompressionFailed,
				       "Xpress: bad or truncated match length at input %zu",
				       r.pos);
		size_t count = (size_t)length + 3;

		if (distance > produced)
			return jr_fail(ei, JET_errDecompressionFailed,
				       "Xpress: match distance %zu reaches before the start (output at %zu)",
				       distance, produced);
		if (count > out_len - produced)
			return jr_fail(ei, JET_errDecompressionFailed,
				       "Xpress: match of %zu bytes at output %zu overruns the %zu-byte result",
				       count, produced, out_len);
		/* byte by byte: the source may overlap what we are writing */
		for (size_t i = 0; i < count; i++, produced++)
			out[produced] = out[produced - distance];
	}
	return JET_errSuccess;
}

const char *jr_compress_scheme_name(unsigned scheme)
{
	switch (scheme) {
	case JR_COMPRESS_7BIT_ASCII:   return "7-bit ASCII";
	case JR_COMPRESS_7BIT_UNICODE: return "7-bit Unicode";
	case JR_COMPRESS_XPRESS:       return "Xpress";
	case JR_COMPRESS_SCRUB:        return "scrub";
	case JR_COMPRESS_XPRESS9:      return "Xpress9";
	case JR_COMPRESS_XPRESS10:     return "Xpress10";
	case JR_COMPRESS_LZ4:          return "LZ4";
	default:                       return "unknown";
	}
}

JET_ERR jr_ese_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t out_cap, size_t *out_len, jr_errinfo *ei)
{
	if (in_len < 1)
		return jr_fail(ei, JET_errDecompressionFailed,
			       "compressed data is empty");
	unsigned scheme = in[0] >> 3;

	if (scheme != JR_COMPRESS_XPRESS)
		return jr_fail(ei, JET_errDecompressionFailed,
			       "compression scheme %u (%s, header byte 0x%02x) is not supported",
			       scheme, jr_compress_scheme_name(scheme), in[0]);
	if ((in[0] & 7) != 0)
		return jr_fail(ei, JET_errDecompressionFailed,
			       "Xpress header byte 0x%02x has low bits set", in[0]);
	if (in_len < JR_XPRESS_HEADER_SIZE)
		return jr_fail(ei, JET_errDecompressionFailed,
			       "Xpress data of %zu bytes is shorter than its header",
			       in_len);
	size_t size = jr_le16(in + 1);

	if (size > out_cap)
		return jr_fail(ei, JET_errDecompressionFailed,
			       "Xpress data expands to %zu bytes, more than the %zu-byte buffer",
			       size, out_cap);
	JET_ERR err = jr_xpress_decompress(in + JR_XPRESS_HEADER_SIZE,
					   in_len - JR_XPRESS_HEADER_SIZE,
					   out, size, ei);
	if (err < 0)
		return err;
	*out_len = size;
	return JET_errSuccess;
}
