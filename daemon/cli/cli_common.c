/*
 * cli_common — see cli/cmd.h: what every deadlinectl command shares.
 */
#include "cli/cmd.h"

#include "ctl.h"
#include "ctlproto.h"
#include "date.h"
#include "planner.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_usage_error(const char *usage)
{
	fprintf(stderr, "usage: deadlinectl %s\n", usage);
	return 2;
}

int cli_load_config(struct cli *c)
{
	struct buf errors = BUF_INIT, warnings = BUF_INIT;

	/* The SMTP password is the daemon's: nothing here sends, and admins cannot read it. */
	c->cfg = cfg_load_without_secrets(c->config_path, &errors, &warnings);
	if (warnings.len)
		fprintf(stderr, "%s", buf_str(&warnings));
	if (!c->cfg)
		fprintf(stderr, "deadlinectl: %s has errors:\n%s", c->config_path,
		        buf_str(&errors));
	buf_free(&errors);
	buf_free(&warnings);
	if (!c->cfg)
		return -1;
	c->dir = dir_new(c->cfg);
	return 0;
}

int cli_read_secrets(struct cli *c)
{
	struct buf errors = BUF_INIT;
	int rc = cfg_read_secrets(c->cfg, &errors);

	/* Sending needs them; the service's group cannot read them, by design. */
	if (rc < 0)
		fprintf(stderr,
		        "deadlinectl: %s%s: this command sends, so it needs the password: run it "
		        "as root or as the service's user\n",
		        buf_str(&errors), c->config_path);
	buf_free(&errors);
	return rc;
}

