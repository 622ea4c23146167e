/*
 * test_node.c - node parsing, root external headers and key order on every
 * page of the real SRUM databases, plus the B-tree structure the nodes
 * describe (children, sibling chains, separators).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ese/node.h"
#include "ese/page.h"
#include "pagetest_util.h"
#include "util/bytes.h"

typedef struct {
	uint32_t nodes, compressed, deleted, versioned;
	uint32_t equal_keys;          /* neighbours with equal keys */
	uint32_t internal_nodes, children_checked, sibling_links;
	uint32_t fdp_roots, multi_extent, space_roots, split_buffers;
	uint32_t separator_checks;
} node_census;

static void must(JET_ERR err, const jr_errinfo *ei, const char *set,
		 uint32_t pgno)
{
	if (err)
		fail_msg("%s page %u: %d %s", set, pgno, err, ei->detail);
}

/* Smallest and largest key of a page (its first and last node). */
static void page_key_range(const pagetest_db *db, uint32_t pgno,
			   ese_node *first, ese_node *last)
{
	const uint8_t *p = pagetest_page(db, pgno);
	unsigned n = ese_page_line_count(&db->lay, p);

	assert_true(n > 0);
	assert_int_equal(ese_node_get(&db->lay, p, 0, first, NULL), 0);
	assert_int_equal(ese_node_get(&db->lay, p, n - 1, last, NULL), 0);
}

static void check_internal(const pagetest_db *db, const char *set,
			   uint32_t pgno, const ese_page_header *h,
			   node_census *c)
{
	const uint8_t *p = pagetest_page(db, pgno);
	unsigned n = ese_page_line_count(&db->lay, p);
	uint32_t prev_child = 0;
	ese_node prev_sep;

	memset(&prev_sep, 0, sizeof(prev_sep));
	for (unsigned i = 0; i < n; i++) {
		ese_page_header ch;
		ese_node nd, lo, hi;
		uint32_t child;
		jr_errinfo ei;

		jr_errinfo_clear(&ei);
		must(ese_node_get(&db->lay, p, i, &nd, &ei), &ei, set, pgno);
		must(ese_node_child_pgno(&nd, &child, &ei), &ei, set, pgno);
		c->internal_nodes++;
		assert_false(nd.flags & (ESE_LINE_VERSION | ESE_LINE_DELETED));
		/* only the last separator is empty */
		assert_int_equal(ese_key_len(&nd.key) == 0, i == n - 1);
		assert_true(child >= 1 && child <= db->npages);
		assert_false(ese_page_is_blank(&db->lay,
					       pagetest_page(db, child)));
		ese_page_header_read(&db->lay, pagetest_page(db, child), &ch);
		assert_int_equal(ch.objid_fdp, h->objid_fdp);
		assert_false(ch.flags & ESE_PGF_ROOT);
		if (h->flags & ESE_PGF_PARENT_OF_LEAF)
			assert_true(ch.flags & ESE_PGF_LEAF);
		assert_int_equal(ch.flags & (ESE_PGF_SPACE_TREE | ESE_PGF_INDEX |
					     ESE_PGF_LONG_VALUE),
				 h->flags & (ESE_PGF_SPACE_TREE | ESE_PGF_INDEX |
					     ESE_PGF_LONG_VALUE));
		c->children_checked++;
		/* siblings link left to right in separator order */
		if (i == 0)
			assert_int_equal(ch.pgno_prev, 0);
		else
			assert_int_equal(ch.pgno_prev, prev_child);
		if (i == n - 1)
			assert_int_equal(ch.pgno_next, 0);
		if (i > 0) {
			ese_page_header ph;

			ese_page_header_read(&db->lay,
					     pagetest_page(db, prev_child), &ph);
			assert_int_equal(ph.pgno_next, child);
			c->sibling_links++;
		}
		/* a non-empty child lies between the separators around it:
		 * above the previous separator, not above its own */
		if (ese_page_line_count(&db->lay, pagetest_page(db, child)) &&
		    !(ch.flags & ESE_PGF_EMPTY)) {
			page_key_range(db, child, &lo, &hi);
			if (i > 0)
				assert_true(ese_key_cmp(&lo.key,
							&prev_sep.key) >= 0);
			if (i < n - 1)
				assert_true(ese_key_cmp(&hi.key, &nd.key) <= 0);
			c->separator_checks++;
		}
		prev_child = child;
		prev_sep = nd;
	}
}

