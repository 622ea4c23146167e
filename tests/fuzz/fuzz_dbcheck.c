/*
 * fuzz_dbcheck.c - the whole-database check on arbitrary files: the input
 * is a database file (header pages and pages). The check may report any
 * number of problems; it must never crash, loop, or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "recover/dbcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jr_dbcheck_result res;
	jr_errinfo ei;
	char path[64];
	int fd = memfd_create("fuzz_dbcheck", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		jr_errinfo_clear(&ei);
		(void)jr_dbcheck(path, NULL, &res, &ei);
		jr_dbcheck_free(&res);
	}
	close(fd);
	return 0;
}
