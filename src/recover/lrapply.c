/*
 * lrapply.c - turning what a log record carries into bytes: the new data
 * of a ReplaceD (its diff applied to the old data) and the page image of a
 * Split2/Merge2 pre-image (decompressed and rehydrated). The formats are
 * described in lrdecode.h.
 */
#include <string.h>

#include "recover/lrdecode_int.h"
#include "recover/xpress.h"
#include "util/bytes.h"

/* ---------------------------------------------------------------------
 * ReplaceD diffs
 * ------------------------------------------------------------------- */

#define DIFF_IB_MASK        0x1fffu
#define DIFF_SAME_LENGTH    0x2000u
#define DIFF_INSERT         0x4000u
#define DIFF_TWO_BYTE_SIZES 0x8000u

JET_ERR lr_replaced_apply(const uint8_t *old, size_t old_len,
			  const uint8_t *diff, size_t diff_len, bool diff2,
			  uint8_t *out, size_t out_cap, size_t *out_len,
			  jr_errinfo *ei)
{
	size_t d = 0, o = 0, n = 0;

	while (d < diff_len) {
		size_t ib;
		unsigned flags;

		/* both header forms become (ib, DIFFHDR-style flag bits) */
		if (diff2) {
			if (diff_len - d < 3)
				goto truncated;
			ib = jr_le16(diff + d);
			flags = (unsigned)diff[d + 2] << 8;
			d += 3;
		} else {
			if (diff_len - d < 2)
				goto truncated;
			uint16_t h = jr_le16(diff + d);
			ib = h & DIFF_IB_MASK;
			flags = h & ~DIFF_IB_MASK;
			d += 2;
		}
		size_t width = (flags & DIFF_TWO_BYTE_SIZES) ? 2 : 1;
		size_t cb_new, cb_old;

		if (diff_len - d < width)
			goto truncated;
		cb_new = width == 2 ? jr_le16(diff + d) : diff[d];
		d += width;
		if (flags & DIFF_INSERT) {
			cb_old = 0;
		} else if (flags & DIFF_SAME_LENGTH) {
			cb_old = cb_new;
		} else {
			if (diff_len - d < width)
				goto truncated;
			cb_old = width == 2 ? jr_le16(diff + d) : diff[d];
			d += width;
		}
		if (diff_len - d < cb_new)
			goto truncated;

		/* copy the unchanged old bytes before this entry */
		if (ib < o || ib > old_len)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "ReplaceD: diff offset %zu outside the unconsumed old data [%zu, %zu]",
				       ib, o, old_len);
		size_t keep = ib - o;
		if (keep > out_cap - n || cb_new > out_cap - n - keep)
			goto too_big;
		memcpy(out + n, old + o, keep);
		n += keep;
		o = ib;
		memcpy(out + n, diff + d, cb_new);
		n += cb_new;
		d += cb_new;
		if (cb_old > old_len - o)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "ReplaceD: diff at %zu replaces %zu bytes but the old data has %zu",
				       ib, cb_old, old_len - o);
		o += cb_old;
	}
	if (old_len - o > out_cap - n)
		goto too_big;
	memcpy(out + n, old + o, old_len - o);
	n += old_len - o;
	*out_len = n;
	return JET_errSuccess;

truncated:
	return jr_fail(ei, JET_errLogFileCorrupt,
		       "ReplaceD: diff truncated at byte %zu of %zu", d,
		       diff_len);
too_big:
	return jr_fail(ei, JET_errLogFileCorrupt,
		       "ReplaceD: the new data would exceed %zu bytes", out_cap);
}

/* ---------------------------------------------------------------------
 * Pre-images
 * ------------------------------------------------------------------- */

/* Page header fields rehydration needs (the same in the 40-byte header of
 * small pages and the 80-byte one of 16/32 KiB pages). */
#define PGHDR_CB_FREE        28
#define PGHDR_ITAG_MIC_FREE  34
#define PGHDR_SMALL_SIZE     40
#define PGHDR_LARGE_SIZE     80
#define TAG_SIZE              4

JET_ERR lr_preimage_expand(uint32_t preimage_flags, lr_bytes preimage,
			   uint8_t *page, size_t page_size, jr_errinfo *ei)
{
	size_t hdr = page_size > 8192 ? PGHDR_LARGE_SIZE : PGHDR_SMALL_SIZE;
	size_t cb = preimage.len;

	if (!lr_is_page_size((uint32_t)page_size) || page_size < 4096)
		return jr_fail(ei, JET_errInvalidParameter,
			       "pre-image: page size %zu", page_size);
	if (cb == 0)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "pre-image: the record has none");

	if (preimage_flags & LR_PREIMAGE_XPRESS) {
		size_t got = 0;
		jr_errinfo dei = { 0 };
		JET_ERR err = jr_ese_decompress(preimage.p, cb, page,
						page_size, &got, &dei);
		if (err < 0)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image: %s", dei.detail);
		cb = got;
	} else {
		if (cb > page_size)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image of %zu bytes is larger than a %zu-byte page",
				       cb, page_size);
		memcpy(page, preimage.p, cb);
	}

	if (!(preimage_flags & LR_PREIMAGE_DEHYDRATED)) {
		if (cb != page_size)
			return jr_fail(ei, JET_errLogFileCorrupt,
				       "pre-image expands to %zu bytes, not a %zu-byte page",
				       cb, page_size);
		return JET_errSuccess;
	}

	/* rehydrate: the tag array ends the short image; move it to the
	 * end of the page and give the gap to the free space */
	if (cb < hdr || cb > page_size)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image of %zu bytes for a %zu-byte page",
			       cb, page_size);
	size_t cb_tags = (size_t)jr_le16(page + PGHDR_ITAG_MIC_FREE) * TAG_SIZE;
	if (cb_tags > cb - hdr)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image: %zu bytes of tags in %zu bytes",
			       cb_tags, cb);
	size_t growth = page_size - cb;
	uint32_t cb_free = jr_le16(page + PGHDR_CB_FREE) + (uint32_t)growth;
	if (cb_free > 0xffff || cb_free > page_size)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "dehydrated pre-image: cbFree would become %u",
			       cb_free);
	memmove(page + page_size - cb_tags, page + cb - cb_tags, cb_tags);
	memset(page + cb - cb_tags, 0, growth);
	jr_put_le16(page + PGHDR_CB_FREE, (uint16_t)cb_free);
	return JET_errSuccess;
}
