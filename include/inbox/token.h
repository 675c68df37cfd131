/*
 * token — the reply address of an outgoing message, nhacviec+TOKEN@domain,
 * and its check when a reply comes back.
 *
 * TOKEN = REF MAC, lowercase hex: REF is the 16 hex digits that make the
 * message's Message-ID unique (so the reply finds its message), MAC the
 * first 80 bits of HMAC-SHA256(key, message id "\n" agency). Nobody without
 * the key can make a token, nor move one to another message or agency.
 * Lowercase hex survives mail systems that fold the case of local parts.
 * The key is a file readable by the service only. Pure but for the file.
 */
#ifndef DEADLINED_INBOX_TOKEN_H
#define DEADLINED_INBOX_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_KEY_LEN 32
#define TOKEN_REF_LEN 16
#define TOKEN_MAC_LEN 20
#define TOKEN_LEN     (TOKEN_REF_LEN + TOKEN_MAC_LEN)

/*
 * Reads the key file (any secret of 16 bytes or more; the key is its
 * SHA-256). It must not be readable by group or others. With create, a
 * missing file is made (32 random bytes, hex, mode 0600). 0, or -1 with
 * why in err.
 */
int token_key_load(const char *path, bool create, unsigned char key[TOKEN_KEY_LEN], char *err,
                   size_t errlen);

/* The REF of a Message-ID (without <>): the 16 hex digits before '@'; -1 if none. */
int token_ref(const char *msgid, char ref[TOKEN_REF_LEN + 1]);

/* The token of (message id, agency); -1 when the id has no REF. */
int token_make(const unsigned char key[TOKEN_KEY_LEN], const char *msgid, const char *agency,
               char out[TOKEN_LEN + 1]);

/* Whether token is the one of (message id, agency); in constant time. */
bool token_check(const unsigned char key[TOKEN_KEY_LEN], const char *token, const char *msgid,
                 const char *agency);

/*
 * The token in addr when it is local+TOKEN@domain for the given reply
 * address local@domain (case-insensitive): 0 and out filled, or -1.
 */
int token_find(const char *addr, const char *reply_addr, char out[TOKEN_LEN + 1]);

/* SHA-256 of data, hex: the identity of a message's bytes. */
void token_hash(const void *data, size_t len, char out[65]);

/* local+TOKEN@domain of reply_addr local@domain. Malloc'ed. */
char *token_address(const char *reply_addr, const char *token);

#endif
