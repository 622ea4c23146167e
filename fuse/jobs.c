/*
 * jobs.c - recovery threads, readers waiting for them, cancellation and
 * parameter changes (see jobs.h).
 */
#define FUSE_USE_VERSION 312

#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <fuse_lowlevel.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a waiting reader looks whether it was interrupted or the
 * mount is going away: the loop cannot end while a worker waits. */
#define WAIT_SLICE_MS 100

/* Why a run was cancelled (set under the lock before the flag). */
enum { CANCEL_NONE, CANCEL_USER, CANCEL_SUPERSEDED, CANCEL_SHUTDOWN };

struct jrfs_run {
	jrfs *fs;
	jrfs_db *db;
	char fp[JRFS_FP_HEX];
	char *source, *name;          /* copies: the db's may change */
	jrfs_params params;
	atomic_bool cancel;
	int cancel_reason;            /* [L] */
	pthread_t thread;
	bool finished;                /* [L] the thread is about to return */
	bool delayed;                 /* the test delay was applied */
	unsigned logged_percent;      /* [L] what the log last said */
	char logged_phase[16];        /* [L] */
};

jrfs_handle *jrfs_handle_new(jrfs *fs, jrfs_hkind kind)
{
	jrfs_handle *h = g_new0(jrfs_handle, 1);

	h->kind = kind;
	atomic_init(&h->fd, -1);
	pthread_mutex_lock(&fs->lock);
	g_ptr_array_add(fs->handles, h);
	pthread_mutex_unlock(&fs->lock);
	return h;
}

void jrfs_handle_free(jrfs *fs, jrfs_handle *h)
{
	int fd = atomic_load(&h->fd);

	pthread_mutex_lock(&fs->lock);
	g_ptr_array_remove_fast(fs->handles, h);
	pthread_mutex_unlock(&fs->lock);
	if (fd >= 0)
		close(fd);
	if (h->buf)
		g_string_free(h->buf, TRUE);
	if (h->orig)
		g_string_free(h->orig, TRUE);
	g_free(h);
}

static void free_run(jrfs_run *run)
{
	g_free(run->source);
	g_free(run->name);
	jrfs_params_clear(&run->params);
	g_free(run);
}

/* Join and free runs whose threads are done. [L] Never blocks for long: a
 * finished thread holds no lock and returns right away. */
static void reap_locked(jrfs *fs)
{
	for (unsigned i = 0; i < fs->runs->len;) {
		jrfs_run *run = fs->runs->pdata[i];

		if (!run->finished) {
			i++;
			continue;
		}
		pthread_join(run->thread, NULL);
		g_ptr_array_remove_index_fast(fs->runs, i);
		free_run(run);
	}
}

/* ---- the recovery thread ------------------------------------------- */

/* Tests set JETRESTOREFS_TEST_DELAY_MS to make a recovery last long enough
 * to unmount or cancel it in the middle: the first progress report then
 * waits that long (still answering cancellation every 10 ms). */
static void test_delay(jrfs_run *run)
{
	unsigned waited = 0;

	if (run->delayed || run->fs->test_delay_ms == 0)
		return;
	run->delayed = true;
	while (waited < run->fs->test_delay_ms && !atomic_load(&run->cancel)) {
		g_usleep(10000);
		waited += 10;
	}
}

static bool on_progress(const jr_job_progress *p, void *ctx)
{
	jrfs_run *run = ctx;
	jrfs *fs = run->fs;
	jrfs_db *db = run->db;
	const char *phase = p->phase ? p->phase : "";

	pthread_mutex_lock(&fs->lock);
	if (db->run == run) {
		if (p->percent > db->percent)
			db->percent = MIN(p->percent, 100u);
		if (p->gen)  /* the last generation replayed stays shown */
			db->gen = p->gen;
		if (p->records > db->records)
			db->records = p->records;
		g_strlcpy(db->phase, phase, sizeof(db->phase));
		pthread_cond_broadcast(&fs->cond);
	}
	/* One log line per percent or phase change, not per record. */
	if (p->percent != run->logged_percent ||
	    strcmp(phase, run->logged_phase)) {
		run->logged_percent = p->percent;
		g_strlcpy(run->logged_phase, phase, sizeof(run->logged_phase));
		jrfs_log_locked(fs, "%s: %s %u%% gen 0x%" PRIx32 " records %" PRIu64,
				run->name, phase, p->percent, p->gen, p->records);
	}
	pthread_mutex_unlock(&fs->lock);
	test_delay(run);
	return !atomic_load(&run->cancel);
}

