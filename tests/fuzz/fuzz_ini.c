/*
 * libFuzzer target for the INI loader (cfg_load), which reads whatever an
 * admin saves. The input is written as a file in a private directory and
 * loaded. Besides memory errors (ASan) and undefined behaviour (UBSan), a
 * wrong answer is a finding:
 *  - a refusal lists at least one error, each line naming a file;
 *  - a loaded config keeps its values in their documented ranges, every
 *    agency is found by its id, every task and plan says where it was
 *    written, and planning digest and policies are computed;
 *  - loading the same text twice gives the same config (same digest).
 * Inputs naming /dev, /proc or /sys are skipped: an include of a device
 * (/dev/zero) reads forever by design, as `cat` would.
 * Every input that ever failed is kept in tests/fuzz/regressions/ini/.
 */
#include "cfg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[4096];
static char path[4096];

/* The private directory goes when the run ends, so runs leave no litter. */
static void remove_fuzz_file(void)
{
	unlink(path);
	rmdir(dir);
}

static const char *fuzz_file(void)
{
	if (!path[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/deadlined-fuzz-ini.XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/deadlined.ini", dir);
		atexit(remove_fuzz_file);
	}
	return path;
}

/* Every error line names a file ("FILE:LINE: …", "FILE: …"), but the count of
 * errors not listed ("… and 3 more errors") and indented continuations. */
static void check_refusal(const struct buf *errors)
{
	static const char more[] = "\u2026 and ";

	if (!errors->len)
		abort();
	for (const char *line = errors->data; *line;) {
		if (line[0] != '/' && line[0] != ' ' && line[0] != '\t' &&
		    strncmp(line, more, strlen(more)) != 0)
			abort();
		const char *eol = strchr(line, '\n');
		line = eol ? eol + 1 : line + strlen(line);
	}
}

static void check_loaded(const struct cfg *c)
{
	static const enum tf_kind kinds[] = {TF_ONCE, TF_PERIOD, TF_YEARLY, TF_QUARTERLY,
	                                     TF_MONTHLY};
	struct policy p;
	char digest[17];

	if (c->port < 1 || c->port > 65535 || c->timeout < 5 || c->timeout > 3600 ||
	    c->max_per_connection < 1 || c->connections < 1 || c->connections > 16 ||
	    c->retry_base <= 0 || c->retry_max_age <= 0)
		abort();
	for (size_t i = 0; i < c->n_agencies; i++)
		if (!c->agencies[i].id || cfg_agency(c, c->agencies[i].id) != &c->agencies[i] ||
		    !c->agencies[i].at.file || c->agencies[i].at.line <= 0)
			abort();
	for (size_t i = 0; i < c->n_tasks; i++)
		if (!c->tasks[i].id || !c->tasks[i].at.file || c->tasks[i].at.line <= 0)
			abort();
	for (size_t i = 0; i < c->n_plans; i++) {
		if (!c->plans[i].id || cfg_plan(c, c->plans[i].id) == NULL)
			abort();
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			cfg_policy(c, c->plans[i].id, NULL, kinds[k], &p);
	}
	cfg_planning_digest(c, digest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const special[] = {"/dev", "/proc", "/sys"};
	struct buf errors = BUF_INIT, again = BUF_INIT;

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (memmem(data, size, special[i], strlen(special[i])))
			return 0;
	FILE *f = fopen(fuzz_file(), "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct cfg *c = cfg_load(path, &errors, NULL);
	struct cfg *c2 = cfg_load(path, &again, NULL);
	if (!c != !c2)
		abort();
	if (!c) {
		check_refusal(&errors);
	} else {
		char d1[17], d2[17];
		check_loaded(c);
		cfg_planning_digest(c, d1);
		cfg_planning_digest(c2, d2);
		if (strcmp(d1, d2) != 0)
			abort();
	}
	cfg_free(c);
	cfg_free(c2);
	buf_free(&errors);
	buf_free(&again);
	return 0;
}
