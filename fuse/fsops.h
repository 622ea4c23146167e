/*
 * fsops.h - the FUSE operations of jetrestorefs (libfuse3 high-level API,
 * multithreaded).
 *
 * The tree:
 *   /NAME            one file per database, named by the restore map
 *   /raw/FILE        the backup directory's files, read-only
 *   /.restore/FILE   control files (control.h)
 *
 * The size of a database before it is recovered. Recovery can change a
 * database's size (redo extends the file when the logs touch pages beyond
 * its end), and only a recovery can tell by how much; the FUSE layer knows
 * nothing of pages or logs. So we do not pretend to know it: stat shows
 * the size of the backup copy until the database is recovered, and then
 * the recovered size; a file opened before its recovery finished is opened
 * with direct_io, so the kernel neither caches its pages nor stops reads
 * at the provisional size: cp, dd and sha256sum read until the recovered
 * end of file. A file opened after recovery is served through the kernel's
 * page cache from the cache file. (mmap of a file opened before recovery
 * may be refused by kernels without direct_io mmap support.)
 *
 * Attribute and entry timeouts are 0: names follow the restore map and
 * sizes follow recovery at once. Automatic data invalidation is off: the
 * data of a result never changes, and a new result gets the kernel's
 * cached pages dropped when it is first opened (jobs.h).
 */
#ifndef JR_FUSE_FSOPS_H
#define JR_FUSE_FSOPS_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 312
#endif
#include <fuse.h>

/* The operations; private_data (fuse_new's user_data) is the jrfs. */
const struct fuse_operations *jrfs_fuse_operations(void);

#endif
