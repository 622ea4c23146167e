/*
 * pagemut.c - page mutations following CPAGE's rules (see pagemut.h).
 */
#include "ese/pagemut.h"

#include <stddef.h>
#include <string.h>

#include "util/bytes.h"

/* ------------------------------------------------------------------------
 * The element order of the compiler library's std::sort.
 *
 * ESE sorts an array of tag pointers by line offset with std::sort from
 * the Microsoft C++ library. That algorithm is not stable, and equal
 * offsets occur (an empty tag sharing its offset with a line), so to land
 * every tag where ESE lands it we order the elements the same way: the
 * same introsort (32-element insertion-sort cutoff, median of three or
 * Tukey's ninther above 40 elements, a three-way partition that gathers
 * the pivot's equals in the middle, heap sort when the depth budget of
 * 1.5 * log2(n) is spent). Only the sequence of comparisons and moves
 * matters; this is our own rendering of that published behaviour.
 *
 * Elements are tag numbers; key[tag] is the tag's line offset.
 * ---------------------------------------------------------------------- */

typedef struct {
	uint16_t *v;              /* the elements being ordered */
	const uint16_t *key;      /* ordering key of each element value */
} tag_sort;

#define SORT_INSERTION_MAX 32

static inline int before(const tag_sort *s, uint16_t a, uint16_t b)
{
	return s->key[a] < s->key[b];
}

static inline void swap_at(tag_sort *s, ptrdiff_t i, ptrdiff_t j)
{
	uint16_t t = s->v[i];

	s->v[i] = s->v[j];
	s->v[j] = t;
}

static void insertion_sort(tag_sort *s, ptrdiff_t first, ptrdiff_t last)
{
	for (ptrdiff_t next = first + 1; next < last; next++) {
		uint16_t val = s->v[next];
		ptrdiff_t hole = next;

		if (before(s, val, s->v[first])) {
			/* a new smallest element goes to the front */
			memmove(&s->v[first + 1], &s->v[first],
				(size_t)(next - first) * sizeof(s->v[0]));
			s->v[first] = val;
			continue;
		}
		while (before(s, val, s->v[hole - 1])) {
			s->v[hole] = s->v[hole - 1];
			hole--;
		}
		s->v[hole] = val;
	}
}

/* Put the median of v[a], v[m], v[b] at m. */
static void median_of_three(tag_sort *s, ptrdiff_t a, ptrdiff_t m, ptrdiff_t b)
{
	if (before(s, s->v[m], s->v[a]))
		swap_at(s, m, a);
	if (before(s, s->v[b], s->v[m])) {
		swap_at(s, b, m);
		if (before(s, s->v[m], s->v[a]))
			swap_at(s, m, a);
	}
}

/* Bring a good pivot guess to mid; last is inclusive here. */
static void guess_median(tag_sort *s, ptrdiff_t first, ptrdiff_t mid,
			 ptrdiff_t last)
{
	ptrdiff_t count = last - first;

	if (count > 40) {
		ptrdiff_t step = (count + 1) >> 3;
		ptrdiff_t two = step << 1;

		median_of_three(s, first, first + step, first + two);
		median_of_three(s, mid - step, mid, mid + step);
		median_of_three(s, last - two, last - step, last);
		median_of_three(s, first + step, mid, last - step);
	} else {
		median_of_three(s, first, mid, last);
	}
}

static inline int equal_keys(const tag_sort *s, ptrdiff_t i, ptrdiff_t j)
{
	return !before(s, s->v[i], s->v[j]) && !before(s, s->v[j], s->v[i]);
}

/* Three-way partition of [first, last) around the element at pivot.
 * On return [*lo, *hi) holds the elements equal to the pivot, smaller
 * ones before, larger ones after. */