static void census(const char *set, node_census *c)
{
	pagetest_db db;

	memset(c, 0, sizeof(*c));
	pagetest_db_load(set, &db);
	for (uint32_t pgno = 1; pgno <= db.npages; pgno++) {
		const uint8_t *p = pagetest_page(&db, pgno);
		ese_page_header h;
		unsigned n;
		ese_node prev;

		if (ese_page_is_blank(&db.lay, p))
			continue;
		ese_page_header_read(&db.lay, p, &h);
		n = ese_page_line_count(&db.lay, p);
		for (unsigned i = 0; i < n; i++) {
			ese_node nd;
			jr_errinfo ei;

			jr_errinfo_clear(&ei);
			must(ese_node_get(&db.lay, p, i, &nd, &ei), &ei, set,
			     pgno);
			c->nodes++;
			c->compressed += !!(nd.flags & ESE_LINE_COMPRESSED);
			c->deleted += !!(nd.flags & ESE_LINE_DELETED);
			c->versioned += !!(nd.flags & ESE_LINE_VERSION);
			assert_true(nd.cb_data > 0);
			assert_int_equal(nd.cb_line,
					 (nd.flags & ESE_LINE_COMPRESSED ? 4 : 2) +
					 nd.key.cb_suffix + nd.cb_data);
			if (i > 0 && ((h.flags & ESE_PGF_LEAF) || i < n - 1)) {
				int cmp = ese_key_cmp(&prev.key, &nd.key);

				if (cmp > 0)
					fail_msg("%s page %u: node %u out of "
						 "order", set, pgno, i);
				if (cmp == 0) {
					c->equal_keys++;
					/* equal keys only in non-unique
					 * trees, ordered by their data */
					assert_true(h.flags &
						    ESE_PGF_NON_UNIQUE_KEYS);
					assert_true(ese_keydata_cmp(&prev,
								    &nd) < 0);
				}
			}
			prev = nd;
		}
		if ((h.flags & ESE_PGF_ROOT) &&
		    !(h.flags & ESE_PGF_SPACE_TREE)) {
			ese_root_header rh;
			jr_errinfo ei;

			jr_errinfo_clear(&ei);
			must(ese_node_root_header(&db.lay, p, &rh, &ei), &ei,
			     set, pgno);
			assert_true(rh.has_space_header);
			c->fdp_roots++;
			if (rh.space.multiple_extent) {
				ese_page_header oe, ae;

				c->multi_extent++;
				ese_page_header_read(&db.lay,
					pagetest_page(&db, rh.space.pgno_oe),
					&oe);
				ese_page_header_read(&db.lay,
					pagetest_page(&db, rh.space.pgno_ae),
					&ae);
				assert_int_equal(oe.objid_fdp, h.objid_fdp);
				assert_int_equal(ae.objid_fdp, h.objid_fdp);
				assert_true(oe.flags & ESE_PGF_SPACE_TREE);
				assert_true(ae.flags & ESE_PGF_SPACE_TREE);
				assert_true(oe.flags & ESE_PGF_ROOT);
			}
		}
		if ((h.flags & ESE_PGF_ROOT) && (h.flags & ESE_PGF_SPACE_TREE)) {
			ese_root_header rh;

			assert_int_equal(ese_node_root_header(&db.lay, p, &rh,
							      NULL), 0);
			c->space_roots++;
			c->split_buffers += rh.has_split_buffer;
		}
		if (!(h.flags & ESE_PGF_LEAF))
			check_internal(&db, set, pgno, &h, c);
	}
	pagetest_db_free(&db);
}

static void check_census(const char *set, const node_census *w)
{
	node_census c;

	census(set, &c);
	printf("# %s: nodes %u compressed %u deleted %u versioned %u "
	       "internal %u links %u fdp %u multi %u spaceroots %u\n",
	       set, c.nodes, c.compressed, c.deleted, c.versioned,
	       c.internal_nodes, c.sibling_links, c.fdp_roots, c.multi_extent,
	       c.space_roots);
	assert_int_equal(c.nodes, w->nodes);
	assert_int_equal(c.compressed, w->compressed);
	assert_int_equal(c.deleted, w->deleted);
	assert_int_equal(c.versioned, w->versioned);
	assert_int_equal(c.equal_keys, w->equal_keys);
	assert_int_equal(c.internal_nodes, w->internal_nodes);
	assert_int_equal(c.children_checked, w->internal_nodes);
	assert_int_equal(c.sibling_links, w->sibling_links);
	assert_int_equal(c.fdp_roots, w->fdp_roots);
	assert_int_equal(c.multi_extent, w->multi_extent);
	/* every multi-extent FDP has its two space trees, each with its
	 * 16-byte split buffer */
	assert_int_equal(c.space_roots, 2 * w->multi_extent);
	assert_int_equal(c.split_buffers, c.space_roots);
	assert_int_equal(c.separator_checks, w->separator_checks);
}