int cli_service_account(const struct cli *c, uid_t *uid, gid_t *gid)
{
	const char *name = c->cfg->service_user;
	struct passwd *pw;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (!name)
		return 0;
	errno = 0;
	if (!(pw = getpwnam(name))) {
		fprintf(stderr, "deadlinectl: %s: [daemon] user '%s' does not exist%s%s\n",
		        c->config_path, name, errno ? ": " : "", errno ? strerror(errno) : "");
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 1;
}

/*
 * Who owns a store deadlinectl is about to create. Run by an admin, the
 * store's directory decides (see store_open). Run by root, a root-owned
 * store would be one the service cannot write ("attempt to write a
 * readonly database"): the store, and its directory if missing, go to the
 * [daemon] user; with none named, to the directory's owner, and a missing
 * directory is refused.
 */
static int new_store_owner(struct cli *c, const char *path, uid_t *uid, gid_t *gid)
{
	if (geteuid() != 0)
		return 0;

	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	struct stat st;
	int found = cli_service_account(c, uid, gid), rc = -1;

	if (found < 0) {
		fprintf(stderr,
		        "deadlinectl: not creating %s as root: the service's user must exist "
		        "first (make install runs systemd-sysusers)\n",
		        path);
	} else if (stat(dir, &st) == 0 || errno != ENOENT) {
		rc = 0;
	} else if (!found) {
		fprintf(stderr,
		        "deadlinectl: not creating %s as root: it would belong to root, not to "
		        "the service; name the service's account ([daemon] user) or create the "
		        "directory (systemd-tmpfiles --create)\n",
		        dir);
	} else if (mkdir(dir, 0700) < 0 || chown(dir, *uid, *gid) < 0 || chmod(dir, 02770) < 0) {
		/* 2770 as systemd/deadlined.tmpfiles makes it: the group administers. */
		fprintf(stderr, "deadlinectl: creating %s: %s\n", dir, strerror(errno));
	} else {
		rc = 0;
	}
	free(copy);
	return rc;
}

int cli_open_store(struct cli *c)
{
	char err[512];
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	if (!c->cfg && cli_load_config(c) < 0)
		return -1;
	const char *path = c->db_path ? c->db_path : c->cfg->database;
	if (access(path, F_OK) < 0 && errno == ENOENT && new_store_owner(c, path, &uid, &gid) < 0)
		return -1;
	if (store_open_as(path, uid, gid, &c->st, err, sizeof(err)) < 0) {
		fprintf(stderr, "deadlinectl: database %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * For commands that only read (tasks, agencies, preview): the store as the
 * daemon will see it once it has read this config, so that a preview of a
 * config it has not read yet is not empty. The INI's tasks are stored in a
 * transaction that is never committed: when they change anything, the
 * transaction stays open while the command reads and is rolled back at
 * exit; when they change nothing, no lock is held.
 */
int cli_open_view(struct cli *c)
{
	struct sync_report r;

	if (cli_open_store(c) < 0)
		return -1;
	if (store_begin(c->st) < 0 || sync_config(c->st, c->dir, c->now, &r) < 0) {
		fprintf(stderr, "deadlinectl: warning: %s: %s; showing the store as it is\n",
		        c->config_path, store_error(c->st));
		store_rollback(c->st);
		return 0;
	}
	/* An INI [plan] section may date a plan: the view keeps it. */
	if (r.created + r.updated + r.removed + r.occurrences + r.plans == 0) {
		store_rollback(c->st);
		return 0;
	}
	c->viewing = true;
	return 0;
}

/* Only the socket is read: the daemon still answers while the file on disk is broken. */
const char *cli_socket_path(struct cli *c)
{
	if (c->socket)
		return c->socket;
	if (c->cfg)
		return c->cfg->control_socket;
	if (!c->config_socket && !(c->config_socket = cfg_control_socket(c->config_path)))
		fprintf(stderr, "deadlinectl: cannot read %s: %s\n", c->config_path,
		        strerror(errno));
	return c->config_socket;
}

/* The store changed: the daemon looks again now, or at its next start. */
void cli_poke_daemon(struct cli *c)
{
	struct buf reply = BUF_INIT;
	const char *path = cli_socket_path(c);

	if (path && ctl_request(path, CTL_RESCHEDULE, &reply) < 0)
		fprintf(stderr,
		        "deadlinectl: the daemon is not running (%s): the change takes "
		        "effect when it starts\n",
		        path);
	buf_free(&reply);
}

/* "2025-12-08" (the start of the day), or a full ISO 8601 time. */
int cli_parse_when(const char *s, int tz, bool end_of_day, time_t *out)
{
	if (date_parse_iso(s, tz, out) < 0)
		return -1;
	if (end_of_day && strlen(s) == 10)
		*out += DATE_DAY - 1;
	return 0;
}

const char *cli_user(void)
{
	const char *u = getenv("SUDO_USER");

	if (!u || !*u)
		u = getlogin();
	if (!u || !*u)
		u = getenv("USER");
	return u && *u ? u : "admin";
}

void cli_planner_plan(struct cli *c, const struct store_plan *p, struct planner_plan *out)
{
	time_t created = TF_NONE;

	if (store_plan_created(c->st, p->id, &created) < 0)
		created = TF_NONE;
	planner_plan_of(p, created, c->cfg->tz_offset, out);
}

int cli_find_task(struct cli *c, const char *ref, struct task *t)
{
	int64_t id;
	int found = store_task_find(c->st, ref, &id);

	if (found == 1 && store_task_get(c->st, id, t) == 1)
		return 0;
	fprintf(stderr,
	        "deadlinectl: no task '%s' (use PLAN:KEY or the id from "
	        "`deadlinectl tasks`)\n",
	        ref);
	return -1;
}

const char *cli_when(const struct cli *c, time_t t, char *buf, size_t len)
{
	struct date_civil d;

	if (t == TF_NONE) {
		util_strlcpy(buf, "-", len);
		return buf;
	}
	date_split(t, c->cfg ? c->cfg->tz_offset : DATE_TZ_VIETNAM, &d);
	snprintf(buf, len, "%02d/%02d/%04d %02d:%02d", d.day, d.month, d.year, d.hour, d.minute);
	return buf;
}

const char *cli_day(const struct cli *c, time_t t, char *buf, size_t len)
{
	if (t == TF_NONE)
		util_strlcpy(buf, "-", len);
	else
		date_format_vn(t, c->cfg ? c->cfg->tz_offset : DATE_TZ_VIETNAM, buf, len);
	return buf;
}

void cli_print(struct buf *b)
{
	fwrite(b->data ? b->data : "", 1, b->len, stdout);
	buf_reset(b);
}

/* A few plans serve thousands of tasks: a linear search is enough. */
const struct store_plan *cli_plan(struct cli *c, const char *id)
{
	for (size_t i = 0; i < c->n_plans; i++)
		if (!strcmp(c->plans[i]->id, id))
			return c->plans[i];
	struct store_plan *p = xcalloc(1, sizeof(*p));
	if (store_plan_get(c->st, id, p) != 1) {
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(id);
	}
	c->plans = xrealloc(c->plans, (c->n_plans + 1) * sizeof(*c->plans));
	c->plans[c->n_plans++] = p;
	return p;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	char tmp[4200];
	FILE *f;
	int saved = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		saved = errno;
	} else {
		if (fwrite(data, 1, len, f) != len)
			saved = errno ? errno : EIO;
		if (fclose(f) != 0 && !saved)
			saved = errno;
		if (!saved && rename(tmp, path) < 0)
			saved = errno;
		if (saved)
			unlink(tmp);
	}
	if (saved)
		fprintf(stderr, "deadlinectl: %s: %s\n", path, strerror(saved));
	return saved ? -1 : 0;
}
