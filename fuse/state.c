/*
 * state.c - creating and freeing a mount's state: the databases and raw
 * files of the backup set (classified by content, nothing recovered), the
 * initial parameters, and results already in the cache.
 */
#include "jrfs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "jobs.h"
#include "restore/scan.h"

/* The log file keeps its newest lines within this many bytes. */
#define LOG_MAX (1u << 20)

const char *jrfs_state_name(jrfs_state s)
{
	switch (s) {
	case JRFS_RUNNING:
		return "running";
	case JRFS_DONE:
		return "done";
	case JRFS_FAILED:
		return "failed";
	case JRFS_IDLE:
	default:
		return "idle";
	}
}

int64_t jrfs_now_us(void)
{
	return g_get_real_time();
}

void jrfs_log_locked(jrfs *fs, const char *fmt, ...)
{
	GDateTime *now = g_date_time_new_now_utc();
	char *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");
	va_list ap;

	/* %f gives microseconds: keep milliseconds. */
	if (strlen(stamp) == 27)
		memmove(stamp + 23, stamp + 26, 2);
	g_string_append(fs->log, stamp);
	g_string_append_c(fs->log, ' ');
	va_start(ap, fmt);
	g_string_append_vprintf(fs->log, fmt, ap);
	va_end(ap);
	g_string_append_c(fs->log, '\n');
	if (fs->log->len > LOG_MAX) {
		const char *cut = strchr(fs->log->str + fs->log->len - LOG_MAX / 2, '\n');
		size_t drop = cut ? (size_t)(cut + 1 - fs->log->str) : fs->log->len;

		g_string_erase(fs->log, 0, (gssize)drop);
	}
	g_free(stamp);
	g_date_time_unref(now);
}

void jrfs_set_result_locked(jrfs *fs, JET_ERR err, const char *detail)
{
	fs->last_err = err;
	g_strlcpy(fs->last_detail, detail ? detail : "", sizeof(fs->last_detail));
}

jrfs_db *jrfs_find_db_locked(jrfs *fs, const char *name)
{
	for (unsigned i = 0; i < fs->n_dbs; i++)
		if (!strcmp(fs->dbs[i].name, name))
			return &fs->dbs[i];
	return NULL;
}

/* Is path inside dir (or dir itself)? Both absolute and normalised. */
static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static JET_ERR load_set(jrfs *fs, jr_errinfo *ei)
{
	jr_scan *scan = NULL;
	unsigned n_db = 0;
	JET_ERR err;

	err = jr_scan_dir(fs->backup_dir, &scan, ei);
	if (err) {
		jr_errinfo_prefix(ei, "backup directory %s", fs->backup_dir);
		return err;
	}
	for (unsigned i = 0; i < scan->n; i++)
		if (scan->entries[i]->filetype == JET_filetypeDatabase)
			n_db++;
	fs->dbs = g_new0(jrfs_db, n_db ? n_db : 1);
	fs->raws = g_new0(jrfs_raw, scan->n ? scan->n : 1);
	for (unsigned i = 0; i < scan->n; i++) {
		const jr_scan_entry *e = scan->entries[i];
		struct stat st;

		if (stat(e->path, &st) != 0) {
			err = jr_fail(ei, JET_errFileNotFound, "%s: %s", e->path,
				      g_strerror(errno));
			break;
		}
		fs->raws[fs->n_raws].name = g_strdup(e->name);
		fs->raws[fs->n_raws].size = (uint64_t)st.st_size;
		fs->raws[fs->n_raws].mtime = st.st_mtim;
		fs->n_raws++;
		if (e->filetype == JET_filetypeDatabase) {
			jrfs_db *db = &fs->dbs[fs->n_dbs++];

			db->source = g_strdup(e->name);
			db->name = g_strdup(e->name);
			db->source_size = (uint64_t)st.st_size;
			db->source_mtime = st.st_mtim;
			db->handles = g_ptr_array_new();
		}
	}
	jr_scan_free(scan);
	return err;
}

