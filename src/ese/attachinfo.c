/*
 * attachinfo.c - the two structures a log file header and a checkpoint
 * both carry: DBMS_PARAM and the attach list of ATTACHINFO entries. The
 * layout tables are in loghdr.h (the offsets below are relative to the
 * start of each structure); loghdr.c and checkpoint.c place them.
 */
#include <string.h>

#include "ese/loghdr.h"
#include "util/bytes.h"

/* DBMS_PARAM, relative to its start. */
#define DBMS_OFF_SYSTEM_PATH      0
#define DBMS_OFF_LOG_PATH         261
#define DBMS_PATH_SIZE            261
#define DBMS_OFF_FLAGS            522
#define DBMS_OFF_SESSIONS_MAX     523
#define DBMS_OFF_OPEN_TABLES_MAX  527
#define DBMS_OFF_VER_PAGES_MAX    531
#define DBMS_OFF_CURSORS_MAX      535
#define DBMS_OFF_LOG_BUFFERS      539
#define DBMS_OFF_CSEC_LGFILE      543
#define DBMS_OFF_CACHE_SIZE_MAX   547

/* ATTACHINFO, relative to its start. */
#define AI_OFF_DBID               0
#define AI_OFF_FLAGS              1
#define AI_OFF_CB_NAMES           2
#define AI_OFF_DBTIME             4
#define AI_OFF_OBJID_LAST         12
#define AI_OFF_CPG_MAX            16
#define AI_OFF_LGPOS_ATTACH       20
#define AI_OFF_LGPOS_CONSISTENT   28
#define AI_OFF_SIGN_DB            36
#define AI_OFF_NAMES              ESE_ATTACHINFO_SIZE

/* ---- DBMS_PARAM ---- */

/* All 261 bytes, including any after the NUL, so that a round trip is
 * exact; a path set into a zeroed struct is NUL-padded. */
static void path_decode(const uint8_t *p, char *out)
{
	memcpy(out, p, DBMS_PATH_SIZE);
	out[DBMS_PATH_SIZE] = '\0';
}

static void path_encode(const char *s, uint8_t *p)
{
	memcpy(p, s, DBMS_PATH_SIZE);
}

void ese_dbms_param_parse(const uint8_t *b, ese_dbms_param *d)
{
	path_decode(b + DBMS_OFF_SYSTEM_PATH, d->system_path);
	path_decode(b + DBMS_OFF_LOG_PATH, d->log_path);
	d->flags = b[DBMS_OFF_FLAGS];
	d->sessions_max = jr_le32(b + DBMS_OFF_SESSIONS_MAX);
	d->open_tables_max = jr_le32(b + DBMS_OFF_OPEN_TABLES_MAX);
	d->ver_pages_max = jr_le32(b + DBMS_OFF_VER_PAGES_MAX);
	d->cursors_max = jr_le32(b + DBMS_OFF_CURSORS_MAX);
	d->log_buffers = jr_le32(b + DBMS_OFF_LOG_BUFFERS);
	d->csec_lgfile = jr_le32(b + DBMS_OFF_CSEC_LGFILE);
	d->cache_size_max = jr_le32(b + DBMS_OFF_CACHE_SIZE_MAX);
}

void ese_dbms_param_write(const ese_dbms_param *d, uint8_t *b)
{
	path_encode(d->system_path, b + DBMS_OFF_SYSTEM_PATH);
	path_encode(d->log_path, b + DBMS_OFF_LOG_PATH);
	b[DBMS_OFF_FLAGS] = d->flags;
	jr_put_le32(b + DBMS_OFF_SESSIONS_MAX, d->sessions_max);
	jr_put_le32(b + DBMS_OFF_OPEN_TABLES_MAX, d->open_tables_max);
	jr_put_le32(b + DBMS_OFF_VER_PAGES_MAX, d->ver_pages_max);
	jr_put_le32(b + DBMS_OFF_CURSORS_MAX, d->cursors_max);
	jr_put_le32(b + DBMS_OFF_LOG_BUFFERS, d->log_buffers);
	jr_put_le32(b + DBMS_OFF_CSEC_LGFILE, d->csec_lgfile);
	jr_put_le32(b + DBMS_OFF_CACHE_SIZE_MAX, d->cache_size_max);
}

/* ---- names ---- */

/* UTF-16LE (NUL-terminated within n bytes) to UTF-8; unpaired surrogates
 * become U+FFFD. out always NUL-terminated. */
static void utf16le_to_utf8(const uint8_t *in, size_t n, char *out,
			    size_t out_size)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t c = jr_le16(in + i);
		char tmp[4];
		size_t k = 0;

		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
			uint32_t lo = jr_le16(in + i + 2);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			tmp[k++] = (char)c;
		} else if (c < 0x800) {
			tmp[k++] = (char)(0xC0 | (c >> 6));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			tmp[k++] = (char)(0xE0 | (c >> 12));
			tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			tmp[k++] = (char)(0xF0 | (c >> 18));
			tmp[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
			tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			tmp[k++] = (char)(0x80 | (c & 0x3F));
		}
		if (o + k + 1 > out_size)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
}

