/*
 * cache.c - fingerprints, storage and eviction of recovered databases
 * (see cache.h for the layout and the rules).
 */
#include "config.h"

#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glib.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What identifies a backup file: its name, size, modification time and
 * content: whole when small, else its first and last 64 KiB (where ESE
 * keeps a file's header, and where a log's newest data is). Hashing whole
 * files made the first read of a large set take twice as long as its
 * recovery; a change that keeps size and time and touches only the middle
 * of a large file is the one case this does not see. */
#define WHOLE_FILE_MAX  (256u << 10) /* hash whole files up to this size */
#define SAMPLE_BYTES    (64u << 10)  /* else the first and last 64 KiB */
#define ORPHAN_INFO_AGE 60           /* seconds before a lone .info goes */

struct jrfs_cache {
	char *dir;
	uint64_t max_bytes;
	atomic_uint next_tmp;
};

static int64_t now_us(void)
{
	return g_get_real_time();
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void jrfs_cache_rmtemp(const char *dir)
{
	if (dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool has_suffix(const char *name, const char *suffix, size_t *stem)
{
	size_t n = strlen(name), s = strlen(suffix);

	if (n <= s || strcmp(name + n - s, suffix))
		return false;
	*stem = n - s;
	return true;
}

static char *entry_path(const jrfs_cache *c, const char *fp, const char *ext)
{
	return g_strdup_printf("%s/%s%s", c->dir, fp, ext);
}

/* Remove what a crashed or killed process left: its temporary
 * directories, results without their .info, and old lone .info files. */
static void cleanup_strays(jrfs_cache *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *path = g_build_filename(c->dir, de->d_name, NULL);
		struct stat st;
		int pid;
		unsigned n;
		size_t stem;

		if (sscanf(de->d_name, "tmp-%d-%u", &pid, &n) == 2) {
			if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
				jrfs_cache_rmtemp(path);
		} else if (has_suffix(de->d_name, ".edb", &stem)) {
			char *fp = g_strndup(de->d_name, stem);
			char *info = entry_path(c, fp, ".info");

			if (access(info, F_OK) != 0)
				unlink(path);
			g_free(info);
			g_free(fp);
		} else if (has_suffix(de->d_name, ".info", &stem)) {
			char *fp = g_strndup(de->d_name, stem);
			char *edb = entry_path(c, fp, ".edb");

			if (access(edb, F_OK) != 0 && stat(path, &st) == 0 &&
			    now - st.st_mtime > ORPHAN_INFO_AGE)
				unlink(path);
			g_free(edb);
			g_free(fp);
		}
		g_free(path);
	}
	closedir(d);
}

JET_ERR jrfs_cache_open(const char *dir, uint64_t max_bytes,
			jrfs_cache **out, jr_errinfo *ei)
{
	jrfs_cache *c;
	struct stat st;

	if (g_mkdir_with_parents(dir, 0700) != 0)
		return jr_fail(ei, JET_errInvalidPath,
			       "cache directory %s: %s", dir, g_strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return jr_fail(ei, JET_errInvalidPath,
			       "cache directory %s is not a directory", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return jr_fail(ei, JET_errFileAccessDenied,
			       "cache directory %s is not writable", dir);
	c = g_new0(jrfs_cache, 1);
	c->dir = g_strdup(dir);
	c->max_bytes = max_bytes;
	atomic_init(&c->next_tmp, 0);
	cleanup_strays(c);
	*out = c;
	return JET_errSuccess;
}

void jrfs_cache_close(jrfs_cache *c)
{
	if (!c)
		return;
	g_free(c->dir);
	g_free(c);
}

const char *jrfs_cache_dir(const jrfs_cache *c)
{
	return c->dir;
}

uint64_t jrfs_cache_max(const jrfs_cache *c)
{
	return c->max_bytes;
}

/* Feed fd's content (or its samples) into sum. */
static JET_ERR hash_content(GChecksum *sum, int fd, uint64_t size,
			    const char *name, jr_errinfo *ei)
{
	uint8_t *buf = g_malloc(1u << 16);
	uint64_t ranges[2][2];
	unsigned nr;
	JET_ERR err = JET_errSuccess;

	if (size <= WHOLE_FILE_MAX) {
		ranges[0][0] = 0;
		ranges[0][1] = size;
		nr = 1;
	} else {
		ranges[0][0] = 0;
		ranges[0][1] = SAMPLE_BYTES;
		ranges[1][0] = size - SAMPLE_BYTES;
		ranges[1][1] = size;
		nr = 2;
	}
	for (unsigned r = 0; r < nr && !err; r++)
		for (uint64_t off = ranges[r][0]; off < ranges[r][1];) {
			size_t want = (size_t)MIN((uint64_t)(1u << 16),
						  ranges[r][1] - off);
			ssize_t got = pread(fd, buf, want, (off_t)off);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				err = jr_fail(ei, JET_errDiskIO, "%s: read at %" PRIu64 ": %s",
					      name, off, got < 0 ? g_strerror(errno) :
					      "file shrank");
				break;
			}
			g_checksum_update(sum, buf, (gssize)got);
			off += (uint64_t)got;
		}
	g_free(buf);
	return err;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

JET_ERR jrfs_digest_dir(const char *dir, char out[JRFS_FP_HEX], jr_errinfo *ei)
{
	GChecksum *sum;
	GPtrArray *names;
	DIR *d;
	struct dirent *de;
	JET_ERR err = JET_errSuccess;

	d = opendir(dir);
	if (!d)
		return jr_fail(ei, errno == ENOENT ? JET_errFileNotFound :
			       JET_errInvalidPath, "%s: %s", dir, g_strerror(errno));
	names = g_ptr_array_new_with_free_func(g_free);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	g_ptr_array_sort(names, cmp_str);

	sum = g_checksum_new(G_CHECKSUM_SHA256);
	for (unsigned i = 0; i < names->len && !err; i++) {
		const char *name = names->pdata[i];
		char *path = g_build_filename(dir, name, NULL);
		GChecksum *file_sum;
		struct stat st;
		char *line;
		int fd;

		/* Only regular files (after symlinks) are part of a set. */
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			g_free(path);
			continue;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = jr_fail(ei, JET_errFileAccessDenied, "%s: %s", path,
				      g_strerror(errno));
			g_free(path);
			break;
		}
		file_sum = g_checksum_new(G_CHECKSUM_SHA256);
		err = hash_content(file_sum, fd, (uint64_t)st.st_size, path, ei);
		close(fd);
		line = g_strdup_printf("%s\t%" PRIu64 "\t%lld.%09ld\t%s\n", name,
				       (uint64_t)st.st_size,
				       (long long)st.st_mtim.tv_sec,
				       st.st_mtim.tv_nsec,
				       g_checksum_get_string(file_sum));
		g_checksum_update(sum, (const guchar *)line, -1);
		g_free(line);
		g_checksum_free(file_sum);
		g_free(path);
	}
	if (!err)
		g_strlcpy(out, g_checksum_get_string(sum), JRFS_FP_HEX);
	g_checksum_free(sum);
	g_ptr_array_free(names, TRUE);
	return err;
}

void jrfs_fingerprint(const char *set_digest, const char *source,
		      const char *name, const jrfs_params *p,
		      const char *target_digest, char out[JRFS_FP_HEX])
{
	GString *s = g_string_new(NULL);
	GChecksum *sum;

	/* Every line is one input; a new input means a new version line. */
	g_string_append_printf(s, "jetrestorefs cache 1\nengine %s\n",
			       PACKAGE_VERSION);
	g_string_append_printf(s, "set %s\nsource %s\nname %s\nmode %s\n",
			       set_digest, source, name, jrfs_mode_name(p->mode));
	if (p->have_loginfo)
		g_string_append_printf(s, "loginfo %u %u %s\n", p->gen_low,
				       p->gen_high, p->base);
	else
		g_string_append(s, "loginfo -\n");
	if (p->target_logs)
		g_string_append_printf(s, "target %s\t%s\t%s\n", p->target_logs,
				       p->target_checkpoint, target_digest);
	else
		g_string_append(s, "target -\n");
	sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)s->str, (gssize)s->len);
	g_strlcpy(out, g_checksum_get_string(sum), JRFS_FP_HEX);
	g_checksum_free(sum);
	g_string_free(s, TRUE);
}

static bool read_meta(const char *path, jrfs_cache_meta *meta)
{
	char *text = NULL, **lines;
	bool have_size = false;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return false;
	memset(meta, 0, sizeof(*meta));
	lines = g_strsplit(text, "\n", -1);
	for (unsigned i = 0; lines[i]; i++) {
		char *v = strchr(lines[i], ' ');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(lines[i], "size")) {
			meta->size = g_ascii_strtoull(v, NULL, 10);
			have_size = true;
		} else if (!strcmp(lines[i], "records")) {
			meta->records = g_ascii_strtoull(v, NULL, 10);
		} else if (!strcmp(lines[i], "seconds")) {
			meta->seconds = g_ascii_strtod(v, NULL);
		} else if (!strcmp(lines[i], "created_us")) {
			meta->created_us = g_ascii_strtoll(v, NULL, 10);
		}
	}
	g_strfreev(lines);
	g_free(text);
	return have_size;
}

