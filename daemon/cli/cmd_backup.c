/*
 * cmd_backup — `deadlinectl backup FILE`: a consistent copy of the store,
 * taken while the daemon runs. Restoring is the README's: stop the
 * service, copy the file back (owner, group, mode), start it.
 */
#include "cli/cmd.h"

#include <stdio.h>

int cmd_backup(struct cli *c, int argc, char **argv)
{
	char err[512];

	if (argc != 2)
		return cli_usage_error(c->usage);
	if (cli_open_store(c) < 0)
		return 1;
	if (store_backup(c->st, argv[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "deadlinectl: backup: %s\n", err);
		return 1;
	}
	printf("%s: a copy of %s; integrity ok\n", argv[1],
	       c->db_path ? c->db_path : c->cfg->database);
	return 0;
}
