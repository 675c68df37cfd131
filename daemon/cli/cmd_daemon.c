/*
 * cmd_daemon — `check-config`, and the requests to the running daemon (status, reload, …).
 */
#include "cli/cmd.h"

#include "ctl.h"
#include "digest.h"
#include "mail.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --smtp: log in to [smtp] host as a delivery would, and quit without sending. */
static int check_smtp(const struct cfg *cfg)
{
	struct mail_settings ms;
	struct buf report = BUF_INIT;

	if (!cfg->host) {
		fprintf(stderr, "deadlinectl: --smtp: [smtp] host is not set\n");
		return 1;
	}
	if (cfg->transport != CFG_SMTP)
		printf(
		    "note: [mail] transport is maildir: the daemon does not use this server yet\n");
	mail_settings_from_cfg(cfg, &ms);
	int rc = mail_probe(&ms, &report);
	fputs(buf_str(&report), stdout);
	printf("smtp: %s\n", rc == 0 ? "ok" : "FAILED");
	mail_settings_free(&ms);
	buf_free(&report);
	return rc == 0 ? 0 : 1;
}

int cmd_check_config(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"smtp", no_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
	struct buf errors = BUF_INIT;
	bool smtp = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 's')
			return cli_usage_error(c->usage);
		smtp = true;
	}
	if (optind != argc)
		return cli_usage_error(c->usage);
	if (cli_load_config(c) < 0)
		return 1;
	/* The secrets are checked, not read: the admin may not be able to. */
	uid_t uid;
	gid_t gid;
	if (cli_service_account(c, &uid, &gid) < 0)
		return 1;
	if (cfg_check_secrets(c->cfg, uid, &errors) < 0) {
		fprintf(stderr, "deadlinectl: %s has errors:\n%s", c->config_path,
		        buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	struct digest_templates *t =
	    digest_templates_load(c->cfg->templates, c->cfg->language, &errors);
	if (!t) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	digest_templates_free(t);
	printf("%s: ok: %zu agencies, %zu groups, %zu plans, %zu tasks; templates %s/%s\n",
	       c->config_path, c->cfg->n_agencies, c->cfg->n_groups, c->cfg->n_plans,
	       c->cfg->n_tasks, c->cfg->templates, c->cfg->language);
	fflush(stdout);
	if (smtp && cli_read_secrets(c) < 0)
		return 1;
	return smtp ? check_smtp(c->cfg) : 0;
}

/* status, reload, reschedule, send-now: one request to the daemon. */
int cmd_daemon(struct cli *c, int argc, char **argv)
{
	struct buf reply = BUF_INIT;
	const char *path;

	if (argc != 1)
		return cli_usage_error(argv[0]);
	if (!(path = cli_socket_path(c)))
		return 1;
	if (ctl_request(path, argv[0], &reply) < 0) {
		fprintf(stderr, "deadlinectl: cannot reach the daemon at %s: %s\n", path,
		        strerror(errno));
		buf_free(&reply);
		return 1;
	}
	/* "ok" then the details, or "error: why". */
	const char *text = buf_str(&reply);
	bool ok = !strncmp(text, "ok", 2) && (text[2] == '\n' || text[2] == '\0');
	if (ok)
		fputs(text + 2 + (text[2] == '\n'), stdout);
	else
		fprintf(stderr, "deadlinectl: %s", text);
	buf_free(&reply);
	return ok ? 0 : 1;
}