/* Decode one UTF-8 code point at s; returns its length or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return *cp >= 0x80 ? 2 : 0;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) |
		      ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) |
		      ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return (*cp >= 0x10000 && *cp <= 0x10FFFF) ? 4 : 0;
	}
	return 0;
}

void ese_attachinfo_decode_path(ese_attachinfo *ai)
{
	if (ai->flags & ESE_ATTACH_UNICODE_NAMES) {
		utf16le_to_utf8(ai->names_raw, ai->cb_names, ai->path,
				sizeof(ai->path));
	} else {
		size_t n = strnlen((const char *)ai->names_raw, ai->cb_names);

		memcpy(ai->path, ai->names_raw, n);
		ai->path[n] = '\0';
	}
}

JET_ERR ese_attachinfo_set_path(ese_attachinfo *ai, const char *utf8,
				jr_errinfo *ei)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t o = 0;

	while (*s) {
		uint32_t cp;
		size_t k = utf8_decode(s, &cp);

		if (k == 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "attach path is not valid UTF-8");
		if (o + (cp >= 0x10000 ? 4 : 2) + 2 >
		    ESE_LOGHDR_ATTACH_SIZE - ESE_ATTACHINFO_SIZE - 1)
			return jr_fail(ei, JET_errInvalidParameter,
				       "attach path too long for the attach list");
		if (cp >= 0x10000) {
			cp -= 0x10000;
			jr_put_le16(ai->names_raw + o,
				    (uint16_t)(0xD800 + (cp >> 10)));
			jr_put_le16(ai->names_raw + o + 2,
				    (uint16_t)(0xDC00 + (cp & 0x3FF)));
			o += 4;
		} else {
			jr_put_le16(ai->names_raw + o, (uint16_t)cp);
			o += 2;
		}
		s += k;
	}
	jr_put_le16(ai->names_raw + o, 0);
	o += 2;
	ai->cb_names = (uint16_t)o;
	ai->flags |= ESE_ATTACH_UNICODE_NAMES;
	utf16le_to_utf8(ai->names_raw, o, ai->path, sizeof(ai->path));
	return JET_errSuccess;
}

/* ---- the attach list ---- */

JET_ERR ese_attach_list_parse(const uint8_t *area, size_t size,
			      ese_attachinfo list[ESE_ATTACH_MAX],
			      unsigned *n_out, JET_ERR corrupt,
			      const char *what, jr_errinfo *ei)
{
	size_t off = 0;
	unsigned n = 0;

	*n_out = 0;
	while (off < size && area[off] != 0) {
		const uint8_t *p = area + off;
		ese_attachinfo *ai;

		if (n == ESE_ATTACH_MAX)
			return jr_fail(ei, corrupt, "%s: more than %d attached "
				       "databases", what, ESE_ATTACH_MAX);
		if (size - off < ESE_ATTACHINFO_SIZE)
			return jr_fail(ei, corrupt, "%s: attach entry %u runs "
				       "past the attach list", what, n);
		ai = &list[n];
		memset(ai, 0, sizeof(*ai));
		ai->dbid = p[AI_OFF_DBID];
		ai->flags = p[AI_OFF_FLAGS];
		ai->cb_names = jr_le16(p + AI_OFF_CB_NAMES);
		if (ai->cb_names > size - off - ESE_ATTACHINFO_SIZE)
			return jr_fail(ei, corrupt, "%s: names of attach entry "
				       "%u (%u bytes) run past the attach list",
				       what, n, ai->cb_names);
		ai->dbtime = jr_le64(p + AI_OFF_DBTIME);
		ai->objid_last = jr_le32(p + AI_OFF_OBJID_LAST);
		ai->cpg_max = (int32_t)jr_le32(p + AI_OFF_CPG_MAX);
		ese_lgpos_parse(p + AI_OFF_LGPOS_ATTACH, &ai->lgpos_attach);
		ese_lgpos_parse(p + AI_OFF_LGPOS_CONSISTENT,
				&ai->lgpos_consistent);
		ese_signature_parse(p + AI_OFF_SIGN_DB, &ai->sign_db);
		memcpy(ai->names_raw, p + AI_OFF_NAMES, ai->cb_names);
		ese_attachinfo_decode_path(ai);
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
		*n_out = ++n;
	}
	return JET_errSuccess;
}

JET_ERR ese_attach_list_write(const ese_attachinfo *list, unsigned n,
			      uint8_t *area, size_t size, jr_errinfo *ei)
{
	JET_ERR err = JET_errSuccess;
	size_t off = 0;

	if (n > ESE_ATTACH_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "attach list: %u entries, at most %d", n,
			       ESE_ATTACH_MAX);
	for (unsigned i = 0; i < n; i++) {
		const ese_attachinfo *ai = &list[i];
		uint8_t *p = area + off;

		if (ai->dbid == 0 ||
		    size - off < (size_t)ESE_ATTACHINFO_SIZE + ai->cb_names) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "attach list: entry %u (dbid %u) does "
				      "not fit", i, ai->dbid);
			break;
		}
		p[AI_OFF_DBID] = ai->dbid;
		p[AI_OFF_FLAGS] = ai->flags;
		jr_put_le16(p + AI_OFF_CB_NAMES, ai->cb_names);
		jr_put_le64(p + AI_OFF_DBTIME, ai->dbtime);
		jr_put_le32(p + AI_OFF_OBJID_LAST, ai->objid_last);
		jr_put_le32(p + AI_OFF_CPG_MAX, (uint32_t)ai->cpg_max);
		ese_lgpos_write(&ai->lgpos_attach, p + AI_OFF_LGPOS_ATTACH);
		ese_lgpos_write(&ai->lgpos_consistent,
				p + AI_OFF_LGPOS_CONSISTENT);
		ese_signature_write(&ai->sign_db, p + AI_OFF_SIGN_DB);
		memcpy(p + AI_OFF_NAMES, ai->names_raw, ai->cb_names);
		off += ESE_ATTACHINFO_SIZE + ai->cb_names;
	}
	if (off < size)
		area[off] = 0;  /* the end-of-list dbid */
	return err;
}