bool jrfs_cache_lookup(jrfs_cache *c, const char *fp, char **path_out,
		       jrfs_cache_meta *meta)
{
	char *edb = entry_path(c, fp, ".edb");
	char *info = entry_path(c, fp, ".info");
	struct stat st;
	bool ok;

	/* The .info names the size the result had when stored: a file of
	 * another size is not ours (truncated by hand, say). */
	ok = read_meta(info, meta) && stat(edb, &st) == 0 &&
	     S_ISREG(st.st_mode) && (uint64_t)st.st_size == meta->size;
	g_free(info);
	if (!ok) {
		g_free(edb);
		return false;
	}
	*path_out = edb;
	return true;
}

JET_ERR jrfs_cache_mktemp(jrfs_cache *c, char **dir_out, jr_errinfo *ei)
{
	for (unsigned tries = 0; tries < 1000; tries++) {
		unsigned n = atomic_fetch_add(&c->next_tmp, 1);
		char *dir = g_strdup_printf("%s/tmp-%d-%u", c->dir, (int)getpid(), n);

		if (mkdir(dir, 0700) == 0) {
			*dir_out = dir;
			return JET_errSuccess;
		}
		if (errno != EEXIST) {
			JET_ERR err = jr_fail(ei, errno == ENOSPC ? JET_errDiskFull :
					      JET_errDiskIO, "%s: %s", dir,
					      g_strerror(errno));

			g_free(dir);
			return err;
		}
		g_free(dir);
	}
	return jr_fail(ei, JET_errDiskIO, "%s: no free temporary name", c->dir);
}

