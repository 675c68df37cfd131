/*
 * bench_scale — the whole province's portfolio, measured the way it runs:
 * the real deadlined and deadlinectl binaries on a store of N tasks, for N
 * in the series (BENCH_SERIES, default "1000 10000 100000 1000000").
 *
 * For each N (medians of repeated runs; the machines are shared and noisy):
 *  - cold start: a freshly imported store (no occurrence planned yet); the
 *    daemon from exec to READY=1, which it sends once everything due is
 *    decided and composed and its next wake-up is known   (100k: < 3 s)
 *  - how many messages that first slot queued, and the most to one agency
 *    (one digest per agency per slot, whatever the batches)
 *  - restart on the planned store: exec to READY, and the peak resident
 *    memory then                                  (1M occurrences: < 1 s, < 64 MB)
 *  - `deadlinectl preview --json` of one year, end to end into a pipe, and
 *    its peak memory                                             (100k: < 5 s)
 * The store is built with the functions the importer uses (the import's own
 * speed is bench_import's business).
 */
#include "bench.h"
#include "cfg.h"
#include "date.h"
#include "dir.h"
#include "store.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SERIES "1000 10000 100000 1000000"
#define MAX_SERIES     8

struct bench {
	char root[256], dir[256], config[300], db[300], cold[300], sock[300], mail[300];
	struct cfg *cfg;
	struct dir *d;
	time_t now;
	int tasks;
	long occurrences;
};

struct result {
	int tasks;
	long occurrences;
	double cold, ready, rss, preview, preview_rss;
	long first_slot, max_per_agency, emails;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_scale: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_config(struct bench *b)
{
	FILE *f = fopen(b->config, "w");

	if (!f)
		die(b->config);
	/* The plan dates its duties: recurring ones start with it. */
	fprintf(f,
	        "include = %s/config/directory.ini\n[daemon]\ndatabase = %s\n"
	        "control_socket = %s/control\ntemplates = %s/config/templates\n"
	        "monitor = skhcn\ndefault_supervisor = ubnd\n[mail]\ntransport = maildir\n"
	        "maildir = %s\nfrom = Bench <bench@quangngai.example>\n"
	        "[plan BENCH]\ntitle = Kế hoạch thử tải\nissued = 2025-06-02\n",
	        b->root, b->db, b->dir, b->root, b->mail);
	fclose(f);
}

/* A realistic mix: many one-off deadlines, some weekly and monthly duties. */
static const char *timeframe_of(int i)
{
	static const char *const mix[] = {
	    "Hàng tuần",
	    "Quý I/2026",
	    "Quý II/2026",
	    "Hàng tháng",
	    "Quý III/2026",
	    "Quý IV hàng năm",
	    "2025 - 2026",
	    "Quý IV/2026",
	    "Năm 2026",
	    "Hàng quý",
	    "Hàng tuần",
	    "Tháng 6/2026",
	    "trước ngày 15/12 hàng năm",
	    "Thường xuyên",
	    "Hàng tuần",
	    "Quý II/2027",
	    "2026 - 2027",
	    "Hàng tháng",
	    "Quý I/2027",
	    "Năm 2027",
	};

	return mix[i % (int)UTIL_NELEM(mix)];
}

static void build_store(struct bench *b)
{
	struct store *st;
	char err[256];
	struct sync_report r = {0};
	enum store_change change;
	const struct cfg *c = b->cfg;

	unlink(b->db);
	if (store_open(b->db, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_scale: %s\n", err);
		exit(1);
	}
	/* As the daemon's first start would: the INI's plan section in the store. */
	store_begin(st);
	if (sync_config(st, b->d, b->now, &r) < 0)
		fprintf(stderr, "bench_scale: %s\n", store_error(st));
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < b->tasks; i++) {
		const struct cfg_agency *lead = &c->agencies[i % c->n_agencies];
		const struct cfg_agency *coord = &c->agencies[(i * 7 + 3) % c->n_agencies];
		struct tf_ctx ctx = {c->tz_offset, 0, 0};
		struct task t;
		char key[32], title[160];
		task_init(&t);
		snprintf(key, sizeof(key), "t%d", i);
		snprintf(title, sizeof(title), "Nhiệm vụ thử số %d: triển khai nền tảng số", i);
		t.plan_id = xstrdup("BENCH");
		t.key = xstrdup(key);
		t.title = xstrdup(title);
		t.origin = xstrdup("import");
		task_set_timeframe(&t, timeframe_of(i), &ctx);
		task_add_agency(&t, TASK_LEAD, lead->id, lead->name, NULL, true);
		if (coord != lead)
			task_add_agency(&t, TASK_COORD, coord->id, coord->name, NULL, true);
		if (sync_task(st, &t, c->tz_offset, b->now, &change, &r) < 0) {
			fprintf(stderr, "bench_scale: %s\n", store_error(st));
			exit(1);
		}
		task_free(&t);
		if (i % 20000 == 19999) {
			store_commit(st);
			store_begin(st);
		}
	}
	store_commit(st);
	store_close(st);
	b->occurrences = r.occurrences;
}

static void copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	if (in < 0 || out < 0)
		die(from);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die(to);
	close(in);
	close(out);
}