static void partition(tag_sort *s, ptrdiff_t first, ptrdiff_t pivot,
		      ptrdiff_t last, ptrdiff_t *lo, ptrdiff_t *hi)
{
	ptrdiff_t pfirst = pivot, plast = pivot + 1;
	ptrdiff_t gfirst, glast;

	/* grow the band of pivot equals around the pivot */
	while (first < pfirst && equal_keys(s, pfirst - 1, pfirst))
		pfirst--;
	while (plast < last && equal_keys(s, plast, pfirst))
		plast++;
	gfirst = plast;
	glast = pfirst;

	for (;;) {
		/* scan up for an element smaller than the pivot */
		for (; gfirst < last; gfirst++) {
			if (before(s, s->v[pfirst], s->v[gfirst]))
				continue;
			if (before(s, s->v[gfirst], s->v[pfirst]))
				break;
			if (plast != gfirst)
				swap_at(s, plast, gfirst);
			plast++;
		}
		/* scan down for an element larger than the pivot */
		for (; first < glast; glast--) {
			ptrdiff_t prev = glast - 1;

			if (before(s, s->v[prev], s->v[pfirst]))
				continue;
			if (before(s, s->v[pfirst], s->v[prev]))
				break;
			if (--pfirst != prev)
				swap_at(s, pfirst, prev);
		}
		if (glast == first && gfirst == last) {
			*lo = pfirst;
			*hi = plast;
			return;
		}
		if (glast == first) {
			/* nothing left below: move the band up one */
			if (plast != gfirst)
				swap_at(s, pfirst, plast);
			plast++;
			swap_at(s, pfirst, gfirst);
			pfirst++;
			gfirst++;
		} else if (gfirst == last) {
			/* nothing left above: move the band down one */
			glast--;
			pfirst--;
			if (glast != pfirst)
				swap_at(s, glast, pfirst);
			plast--;
			swap_at(s, pfirst, plast);
		} else {
			glast--;
			swap_at(s, gfirst, glast);
			gfirst++;
		}
	}
}

/* Move the hole at index hole (relative to base) up towards top while its
 * parent sorts before val, then drop val in. */
static void heap_push(tag_sort *s, ptrdiff_t base, ptrdiff_t hole,
		      ptrdiff_t top, uint16_t val)
{
	for (ptrdiff_t parent = (hole - 1) >> 1;
	     top < hole && before(s, s->v[base + parent], val);
	     parent = (hole - 1) >> 1) {
		s->v[base + hole] = s->v[base + parent];
		hole = parent;
	}
	s->v[base + hole] = val;
}

/* Sift the hole down to a leaf along the larger children, then push val
 * back up from there. bottom is the heap size. */
static void heap_adjust(tag_sort *s, ptrdiff_t base, ptrdiff_t hole,
			ptrdiff_t bottom, uint16_t val)
{
	ptrdiff_t top = hole, idx = hole;
	ptrdiff_t last_parent = (bottom - 1) >> 1;

	while (idx < last_parent) {
		idx = 2 * idx + 2;
		if (before(s, s->v[base + idx], s->v[base + idx - 1]))
			idx--;
		s->v[base + hole] = s->v[base + idx];
		hole = idx;
	}
	if (idx == last_parent && bottom % 2 == 0) {
		s->v[base + hole] = s->v[base + bottom - 1];
		hole = bottom - 1;
	}
	heap_push(s, base, hole, top, val);
}

static void heap_sort(tag_sort *s, ptrdiff_t first, ptrdiff_t last)
{
	ptrdiff_t n = last - first;

	for (ptrdiff_t hole = n >> 1; hole > 0;) {
		hole--;
		heap_adjust(s, first, hole, n, s->v[first + hole]);
	}
	for (; n >= 2; n--) {
		uint16_t val = s->v[first + n - 1];

		s->v[first + n - 1] = s->v[first];
		heap_adjust(s, first, 0, n - 1, val);
	}
}

static void introsort(tag_sort *s, ptrdiff_t first, ptrdiff_t last,
		      ptrdiff_t budget)
{
	for (;;) {
		ptrdiff_t lo, hi;

		if (last - first <= SORT_INSERTION_MAX) {
			insertion_sort(s, first, last);
			return;
		}
		if (budget <= 0) {
			heap_sort(s, first, last);
			return;
		}
		guess_median(s, first, first + ((last - first) >> 1), last - 1);
		partition(s, first, first + ((last - first) >> 1), last, &lo,
			  &hi);
		budget = (budget >> 1) + (budget >> 2);
		/* recurse into the smaller side, loop on the larger */
		if (lo - first < last - hi) {
			introsort(s, first, lo, budget);
			first = hi;
		} else {
			introsort(s, hi, last, budget);
			last = lo;
		}
	}
}