JET_ERR jrfs_cache_store(jrfs_cache *c, const char *fp, const char *file,
			 const jrfs_cache_meta *meta, const char *source,
			 const char *name, const char *backup_dir,
			 char **path_out, jr_errinfo *ei)
{
	char *tmp_info = g_strdup_printf("%s.info", file);
	char *edb = entry_path(c, fp, ".edb");
	char *info = entry_path(c, fp, ".info");
	char *text;
	GError *gerr = NULL;
	JET_ERR err = JET_errSuccess;

	text = g_strdup_printf("size %" PRIu64 "\nrecords %" PRIu64
			       "\nseconds %.3f\ncreated_us %" PRId64
			       "\nsource %s\nname %s\nbackup_dir %s\n",
			       meta->size, meta->records, meta->seconds,
			       meta->created_us ? meta->created_us : now_us(),
			       source, name, backup_dir);
	/* .info first: an .edb is only ever visible with its .info. */
	if (!g_file_set_contents(tmp_info, text, -1, &gerr)) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", tmp_info, gerr->message);
		g_error_free(gerr);
		goto out;
	}
	if (rename(tmp_info, info) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", info, g_strerror(errno));
		unlink(tmp_info);
		goto out;
	}
	if (rename(file, edb) != 0) {
		err = jr_fail(ei, JET_errDiskIO, "%s: %s", edb, g_strerror(errno));
		unlink(info);
		goto out;
	}
	*path_out = edb;
	edb = NULL;
out:
	g_free(text);
	g_free(info);
	g_free(edb);
	g_free(tmp_info);
	return err;
}

void jrfs_cache_touch(jrfs_cache *c, const char *fp)
{
	char *info = entry_path(c, fp, ".info");

	utimensat(AT_FDCWD, info, NULL, 0);
	g_free(info);
}

typedef struct {
	char *fp;
	uint64_t size;
	struct timespec used;
} cache_entry;

static gint cmp_used(gconstpointer a, gconstpointer b)
{
	const cache_entry *x = *(cache_entry *const *)a;
	const cache_entry *y = *(cache_entry *const *)b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return strcmp(x->fp, y->fp);
}

static void free_entry(gpointer p)
{
	cache_entry *e = p;

	g_free(e->fp);
	g_free(e);
}

char **jrfs_cache_evict(jrfs_cache *c, bool (*in_use)(const char *fp, void *ctx),
			void *ctx)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func(free_entry);
	GPtrArray *evicted = g_ptr_array_new();
	uint64_t total = 0;
	DIR *d;
	struct dirent *de;

	if (c->max_bytes == 0 || !(d = opendir(c->dir)))
		goto out;
	while ((de = readdir(d))) {
		struct stat st_edb, st_info;
		cache_entry *e;
		char *edb, *info;
		size_t stem;

		if (!has_suffix(de->d_name, ".edb", &stem))
			continue;
		e = g_new0(cache_entry, 1);
		e->fp = g_strndup(de->d_name, stem);
		edb = entry_path(c, e->fp, ".edb");
		info = entry_path(c, e->fp, ".info");
		if (stat(edb, &st_edb) == 0 && stat(info, &st_info) == 0) {
			e->size = (uint64_t)st_edb.st_size;
			e->used = st_info.st_mtim;
			total += e->size;
			g_ptr_array_add(entries, e);
		} else {
			free_entry(e);
		}
		g_free(edb);
		g_free(info);
	}
	closedir(d);
	g_ptr_array_sort(entries, cmp_used);
	/* The most recently used result stays, even when it alone is larger
	 * than the maximum: it was stored to be read. */
	for (unsigned i = 0; i + 1 < entries->len && total > c->max_bytes; i++) {
		cache_entry *e = entries->pdata[i];
		char *edb, *info;

		if (in_use && in_use(e->fp, ctx))
			continue;
		edb = entry_path(c, e->fp, ".edb");
		info = entry_path(c, e->fp, ".info");
		if (unlink(edb) == 0 || errno == ENOENT) {
			unlink(info);
			total -= e->size;
			g_ptr_array_add(evicted, g_strdup(e->fp));
		}
		g_free(edb);
		g_free(info);
	}
out:
	g_ptr_array_free(entries, TRUE);
	g_ptr_array_add(evicted, NULL);
	return (char **)g_ptr_array_free(evicted, FALSE);
}
