/*
 * json.c - streaming JSON writer (see json.h).
 */
#include "util/json.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

void jr_json_init(jr_json *j, FILE *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

static void jr_json_indent(jr_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Comma, indentation and key before a value at the current level. */
static void jr_json_prefix(jr_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->has_items[j->depth])
			fputc(',', j->out);
		jr_json_indent(j);
	}
	j->has_items[j->depth] = true;
	if (key) {
		jr_json_write_string(j->out, key, strlen(key));
		fputs(j->pretty ? ": " : ":", j->out);
	}
}

static void jr_json_open(jr_json *j, const char *key, char c)
{
	jr_json_prefix(j, key);
	fputc(c, j->out);
	assert(j->depth + 1 < JR_JSON_MAX_DEPTH);
	j->depth++;
	j->has_items[j->depth] = false;
}

static void jr_json_close(jr_json *j, char c)
{
	bool had = j->has_items[j->depth];

	assert(j->depth > 0);
	j->depth--;
	if (had)
		jr_json_indent(j);
	fputc(c, j->out);
}

void jr_json_object_begin(jr_json *j, const char *key)
{
	jr_json_open(j, key, '{');
}

void jr_json_object_end(jr_json *j)
{
	jr_json_close(j, '}');
}

void jr_json_array_begin(jr_json *j, const char *key)
{
	jr_json_open(j, key, '[');
}

void jr_json_array_end(jr_json *j)
{
	jr_json_close(j, ']');
}

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0. */
static size_t jr_utf8_seq(const unsigned char *s, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void jr_json_write_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		switch (c) {
		case '"':  fputs("\\\"", out); i++; continue;
		case '\\': fputs("\\\\", out); i++; continue;
		case '\n': fputs("\\n", out); i++; continue;
		case '\r': fputs("\\r", out); i++; continue;
		case '\t': fputs("\\t", out); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			fprintf(out, "\\u%04x", c);
			i++;
			continue;
		}
		n = jr_utf8_seq(p + i, len - i);
		if (n == 0) {
			fprintf(out, "\\u%04x", c);
			i++;
			continue;
		}
		fwrite(p + i, 1, n, out);
		i += n;
	}
	fputc('"', out);
}

void jr_json_str(jr_json *j, const char *key, const char *value)
{
	jr_json_strn(j, key, value, strlen(value));
}

void jr_json_strn(jr_json *j, const char *key, const char *value, size_t len)
{
	jr_json_prefix(j, key);
	jr_json_write_string(j->out, value, strnlen(value, len));
}

void jr_json_i64(jr_json *j, const char *key, int64_t value)
{
	jr_json_prefix(j, key);
	fprintf(j->out, "%" PRId64, value);
}

void jr_json_u64(jr_json *j, const char *key, uint64_t value)
{
	jr_json_prefix(j, key);
	fprintf(j->out, "%" PRIu64, value);
}

void jr_json_bool(jr_json *j, const char *key, bool value)
{
	jr_json_prefix(j, key);
	fputs(value ? "true" : "false", j->out);
}

void jr_json_null(jr_json *j, const char *key)
{
	jr_json_prefix(j, key);
	fputs("null", j->out);
}

void jr_json_newline(jr_json *j)
{
	fputc('\n', j->out);
	j->has_items[0] = false;
}
