/*
 * pagecheck.c - structural check of one database page (see pagecheck.h).
 */
#include "ese/pagecheck.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ese/checksum.h"
#include "ese/node.h"
#include "util/bytes.h"

#define PROBLEMS_DEFAULT_MAX 1024

void ese_page_problems_init(ese_page_problems *pp)
{
	memset(pp, 0, sizeof(*pp));
}

void ese_page_problems_clear(ese_page_problems *pp)
{
	pp->count = 0;
	pp->total = 0;
}

void ese_page_problems_free(ese_page_problems *pp)
{
	g_free(pp->items);
	pp->items = NULL;
	pp->count = pp->cap = pp->total = 0;
}

const char *ese_pgchk_kind_name(ese_pgchk_kind kind)
{
	switch (kind) {
	case ESE_PGCHK_CHECKSUM: return "checksum";
	case ESE_PGCHK_HEADER: return "header";
	case ESE_PGCHK_DBTIME: return "dbtime";
	case ESE_PGCHK_TAG: return "tag";
	case ESE_PGCHK_OVERLAP: return "overlap";
	case ESE_PGCHK_SPACE: return "space";
	case ESE_PGCHK_NODE: return "node";
	case ESE_PGCHK_KEY_ORDER: return "key-order";
	}
	return "unknown";
}

/* The state of one page check: where problems go and how many so far. */
typedef struct {
	ese_page_problems *out;
	uint32_t pgno;
	size_t found;
} check_ctx;

