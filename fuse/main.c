/*
 * main.c - jetrestorefs: command line, mount, event loop, clean exit.
 *
 *   jetrestorefs BACKUPDIR MOUNTPOINT [-o option,...] [FUSE options]
 *
 * Our options are taken out of the argument list first; what remains
 * (-f, -d, -s, -o allow_other, max_threads=...) goes to libfuse. The
 * state is built (backup set scanned, cache opened) before mounting, so
 * a bad backup directory or option fails on the terminal with its
 * JET_ERR and a non-zero status, and nothing is mounted.
 *
 * Exit: unmounting (fusermount3 -u, umount) or SIGTERM/SIGINT/SIGHUP ends
 * the loop; every running recovery is then cancelled and waited for (it
 * leaves nothing in the cache), and the status is 0.
 *
 * Test hook: JETRESTOREFS_TEST_DELAY_MS=N makes each recovery wait N ms at
 * its first progress report, so tests can unmount or cancel mid-recovery.
 */
#define FUSE_USE_VERSION 312

#include "config.h"

#include <errno.h>
#include <fuse.h>
#include <fuse_lowlevel.h>
#include <glib.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsops.h"
#include "jrfs.h"
#include "params.h"

#define DEFAULT_MAX_THREADS 64

struct options {
	char *backup_dir;
	char *cache;
	char *cache_max;
	char *mode;
	char *loginfo;
	char *target_logs;
	char *target_checkpoint;
	char *map;
	int nonopts;
	bool help, version;
};

enum { KEY_HELP, KEY_VERSION };

#define OPT(t, f) { t, offsetof(struct options, f), 0 }
static const struct fuse_opt option_spec[] = {
	OPT("cache=%s", cache),
	OPT("cache_max=%s", cache_max),
	OPT("mode=%s", mode),
	OPT("loginfo=%s", loginfo),
	OPT("target_logs=%s", target_logs),
	OPT("target_checkpoint=%s", target_checkpoint),
	OPT("map=%s", map),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_KEY("-V", KEY_VERSION),
	FUSE_OPT_KEY("--version", KEY_VERSION),
	FUSE_OPT_END
};

static int option_proc(void *data, const char *arg, int key,
		       struct fuse_args *outargs)
{
	struct options *o = data;

