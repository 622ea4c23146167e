/*
 * trx.c - transaction table of a replay (see trx.h).
 *
 * Sessions live in a hash table keyed by procid. Each session keeps its
 * RCEs as a singly linked list, newest first, and its open macros as a
 * small array (a session rarely has more than one macro open).
 */
#include "recover/trx.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

struct jr_macro {
	uint64_t dbtime;
	GArray *recs;              /* jr_macro_rec, rec bytes g_malloc'd */
};

struct jr_session {
	uint16_t procid;
	bool after_first_begin;
	unsigned level;
	uint32_t trx_begin0;
	ese_lgpos start;           /* lgpos of the Begin0 */
	jr_rce *newest;
	size_t nrce;
	GArray *macros;            /* struct jr_macro */
};

struct jr_trx_table {
	GHashTable *sessions;      /* procid -> struct jr_session * */
};

/* g_memdup2 needs GLib 2.68; configure asks for 2.56. */
static void *jr_memdup(const void *p, size_t n)
{
	void *q = g_malloc(n ? n : 1);

	if (n)
		memcpy(q, p, n);
	return q;
}

static void jr_rce_free(jr_rce *r)
{
	if (!r)
		return;
	g_free(r->bm_key);
	g_free(r->bm_data);
	g_free(r->before);
	g_free(r);
}

static void jr_macro_clear(struct jr_macro *m)
{
	if (!m->recs)
		return;
	for (guint i = 0; i < m->recs->len; i++)
		g_free((void *)g_array_index(m->recs, jr_macro_rec, i).rec);
	g_array_free(m->recs, TRUE);
	m->recs = NULL;
}

static void jr_session_drop_rces(struct jr_session *s)
{
	while (s->newest) {
		jr_rce *r = s->newest;

		s->newest = r->older;
		jr_rce_free(r);
	}
	s->nrce = 0;
}

static void jr_session_drop_macros(struct jr_session *s)
{
	for (guint i = 0; i < s->macros->len; i++)
		jr_macro_clear(&g_array_index(s->macros, struct jr_macro, i));
	g_array_set_size(s->macros, 0);
}

static void jr_session_free(gpointer p)
{
	struct jr_session *s = p;

	jr_session_drop_rces(s);
	jr_session_drop_macros(s);
	g_array_free(s->macros, TRUE);
	g_free(s);
}

JET_ERR jr_trx_table_new(jr_trx_table **out, jr_errinfo *ei)
{
	jr_trx_table *tt = calloc(1, sizeof(*tt));

	*out = NULL;
	if (!tt)
		return jr_fail(ei, JET_errOutOfMemory, "transaction table");
	tt->sessions = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					     NULL, jr_session_free);
	*out = tt;
	return JET_errSuccess;
}

void jr_trx_table_free(jr_trx_table *tt)
{
	if (!tt)
		return;
	g_hash_table_destroy(tt->sessions);
	free(tt);
}

static struct jr_session *jr_session_find(const jr_trx_table *tt,
					  uint16_t procid)
{
	return g_hash_table_lookup(tt->sessions,
				   GUINT_TO_POINTER((guint)procid + 1));
}

static struct jr_session *jr_session_get(jr_trx_table *tt, uint16_t procid)
{
	struct jr_session *s = jr_session_find(tt, procid);

	if (s)
		return s;
	s = g_new0(struct jr_session, 1);
	s->procid = procid;
	s->macros = g_array_new(FALSE, TRUE, sizeof(struct jr_macro));
	g_hash_table_insert(tt->sessions, GUINT_TO_POINTER((guint)procid + 1),
			    s);
	return s;
}

/* Forget the RCEs made at levels above `level` (rollback) or move them
 * down to `level` (commit of a nested level). */
static void jr_session_pop_level(struct jr_session *s, bool keep)
{
	jr_rce **pp = &s->newest;
	unsigned top = s->level;

	while (*pp) {
		jr_rce *r = *pp;

		if (r->level >= top) {
			if (keep && top > 1) {
				r->level = (uint8_t)(top - 1);
			} else {
				*pp = r->older;
				jr_rce_free(r);
				s->nrce--;
				continue;
			}
		}
		pp = &r->older;
	}
	s->level--;
}

void jr_trx_begin(jr_trx_table *tt, uint16_t procid, unsigned level_from,
		  unsigned clevels, uint32_t trx_begin0, const ese_lgpos *at)
{
	struct jr_session *s = jr_session_get(tt, procid);

	/* ESE starts following a session at its first begin from level 0. */
	if (!s->after_first_begin && level_from != 0)
		return;
	if (s->level == 0) {
		s->trx_begin0 = trx_begin0;
		if (at)
			s->start = *at;
		jr_session_drop_rces(s);
	}
	if (s->level < level_from + clevels)
		s->level = level_from + clevels;
	s->after_first_begin = true;
}

