/*
 * scan.c - classify files by their headers (see scan.h).
 */
#include "restore/scan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ese/filetype.h"
#include "util/io.h"

/* Enough of a file to classify it and parse any header kind (a database
 * header of the largest page size and its shadow). */
#define JR_SCAN_PROBE 65536u

JET_ERR jr_scan_new(jr_scan **out, jr_errinfo *ei)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return jr_fail(ei, JET_errOutOfMemory, "scan");
	return JET_errSuccess;
}

jr_logname_kind jr_logname_parse(const char *name, char *base, size_t base_size,
				 uint32_t *gen)
{
	size_t len = strlen(name), stem, i;
	char hex[9];

	/* ESE's base names are exactly JET_BASE_NAME_LENGTH (3) characters;
	 * archived logs add 8 hex digits (5 with legacy file names, as SRUM
	 * uses), the current log adds nothing. */
	*gen = 0;
	if (base_size)
		base[0] = '\0';
	if (base_size <= JET_BASE_NAME_LENGTH || len < 4 ||
	    strcasecmp(name + len - 4, ".log") != 0)
		return JR_LOGNAME_NONE;
	stem = len - 4;
	if (stem != 3 && stem != 3 + 5 && stem != 3 + 8)
		return JR_LOGNAME_NONE;
	for (i = 0; i < 3; i++)
		if (!isalnum((unsigned char)name[i]))
			return JR_LOGNAME_NONE;
	for (i = 3; i < stem; i++)
		if (!isxdigit((unsigned char)name[i]))
			return JR_LOGNAME_NONE;
	memcpy(base, name, 3);
	base[3] = '\0';
	if (stem == 3)
		return JR_LOGNAME_CURRENT;
	memcpy(hex, name + 3, stem - 3);
	hex[stem - 3] = '\0';
	*gen = (uint32_t)strtoul(hex, NULL, 16);
	return JR_LOGNAME_ARCHIVED;
}

static JET_ERR jr_scan_log_from_hdr(const ese_loghdr *h, jr_scan_log *l)
{
	l->gen = h->gen;
	l->sign_log = h->sign_log;
	l->tm_create = h->tm_create;
	l->tm_prev_gen = h->tm_prev_gen;
	l->ver_major = h->ver_major;
	l->ver_minor = h->ver_minor;
	l->ver_update_major = h->ver_update_major;
	l->ver_update_minor = h->ver_update_minor;
	l->cb_sec = h->cb_sec;
	l->csec_lgfile = h->csec_lgfile;
	l->page_size = h->cb_page ? h->cb_page : 4096;
	l->circular = ese_loghdr_circular(h);
	l->expected_size = ese_loghdr_file_size(h);
	l->lgpos_checkpoint = h->lgpos_checkpoint;
	l->checksum_prev_log = h->checksum_prev_log;
	if (h->n_attach == 0)
		return JET_errSuccess;
	l->attach = calloc(h->n_attach, sizeof(*l->attach));
	if (!l->attach)
		return JET_errOutOfMemory;
	for (unsigned i = 0; i < h->n_attach; i++) {
		l->attach[i].dbid = h->attach[i].dbid;
		l->attach[i].sign_db = h->attach[i].sign_db;
		l->attach[i].path = strdup(h->attach[i].path);
		if (!l->attach[i].path)
			return JET_errOutOfMemory;
		l->n_attach = i + 1;
	}
	return JET_errSuccess;
}

static void jr_scan_log_free(jr_scan_log *l)
{
	if (!l)
		return;
	for (unsigned i = 0; i < l->n_attach; i++)
		free(l->attach[i].path);
	free(l->attach);
	free(l);
}

/* Keep a header problem on the entry (only failures cost memory). */
static JET_ERR jr_scan_keep_error(jr_scan_entry *e, const jr_errinfo *hei)
{
	e->hdr_err = malloc(sizeof(*e->hdr_err));
	if (!e->hdr_err)
		return JET_errOutOfMemory;
	*e->hdr_err = *hei;
	return JET_errSuccess;
}

/* Parse the header of the kind the content announces. */
static JET_ERR jr_scan_classify(jr_scan_entry *e, const uint8_t *buf,
				size_t len)
{
	ese_loghdr *lh;
	jr_errinfo hei;
	JET_ERR err = JET_errSuccess;

	jr_errinfo_clear(&hei);
	e->blank = true;
	for (size_t i = 0; i < len && i < 4096; i++)
		if (buf[i]) {
			e->blank = false;
			break;
		}
	e->filetype = ese_file_detect(buf, len);
	switch (e->filetype) {
	case JET_filetypeLog:
		e->name_kind = jr_logname_parse(e->name, e->base,
						sizeof(e->base), &e->name_gen);
		lh = malloc(sizeof(*lh));
		if (!lh)
			return JET_errOutOfMemory;
		if (ese_loghdr_parse(buf, len, lh, &hei) >= 0) {
			e->log = calloc(1, sizeof(*e->log));
			err = e->log ? jr_scan_log_from_hdr(lh, e->log)
				     : JET_errOutOfMemory;
		}
		free(lh);
		break;
	case JET_filetypeDatabase:
	case JET_filetypeStreamingFile:
	case JET_filetypeTempDatabase:
		e->db = malloc(sizeof(*e->db));
		if (!e->db)
			return JET_errOutOfMemory;
		if (ese_dbheader_read(buf, len, e->db, &hei) < 0) {
			free(e->db);
			e->db = NULL;
		}
		break;
	case JET_filetypeCheckpoint:
		e->chk = malloc(sizeof(*e->chk));
		if (!e->chk)
			return JET_errOutOfMemory;
		if (ese_checkpoint_read(buf, len, e->chk, &hei) < 0) {
			free(e->chk);
			e->chk = NULL;
		}
		break;
	default:
		break;
	}
	if (err >= 0 && hei.err != JET_errSuccess)
		err = jr_scan_keep_error(e, &hei);
	return err;
}

