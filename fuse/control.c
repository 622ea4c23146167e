/*
 * control.c - reading and writing the files of /.restore/ (control.h).
 */
#include "control.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

typedef enum { KIND_VALUE, KIND_ACTION, KIND_REPORT } ctl_kind;

static const struct {
	const char *name;
	ctl_kind kind;
} ctl_table[JRFS_CTL_COUNT] = {
	[JRFS_CTL_RSTMAP] = { "rstmap", KIND_VALUE },
	[JRFS_CTL_LOGINFO] = { "loginfo", KIND_VALUE },
	[JRFS_CTL_TARGET] = { "target", KIND_VALUE },
	[JRFS_CTL_MODE] = { "mode", KIND_VALUE },
	[JRFS_CTL_START] = { "start", KIND_ACTION },
	[JRFS_CTL_CANCEL] = { "cancel", KIND_ACTION },
	[JRFS_CTL_STATUS] = { "status", KIND_REPORT },
	[JRFS_CTL_STATUS_JSON] = { "status.json", KIND_REPORT },
	[JRFS_CTL_RESULT] = { "result", KIND_REPORT },
	[JRFS_CTL_LOG] = { "log", KIND_REPORT },
};

const char *jrfs_ctl_name(int ctl)
{
	return ctl >= 0 && ctl < JRFS_CTL_COUNT ? ctl_table[ctl].name : "?";
}

int jrfs_ctl_lookup(const char *name)
{
	for (int i = 0; i < JRFS_CTL_COUNT; i++)
		if (!strcmp(ctl_table[i].name, name))
			return i;
	return -1;
}

unsigned jrfs_ctl_mode(int ctl)
{
	switch (ctl_table[ctl].kind) {
	case KIND_VALUE:
		return 0644;
	case KIND_ACTION:
		return 0200;
	case KIND_REPORT:
	default:
		return 0444;
	}
}

bool jrfs_ctl_readable(int ctl)
{
	return ctl_table[ctl].kind != KIND_ACTION;
}

bool jrfs_ctl_writable(int ctl)
{
	return ctl_table[ctl].kind != KIND_REPORT;
}

/* ---- reports ---------------------------------------------------------- */

static void format_time(int64_t us, char *out, size_t size)
{
	GDateTime *t;
	char *s;

	if (us == 0) {
		g_strlcpy(out, "-", size);
		return;
	}
	t = g_date_time_new_from_unix_utc(us / 1000000);
	s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");
	g_snprintf(out, size, "%s.%03dZ", s, (int)(us % 1000000 / 1000));
	g_free(s);
	g_date_time_unref(t);
}

/* "NUMBER JET_errNAME: message" and, when there is one, the detail. */
static void append_error(GString *s, JET_ERR err, const char *detail)
{
	g_string_append_printf(s, "%d JET_err%s: %s", err, jet_error_name(err),
			       jet_error_message(err));
	if (detail && *detail)
		g_string_append_printf(s, " (%s)", detail);
}

static uint64_t shown_size(const jrfs_db *db)
{
	return db->state == JRFS_DONE ? db->result_size : db->source_size;
}

