/*
 * page.c - reading a database page's header, tags and lines (see page.h
 * for the layout).
 */
#include "ese/page.h"

#include <stdio.h>
#include <string.h>

#include "util/bytes.h"

JET_ERR ese_page_layout_init(ese_page_layout *lay, uint32_t page_size,
			     jr_errinfo *ei)
{
	if (page_size != 4096 && page_size != 8192 && page_size != 16384 &&
	    page_size != 32768)
		return jr_fail(ei, JET_errInvalidParameter,
			       "unsupported database page size %u", page_size);
	lay->page_size = page_size;
	lay->large = page_size > 8192;
	lay->hdr_size = lay->large ? ESE_PGHDR_LARGE_SIZE : ESE_PGHDR_SMALL_SIZE;
	lay->ibcb_mask = lay->large ? 0x7fff : 0x1fff;
	lay->data_size = (uint16_t)(page_size - lay->hdr_size);
	lay->resv_tag_format = false;
	return JET_errSuccess;
}

uint64_t ese_page_file_offset(const ese_page_layout *lay, uint32_t pgno)
{
	return ((uint64_t)pgno + 1) * lay->page_size;
}

void ese_page_header_read(const ese_page_layout *lay, const uint8_t *page,
			  ese_page_header *h)
{
	memset(h, 0, sizeof(*h));
	h->checksum = jr_le64(page + ESE_PGHDR_CHECKSUM);
	h->dbtime = jr_le64(page + ESE_PGHDR_DBTIME);
	h->pgno_prev = jr_le32(page + ESE_PGHDR_PGNO_PREV);
	h->pgno_next = jr_le32(page + ESE_PGHDR_PGNO_NEXT);
	h->objid_fdp = jr_le32(page + ESE_PGHDR_OBJID_FDP);
	h->cb_free = jr_le16(page + ESE_PGHDR_CB_FREE);
	h->cb_uncommitted_free = jr_le16(page + ESE_PGHDR_CB_UNCOMMITTED);
	h->ib_mic_free = jr_le16(page + ESE_PGHDR_IB_MIC_FREE);
	h->itag_state = jr_le16(page + ESE_PGHDR_ITAG_STATE);
	h->itag_mic_free = h->itag_state & ESE_ITAG_MIC_FREE_MASK;
	h->ctag_reserved_stored =
		(h->itag_state >> ESE_CTAG_RESERVED_SHIFT) & ESE_CTAG_RESERVED_MAX;
	h->ctag_reserved = h->ctag_reserved_stored ? h->ctag_reserved_stored : 1;
	h->flags = jr_le32(page + ESE_PGHDR_FLAGS);
	h->flush_type = (h->flags & ESE_PGF_FLUSH_TYPE_MASK) >>
			ESE_PGF_FLUSH_TYPE_SHIFT;
	if (lay->large) {
		for (int i = 0; i < 3; i++)
			h->ext_checksum[i] =
				jr_le64(page + ESE_PGHDR2_CHECKSUMS + 8 * i);
		h->pgno = jr_le32(page + ESE_PGHDR2_PGNO);
	}
}

unsigned ese_page_tag_count(const ese_page_layout *lay, const uint8_t *page)
{
	(void)lay;
	return jr_le16(page + ESE_PGHDR_ITAG_STATE) & ESE_ITAG_MIC_FREE_MASK;
}

unsigned ese_page_reserved_tags(const ese_page_layout *lay,
				const uint8_t *page)
{
	unsigned c;

	(void)lay;
	c = (jr_le16(page + ESE_PGHDR_ITAG_STATE) >> ESE_CTAG_RESERVED_SHIFT) &
	    ESE_CTAG_RESERVED_MAX;
	return c ? c : 1;
}

unsigned ese_page_line_count(const ese_page_layout *lay, const uint8_t *page)
{
	unsigned ntags = ese_page_tag_count(lay, page);
	unsigned nres = ese_page_reserved_tags(lay, page);

	return ntags > nres ? ntags - nres : 0;
}

void ese_page_tag_raw(const ese_page_layout *lay, const uint8_t *page,
		      unsigned itag, uint16_t *cb_word, uint16_t *ib_word)
{
	const uint8_t *t = page + lay->page_size - ESE_TAG_SIZE * (itag + 1);

	*cb_word = jr_le16(t);
	*ib_word = jr_le16(t + 2);
}