/* Run the job; on success move its output into the cache. */
static JET_ERR recover_into_cache(jrfs_run *run, char **path_out,
				  jrfs_cache_meta *meta, jr_errinfo *ei)
{
	jrfs *fs = run->fs;
	jr_job_map map = { .old_name = run->source, .new_name = run->name };
	jr_job_params jp;
	char *tmpdir = NULL, *out = NULL;
	int64_t t0 = jrfs_now_us();
	struct stat st;
	JET_ERR err;

	err = jrfs_cache_mktemp(fs->cache, &tmpdir, ei);
	if (err)
		return err;
	memset(&jp, 0, sizeof(jp));
	jp.backup_dir = fs->backup_dir;
	jp.out_dir = tmpdir;
	jp.mode = run->params.mode;
	jp.map = &map;
	jp.n_map = 1;
	if (run->params.have_loginfo) {
		jp.gen_low = run->params.gen_low;
		jp.gen_high = run->params.gen_high;
		memcpy(jp.base_name, run->params.base, sizeof(jp.base_name));
	}
	jp.target_log_dir = run->params.target_logs;
	jp.target_checkpoint_dir = run->params.target_checkpoint;
	jp.progress = on_progress;
	jp.progress_ctx = run;
	jp.cancel = &run->cancel;

	err = jr_job_run(&jp, ei);
	if (err)
		goto out_tmp;
	/* The job may have ignored a late cancel and finished: its output is
	 * complete, so it is kept (under the fingerprint it was made for). */
	out = g_build_filename(tmpdir, run->name, NULL);
	if (stat(out, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = jr_fail(ei, JET_errFileNotFound,
			      "the recovery reported success but wrote no %s",
			      run->name);
		goto out_tmp;
	}
	pthread_mutex_lock(&fs->lock);
	meta->records = run->db->run == run ? run->db->records : 0;
	pthread_mutex_unlock(&fs->lock);
	meta->size = (uint64_t)st.st_size;
	meta->seconds = (double)(jrfs_now_us() - t0) / 1e6;
	meta->created_us = jrfs_now_us();
	err = jrfs_cache_store(fs->cache, run->fp, out, meta, run->source,
			       run->name, fs->backup_dir, path_out, ei);
out_tmp:
	jrfs_cache_rmtemp(tmpdir);
	g_free(out);
	g_free(tmpdir);
	return err;
}

static void *run_main(void *arg)
{
	jrfs_run *run = arg;
	jrfs *fs = run->fs;
	jrfs_db *db = run->db;
	jrfs_cache_meta meta = { 0 };
	jr_errinfo ei;
	char *path = NULL;
	JET_ERR err;

	jr_errinfo_clear(&ei);
	err = recover_into_cache(run, &path, &meta, &ei);

	pthread_mutex_lock(&fs->lock);
	if (err == JR_ERR_CANCELLED && run->cancel_reason == CANCEL_SHUTDOWN)
		jrfs_log_locked(fs, "%s: recovery stopped: unmounting", run->name);
	if (db->run == run) {
		db->run = NULL;
		db->ended_us = jrfs_now_us();
		db->err = err;
		g_strlcpy(db->detail, err ? ei.detail : "", sizeof(db->detail));
		if (!err) {
			db->state = JRFS_DONE;
			db->percent = 100;
			g_strlcpy(db->phase, "done", sizeof(db->phase));
			g_free(db->result_path);
			db->result_path = path;
			path = NULL;
			db->result_size = meta.size;
			db->result_id = ++fs->next_result_id;
			jrfs_log_locked(fs, "%s: recovered, %" PRIu64 " bytes in %.3f s",
					run->name, meta.size, meta.seconds);
		} else {
			db->state = JRFS_FAILED;
			jrfs_log_locked(fs, "%s: failed: %d JET_err%s: %s%s%s",
					run->name, err, jet_error_name(err),
					jet_error_message(err), ei.detail[0] ? ": " : "",
					ei.detail);
		}
		if (run->cancel_reason != CANCEL_SHUTDOWN)
			jrfs_set_result_locked(fs, err, err ? ei.detail : "");
	} else if (!err && !strcmp(db->fp, run->fp) && db->state == JRFS_IDLE) {
		/* Superseded, then the parameters came back: the result fits. */
		db->state = JRFS_DONE;
		db->from_cache = true;
		g_free(db->result_path);
		db->result_path = path;
		path = NULL;
		db->result_size = meta.size;
		db->result_id = ++fs->next_result_id;
	} else {
		jrfs_log_locked(fs, "%s: superseded recovery ended: %d JET_err%s",
				run->name, err, jet_error_name(err));
	}
	pthread_cond_broadcast(&fs->cond);
	if (!err && !fs->shutting_down)
		jrfs_evict_locked(fs);
	run->finished = true;
	pthread_cond_broadcast(&fs->cond);
	pthread_mutex_unlock(&fs->lock);
	g_free(path);
	return NULL;
}

void jrfs_start_locked(jrfs *fs, jrfs_db *db)
{
	jrfs_run *run;
	int rc;

	if (fs->shutting_down || db->state == JRFS_RUNNING ||
	    db->state == JRFS_DONE)
		return;
	reap_locked(fs);
	run = g_new0(jrfs_run, 1);
	run->fs = fs;
	run->db = db;
	g_strlcpy(run->fp, db->fp, sizeof(run->fp));
	run->source = g_strdup(db->source);
	run->name = g_strdup(db->name);
	jrfs_params_init(&run->params);
	jrfs_params_copy(&run->params, &fs->params);
	atomic_init(&run->cancel, false);
	run->logged_percent = UINT32_MAX;

	db->run = run;
	db->state = JRFS_RUNNING;
	db->percent = 0;
	db->gen = 0;
	db->records = 0;
	g_strlcpy(db->phase, "start", sizeof(db->phase));
	db->started_us = jrfs_now_us();
	db->ended_us = 0;
	db->err = 0;
	db->detail[0] = '\0';
	db->from_cache = false;
	db->recoveries++;
	jrfs_log_locked(fs, "%s: recovery started (mode %s, source %s)",
			db->name, jrfs_mode_name(fs->params.mode), db->source);

	rc = pthread_create(&run->thread, NULL, run_main, run);
	if (rc != 0) {
		db->run = NULL;
		db->state = JRFS_FAILED;
		db->err = JET_errOutOfMemory;
		g_snprintf(db->detail, sizeof(db->detail),
			   "cannot start a recovery thread: %s", g_strerror(rc));
		jrfs_set_result_locked(fs, db->err, db->detail);
		free_run(run);
		return;
	}
	g_ptr_array_add(fs->runs, run);
	pthread_cond_broadcast(&fs->cond);
}

static void cancel_run_locked(jrfs *fs, jrfs_run *run, int reason)
{
	if (run->cancel_reason == CANCEL_NONE)
		run->cancel_reason = reason;
	atomic_store(&run->cancel, true);
	(void)fs;
}

bool jrfs_cancel_locked(jrfs *fs, jrfs_db *db)
{
	if (db->state != JRFS_RUNNING || !db->run)
		return false;
	cancel_run_locked(fs, db->run, CANCEL_USER);
	jrfs_log_locked(fs, "%s: cancel requested", db->name);
	return true;
}

bool jrfs_db_opened_locked(jrfs *fs, jrfs_db *db, jrfs_handle *h)
{
	bool keep = db->kernel_result_id == db->result_id;

	(void)fs;
	/* Pages of an older result may be read into the kernel's cache by a
	 * handle still open on it: then the cache cannot be trusted. */
	for (unsigned i = 0; i < db->handles->len; i++) {
		jrfs_handle *o = db->handles->pdata[i];

		if (!o->direct && o->result_id != db->result_id)
			keep = false;
	}
	g_ptr_array_add(db->handles, h);
	if (!h->direct)
		db->kernel_result_id = db->result_id;
	return keep;
}

void jrfs_db_released_locked(jrfs *fs, jrfs_db *db, jrfs_handle *h)
{
	g_ptr_array_remove_fast(db->handles, h);
	if (db->handles->len == 0)
		jrfs_evict_locked(fs);
}

static bool mount_going_away_locked(jrfs *fs)
{
	return fs->shutting_down ||
	       (fs->session && fuse_session_exited(fs->session));
}

int jrfs_db_acquire(jrfs *fs, jrfs_handle *h)
{
	jrfs_db *db = h->db;
	int fd = atomic_load(&h->fd);

	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&fs->lock);
	for (;;) {
		struct timespec until;

		fd = atomic_load(&h->fd);
		if (fd >= 0)
			break;
		if (mount_going_away_locked(fs)) {
			fd = -EIO;
			break;
		}
		if (fs->session && fuse_interrupted()) {
			fd = -EINTR;
			break;
		}
		switch (db->state) {
		case JRFS_DONE:
			fd = open(db->result_path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 && errno == ENOENT) {
				/* Evicted by another mount sharing the cache. */
				jrfs_log_locked(fs, "%s: cached result vanished",
						db->name);
				db->state = JRFS_IDLE;
				continue;
			}
			if (fd < 0) {
				fd = -errno;
				goto out;
			}
			h->result_id = db->result_id;
			h->size = db->result_size;
			atomic_store(&h->fd, fd);
			jrfs_cache_touch(fs->cache, db->fp);
			goto out;
		case JRFS_FAILED:
			fd = -EIO;
			goto out;
		case JRFS_IDLE:
			jrfs_start_locked(fs, db);
			continue;
		case JRFS_RUNNING:
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += WAIT_SLICE_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&fs->cond, &fs->lock, &until);
			continue;
		}
	}
