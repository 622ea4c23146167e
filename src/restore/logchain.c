/*
 * logchain.c - assemble and check one log set's generation chain.
 */
#include "restore/logchain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static JET_ERR jr_stray_add(jr_logchain *c, const jr_scan_entry *e,
			    const char *reason, jr_errinfo *ei)
{
	jr_logchain_stray *p = realloc(c->strays,
				       (c->n_strays + 1) * sizeof(*p));

	if (!p)
		return jr_fail(ei, JET_errOutOfMemory, "log chain");
	c->strays = p;
	c->strays[c->n_strays].entry = e;
	c->strays[c->n_strays].reason = reason;
	c->n_strays++;
	return JET_errSuccess;
}

JET_ERR jr_logchain_pick_base(const jr_scan *s, char *base, jr_errinfo *ei)
{
	base[0] = '\0';
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];

		if (e->filetype != JET_filetypeLog ||
		    e->name_kind == JR_LOGNAME_NONE)
			continue;
		if (!base[0])
			memcpy(base, e->base, JET_BASE_NAME_LENGTH + 1);
		else if (strcasecmp(base, e->base) != 0)
			return jr_fail(ei, JET_errInvalidParameter,
				       "several log sets (%s, %s): name the base "
				       "name to use", base, e->base);
	}
	return JET_errSuccess;
}

char *jr_logchain_name(const jr_logchain *c, uint32_t gen, char *out, size_t n)
{
	if (c->current && c->current->log && c->current->log->gen == gen)
		snprintf(out, n, "%s.log", c->base);
	else
		snprintf(out, n, "%s%0*X.log", c->base, (int)c->name_digits,
			 gen);
	return out;
}

static int jr_cmp_gen(const void *a, const void *b)
{
	uint32_t x = (*(const jr_scan_entry *const *)a)->log->gen;
	uint32_t y = (*(const jr_scan_entry *const *)b)->log->gen;

	return x < y ? -1 : x > y;
}

/* Sort members, check names against headers, signature, gaps, times. */
static JET_ERR jr_chain_check(jr_logchain *c, const jr_scan_entry **m,
			      unsigned nm, jr_errinfo *ei)
{
	const jr_scan_entry *first = NULL;
	char name[64];

	for (unsigned i = 0; i < nm; i++) {
		const jr_scan_entry *e = m[i];

		if (!e->log)
			return jr_fail(ei, e->hdr_err ? e->hdr_err->err
						      : JET_errLogFileCorrupt,
				       "%s: %s", e->path,
				       e->hdr_err ? e->hdr_err->detail
						  : "bad log header");
		if (e->name_kind == JR_LOGNAME_ARCHIVED &&
		    e->name_gen != e->log->gen)
			return jr_fail(ei, JET_errLogGenerationMismatch,
				       "%s: its name says generation 0x%X but "
				       "its header says 0x%X", e->path,
				       e->name_gen, e->log->gen);
		if (!first || e->log->gen < first->log->gen)
			first = e;
	}
	if (!first)
		return JET_errSuccess;
	/* Every member joins the signature of the lowest generation. */
	c->sign_log = first->log->sign_log;
	c->gen_low = c->gen_high = first->log->gen;
	for (unsigned i = 0; i < nm; i++) {
		if (!ese_signature_equal(&m[i]->log->sign_log, &c->sign_log))
			return jr_fail(ei, JET_errBadLogSignature,
				       "%s belongs to another log sequence than "
				       "%s", m[i]->path, first->path);
		if (m[i]->log->gen > c->gen_high)
			c->gen_high = m[i]->log->gen;
	}
	if (c->current && c->current->log->gen != c->gen_high)
		return jr_fail(ei, JET_errLogGenerationMismatch,
			       "%s holds generation 0x%X, older than the newest "
			       "archived log 0x%X", c->current->path,
			       c->current->log->gen, c->gen_high);
	/* Sorted by generation, the members must be gen_low, gen_low + 1, ...
	 * (a sort rather than a table indexed by generation: a damaged header
	 * could claim any generation). */
	c->by_gen = malloc(nm * sizeof(*c->by_gen));
	if (!c->by_gen)
		return jr_fail(ei, JET_errOutOfMemory, "log chain");
	memcpy(c->by_gen, m, nm * sizeof(*m));
	qsort(c->by_gen, nm, sizeof(*c->by_gen), jr_cmp_gen);
	c->n = nm;
	for (unsigned k = 1; k < nm; k++) {
		uint32_t want = c->by_gen[k - 1]->log->gen + 1;

		if (c->by_gen[k]->log->gen == want - 1)
			return jr_fail(ei, JET_errLogGenerationMismatch,
				       "%s and %s both hold generation 0x%X",
				       c->by_gen[k - 1]->path,
				       c->by_gen[k]->path, want - 1);
		if (c->by_gen[k]->log->gen != want)
			return jr_fail(ei, JET_errMissingLogFile,
				       "generation 0x%X (%s) is missing between "
				       "0x%X and 0x%X", want,
				       jr_logchain_name(c, want, name,
							sizeof(name)),
				       c->gen_low, c->gen_high);
	}
	for (unsigned k = 0; k < c->n; k++) {
		const jr_scan_entry *prev, *cur = c->by_gen[k];

		if (k == 0)
			continue;
		prev = c->by_gen[k - 1];
		if (memcmp(&cur->log->tm_prev_gen, &prev->log->tm_create,
			   sizeof(ese_logtime)) != 0)
			return jr_fail(ei, JET_errInvalidLogSequence,
				       "%s does not follow %s: its previous-"
				       "generation time differs from that "
				       "file's creation time", cur->path,
				       prev->path);
	}
	return JET_errSuccess;
}

