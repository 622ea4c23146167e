/*
 * fsops.c - FUSE operations: the tree, stat, open/read/release of
 * databases (waiting for their recovery), raw files and control files.
 * See fsops.h for the choices about sizes and caching.
 */
#include "fsops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "control.h"
#include "jobs.h"
#include "jrfs.h"

#define RAW_DIR  "raw"
#define CTL_DIR  ".restore"

typedef enum {
	N_NONE, N_ROOT, N_RAWDIR, N_CTLDIR, N_DB, N_RAW, N_CTL
} node_kind;

typedef struct {
	node_kind kind;
	unsigned idx;        /* N_RAW: raw index; N_CTL: control file */
	jrfs_db *db;         /* N_DB */
} node;

static jrfs *this_fs(void)
{
	return fuse_get_context()->private_data;
}

/* What path names. Database names change with the restore map, so they
 * are looked up under the lock; the jrfs_db itself never moves. */
static node resolve(jrfs *fs, const char *path)
{
	node n = { N_NONE, 0, NULL };
	const char *rest;

	if (!strcmp(path, "/")) {
		n.kind = N_ROOT;
		return n;
	}
	path++;
	if (!strcmp(path, RAW_DIR)) {
		n.kind = N_RAWDIR;
		return n;
	}
	if (!strcmp(path, CTL_DIR)) {
		n.kind = N_CTLDIR;
		return n;
	}
	if (!strncmp(path, RAW_DIR "/", sizeof(RAW_DIR))) {
		rest = path + sizeof(RAW_DIR);
		for (unsigned i = 0; i < fs->n_raws; i++)
			if (!strcmp(fs->raws[i].name, rest)) {
				n.kind = N_RAW;
				n.idx = i;
			}
		return n;
	}
	if (!strncmp(path, CTL_DIR "/", sizeof(CTL_DIR))) {
		int c = jrfs_ctl_lookup(path + sizeof(CTL_DIR));

		if (c >= 0) {
			n.kind = N_CTL;
			n.idx = (unsigned)c;
		}
		return n;
	}
	if (strchr(path, '/'))
		return n;
	pthread_mutex_lock(&fs->lock);
	n.db = jrfs_find_db_locked(fs, path);
	pthread_mutex_unlock(&fs->lock);
	if (n.db)
		n.kind = N_DB;
	return n;
}

static void fill_file(struct stat *st, mode_t mode, uint64_t size,
		      const struct timespec *mtime)
{
	st->st_mode = S_IFREG | mode;
	st->st_nlink = 1;
	st->st_size = (off_t)size;
	st->st_blksize = 4096;
	/* Claim every block: tools must not take the file for sparse. */
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_mtim = *mtime;
	st->st_ctim = *mtime;
	st->st_atim = *mtime;
}

static int op_getattr(const char *path, struct stat *st,
		      struct fuse_file_info *fi)
{
	jrfs *fs = this_fs();
	node n = resolve(fs, path);
	struct timespec mounted = {
		.tv_sec = fs->mounted_us / 1000000,
		.tv_nsec = fs->mounted_us % 1000000 * 1000,
	};

	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	switch (n.kind) {
	case N_ROOT:
	case N_RAWDIR:
	case N_CTLDIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		st->st_mtim = st->st_ctim = st->st_atim = mounted;
		return 0;
	case N_DB: {
		uint64_t size;

		pthread_mutex_lock(&fs->lock);
		size = n.db->state == JRFS_DONE ? n.db->result_size
						: n.db->source_size;
		pthread_mutex_unlock(&fs->lock);
		fill_file(st, 0444, size, &n.db->source_mtime);
		return 0;
	}
	case N_RAW:
		fill_file(st, 0444, fs->raws[n.idx].size, &fs->raws[n.idx].mtime);
		return 0;
	case N_CTL: {
		uint64_t size = 0;

		if (jrfs_ctl_readable((int)n.idx)) {
			GString *s = jrfs_ctl_render(fs, (int)n.idx);

			size = s->len;
			g_string_free(s, TRUE);
		}
		fill_file(st, jrfs_ctl_mode((int)n.idx), size, &mounted);
		return 0;
	}
	case N_NONE:
	default:
		return -ENOENT;
	}
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		      off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	jrfs *fs = this_fs();
	node n = resolve(fs, path);