out:
	pthread_mutex_unlock(&fs->lock);
	return fd;
}

/* Fingerprint of the target directories' content ("" without them). */
static JET_ERR target_digest(const jrfs_params *p, char out[JRFS_FP_HEX],
			     jr_errinfo *ei)
{
	char a[JRFS_FP_HEX], b[JRFS_FP_HEX];
	GChecksum *sum;
	JET_ERR err;

	out[0] = '\0';
	if (!p->target_logs)
		return JET_errSuccess;
	err = jrfs_digest_dir(p->target_logs, a, ei);
	if (!err)
		err = jrfs_digest_dir(p->target_checkpoint, b, ei);
	if (err)
		return err;
	sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)a, -1);
	g_checksum_update(sum, (const guchar *)b, -1);
	g_strlcpy(out, g_checksum_get_string(sum), JRFS_FP_HEX);
	g_checksum_free(sum);
	return JET_errSuccess;
}

static bool result_in_use(const char *fp, void *ctx)
{
	jrfs *fs = ctx;

	for (unsigned i = 0; i < fs->n_dbs; i++) {
		jrfs_db *db = &fs->dbs[i];

		if (db->state == JRFS_DONE && !strcmp(db->fp, fp) &&
		    db->handles->len > 0)
			return true;
	}
	return false;
}

