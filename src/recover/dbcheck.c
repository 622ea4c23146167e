/*
 * dbcheck.c - whole-database structural check (see dbcheck.h).
 */
#include "recover/dbcheck.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ese/dbheader.h"
#include "ese/node.h"
#include "ese/page.h"
#include "recover/nodeop.h"
#include "recover/pagecache.h"
#include "util/bytes.h"
#include "util/io.h"

#define JR_DBC_MAX_DEPTH 16
#define JR_DBC_KEY_MAX   (2 * (ESE_NODE_KEYLEN_MASK + 1))

typedef struct {
	const uint8_t *p;
	uint16_t cb;
	bool set;                 /* false: unbounded */
} jr_bound;

typedef struct {
	const jr_dbcheck_opts *o;
	jr_dbcheck_result *res;
	ese_page_layout lay;
	jr_pagecache *pc;
	uint8_t *visited;         /* one bit per page */
	/* per depth of the tree being walked */
	uint32_t last_pgno[JR_DBC_MAX_DEPTH];
	uint32_t last_next[JR_DBC_MAX_DEPTH];
	uint8_t *keys[JR_DBC_MAX_DEPTH][2];
	int leaf_depth;
	uint32_t root;
} jr_dbc;

void jr_dbcheck_opts_init(jr_dbcheck_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_listed = 20;
	o->cache_bytes = 8u << 20;
}

void jr_dbcheck_free(jr_dbcheck_result *res)
{
	ese_page_problems_free(&res->problems);
}