void jr_trx_commit(jr_trx_table *tt, uint16_t procid, unsigned level_to)
{
	struct jr_session *s = jr_session_find(tt, procid);

	if (!s || !s->after_first_begin)
		return;
	while (s->level > level_to)
		jr_session_pop_level(s, true);
	if (s->level == 0)
		jr_session_drop_rces(s);
}

void jr_trx_rollback(jr_trx_table *tt, uint16_t procid, unsigned clevels)
{
	struct jr_session *s = jr_session_find(tt, procid);

	if (!s || !s->after_first_begin)
		return;
	while (clevels-- > 0 && s->level > 0)
		jr_session_pop_level(s, false);
	if (s->level == 0)
		jr_session_drop_rces(s);
}

void jr_trx_refresh(jr_trx_table *tt, uint16_t procid, uint32_t trx_begin0)
{
	struct jr_session *s = jr_session_find(tt, procid);

	if (!s || !s->after_first_begin)
		return;
	s->level = 1;
	s->trx_begin0 = trx_begin0;
}

bool jr_trx_after_first_begin(const jr_trx_table *tt, uint16_t procid)
{
	const struct jr_session *s = jr_session_find(tt, procid);

	return s && s->after_first_begin;
}

unsigned jr_trx_level(const jr_trx_table *tt, uint16_t procid)
{
	const struct jr_session *s = jr_session_find(tt, procid);

	return s ? s->level : 0;
}

unsigned jr_trx_open_count(const jr_trx_table *tt)
{
	GHashTableIter it;
	gpointer k, v;
	unsigned n = 0;

	g_hash_table_iter_init(&it, tt->sessions);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct jr_session *s = v;

		if (s->after_first_begin && s->level > 0)
			n++;
	}
	return n;
}

ese_lgpos jr_trx_oldest_open(const jr_trx_table *tt)
{
	GHashTableIter it;
	gpointer k, v;
	ese_lgpos best = { 0, 0, 0 };
	bool any = false;

	g_hash_table_iter_init(&it, tt->sessions);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct jr_session *s = v;

		if (!s->after_first_begin || s->level == 0)
			continue;
		if (!any || ese_lgpos_cmp(&s->start, &best) < 0)
			best = s->start;
		any = true;
	}
	return best;
}

/* ---- macros ---- */

static struct jr_macro *jr_macro_find(const struct jr_session *s,
				      uint64_t dbtime)
{
	if (!s)
		return NULL;
	for (guint i = 0; i < s->macros->len; i++) {
		struct jr_macro *m =
			&g_array_index(s->macros, struct jr_macro, i);

		if (m->dbtime == dbtime)
			return m;
	}
	return NULL;
}

JET_ERR jr_trx_macro_begin(jr_trx_table *tt, uint16_t procid,
			   uint64_t dbtime, jr_errinfo *ei)
{
	struct jr_session *s = jr_session_get(tt, procid);
	struct jr_macro m = { dbtime, NULL };

	if (jr_macro_find(s, dbtime))
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "session %u begins macro dbtime 0x%llx twice",
			       procid, (unsigned long long)dbtime);
	m.recs = g_array_new(FALSE, TRUE, sizeof(jr_macro_rec));
	g_array_append_val(s->macros, m);
	return JET_errSuccess;
}

bool jr_trx_macro_going(const jr_trx_table *tt, uint16_t procid,
			uint64_t dbtime)
{
	return jr_macro_find(jr_session_find(tt, procid), dbtime) != NULL;
}

JET_ERR jr_trx_macro_store(jr_trx_table *tt, uint16_t procid,
			   uint64_t dbtime, const uint8_t *rec, size_t len,
			   const ese_lgpos *at, jr_errinfo *ei)
{
	struct jr_macro *m = jr_macro_find(jr_session_find(tt, procid),
					   dbtime);
	jr_macro_rec mr;

	if (!m)
		return jr_fail(ei, JET_errLogFileCorrupt,
			       "record for macro dbtime 0x%llx of session %u "
			       "that was never begun",
			       (unsigned long long)dbtime, procid);
	mr.rec = jr_memdup(rec, len);
	mr.len = len;
	mr.at = *at;
	g_array_append_val(m->recs, mr);
	return JET_errSuccess;
}

const jr_macro_rec *jr_trx_macro_records(const jr_trx_table *tt,
					 uint16_t procid, uint64_t dbtime,
					 size_t *n)
{
	struct jr_macro *m = jr_macro_find(jr_session_find(tt, procid),
					   dbtime);

	*n = 0;
	if (!m || m->recs->len == 0)
		return NULL;
	*n = m->recs->len;
	return &g_array_index(m->recs, jr_macro_rec, 0);
}

