/*
 * bytes.h - explicit little-endian access to on-disk bytes.
 *
 * Every ESE structure is little-endian and byte-packed. We never cast a
 * struct over a buffer: fields are read and written one at a time at their
 * named offsets with these helpers, which are alignment- and host-order-safe.
 * Callers guarantee that [p, p + width) lies inside their buffer.
 */
#ifndef JR_UTIL_BYTES_H
#define JR_UTIL_BYTES_H

#include <stdint.h>

static inline uint16_t jr_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t jr_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t jr_le64(const uint8_t *p)
{
	return (uint64_t)jr_le32(p) | ((uint64_t)jr_le32(p + 4) << 32);
}

static inline void jr_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void jr_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void jr_put_le64(uint8_t *p, uint64_t v)
{
	jr_put_le32(p, (uint32_t)v);
	jr_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* JR_UTIL_BYTES_H */