static void render_status(jrfs *fs, GString *s)
{
	char t1[40], t2[40];
	char *loginfo = jrfs_format_loginfo(&fs->params);

	g_strchomp(loginfo);
	g_string_append_printf(s, "backup_dir   %s\n", fs->backup_dir);
	g_string_append_printf(s, "cache_dir    %s\n", jrfs_cache_dir(fs->cache));
	g_string_append_printf(s, "mode         %s\n", jrfs_mode_name(fs->params.mode));
	g_string_append_printf(s, "loginfo      %s\n", *loginfo ? loginfo : "-");
	if (fs->params.target_logs)
		g_string_append_printf(s, "target       %s %s\n", fs->params.target_logs,
				       fs->params.target_checkpoint);
	else
		g_string_append(s, "target       -\n");
	g_string_append(s, "result       ");
	append_error(s, fs->last_err, fs->last_detail);
	g_string_append_printf(s, "\ndatabases    %u\n", fs->n_dbs);
	g_free(loginfo);
	for (unsigned i = 0; i < fs->n_dbs; i++) {
		const jrfs_db *db = &fs->dbs[i];

		format_time(db->started_us, t1, sizeof(t1));
		format_time(db->ended_us, t2, sizeof(t2));
		g_string_append_printf(s, "\ndatabase %s\n", db->name);
		g_string_append_printf(s, "  source      %s\n", db->source);
		g_string_append_printf(s, "  state       %s\n", jrfs_state_name(db->state));
		g_string_append_printf(s, "  percent     %u\n", db->percent);
		g_string_append_printf(s, "  phase       %s\n", db->phase[0] ? db->phase : "-");
		g_string_append_printf(s, "  generation  %" PRIu32 " (0x%" PRIx32 ")\n",
				       db->gen, db->gen);
		g_string_append_printf(s, "  records     %" PRIu64 "\n", db->records);
		g_string_append_printf(s, "  started     %s\n", t1);
		g_string_append_printf(s, "  ended       %s\n", t2);
		g_string_append_printf(s, "  recoveries  %u\n", db->recoveries);
		g_string_append_printf(s, "  from_cache  %s\n", db->from_cache ? "yes" : "no");
		g_string_append_printf(s, "  size        %" PRIu64 " (%s)\n", shown_size(db),
				       db->state == JRFS_DONE ? "recovered" :
				       "before recovery");
		g_string_append_printf(s, "  open        %u\n", db->handles->len);
		g_string_append_printf(s, "  fingerprint %s\n", db->fp);
		g_string_append(s, "  error       ");
		append_error(s, db->err, db->detail);
		g_string_append_c(s, '\n');
	}
}

static void json_time(jr_json *j, const char *key, int64_t us)
{
	char t[40];

	if (us == 0) {
		jr_json_null(j, key);
		return;
	}
	format_time(us, t, sizeof(t));
	jr_json_str(j, key, t);
}

static void json_error(jr_json *j, const char *key, JET_ERR err,
		       const char *detail)
{
	char name[96];

	g_snprintf(name, sizeof(name), "JET_err%s", jet_error_name(err));
	jr_json_object_begin(j, key);
	jr_json_i64(j, "number", err);
	jr_json_str(j, "name", name);
	jr_json_str(j, "message", jet_error_message(err));
	jr_json_str(j, "detail", detail ? detail : "");
	jr_json_object_end(j);
}

