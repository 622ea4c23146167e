/*
 * logseg.c - segment header, segment classification (checksum, shadow,
 * stale, blank) and walking the items of one segment. See logseg.h.
 */
#include <string.h>

#include "ese/checksum.h"
#include "ese/logseg.h"
#include "ese/lrtyp.h"
#include "util/bytes.h"

#define SEG_OFF_CHECKSUM  0
#define SEG_OFF_LGPOS     8
#define SEG_OFF_LOGTIME   16
#define SEG_OFF_RESERVED  24
#define SEG_RESERVED_SIZE 12
#define SEG_OFF_FLAGS     36

void ese_logseghdr_parse(const uint8_t *seg, ese_logseghdr *out)
{
	out->checksum = jr_le64(seg + SEG_OFF_CHECKSUM);
	ese_lgpos_parse(seg + SEG_OFF_LGPOS, &out->lgpos);
	ese_logtime_parse(seg + SEG_OFF_LOGTIME, &out->logtime_start);
	memcpy(out->reserved, seg + SEG_OFF_RESERVED, SEG_RESERVED_SIZE);
	out->flags = jr_le32(seg + SEG_OFF_FLAGS);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

void ese_logseg_classify(const uint8_t *seg, uint32_t gen, uint16_t isec,
			 ese_logseg_check *out)
{
	ese_lgpos here = { .ib = 0, .isec = isec, .gen = gen };

	out->stored = jr_le64(seg + SEG_OFF_CHECKSUM);
	out->computed = ese_checksum_ecc(seg, ESE_LOGSEG_SIZE, isec, true);
	out->bad_bit = -1;
	ese_lgpos_parse(seg + SEG_OFF_LGPOS, &out->lgpos);

	if (out->stored == out->computed) {
		int c = ese_lgpos_cmp(&out->lgpos, &here);

		out->state = c == 0 ? ESE_LOGSEG_VALID :
			     c < 0 ? ESE_LOGSEG_STALE : ESE_LOGSEG_AHEAD;
		return;
	}
	/* The shadow copy of the previous segment carries that segment's
	 * checksum (ESE checks this before anything else on a mismatch). */
	if (isec > 1 && out->stored == ese_checksum_ecc(seg, ESE_LOGSEG_SIZE,
						       isec - 1, true)) {
		out->state = ESE_LOGSEG_SHADOW;
		return;
	}
	if (all_zero(seg, ESE_LOGSEG_SIZE)) {
		out->state = ESE_LOGSEG_BLANK;
		return;
	}
	out->state = ESE_LOGSEG_BAD;
	out->bad_bit = ese_checksum_ecc_bad_bit(out->stored, out->computed,
						ESE_LOGSEG_SIZE);
	/* ESE never "corrects" the format flag itself. */
	if (out->bad_bit == SEG_OFF_FLAGS * 8 + 13)
		out->bad_bit = -1;
}

const char *ese_logseg_state_name(ese_logseg_state s)
{
	switch (s) {
	case ESE_LOGSEG_VALID:
		return "valid";
	case ESE_LOGSEG_SHADOW:
		return "shadow";
	case ESE_LOGSEG_STALE:
		return "stale";
	case ESE_LOGSEG_BLANK:
		return "blank";
	case ESE_LOGSEG_AHEAD:
		return "ahead";
	case ESE_LOGSEG_BAD:
		return "bad";
	}
	return "?";
}

uint64_t ese_logseg_seal(uint8_t *seg, uint32_t gen, uint16_t isec,
			 const ese_logtime *start)
{
	ese_lgpos pos = { .ib = 0, .isec = isec, .gen = gen };
	uint64_t sum;

	ese_lgpos_write(&pos, seg + SEG_OFF_LGPOS);
	if (start)
		ese_logtime_write(start, seg + SEG_OFF_LOGTIME);
	memset(seg + SEG_OFF_RESERVED, 0, SEG_RESERVED_SIZE);
	jr_put_le32(seg + SEG_OFF_FLAGS, ESE_LOGSEG_FLAG_ECC);
	sum = ese_checksum_ecc(seg, ESE_LOGSEG_SIZE, isec, true);
	jr_put_le64(seg + SEG_OFF_CHECKSUM, sum);
	return sum;
}

JET_ERR ese_logseg_item_at(const uint8_t *seg, uint16_t ib,
			   ese_logseg_item *item, jr_errinfo *ei)
{
	uint32_t size;
	JET_ERR err;

	if (ib < ESE_LOGSEG_HDR_SIZE || ib >= ESE_LOGSEG_SIZE)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "offset %u is outside the segment's data", ib);
	item->ib = ib;
	item->lrtyp = seg[ib];
	if (seg[ib] == ESE_LRTYP_NOP) {
		uint16_t end = ib;

		while (end < ESE_LOGSEG_SIZE && seg[end] == ESE_LRTYP_NOP)
			end++;
		item->size = (uint16_t)(end - ib);
		return JET_errSuccess;
	}
	err = ese_lr_size(seg + ib, ESE_LOGSEG_SIZE - ib, &size, ei);
	if (err < 0)
		return err;
	if (size > (uint32_t)(ESE_LOGSEG_SIZE - ib))
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "%s record of %u bytes at offset %u runs past "
			       "the segment", ese_lrtyp_name(seg[ib]),
			       (unsigned)size, ib);
	item->size = (uint16_t)size;
	return JET_errSuccess;
}
