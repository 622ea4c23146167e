/*
 * rstmap.c - restore map validation and matching (see rstmap.h).
 */
#include "restore/rstmap.h"

#include <glib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

static bool jr_is_sep(char c)
{
	return c == '/' || c == '\\';
}

const char *jr_path_base(const char *path)
{
	const char *base = path;

	for (const char *p = path; *p; p++)
		if (jr_is_sep(*p))
			base = p + 1;
	/* "C:name": a drive-relative Windows path. */
	if (base == path && g_ascii_isalpha(path[0]) && path[1] == ':')
		base = path + 2;
	return base;
}

/* Case-insensitive equality of two components a[0..na) and b[0..nb):
 * Unicode simple case folding when both are valid UTF-8, ASCII otherwise. */
static bool jr_comp_equal(const char *a, size_t na, const char *b, size_t nb)
{
	const char *ea = a + na, *eb = b + nb;

	if (!g_utf8_validate(a, (gssize)na, NULL) ||
	    !g_utf8_validate(b, (gssize)nb, NULL))
		return na == nb && g_ascii_strncasecmp(a, b, na) == 0;
	while (a < ea && b < eb) {
		if (g_unichar_tolower(g_utf8_get_char(a)) !=
		    g_unichar_tolower(g_utf8_get_char(b)))
			return false;
		a = g_utf8_next_char(a);
		b = g_utf8_next_char(b);
	}
	return a == ea && b == eb;
}

/* The component ending at or before *end (exclusive) in s, walking
 * backwards over separators; false when none is left. */
static bool jr_prev_comp(const char *s, const char **end, const char **start,
			 size_t *len)
{
	const char *e = *end, *b;

	while (e > s && jr_is_sep(e[-1]))
		e--;
	if (e == s)
		return false;
	b = e;
	while (b > s && !jr_is_sep(b[-1]))
		b--;
	*start = b;
	*len = (size_t)(e - b);
	*end = b;
	return true;
}

unsigned jr_path_tail_match(const char *full, const char *tail)
{
	const char *fe = full + strlen(full), *te = tail + strlen(tail);
	const char *fs, *ts;
	size_t fl, tl;
	unsigned k = 0;

	while (jr_prev_comp(tail, &te, &ts, &tl)) {
		if (!jr_prev_comp(full, &fe, &fs, &fl) ||
		    !jr_comp_equal(fs, fl, ts, tl))
			return 0;
		k++;
	}
	return k;
}

bool jr_path_equal_ci(const char *a, const char *b)
{
	const char *ae = a + strlen(a), *be = b + strlen(b);
	const char *as, *bs;
	size_t al, bl;
	bool ha, hb;

	for (;;) {
		ha = jr_prev_comp(a, &ae, &as, &al);
		hb = jr_prev_comp(b, &be, &bs, &bl);
		if (!ha || !hb)
			return ha == hb;
		if (!jr_comp_equal(as, al, bs, bl))
			return false;
	}
}

static JET_ERR jr_check_old_name(long i, const char *old, jr_errinfo *ei)
{
	if (!old || !old[0])
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: no database name", i);
	if (strlen(old) >= PATH_MAX || !g_utf8_validate(old, -1, NULL))
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: database name is not a "
			       "UTF-8 path", i);
	if (!jr_path_base(old)[0])
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: '%s' names a directory, "
			       "not a database", i, old);
	return JET_errSuccess;
}

static JET_ERR jr_check_new_name(long i, const char *nw, jr_errinfo *ei)
{
	const char *base;

	if (!nw || !nw[0])
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: no new database name", i);
	if (strlen(nw) >= PATH_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: new name too long", i);
	if (strchr(nw, '\\'))
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: new name '%s' is a "
			       "Windows path; give a path of this system", i,
			       nw);
	base = strrchr(nw, '/');
	base = base ? base + 1 : nw;
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, ".."))
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map entry %ld: new name '%s' does not "
			       "name a file", i, nw);
	return JET_errSuccess;
}

JET_ERR jr_rstmap_validate(const jr_rstmap_entry *map, long n, jr_errinfo *ei)
{
	JET_ERR err;

	if (n < 0)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map count %ld is negative", n);
	if (!map && n > 0)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map is NULL but its count is %ld", n);
	if (map && n == 0)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map given with a count of 0");
	if (n > JR_RSTMAP_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "restore map of %ld entries: at most %d", n,
			       JR_RSTMAP_MAX);
	for (long i = 0; i < n; i++) {
		err = jr_check_old_name(i, map[i].old_name, ei);
		if (err < 0)
			return err;
		err = jr_check_new_name(i, map[i].new_name, ei);
		if (err < 0)
			return err;
		for (long j = 0; j < i; j++) {
			if (jr_path_equal_ci(map[j].old_name, map[i].old_name))
				return jr_fail(ei, JET_errInvalidParameter,
					       "restore map entries %ld and %ld "
					       "both name '%s'", j, i,
					       map[i].old_name);
			if (!strcmp(map[j].new_name, map[i].new_name))
				return jr_fail(ei, JET_errInvalidParameter,
					       "restore map entries %ld and %ld "
					       "both restore to '%s'", j, i,
					       map[i].new_name);
		}
	}
	return JET_errSuccess;
}

unsigned jr_rstmap_score(const char *old, const jr_rstmap_candidate *c)
{
	unsigned best = 0;

	for (unsigned r = 0; r < c->n_recorded; r++) {
		unsigned k;

		if (!c->recorded[r])
			continue;
		if (jr_path_equal_ci(c->recorded[r], old))
			return 1000;
		k = jr_path_tail_match(c->recorded[r], old);
		if (10 * k > best)
			best = 10 * k;
	}
	if (best < 10 && c->file_name &&
	    jr_path_equal_ci(jr_path_base(old), c->file_name))
		best = 10;
	return best;
}

JET_ERR jr_rstmap_match(const jr_rstmap_entry *map, long n,
			const jr_rstmap_candidate *c, unsigned nc,
			long *entry_of, jr_errinfo *ei)
{
	for (unsigned i = 0; i < nc; i++)
		entry_of[i] = -1;
	for (long e = 0; e < n; e++) {
		unsigned best = 0, tie = 0, pick = 0;

		for (unsigned i = 0; i < nc; i++) {
			unsigned s = jr_rstmap_score(map[e].old_name, &c[i]);

			if (s > best) {
				best = s;
				pick = i;
				tie = 0;
			} else if (s && s == best) {
				tie = i + 1;
			}
		}
		if (!best)
			return jr_fail(ei, JET_errFileNotFound,
				       "restore map entry %ld: no database of "
				       "the backup set is '%s'", e,
				       map[e].old_name);
		if (tie)
			return jr_fail(ei, JET_errInvalidParameter,
				       "restore map entry %ld: '%s' matches "
				       "both %s and %s", e, map[e].old_name,
				       c[pick].file_name, c[tie - 1].file_name);
		if (entry_of[pick] >= 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "restore map entries %ld and %ld both "
				       "select %s", entry_of[pick], e,
				       c[pick].file_name);
		entry_of[pick] = e;
	}
	return JET_errSuccess;
}