static void render_status_json(jrfs *fs, GString *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	jr_json j;

	if (!f)
		return;
	jr_json_init(&j, f, true);
	jr_json_object_begin(&j, NULL);
	jr_json_str(&j, "backup_dir", fs->backup_dir);
	jr_json_str(&j, "cache_dir", jrfs_cache_dir(fs->cache));
	jr_json_u64(&j, "cache_max", jrfs_cache_max(fs->cache));
	jr_json_str(&j, "mode", jrfs_mode_name(fs->params.mode));
	if (fs->params.have_loginfo) {
		jr_json_object_begin(&j, "loginfo");
		jr_json_u64(&j, "gen_low", fs->params.gen_low);
		jr_json_u64(&j, "gen_high", fs->params.gen_high);
		jr_json_str(&j, "base", fs->params.base);
		jr_json_object_end(&j);
	} else {
		jr_json_null(&j, "loginfo");
	}
	if (fs->params.target_logs) {
		jr_json_object_begin(&j, "target");
		jr_json_str(&j, "logs", fs->params.target_logs);
		jr_json_str(&j, "checkpoint", fs->params.target_checkpoint);
		jr_json_object_end(&j);
	} else {
		jr_json_null(&j, "target");
	}
	json_error(&j, "result", fs->last_err, fs->last_detail);
	jr_json_array_begin(&j, "databases");
	for (unsigned i = 0; i < fs->n_dbs; i++) {
		const jrfs_db *db = &fs->dbs[i];

		jr_json_object_begin(&j, NULL);
		jr_json_str(&j, "name", db->name);
		jr_json_str(&j, "source", db->source);
		jr_json_str(&j, "state", jrfs_state_name(db->state));
		jr_json_u64(&j, "percent", db->percent);
		jr_json_str(&j, "phase", db->phase);
		jr_json_u64(&j, "generation", db->gen);
		jr_json_u64(&j, "records", db->records);
		json_time(&j, "started", db->started_us);
		json_time(&j, "ended", db->ended_us);
		jr_json_u64(&j, "recoveries", db->recoveries);
		jr_json_bool(&j, "from_cache", db->from_cache);
		jr_json_u64(&j, "size", shown_size(db));
		jr_json_bool(&j, "size_final", db->state == JRFS_DONE);
		jr_json_u64(&j, "source_size", db->source_size);
		jr_json_u64(&j, "open", db->handles->len);
		jr_json_str(&j, "fingerprint", db->fp);
		json_error(&j, "error", db->err, db->detail);
		jr_json_object_end(&j);
	}
	jr_json_array_end(&j);
	jr_json_object_end(&j);
	jr_json_newline(&j);
	fclose(f);
	g_string_append_len(out, buf, (gssize)len);
	free(buf);
}

GString *jrfs_ctl_render(jrfs *fs, int ctl)
{
	GString *s = g_string_new(NULL);
	char *text = NULL;

	pthread_mutex_lock(&fs->lock);
	switch (ctl) {
	case JRFS_CTL_RSTMAP: {
		char **src = g_new0(char *, fs->n_dbs + 1);
		char **names = g_new0(char *, fs->n_dbs + 1);

		for (unsigned i = 0; i < fs->n_dbs; i++) {
			src[i] = fs->dbs[i].source;
			names[i] = fs->dbs[i].name;
		}
		text = jrfs_format_rstmap(src, names, fs->n_dbs);
		g_free(src);
		g_free(names);
		break;
	}
	case JRFS_CTL_LOGINFO:
		text = jrfs_format_loginfo(&fs->params);
		break;
	case JRFS_CTL_TARGET:
		text = jrfs_format_target(&fs->params);
		break;
	case JRFS_CTL_MODE:
		text = g_strdup_printf("%s\n", jrfs_mode_name(fs->params.mode));
		break;
	case JRFS_CTL_STATUS:
		render_status(fs, s);
		break;
	case JRFS_CTL_STATUS_JSON:
		render_status_json(fs, s);
		break;
	case JRFS_CTL_RESULT:
		append_error(s, fs->last_err, fs->last_detail);
		g_string_append_c(s, '\n');
		break;
	case JRFS_CTL_LOG:
		g_string_append_len(s, fs->log->str, (gssize)fs->log->len);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&fs->lock);
	if (text) {
		g_string_append(s, text);
		g_free(text);
	}
	return s;
}

/* ---- writes ------------------------------------------------------------ */

