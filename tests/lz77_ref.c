/*
 * lz77_ref.c - the reference Plain LZ77 compressor (see lz77_ref.h).
 *
 * Flag words are reserved when their first bit comes, so that the item of
 * the 32nd bit of a word precedes the next word, as the decoder reads them.
 * The last flag word is padded with 1 bits (MS-XCA's end marker).
 */
#include "lz77_ref.h"

#include <stdbool.h>

#include "util/bytes.h"

struct lz77_writer {
	uint8_t *out;
	size_t cap;
	size_t pos;
	bool overflow;
	size_t flag_at;          /* where the current flag word goes */
	bool need_word;          /* the next flag starts a new word */
	uint32_t flags;
	unsigned nflags;         /* bits collected in flags */
	size_t nibble_at;        /* byte with a free high nibble, or SIZE_MAX */
};

static void put_byte(struct lz77_writer *w, uint8_t b)
{
	if (w->pos >= w->cap) {
		w->overflow = true;
		return;
	}
	w->out[w->pos++] = b;
}

static void put_flag(struct lz77_writer *w, unsigned bit)
{
	if (w->need_word) {
		if (w->cap - w->pos < 4) {
			w->overflow = true;
			return;
		}
		w->flag_at = w->pos;
		w->pos += 4;
		w->need_word = false;
	}
	w->flags = (w->flags << 1) | bit;
	if (++w->nflags == 32) {
		jr_put_le32(w->out + w->flag_at, w->flags);
		w->nflags = 0;
		w->flags = 0;
		w->need_word = true;
	}
}

static void put_match(struct lz77_writer *w, size_t distance, size_t length)
{
	size_t rest = length - 3;
	uint16_t token;

	put_flag(w, 1);
	if (rest < 7) {
		token = (uint16_t)(((distance - 1) << 3) | rest);
		put_byte(w, (uint8_t)token);
		put_byte(w, (uint8_t)(token >> 8));
		return;
	}
	token = (uint16_t)(((distance - 1) << 3) | 7);
	put_byte(w, (uint8_t)token);
	put_byte(w, (uint8_t)(token >> 8));
	rest -= 7;
	unsigned nibble = rest < 15 ? (unsigned)rest : 15;
	if (w->nibble_at == SIZE_MAX) {
		w->nibble_at = w->pos;
		put_byte(w, (uint8_t)nibble);
	} else {
		if (w->nibble_at < w->cap)
			w->out[w->nibble_at] |= (uint8_t)(nibble << 4);
		w->nibble_at = SIZE_MAX;
	}
	if (rest < 15)
		return;
	rest -= 15;
	if (rest < 255) {
		put_byte(w, (uint8_t)rest);
		return;
	}
	put_byte(w, 255);
	size_t wide = length - 3;
	if (wide <= 0xffff) {
		put_byte(w, (uint8_t)wide);
		put_byte(w, (uint8_t)(wide >> 8));
	} else {
		put_byte(w, 0);
		put_byte(w, 0);
		for (int i = 0; i < 4; i++)
			put_byte(w, (uint8_t)(wide >> (8 * i)));
	}
}

size_t lz77_ref_compress(const uint8_t *in, size_t n, uint8_t *out,
			 size_t cap)
{
	struct lz77_writer w = { .out = out, .cap = cap, .need_word = true,
				 .nibble_at = SIZE_MAX };
	size_t i = 0;

	while (i < n && !w.overflow) {
		size_t best_len = 0, best_dist = 0;
		size_t window = i < 8192 ? i : 8192;

		for (size_t d = 1; d <= window; d++) {
			size_t l = 0;
			while (i + l < n && in[i + l] == in[i + l - d])
				l++;
			if (l > best_len) {
				best_len = l;
				best_dist = d;
			}
		}
		if (best_len >= 3) {
			put_match(&w, best_dist, best_len);
			i += best_len;
		} else {
			put_flag(&w, 0);
			put_byte(&w, in[i++]);
		}
	}
	while (w.nflags != 0 && !w.overflow)
		put_flag(&w, 1);
	return w.overflow ? SIZE_MAX : w.pos;
}
