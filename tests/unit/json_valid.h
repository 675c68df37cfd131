/*
 * json_valid.h — checks written for the tests, independent of the code they
 * check: is a byte string valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), and is a line exactly one JSON value
 * (RFC 8259) and a newline. Header-only, no cmocka, so the libFuzzer targets
 * use it too.
 */
#ifndef DEADLINED_TEST_JSON_VALID_H
#define DEADLINED_TEST_JSON_VALID_H

#include <stdbool.h>
#include <stddef.h>

#define JV_MAX_DEPTH 64

/* The length of the UTF-8 sequence at s (1-4), 0 when it is not valid. */
static inline size_t jv_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len = c < 0x80                 ? 1
	             : c >= 0xC2 && c <= 0xDF ? 2
	             : c >= 0xE0 && c <= 0xEF ? 3
	             : c >= 0xF0 && c <= 0xF4 ? 4
	                                      : 0;
	unsigned lo = 0x80, hi = 0xBF; /* the bounds of the second byte */

	if (len == 0 || len > n)
		return 0;
	if (c == 0xE0)
		lo = 0xA0; /* overlong */
	else if (c == 0xED)
		hi = 0x9F; /* surrogates */
	else if (c == 0xF0)
		lo = 0x90; /* overlong */
	else if (c == 0xF4)
		hi = 0x8F; /* past U+10FFFF */
	for (size_t i = 1; i < len; i++) {
		unsigned b = s[i];
		if (i == 1 ? b < lo || b > hi : b < 0x80 || b > 0xBF)
			return 0;
	}
	return len;
}

static inline bool jv_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k)
		if ((k = jv_utf8_seq(u + i, n - i)) == 0)
			return false;
	return true;
}

struct jv {
	const unsigned char *s;
	size_t n, i;
};

static inline bool jv_value(struct jv *v, int depth);

static inline void jv_ws(struct jv *v)
{
	while (v->i < v->n && (v->s[v->i] == ' ' || v->s[v->i] == '\t' || v->s[v->i] == '\n' ||
	                       v->s[v->i] == '\r'))
		v->i++;
}

static inline bool jv_eat(struct jv *v, char c)
{
	if (v->i < v->n && v->s[v->i] == (unsigned char)c) {
		v->i++;
		return true;
	}
	return false;
}

static inline bool jv_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool jv_string(struct jv *v)
{
	if (!jv_eat(v, '"'))
		return false;
	while (v->i < v->n) {
		unsigned char c = v->s[v->i];
		if (c == '"') {
			v->i++;
			return true;
		}
		if (c < 0x20)
			return false; /* control characters must be escaped */
		if (c == '\\') {
			if (++v->i >= v->n)
				return false;
			c = v->s[v->i++];
			if (c == 'u') {
				for (int k = 0; k < 4; k++)
					if (v->i >= v->n || !jv_hex(v->s[v->i++]))
						return false;
			} else if (!(c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
			             c == 'n' || c == 'r' || c == 't'))
				return false;
			continue;
		}
		size_t k = jv_utf8_seq(v->s + v->i, v->n - v->i);
		if (k == 0)
			return false;
		v->i += k;
	}
	return false;
}

static inline bool jv_digits(struct jv *v)
{
	size_t start = v->i;

	while (v->i < v->n && v->s[v->i] >= '0' && v->s[v->i] <= '9')
		v->i++;
	return v->i > start;
}

static inline bool jv_number(struct jv *v)
{
	jv_eat(v, '-');
	if (jv_eat(v, '0')) {
		if (v->i < v->n && v->s[v->i] >= '0' && v->s[v->i] <= '9')
			return false; /* no leading zeros */
	} else if (!jv_digits(v))
		return false;
	if (jv_eat(v, '.') && !jv_digits(v))
		return false;
	if (jv_eat(v, 'e') || jv_eat(v, 'E')) {
		if (!jv_eat(v, '+'))
			jv_eat(v, '-');
		if (!jv_digits(v))
			return false;
	}
	return true;
}

static inline bool jv_word(struct jv *v, const char *w)
{
	size_t k = 0;

	while (w[k] && v->i + k < v->n && v->s[v->i + k] == (unsigned char)w[k])
		k++;
	if (w[k])
		return false;
	v->i += k;
	return true;
}

/* An object or an array: members separated by ',' until the closing bracket. */
static inline bool jv_container(struct jv *v, int depth, bool object)
{
	char close = object ? '}' : ']';

	v->i++;
	jv_ws(v);
	if (jv_eat(v, close))
		return true;
	do {
		jv_ws(v);
		if (object) {
			if (!jv_string(v))
				return false;
			jv_ws(v);
			if (!jv_eat(v, ':'))
				return false;
		}
		if (!jv_value(v, depth + 1))
			return false;
		jv_ws(v);
	} while (jv_eat(v, ','));
	return jv_eat(v, close);
}

static inline bool jv_value(struct jv *v, int depth)
{
	if (depth > JV_MAX_DEPTH)
		return false;
	jv_ws(v);
	if (v->i >= v->n)
		return false;
	switch (v->s[v->i]) {
	case '{':
		return jv_container(v, depth, true);
	case '[':
		return jv_container(v, depth, false);
	case '"':
		return jv_string(v);
	case 't':
		return jv_word(v, "true");
	case 'f':
		return jv_word(v, "false");
	case 'n':
		return jv_word(v, "null");
	default:
		return jv_number(v);
	}
}

/* True when s[0..n) is one JSON value, then a newline, and nothing else. */
static inline bool jv_json_line(const char *s, size_t n)
{
	struct jv v = {(const unsigned char *)s, n, 0};

	if (n == 0 || s[n - 1] != '\n' || !jv_value(&v, 0))
		return false;
	while (v.i < n - 1 && (s[v.i] == ' ' || s[v.i] == '\t'))
		v.i++;
	return v.i == n - 1;
}

#endif
