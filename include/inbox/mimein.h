/*
 * mimein — an inbound message read with GMime, the only module that
 * includes gmime.h. Inbound mail is hostile input: sizes, part counts and
 * nesting are capped, text comes out as UTF-8 whatever the charset
 * (windows-1258 included), an HTML-only message is made text (quotes kept
 * as "> " lines), TNEF (winmail.dat) is set aside unread, and a forwarded
 * message inside is not read as the sender's own words. What it finds is
 * plain data; deciding is the inbox's job.
 */
#ifndef DEADLINED_INBOX_MIMEIN_H
#define DEADLINED_INBOX_MIMEIN_H

#include <stdbool.h>
#include <stddef.h>

struct mimein_limits {
	size_t message;     /* bytes of the whole message */
	size_t attachment;  /* decoded bytes of one attachment */
	size_t attachments; /* decoded bytes of all of them */
	int parts;          /* MIME parts */
	size_t text;        /* bytes of body text kept */
};

/* 40 MB, 10 MB, 25 MB, 200 parts, 1 MB. */
extern const struct mimein_limits mimein_default_limits;

struct mimein_att {
	char *filename; /* made safe: see mimein_safe_filename */
	char *content_type;
	size_t size;         /* decoded */
	unsigned char *data; /* NULL when refused */
	char *refused;       /* why it is not kept, or NULL */
	bool too_large;      /* refused for its size */
};

struct mimein_list {
	char **v;
	size_t n;
};

struct mimein_msg {
	char *message_id; /* without <>, or NULL */
	char *in_reply_to;
	struct mimein_list references;
	char *from_addr, *from_name; /* the first From mailbox; NULL when none */
	struct mimein_list rcpts;    /* To, Cc, Delivered-To, X-Original-To, Envelope-To */
	char *subject;               /* decoded, one line */
	char *text;                  /* the body as UTF-8 text */
	bool html;                   /* the text was made from HTML */
	struct mimein_att *atts;
	size_t n_atts;
	char *automatic;    /* why this is an automatic message, or NULL */
	bool report;        /* multipart/report; report-type=delivery-status */
	char *dsn;          /* the message/delivery-status text, or NULL */
	char *dsn_original; /* the Message-ID of the message reported on, or NULL */
	char *problem;      /* why the message cannot be read, or NULL */
};

/*
 * Reads raw[0..len). Returns 0, or -1 when it cannot be read at all
 * (out->problem says why; the headers found so far are kept).
 */
int mimein_parse(const char *raw, size_t len, const struct mimein_limits *lim,
                 struct mimein_msg *out);
void mimein_free(struct mimein_msg *m);

/* The text of an HTML body: tags dropped, blocks as lines, blockquotes as "> ". */
char *mimein_html_text(const char *html, size_t len);

/*
 * A file name safe to create: no directories, no control or shell
 * characters, no leading dot, NFC, at most 100 bytes, never empty.
 */
char *mimein_safe_filename(const char *name);

#endif
