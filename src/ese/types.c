/*
 * types.c - LGPOS, LOGTIME, SIGNATURE and BKINFO: parse, write, compare,
 * format. Layouts are documented in types.h.
 */
#include <stdio.h>
#include <string.h>

#include "ese/types.h"
#include "util/bytes.h"

/* ---- LGPOS ---- */

#define LGPOS_OFF_IB   0
#define LGPOS_OFF_ISEC 2
#define LGPOS_OFF_GEN  4

void ese_lgpos_parse(const uint8_t *buf, ese_lgpos *out)
{
	out->ib = jr_le16(buf + LGPOS_OFF_IB);
	out->isec = jr_le16(buf + LGPOS_OFF_ISEC);
	out->gen = jr_le32(buf + LGPOS_OFF_GEN);
}

void ese_lgpos_write(const ese_lgpos *p, uint8_t *buf)
{
	jr_put_le16(buf + LGPOS_OFF_IB, p->ib);
	jr_put_le16(buf + LGPOS_OFF_ISEC, p->isec);
	jr_put_le32(buf + LGPOS_OFF_GEN, p->gen);
}

uint64_t ese_lgpos_key(const ese_lgpos *p)
{
	return ((uint64_t)p->gen << 32) | ((uint64_t)p->isec << 16) | p->ib;
}

int ese_lgpos_cmp(const ese_lgpos *a, const ese_lgpos *b)
{
	uint64_t ka = ese_lgpos_key(a), kb = ese_lgpos_key(b);

	return (ka > kb) - (ka < kb);
}

bool ese_lgpos_is_zero(const ese_lgpos *p)
{
	return ese_lgpos_key(p) == 0;
}

char *ese_lgpos_format(const ese_lgpos *p, char *out, size_t n)
{
	if (n > 0)
		snprintf(out, n, "(0x%X,%X,%X)", (unsigned)p->gen,
			 (unsigned)p->isec, (unsigned)p->ib);
	return out;
}

/* ---- LOGTIME ---- */

#define LOGTIME_UTC_BIT      0x01u   /* byte 6 */
#define LOGTIME_SNAPSHOT_BIT 0x01u   /* byte 7 */

void ese_logtime_parse(const uint8_t *buf, ese_logtime *out)
{
	out->sec = buf[0];
	out->min = buf[1];
	out->hour = buf[2];
	out->day = buf[3];
	out->month = buf[4];
	out->year = buf[5];
	out->flags1 = buf[6];
	out->flags2 = buf[7];
}

void ese_logtime_write(const ese_logtime *t, uint8_t *buf)
{
	buf[0] = t->sec;
	buf[1] = t->min;
	buf[2] = t->hour;
	buf[3] = t->day;
	buf[4] = t->month;
	buf[5] = t->year;
	buf[6] = t->flags1;
	buf[7] = t->flags2;
}

bool ese_logtime_is_utc(const ese_logtime *t)
{
	return (t->flags1 & LOGTIME_UTC_BIT) != 0;
}

bool ese_logtime_is_os_snapshot(const ese_logtime *t)
{
	return (t->flags2 & LOGTIME_SNAPSHOT_BIT) != 0;
}

unsigned ese_logtime_milliseconds(const ese_logtime *t)
{
	/* 7 low bits in byte 6 above the UTC flag, 3 high bits in byte 7
	 * above the snapshot flag. */
	return (unsigned)(t->flags1 >> 1) | ((unsigned)((t->flags2 >> 1) & 7u) << 7);
}

bool ese_logtime_is_set(const ese_logtime *t)
{
	return t->sec | t->min | t->hour | t->day | t->month | t->year |
	       t->flags1 | t->flags2;
}