	(void)off;
	(void)fi;
	(void)flags;
	if (n.kind != N_ROOT && n.kind != N_RAWDIR && n.kind != N_CTLDIR)
		return n.kind == N_NONE ? -ENOENT : -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (n.kind == N_ROOT) {
		pthread_mutex_lock(&fs->lock);
		for (unsigned i = 0; i < fs->n_dbs; i++)
			fill(buf, fs->dbs[i].name, NULL, 0, 0);
		pthread_mutex_unlock(&fs->lock);
		fill(buf, RAW_DIR, NULL, 0, 0);
		fill(buf, CTL_DIR, NULL, 0, 0);
	} else if (n.kind == N_RAWDIR) {
		for (unsigned i = 0; i < fs->n_raws; i++)
			fill(buf, fs->raws[i].name, NULL, 0, 0);
	} else {
		for (int c = 0; c < JRFS_CTL_COUNT; c++)
			fill(buf, jrfs_ctl_name(c), NULL, 0, 0);
	}
	return 0;
}

static int open_db(jrfs *fs, jrfs_db *db, struct fuse_file_info *fi)
{
	jrfs_handle *h = jrfs_handle_new(fs, JRFS_H_DB);
	bool keep;

	h->db = db;
	pthread_mutex_lock(&fs->lock);
	h->direct = true;
	if (db->state == JRFS_DONE) {
		int fd = open(db->result_path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			atomic_store(&h->fd, fd);
			h->result_id = db->result_id;
			h->size = db->result_size;
			h->direct = false;
			jrfs_cache_touch(fs->cache, db->fp);
		}
		/* else: gone from the cache; the first read recovers it. */
	}
	keep = jrfs_db_opened_locked(fs, db, h);
	pthread_mutex_unlock(&fs->lock);
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = h->direct;
	fi->keep_cache = !h->direct && keep;
	return 0;
}

static int open_raw(jrfs *fs, unsigned idx, struct fuse_file_info *fi)
{
	char *path = g_build_filename(fs->backup_dir, fs->raws[idx].name, NULL);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	jrfs_handle *h;

	g_free(path);
	if (fd < 0)
		return -errno;
	h = jrfs_handle_new(fs, JRFS_H_RAW);
	atomic_store(&h->fd, fd);
	h->size = fs->raws[idx].size;
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->keep_cache = 1;
	return 0;
}

static int open_ctl(jrfs *fs, int ctl, struct fuse_file_info *fi)
{
	int acc = fi->flags & O_ACCMODE;
	bool rd = acc == O_RDONLY || acc == O_RDWR;
	bool wr = acc == O_WRONLY || acc == O_RDWR;
	jrfs_handle *h;

	if ((rd && !jrfs_ctl_readable(ctl)) || (wr && !jrfs_ctl_writable(ctl)))
		return -EACCES;
	h = jrfs_handle_new(fs, JRFS_H_CTL);
	h->ctl = ctl;
	h->buf = g_string_new(NULL);
	if (wr) {
		jrfs_ctl_open_write(fs, h, (fi->flags & O_TRUNC) != 0);
	} else {
		GString *s = jrfs_ctl_render(fs, ctl);

		g_string_free(h->buf, TRUE);
		h->buf = s;
	}
	fi->fh = (uint64_t)(uintptr_t)h;
	/* Reports change all the time: no page cache, no size limit. */
	fi->direct_io = 1;
	return 0;
}

static int op_open(const char *path, struct fuse_file_info *fi)
{
	jrfs *fs = this_fs();
	node n = resolve(fs, path);
	bool wants_write = (fi->flags & O_ACCMODE) != O_RDONLY ||
			   (fi->flags & O_TRUNC);

	switch (n.kind) {
	case N_DB:
		return wants_write ? -EROFS : open_db(fs, n.db, fi);
	case N_RAW:
		return wants_write ? -EROFS : open_raw(fs, n.idx, fi);
	case N_CTL:
		return open_ctl(fs, (int)n.idx, fi);
	case N_ROOT:
	case N_RAWDIR:
	case N_CTLDIR:
		return -EISDIR;
	case N_NONE:
	default:
		return -ENOENT;
	}
}

/* A reply that reads size bytes at off straight from fd (libfuse splices
 * or preads it), clamped to the file's end. */
