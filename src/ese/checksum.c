/*
 * checksum.c - ESE's XOR and ECC block checksums and page verification.
 * The algorithms and the page layout are described in checksum.h.
 *
 * Speed: verification of a whole database is memory-bound. Both checksums
 * are computed from XORs of 64-bit words only; the ECC needs, besides the
 * XOR T of all words, the XOR A[i] of the words whose word index has bit i
 * set (that gives the parity of the rows whose bit offset has bit i + 6
 * set). Inside an aligned group of 8 words the low three index bits are
 * fixed by position, inside a group of 8 groups the next three; only above
 * that do we need masks. Measured (AMD EPYC, gcc 12 -O2, page in cache):
 * ECC about 20 GB/s, XOR about 30 GB/s; out of cache both run at memory
 * speed, so verifying a database costs about what reading it does.
 */
#include <string.h>

#include "ese/checksum.h"
#include "util/bytes.h"

/* ---- word access and bit helpers ---- */

static inline uint64_t load64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
#else
	return jr_le64(p);
#endif
}

static inline unsigned parity64(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_parityll(x);
#else
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return (unsigned)(x & 1);
#endif
}

static inline unsigned popcount32(uint32_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_popcount(x);
#else
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
#endif
}

static inline uint32_t fold64(uint64_t x)
{
	return (uint32_t)x ^ (uint32_t)(x >> 32);
}

/* ---- XOR checksum ---- */

/* XOR of the len / 8 little-endian 64-bit words of p. */
static uint64_t xor_words(const uint8_t *p, size_t nwords)
{
	uint64_t a = 0, b = 0, c = 0, d = 0;
	size_t i = 0;

	for (; i + 4 <= nwords; i += 4) {
		a ^= load64(p + 8 * i);
		b ^= load64(p + 8 * i + 8);
		c ^= load64(p + 8 * i + 16);
		d ^= load64(p + 8 * i + 24);
	}
	for (; i < nwords; i++)
		a ^= load64(p + 8 * i);
	return a ^ b ^ c ^ d;
}

uint32_t ese_checksum_xor(const uint8_t *block, size_t len)
{
	uint32_t x;

	if (len < 4)
		return ESE_CHECKSUM_XOR_SEED;
	x = fold64(xor_words(block, len / 8));
	if (len % 8 >= 4)
		x ^= jr_le32(block + (len / 8) * 8);
	/* The first word holds the stored checksum: take it out again. */
	return ESE_CHECKSUM_XOR_SEED ^ x ^ jr_le32(block);
}

/* ---- ECC checksum ---- */

#define ECC_MAX_INDEX_BITS 10   /* word index bits for 8 KiB (1024 words) */

/* Word-level sums: what the code is computed from. */
typedef struct {
	uint64_t total;                    /* XOR of all words */
	uint64_t idx[ECC_MAX_INDEX_BITS];  /* XOR of words with index bit i */
} ecc_acc;

/* Account for one word at word index m (the slow path for odd tails). */
static void ecc_add_word(ecc_acc *acc, uint64_t x, size_t m)
{
	acc->total ^= x;
	for (unsigned i = 0; i < ECC_MAX_INDEX_BITS; i++)
		acc->idx[i] ^= x & (0 - (uint64_t)((m >> i) & 1));
}