int ese_logtime_cmp(const ese_logtime *a, const ese_logtime *b)
{
	const uint8_t ka[6] = { a->year, a->month, a->day, a->hour, a->min, a->sec };
	const uint8_t kb[6] = { b->year, b->month, b->day, b->hour, b->min, b->sec };
	unsigned ma = ese_logtime_milliseconds(a), mb = ese_logtime_milliseconds(b);

	for (int i = 0; i < 6; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return (ma > mb) - (ma < mb);
}

char *ese_logtime_format(const ese_logtime *t, char *out, size_t n)
{
	if (n > 0)
		snprintf(out, n, "%02u/%02u/%04u %02u:%02u:%02u.%03u %s",
			 (unsigned)t->month, (unsigned)t->day,
			 (unsigned)t->year + 1900u, (unsigned)t->hour,
			 (unsigned)t->min, (unsigned)t->sec,
			 ese_logtime_milliseconds(t),
			 ese_logtime_is_utc(t) ? "UTC" : "LOC");
	return out;
}

/* ---- SIGNATURE ---- */

#define SIG_OFF_RANDOM   0
#define SIG_OFF_CREATED  4
#define SIG_OFF_COMPUTER 12

void ese_signature_parse(const uint8_t *buf, ese_signature *out)
{
	out->random = jr_le32(buf + SIG_OFF_RANDOM);
	ese_logtime_parse(buf + SIG_OFF_CREATED, &out->created);
	memcpy(out->computer_name, buf + SIG_OFF_COMPUTER,
	       ESE_COMPUTERNAME_SIZE);
}

void ese_signature_write(const ese_signature *s, uint8_t *buf)
{
	jr_put_le32(buf + SIG_OFF_RANDOM, s->random);
	ese_logtime_write(&s->created, buf + SIG_OFF_CREATED);
	memcpy(buf + SIG_OFF_COMPUTER, s->computer_name,
	       ESE_COMPUTERNAME_SIZE);
}

bool ese_signature_equal(const ese_signature *a, const ese_signature *b)
{
	uint8_t ba[ESE_SIGNATURE_SIZE], bb[ESE_SIGNATURE_SIZE];

	ese_signature_write(a, ba);
	ese_signature_write(b, bb);
	return memcmp(ba, bb, sizeof ba) == 0;
}

bool ese_signature_is_zero(const ese_signature *s)
{
	static const ese_signature zero;

	return ese_signature_equal(s, &zero);
}

char *ese_signature_computer_name(const ese_signature *s, char *out, size_t n)
{
	size_t i;

	if (n == 0)
		return out;
	for (i = 0; i + 1 < n && i < ESE_COMPUTERNAME_SIZE - 1; i++) {
		uint8_t c = s->computer_name[i];

		if (c == 0)
			break;
		out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[i] = '\0';
	return out;
}

char *ese_signature_format(const ese_signature *s, char *out, size_t n)
{
	char name[ESE_COMPUTERNAME_SIZE];
	const ese_logtime *t = &s->created;

	if (n > 0)
		snprintf(out, n,
			 "Create time:%02u/%02u/%04u %02u:%02u:%02u.%03u Rand:%u Computer:%s",
			 (unsigned)t->month, (unsigned)t->day,
			 (unsigned)t->year + 1900u, (unsigned)t->hour,
			 (unsigned)t->min, (unsigned)t->sec,
			 ese_logtime_milliseconds(t), (unsigned)s->random,
			 ese_signature_computer_name(s, name, sizeof name));
	return out;
}

/* ---- BKINFO ---- */

#define BK_OFF_LGPOS   0
#define BK_OFF_LOGTIME 8
#define BK_OFF_GENLOW  16
#define BK_OFF_GENHIGH 20

void ese_bkinfo_parse(const uint8_t *buf, ese_bkinfo *out)
{
	ese_lgpos_parse(buf + BK_OFF_LGPOS, &out->lgpos_mark);
	ese_logtime_parse(buf + BK_OFF_LOGTIME, &out->logtime_mark);
	out->gen_low = jr_le32(buf + BK_OFF_GENLOW);
	out->gen_high = jr_le32(buf + BK_OFF_GENHIGH);
}

void ese_bkinfo_write(const ese_bkinfo *b, uint8_t *buf)
{
	ese_lgpos_write(&b->lgpos_mark, buf + BK_OFF_LGPOS);
	ese_logtime_write(&b->logtime_mark, buf + BK_OFF_LOGTIME);
	jr_put_le32(buf + BK_OFF_GENLOW, b->gen_low);
	jr_put_le32(buf + BK_OFF_GENHIGH, b->gen_high);
}

bool ese_bkinfo_is_zero(const ese_bkinfo *b)
{
	return ese_lgpos_is_zero(&b->lgpos_mark) &&
	       !ese_logtime_is_set(&b->logtime_mark) &&
	       b->gen_low == 0 && b->gen_high == 0;
}
