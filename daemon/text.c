/*
 * text — see text.h.
 *
 * Folding runs a million times a second in the timeframe parser, so the
 * per-code-point answer for the first 0x2100 code points (Latin, combining
 * marks, Vietnamese, general punctuation) is computed once with utf8proc
 * and kept in a table; everything else goes through utf8proc directly.
 */
#include "text.h"

#include "buf.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FOLD_TABLE_SIZE 0x2100
#define FOLD_DROP       0 /* combining marks, zero-width characters */
#define FOLD_OTHER      '~'

static unsigned char fold_table[FOLD_TABLE_SIZE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static unsigned char fold_special(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x0110:
	case 0x0111:
		return 'd';
	case 0x00A0:
	case 0x2028:
	case 0x2029:
	case 0x202F:
	case 0x3000:
		return ' ';
	case 0x200B:
	case 0x200C:
	case 0x200D:
	case 0x2060:
	case 0xFEFF:
		return FOLD_DROP;
	case 0x2018:
	case 0x2019:
	case 0x201A:
		return '\'';
	case 0x201C:
	case 0x201D:
	case 0x201E:
		return '"';
	case 0x2026:
		return '.';
	case 0x2212:
	case 0xFE58:
	case 0xFE63:
	case 0xFF0D:
		return '-';
	}
	if (cp >= 0x2010 && cp <= 0x2015)
		return '-';
	if (cp >= 0x2000 && cp <= 0x200A)
		return ' ';
	return 1; /* not special */
}

static unsigned char fold_compute(utf8proc_int32_t cp)
{
	utf8proc_int32_t dec[8];
	int last = 0;
	unsigned char sp = fold_special(cp);

	if (sp != 1)
		return sp;
	if (cp < 0x80) {
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
			return ' ';
		if (cp >= 'A' && cp <= 'Z')
			return (unsigned char)(cp + 32);
		return (unsigned char)cp;
	}
	utf8proc_ssize_t n = utf8proc_decompose_char(
	    cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
	if (n == 0)
		return FOLD_DROP;
	if (n < 0 || n > 8 || dec[0] >= 0x80)
		return FOLD_OTHER;
	if (dec[0] < 0x20)
		return ' ';
	return (unsigned char)dec[0];
}

static void fold_init(void)
{
	for (utf8proc_int32_t cp = 0; cp < FOLD_TABLE_SIZE; cp++)
		fold_table[cp] = fold_compute(cp);
}

static unsigned char fold_cp(utf8proc_int32_t cp)
{
	if (cp < FOLD_TABLE_SIZE)
		return fold_table[cp];
	return fold_compute(cp);
}

size_t text_fold(const char *s, size_t len, char *out, uint32_t *map, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;

	pthread_once(&fold_once, fold_init);
	if (cap == 0)
		return 0;
	while (i < len && o + 1 < cap) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		unsigned char c;

		if (u[i] < 0x80) {
			c = fold_table[u[i]];
			n = 1;
		} else {
			n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
			if (n < 0) {
				c = FOLD_OTHER;
				n = 1;
			} else {
				c = fold_cp(cp);
			}
		}
		if (c != FOLD_DROP) {
			if (map)
				map[o] = (uint32_t)i;
			out[o++] = (char)c;
		}
		i += (size_t)n;
	}
	if (map)
		map[o] = (uint32_t)i;
	out[o] = '\0';
	return o;
}

static bool is_tone_mark(utf8proc_int32_t cp)
{
	return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}

static bool is_word_char(utf8proc_int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);

	switch (p->category) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
		return true;
	default:
		return false;
	}
}

static void put_cp(struct buf *b, utf8proc_int32_t cp)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);

	buf_add(b, enc, (size_t)n);
}

/* Ends a word: the tone mark goes last, so hoá and hóa give one key. */
static void end_word(struct buf *key, struct buf *word, utf8proc_int32_t tone)
{
	if (word->len == 0)
		return;
	if (key->len)
		buf_addc(key, ' ');
	/* "và" is the spelled-out "&": both give "va". */
	if (tone == 0x0300 && strcmp(buf_str(word), "va") == 0)
		tone = 0;
	buf_add(key, word->data, word->len);
	if (tone)
		put_cp(key, tone);
	buf_reset(word);
}

char *text_name_key(const char *s)
{
	utf8proc_uint8_t *nfd = NULL;
	struct buf key = BUF_INIT, word = BUF_INIT;
	utf8proc_int32_t tone = 0;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &nfd,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
	                     UTF8PROC_CASEFOLD) < 0)
		return xstrdup("");
	for (const utf8proc_uint8_t *p = nfd; *p;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);

		if (n <= 0)
			break;
		p += n;
		if (is_tone_mark(cp)) {
			tone = cp;
		} else if (cp == '&') {
			end_word(&key, &word, tone);
			tone = 0;
			buf_adds(&word, "va");
			end_word(&key, &word, 0);
		} else if (is_word_char(cp)) {
			put_cp(&word, cp);
		} else {
			end_word(&key, &word, tone);
			tone = 0;
		}
	}
	end_word(&key, &word, tone);
	free(nfd);
	buf_free(&word);
	return buf_steal(&key);
}

char *text_nfc(const char *s)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return NULL;
	return (char *)out;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

bool text_capitalized(const char *s, size_t len)
{
	utf8proc_int32_t cp;

	if (len == 0 ||
	    utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) < 0)
		return false;
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool text_lowercase(const char *s, size_t len)
{
	utf8proc_int32_t cp;

	if (len == 0 ||
	    utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) <= 0)
		return false;
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

size_t text_utf8_copy(char *out, size_t cap, const char *s, size_t len)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0, o = 0;

	if (cap == 0)
		return 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n =
		    u[i] < 0x80 ? 1 : utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		const char *from = n > 0 ? s + i : replacement;
		size_t size = n > 0 ? (size_t)n : sizeof(replacement) - 1;

		if (o + size >= cap)
			break;
		memcpy(out + o, from, size);
		o += size;
		i += n > 0 ? (size_t)n : 1;
	}
	out[o] = '\0';
	return o;
}

size_t text_width(const char *s, size_t len)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t i = 0, width = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n > 0) {
			width += (size_t)utf8proc_charwidth(cp);
			i += (size_t)n;
		} else {
			width++;
			i++;
		}
	}
	return width;
}

char *text_sanitize_line(const char *s, char *out, size_t cap)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), i = 0, o = 0;

	if (cap == 0)
		return out;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
		bool bad = n <= 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
		           cp == 0x2028 || cp == 0x2029;
		size_t step = n > 0 ? (size_t)n : 1;

		if (bad) {
			if (o + 1 >= cap)
				break;
			out[o++] = ' ';
		} else {
			if (o + step >= cap)
				break;
			memcpy(out + o, s + i, step);
			o += step;
		}
		i += step;
	}
	out[o] = '\0';
	return out;
}