static int reply_fd(struct fuse_bufvec **bufp, int fd, uint64_t file_size,
		    size_t size, off_t off)
{
	struct fuse_bufvec *bv = malloc(sizeof(*bv));
	size_t n = 0;

	if (!bv)
		return -ENOMEM;
	if ((uint64_t)off < file_size)
		n = (size_t)MIN((uint64_t)size, file_size - (uint64_t)off);
	*bv = FUSE_BUFVEC_INIT(n);
	bv->buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK | FUSE_BUF_FD_RETRY;
	bv->buf[0].fd = fd;
	bv->buf[0].pos = off;
	*bufp = bv;
	return 0;
}

static int reply_mem(struct fuse_bufvec **bufp, const GString *s, size_t size,
		     off_t off)
{
	struct fuse_bufvec *bv = malloc(sizeof(*bv));
	size_t n = 0;
	void *mem = NULL;

	if (!bv)
		return -ENOMEM;
	if (off >= 0 && (size_t)off < s->len)
		n = MIN(size, s->len - (size_t)off);
	if (n) {
		mem = malloc(n);
		if (!mem) {
			free(bv);
			return -ENOMEM;
		}
		memcpy(mem, s->str + off, n);
	}
	*bv = FUSE_BUFVEC_INIT(n);
	bv->buf[0].mem = mem;
	*bufp = bv;
	return 0;
}

static int op_read_buf(const char *path, struct fuse_bufvec **bufp,
		       size_t size, off_t off, struct fuse_file_info *fi)
{
	jrfs *fs = this_fs();
	jrfs_handle *h = (jrfs_handle *)(uintptr_t)fi->fh;
	int fd;

	(void)path;
	if (off < 0)
		return -EINVAL;
	switch (h->kind) {
	case JRFS_H_DB:
		fd = jrfs_db_acquire(fs, h);
		if (fd < 0)
			return fd;
		return reply_fd(bufp, fd, h->size, size, off);
	case JRFS_H_RAW:
		return reply_fd(bufp, atomic_load(&h->fd), h->size, size, off);
	case JRFS_H_CTL:
	default:
		return reply_mem(bufp, h->buf, size, off);
	}
}

static int op_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	jrfs_handle *h = (jrfs_handle *)(uintptr_t)fi->fh;

	(void)path;
	if (h->kind != JRFS_H_CTL)
		return -EBADF;
	return jrfs_ctl_write(this_fs(), h, buf, size, off);
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	jrfs *fs = this_fs();
	jrfs_handle *h = fi ? (jrfs_handle *)(uintptr_t)fi->fh : NULL;
	node n;

	if (h && h->kind == JRFS_H_CTL)
		return jrfs_ctl_truncate(fs, h->ctl, h, size);
	if (h)
		return -EROFS;
	n = resolve(fs, path);
	if (n.kind == N_CTL)
		return jrfs_ctl_writable((int)n.idx)
		       ? jrfs_ctl_truncate(fs, (int)n.idx, NULL, size) : -EACCES;
	return n.kind == N_NONE ? -ENOENT : -EROFS;
}

static int op_flush(const char *path, struct fuse_file_info *fi)
{
	jrfs_handle *h = (jrfs_handle *)(uintptr_t)fi->fh;

	(void)path;
	return h->kind == JRFS_H_CTL ? jrfs_ctl_flush(this_fs(), h) : 0;
}

static int op_release(const char *path, struct fuse_file_info *fi)
{
	jrfs *fs = this_fs();
	jrfs_handle *h = (jrfs_handle *)(uintptr_t)fi->fh;

	(void)path;
	if (h->kind == JRFS_H_DB) {
		pthread_mutex_lock(&fs->lock);
		jrfs_db_released_locked(fs, h->db, h);
		pthread_mutex_unlock(&fs->lock);
	} else if (h->kind == JRFS_H_CTL) {
		jrfs_ctl_release(fs, h);
	}
	jrfs_handle_free(fs, h);
	return 0;
}