/* Order v[0..n) by key, exactly as std::sort would. */
static void sort_like_msvc(uint16_t *v, size_t n, const uint16_t *key)
{
	tag_sort s = { v, key };

	introsort(&s, 0, (ptrdiff_t)n, (ptrdiff_t)n);
}

void ese_pagemut_sort_tags(uint16_t *v, size_t n, const uint16_t *key)
{
	sort_like_msvc(v, n, key);
}

/* ------------------------------------------------------------------------
 * Tags and header fields
 * ---------------------------------------------------------------------- */

#define MAX_TAGS (ESE_ITAG_MIC_FREE_MASK + 1)

static inline uint8_t *tag_at(const ese_page_layout *lay, uint8_t *page,
			      unsigned itag)
{
	return page + lay->page_size - ESE_TAG_SIZE * (itag + 1);
}

static inline unsigned tag_cb(const ese_page_layout *lay, uint8_t *page,
			      unsigned itag)
{
	return jr_le16(tag_at(lay, page, itag)) & lay->ibcb_mask;
}

static inline unsigned tag_ib(const ese_page_layout *lay, uint8_t *page,
			      unsigned itag)
{
	return jr_le16(tag_at(lay, page, itag) + 2) & lay->ibcb_mask;
}

/* Rewrite the low bits of a tag word, keeping the high ones. */
static inline void put_masked(uint8_t *p, uint16_t mask, unsigned v)
{
	jr_put_le16(p, (uint16_t)((jr_le16(p) & ~mask) | (v & mask)));
}

static inline void tag_set_cb(const ese_page_layout *lay, uint8_t *page,
			      unsigned itag, unsigned cb)
{
	put_masked(tag_at(lay, page, itag), lay->ibcb_mask, cb);
}

static inline void tag_set_ib(const ese_page_layout *lay, uint8_t *page,
			      unsigned itag, unsigned ib)
{
	put_masked(tag_at(lay, page, itag) + 2, lay->ibcb_mask, ib);
}

static inline uint8_t *line_at(const ese_page_layout *lay, uint8_t *page,
			       unsigned ib)
{
	return page + lay->hdr_size + ib;
}

/* The line flags of a tag: in the tag (small pages) or in the line's first
 * word (large pages, lines of 2 bytes or more). */
static uint8_t tag_flags(const ese_page_layout *lay, uint8_t *page,
			 unsigned itag)
{
	if (!lay->large)
		return (uint8_t)(jr_le16(tag_at(lay, page, itag) + 2) >> 13);
	if (tag_cb(lay, page, itag) < 2)
		return 0;
	return (uint8_t)(jr_le16(line_at(lay, page, tag_ib(lay, page, itag))) >>
			 13);
}

static void tag_set_flags(const ese_page_layout *lay, uint8_t *page,
			  unsigned itag, uint8_t flags)
{
	uint8_t *w;

	if (!lay->large) {
		w = tag_at(lay, page, itag) + 2;
	} else {
		/* tag 0 and lines under 2 bytes carry no flags */
		if (itag == 0 || tag_cb(lay, page, itag) < 2)
			return;
		w = line_at(lay, page, tag_ib(lay, page, itag));
	}
	jr_put_le16(w, (uint16_t)((jr_le16(w) & 0x1fff) |
				  ((flags & ESE_LINE_FLAGS_MASK) << 13)));
}

static inline unsigned hdr16(const uint8_t *page, size_t off)
{
	return jr_le16(page + off);
}

static inline void set_hdr16(uint8_t *page, size_t off, unsigned v)
{
	jr_put_le16(page + off, (uint16_t)v);
}

/* Store a new tag count in itagState (see "itagState" in pagemut.h). */
static void set_tag_count(const ese_page_layout *lay, uint8_t *page,
			  unsigned ntags)
{
	unsigned state = hdr16(page, ESE_PGHDR_ITAG_STATE);
	unsigned stored = (state >> ESE_CTAG_RESERVED_SHIFT) &
			  ESE_CTAG_RESERVED_MAX;
	unsigned ctag = stored ? stored : 1;

	if (lay->resv_tag_format || stored)
		state = (ctag << ESE_CTAG_RESERVED_SHIFT) | ntags;
	else
		state = ntags;
	set_hdr16(page, ESE_PGHDR_ITAG_STATE, state);
}