static JET_ERR apply_value(jrfs *fs, int ctl, const char *text, size_t len,
			   jr_errinfo *ei)
{
	jrfs_params p;
	JET_ERR err = JET_errSuccess;
	char **names = NULL;

	jrfs_params_init(&p);
	pthread_mutex_lock(&fs->lock);
	jrfs_params_copy(&p, &fs->params);
	pthread_mutex_unlock(&fs->lock);
	switch (ctl) {
	case JRFS_CTL_RSTMAP: {
		char **src = g_new0(char *, fs->n_dbs + 1);

		for (unsigned i = 0; i < fs->n_dbs; i++)
			src[i] = fs->dbs[i].source;  /* immutable */
		names = g_new0(char *, fs->n_dbs + 1);
		err = jrfs_parse_rstmap(text, len, src, fs->n_dbs, names, ei);
		g_free(src);
		break;
	}
	case JRFS_CTL_LOGINFO:
		err = jrfs_parse_loginfo(text, len, &p, ei);
		break;
	case JRFS_CTL_TARGET: {
		char *logs = NULL, *chk = NULL;

		err = jrfs_parse_target(text, len, &logs, &chk, ei);
		if (!err) {
			g_free(p.target_logs);
			g_free(p.target_checkpoint);
			p.target_logs = logs;
			p.target_checkpoint = chk;
		}
		break;
	}
	case JRFS_CTL_MODE:
		err = jrfs_parse_mode(text, len, &p.mode, ei);
		break;
	default:
		break;
	}
	if (!err) {
		err = jrfs_reconfigure(fs, &p, names, ei);
		if (names) {
			g_free(names);  /* the strings were taken over */
			names = NULL;
		}
		/* A target directory that vanished or cannot be read is a bad
		 * parameter from the writer's point of view. */
		if (err) {
			jr_errinfo_prefix(ei, "%s", jrfs_ctl_name(ctl));
			ei->err = err = JET_errInvalidParameter;
		}
	}
	if (names)
		g_strfreev(names);
	jrfs_params_clear(&p);
	return err;
}

static JET_ERR apply_action(jrfs *fs, int ctl, const char *text, size_t len,
			    jr_errinfo *ei)
{
	char **words = NULL;
	JET_ERR err;

	err = jrfs_split_words(text, len, &words, ei);
	if (err)
		return err;
	pthread_mutex_lock(&fs->lock);
	/* All names must be right before anything starts or stops. */
	for (unsigned w = 0; words[w] && !err; w++)
		if (strcmp(words[w], "all") && !jrfs_find_db_locked(fs, words[w]))
			err = jr_fail(ei, JET_errInvalidParameter,
				      "%s: no database named '%.200s'",
				      jrfs_ctl_name(ctl), words[w]);
	for (unsigned w = 0; words[w] && !err; w++)
		for (unsigned i = 0; i < fs->n_dbs; i++) {
			jrfs_db *db = &fs->dbs[i];

			if (strcmp(words[w], "all") && strcmp(words[w], db->name))
				continue;
			if (ctl == JRFS_CTL_START)
				jrfs_start_locked(fs, db);
			else
				jrfs_cancel_locked(fs, db);
		}
	pthread_mutex_unlock(&fs->lock);
	g_strfreev(words);
	return err;
}

/* Apply text to ctl, record the outcome (unless quiet: a rollback); 0 or
 * -EINVAL. */
static int apply(jrfs *fs, int ctl, const char *text, size_t len, bool quiet)
{
	jr_errinfo ei;
	JET_ERR err;

	jr_errinfo_clear(&ei);
	pthread_mutex_lock(&fs->ctl_lock);
	if (ctl_table[ctl].kind == KIND_ACTION)
		err = apply_action(fs, ctl, text, len, &ei);
	else
		err = apply_value(fs, ctl, text, len, &ei);
	pthread_mutex_lock(&fs->lock);
	if (!quiet)
		jrfs_set_result_locked(fs, err, err ? ei.detail : "");
	if (err)
		jrfs_log_locked(fs, "%s: write refused: %d JET_err%s: %s",
				jrfs_ctl_name(ctl), err, jet_error_name(err), ei.detail);
	else
		jrfs_log_locked(fs, "%s: %s (%zu bytes)", jrfs_ctl_name(ctl),
				quiet ? "restored" : "written", len);
	pthread_mutex_unlock(&fs->lock);
	pthread_mutex_unlock(&fs->ctl_lock);
	return err ? -EINVAL : 0;
}