JET_ERR jr_logchain_build(const jr_scan *s, const char *base, jr_logchain *out,
			  jr_errinfo *ei)
{
	const jr_scan_entry **members;
	unsigned nm = 0;
	JET_ERR err;

	memset(out, 0, sizeof(*out));
	out->name_digits = 8;
	if (base) {
		if (strlen(base) != JET_BASE_NAME_LENGTH)
			return jr_fail(ei, JET_errInvalidParameter,
				       "log base name '%s' is not 3 characters",
				       base);
		memcpy(out->base, base, JET_BASE_NAME_LENGTH + 1);
	} else {
		err = jr_logchain_pick_base(s, out->base, ei);
		if (err < 0)
			return err;
	}
	members = calloc(s->n ? s->n : 1, sizeof(*members));
	if (!members)
		return jr_fail(ei, JET_errOutOfMemory, "log chain");
	for (unsigned i = 0; i < s->n; i++) {
		const jr_scan_entry *e = s->entries[i];
		const char *reason = NULL;

		if (e->filetype != JET_filetypeLog) {
			if (e->blank)
				reason = "zero-filled (reserve log or never "
					 "written)";
			else
				continue;
		} else if (e->name_kind == JR_LOGNAME_NONE) {
			reason = "not named as a generation of the set "
				 "(e.g. a recycled log)";
		} else if (strcasecmp(e->base, out->base) != 0) {
			reason = "log of another base name";
		}
		if (reason) {
			err = jr_stray_add(out, e, reason, ei);
			if (err < 0)
				goto free_members;
			continue;
		}
		if (e->name_kind == JR_LOGNAME_CURRENT)
			out->current = e;
		else if (strlen(e->name) == 3 + 5 + 4)
			out->name_digits = 5;
		members[nm++] = e;
	}
	err = jr_chain_check(out, members, nm, ei);
free_members:
	free(members);
	if (err < 0) {
		jr_logchain_clear(out);
		memset(out, 0, sizeof(*out));
	}
	return err;
}

void jr_logchain_clear(jr_logchain *c)
{
	free(c->by_gen);
	free(c->strays);
	c->by_gen = NULL;
	c->strays = NULL;
	c->n = c->n_strays = 0;
}