/* ------------------------------------------------------------------------
 * The soundness a page needs before it is changed
 * ---------------------------------------------------------------------- */

typedef struct {
	unsigned ntags;
	unsigned nres;
	unsigned ib_mic_free;
	unsigned cb_free;
} page_state;

static JET_ERR page_sound(const ese_page_layout *lay, uint8_t *page,
			  page_state *st, jr_errinfo *ei)
{
	uint8_t used[32768];         /* one byte per data-area byte */
	unsigned data_end;
	uint32_t cb_total = 0;

	st->ntags = ese_page_tag_count(lay, page);
	st->nres = ese_page_reserved_tags(lay, page);
	st->ib_mic_free = hdr16(page, ESE_PGHDR_IB_MIC_FREE);
	st->cb_free = hdr16(page, ESE_PGHDR_CB_FREE);

	if (jr_le32(page + ESE_PGHDR_FLAGS) & ESE_PGF_PREINIT)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "page is pre-initialised, not a tree page");
	if (st->ntags < st->nres)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "page has %u tags, fewer than its %u reserved "
			       "tags", st->ntags, st->nres);
	if (ESE_TAG_SIZE * st->ntags >= lay->data_size)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "tag array of %u tags reaches the header",
			       st->ntags);
	data_end = lay->data_size - ESE_TAG_SIZE * st->ntags;
	if (st->ib_mic_free > data_end)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "ibMicFree %u runs into the tag array (%u)",
			       st->ib_mic_free, data_end);
	memset(used, 0, lay->data_size);
	for (unsigned itag = 0; itag < st->ntags; itag++) {
		unsigned cb = tag_cb(lay, page, itag);
		unsigned ib = tag_ib(lay, page, itag);

		cb_total += cb;
		if (cb == 0)
			continue;
		if (ib + cb > st->ib_mic_free)
			return jr_fail(ei, JET_errDatabaseCorrupted,
				       "tag %u (ib %u, cb %u) ends beyond "
				       "ibMicFree %u", itag, ib, cb,
				       st->ib_mic_free);
		if (memchr(used + ib, 1, cb))
			return jr_fail(ei, JET_errDatabaseCorrupted,
				       "tag %u (ib %u, cb %u) overlaps another "
				       "line", itag, ib, cb);
		memset(used + ib, 1, cb);
	}
	if (cb_total + st->cb_free + ESE_TAG_SIZE * st->ntags != lay->data_size)
		return jr_fail(ei, JET_errDatabaseCorrupted,
			       "free space does not add up: lines %u + cbFree "
			       "%u + tags %u != %u", cb_total, st->cb_free,
			       ESE_TAG_SIZE * st->ntags, lay->data_size);
	return JET_errSuccess;
}

static inline unsigned contiguous_free(const ese_page_layout *lay,
				       const page_state *st)
{
	return lay->data_size - st->ib_mic_free - ESE_TAG_SIZE * st->ntags;
}

/* Total size of the pieces, or -626 when it cannot be a line. */
static JET_ERR parts_size(const ese_page_layout *lay, const ese_data *parts,
			  size_t nparts, unsigned *cb_out, jr_errinfo *ei)
{
	size_t total = 0;

	for (size_t i = 0; i < nparts; i++) {
		total += parts[i].cb;
		if (total > lay->ibcb_mask)
			return jr_fail(ei,
				       JET_errLogOperationInconsistentWithDatabase,
				       "a line of more than %u bytes does not "
				       "fit a %u-byte page", lay->ibcb_mask,
				       lay->page_size);
	}
	*cb_out = (unsigned)total;
	return JET_errSuccess;
}

static JET_ERR parts_off_page(const ese_page_layout *lay,
			      const uint8_t *page, const ese_data *parts,
			      size_t nparts, jr_errinfo *ei)
{
	for (size_t i = 0; i < nparts; i++) {
		const uint8_t *p = parts[i].pv;

		if (parts[i].cb && p < page + lay->page_size &&
		    p + parts[i].cb > page)
			return jr_fail(ei, JET_errInvalidParameter,
				       "data for a moving line points into the "
				       "page");
	}
	return JET_errSuccess;
}

/* Copy the pieces into tag itag's line, keeping the flags the line has
 * (on large pages the copy overwrites the word that holds them). */
