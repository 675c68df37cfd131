/*
 * cli/cmd — the contract between deadlinectl's dispatcher (cli.c) and its
 * commands (daemon/cli/cmd_*.c): the state every command shares and the
 * helpers they all use. Each command parses its own options (getopt_long
 * from optind 0, so options may follow arguments), prints to stdout,
 * reports errors once on stderr and returns the exit status: 0, 1 when
 * something failed, 2 for a usage error. The dispatcher answers
 * `COMMAND --help` from its table (the usage is also in c->usage) and sets
 * c->now from --now.
 */
#ifndef DEADLINED_CLI_CMD_H
#define DEADLINED_CLI_CMD_H

#include "cfg.h"
#include "dir.h"
#include "store.h"
#include "planner.h"
#include "task.h"

#include <stdbool.h>
#include <time.h>

struct cli {
	const char *config_path, *db_path, *socket;
	const char *usage;   /* the command's usage line, for cli_usage_error */
	char *config_socket; /* read from the config, even a broken one */
	bool viewing;        /* a transaction with the INI's tasks, never committed */
	struct cfg *cfg;
	struct dir *dir;
	struct store *st;
	time_t now;                /* the system's clock, or --now */
	struct store_plan **plans; /* read by cli_plan; each stays where it is */
	size_t n_plans;
};

typedef int (*command_fn)(struct cli *c, int argc, char **argv);

/* Prints "usage: deadlinectl USAGE" on stderr; returns 2. */
int cli_usage_error(const char *usage);
/* The config and the directory; errors printed. 0 or -1. */
int cli_load_config(struct cli *c);
/*
 * The store (and the config first); errors printed. 0 or -1. A store it
 * creates is the service's, never root's (see cli_common.c).
 */
int cli_open_store(struct cli *c);
/*
 * For the commands that send themselves (test-mail, check-config --smtp):
 * the SMTP password and the reply tokens' key, which cli_load_config leaves
 * unread. 0 or -1 (printed).
 */
int cli_read_secrets(struct cli *c);
/* The [daemon] user's uid and gid: 1, 0 when the config names none, -1 (printed) when unknown. */
int cli_service_account(const struct cli *c, uid_t *uid, gid_t *gid);
/*
 * For commands that only read: the store as the daemon will see it once
 * it has read this config (the INI's tasks in a transaction that is never
 * committed). 0 or -1.
 */
int cli_open_view(struct cli *c);
/* The control socket's path; only that is read from a config that has errors. */
const char *cli_socket_path(struct cli *c);
/* The store changed: the daemon looks again now, or at its next start. */
void cli_poke_daemon(struct cli *c);
/* "2025-12-08" (the start of the day, or its end), or a full ISO 8601 time. */
int cli_parse_when(const char *s, int tz, bool end_of_day, time_t *out);
/* Who runs the command, for the audit trail: the sudo user, the login, else "admin". */
const char *cli_user(void);
/* A task by PLAN:KEY or id, loaded into *t; an error printed when none. 0 or -1. */
int cli_find_task(struct cli *c, const char *ref, struct task *t);
/* What the planner knows of plan p (from the store): its period, monitor, start. */
void cli_planner_plan(struct cli *c, const struct store_plan *p, struct planner_plan *out);

/* A plan as stored, read once per command; an empty one (its id only) when not stored. */
const struct store_plan *cli_plan(struct cli *c, const char *id);
/* For people: "08/12/2025 08:00" and "08/12/2025" in the config's zone; "-" for TF_NONE. */
const char *cli_when(const struct cli *c, time_t t, char *buf, size_t len);
const char *cli_day(const struct cli *c, time_t t, char *buf, size_t len);
/* The members of a message's JSON object, as `messages --json` writes it (no braces). */
void cli_message_json(const struct cli *c, const struct store_message *m, struct buf *b);
/* A whole file or nothing: written beside path, then renamed over it; errors said. 0 or -1. */
int cli_write_file(const char *path, const void *data, size_t len);
/* Writes b to stdout and empties it. */
void cli_print(struct buf *b);

/* The commands, one file per group (daemon/cli/cmd_GROUP.c). */
int cmd_parse(struct cli *c, int argc, char **argv);
int cmd_check_config(struct cli *c, int argc, char **argv);
int cmd_daemon(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_tasks(struct cli *c, int argc, char **argv);
int cmd_agencies(struct cli *c, int argc, char **argv);
int cmd_preview(struct cli *c, int argc, char **argv);
int cmd_progress(struct cli *c, int argc, char **argv);
int cmd_extend(struct cli *c, int argc, char **argv);
int cmd_agenda(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_messages(struct cli *c, int argc, char **argv);
int cmd_resend(struct cli *c, int argc, char **argv);
int cmd_test_mail(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_inbox(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);

#endif
