/*
 * token — see inbox/token.h. OpenSSL's HMAC and SHA-256.
 */
#include "inbox/token.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MIN_BYTES 16

static void hex(const unsigned char *v, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * n] = '\0';
}

static int create_key(const char *path, char *err, size_t errlen)
{
	unsigned char raw[32];
	char text[2 * sizeof(raw) + 2];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		snprintf(err, errlen, "%s: no randomness: %s", path, strerror(errno));
		return -1;
	}
	hex(raw, sizeof(raw), text);
	strcat(text, "\n");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	ssize_t w = write(fd, text, strlen(text));
	int rc = w == (ssize_t)strlen(text) && fsync(fd) == 0 ? 0 : -1;
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
	close(fd);
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(text, sizeof(text));
	return rc;
}

int token_key_load(const char *path, bool create, unsigned char key[TOKEN_KEY_LEN], char *err,
                   size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT && create)
			return create_key(path, err, errlen) < 0
			           ? -1
			           : token_key_load(path, false, key, err, errlen);
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "'%s' is readable by group or others: chmod 600 it", path);
		return -1;
	}
	size_t len;
	char *text = util_read_file(path, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	int rc = 0;
	if (len < KEY_MIN_BYTES) {
		snprintf(err, errlen, "'%s' holds %zu bytes: a key needs %d or more", path, len,
		         KEY_MIN_BYTES);
		rc = -1;
	} else {
		SHA256((const unsigned char *)text, len, key);
	}
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

int token_ref(const char *msgid, char ref[TOKEN_REF_LEN + 1])
{
	const char *at = strrchr(msgid, '@');

	if (!at || at - msgid < TOKEN_REF_LEN)
		return -1;
	for (const char *p = at - TOKEN_REF_LEN; p < at; p++)
		if (!strchr("0123456789abcdef", *p) || !*p)
			return -1;
	memcpy(ref, at - TOKEN_REF_LEN, TOKEN_REF_LEN);
	ref[TOKEN_REF_LEN] = '\0';
	return 0;
}

static void mac(const unsigned char key[TOKEN_KEY_LEN], const char *msgid, const char *agency,
                char out[TOKEN_MAC_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t a = strlen(msgid), b = strlen(agency);
	unsigned char *data = xmalloc(a + b + 1);

	memcpy(data, msgid, a);
	data[a] = '\n';
	memcpy(data + a + 1, agency, b);
	HMAC(EVP_sha256(), key, TOKEN_KEY_LEN, data, a + b + 1, md, &n);
	free(data);
	hex(md, TOKEN_MAC_LEN / 2, out);
}

int token_make(const unsigned char key[TOKEN_KEY_LEN], const char *msgid, const char *agency,
               char out[TOKEN_LEN + 1])
{
	if (token_ref(msgid, out) < 0)
		return -1;
	mac(key, msgid, agency, out + TOKEN_REF_LEN);
	return 0;
}

bool token_check(const unsigned char key[TOKEN_KEY_LEN], const char *token, const char *msgid,
                 const char *agency)
{
	char want[TOKEN_LEN + 1];

	if (strlen(token) != TOKEN_LEN || token_make(key, msgid, agency, want) < 0)
		return false;
	return CRYPTO_memcmp(want, token, TOKEN_LEN) == 0;
}

int token_find(const char *addr, const char *reply_addr, char out[TOKEN_LEN + 1])
{
	const char *at = strrchr(reply_addr, '@');
	size_t local = at ? (size_t)(at - reply_addr) : strlen(reply_addr);

	/* The domain is not compared: a province's mail may arrive through an alias. */
	if (strncasecmp(addr, reply_addr, local) != 0 || addr[local] != '+')
		return -1;
	const char *t = addr + local + 1;
	size_t n = strcspn(t, "@");
	if (n != TOKEN_LEN || t[n] != '@')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)t[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)t[i]); /* folded case is still ours */
	}
	out[n] = '\0';
	return 0;
}

void token_hash(const void *data, size_t len, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(data, len, md);
	hex(md, sizeof(md), out);
}

char *token_address(const char *reply_addr, const char *token)
{
	const char *at = strrchr(reply_addr, '@');
	size_t local = at ? (size_t)(at - reply_addr) : strlen(reply_addr);
	size_t n = strlen(reply_addr) + strlen(token) + 2;
	char *out = xmalloc(n);

	snprintf(out, n, "%.*s+%s%s", (int)local, reply_addr, token, at ? at : "");
	return out;
}