/*
 * The bulk of the work runs on vectors of ECC_LANES consecutive words:
 * GCC/Clang vector extensions (plain SSE2/NEON, no intrinsics) on
 * little-endian hosts, a single uint64_t elsewhere (or when built with
 * -DJR_ECC_SCALAR, which the tests use to check that both agree). Vector v holds words
 * ECC_LANES * v + lane, so vector index bit j is word index bit
 * j + ECC_LANE_BITS and the lane number supplies the low word index bits.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(JR_ECC_SCALAR)
#define ECC_LANES 2
#define ECC_LANE_BITS 1
typedef uint64_t ecc_vec __attribute__((vector_size(16)));

static inline ecc_vec vload(const uint8_t *p)
{
	ecc_vec v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline ecc_vec vsplat(uint64_t x)
{
	return (ecc_vec){ x, x };
}

static inline uint64_t vlane(ecc_vec v, unsigned i)
{
	return v[i];
}
#else
#define ECC_LANES 1
#define ECC_LANE_BITS 0
typedef uint64_t ecc_vec;

static inline ecc_vec vload(const uint8_t *p)
{
	return load64(p);
}

static inline ecc_vec vsplat(uint64_t x)
{
	return x;
}

static inline uint64_t vlane(ecc_vec v, unsigned i)
{
	(void)i;
	return v;
}
#endif

#define ECC_VEC_BYTES (8 * ECC_LANES)
#define ECC_VIDX_BITS (ECC_MAX_INDEX_BITS - ECC_LANE_BITS)
#define ECC_SUPER_VECS 64       /* vectors per unrolled step */
#define ECC_SUPER_BYTES (ECC_SUPER_VECS * ECC_VEC_BYTES)

typedef struct {
	ecc_vec total;
	ecc_vec idx[ECC_VIDX_BITS];     /* by vector index bit */
} ecc_vacc;

/*
 * Accumulate 64 vectors starting at p, whose first vector has index base
 * (a multiple of 64). Inside a group of 8 vectors the index bits 0..2 are
 * given by position, inside the 8 groups bits 3..5; higher bits come from
 * base. first_keep masks the very first vector (to drop the checksum
 * field of a header block); all ones otherwise.
 */
static inline void ecc_add_super(ecc_vacc *acc, const uint8_t *p, size_t base,
				 ecc_vec first_keep)
{
	ecc_vec a0 = vsplat(0), a1 = vsplat(0), a2 = vsplat(0);
	ecc_vec g[8];                   /* XOR of each group of 8 */

	for (unsigned s = 0; s < 8; s++) {
		const uint8_t *q = p + 8 * ECC_VEC_BYTES * s;
		ecc_vec x0 = vload(q);
		ecc_vec x1 = vload(q + 1 * ECC_VEC_BYTES);
		ecc_vec x2 = vload(q + 2 * ECC_VEC_BYTES);
		ecc_vec x3 = vload(q + 3 * ECC_VEC_BYTES);
		ecc_vec x4 = vload(q + 4 * ECC_VEC_BYTES);
		ecc_vec x5 = vload(q + 5 * ECC_VEC_BYTES);
		ecc_vec x6 = vload(q + 6 * ECC_VEC_BYTES);
		ecc_vec x7 = vload(q + 7 * ECC_VEC_BYTES);

		if (s == 0)
			x0 &= first_keep;
		ecc_vec t13 = x1 ^ x3, t57 = x5 ^ x7;
		ecc_vec t23 = x2 ^ x3, t67 = x6 ^ x7, t45 = x4 ^ x5;

		a0 ^= t13 ^ t57;
		a1 ^= t23 ^ t67;
		a2 ^= t45 ^ t67;
		g[s] = x0 ^ x1 ^ t23 ^ t45 ^ t67;
	}
	acc->idx[0] ^= a0;
	acc->idx[1] ^= a1;
	acc->idx[2] ^= a2;

	ecc_vec g13 = g[1] ^ g[3], g57 = g[5] ^ g[7];
	ecc_vec g23 = g[2] ^ g[3], g67 = g[6] ^ g[7], g45 = g[4] ^ g[5];
	ecc_vec all = g[0] ^ g[1] ^ g23 ^ g45 ^ g67;

	acc->idx[3] ^= g13 ^ g57;
	acc->idx[4] ^= g23 ^ g67;
	acc->idx[5] ^= g45 ^ g67;
	acc->total ^= all;
	for (unsigned i = 6; i < ECC_VIDX_BITS; i++)
		acc->idx[i] ^= all & vsplat(0 - (uint64_t)((base >> i) & 1));
}

