/*
 * json.h - a small streaming JSON writer for command output and status files.
 *
 * Values are written as they come, so memory does not depend on the size of
 * the document (a `dump --records --json` of a huge log set streams). The
 * writer tracks nesting and commas; callers only say what comes next.
 *
 *   jr_json j;
 *   jr_json_init(&j, stdout, false);       // false: compact, one line
 *   jr_json_object_begin(&j, NULL);
 *   jr_json_str(&j, "type", "Insert");
 *   jr_json_u64(&j, "pgno", 42);
 *   jr_json_object_end(&j);
 *   jr_json_newline(&j);                   // ends a JSON Lines record
 *
 * Inside an object every value needs a key; inside an array or at the top
 * level the key must be NULL. Nesting deeper than JR_JSON_MAX_DEPTH is a
 * programming error (asserted). A jr_json owns nothing: the FILE stays the
 * caller's.
 */
#ifndef JR_UTIL_JSON_H
#define JR_UTIL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JR_JSON_MAX_DEPTH 32

typedef struct jr_json {
	FILE *out;
	bool pretty;                         /* newline + indent per value */
	int depth;
	bool has_items[JR_JSON_MAX_DEPTH];   /* a comma is due at this level */
} jr_json;

void jr_json_init(jr_json *j, FILE *out, bool pretty);
void jr_json_object_begin(jr_json *j, const char *key);
void jr_json_object_end(jr_json *j);
void jr_json_array_begin(jr_json *j, const char *key);
void jr_json_array_end(jr_json *j);
void jr_json_str(jr_json *j, const char *key, const char *value);
/* A string of at most len bytes (value need not be NUL-terminated). */
void jr_json_strn(jr_json *j, const char *key, const char *value, size_t len);
void jr_json_i64(jr_json *j, const char *key, int64_t value);
void jr_json_u64(jr_json *j, const char *key, uint64_t value);
void jr_json_bool(jr_json *j, const char *key, bool value);
void jr_json_null(jr_json *j, const char *key);
/* Ends the current top-level value with '\n' (JSON Lines). */
void jr_json_newline(jr_json *j);

/* Write s as a JSON string literal (quotes included) to out: control
 * characters and invalid UTF-8 bytes are escaped as \u00XX. */
void jr_json_write_string(FILE *out, const char *s, size_t len);

#endif