void jrfs_ctl_open_write(jrfs *fs, jrfs_handle *h, bool truncate)
{
	g_string_truncate(h->buf, 0);
	if (ctl_table[h->ctl].kind == KIND_VALUE) {
		h->orig = jrfs_ctl_render(fs, h->ctl);
		if (!truncate)
			g_string_assign(h->buf, h->orig->str);
	}
	h->truncated = truncate;
	h->written = false;
}

/* Apply the writer's whole text. A refused text undoes what earlier
 * writes of the same open file applied (the value goes back to what it
 * was at open) and refuses every later write: a write(2) that fails never
 * leaves half a value behind. */
static int apply_text(jrfs *fs, jrfs_handle *h)
{
	int rc;

	if (h->failed)
		return -EINVAL;
	rc = apply(fs, h->ctl, h->buf->str, h->buf->len, false);
	if (rc) {
		h->failed = true;
		if (h->applied)
			apply(fs, h->ctl, h->orig->str, h->orig->len, true);
		return rc;
	}
	h->applied = true;
	return 0;
}

int jrfs_ctl_write(jrfs *fs, jrfs_handle *h, const char *buf, size_t size,
		   off_t off)
{
	int rc;

	if (off < 0 || (uint64_t)off + size > JRFS_CONTROL_MAX) {
		pthread_mutex_lock(&fs->lock);
		jrfs_set_result_locked(fs, JET_errInvalidParameter,
				       "control value longer than 64 KiB");
		pthread_mutex_unlock(&fs->lock);
		return -EFBIG;
	}
	h->written = true;
	if (ctl_table[h->ctl].kind == KIND_ACTION)
		return apply(fs, h->ctl, buf, size, false) ? -EINVAL : (int)size;
	if (h->failed)
		return -EINVAL;
	/* The text of this open file is what the value becomes. */
	if ((size_t)off > h->buf->len) {
		size_t old = h->buf->len;

		/* A hole reads as NUL bytes, which no value accepts. */
		g_string_set_size(h->buf, (gsize)off);
		memset(h->buf->str + old, 0, (size_t)off - old);
	}
	if ((size_t)off + size > h->buf->len)
		g_string_set_size(h->buf, (gsize)off + size);
	memcpy(h->buf->str + off, buf, size);
	rc = apply_text(fs, h);
	return rc ? rc : (int)size;
}

int jrfs_ctl_truncate(jrfs *fs, int ctl, jrfs_handle *h, off_t size)
{
	GString *text;
	int rc;

	if (size < 0 || size > JRFS_CONTROL_MAX)
		return -EINVAL;
	if (ctl_table[ctl].kind != KIND_VALUE)
		return 0;  /* actions have no content to cut */
	if (h) {
		g_string_set_size(h->buf, (gsize)MIN((size_t)size, h->buf->len));
		h->truncated = true;
		if (!h->written && size == 0)
			return 0;  /* applied at close or by the first write */
		h->written = true;
		return apply_text(fs, h);
	}
	text = jrfs_ctl_render(fs, ctl);
	g_string_set_size(text, (gsize)MIN((size_t)size, text->len));
	rc = apply(fs, ctl, text->str, text->len, false);
	g_string_free(text, TRUE);
	return rc;
}

int jrfs_ctl_flush(jrfs *fs, jrfs_handle *h)
{
	/* Every value but mode accepts empty text: apply it now, so that a
	 * reader after `: > rstmap` sees it (release comes asynchronously).
	 * A write that follows (the shell closes a duplicate descriptor
	 * before it writes) replaces it. */
	if (ctl_table[h->ctl].kind != KIND_VALUE || !h->truncated ||
	    h->written || h->applied || h->ctl == JRFS_CTL_MODE)
		return 0;
	return apply_text(fs, h);
}

void jrfs_ctl_release(jrfs *fs, jrfs_handle *h)
{
	if (ctl_table[h->ctl].kind != KIND_VALUE || !h->truncated ||
	    h->written || h->applied)
		return;
	h->written = true;
	apply_text(fs, h);
}