/* Fold the vector sums into word-level sums. */
static void ecc_vacc_fold(const ecc_vacc *v, ecc_acc *w)
{
	for (unsigned lane = 0; lane < ECC_LANES; lane++) {
		uint64_t t = vlane(v->total, lane);

		w->total ^= t;
#if ECC_LANE_BITS > 0
		/* the lane number is the low part of the word index */
		for (unsigned i = 0; i < ECC_LANE_BITS; i++)
			if ((lane >> i) & 1)
				w->idx[i] ^= t;
#endif
		for (unsigned i = 0; i < ECC_VIDX_BITS; i++)
			w->idx[i + ECC_LANE_BITS] ^= vlane(v->idx[i], lane);
	}
}

/* XOR of the bit numbers (0..31) of the set bits of w. */
static uint32_t column_index_xor(uint32_t w)
{
	return (parity64(w & 0xaaaaaaaau) << 0) |
	       (parity64(w & 0xccccccccu) << 1) |
	       (parity64(w & 0xf0f0f0f0u) << 2) |
	       (parity64(w & 0xff00ff00u) << 3) |
	       (parity64(w & 0xffff0000u) << 4);
}

/* 8 * len - 1 rounded up to all ones, at most 16 bits. */
static uint32_t ecc_offset_mask(size_t len)
{
	uint32_t m = 1;

	while (m < 0xffffu && (size_t)m + 1 < 8 * len)
		m = (m << 1) | 1;
	return m;
}

uint64_t ese_checksum_ecc(const uint8_t *block, size_t len, uint32_t pgno,
			  bool header_block)
{
	ecc_acc acc;
	ecc_vacc vacc;
	ecc_vec keep = vsplat(~(uint64_t)0);
	size_t nwords, m = 0, off = 0;

	if (len > 8192)
		len = 8192;     /* outside ESE's domain; never read further */
	nwords = len / 8;
	memset(&acc, 0, sizeof acc);
	memset(&vacc, 0, sizeof vacc);

	if (header_block) {
		/* the first word (the stored checksum) counts as zero */
#if ECC_LANES == 1
		keep = 0;
#else
		keep[0] = 0;
#endif
	}
	for (; off + ECC_SUPER_BYTES <= len; off += ECC_SUPER_BYTES) {
		ecc_add_super(&vacc, block + off, off / ECC_VEC_BYTES, keep);
		keep = vsplat(~(uint64_t)0);
	}
	ecc_vacc_fold(&vacc, &acc);
	for (m = off / 8; m < nwords; m++)
		ecc_add_word(&acc, (header_block && m == 0) ? 0
				   : load64(block + 8 * m), m);
	if (len % 8 >= 4 && !(header_block && m == 0))
		ecc_add_word(&acc, jr_le32(block + 8 * m), m);

	/* Offsets of set bits: bit = 64 * word + 32 * half + column. */
	uint32_t cols = fold64(acc.total);
	uint32_t low = column_index_xor(cols);

	low |= parity64(acc.total >> 32) << 5;
	for (unsigned i = 0; i < ECC_MAX_INDEX_BITS; i++)
		low |= parity64(acc.idx[i]) << (6 + i);
	low &= 0xffffu;

	uint32_t mask = ecc_offset_mask(len);
	uint32_t high = (low ^ (parity64(cols) ? 0xffffu : 0)) & mask;
	uint32_t ecc = low | (high << 16);

	return ((uint64_t)ecc << 32) | (uint32_t)(cols ^ pgno);
}

/* The bit a stored and a computed code disagree on, or -1; in a header
 * block the first 64 bits are the checksum field, never data. */
static int64_t ecc_bad_bit(uint64_t stored, uint64_t computed, size_t len,
			   bool header_block)
{
	uint32_t decc = (uint32_t)(stored >> 32) ^ (uint32_t)(computed >> 32);
	uint32_t dxor = (uint32_t)stored ^ (uint32_t)computed;
	uint32_t mask = ecc_offset_mask(len);
	uint32_t bit;

	if (len == 0 || len > 8192)
		return -1;
	/* One flipped data bit at b changes the code by b | ~b << 16, both
	 * halves within the mask (ESE does not check the bits above it;
	 * they are never set in a code of this block size). */
	if ((((decc >> 16) ^ decc) & mask) != mask ||
	    (decc & ~(mask | mask << 16)) != 0)
		return -1;
	/* ... and the XOR word by exactly one bit (ESE's test), which must
	 * be the column of b: otherwise flipping b cannot repair the block
	 * (ESE would flip it and then count a failed fix). */
	if (popcount32(dxor) != 1)
		return -1;
	bit = decc & 0xffffu;
	if (bit / 8 >= len || dxor != (uint32_t)1 << (bit % 32))
		return -1;
	if (header_block && bit < 64)
		return -1;
	return bit;
}

