/*
 * lrdecode_int.h - what the log record decoder's files share and nobody
 * else needs: a few flag bits of the database records and the page size
 * rule (the record type numbers are all in ese/lrtyp.h).
 */
#ifndef JR_RECOVER_LRDECODE_INT_H
#define JR_RECOVER_LRDECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ese/lrtyp.h"
#include "recover/lrdecode.h"

/* AttachDB / DetachDB / CreateDB flag bits. */
#define ATTACH_UNICODE 0x08u
#define DETACH_UNICODE 0x10u
#define CREATE_VERSION 0x04u
#define CREATE_UNICODE 0x08u

/* The largest ESE page: a pre-image is never bigger. */
#define LR_PAGE_SIZE_MAX 32768

static inline bool lr_is_page_size(uint32_t cb)
{
	return cb == 2048 || cb == 4096 || cb == 8192 || cb == 16384 ||
	       cb == 32768;
}

#endif /* JR_RECOVER_LRDECODE_INT_H */
