/*
 * cli — deadlinectl, the admin's tool: parse timeframes, check the config,
 * import plans, list tasks and agencies, preview mail, record progress,
 * and talk to the running daemon over its control socket.
 */
#ifndef DEADLINED_CLI_H
#define DEADLINED_CLI_H

/* Runs one command line; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