static void test_census_win11_dirty(void **state)
{
	static const node_census want = {
		.nodes = 10834, .compressed = 9648, .deleted = 156,
		.versioned = 10404, .internal_nodes = 260,
		.sibling_links = 244, .fdp_roots = 37, .multi_extent = 19,
		.separator_checks = 260,
	};

	(void)state;
	check_census("srum-win11-dirty", &want);
}

static void test_census_win10_clean_a(void **state)
{
	static const node_census want = {
		.nodes = 2305, .compressed = 1929, .deleted = 68,
		.versioned = 2192, .internal_nodes = 53,
		.sibling_links = 43, .fdp_roots = 27, .multi_extent = 12,
		.separator_checks = 53,
	};

	(void)state;
	check_census("srum-win10-clean-a", &want);
}

static void test_census_win10_clean_b(void **state)
{
	static const node_census want = {
		.nodes = 9644, .compressed = 8630, .deleted = 11,
		.versioned = 9271, .internal_nodes = 262,
		.sibling_links = 250, .fdp_roots = 35, .multi_extent = 14,
		.separator_checks = 262,
	};

	(void)state;
	check_census("srum-win10-clean-b", &want);
}

/* win11 page 168 (objid 27, a non-unique index leaf), node 87 (tag 88):
 * compressed, 9 prefix bytes from the external header + 10 suffix bytes,
 * 14 data bytes (the primary key it points to). */
static void test_real_nodes(void **state)
{
	static const uint8_t key[19] = {
		0x7f, 0x80, 0x00, 0x00, 0x04, 0x7f, 0xc0, 0xe5, 0xd4,
		0xba, 0xa4, 0xfa, 0x4f, 0xa5, 0x7f, 0x80, 0x00, 0x02, 0x86,
	};
	static const uint8_t child_key[13] = {
		0x7f, 0x80, 0x00, 0x00, 0x03, 0x7f, 0x80, 0x02, 0x7f, 0x80,
		0x00, 0x01, 0x04,
	};
	pagetest_db db;
	const uint8_t *p;
	const uint8_t *prefix;
	uint16_t cb_prefix;
	uint8_t buf[64];
	ese_node nd;
	ese_root_header rh;
	uint32_t child;

	(void)state;
	pagetest_db_load("srum-win11-dirty", &db);
	p = pagetest_page(&db, 168);
	assert_int_equal(ese_node_page_prefix(&db.lay, p, &prefix, &cb_prefix,
					      NULL), 0);
	assert_int_equal(cb_prefix, 19);
	assert_int_equal(ese_node_get(&db.lay, p, 87, &nd, NULL), 0);
	assert_int_equal(nd.itag, 88);
	assert_int_equal(nd.flags, ESE_LINE_VERSION | ESE_LINE_COMPRESSED);
	assert_int_equal(nd.key.cb_prefix, 9);
	assert_ptr_equal(nd.key.prefix, prefix);
	assert_int_equal(nd.key.cb_suffix, 10);
	assert_int_equal(nd.cb_data, 14);
	assert_int_equal(ese_key_len(&nd.key), 19);
	assert_int_equal(ese_key_copy(&nd.key, buf, sizeof(buf)), 19);
	assert_memory_equal(buf, key, 19);
	/* a short buffer gets the first bytes only */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ese_key_copy(&nd.key, buf, 12), 19);
	assert_memory_equal(buf, key, 12);
	assert_int_equal(buf[12], 0);
	assert_int_equal(ese_node_child_pgno(&nd, &child, NULL),
			 JET_errDatabaseCorrupted);

	/* page 4: MSysObjects' root, an internal page over leaves */
	p = pagetest_page(&db, 4);
	assert_int_equal(ese_node_get(&db.lay, p, 0, &nd, NULL), 0);
	assert_int_equal(nd.flags, 0);
	assert_null(nd.key.prefix);
	assert_int_equal(nd.key.cb_suffix, 13);
	assert_memory_equal(nd.key.suffix, child_key, 13);
	assert_int_equal(ese_node_child_pgno(&nd, &child, NULL), 0);
	assert_int_equal(child, 13);
	assert_int_equal(ese_node_root_header(&db.lay, p, &rh, NULL), 0);
	assert_true(rh.has_space_header);
	assert_false(rh.has_autoinc);
	assert_int_equal(rh.space.cpg, 20);
	assert_int_equal(rh.space.pgno_parent, 1);
	assert_true(rh.space.multiple_extent);
	assert_int_equal(rh.space.pgno_oe, 5);
	assert_int_equal(rh.space.pgno_ae, 6);

	/* page 2: the database's owned-extent tree, empty split buffer */
	assert_int_equal(ese_node_root_header(&db.lay, pagetest_page(&db, 2),
					      &rh, NULL), 0);
	assert_true(rh.has_split_buffer);
	assert_false(rh.has_space_header);
	assert_int_equal(rh.split.pgno_last[0], 0);
	assert_int_equal(rh.split.cpg[1], 0);
	/* a leaf that is not a root has no root header */
	assert_int_equal(ese_node_root_header(&db.lay, pagetest_page(&db, 168),
					      &rh, NULL),
			 JET_errInvalidParameter);
	pagetest_db_free(&db);
}