static void jr_scan_entry_free(jr_scan_entry *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->name);
	jr_scan_log_free(e->log);
	free(e->hdr_err);
	free(e->db);
	free(e->chk);
	free(e);
}

static JET_ERR jr_scan_append(jr_scan *s, jr_scan_entry *e, jr_errinfo *ei)
{
	if (s->n == s->cap) {
		unsigned cap = s->cap ? 2 * s->cap : 16;
		jr_scan_entry **p = realloc(s->entries, cap * sizeof(*p));

		if (!p)
			return jr_fail(ei, JET_errOutOfMemory, "scan");
		s->entries = p;
		s->cap = cap;
	}
	s->entries[s->n++] = e;
	return JET_errSuccess;
}

JET_ERR jr_scan_add_file(jr_scan *s, const char *path, jr_errinfo *ei)
{
	jr_scan_entry *e;
	const char *slash = strrchr(path, '/');
	uint8_t *buf = NULL;
	size_t len;
	int fd = -1;
	JET_ERR err;

	e = calloc(1, sizeof(*e));
	if (!e)
		return jr_fail(ei, JET_errOutOfMemory, "scan");
	e->path = strdup(path);
	e->name = strdup(slash ? slash + 1 : path);
	if (!e->path || !e->name) {
		err = jr_fail(ei, JET_errOutOfMemory, "scan");
		goto free_entry;
	}
	err = jr_open_ro(path, &fd, ei);
	if (err < 0)
		goto free_entry;
	err = jr_file_size(fd, &e->size, ei);
	if (err < 0)
		goto close_fd;
	len = e->size < JR_SCAN_PROBE ? (size_t)e->size : JR_SCAN_PROBE;
	buf = calloc(1, JR_SCAN_PROBE);
	if (!buf) {
		err = jr_fail(ei, JET_errOutOfMemory, "scan");
		goto close_fd;
	}
	err = jr_pread_full(fd, buf, len, 0, JET_errDiskIO, ei);
	if (err < 0)
		goto free_buf;
	err = jr_scan_classify(e, buf, len);
	if (err < 0) {
		err = jr_fail(ei, err, "%s", path);
		goto free_buf;
	}
	err = jr_scan_append(s, e, ei);
	if (err < 0)
		goto free_buf;
	e = NULL;
free_buf:
	free(buf);
close_fd:
	close(fd);
free_entry:
	jr_scan_entry_free(e);
	return err;
}

static int jr_scan_cmp_name(const void *a, const void *b)
{
	const jr_scan_entry *x = *(jr_scan_entry *const *)a;
	const jr_scan_entry *y = *(jr_scan_entry *const *)b;

	return strcmp(x->name, y->name);
}

JET_ERR jr_scan_dir(const char *dir, jr_scan **out, jr_errinfo *ei)
{
	jr_scan *s = NULL;
	struct dirent *de;
	DIR *d;
	JET_ERR err;

	*out = NULL;
	d = opendir(dir);
	if (!d)
		return jr_fail(ei, errno == ENOENT ? JET_errFileNotFound
						   : JET_errInvalidPath,
			       "%s: %s", dir, strerror(errno));
	err = jr_scan_new(&s, ei);
	if (err < 0)
		goto close_dir;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			err = jr_fail(ei, JET_errOutOfMemory, "scan");
			goto free_scan;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		err = jr_scan_add_file(s, path, ei);
		free(path);
		if (err < 0)
			goto free_scan;
	}
	if (s->n > 1)
		qsort(s->entries, s->n, sizeof(*s->entries), jr_scan_cmp_name);
	*out = s;
	s = NULL;
	err = JET_errSuccess;
free_scan:
	jr_scan_free(s);
close_dir:
	closedir(d);
	return err;
}

unsigned jr_scan_find(const jr_scan *s, uint32_t filetype,
		      jr_scan_entry **out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n; i++) {
		if (s->entries[i]->filetype != filetype)
			continue;
		if (n < max)
			out[n] = s->entries[i];
		n++;
	}
	return n;
}

void jr_scan_free(jr_scan *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++)
		jr_scan_entry_free(s->entries[i]);
	free(s->entries);
	free(s);
}