/* ---- the real daemon: exec to READY=1 ------------------------------------------ */

static int notify_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	util_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("notify socket");
	struct timeval tv = {300, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static long status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	long kib = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			kib = atol(line + strlen(field) + 1);
	if (f)
		fclose(f);
	return kib;
}

/* Seconds from exec to READY=1; *peak_mb the peak resident memory by then. */
static double start_daemon(struct bench *b, double *peak_mb)
{
	char now[40], msg[512];
	int fd = notify_socket(b->sock);
	double start = bench_seconds(), ready = -1;

	date_format_iso(b->now, b->cfg->tz_offset, now, sizeof(now));
	pid_t pid = fork();
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", b->sock, 1);
		if (!freopen("/dev/null", "w", stderr))
			_exit(127);
		execl("./deadlined", "deadlined", "--foreground", "--config", b->config, "--now",
		      now, (char *)NULL);
		_exit(127);
	}
	for (;;) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n < 0)
			break;
		msg[n] = '\0';
		if (strstr(msg, "READY=1")) {
			ready = bench_seconds() - start;
			break;
		}
	}
	*peak_mb = (double)status_kib(pid, "VmHWM:") / 1024;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fd);
	return ready;
}

/* A number from the sqlite3 command-line tool (the bench does not link SQLite). */
static long query(const char *db, const char *sql)
{
	char cmd[1024];
	long v = -1;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", db, sql);
	FILE *p = popen(cmd, "r");
	if (!p || fscanf(p, "%ld", &v) != 1)
		v = -1;
	if (p)
		pclose(p);
	return v;
}

/* Messages the first slot queued, and the most any one agency got. */
static void first_slot(struct bench *b, long *messages, long *max_per_agency)
{
	*messages = query(b->db, "SELECT COUNT(*) FROM messages WHERE recipient <> 'admin'");
	*max_per_agency =
	    query(b->db, "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n "
	                 "FROM messages WHERE recipient <> 'admin' GROUP BY recipient)");
}

/* ---- deadlinectl preview --json ------------------------------------------------- */