int64_t ese_checksum_ecc_bad_bit(uint64_t stored, uint64_t computed,
				 size_t len)
{
	return ecc_bad_bit(stored, computed, len, true);
}

/* ---- headers ---- */

bool ese_header_checksum_ok(const uint8_t *block, size_t len)
{
	return len >= 4 && jr_le32(block) == ese_checksum_xor(block, len);
}

uint32_t ese_header_checksum_write(uint8_t *block, size_t len)
{
	uint32_t c = ese_checksum_xor(block, len);

	if (len >= 4)
		jr_put_le32(block, c);
	return c;
}

/* ---- pages ---- */

bool ese_page_size_valid(size_t page_size)
{
	return page_size == 2048 || page_size == 4096 || page_size == 8192 ||
	       page_size == 16384 || page_size == 32768;
}

ese_checksum_format ese_page_checksum_format(const uint8_t *page,
					     size_t page_size)
{
	if (page_size < ESE_PAGE_OFF_FLAGS + 4)
		return ESE_CKSUM_FORMAT_XOR;
	return (jr_le32(page + ESE_PAGE_OFF_FLAGS) & ESE_PAGE_FLAG_NEW_CHECKSUM)
	       ? ESE_CKSUM_FORMAT_ECC : ESE_CKSUM_FORMAT_XOR;
}

void ese_page_set_ecc_format(uint8_t *page)
{
	jr_put_le32(page + ESE_PAGE_OFF_FLAGS,
		    jr_le32(page + ESE_PAGE_OFF_FLAGS) | ESE_PAGE_FLAG_NEW_CHECKSUM);
}