static void jr_dbc_problem(jr_dbc *c, uint32_t pgno, int itag,
			   ese_pgchk_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void jr_dbc_problem(jr_dbc *c, uint32_t pgno, int itag,
			   ese_pgchk_kind kind, const char *fmt, ...)
{
	ese_page_problems *pp = &c->res->problems;
	size_t max = pp->max_stored ? pp->max_stored : 1024;
	ese_page_problem *p;
	va_list ap;

	pp->total++;
	if (pp->count >= max)
		return;
	if (pp->count == pp->cap) {
		pp->cap = pp->cap ? 2 * pp->cap : 16;
		pp->items = g_renew(ese_page_problem, pp->items, pp->cap);
	}
	p = &pp->items[pp->count++];
	p->pgno = pgno;
	p->itag = itag;
	p->kind = kind;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* A node's key as it sorts: the key, then (non-unique trees) its data. */
static uint16_t jr_dbc_sortkey(const jr_kdf *n, bool non_unique,
			       uint8_t *out)
{
	uint16_t cb = n->cb_key;

	memcpy(out, n->key, n->cb_key);
	if (non_unique && n->cb_data) {
		memcpy(out + cb, n->data, n->cb_data);
		cb = (uint16_t)(cb + n->cb_data);
	}
	return cb;
}

static int jr_dbc_cmp(const uint8_t *a, uint16_t cba, const uint8_t *b,
		      uint16_t cbb)
{
	return jr_nd_keycmp(a, cba, b, cbb);
}

/* Leaf: every key in [lo, hi). */
static void jr_dbc_leaf_bounds(jr_dbc *c, uint32_t pgno, const uint8_t *page,
			       const jr_bound *lo, const jr_bound *hi)
{
	const bool non_unique = jr_le32(page + ESE_PGHDR_FLAGS) &
				ESE_PGF_NON_UNIQUE_KEYS;
	unsigned n = ese_page_line_count(&c->lay, page);
	uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
	uint8_t sk[JR_DBC_KEY_MAX];

	for (unsigned i = 0; i < n; i++) {
		jr_kdf k;
		uint16_t cb;

		if (i != 0 && i + 1 != n)
			continue; /* order inside the page: pagecheck */
		if (jr_nd_get(&c->lay, page, i, kb, sizeof(kb), &k, NULL) < 0)
			return; /* reported by pagecheck */
		cb = jr_dbc_sortkey(&k, non_unique, sk);
		if (lo->set && jr_dbc_cmp(sk, cb, lo->p, lo->cb) < 0)
			jr_dbc_problem(c, pgno, (int)i, ESE_PGCHK_KEY_ORDER,
				       "tree %u: key below the separator in "
				       "the parent (out of order with its left "
				       "sibling)", c->root);
		if (hi->set && jr_dbc_cmp(sk, cb, hi->p, hi->cb) >= 0)
			jr_dbc_problem(c, pgno, (int)i, ESE_PGCHK_KEY_ORDER,
				       "tree %u: key not below the separator "
				       "in the parent (out of order with its "
				       "right sibling)", c->root);
	}
}

static bool jr_dbc_visit(jr_dbc *c, uint32_t pgno)
{
	uint8_t bit = (uint8_t)(1u << (pgno & 7));

	if (c->visited[pgno >> 3] & bit)
		return false;
	c->visited[pgno >> 3] |= bit;
	return true;
}

static void jr_dbc_walk(jr_dbc *c, uint32_t pgno, int depth, uint32_t objid,
			const jr_bound *lo, const jr_bound *hi,
			uint32_t parent_pgno, bool expect_leaf);

/* Children of an internal page. */
static void jr_dbc_children(jr_dbc *c, uint32_t pgno, const uint8_t *page,
			    int depth, uint32_t objid, const jr_bound *lo,
			    const jr_bound *hi, bool children_leaves)
{
	const bool non_unique = jr_le32(page + ESE_PGHDR_FLAGS) &
				ESE_PGF_NON_UNIQUE_KEYS;
	unsigned n = ese_page_line_count(&c->lay, page);
	uint8_t kb[ESE_NODE_KEYLEN_MASK + 1];
	jr_bound prev = *lo;
	int cur = 0;

	(void)non_unique;
	if (n == 0) {
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_NODE,
			       "tree %u: internal page without nodes", c->root);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		jr_kdf k;
		jr_bound next;
		uint32_t child;

		if (jr_nd_get(&c->lay, page, i, kb, sizeof(kb), &k, NULL) < 0 ||
		    k.cb_data != 4) {
			jr_dbc_problem(c, pgno, (int)i, ESE_PGCHK_NODE,
				       "tree %u: internal node without a "
				       "4-byte page number", c->root);
			return;
		}
		child = jr_le32(k.data);
		if (i + 1 == n) {
			next = *hi;
			if (k.cb_key != 0 && !hi->set)
				jr_dbc_problem(c, pgno, (int)i, ESE_PGCHK_NODE,
					       "tree %u: last node of the "
					       "rightmost internal page has a "
					       "key", c->root);
		} else {
			uint8_t *buf = c->keys[depth][cur];

			memcpy(buf, k.key, k.cb_key);
			next.p = buf;
			next.cb = k.cb_key;
			next.set = true;
			if (prev.set && jr_dbc_cmp(next.p, next.cb, prev.p,
						   prev.cb) < 0)
				jr_dbc_problem(c, pgno, (int)i,
					       ESE_PGCHK_KEY_ORDER,
					       "tree %u: separator below the "
					       "parent's lower bound", c->root);
			cur ^= 1;
		}
		jr_dbc_walk(c, child, depth + 1, objid, &prev, &next, pgno,
			    children_leaves);
		prev = next;
	}
}

static void jr_dbc_walk(jr_dbc *c, uint32_t pgno, int depth, uint32_t objid,
			const jr_bound *lo, const jr_bound *hi,
			uint32_t parent_pgno, bool expect_leaf)
{
	uint8_t *page;
	uint32_t flags, prev, next;
	jr_errinfo ei;

	if (depth >= JR_DBC_MAX_DEPTH) {
		jr_dbc_problem(c, parent_pgno, -1, ESE_PGCHK_NODE,
			       "tree %u deeper than %d levels", c->root,
			       JR_DBC_MAX_DEPTH);
		return;
	}
	if (pgno == 0 || pgno > c->res->pages) {
		jr_dbc_problem(c, parent_pgno, -1, ESE_PGCHK_NODE,
			       "tree %u: child page %u outside the file",
			       c->root, pgno);
		return;
	}
	if (!jr_dbc_visit(c, pgno)) {
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_NODE,
			       "tree %u: page reached twice (from page %u)",
			       c->root, parent_pgno);
		return;
	}
	jr_errinfo_clear(&ei);
	if (jr_pagecache_get(c->pc, pgno, &page, &ei) < 0) {
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER, "%s", ei.detail);
		return;
	}
	c->res->tree_pages++;
	if ((uint64_t)depth + 1 > c->res->max_depth)
		c->res->max_depth = (uint64_t)depth + 1;
	if (ese_page_is_blank(&c->lay, page)) {
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
			       "tree %u: page is blank (from page %u)", c->root,
			       parent_pgno);
		goto release;
	}
	flags = jr_le32(page + ESE_PGHDR_FLAGS);
	prev = jr_le32(page + ESE_PGHDR_PGNO_PREV);
	next = jr_le32(page + ESE_PGHDR_PGNO_NEXT);
	if (jr_le32(page + ESE_PGHDR_OBJID_FDP) != objid)
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
			       "tree %u: page of object %u in a tree of object "
			       "%u", c->root,
			       jr_le32(page + ESE_PGHDR_OBJID_FDP), objid);
	if (depth > 0 && (flags & ESE_PGF_ROOT))
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
			       "tree %u: a root page below page %u", c->root,
			       parent_pgno);
	if (depth > 0 && !!(flags & ESE_PGF_LEAF) != expect_leaf)
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
			       "tree %u: %s page where page %u expects %s",
			       c->root, (flags & ESE_PGF_LEAF) ? "leaf"
							       : "internal",
			       parent_pgno, expect_leaf ? "a leaf" : "an "
							  "internal page");
	/* siblings at this level */
	if (prev != c->last_pgno[depth])
		jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
			       "tree %u: previous page is %u, the page on its "
			       "left is %u", c->root, prev,
			       c->last_pgno[depth]);
	if (c->last_pgno[depth] && c->last_next[depth] != pgno)
		jr_dbc_problem(c, c->last_pgno[depth], -1, ESE_PGCHK_HEADER,
			       "tree %u: next page is %u, the page on its "
			       "right is %u", c->root, c->last_next[depth],
			       pgno);
	c->last_pgno[depth] = pgno;
	c->last_next[depth] = next;

	if (flags & ESE_PGF_LEAF) {
		if (c->leaf_depth < 0)
			c->leaf_depth = depth;
		else if (c->leaf_depth != depth)
			jr_dbc_problem(c, pgno, -1, ESE_PGCHK_HEADER,
				       "tree %u: leaf at depth %d, others at "
				       "%d", c->root, depth, c->leaf_depth);
		jr_dbc_leaf_bounds(c, pgno, page, lo, hi);
	} else {
		jr_dbc_children(c, pgno, page, depth, objid, lo, hi,
				(flags & ESE_PGF_PARENT_OF_LEAF) != 0);
	}