static void copy_data(const ese_page_layout *lay, uint8_t *page,
		      unsigned itag, const ese_data *parts, size_t nparts)
{
	uint8_t flags = tag_flags(lay, page, itag);
	uint8_t *dst = line_at(lay, page, tag_ib(lay, page, itag));

	for (size_t i = 0; i < nparts; i++) {
		if (parts[i].cb)
			memmove(dst, parts[i].pv, parts[i].cb);
		dst += parts[i].cb;
	}
	if (itag != 0)
		tag_set_flags(lay, page, itag, flags);
}

/* ------------------------------------------------------------------------
 * Reorganisation
 * ---------------------------------------------------------------------- */

/* Make every line contiguous from offset 0 (the page is sound). */
static void reorganize(const ese_page_layout *lay, uint8_t *page,
		       page_state *st)
{
	uint16_t order[MAX_TAGS];
	uint16_t key[MAX_TAGS];
	unsigned dest = 0;

	for (unsigned itag = 0; itag < st->ntags; itag++) {
		order[itag] = (uint16_t)itag;
		key[itag] = (uint16_t)tag_ib(lay, page, itag);
	}
	sort_like_msvc(order, st->ntags, key);
	for (unsigned k = 0; k < st->ntags; k++) {
		unsigned itag = order[k];
		unsigned cb = tag_cb(lay, page, itag);

		/* sorted and not overlapping: a line only ever moves down */
		if (cb)
			memmove(line_at(lay, page, dest),
				line_at(lay, page, tag_ib(lay, page, itag)), cb);
		tag_set_ib(lay, page, itag, dest);
		dest += cb;
	}
	st->ib_mic_free = dest;
	set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, dest);
}

/* Ensure cb contiguous free bytes, reorganising if needed. The caller has
 * checked cb <= cbFree, and a sound page's reorganisation leaves exactly
 * cbFree contiguous. */
static void make_room(const ese_page_layout *lay, uint8_t *page,
		      page_state *st, unsigned cb)
{
	if (contiguous_free(lay, st) < cb)
		reorganize(lay, page, st);
}

JET_ERR ese_page_reorganize(const ese_page_layout *lay, uint8_t *page,
			    jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	reorganize(lay, page, &st);
	return JET_errSuccess;
}

JET_ERR ese_page_compact(const ese_page_layout *lay, uint8_t *page,
			 size_t *cb_head, size_t *cb_tail, jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	*cb_head = *cb_tail = 0;
	if (err)
		return err;
	if (contiguous_free(lay, &st) != st.cb_free)
		reorganize(lay, page, &st);
	*cb_head = lay->hdr_size + st.ib_mic_free;
	*cb_tail = ESE_TAG_SIZE * st.ntags;
	return JET_errSuccess;
}

JET_ERR ese_page_overwrite_unused(const ese_page_layout *lay, uint8_t *page,
				  uint8_t fill, jr_errinfo *ei)
{
	uint16_t order[MAX_TAGS];
	uint16_t key[MAX_TAGS];
	page_state st;
	size_t n = 0;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	if (contiguous_free(lay, &st) != st.cb_free) {
		/* fill the holes: the non-empty lines in offset order */
		for (unsigned itag = 0; itag < st.ntags; itag++) {
			key[itag] = (uint16_t)tag_ib(lay, page, itag);
			if (tag_cb(lay, page, itag))
				order[n++] = (uint16_t)itag;
		}
		sort_like_msvc(order, n, key);
		if (n == 0) {
			st.ib_mic_free = 0;
		} else {
			unsigned first = tag_ib(lay, page, order[0]);
			unsigned last_end = tag_ib(lay, page, order[n - 1]) +
					    tag_cb(lay, page, order[n - 1]);

			memset(line_at(lay, page, 0), fill, first);
			st.ib_mic_free = last_end;
			for (size_t k = 0; k + 1 < n; k++) {
				unsigned end = tag_ib(lay, page, order[k]) +
					       tag_cb(lay, page, order[k]);
				unsigned next = tag_ib(lay, page, order[k + 1]);

				if (next > end)
					memset(line_at(lay, page, end), fill,
					       next - end);
			}
		}
		set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, st.ib_mic_free);
	}
	memset(line_at(lay, page, st.ib_mic_free), fill,
	       contiguous_free(lay, &st));
	return JET_errSuccess;
}

