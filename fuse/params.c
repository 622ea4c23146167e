/*
 * params.c - syntax and validation of the control values (see params.h).
 */
#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <string.h>
#include <sys/stat.h>

void jrfs_params_init(jrfs_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = JR_MODE_AUTO;
}

void jrfs_params_clear(jrfs_params *p)
{
	g_free(p->target_logs);
	g_free(p->target_checkpoint);
	jrfs_params_init(p);
}

void jrfs_params_copy(jrfs_params *dst, const jrfs_params *src)
{
	if (dst == src)
		return;
	jrfs_params_clear(dst);
	*dst = *src;
	dst->target_logs = g_strdup(src->target_logs);
	dst->target_checkpoint = g_strdup(src->target_checkpoint);
}

const char *jrfs_mode_name(jr_mode mode)
{
	switch (mode) {
	case JR_MODE_HARD:
		return "hard";
	case JR_MODE_SOFT:
		return "soft";
	case JR_MODE_AUTO:
	default:
		return "auto";
	}
}

/* Control text is a small text file: refuse NUL bytes and oversized input,
 * return a NUL-terminated copy. */
static JET_ERR text_dup(const char *text, size_t len, const char *what,
			char **out, jr_errinfo *ei)
{
	if (len > JRFS_CONTROL_MAX)
		return jr_fail(ei, JET_errInvalidParameter,
			       "%s: %zu bytes is more than the %d accepted",
			       what, len, JRFS_CONTROL_MAX);
	if (len && memchr(text, '\0', len))
		return jr_fail(ei, JET_errInvalidParameter,
			       "%s: the text holds a NUL byte", what);
	*out = g_strndup(text, len);
	return JET_errSuccess;
}

JET_ERR jrfs_parse_mode(const char *text, size_t len, jr_mode *out,
			jr_errinfo *ei)
{
	char *s, *word;
	JET_ERR err;

	err = text_dup(text, len, "mode", &s, ei);
	if (err)
		return err;
	word = g_strstrip(s);
	if (!strcmp(word, "auto"))
		*out = JR_MODE_AUTO;
	else if (!strcmp(word, "hard"))
		*out = JR_MODE_HARD;
	else if (!strcmp(word, "soft"))
		*out = JR_MODE_SOFT;
	else
		err = jr_fail(ei, JET_errInvalidParameter,
			      "mode: '%.64s' is not auto, hard or soft", word);
	g_free(s);
	return err;
}

/* A log generation: decimal or 0x hex, 1..0x7fffffff (ESE's LONG). */
static bool parse_gen(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v == 0 || v > 0x7fffffffull)
		return false;
	*out = (uint32_t)v;
	return true;
}

JET_ERR jrfs_parse_loginfo(const char *text, size_t len, jrfs_params *p,
			   jr_errinfo *ei)
{
	char *s, **words = NULL;
	uint32_t low, high;
	unsigned n;
	JET_ERR err;

	err = text_dup(text, len, "loginfo", &s, ei);
	if (err)
		return err;
	for (char *c = s; *c; c++)
		if (*c == ':' || isspace((unsigned char)*c))
			*c = ' ';
	words = g_strsplit_set(g_strstrip(s), " ", -1);
	/* g_strsplit_set keeps empty fields between repeated separators. */
	n = 0;
	for (unsigned i = 0; words[i]; i++)
		if (*words[i])
			words[n++] = words[i];
		else
			g_free(words[i]);
	words[n] = NULL;
	if (n == 0) {
		p->have_loginfo = false;
		p->gen_low = p->gen_high = 0;
		p->base[0] = '\0';
		goto out_words;
	}
	if (n != 3) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "loginfo: expected 'GENLOW GENHIGH BASE', got %u word%s",
			      n, n == 1 ? "" : "s");
		goto out_words;
	}
	if (!parse_gen(words[0], &low) || !parse_gen(words[1], &high)) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "loginfo: generations must be numbers from 1 to 0x7fffffff, got '%.32s' '%.32s'",
			      words[0], words[1]);
		goto out_words;
	}
	if (low > high) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "loginfo: genLow %u is above genHigh %u", low, high);
		goto out_words;
	}
	if (strlen(words[2]) != JET_BASE_NAME_LENGTH) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "loginfo: the base name '%.32s' must have %d characters",
			      words[2], JET_BASE_NAME_LENGTH);
		goto out_words;
	}
	for (const char *c = words[2]; *c; c++)
		if (!isalnum((unsigned char)*c)) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "loginfo: the base name '%s' must be letters and digits",
				      words[2]);
			goto out_words;
		}
	p->have_loginfo = true;
	p->gen_low = low;
	p->gen_high = high;
	memcpy(p->base, words[2], JET_BASE_NAME_LENGTH + 1);
