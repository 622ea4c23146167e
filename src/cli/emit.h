/*
 * emit.h - one description of a structure, printed as text or as JSON.
 *
 * Commands describe what they show once, field by field; the emitter turns
 * that into esentutl-like aligned text ("        State: Dirty Shutdown") or
 * into JSON members ("state": "DirtyShutdown"...). Each field has a JSON key
 * (snake_case) and a text label.
 *
 * An emitter owns nothing; the FILE stays the caller's.
 */
#ifndef JR_CLI_EMIT_H
#define JR_CLI_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ese/types.h"
#include "util/json.h"

typedef struct {
	bool json;
	FILE *out;
	jr_json j;
	int indent;             /* text: current indentation level */
} jr_emit;

void jr_emit_init(jr_emit *e, FILE *out, bool json, bool pretty);

/* Groups: a JSON object (key NULL at the top or in an array), or an
 * indented text section with an optional title line. */
void jr_emit_begin(jr_emit *e, const char *key, const char *title);
void jr_emit_end(jr_emit *e);
/* A JSON array / a text section listing items. */
void jr_emit_list_begin(jr_emit *e, const char *key, const char *title);
void jr_emit_list_end(jr_emit *e);

void jr_emit_str(jr_emit *e, const char *key, const char *label,
		 const char *value);
void jr_emit_u64(jr_emit *e, const char *key, const char *label,
		 uint64_t value);
/* Text shows "N (0xN)"; JSON a number. */
void jr_emit_u64x(jr_emit *e, const char *key, const char *label,
		  uint64_t value);
void jr_emit_i64(jr_emit *e, const char *key, const char *label,
		 int64_t value);
void jr_emit_bool(jr_emit *e, const char *key, const char *label, bool value);
/* LGPOS: text "(0x5C,8,0)"; JSON {"gen":92,"isec":8,"ib":0}. */
void jr_emit_lgpos(jr_emit *e, const char *key, const char *label,
		   const ese_lgpos *p);
/* LOGTIME: text as esentutl; JSON the same string, or null when unset. */
void jr_emit_logtime(jr_emit *e, const char *key, const char *label,
		     const ese_logtime *t);
/* SIGNATURE: text "Create time:... Rand:... Computer:..."; JSON object. */
void jr_emit_signature(jr_emit *e, const char *key, const char *label,
		       const ese_signature *s);
/* BKINFO: text "Log Gen: low-high (0x..-0x..) Mark: (...) Mark Time: ..." */
void jr_emit_bkinfo(jr_emit *e, const char *key, const char *label,
		    const ese_bkinfo *b);

/* Ends a top-level JSON value with a newline (no-op in text mode). */
void jr_emit_newline(jr_emit *e);

#endif