/* ------------------------------------------------------------------------
 * Line operations
 * ---------------------------------------------------------------------- */

JET_ERR ese_page_insert(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, const ese_data *parts, size_t nparts,
			uint8_t line_flags, jr_errinfo *ei)
{
	page_state st;
	unsigned itag, cb = 0;
	JET_ERR err;

	err = page_sound(lay, page, &st, ei);
	if (err)
		return err;
	if (iline > st.ntags - st.nres)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "insert at line %u: the page has %u lines",
			       iline, st.ntags - st.nres);
	itag = iline + st.nres;
	err = parts_size(lay, parts, nparts, &cb, ei);
	if (err)
		return err;
	if (cb == 0)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "insert of an empty line %u", iline);
	if (cb + ESE_TAG_SIZE > st.cb_free || st.ntags >= ESE_ITAG_MIC_FREE_MASK)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "insert of %u bytes at line %u: only %u bytes "
			       "free", cb, iline, st.cb_free);
	err = parts_off_page(lay, page, parts, nparts, ei);
	if (err)
		return err;

	make_room(lay, page, &st, cb + ESE_TAG_SIZE);
	if (itag != st.ntags)
		memmove(tag_at(lay, page, st.ntags),
			tag_at(lay, page, st.ntags - 1),
			ESE_TAG_SIZE * (st.ntags - itag));
	set_tag_count(lay, page, st.ntags + 1);
	st.ntags++;

	/* the slot is cleared through the masks, then filled */
	tag_set_cb(lay, page, itag, 0);
	tag_set_ib(lay, page, itag, 0);
	tag_set_flags(lay, page, itag, 0);
	tag_set_ib(lay, page, itag, st.ib_mic_free);
	set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, st.ib_mic_free + cb);
	tag_set_cb(lay, page, itag, cb);
	set_hdr16(page, ESE_PGHDR_CB_FREE, st.cb_free - cb - ESE_TAG_SIZE);
	tag_set_flags(lay, page, itag, line_flags);
	copy_data(lay, page, itag, parts, nparts);
	return JET_errSuccess;
}

/* Replace the line of tag itag (see "Replace" in pagemut.h). */
static JET_ERR replace_tag(const ese_page_layout *lay, uint8_t *page,
			   page_state *st, unsigned itag,
			   const ese_data *parts, size_t nparts,
			   uint8_t line_flags, jr_errinfo *ei)
{
	unsigned cb_old = tag_cb(lay, page, itag);
	unsigned ib_old = tag_ib(lay, page, itag);
	bool highest = ib_old + cb_old == st->ib_mic_free;
	unsigned cb = 0;
	int diff;
	JET_ERR err;

	err = parts_size(lay, parts, nparts, &cb, ei);
	if (err)
		return err;
	if (cb == 0 && itag >= st->nres)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "replace of tag %u with an empty line", itag);
	diff = (int)cb_old - (int)cb;     /* > 0: shrinking */
	if (diff < 0 && (unsigned)-diff > st->cb_free)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "replace of tag %u: %u more bytes needed, %u "
			       "free", itag, (unsigned)-diff, st->cb_free);

	if (diff >= 0 ||
	    (highest && contiguous_free(lay, st) >= (unsigned)-diff)) {
		/* the line stays where it is */
		if (highest)
			set_hdr16(page, ESE_PGHDR_IB_MIC_FREE,
				  (unsigned)((int)st->ib_mic_free - diff));
		set_hdr16(page, ESE_PGHDR_CB_FREE,
			  (unsigned)((int)st->cb_free + diff));
	} else {
		err = parts_off_page(lay, page, parts, nparts, ei);
		if (err)
			return err;
		/* release the old line, then place the new one on top */
		st->cb_free += cb_old;
		set_hdr16(page, ESE_PGHDR_CB_FREE, st->cb_free);
		tag_set_ib(lay, page, itag, 0);
		tag_set_cb(lay, page, itag, 0);
		tag_set_flags(lay, page, itag, 0);
		make_room(lay, page, st, cb);
		tag_set_ib(lay, page, itag, st->ib_mic_free);
		set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, st->ib_mic_free + cb);
		set_hdr16(page, ESE_PGHDR_CB_FREE, st->cb_free - cb);
	}
	tag_set_cb(lay, page, itag, cb);
	tag_set_flags(lay, page, itag, line_flags);
	copy_data(lay, page, itag, parts, nparts);
	return JET_errSuccess;
}

