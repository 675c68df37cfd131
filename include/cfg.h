/*
 * cfg — the INI configuration, read whole and validated whole.
 *
 * cfg_load() builds a new struct cfg from a file (and the files it
 * includes) or returns every problem found, each naming FILE:LINE, the
 * section and the key. Nothing is half-applied: the daemon keeps its old
 * config until a new one has loaded cleanly, then swaps.
 *
 * Lines longer than the INI library's limit are an error, never a silently
 * split value; a long value continues on indented lines, and list keys
 * (alias, email, member, lead, holiday …) simply repeat. Comments are whole
 * lines starting with ';' or '#': a ';' inside a value is part of it.
 * Relative paths are relative to the directory of the file naming them.
 */
#ifndef DEADLINED_CFG_H
#define DEADLINED_CFG_H

#include "buf.h"
#include "cal.h"
#include "policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum cfg_transport { CFG_MAILDIR, CFG_SMTP };
enum cfg_tls { CFG_TLS_STARTTLS, CFG_TLS_NONE };

struct cfg_list {
	char **v;
	size_t n;
};

/* Where something was written, for messages. */
struct cfg_where {
	const char *file; /* owned by the cfg */
	int line;
};

struct cfg_kv {
	char *key, *value;
	struct cfg_where at;
};

struct cfg_kvs {
	struct cfg_kv *v;
	size_t n;
};

struct cfg_agency {
	char *id, *name;
	struct cfg_list emails, aliases;
	struct cfg_list reply_from; /* other addresses its staff reply from */
	char *supervisor;           /* agency id, or NULL for the default */
	char *successor;            /* agency id, or NULL */
	int64_t since;              /* local day the successor takes over */
	struct cfg_where at;
};

struct cfg_group {
	char *id, *name;
	struct cfg_list aliases, members, emails;
	struct cfg_where at;
};

struct cfg_plan {
	char *id, *title;
	char *issued; /* YYYY-MM-DD or NULL */
	int first_year, last_year;
	char *monitor;         /* agency id or NULL: [daemon] monitor */
	struct cfg_kvs policy; /* overrides, applied by cfg_policy() */
	struct cfg_where at;
};

struct cfg_task {
	char *id, *plan, *title, *timeframe;
	char *same_as; /* "PLAN:KEY": the imported task it is (planned once, as that one) */
	struct cfg_list leads, coordinating; /* cells, split by the directory */
	struct cfg_kvs policy;
	struct cfg_where at;
};

/* [inbox]: replies read from a Maildir or an IMAP mailbox; off without the section. */
struct cfg_inbox {
	bool enabled;
	char *maildir; /* its new/ is watched */
	char *url;     /* imaps://host[:port]/MAILBOX (imap:// to a loopback host only) */
	char *user, *password_file, *ca_file;
	char *password; /* read from password_file */
	int interval;   /* seconds between IMAP polls */
	char *key_file; /* the reply tokens' key: default beside the database, inbox.key */
	unsigned char key[32];
	bool have_key;    /* false while the default key file does not exist yet */
	bool key_default; /* key_file is the default one, beside the database */
};

struct cfg {
	char *path;
	struct cfg_list files;    /* every file read, for change detection */
	struct cfg_kvs positions; /* where "section" and "section.key" were written */

	/* [daemon] */
	char *database, *control_socket, *templates, *language;
	char *service_user; /* the account the daemon runs as, or NULL: see cfg_load */
	int tz_offset;
	char *monitor;            /* default monitoring agency */
	char *default_supervisor; /* where escalation ends: UBND tỉnh */

	/* [mail] */
	enum cfg_transport transport;
	char *maildir;
	char *from_name, *from_addr, *reply_name, *reply_addr;
	char *admin; /* failure summaries and calendar warnings */
	/* Where `deadlinectl export ics` files are published, "{agency}" standing
	 * for the agency's id; the digest shows it (calendar_url). NULL: not shown. */
	char *calendar_url;
	char *contact_name, *contact_phone; /* the person agencies may call (mail footer) */
	int keep_bodies;                    /* days a sent message's text is kept; 0: forever */