void jrfs_evict_locked(jrfs *fs)
{
	char **gone;

	if (jrfs_cache_max(fs->cache) == 0)
		return;
	gone = jrfs_cache_evict(fs->cache, result_in_use, fs);
	for (unsigned g = 0; gone[g]; g++) {
		for (unsigned i = 0; i < fs->n_dbs; i++) {
			jrfs_db *db = &fs->dbs[i];

			if (db->state == JRFS_DONE && !strcmp(db->fp, gone[g])) {
				db->state = JRFS_IDLE;
				db->from_cache = false;
				g_free(db->result_path);
				db->result_path = NULL;
				jrfs_log_locked(fs, "%s: evicted from the cache (cache_max)",
						db->name);
			}
		}
		jrfs_log_locked(fs, "cache: evicted %.16s", gone[g]);
	}
	g_strfreev(gone);
}

/* Point db at the result for fingerprint fp (cache hit) or leave it idle.
 * [L] */
static void adopt_fingerprint_locked(jrfs *fs, jrfs_db *db, const char *fp)
{
	jrfs_cache_meta meta;
	char *path = NULL;

	g_strlcpy(db->fp, fp, sizeof(db->fp));
	g_free(db->result_path);
	db->result_path = NULL;
	db->percent = 0;
	db->gen = 0;
	db->records = 0;
	db->phase[0] = '\0';
	db->err = 0;
	db->detail[0] = '\0';
	db->started_us = db->ended_us = 0;
	db->from_cache = false;
	db->state = JRFS_IDLE;
	if (jrfs_cache_lookup(fs->cache, fp, &path, &meta)) {
		db->state = JRFS_DONE;
		db->from_cache = true;
		db->result_path = path;
		db->result_size = meta.size;
		db->result_id = ++fs->next_result_id;
		db->records = meta.records;
		db->percent = 100;
		g_strlcpy(db->phase, "done", sizeof(db->phase));
	}
}