	(void)outargs;
	switch (key) {
	case KEY_HELP:
		o->help = true;
		return 0;
	case KEY_VERSION:
		o->version = true;
		return 0;
	case FUSE_OPT_KEY_NONOPT:
		/* The first is the backup directory, the second the mount
		 * point (left for fuse_parse_cmdline). */
		if (o->nonopts++ == 0) {
			o->backup_dir = strdup(arg);
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s BACKUPDIR MOUNTPOINT [-o option,...]\n", prog);
}

static void help(const char *prog)
{
	usage(stdout, prog);
	printf(
"\n"
"Presents the databases of an ESE backup set (database copies, logs, a\n"
"checkpoint) as read-only files that recover themselves when read.\n"
"\n"
"The tree:\n"
"  /NAME             each database, named by the restore map; the first read\n"
"                    starts its recovery and waits for it, then the recovered\n"
"                    bytes are served from the cache\n"
"  /raw/FILE         the backup directory's files as they are\n"
"  /.restore/        control files: rstmap, loginfo, target, mode (read and\n"
"                    write), start, cancel (write a name or 'all'), status,\n"
"                    status.json, result, log (read)\n"
"\n"
"Sizes: a database's size before it is recovered is not known (recovery\n"
"may extend it), so stat shows the backup copy's size until recovery has\n"
"run and the recovered size after; a file opened before its recovery ends\n"
"is read with direct_io, so reads go on to the recovered end of file.\n"
"ls -l and stat never start a recovery. Entry and attribute timeouts are\n"
"0 and the kernel cache is managed here (names follow the restore map,\n"
"sizes follow recovery): -o entry_timeout, attr_timeout, kernel_cache and\n"
"auto_cache are ignored.\n"
"\n"
"jetrestorefs options:\n"
"  -o cache=DIR          recovered databases (default\n"
"                        $XDG_CACHE_HOME/jetrestorefs); a remount with the same\n"
"                        set and parameters reuses them, checked by a\n"
"                        fingerprint of the files (names, sizes, times, content)\n"
"                        and parameters\n"
"  -o cache_max=SIZE     evict whole recovered databases that are not open,\n"
"                        least recently used first (K, M, G, T; default: no limit)\n"
"  -o mode=auto|hard|soft  auto: hard recovery (JetExternalRestore2) for\n"
"                        databases with external-backup info, soft for others;\n"
"                        hard: a non-backup database fails with -615\n"
"  -o loginfo=LOW:HIGH:BASE  restore log range and base name\n"
"  -o target_logs=DIR,target_checkpoint=DIR  target-instance log and\n"
"                        checkpoint directories (both or neither)\n"
"  -o map=FILE           initial restore map: 'OLD NEW' lines\n"
"  -o max_threads=N      worker threads (default here 64: a reader waiting\n"
"                        for a recovery holds one)\n"
"  -h, --help            this text and the FUSE options\n"
"  -V, --version         versions\n"
"\n");
}

/* A directory option as an absolute path ("" or NULL stays NULL). */
static char *absolute_dir(const char *what, const char *path)
{
	char *real;

	if (!path || !*path)
		return NULL;
	real = realpath(path, NULL);
	if (!real)
		fprintf(stderr, "jetrestorefs: %s %s: %s\n", what, path,
			strerror(errno));
	return real;
}

static char *default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return g_build_filename(xdg, "jetrestorefs", NULL);
	if (home && home[0] == '/')
		return g_build_filename(home, ".cache", "jetrestorefs", NULL);
	return g_build_filename(g_get_user_cache_dir(), "jetrestorefs", NULL);
}

static int fail_jet(const jr_errinfo *ei)
{
	fprintf(stderr, "jetrestorefs: %d JET_err%s: %s%s%s\n", ei->err,
		jet_error_name(ei->err), jet_error_message(ei->err),
		ei->detail[0] ? ": " : "", ei->detail);
	return 1;
}

/* Turn our options into the mount's initial parameters. */
static int build_params(const struct options *o, jrfs_params *p,
			char **map_text, size_t *map_len)
{
	jr_errinfo ei;

	jr_errinfo_clear(&ei);
	if (o->mode && jrfs_parse_mode(o->mode, strlen(o->mode), &p->mode, &ei))
		return fail_jet(&ei);
	if (o->loginfo &&
	    jrfs_parse_loginfo(o->loginfo, strlen(o->loginfo), p, &ei))
		return fail_jet(&ei);
	if (!!o->target_logs != !!o->target_checkpoint) {
		fprintf(stderr, "jetrestorefs: target_logs and target_checkpoint go together\n");
		return 1;
	}
	if (o->target_logs) {
		char *a = absolute_dir("target_logs", o->target_logs);
		char *b = absolute_dir("target_checkpoint", o->target_checkpoint);
		char *text = g_strdup_printf("%s\n%s\n", a ? a : o->target_logs,
					     b ? b : o->target_checkpoint);
		JET_ERR err = jrfs_parse_target(text, strlen(text),
						&p->target_logs,
						&p->target_checkpoint, &ei);

		free(a);
		free(b);
		g_free(text);
		if (err)
			return fail_jet(&ei);
	}
	if (o->map) {
		GError *gerr = NULL;
		gsize len;

		if (!g_file_get_contents(o->map, map_text, &len, &gerr)) {
			fprintf(stderr, "jetrestorefs: map=%s: %s\n", o->map,
				gerr->message);
			g_error_free(gerr);
			return 1;
		}
		*map_len = len;
	}
	return 0;
}

/* "-ofsname=PATH" with the commas and backslashes of PATH escaped. */
static char *fsname_arg(const char *path)
{
	GString *s = g_string_new("-ofsname=");

	for (const char *c = path; *c; c++) {
		if (*c == ',' || *c == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *c);
	}
	return g_string_free(s, FALSE);
}

static bool user_gave(int argc, char **argv, const char *opt)
{
	for (int i = 1; i < argc; i++)
		if (strstr(argv[i], opt))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts cmd;
	struct options o;
	jrfs_params params;
	jrfs_config cfg;
	jrfs *fs = NULL;
	struct fuse *fuse = NULL;
	struct fuse_session *se;
	char *backup = NULL, *cache = NULL, *map_text = NULL, *fsname = NULL;
	char *cwd = NULL;
	size_t map_len = 0;
	const char *delay;
	jr_errinfo ei;
	int rc = 1, loop;

	memset(&o, 0, sizeof(o));
	memset(&cmd, 0, sizeof(cmd));
	jrfs_params_init(&params);
	if (fuse_opt_parse(&args, &o, option_spec, option_proc) != 0)
		goto out_args;
	if (o.version) {
		printf("jetrestorefs (%s) %s\nlibfuse %s\n", PACKAGE_NAME,
		       PACKAGE_VERSION, fuse_pkgversion());
		rc = 0;
		goto out_args;
	}
	if (o.help) {
		help(argv[0]);
		printf("FUSE options:\n");
		fuse_cmdline_help();
		fuse_lib_help(&args);
		rc = 0;
		goto out_args;
	}
	if (fuse_parse_cmdline(&args, &cmd) != 0)
		goto out_args;
	if (!o.backup_dir || !cmd.mountpoint) {
		usage(stderr, argv[0]);
		fprintf(stderr, "(%s --help for the options)\n", argv[0]);
		rc = 2;
		goto out_args;
	}

	backup = absolute_dir("backup directory", o.backup_dir);
	if (!backup)
		goto out_args;
	if (o.cache) {
		cache = o.cache[0] == '/' ? g_strdup(o.cache)
			: g_build_filename(cwd = g_get_current_dir(), o.cache, NULL);
	} else {
		cache = default_cache_dir();
	}
	cfg = (jrfs_config){ .backup_dir = backup, .cache_dir = cache };
	jr_errinfo_clear(&ei);
	if (o.cache_max && jrfs_parse_size(o.cache_max, &cfg.cache_max, &ei)) {
		rc = fail_jet(&ei);
		goto out_args;
	}
	if (build_params(&o, &params, &map_text, &map_len))
		goto out_args;
	cfg.params = &params;
	cfg.map_text = map_text;
	cfg.map_len = map_len;
	delay = getenv("JETRESTOREFS_TEST_DELAY_MS");
	if (delay)
		cfg.test_delay_ms = (unsigned)strtoul(delay, NULL, 10);

	if (jrfs_new(&cfg, &fs, &ei)) {
		rc = fail_jet(&ei);
		goto out_args;
	}

	fsname = fsname_arg(backup);
	fuse_opt_add_arg(&args, fsname);
	fuse_opt_add_arg(&args, "-osubtype=jetrestorefs");
	fuse = fuse_new(&args, jrfs_fuse_operations(),
			sizeof(struct fuse_operations), fs);
	if (!fuse)
		goto out_fs;
	if (fuse_mount(fuse, cmd.mountpoint) != 0)
		goto out_fuse;
	se = fuse_get_session(fuse);
	fs->session = se;
	if (fuse_daemonize(cmd.foreground) != 0)
		goto out_unmount;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_unmount;

	if (cmd.singlethread) {
		loop = fuse_loop(fuse);
	} else {
		struct fuse_loop_config *lc = fuse_loop_cfg_create();

		/* Readers of a database wait for its recovery in a worker
		 * thread: allow enough workers that readers of another
		 * database and the control files still get one. */
		fuse_loop_cfg_set_clone_fd(lc, (unsigned)cmd.clone_fd);
		if (cmd.max_idle_threads != UINT_MAX)  /* UINT_MAX: not given */
			fuse_loop_cfg_set_idle_threads(lc, cmd.max_idle_threads);
		fuse_loop_cfg_set_max_threads(lc,
			user_gave(argc, argv, "max_threads=") ? cmd.max_threads
							      : DEFAULT_MAX_THREADS);
		loop = fuse_loop_mt(fuse, lc);
		fuse_loop_cfg_destroy(lc);
	}
	/* A signal (positive) is a requested exit, not a failure. */
	rc = loop < 0 ? 1 : 0;
	if (loop < 0)
		fprintf(stderr, "jetrestorefs: the FUSE loop failed: %s\n",
			strerror(-loop));
	fuse_remove_signal_handlers(se);
out_unmount:
	fuse_unmount(fuse);
out_fuse:
	fuse_destroy(fuse);
out_fs:
	jrfs_free(fs);
out_args:
	free(cmd.mountpoint);
	free(o.backup_dir);
	free(o.cache);
	free(o.cache_max);
	free(o.mode);
	free(o.loginfo);
	free(o.target_logs);
	free(o.target_checkpoint);
	free(o.map);
	free(backup);
	g_free(cache);
	g_free(cwd);
	g_free(map_text);
	g_free(fsname);
	jrfs_params_clear(&params);
	fuse_opt_free_args(&args);
	return rc;
}