JET_ERR jrfs_new(const jrfs_config *cfg, jrfs **out, jr_errinfo *ei)
{
	jrfs *fs = g_new0(jrfs, 1);
	jrfs_params p;
	char **names = NULL;
	JET_ERR err;

	pthread_mutex_init(&fs->ctl_lock, NULL);
	pthread_mutex_init(&fs->lock, NULL);
	pthread_cond_init(&fs->cond, NULL);
	fs->backup_dir = g_strdup(cfg->backup_dir);
	fs->test_delay_ms = cfg->test_delay_ms;
	fs->runs = g_ptr_array_new();
	fs->handles = g_ptr_array_new();
	fs->log = g_string_new(NULL);
	fs->mounted_us = jrfs_now_us();
	jrfs_params_init(&fs->params);
	jrfs_params_init(&p);
	if (cfg->params)
		jrfs_params_copy(&p, cfg->params);

	/* The evidence is never written: refuse a cache inside it. */
	if (path_within(cfg->cache_dir, cfg->backup_dir)) {
		err = jr_fail(ei, JET_errInvalidParameter,
			      "the cache directory %s is inside the backup directory %s",
			      cfg->cache_dir, cfg->backup_dir);
		goto fail;
	}
	err = load_set(fs, ei);
	if (err)
		goto fail;
	err = jrfs_digest_dir(fs->backup_dir, fs->set_digest, ei);
	if (err)
		goto fail;
	err = jrfs_cache_open(cfg->cache_dir, cfg->cache_max, &fs->cache, ei);
	if (err)
		goto fail;
	names = g_new0(char *, fs->n_dbs + 1);
	if (cfg->map_text) {
		char **sources = g_new0(char *, fs->n_dbs + 1);

		for (unsigned i = 0; i < fs->n_dbs; i++)
			sources[i] = fs->dbs[i].source;
		err = jrfs_parse_rstmap(cfg->map_text, cfg->map_len, sources,
					fs->n_dbs, names, ei);
		g_free(sources);
		if (err)
			goto fail;
	} else {
		for (unsigned i = 0; i < fs->n_dbs; i++)
			names[i] = g_strdup(fs->dbs[i].source);
	}
	/* Every database starts without a fingerprint, so this finds the
	 * results already in the cache. */
	err = jrfs_reconfigure(fs, &p, names, ei);
	g_free(names);
	names = NULL;
	if (err)
		goto fail;
	pthread_mutex_lock(&fs->lock);
	jrfs_log_locked(fs, "mounted %s: %u database%s, cache %s", fs->backup_dir,
			fs->n_dbs, fs->n_dbs == 1 ? "" : "s",
			jrfs_cache_dir(fs->cache));
	jrfs_evict_locked(fs);
	pthread_mutex_unlock(&fs->lock);
	jrfs_params_clear(&p);
	*out = fs;
	return JET_errSuccess;
fail:
	if (names)
		g_strfreev(names);
	jrfs_params_clear(&p);
	jrfs_free(fs);
	return err;
}

void jrfs_free(jrfs *fs)
{
	if (!fs)
		return;
	jrfs_stop_all(fs);
	/* Files still open when the mount went away were never released. */
	while (fs->handles->len)
		jrfs_handle_free(fs, fs->handles->pdata[fs->handles->len - 1]);
	g_ptr_array_free(fs->handles, TRUE);
	for (unsigned i = 0; i < fs->n_dbs; i++) {
		jrfs_db *db = &fs->dbs[i];

		g_free(db->source);
		g_free(db->name);
		g_free(db->result_path);
		if (db->handles)
			g_ptr_array_free(db->handles, TRUE);
	}
	g_free(fs->dbs);
	for (unsigned i = 0; i < fs->n_raws; i++)
		g_free(fs->raws[i].name);
	g_free(fs->raws);
	jrfs_cache_close(fs->cache);
	jrfs_params_clear(&fs->params);
	g_ptr_array_free(fs->runs, TRUE);
	g_string_free(fs->log, TRUE);
	g_free(fs->backup_dir);
	pthread_cond_destroy(&fs->cond);
	pthread_mutex_destroy(&fs->lock);
	pthread_mutex_destroy(&fs->ctl_lock);
	g_free(fs);
}