release:
	jr_pagecache_release(c->pc, pgno, false);
}

static void jr_dbc_tree(jr_dbc *c, uint32_t root, const uint8_t *page)
{
	jr_bound none = { NULL, 0, false };
	uint32_t objid = jr_le32(page + ESE_PGHDR_OBJID_FDP);

	c->root = root;
	c->leaf_depth = -1;
	memset(c->last_pgno, 0, sizeof(c->last_pgno));
	memset(c->last_next, 0, sizeof(c->last_next));
	c->res->trees++;
	jr_dbc_walk(c, root, 0, objid, &none, &none, 0, false);
	for (int d = 0; d < JR_DBC_MAX_DEPTH; d++)
		if (c->last_pgno[d] && c->last_next[d])
			jr_dbc_problem(c, c->last_pgno[d], -1, ESE_PGCHK_HEADER,
				       "tree %u: rightmost page points to a "
				       "next page %u", root, c->last_next[d]);
}

JET_ERR jr_dbcheck(const char *path, const jr_dbcheck_opts *opts,
		   jr_dbcheck_result *res, jr_errinfo *ei)
{
	jr_dbcheck_opts dflt;
	ese_dbheader_read_result hr;
	ese_pagecheck_opts po;
	uint64_t size;
	uint8_t *buf = NULL;
	jr_dbc c;
	int fd = -1;
	JET_ERR err;

	memset(res, 0, sizeof(*res));
	ese_page_problems_init(&res->problems);
	if (!opts) {
		jr_dbcheck_opts_init(&dflt);
		opts = &dflt;
	}
	res->problems.max_stored = opts->max_listed ? opts->max_listed : 20;
	memset(&c, 0, sizeof(c));
	c.o = opts;
	c.res = res;

	err = jr_open_ro(path, &fd, ei);
	if (err < 0)
		return err;
	err = ese_dbheader_read_fd(fd, &hr, ei);
	if (err < 0)
		goto close_fd;
	if (hr.status != ESE_SHADOW_OK)
		jr_dbc_problem(&c, 0, -1, ESE_PGCHK_CHECKSUM,
			       "%s copy of the database header is damaged or "
			       "differs", hr.copy == 0 ? "the shadow" : "the "
			       "first");
	res->page_size = hr.page_size;
	res->dbtime_header = hr.hdr.dbtime;
	res->state = hr.hdr.state;
	err = ese_page_layout_init(&c.lay, hr.page_size, ei);
	if (err < 0)
		goto close_fd;
	err = jr_file_size(fd, &size, ei);
	if (err < 0)
		goto close_fd;
	res->pages = size / hr.page_size >= 2 ? size / hr.page_size - 2 : 0;

	/* every page */
	memset(&po, 0, sizeof(po));
	po.dbtime_max = hr.hdr.dbtime;
	buf = g_malloc(hr.page_size);
	for (uint64_t pgno = 1; pgno <= res->pages; pgno++) {
		uint64_t dbt;

		err = jr_pread_full(fd, buf, hr.page_size,
				    (pgno + 1) * hr.page_size,
				    JET_errDatabaseCorrupted, ei);
		if (err < 0)
			goto free_buf;
		if (ese_page_is_blank(&c.lay, buf)) {
			res->pages_blank++;
			continue;
		}
		res->pages_checked++;
		dbt = jr_le64(buf + ESE_PGHDR_DBTIME);
		if (dbt > res->dbtime_max_page)
			res->dbtime_max_page = dbt;
		ese_page_check(&c.lay, buf, (uint32_t)pgno, &po,
			       &res->problems);
	}
	if (opts->skip_trees)
		goto free_buf;

	/* every tree */
	err = jr_pagecache_open(fd, hr.page_size, 1,
				opts->cache_bytes ? opts->cache_bytes
						  : 8u << 20,
				NULL, NULL, &c.pc, ei);
	if (err < 0)
		goto free_buf;
	c.visited = g_malloc0((size_t)(res->pages / 8 + 1));
	for (int d = 0; d < JR_DBC_MAX_DEPTH; d++) {
		c.keys[d][0] = g_malloc(JR_DBC_KEY_MAX);
		c.keys[d][1] = g_malloc(JR_DBC_KEY_MAX);
	}
	for (uint64_t pgno = 1; pgno <= res->pages; pgno++) {
		uint32_t flags;

		err = jr_pread_full(fd, buf, hr.page_size,
				    (pgno + 1) * hr.page_size,
				    JET_errDatabaseCorrupted, ei);
		if (err < 0)
			break;
		if (ese_page_is_blank(&c.lay, buf))
			continue;
		flags = jr_le32(buf + ESE_PGHDR_FLAGS);
		if (!(flags & ESE_PGF_ROOT) ||
		    (flags & (ESE_PGF_EMPTY | ESE_PGF_PREINIT)))
			continue;
		jr_dbc_tree(&c, (uint32_t)pgno, buf);
	}
	for (int d = 0; d < JR_DBC_MAX_DEPTH; d++) {
		g_free(c.keys[d][0]);
		g_free(c.keys[d][1]);
	}
	g_free(c.visited);
	jr_pagecache_close(c.pc);
free_buf:
	g_free(buf);
close_fd:
	close(fd);
	return err;
}