void jr_trx_macro_end(jr_trx_table *tt, uint16_t procid, uint64_t dbtime)
{
	struct jr_session *s = jr_session_find(tt, procid);

	if (!s)
		return;
	for (guint i = 0; i < s->macros->len; i++) {
		struct jr_macro *m =
			&g_array_index(s->macros, struct jr_macro, i);

		if (m->dbtime == dbtime) {
			jr_macro_clear(m);
			g_array_remove_index(s->macros, i);
			return;
		}
	}
}

unsigned jr_trx_macro_open_count(const jr_trx_table *tt)
{
	GHashTableIter it;
	gpointer k, v;
	unsigned n = 0;

	g_hash_table_iter_init(&it, tt->sessions);
	while (g_hash_table_iter_next(&it, &k, &v))
		n += ((const struct jr_session *)v)->macros->len;
	return n;
}

/* ---- RCEs ---- */

JET_ERR jr_trx_rce_add(jr_trx_table *tt, uint16_t procid,
		       const jr_rce *tmpl, jr_errinfo *ei)
{
	struct jr_session *s = jr_session_get(tt, procid);
	jr_rce *r = g_new0(jr_rce, 1);

	*r = *tmpl;
	r->bm_key = tmpl->cb_bm_key ? jr_memdup(tmpl->bm_key, tmpl->cb_bm_key)
				    : NULL;
	r->bm_data = tmpl->cb_bm_data
			     ? jr_memdup(tmpl->bm_data, tmpl->cb_bm_data)
			     : NULL;
	r->before = tmpl->before ? jr_memdup(tmpl->before,
					     tmpl->cb_before ? tmpl->cb_before
							     : 1)
				 : NULL;
	r->older = s->newest;
	s->newest = r;
	s->nrce++;
	(void)ei;
	return JET_errSuccess;
}

jr_rce *jr_trx_rce_find(jr_trx_table *tt, uint16_t procid, uint32_t rceid)
{
	struct jr_session *s = jr_session_find(tt, procid);

	for (jr_rce *r = s ? s->newest : NULL; r; r = r->older)
		if (r->rceid == rceid)
			return r;
	return NULL;
}

bool jr_trx_rce_remove(jr_trx_table *tt, uint16_t procid, uint32_t rceid)
{
	struct jr_session *s = jr_session_find(tt, procid);

	for (jr_rce **pp = s ? &s->newest : NULL; pp && *pp;
	     pp = &(*pp)->older) {
		if ((*pp)->rceid == rceid) {
			jr_rce *r = *pp;

			*pp = r->older;
			jr_rce_free(r);
			s->nrce--;
			return true;
		}
	}
	return false;
}

JET_ERR jr_trx_rce_set_before(jr_rce *rce, const uint8_t *data, uint16_t cb,
			      jr_errinfo *ei)
{
	g_free(rce->before);
	rce->before = jr_memdup(data, cb ? cb : 1);
	rce->cb_before = cb;
	rce->deferred = false;
	(void)ei;
	return JET_errSuccess;
}

size_t jr_trx_rce_count(const jr_trx_table *tt)
{
	GHashTableIter it;
	gpointer k, v;
	size_t n = 0;

	g_hash_table_iter_init(&it, tt->sessions);
	while (g_hash_table_iter_next(&it, &k, &v))
		n += ((const struct jr_session *)v)->nrce;
	return n;
}

static gint jr_cmp_procid(gconstpointer a, gconstpointer b)
{
	const struct jr_session *sa = *(struct jr_session *const *)a;
	const struct jr_session *sb = *(struct jr_session *const *)b;

	return (gint)sa->procid - (gint)sb->procid;
}

JET_ERR jr_trx_rollback_all(jr_trx_table *tt, jr_rce_visit visit, void *ctx,
			    unsigned *sessions, jr_errinfo *ei)
{
	GHashTableIter it;
	gpointer k, v;
	GPtrArray *open = g_ptr_array_new();
	JET_ERR err = JET_errSuccess;

	*sessions = 0;
	g_hash_table_iter_init(&it, tt->sessions);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct jr_session *s = v;

		if (s->after_first_begin && s->level > 0)
			g_ptr_array_add(open, s);
	}
	/* A fixed order (by procid) keeps the result reproducible. */
	g_ptr_array_sort(open, jr_cmp_procid);
	for (guint i = 0; i < open->len; i++) {
		struct jr_session *s = g_ptr_array_index(open, i);

		for (jr_rce *r = s->newest; r && visit; r = r->older) {
			err = visit(r, s->procid, ctx, ei);
			if (err < 0)
				goto free_open;
		}
		jr_session_drop_rces(s);
		s->level = 0;
		(*sessions)++;
	}
free_open:
	g_ptr_array_free(open, TRUE);
	return err;
}

void jr_trx_reset(jr_trx_table *tt)
{
	g_hash_table_remove_all(tt->sessions);
}