static void problem(check_ctx *c, ese_pgchk_kind kind, int itag,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(check_ctx *c, ese_pgchk_kind kind, int itag,
		    const char *fmt, ...)
{
	ese_page_problems *pp = c->out;
	size_t max = pp->max_stored ? pp->max_stored : PROBLEMS_DEFAULT_MAX;
	ese_page_problem *p;
	va_list ap;

	c->found++;
	pp->total++;
	if (pp->count >= max)
		return;
	if (pp->count == pp->cap) {
		pp->cap = pp->cap ? pp->cap * 2 : 16;
		pp->items = g_renew(ese_page_problem, pp->items, pp->cap);
	}
	p = &pp->items[pp->count++];
	p->pgno = c->pgno;
	p->itag = itag;
	p->kind = kind;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

static void check_checksum(check_ctx *c, const ese_page_layout *lay,
			   const uint8_t *page)
{
	ese_page_checksum_result r;

	ese_page_checksum_check(page, lay->page_size, c->pgno, &r);
	if (r.status == ESE_CKSUM_CORRECTABLE)
		problem(c, ESE_PGCHK_CHECKSUM, -1,
			"checksum mismatch explained by one flipped bit at bit "
			"%lld", (long long)r.bad_bit);
	else if (r.status == ESE_CKSUM_BAD)
		problem(c, ESE_PGCHK_CHECKSUM, -1,
			"checksum mismatch: stored 0x%016llx, computed "
			"0x%016llx", (unsigned long long)r.stored,
			(unsigned long long)r.computed);
}

/* Header checks. Returns false when the tag array itself cannot be
 * trusted, so that the tag walk must not start. */
static bool check_header(check_ctx *c, const ese_page_layout *lay,
			 const ese_page_header *h,
			 const ese_pagecheck_opts *opts)
{
	bool tags_usable = true;
	uint32_t f = h->flags;

	if (h->cb_free > lay->data_size)
		problem(c, ESE_PGCHK_HEADER, -1,
			"cbFree %u exceeds the data area (%u bytes)",
			h->cb_free, lay->data_size);
	if (h->cb_uncommitted_free > h->cb_free)
		problem(c, ESE_PGCHK_HEADER, -1,
			"cbUncommittedFree %u exceeds cbFree %u",
			h->cb_uncommitted_free, h->cb_free);
	if (h->ib_mic_free > lay->data_size)
		problem(c, ESE_PGCHK_HEADER, -1,
			"ibMicFree %u exceeds the data area (%u bytes)",
			h->ib_mic_free, lay->data_size);
	if (h->itag_mic_free >= lay->data_size / ESE_TAG_SIZE ||
	    (int)lay->data_size - ESE_TAG_SIZE * h->itag_mic_free <= 1) {
		problem(c, ESE_PGCHK_HEADER, -1,
			"itagMicFree %u: the tag array reaches the header",
			h->itag_mic_free);
		tags_usable = false;
	} else if (h->itag_mic_free > 0 &&
		   (int)lay->data_size - ESE_TAG_SIZE * h->itag_mic_free <
			   4 * (h->itag_mic_free - 1)) {
		/* every node needs at least 4 bytes */
		problem(c, ESE_PGCHK_HEADER, -1,
			"itagMicFree %u: no room left for that many lines",
			h->itag_mic_free);
		tags_usable = false;
	}
	if (h->itag_mic_free == 0 && !(f & (ESE_PGF_EMPTY | ESE_PGF_PREINIT)))
		problem(c, ESE_PGCHK_HEADER, -1,
			"no tags but neither empty nor pre-initialised");
	if (h->itag_mic_free > 0 && h->ctag_reserved > h->itag_mic_free)
		problem(c, ESE_PGCHK_HEADER, -1,
			"%u reserved tags but only %u tags", h->ctag_reserved,
			h->itag_mic_free);
	if ((f & ESE_PGF_EMPTY) && (f & ESE_PGF_PREINIT))
		problem(c, ESE_PGCHK_HEADER, -1,
			"flags 0x%x: both empty and pre-initialised", f);
	if ((f & ESE_PGF_PREINIT) &&
	    (h->itag_mic_free != 0 || !(f & ESE_PGF_NEW_RECORD_FORMAT) ||
	     (f & ~(ESE_PGF_PREINIT | ESE_PGF_NEW_RECORD_FORMAT |
		    ESE_PGF_NEW_CHECKSUM_FORMAT | ESE_PGF_FLUSH_TYPE_MASK)) ||
	     h->pgno_prev || h->pgno_next))
		problem(c, ESE_PGCHK_HEADER, -1,
			"pre-initialised page with tags, other flags (0x%x) or "
			"neighbours", f);
	if ((f & ESE_PGF_LONG_VALUE) && (f & ESE_PGF_INDEX))
		problem(c, ESE_PGCHK_HEADER, -1,
			"flags 0x%x: both long-value and index", f);
	if ((f & ESE_PGF_LEAF) && (f & ESE_PGF_PARENT_OF_LEAF))
		problem(c, ESE_PGCHK_HEADER, -1,
			"flags 0x%x: both leaf and parent-of-leaf", f);
	if (f & ESE_PGF_REPAIR)
		problem(c, ESE_PGCHK_HEADER, -1, "page marked repaired");
	if (lay->large && h->pgno != c->pgno)
		problem(c, ESE_PGCHK_HEADER, -1,
			"page number %u stored on page %u", h->pgno, c->pgno);
	if (opts->dbtime_max && h->dbtime > opts->dbtime_max)
		problem(c, ESE_PGCHK_DBTIME, -1,
			"dbtime 0x%llx is above the database's 0x%llx",
			(unsigned long long)h->dbtime,
			(unsigned long long)opts->dbtime_max);
	return tags_usable;
}

/* Mark bytes [ib, ib + cb) used; true when one was used already. */
static bool mark_used(uint8_t *used, unsigned ib, unsigned cb)
{
	bool overlap = memchr(used + ib, 1, cb) != NULL;

	memset(used + ib, 1, cb);
	return overlap;
}

/* Tags and space accounting. Returns false when some line cannot be read
 * (then nodes are not examined). */
static bool check_tags(check_ctx *c, const ese_page_layout *lay,
		       const uint8_t *page, const ese_page_header *h)
{
	uint8_t used[32768];         /* one byte per data-area byte */
	uint32_t data_end = lay->data_size -
			    (uint32_t)ESE_TAG_SIZE * h->itag_mic_free;
	uint32_t cb_total = 0;
	bool lines_ok = true;

	memset(used, 0, lay->data_size);
	for (unsigned itag = 0; itag < h->itag_mic_free; itag++) {
		uint16_t cbw, ibw;
		unsigned cb, ib;

		ese_page_tag_raw(lay, page, itag, &cbw, &ibw);
		cb = cbw & lay->ibcb_mask;
		ib = ibw & lay->ibcb_mask;
		cb_total += cb;
		if (cb == 0) {
			if (itag >= h->ctag_reserved) {
				problem(c, ESE_PGCHK_TAG, (int)itag,
					"line of tag %u is empty (ib %u)", itag,
					ib);
				lines_ok = false;
			}
			continue;
		}
		if (ib + cb > h->ib_mic_free)
			problem(c, ESE_PGCHK_TAG, (int)itag,
				"tag %u (ib %u, cb %u) ends in free space "
				"(ibMicFree %u)", itag, ib, cb, h->ib_mic_free);
		if (ib + cb > data_end) {
			problem(c, ESE_PGCHK_TAG, (int)itag,
				"tag %u (ib %u, cb %u) runs past the data area "
				"(%u bytes)", itag, ib, cb, data_end);
			lines_ok = false;
			continue;
		}
		if (mark_used(used, ib, cb))
			problem(c, ESE_PGCHK_OVERLAP, (int)itag,
				"tag %u (ib %u, cb %u) overlaps another line",
				itag, ib, cb);
	}
	if (cb_total + h->cb_free + ESE_TAG_SIZE * h->itag_mic_free !=
	    lay->data_size)
		problem(c, ESE_PGCHK_SPACE, -1,
			"lines %u + cbFree %u + tags %u bytes = %u, the data "
			"area is %u", cb_total, h->cb_free,
			ESE_TAG_SIZE * h->itag_mic_free,
			cb_total + h->cb_free +
				ESE_TAG_SIZE * h->itag_mic_free,
			lay->data_size);
	return lines_ok;
}

static void check_nodes(check_ctx *c, const ese_page_layout *lay,
			const uint8_t *page, const ese_page_header *h)
{
	unsigned n = ese_page_line_count(lay, page);
	bool leaf = h->flags & ESE_PGF_LEAF;
	bool have_prev = false;
	ese_node prev;

	memset(&prev, 0, sizeof(prev));
	for (unsigned i = 0; i < n; i++) {
		bool last_internal = !leaf && i == n - 1;
		jr_errinfo ei;
		ese_node nd;
		int cmp;

		jr_errinfo_clear(&ei);
		if (ese_node_get(lay, page, i, &nd, &ei)) {
			problem(c, ESE_PGCHK_NODE, (int)(i + h->ctag_reserved),
				"%s", ei.detail);
			have_prev = false;
			continue;
		}
		if (nd.cb_data == 0)
			problem(c, ESE_PGCHK_NODE, nd.itag,
				"node %u has no data", i);
		if (ese_key_len(&nd.key) == 0 && !last_internal)
			problem(c, ESE_PGCHK_NODE, nd.itag,
				"node %u has an empty key", i);
		if (!leaf && nd.cb_data != 4)
			problem(c, ESE_PGCHK_NODE, nd.itag,
				"internal node %u has %u data bytes, not a "
				"page number", i, nd.cb_data);
		if (have_prev && !last_internal) {
			cmp = ese_key_cmp(&prev.key, &nd.key);
			if (cmp > 0)
				problem(c, ESE_PGCHK_KEY_ORDER, nd.itag,
					"node %u sorts before node %u", i,
					i - 1);
			else if (cmp == 0 &&
				 !(h->flags & ESE_PGF_NON_UNIQUE_KEYS))
				problem(c, ESE_PGCHK_KEY_ORDER, nd.itag,
					"node %u repeats the key of node %u "
					"in a unique tree", i, i - 1);
			else if (cmp == 0 && ese_keydata_cmp(&prev, &nd) >= 0)
				problem(c, ESE_PGCHK_KEY_ORDER, nd.itag,
					"node %u: equal keys not ordered by "
					"their data", i);
		}
		prev = nd;
		have_prev = true;
	}
}

size_t ese_page_check(const ese_page_layout *lay, const uint8_t *page,
		      uint32_t pgno, const ese_pagecheck_opts *opts,
		      ese_page_problems *out)
{
	static const ese_pagecheck_opts defaults;
	check_ctx c = { .out = out, .pgno = pgno, .found = 0 };
	ese_page_header h;
	size_t before_structure;

	if (!opts)
		opts = &defaults;
	if (ese_page_is_blank(lay, page))
		return 0;
	if (!opts->skip_checksum)
		check_checksum(&c, lay, page);
	ese_page_header_read(lay, page, &h);
	if (!check_header(&c, lay, &h, opts))
		return c.found;
	before_structure = c.found;
	if (!check_tags(&c, lay, page, &h))
		return c.found;
	/* nodes are read only when the tags and space are all sound */
	if (!opts->skip_nodes && !(h.flags & ESE_PGF_PREINIT) &&
	    c.found == before_structure)
		check_nodes(&c, lay, page, &h);
	return c.found;
}