out_words:
	g_strfreev(words);
	g_free(s);
	return err;
}

static JET_ERR check_dir(const char *what, const char *path, jr_errinfo *ei)
{
	struct stat st;

	if (path[0] != '/')
		return jr_fail(ei, JET_errInvalidParameter,
			       "target: the %s directory '%.200s' is not an absolute path",
			       what, path);
	if (stat(path, &st) != 0)
		return jr_fail(ei, JET_errInvalidParameter,
			       "target: the %s directory '%.200s': %s", what,
			       path, g_strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return jr_fail(ei, JET_errInvalidParameter,
			       "target: '%.200s' (%s) is not a directory", path,
			       what);
	return JET_errSuccess;
}

JET_ERR jrfs_parse_target(const char *text, size_t len, char **logs,
			  char **checkpoint, jr_errinfo *ei)
{
	char *s, **lines = NULL, *a = NULL, *b = NULL;
	unsigned n = 0;
	JET_ERR err;

	err = text_dup(text, len, "target", &s, ei);
	if (err)
		return err;
	lines = g_strsplit(s, "\n", -1);
	for (unsigned i = 0; lines[i]; i++) {
		g_strstrip(lines[i]);
		if (*lines[i])
			lines[n++] = lines[i];
		else
			g_free(lines[i]);
	}
	lines[n] = NULL;
	if (n == 0) {
		*logs = *checkpoint = NULL;
		goto out_lines;
	}
	if (n == 2) {
		a = g_strdup(lines[0]);
		b = g_strdup(lines[1]);
	} else if (n == 1) {
		char **w = g_strsplit_set(lines[0], " \t", -1);
		unsigned k = 0;

		for (unsigned i = 0; w[i]; i++)
			if (*w[i]) {
				if (k == 0)
					a = g_strdup(w[i]);
				else if (k == 1)
					b = g_strdup(w[i]);
				k++;
			}
		g_strfreev(w);
		if (k != 2) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "target: expected 'LOGDIR CHECKPOINTDIR' (both or none), got %u path%s",
				      k, k == 1 ? "" : "s");
			goto out_paths;
		}
	} else {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "target: expected two directories (log, checkpoint), got %u lines",
			      n);
		goto out_lines;
	}
	err = check_dir("log", a, ei);
	if (!err)
		err = check_dir("checkpoint", b, ei);
	if (err)
		goto out_paths;
	*logs = a;
	*checkpoint = b;
	a = b = NULL;
out_paths:
	g_free(a);
	g_free(b);
out_lines:
	g_strfreev(lines);
	g_free(s);
	return err;
}

JET_ERR jrfs_check_name(const char *name, jr_errinfo *ei)
{
	size_t len = strlen(name);

	if (len == 0)
		return jr_fail(ei, JET_errInvalidParameter, "an empty name");
	if (len > 255)
		return jr_fail(ei, JET_errInvalidParameter,
			       "the name '%.40s...' is longer than 255 bytes", name);
	if (strchr(name, '/'))
		return jr_fail(ei, JET_errInvalidParameter,
			       "the name '%.200s' holds a '/'", name);
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return jr_fail(ei, JET_errInvalidParameter,
			       "'%s' cannot name a database", name);
	if (!strcmp(name, "raw") || !strcmp(name, ".restore"))
		return jr_fail(ei, JET_errInvalidParameter,
			       "'%s' is a name the mount uses itself", name);
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return jr_fail(ei, JET_errInvalidParameter,
				       "the name '%.200s' holds a control character",
				       name);
	return JET_errSuccess;
}

/* Does OLD (as written in a map line) name the database called source?
 * Its own file name exactly, or the last component of a recorded path
 * (Windows or POSIX separators), compared without case as Windows does. */
static bool old_matches(const char *old, const char *source)
{
	const char *base = old;

	if (!strcmp(old, source))
		return true;
	for (const char *c = old; *c; c++)
		if (*c == '\\' || *c == '/')
			base = c + 1;
	return g_ascii_strcasecmp(base, source) == 0;
}