	/* [smtp] */
	char *host;
	int port;
	enum cfg_tls tls;
	char *ca_file;
	bool verify;
	char *user, *password_file;
	char *password; /* read from password_file by cfg_load(), NULL otherwise */
	char *envelope_from, *helo;
	int timeout;            /* seconds per SMTP command */
	int max_per_connection; /* messages per session */
	int connections;        /* SMTP sessions in parallel */
	int retry_max_age;      /* seconds before a message is failed */
	int retry_base;         /* seconds, doubled per attempt */

	struct cfg_inbox inbox;

	struct cal cal;
	struct policy policy;

	struct cfg_agency *agencies;
	size_t n_agencies;
	struct cfg_agency **agencies_by_id; /* sorted, for cfg_agency(): a hot path */
	struct cfg_group *groups;
	size_t n_groups;
	struct cfg_plan *plans;
	size_t n_plans;
	struct cfg_task *tasks;
	size_t n_tasks;
};

/*
 * Loads and validates a configuration. On failure returns NULL and writes
 * every problem into errors (one per line, "FILE:LINE: [section] key: why").
 * Warnings (an INI task whose timeframe or agency is not understood, which
 * is stored flagged) go to warnings; both may be NULL.
 */
struct cfg *cfg_load(const char *path, struct buf *errors, struct buf *warnings);
/*
 * The same without reading the service's secrets ([smtp] and [inbox]
 * password_file, the reply tokens' key): most of deadlinectl sends nothing
 * itself, and an admin in the service's group cannot (and need not) read
 * them.
 */
struct cfg *cfg_load_without_secrets(const char *path, struct buf *errors, struct buf *warnings);
/*
 * Reads the secrets cfg_load_without_secrets() left alone ([smtp] and
 * [inbox] password_file, the reply tokens' key), for a command that sends
 * itself (test-mail, check-config --smtp). 0, or -1 with the errors written.
 */
int cfg_read_secrets(struct cfg *c, struct buf *errors);
/*
 * Checks the secrets as the daemon will find them, without reading them:
 * files with no group or other access, owned by service_uid unless that is
 * (uid_t)-1. 0 (also when there are none), or -1 with the errors written.
 */
int cfg_check_secrets(const struct cfg *c, uid_t service_uid, struct buf *errors);
void cfg_free(struct cfg *c);

/*
 * The control socket a file names, read even when the rest of it has
 * errors: deadlinectl must reach a daemon still running the previous,
 * valid version. NULL when the file cannot be read. Caller frees.
 */
char *cfg_control_socket(const char *path);

const struct cfg_agency *cfg_agency(const struct cfg *c, const char *id);
const struct cfg_group *cfg_group(const struct cfg *c, const char *id);
const struct cfg_plan *cfg_plan(const struct cfg *c, const char *id);

/*
 * The policy for a task: the global one, with the plan's overrides (if the
 * plan has a [plan] section) and then the task's own ("remind = 7 1"
 * applies to the task's kind). task_overrides is "key = value" lines, as
 * stored for imported tasks; may be NULL. Bad overrides were rejected at
 * load; here they are skipped.
 */
void cfg_policy(const struct cfg *c, const char *plan_id, const struct cfg_kvs *task_kvs,
                enum tf_kind kind, struct policy *out);

/* [mail] calendar_url for an agency ("{agency}" replaced), malloc'ed; NULL when unset. */
char *cfg_calendar_url(const struct cfg *c, const char *agency);

/*
 * A digest of what decides when and to whom existing occurrences are
 * notified: the policy (global and per plan), the calendar, the time zone,
 * agencies' supervisors and successors, the monitors. When it differs from
 * the stored one, every occurrence is planned again. (Names, aliases and
 * groups decide how cells resolve, which happens when tasks are stored.)
 */
void cfg_planning_digest(const struct cfg *c, char out[17]);

#endif