JET_ERR ese_page_replace(const ese_page_layout *lay, uint8_t *page,
			 unsigned iline, const ese_data *parts, size_t nparts,
			 uint8_t line_flags, jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	if (iline >= st.ntags - st.nres)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "replace of line %u: the page has %u lines",
			       iline, st.ntags - st.nres);
	return replace_tag(lay, page, &st, iline + st.nres, parts, nparts,
			   line_flags, ei);
}

JET_ERR ese_page_set_external_header(const ese_page_layout *lay,
				     uint8_t *page, const ese_data *parts,
				     size_t nparts, jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	if (st.ntags == 0)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "page has no external header tag");
	return replace_tag(lay, page, &st, 0, parts, nparts, 0, ei);
}

JET_ERR ese_page_delete(const ese_page_layout *lay, uint8_t *page,
			unsigned iline, jr_errinfo *ei)
{
	page_state st;
	unsigned itag, cb, ib;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	if (iline >= st.ntags - st.nres)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "delete of line %u: the page has %u lines",
			       iline, st.ntags - st.nres);
	itag = iline + st.nres;
	cb = tag_cb(lay, page, itag);
	ib = tag_ib(lay, page, itag);
	if (ib + cb == st.ib_mic_free)
		set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, st.ib_mic_free - cb);
	st.cb_free += cb + ESE_TAG_SIZE;
	set_hdr16(page, ESE_PGHDR_CB_FREE, st.cb_free);
	set_tag_count(lay, page, st.ntags - 1);
	/* tags above itag move down one slot; the old last slot keeps its
	 * bytes */
	memmove(tag_at(lay, page, st.ntags - 1) + ESE_TAG_SIZE,
		tag_at(lay, page, st.ntags - 1),
		ESE_TAG_SIZE * (st.ntags - 1 - itag));
	if (st.cb_free + ESE_TAG_SIZE + lay->hdr_size == lay->page_size)
		set_hdr16(page, ESE_PGHDR_IB_MIC_FREE, 0);
	return JET_errSuccess;
}

JET_ERR ese_page_set_line_flags(const ese_page_layout *lay, uint8_t *page,
				unsigned iline, uint8_t line_flags,
				jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	if (iline >= st.ntags - st.nres)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "flags of line %u: the page has %u lines", iline,
			       st.ntags - st.nres);
	tag_set_flags(lay, page, iline + st.nres, line_flags);
	return JET_errSuccess;
}

JET_ERR ese_page_reset_line_flags(const ese_page_layout *lay, uint8_t *page,
				  uint8_t mask, jr_errinfo *ei)
{
	page_state st;
	JET_ERR err = page_sound(lay, page, &st, ei);

	if (err)
		return err;
	for (unsigned itag = st.ntags; itag-- > st.nres;)
		tag_set_flags(lay, page, itag,
			      tag_flags(lay, page, itag) & (uint8_t)~mask);
	return JET_errSuccess;
}

/* ------------------------------------------------------------------------
 * New pages and header fields
 * ---------------------------------------------------------------------- */

void ese_page_preinit(const ese_page_layout *lay, uint8_t *page,
		      uint32_t pgno, uint32_t objid_fdp, uint64_t dbtime)
{
	memset(page, 0, lay->page_size);
	jr_put_le32(page + ESE_PGHDR_FLAGS,
		    ESE_PGF_PREINIT | ESE_PGF_NEW_RECORD_FORMAT);
	jr_put_le32(page + ESE_PGHDR_OBJID_FDP, objid_fdp);
	set_hdr16(page, ESE_PGHDR_CB_FREE, lay->data_size);
	jr_put_le64(page + ESE_PGHDR_DBTIME, dbtime);
	if (lay->large) {
		/* ESE's placeholder checksums until the page is written */
		jr_put_le32(page + ESE_PGHDR2_PGNO, pgno);
		jr_put_le64(page + ESE_PGHDR_CHECKSUM, 0xdeadbeefbaadf00dULL);
		jr_put_le64(page + ESE_PGHDR2_CHECKSUMS, 0x6570755320455345ULL);
		jr_put_le64(page + ESE_PGHDR2_CHECKSUMS + 8,
			    0x524f584343452072ULL);
		jr_put_le64(page + ESE_PGHDR2_CHECKSUMS + 16,
			    0x6d75736b63656843ULL);
	}
}

