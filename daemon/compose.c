/*
 * compose — see compose.h.
 */
#include "compose.h"

#include "date.h"
#include "inbox/token.h"
#include "mime.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *compose_domain(const struct cfg *c)
{
	const char *at = strrchr(c->from_addr, '@');

	return at ? at + 1 : "localhost";
}

char *compose_message_id(const struct cfg *c, time_t now)
{
	struct date_civil t;
	char id[320];

	date_split(now, 0, &t);
	snprintf(id, sizeof(id), "deadlined.%04d%02d%02dT%02d%02d%02d.%08x%08x@%s", t.year, t.month,
	         t.day, t.hour, t.minute, t.second, arc4random(), arc4random(), compose_domain(c));
	return xstrdup(id);
}

static void addr_list(const struct cfg_list *l, const char *name, struct mime_addr **out, size_t *n)
{
	*out = xcalloc(l->n ? l->n : 1, sizeof(**out));
	for (size_t i = 0; i < l->n; i++)
		(*out)[i] = (struct mime_addr){name, l->v[i]};
	*n = l->n;
}

char *compose_reply_address(const struct cfg *c, const char *msgid, const char *agency)
{
	const char *base = c->reply_addr ? c->reply_addr : c->inbox.enabled ? c->from_addr : NULL;
	char token[TOKEN_LEN + 1];

	if (!base)
		return NULL;
	if (!c->inbox.enabled || !c->inbox.have_key || !agency ||
	    token_make(c->inbox.key, msgid, agency, token) < 0)
		return xstrdup(base);
	return token_address(base, token);
}

int compose_digest(const struct cfg *c, const struct digest_msg *d, const char *agency,
                   const char *msgid, time_t now, struct buf *out, char *err, size_t errlen)
{
	char *reply_addr = compose_reply_address(c, msgid, agency);
	struct mime_addr *to, *cc,
	    reply = {c->reply_addr ? c->reply_name : c->from_name, reply_addr};
	size_t n_to, n_cc;

	addr_list(&d->to, d->to_name, &to, &n_to);
	addr_list(&d->cc, NULL, &cc, &n_cc);
	struct mime_msg m = {
	    .from = {c->from_name, c->from_addr},
	    .reply_to = reply_addr ? &reply : NULL,
	    .to = to,
	    .n_to = n_to,
	    .cc = cc,
	    .n_cc = n_cc,
	    .subject = d->subject,
	    .date = now,
	    .tz_offset = c->tz_offset,
	    .message_id = msgid,
	    .in_reply_to = d->in_reply_to,
	    .references = (const char *const *)d->references.v,
	    .n_references = d->references.n,
	    .text = d->text,
	    .html = d->html,
	    .language = c->language,
	};
	int rc = mime_build(&m, out, err, errlen);
	free(to);
	free(cc);
	free(reply_addr);
	return rc;
}

char *compose_envelope(const struct digest_msg *d)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < d->to.n; i++)
		buf_printf(&b, "%s\n", d->to.v[i]);
	for (size_t i = 0; i < d->cc.n; i++)
		buf_printf(&b, "%s\n", d->cc.v[i]);
	return buf_steal(&b);
}

int compose_admin(const struct cfg *c, const char *subject, const char *text, const char *msgid,
                  time_t now, struct buf *out, char *err, size_t errlen)
{
	struct mime_addr to = {NULL, c->admin};
	struct mime_msg m = {.from = {c->from_name, c->from_addr},
	                     .to = &to,
	                     .n_to = 1,
	                     .subject = subject,
	                     .date = now,
	                     .tz_offset = c->tz_offset,
	                     .message_id = msgid,
	                     .text = text,
	                     .language = "en"};

	return mime_build(&m, out, err, errlen);
}