static int op_statfs(const char *path, struct statvfs *sv)
{
	jrfs *fs = this_fs();
	uint64_t bytes = 0;

	(void)path;
	memset(sv, 0, sizeof(*sv));
	pthread_mutex_lock(&fs->lock);
	for (unsigned i = 0; i < fs->n_dbs; i++)
		bytes += fs->dbs[i].state == JRFS_DONE ? fs->dbs[i].result_size
						       : fs->dbs[i].source_size;
	pthread_mutex_unlock(&fs->lock);
	for (unsigned i = 0; i < fs->n_raws; i++)
		bytes += fs->raws[i].size;
	sv->f_bsize = 4096;
	sv->f_frsize = 4096;
	sv->f_blocks = (fsblkcnt_t)((bytes + 4095) / 4096);
	sv->f_files = fs->n_dbs + fs->n_raws + JRFS_CTL_COUNT + 3;
	sv->f_namemax = 255;
	return 0;
}

static int op_utimens(const char *path, const struct timespec tv[2],
		      struct fuse_file_info *fi)
{
	node n = resolve(this_fs(), path);

	(void)tv;
	(void)fi;
	/* `touch` on a control file is harmless; nothing else changes. */
	if (n.kind == N_CTL)
		return 0;
	return n.kind == N_NONE ? -ENOENT : -EROFS;
}

static int op_refuse_path(const char *path)
{
	(void)path;
	return -EROFS;
}

static int op_mkdir(const char *path, mode_t mode)
{
	(void)mode;
	return op_refuse_path(path);
}

static int op_mknod(const char *path, mode_t mode, dev_t dev)
{
	(void)mode;
	(void)dev;
	return op_refuse_path(path);
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode;
	(void)fi;
	return op_refuse_path(path);
}

static int op_rename(const char *from, const char *to, unsigned int flags)
{
	(void)to;
	(void)flags;
	return op_refuse_path(from);
}

static int op_link(const char *from, const char *to)
{
	(void)to;
	return op_refuse_path(from);
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)mode;
	(void)fi;
	return op_refuse_path(path);
}

static int op_chown(const char *path, uid_t uid, gid_t gid,
		    struct fuse_file_info *fi)
{
	(void)uid;
	(void)gid;
	(void)fi;
	return op_refuse_path(path);
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->use_ino = 0;
	cfg->kernel_cache = 0;
	cfg->auto_cache = 0;
	cfg->direct_io = 0;
	/* cfg->intr stays off: libfuse would signal the worker thread, and
	 * the handler for that is installed before init or never. A waiting
	 * reader polls fuse_interrupted() instead (jobs.c), which the kernel's
	 * INTERRUPT request sets either way. */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	/* O_TRUNC must reach open(): a control file's writer that truncates
	 * starts from empty text instead of the current value. */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	/* Data comes from the cache file's descriptor (read_buf): let libfuse
	 * splice it to the kernel instead of copying it through a fresh
	 * buffer per request. */
	if (conn->capable & FUSE_CAP_SPLICE_WRITE)
		conn->want |= FUSE_CAP_SPLICE_WRITE;
	if (conn->capable & FUSE_CAP_SPLICE_MOVE)
		conn->want |= FUSE_CAP_SPLICE_MOVE;
	/* Larger requests: sequential reads of a recovered database go in
	 * 1 MiB pieces instead of 128 KiB (fewer round trips to us). */
	conn->max_readahead = 1u << 20;
	conn->max_write = 1u << 20;
	return fuse_get_context()->private_data;
}

static void op_destroy(void *private_data)
{
	/* Cancel and wait for every recovery while the mount goes away; the
	 * state itself is freed by main() after the session. */
	jrfs_stop_all(private_data);
}

static const struct fuse_operations ops = {
	.init = op_init,
	.destroy = op_destroy,
	.getattr = op_getattr,
	.readdir = op_readdir,
	.open = op_open,
	.read_buf = op_read_buf,
	.write = op_write,
	.truncate = op_truncate,
	.flush = op_flush,
	.release = op_release,
	.statfs = op_statfs,
	.utimens = op_utimens,
	.mkdir = op_mkdir,
	.rmdir = op_refuse_path,
	.unlink = op_refuse_path,
	.mknod = op_mknod,
	.create = op_create,
	.rename = op_rename,
	.link = op_link,
	.symlink = op_link,
	.chmod = op_chmod,
	.chown = op_chown,
};

const struct fuse_operations *jrfs_fuse_operations(void)
{
	return &ops;
}