JET_ERR ese_page_consume_preinit(const ese_page_layout *lay, uint8_t *page,
				 uint32_t page_flags, jr_errinfo *ei)
{
	uint32_t flags = jr_le32(page + ESE_PGHDR_FLAGS);
	unsigned cb_free = hdr16(page, ESE_PGHDR_CB_FREE);

	if (!(flags & ESE_PGF_PREINIT) || ese_page_tag_count(lay, page) != 0 ||
	    cb_free != lay->data_size)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "page is not a fresh pre-initialised page "
			       "(flags 0x%x)", flags);
	if (page_flags & ESE_PGF_PREINIT)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "consuming a page cannot keep it pre-initialised");
	set_hdr16(page, ESE_PGHDR_ITAG_STATE,
		  lay->resv_tag_format ? (1u << ESE_CTAG_RESERVED_SHIFT) | 1
				       : 1);
	set_hdr16(page, ESE_PGHDR_CB_FREE, cb_free - ESE_TAG_SIZE);
	tag_set_ib(lay, page, 0, 0);
	tag_set_cb(lay, page, 0, 0);
	tag_set_flags(lay, page, 0, 0);
	jr_put_le32(page + ESE_PGHDR_FLAGS,
		    (page_flags | ESE_PGF_NEW_RECORD_FORMAT) & ~ESE_PGF_PREINIT);
	return JET_errSuccess;
}

void ese_page_set_dbtime(uint8_t *page, uint64_t dbtime)
{
	jr_put_le64(page + ESE_PGHDR_DBTIME, dbtime);
}

void ese_page_dirty(uint8_t *page, uint64_t dbtime)
{
	ese_page_set_dbtime(page, dbtime);
	jr_put_le32(page + ESE_PGHDR_FLAGS,
		    jr_le32(page + ESE_PGHDR_FLAGS) & ~ESE_PGF_SCRUBBED);
}

void ese_page_set_pgno_prev(uint8_t *page, uint32_t pgno)
{
	jr_put_le32(page + ESE_PGHDR_PGNO_PREV, pgno);
}

void ese_page_set_pgno_next(uint8_t *page, uint32_t pgno)
{
	jr_put_le32(page + ESE_PGHDR_PGNO_NEXT, pgno);
}

void ese_page_set_flags(uint8_t *page, uint32_t flags)
{
	jr_put_le32(page + ESE_PGHDR_FLAGS, flags);
}

void ese_page_set_objid(uint8_t *page, uint32_t objid)
{
	jr_put_le32(page + ESE_PGHDR_OBJID_FDP, objid);
}

void ese_page_set_pgno(const ese_page_layout *lay, uint8_t *page,
		       uint32_t pgno)
{
	if (lay->large)
		jr_put_le32(page + ESE_PGHDR2_PGNO, pgno);
}

JET_ERR ese_page_set_uncommitted_free(uint8_t *page, unsigned cb,
				      jr_errinfo *ei)
{
	if (cb > hdr16(page, ESE_PGHDR_CB_FREE))
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "cbUncommittedFree %u above cbFree %u", cb,
			       hdr16(page, ESE_PGHDR_CB_FREE));
	set_hdr16(page, ESE_PGHDR_CB_UNCOMMITTED, cb);
	return JET_errSuccess;
}

JET_ERR ese_page_add_uncommitted_free(uint8_t *page, unsigned cb,
				      jr_errinfo *ei)
{
	return ese_page_set_uncommitted_free(
		page, hdr16(page, ESE_PGHDR_CB_UNCOMMITTED) + cb, ei);
}

JET_ERR ese_page_reclaim_uncommitted_free(uint8_t *page, unsigned cb,
					  jr_errinfo *ei)
{
	unsigned cur = hdr16(page, ESE_PGHDR_CB_UNCOMMITTED);

	if (cb > cur)
		return jr_fail(ei, JET_errLogOperationInconsistentWithDatabase,
			       "reclaiming %u uncommitted bytes of %u", cb,
			       cur);
	set_hdr16(page, ESE_PGHDR_CB_UNCOMMITTED, cur - cb);
	return JET_errSuccess;
}
