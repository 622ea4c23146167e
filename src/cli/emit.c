/*
 * emit.c - text or JSON rendering of described fields (see emit.h).
 */
#include "cli/emit.h"

#include <inttypes.h>
#include <string.h>

#define JR_LABEL_WIDTH 30

void jr_emit_init(jr_emit *e, FILE *out, bool json, bool pretty)
{
	memset(e, 0, sizeof(*e));
	e->json = json;
	e->out = out;
	jr_json_init(&e->j, out, pretty);
}

static void jr_emit_label(jr_emit *e, const char *label)
{
	int pad = JR_LABEL_WIDTH - 2 * e->indent - (int)strlen(label);

	fprintf(e->out, "%*s%*s%s: ", 2 * e->indent, "", pad > 0 ? pad : 0, "",
		label);
}

void jr_emit_begin(jr_emit *e, const char *key, const char *title)
{
	if (e->json) {
		jr_json_object_begin(&e->j, key);
		return;
	}
	if (title)
		fprintf(e->out, "%*s%s\n", 2 * e->indent, "", title);
	e->indent++;
}

void jr_emit_end(jr_emit *e)
{
	if (e->json)
		jr_json_object_end(&e->j);
	else if (e->indent > 0)
		e->indent--;
}

void jr_emit_list_begin(jr_emit *e, const char *key, const char *title)
{
	if (e->json) {
		jr_json_array_begin(&e->j, key);
		return;
	}
	if (title)
		fprintf(e->out, "%*s%s\n", 2 * e->indent, "", title);
	e->indent++;
}

void jr_emit_list_end(jr_emit *e)
{
	if (e->json)
		jr_json_array_end(&e->j);
	else if (e->indent > 0)
		e->indent--;
}

void jr_emit_str(jr_emit *e, const char *key, const char *label,
		 const char *value)
{
	if (e->json) {
		jr_json_str(&e->j, key, value);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%s\n", value);
}

void jr_emit_u64(jr_emit *e, const char *key, const char *label,
		 uint64_t value)
{
	if (e->json) {
		jr_json_u64(&e->j, key, value);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%" PRIu64 "\n", value);
}

void jr_emit_u64x(jr_emit *e, const char *key, const char *label,
		  uint64_t value)
{
	if (e->json) {
		jr_json_u64(&e->j, key, value);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%" PRIu64 " (0x%" PRIx64 ")\n", value, value);
}

void jr_emit_i64(jr_emit *e, const char *key, const char *label,
		 int64_t value)
{
	if (e->json) {
		jr_json_i64(&e->j, key, value);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%" PRId64 "\n", value);
}

void jr_emit_bool(jr_emit *e, const char *key, const char *label, bool value)
{
	if (e->json) {
		jr_json_bool(&e->j, key, value);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%s\n", value ? "Yes" : "No");
}

void jr_emit_lgpos(jr_emit *e, const char *key, const char *label,
		   const ese_lgpos *p)
{
	char s[ESE_LGPOS_STRLEN];

	if (e->json) {
		jr_json_object_begin(&e->j, key);
		jr_json_u64(&e->j, "gen", p->gen);
		jr_json_u64(&e->j, "isec", p->isec);
		jr_json_u64(&e->j, "ib", p->ib);
		jr_json_object_end(&e->j);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%s\n", ese_lgpos_format(p, s, sizeof(s)));
}

void jr_emit_logtime(jr_emit *e, const char *key, const char *label,
		     const ese_logtime *t)
{
	char s[ESE_LOGTIME_STRLEN];

	if (!ese_logtime_is_set(t)) {
		if (e->json)
			jr_json_null(&e->j, key);
		else {
			jr_emit_label(e, label);
			fprintf(e->out, "00/00/1900 00:00:00.000\n");
		}
		return;
	}
	ese_logtime_format(t, s, sizeof(s));
	if (e->json) {
		jr_json_str(&e->j, key, s);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%s\n", s);
}

void jr_emit_signature(jr_emit *e, const char *key, const char *label,
		       const ese_signature *sig)
{
	char s[ESE_SIGNATURE_STRLEN];

	if (e->json) {
		char name[ESE_COMPUTERNAME_SIZE + 1];

		jr_json_object_begin(&e->j, key);
		jr_json_u64(&e->j, "random", sig->random);
		jr_emit_logtime(e, "created", NULL, &sig->created);
		jr_json_str(&e->j, "computer",
			    ese_signature_computer_name(sig, name, sizeof(name)));
		jr_json_object_end(&e->j);
		return;
	}
	jr_emit_label(e, label);
	fprintf(e->out, "%s\n", ese_signature_format(sig, s, sizeof(s)));
}

void jr_emit_bkinfo(jr_emit *e, const char *key, const char *label,
		    const ese_bkinfo *b)
{
	char p[ESE_LGPOS_STRLEN], t[ESE_LOGTIME_STRLEN];

	if (e->json) {
		jr_json_object_begin(&e->j, key);
		jr_json_u64(&e->j, "gen_low", b->gen_low);
		jr_json_u64(&e->j, "gen_high", b->gen_high);
		jr_emit_lgpos(e, "lgpos_mark", NULL, &b->lgpos_mark);
		jr_emit_logtime(e, "logtime_mark", NULL, &b->logtime_mark);
		jr_json_object_end(&e->j);
		return;
	}
	jr_emit_label(e, label);
	if (ese_bkinfo_is_zero(b)) {
		fprintf(e->out, "none\n");
		return;
	}
	if (ese_logtime_is_set(&b->logtime_mark))
		ese_logtime_format(&b->logtime_mark, t, sizeof(t));
	else
		strcpy(t, "none");
	fprintf(e->out, "Log Gen: %u-%u (0x%x-0x%x) Mark: %s Mark Time: %s\n",
		b->gen_low, b->gen_high, b->gen_low, b->gen_high,
		ese_lgpos_format(&b->lgpos_mark, p, sizeof(p)), t);
}

void jr_emit_newline(jr_emit *e)
{
	if (e->json)
		jr_json_newline(&e->j);
}