static void test_key_cmp(void **state)
{
	static const uint8_t abc[] = "abc", abd[] = "abd", ab[] = "ab";
	ese_key a = { abc, 1, abc + 1, 2 };   /* "a" + "bc" */
	ese_key b = { NULL, 0, abc, 3 };      /* "abc" */
	ese_key c = { abd, 2, abd + 2, 1 };   /* "ab" + "d" */
	ese_key d = { ab, 2, NULL, 0 };       /* "ab" */
	ese_key e = { NULL, 0, NULL, 0 };     /* empty */
	ese_node n1, n2;

	(void)state;
	assert_int_equal(ese_key_cmp(&a, &b), 0);
	assert_true(ese_key_cmp(&a, &c) < 0);
	assert_true(ese_key_cmp(&c, &b) > 0);
	assert_true(ese_key_cmp(&d, &a) < 0);   /* shorter first */
	assert_true(ese_key_cmp(&a, &d) > 0);
	assert_true(ese_key_cmp(&e, &d) < 0);
	assert_int_equal(ese_key_cmp(&e, &e), 0);

	memset(&n1, 0, sizeof(n1));
	memset(&n2, 0, sizeof(n2));
	n1.key = a;
	n2.key = b;
	n1.data = abc;
	n1.cb_data = 2;
	n2.data = abc;
	n2.cb_data = 3;
	assert_true(ese_keydata_cmp(&n1, &n2) < 0);
	n2.data = abd;
	n2.cb_data = 2;
	assert_int_equal(ese_keydata_cmp(&n1, &n2), 0);
	n2.data = ab + 1;
	assert_true(ese_keydata_cmp(&n1, &n2) < 0);
	n2.key = d;
	assert_true(ese_keydata_cmp(&n1, &n2) > 0);
}

/* A page built by hand: tag 0 = prefix "PFX", node lines as given. */
static void build_page(uint8_t *page, const ese_page_layout *lay,
		       uint32_t flags, const uint8_t *ext, uint16_t cb_ext,
		       const uint8_t *line, uint16_t cb_line, uint8_t lflags)
{
	uint32_t ps = lay->page_size;

	memset(page, 0, ps);
	jr_put_le32(page + ESE_PGHDR_FLAGS, flags);
	jr_put_le16(page + ESE_PGHDR_ITAG_STATE, 2);
	memcpy(page + lay->hdr_size, ext, cb_ext);
	memcpy(page + lay->hdr_size + cb_ext, line, cb_line);
	jr_put_le16(page + ps - 4, cb_ext);
	jr_put_le16(page + ps - 2, 0);
	jr_put_le16(page + ps - 8, cb_line);
	if (lay->large) {
		jr_put_le16(page + ps - 6, cb_ext);
		jr_put_le16(page + lay->hdr_size + cb_ext,
			    jr_le16(line) | (uint16_t)(lflags << 13));
	} else {
		jr_put_le16(page + ps - 6, (uint16_t)(cb_ext | lflags << 13));
	}
	jr_put_le16(page + ESE_PGHDR_IB_MIC_FREE, cb_ext + cb_line);
}