static double preview(struct bench *b, double *peak_mb, long *emails)
{
	char from[32], to[32];
	struct date_civil c;
	int pipefd[2];
	struct rusage ru;
	int status;

	date_split(b->now, b->cfg->tz_offset, &c);
	snprintf(from, sizeof(from), "%04d-%02d-%02d", c.year, c.month, c.day);
	snprintf(to, sizeof(to), "%04d-%02d-%02d", c.year + 1, c.month, c.day);
	if (pipe(pipefd) < 0)
		die("pipe");
	double start = bench_seconds();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execl("./deadlinectl", "deadlinectl", "--config", b->config, "preview", "--from",
		      from, "--to", to, "--json", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	/* Lines counted as wc -l counts them (memchr): counting byte by byte
	 * through *emails, the reader fell behind the writer and added ~0.5 s. */
	static char buf[1 << 20];
	ssize_t n;
	long lines = 0;
	while ((n = read(pipefd[0], buf, sizeof(buf))) > 0)
		for (const char *q = buf, *end = buf + n; (q = memchr(q, '\n', (size_t)(end - q)));
		     q++)
			lines++;
	*emails = lines;
	close(pipefd[0]);
	wait4(pid, &status, 0, &ru);
	double t = bench_seconds() - start;
	*peak_mb = (double)ru.ru_maxrss / 1024;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

/* ---- one size ---------------------------------------------------------------------- */

static void run_size(struct bench *b, struct result *res)
{
	int runs = b->tasks >= 1000000 ? 1 : b->tasks >= 100000 ? 3 : 5;
	double cold[5], ready[5], rss[5], pv[5], pv_rss[5];
	char cmd[1200];

	build_store(b);
	copy_file(b->db, b->cold);
	for (int i = 0; i < runs; i++) {
		double peak;
		copy_file(b->cold, b->db);
		unlink(b->db); /* WAL files of the previous run go with it */
		snprintf(cmd, sizeof(cmd), "rm -rf %s %s-wal %s-shm", b->mail, b->db, b->db);
		if (system(cmd) != 0)
			die("rm");
		copy_file(b->cold, b->db);
		cold[i] = start_daemon(b, &peak);
	}
	first_slot(b, &res->first_slot, &res->max_per_agency);
	for (int i = 0; i < runs; i++)
		ready[i] = start_daemon(b, &rss[i]);
	for (int i = 0; i < runs; i++)
		pv[i] = preview(b, &pv_rss[i], &res->emails);
	res->tasks = b->tasks;
	res->occurrences = b->occurrences;
	res->cold = bench_median(cold, runs);
	res->ready = bench_median(ready, runs);
	res->rss = bench_median(rss, runs);
	res->preview = bench_median(pv, runs);
	res->preview_rss = bench_median(pv_rss, runs);
	fprintf(stderr,
	        "bench_scale: %d tasks, %ld occurrences: cold %.2f s, ready %.2f s, %.1f MB, "
	        "preview %.2f s %.0f MB\n",
	        b->tasks, b->occurrences, res->cold, res->ready, res->rss, res->preview,
	        res->preview_rss);
}

static const char *verdict(bool met)
{
	return met ? "met" : "**not met**";
}

static void report(const struct result *r, int n)
{
	const struct result *k100 = NULL, *big = NULL;

	printf("## Scale: the real binaries on N tasks\n\n");
	printf("Store built as an import leaves it (no occurrence planned), clock at "
	       "2026-03-02 08:00 (a Monday slot). *Cold start*: exec to READY=1 on that store; "
	       "READY is sent once everything due is decided and composed and the next wake-up "
	       "is known. *Restart*: exec to READY on the planned store. *Preview*: "
	       "`deadlinectl preview --json` of one year into a pipe. Medians.\n\n");
	printf("| tasks | occurrences | cold start to planned | messages in the first slot (most "
	       "to one agency) | restart to READY | peak RSS at READY | preview one year | "
	       "preview peak RSS | emails in the year |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < n; i++) {
		printf(
		    "| %d | %ld | %.2f s | %ld (%ld) | %.3f s | %.1f MB | %.2f s | %.0f MB | %ld "
		    "|\n",
		    r[i].tasks, r[i].occurrences, r[i].cold, r[i].first_slot, r[i].max_per_agency,
		    r[i].ready, r[i].rss, r[i].preview, r[i].preview_rss, r[i].emails);
		if (r[i].tasks == 100000)
			k100 = &r[i];
		/* The size nearest a million occurrences answers "1M occurrences". */
		if (!big || labs(r[i].occurrences - 1000000) < labs(big->occurrences - 1000000))
			big = &r[i];
	}
	printf("\n| target | measured | |\n|---|---:|---|\n");
	if (k100) {
		printf("| 100,000 tasks: cold start to planned < 3 s | %.2f s | %s |\n", k100->cold,
		       verdict(k100->cold < 3));
		printf("| 100,000 tasks: `preview --json` of one year < 5 s | %.2f s | %s |\n",
		       k100->preview, verdict(k100->preview < 5));
	}
	if (big) {
		printf("| %ld occurrences: READY < 1 s | %.3f s | %s |\n", big->occurrences,
		       big->ready, verdict(big->ready < 1));
		printf("| %ld occurrences: RSS < 64 MB | %.1f MB | %s |\n", big->occurrences,
		       big->rss, verdict(big->rss < 64));
	}
	bool one = true;
	for (int i = 0; i < n; i++)
		one &= r[i].max_per_agency <= 1;
	printf("| one message per agency per slot, every size | %s | %s |\n",
	       one ? "1 at most" : "more", verdict(one));
}

int main(void)
{
	struct bench b = {.now = date_make(2026, 3, 2, 8, 0, 0, DATE_TZ_VIETNAM)};
	const char *series = getenv("BENCH_SERIES");
	struct result res[MAX_SERIES];
	struct buf errors = BUF_INIT;
	int n = 0;

	if (!getcwd(b.root, sizeof(b.root)) ||
	    !mkdtemp(strcpy(b.dir, "/tmp/deadlined-bench-XXXXXX")))
		die("setup");
	snprintf(b.config, sizeof(b.config), "%s/deadlined.ini", b.dir);
	snprintf(b.db, sizeof(b.db), "%s/bench.db", b.dir);
	snprintf(b.cold, sizeof(b.cold), "%s/cold.db", b.dir);
	snprintf(b.sock, sizeof(b.sock), "%s/notify", b.dir);
	snprintf(b.mail, sizeof(b.mail), "%s/mail", b.dir);
	write_config(&b);
	if (!(b.cfg = cfg_load(b.config, &errors, NULL))) {
		fprintf(stderr, "bench_scale: %s\n", buf_str(&errors));
		return 1;
	}
	b.d = dir_new(b.cfg);
	char *list = xstrdup(series ? series : DEFAULT_SERIES), *save = NULL;
	for (char *tok = strtok_r(list, " ,", &save); tok && n < MAX_SERIES;
	     tok = strtok_r(NULL, " ,", &save)) {
		b.tasks = atoi(tok);
		if (b.tasks > 0)
			run_size(&b, &res[n++]);
	}
	free(list);
	report(res, n);
	dir_free(b.d);
	cfg_free(b.cfg);
	char cmd[300];
	if (getenv("BENCH_KEEP")) { /* for profiling: the stores stay */
		fprintf(stderr, "bench_scale: kept %s\n", b.dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", b.dir);
	return system(cmd) == 0 ? 0 : 1;
}