JET_ERR jrfs_parse_rstmap(const char *text, size_t len,
			  char *const *sources, unsigned n, char **names,
			  jr_errinfo *ei)
{
	char *s, **lines, **out;
	bool *seen;
	JET_ERR err;

	err = text_dup(text, len, "rstmap", &s, ei);
	if (err)
		return err;
	lines = g_strsplit(s, "\n", -1);
	out = g_new0(char *, n ? n : 1);
	seen = g_new0(bool, n ? n : 1);
	for (unsigned ln = 0; lines[ln] && !err; ln++) {
		char *line = g_strstrip(lines[ln]), **w;
		unsigned k = 0, match = n;

		if (!*line || *line == '#')
			continue;
		w = g_strsplit_set(line, " \t", -1);
		for (unsigned i = 0; w[i]; i++)
			if (*w[i]) {
				char *t = w[i];

				w[i] = NULL;
				w[k++] = t;
			} else {
				g_free(w[i]);
				w[i] = NULL;
			}
		if (k != 2) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "rstmap line %u: expected 'OLD NEW', got %u word%s",
				      ln + 1, k, k == 1 ? "" : "s");
			goto next;
		}
		for (unsigned i = 0; i < n; i++)
			if (old_matches(w[0], sources[i])) {
				match = i;
				break;
			}
		if (match == n) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "rstmap line %u: '%.200s' is not a database of the backup set",
				      ln + 1, w[0]);
			goto next;
		}
		if (seen[match]) {
			err = jr_fail(ei, JET_errInvalidParameter,
				      "rstmap line %u: database '%.200s' is mapped twice",
				      ln + 1, sources[match]);
			goto next;
		}
		err = jrfs_check_name(w[1], ei);
		if (err) {
			jr_errinfo_prefix(ei, "rstmap line %u", ln + 1);
			goto next;
		}
		seen[match] = true;
		out[match] = g_strdup(w[1]);
next:
		g_strfreev(w);
	}
	/* Unlisted databases keep their own names; no two may share one. */
	for (unsigned i = 0; i < n && !err; i++)
		if (!out[i])
			out[i] = g_strdup(sources[i]);
	for (unsigned i = 0; i < n && !err; i++)
		for (unsigned j = i + 1; j < n && !err; j++)
			if (!strcmp(out[i], out[j]))
				err = jr_fail(ei, JET_errInvalidParameter,
					      "rstmap: '%.200s' and '%.200s' would both be named '%.200s'",
					      sources[i], sources[j], out[i]);
	if (!err)
		for (unsigned i = 0; i < n; i++) {
			names[i] = out[i];
			out[i] = NULL;
		}
	for (unsigned i = 0; i < n; i++)
		g_free(out[i]);
	g_free(out);
	g_free(seen);
	g_strfreev(lines);
	g_free(s);
	return err;
}

JET_ERR jrfs_parse_size(const char *text, uint64_t *out, jr_errinfo *ei)
{
	static const char units[] = "KMGTPE";
	const char *u;
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!text || !isdigit((unsigned char)text[0]))
		return jr_fail(ei, JET_errInvalidParameter,
			       "size '%.64s': expected a number with an optional K, M, G or T",
			       text ? text : "");
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno)
		return jr_fail(ei, JET_errInvalidParameter,
			       "size '%.64s' is too large", text);
	if (*end) {
		u = strchr(units, g_ascii_toupper(*end));
		if (!u)
			return jr_fail(ei, JET_errInvalidParameter,
				       "size '%.64s': unknown unit '%.8s'", text, end);
		shift = 10u * (unsigned)(u - units + 1);
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
		if (*end)
			return jr_fail(ei, JET_errInvalidParameter,
				       "size '%.64s': unknown unit", text);
	}
	if (shift && v > (UINT64_MAX >> shift))
		return jr_fail(ei, JET_errInvalidParameter,
			       "size '%.64s' is too large", text);
	*out = (uint64_t)v << shift;
	return JET_errSuccess;
}

char *jrfs_format_loginfo(const jrfs_params *p)
{
	if (!p->have_loginfo)
		return g_strdup("");
	return g_strdup_printf("%u %u %s\n", p->gen_low, p->gen_high, p->base);
}

char *jrfs_format_target(const jrfs_params *p)
{
	if (!p->target_logs)
		return g_strdup("");
	return g_strdup_printf("%s\n%s\n", p->target_logs, p->target_checkpoint);
}

char *jrfs_format_rstmap(char *const *sources, char *const *names, unsigned n)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(s, "%s %s\n", sources[i], names[i]);
	return g_string_free(s, FALSE);
}

JET_ERR jrfs_split_words(const char *text, size_t len, char ***words,
			 jr_errinfo *ei)
{
	char *s, **w;
	unsigned k = 0;
	JET_ERR err;

	err = text_dup(text, len, "name list", &s, ei);
	if (err)
		return err;
	w = g_strsplit_set(s, " \t\r\n", -1);
	for (unsigned i = 0; w[i]; i++) {
		char *t = w[i];

		w[i] = NULL;
		if (*t)
			w[k++] = t;
		else
			g_free(t);
	}
	g_free(s);
	if (k == 0) {
		g_strfreev(w);
		return jr_fail(ei, JET_errInvalidParameter,
			       "expected a database name or 'all'");
	}
	*words = w;
	return JET_errSuccess;
}