JET_ERR jrfs_reconfigure(jrfs *fs, const jrfs_params *p, char **names,
			 jr_errinfo *ei)
{
	char tdig[JRFS_FP_HEX];
	char (*fps)[JRFS_FP_HEX];
	JET_ERR err;

	err = target_digest(p, tdig, ei);
	if (err) {
		if (names)
			for (unsigned i = 0; i < fs->n_dbs; i++)
				g_free(names[i]);
		return err;
	}
	fps = g_malloc0_n(fs->n_dbs ? fs->n_dbs : 1, JRFS_FP_HEX);

	pthread_mutex_lock(&fs->lock);
	for (unsigned i = 0; i < fs->n_dbs; i++)
		jrfs_fingerprint(fs->set_digest, fs->dbs[i].source,
				 names ? names[i] : fs->dbs[i].name, p, tdig,
				 fps[i]);
	for (unsigned i = 0; i < fs->n_dbs; i++) {
		jrfs_db *db = &fs->dbs[i];
		bool first = db->fp[0] == '\0';  /* the mount is being made */

		if (names && !first && strcmp(db->name, names[i]))
			jrfs_log_locked(fs, "%s: now named %s", db->name, names[i]);
		if (names) {
			g_free(db->name);
			db->name = names[i];
		}
		if (!strcmp(db->fp, fps[i]))
			continue;
		if (db->run) {
			cancel_run_locked(fs, db->run, CANCEL_SUPERSEDED);
			db->run = NULL;
			jrfs_log_locked(fs, "%s: running recovery cancelled: parameters changed",
					db->name);
		}
		adopt_fingerprint_locked(fs, db, fps[i]);
		jrfs_log_locked(fs, "%s: %s: %s", db->name,
				first ? "at mount" : "parameters changed",
				db->state == JRFS_DONE ? "result found in the cache"
						       : "needs recovery");
	}
	jrfs_params_copy(&fs->params, p);
	g_strlcpy(fs->target_digest, tdig, sizeof(fs->target_digest));
	pthread_cond_broadcast(&fs->cond);
	pthread_mutex_unlock(&fs->lock);
	g_free(fps);
	return JET_errSuccess;
}

void jrfs_stop_all(jrfs *fs)
{
	pthread_mutex_lock(&fs->lock);
	fs->shutting_down = true;
	for (unsigned i = 0; i < fs->runs->len; i++)
		cancel_run_locked(fs, fs->runs->pdata[i], CANCEL_SHUTDOWN);
	pthread_cond_broadcast(&fs->cond);
	/* Wait for each thread to finish; join outside the lock is not
	 * needed: a finished thread no longer takes it. */
	while (fs->runs->len) {
		reap_locked(fs);
		if (fs->runs->len)
			pthread_cond_wait(&fs->cond, &fs->lock);
	}
	pthread_mutex_unlock(&fs->lock);
}