JET_ERR ese_page_tag_get(const ese_page_layout *lay, const uint8_t *page,
			 unsigned itag, ese_line *line, jr_errinfo *ei)
{
	unsigned ntags = ese_page_tag_count(lay, page);
	uint16_t cbw, ibw;
	uint32_t data_end;

	memset(line, 0, sizeof(*line));
	if (itag >= ntags)
		return jr_fail(ei, JET_errInvalidParameter,
			       "tag %u does not exist (page has %u tags)", itag,
			       ntags);
	/* The tag array must leave the header alone. */
	if ((uint32_t)ntags * ESE_TAG_SIZE > lay->data_size)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "tag array of %u tags overlaps the page header",
			       ntags);
	data_end = lay->data_size - (uint32_t)ntags * ESE_TAG_SIZE;

	ese_page_tag_raw(lay, page, itag, &cbw, &ibw);
	line->itag = (uint16_t)itag;
	line->cb = cbw & lay->ibcb_mask;
	line->ib = ibw & lay->ibcb_mask;
	if (line->cb == 0)
		return JET_errSuccess;
	if ((uint32_t)line->ib + line->cb > data_end)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "tag %u (ib %u, cb %u) runs past the data area "
			       "(%u bytes before the tag array)",
			       itag, line->ib, line->cb, data_end);
	line->data = page + lay->hdr_size + line->ib;
	if (!lay->large)
		line->flags = (uint8_t)(ibw >> 13);
	else if (line->cb >= 2)
		line->flags = (uint8_t)(jr_le16(line->data) >> 13);
	return JET_errSuccess;
}

JET_ERR ese_page_line(const ese_page_layout *lay, const uint8_t *page,
		      unsigned iline, ese_line *line, jr_errinfo *ei)
{
	unsigned nres = ese_page_reserved_tags(lay, page);

	if (iline > ESE_ITAG_MIC_FREE_MASK) {
		memset(line, 0, sizeof(*line));
		return jr_fail(ei, JET_errInvalidParameter,
			       "line %u does not exist", iline);
	}
	return ese_page_tag_get(lay, page, iline + nres, line, ei);
}

JET_ERR ese_page_external_header(const ese_page_layout *lay,
				 const uint8_t *page, ese_line *line,
				 jr_errinfo *ei)
{
	return ese_page_tag_get(lay, page, 0, line, ei);
}

bool ese_page_is_blank(const ese_page_layout *lay, const uint8_t *page)
{
	static const uint8_t zero[1024];

	for (uint32_t off = 0; off < lay->page_size; off += sizeof(zero))
		if (memcmp(page + off, zero, sizeof(zero)))
			return false;
	return true;
}

char *ese_page_flags_format(uint32_t flags, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ ESE_PGF_ROOT, "root" },
		{ ESE_PGF_LEAF, "leaf" },
		{ ESE_PGF_PARENT_OF_LEAF, "parentofleaf" },
		{ ESE_PGF_EMPTY, "empty" },
		{ ESE_PGF_REPAIR, "repair" },
		{ ESE_PGF_SPACE_TREE, "space" },
		{ ESE_PGF_INDEX, "index" },
		{ ESE_PGF_LONG_VALUE, "longvalue" },
		{ ESE_PGF_NON_UNIQUE_KEYS, "nonunique" },
		{ ESE_PGF_NEW_RECORD_FORMAT, "newrecord" },
		{ ESE_PGF_NEW_CHECKSUM_FORMAT, "newchecksum" },
		{ ESE_PGF_SCRUBBED, "scrubbed" },
		{ ESE_PGF_PREINIT, "preinit" },
		{ ESE_PGF_FDP_DELETE, "fdpdelete" },
	};
	static const char *const flush_names[] = { NULL, "rockwrite",
						    "paperwrite",
						    "scissorswrite" };
	uint32_t known = ESE_PGF_FLUSH_TYPE_MASK;
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
#define APPEND(...)                                                          \
	do {                                                                 \
		int n_ = snprintf(buf + used, len - used, __VA_ARGS__);      \
		if (n_ > 0)                                                  \
			used = used + (size_t)n_ < len ? used + (size_t)n_   \
						       : len - 1;            \
	} while (0)
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		known |= names[i].bit;
		if (flags & names[i].bit)
			APPEND("%s%s", used ? "|" : "", names[i].name);
	}
	if (flush_names[(flags & ESE_PGF_FLUSH_TYPE_MASK) >>
			ESE_PGF_FLUSH_TYPE_SHIFT])
		APPEND("%s%s", used ? "|" : "",
		       flush_names[(flags & ESE_PGF_FLUSH_TYPE_MASK) >>
				   ESE_PGF_FLUSH_TYPE_SHIFT]);
	if (flags & ~known)
		APPEND("%s0x%x", used ? "|" : "", flags & ~known);
#undef APPEND
	return buf;
}