static void test_damaged_nodes(void **state)
{
	static const uint8_t pfx[] = { 'P', 'F', 'X' };
	/* cbPrefix 2, cbSuffix 1 'k', data "DD" */
	static const uint8_t good[] = { 2, 0, 1, 0, 'k', 'D', 'D' };
	static const uint8_t long_prefix[] = { 4, 0, 1, 0, 'k', 'D', 'D' };
	static const uint8_t long_suffix[] = { 2, 0, 4, 0, 'k', 'D', 'D' };
	static const uint8_t tiny[] = { 1, 0, 1 };
	static const uint8_t space_hdr_autoinc[1 + 16 + 8] = {
		3, 7, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0,
		0x2a, 0, 0, 0, 0, 0, 0, 0,
	};
	ese_page_layout lay;
	uint8_t page[16384];
	ese_node nd;
	ese_root_header rh;
	jr_errinfo ei;

	(void)state;
	for (int large = 0; large < 2; large++) {
		assert_int_equal(ese_page_layout_init(&lay, large ? 16384 : 4096,
						      NULL), 0);
		build_page(page, &lay, ESE_PGF_LEAF, pfx, 3, good, 7,
			   ESE_LINE_COMPRESSED | ESE_LINE_DELETED);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, NULL), 0);
		assert_int_equal(nd.flags,
				 ESE_LINE_COMPRESSED | ESE_LINE_DELETED);
		assert_int_equal(nd.key.cb_prefix, 2);   /* flags masked off */
		assert_memory_equal(nd.key.prefix, "PF", 2);
		assert_int_equal(nd.key.cb_suffix, 1);
		assert_int_equal(nd.cb_data, 2);
		assert_memory_equal(nd.data, "DD", 2);

		build_page(page, &lay, ESE_PGF_LEAF, pfx, 3, long_prefix, 7,
			   ESE_LINE_COMPRESSED);
		jr_errinfo_clear(&ei);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, &ei),
				 JET_errDatabaseCorrupted);
		assert_non_null(strstr(ei.detail, "prefix"));

		build_page(page, &lay, ESE_PGF_LEAF, pfx, 3, long_suffix, 7,
			   ESE_LINE_COMPRESSED);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, NULL),
				 JET_errDatabaseCorrupted);

		build_page(page, &lay, ESE_PGF_LEAF, pfx, 3, tiny, 3,
			   ESE_LINE_COMPRESSED);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, NULL),
				 JET_errDatabaseCorrupted);
		assert_int_equal(ese_node_get(&lay, page, 1, &nd, NULL),
				 JET_errInvalidParameter);

		/* an FDP root ignores a compressed node's prefix */
		build_page(page, &lay, ESE_PGF_ROOT | ESE_PGF_LEAF,
			   space_hdr_autoinc, sizeof(space_hdr_autoinc), good,
			   7, ESE_LINE_COMPRESSED);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, NULL), 0);
		assert_int_equal(nd.key.cb_prefix, 0);
		assert_null(nd.key.prefix);
		assert_int_equal(ese_node_root_header(&lay, page, &rh, NULL), 0);
		assert_true(rh.has_space_header);
		assert_true(rh.has_autoinc);
		assert_int_equal(rh.autoinc, 0x2a);
		assert_int_equal(rh.space.cpg, 7);
		assert_int_equal(rh.space.pgno_parent, 1);
		assert_int_equal(rh.space.pgno_oe, 9);
		/* flag byte promising more than the header holds */
		build_page(page, &lay, ESE_PGF_ROOT | ESE_PGF_LEAF,
			   space_hdr_autoinc, 20, good, 7, 0);
		assert_int_equal(ese_node_root_header(&lay, page, &rh, NULL),
				 JET_errDatabaseCorrupted);
		/* neither a space header nor a flagged form */
		build_page(page, &lay, ESE_PGF_ROOT | ESE_PGF_LEAF,
			   space_hdr_autoinc, 9, good, 7, 0);
		assert_int_equal(ese_node_root_header(&lay, page, &rh, NULL),
				 JET_errDatabaseCorrupted);
		/* space-tree root: split buffer, then the prefix */
		build_page(page, &lay,
			   ESE_PGF_ROOT | ESE_PGF_LEAF | ESE_PGF_SPACE_TREE,
			   space_hdr_autoinc, 19, good, 7, ESE_LINE_COMPRESSED);
		assert_int_equal(ese_node_root_header(&lay, page, &rh, NULL), 0);
		assert_true(rh.has_split_buffer);
		assert_int_equal(rh.split.pgno_last[0], 0x00000703);
		assert_int_equal(ese_node_get(&lay, page, 0, &nd, NULL), 0);
		assert_ptr_equal(nd.key.prefix, page + lay.hdr_size + 16);
		build_page(page, &lay,
			   ESE_PGF_ROOT | ESE_PGF_LEAF | ESE_PGF_SPACE_TREE,
			   space_hdr_autoinc, 8, good, 7, 0);
		assert_int_equal(ese_node_root_header(&lay, page, &rh, NULL),
				 JET_errDatabaseCorrupted);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_census_win11_dirty),
		cmocka_unit_test(test_census_win10_clean_a),
		cmocka_unit_test(test_census_win10_clean_b),
		cmocka_unit_test(test_real_nodes),
		cmocka_unit_test(test_key_cmp),
		cmocka_unit_test(test_damaged_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