/* Block size of ECC pages: whole small pages; large pages in 4 blocks. */
static size_t page_block_size(size_t page_size)
{
	if (page_size <= 8192)
		return page_size;
	return page_size <= 16384 ? 4096 : 8192;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint64_t acc = 0;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		acc |= load64(p + i);
	for (; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

/* Stored and computed ECC checksums of every block of a page. */
static void page_ecc_blocks(const uint8_t *page, size_t page_size,
			    uint32_t pgno, ese_page_checksum_result *res)
{
	size_t cb = page_block_size(page_size);

	res->nblocks = (unsigned)(page_size / cb);
	res->stored_blocks[0] = jr_le64(page);
	res->computed_blocks[0] = ese_checksum_ecc(page, cb, pgno, true);
	for (unsigned i = 1; i < res->nblocks; i++) {
		res->stored_blocks[i] =
			jr_le64(page + ESE_PAGE_OFF_BLOCK_CHECKSUMS + 8 * (i - 1));
		res->computed_blocks[i] =
			ese_checksum_ecc(page + i * cb, cb, pgno, false);
	}
}

/*
 * ESE's rule for a mismatching ECC page (TryFixPage): every mismatching
 * block must be explained by one flipped bit, the format flag may not be
 * that bit, and a flip inside block 0 that lands in the stored checksum of
 * a later block means that stored checksum, not the data, is off by it.
 */
static void page_ecc_diagnose(size_t page_size, ese_page_checksum_result *res)
{
	size_t cb = page_block_size(page_size);
	uint64_t expected[ESE_PAGE_MAX_BLOCKS];
	const int64_t stored_lo = ESE_PAGE_OFF_BLOCK_CHECKSUMS * 8;
	const int64_t stored_hi = stored_lo + 64 * (ESE_PAGE_MAX_BLOCKS - 1);

	memcpy(expected, res->stored_blocks, sizeof expected);
	for (unsigned i = 0; i < res->nblocks; i++) {
		int64_t b, pb;

		if (expected[i] == res->computed_blocks[i])
			continue;
		b = ecc_bad_bit(expected[i], res->computed_blocks[i], cb,
				i == 0);
		if (b < 0 || (i == 0 && b == ESE_PAGE_NEW_CHECKSUM_BIT))
			goto uncorrectable;
		pb = b + (int64_t)(8 * cb * i);
		res->bad_bits[i] = pb;
		if (res->bad_bit >= 0)
			continue;
		res->bad_bit = pb;
		if (res->nblocks > 1 && i == 0 && pb >= stored_lo &&
		    pb < stored_hi) {
			unsigned j = 1 + (unsigned)((pb - stored_lo) / 64);

			expected[j] ^= (uint64_t)1 << ((pb - stored_lo) % 64);
		}
	}
	res->status = ESE_CKSUM_CORRECTABLE;
	return;

uncorrectable:
	res->status = ESE_CKSUM_BAD;
	res->bad_bit = -1;
	for (unsigned i = 0; i < ESE_PAGE_MAX_BLOCKS; i++)
		res->bad_bits[i] = -1;
}

void ese_page_checksum_check(const uint8_t *page, size_t page_size,
			     uint32_t pgno, ese_page_checksum_result *res)
{
	bool match = true;

	memset(res, 0, sizeof *res);
	res->bad_bit = -1;
	for (unsigned i = 0; i < ESE_PAGE_MAX_BLOCKS; i++)
		res->bad_bits[i] = -1;
	res->format = ese_page_checksum_format(page, page_size);
	if (!ese_page_size_valid(page_size)) {
		res->status = ESE_CKSUM_BAD;
		return;
	}

	if (res->format == ESE_CKSUM_FORMAT_XOR) {
		res->nblocks = 1;
		res->stored_blocks[0] = jr_le64(page);
		res->computed_blocks[0] = ((uint64_t)pgno << 32) |
					  ese_checksum_xor(page, page_size);
	} else {
		page_ecc_blocks(page, page_size, pgno, res);
	}
	res->stored = res->stored_blocks[0];
	res->computed = res->computed_blocks[0];
	for (unsigned i = 0; i < res->nblocks; i++)
		match = match && res->stored_blocks[i] == res->computed_blocks[i];

	if (match)
		res->status = ESE_CKSUM_OK;
	else if (res->stored == 0 && all_zero(page, page_size))
		res->status = ESE_CKSUM_BLANK;
	else if (res->format == ESE_CKSUM_FORMAT_ECC)
		page_ecc_diagnose(page_size, res);
	else
		res->status = ESE_CKSUM_BAD;
}

unsigned ese_page_checksum_fix(uint8_t *page, size_t page_size,
			       const ese_page_checksum_result *res)
{
	unsigned n = 0;

	if (res->status != ESE_CKSUM_CORRECTABLE)
		return 0;
	for (unsigned i = 0; i < ESE_PAGE_MAX_BLOCKS; i++) {
		int64_t b = res->bad_bits[i];

		if (b < 0 || (uint64_t)b / 8 >= page_size)
			continue;
		page[b / 8] ^= (uint8_t)(1u << (b % 8));
		n++;
	}
	return n;
}

void ese_page_checksum_write(uint8_t *page, size_t page_size, uint32_t pgno)
{
	if (!ese_page_size_valid(page_size))
		return;
	if (ese_page_checksum_format(page, page_size) == ESE_CKSUM_FORMAT_XOR) {
		/* Legacy: the pgno word is part of both the page and the sum. */
		jr_put_le32(page + 4, pgno);
		jr_put_le32(page, ese_checksum_xor(page, page_size));
		return;
	}

	size_t cb = page_block_size(page_size);

	for (size_t i = 1; i < page_size / cb; i++)
		jr_put_le64(page + ESE_PAGE_OFF_BLOCK_CHECKSUMS + 8 * (i - 1),
			    ese_checksum_ecc(page + i * cb, cb, pgno, false));
	jr_put_le64(page, ese_checksum_ecc(page, cb, pgno, true));
}
