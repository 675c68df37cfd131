/*
 * bench_scale — the engine at a province's worst: BENCH_TASKS tasks
 * (default 100,000) whose occurrences number over a million.
 *
 * Measured (medians; the machines are shared and noisy):
 *  - the real daemon, from exec to READY=1 on $NOTIFY_SOCKET  (target < 1 s)
 *  - its resident memory once ready                            (target < 64 MB)
 *  - re-planning after one task changes: store it, decide its
 *    occurrences, find the next wake-up                        (target < 10 ms)
 *  - `preview` of one year for all the tasks                   (target < 5 s)
 * The store is built with the same functions the importer uses, then
 * planned once as the daemon would (its steady state).
 */
#include "bench.h"
#include "cfg.h"
#include "date.h"
#include "digest.h"
#include "dir.h"
#include "planner.h"
#include "preview.h"
#include "scheduler.h"
#include "store.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TASKS 100000
#define STARTS        5
#define REPLANS       101
#define PREVIEWS      3

struct bench {
	char dir[256], config[300], db[300], sock[300];
	struct cfg *cfg;
	struct dir *d;
	struct store *st;
	time_t now;
	int tasks;
};

static void write_config(struct bench *b, const char *root)
{
	FILE *f = fopen(b->config, "w");

	if (!f) {
		perror(b->config);
		exit(1);
	}
	fprintf(f,
	        "include = %s/config/directory.ini\n[daemon]\ndatabase = %s\n"
	        "control_socket = %s/control\ntemplates = %s/config/templates\n"
	        "monitor = skhcn\n[mail]\ntransport = maildir\nmaildir = %s/mail\n"
	        "from = Bench <bench@quangngai.example>\n",
	        root, b->db, b->dir, root, b->dir);
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

static void add_task(struct bench *b, int i, enum store_change *change, struct sync_report *r)
{
	const struct cfg *c = b->cfg;
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
	if (sync_task(b->st, &t, c->tz_offset, b->now, change, r) < 0) {
		fprintf(stderr, "bench: %s\n", store_error(b->st));
		exit(1);
	}
	task_free(&t);
}

static void build_store(struct bench *b)
{
	struct store_plan plan = {.id = "BENCH", .title = "Kế hoạch thử tải", .origin = "import"};
	struct sync_report r = {0};
	enum store_change change;
	double start = bench_seconds();

	store_begin(b->st);
	store_plan_upsert(b->st, &plan, b->now);
	for (int i = 0; i < b->tasks; i++) {
		add_task(b, i, &change, &r);
		if (i % 10000 == 9999) {
			store_commit(b->st);
			store_begin(b->st);
		}
	}
	store_commit(b->st);
	printf("  store: %d tasks, %d occurrences, built in %.1f s\n", r.tasks, r.occurrences,
	       bench_seconds() - start);
}

/* The daemon's steady state: every occurrence decided once, next_at set. */
struct planning {
	struct bench *b;
	struct task *tasks;
	long decided;
};

static void decide_one(struct planning *p, const struct store_occ *o)
{
	const struct task *t = &p->tasks[o->task_id - 1];
	struct store_note *ledger;
	size_t n;
	struct planner_occ po;
	struct sched_out out;

	store_ledger(p->b->st, o->id, &ledger, &n);
	planner_prepare(p->b->d, t, "skhcn", o->due, o->status, ledger, n, p->b->now, &po);
	sched_decide(&po.in, p->b->now, &out);
	/* Mail due right now counts as sent: the bench wants a quiet start. */
	store_occ_set_next(p->b->st, o->id, out.next_at);
	sched_out_free(&out);
	planner_occ_free(&po);
	free(ledger);
	p->decided++;
}

static int plan_cb(const struct store_occ *o, void *arg)
{
	decide_one(arg, o);
	return 0;
}

static struct task *load_tasks(struct bench *b)
{
	struct task *tasks = xcalloc((size_t)b->tasks, sizeof(*tasks));

	for (int i = 0; i < b->tasks; i++)
		store_task_get(b->st, i + 1, &tasks[i]);
	return tasks;
}

static void plan_everything(struct bench *b, struct task *tasks)
{
	struct planning p = {b, tasks, 0};
	double start = bench_seconds();
	long before;
	char digest[17];

	do {
		before = p.decided;
		store_begin(b->st);
		store_occ_due(b->st, b->now, 20000, plan_cb, &p);
		store_commit(b->st);
	} while (p.decided > before);
	cfg_planning_digest(b->cfg, digest);
	store_meta_set(b->st, "planning_digest", digest);
	printf("  first planning: %ld decisions in %.1f s (%.1f µs each)\n", p.decided,
	       bench_seconds() - start,
	       (bench_seconds() - start) * 1e6 / (double)(p.decided ? p.decided : 1));
}

/* ---- the real daemon: exec to READY=1, and its memory ---------------------------- */

static int notify_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	util_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("notify socket");
		exit(1);
	}
	struct timeval tv = {30, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static long rss_kib(pid_t pid, const char *field)
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

static double start_daemon(struct bench *b, long *rss, long *peak)
{
	char now[40], msg[512];
	int fd = notify_socket(b->sock);
	double start = bench_seconds(), ready = -1;

	date_format_iso(b->now, b->cfg->tz_offset, now, sizeof(now));
	pid_t pid = fork();
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", b->sock, 1);
		freopen("/dev/null", "w", stderr);
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
	*rss = rss_kib(pid, "VmRSS:");
	*peak = rss_kib(pid, "VmHWM:");
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fd);
	return ready;
}

/* ---- re-planning one changed task ------------------------------------------------------ */

static int replan_cb(const struct store_occ *o, void *arg)
{
	decide_one(arg, o);
	return 0;
}

static double replan_one(struct bench *b, struct task *tasks, int k, int round)
{
	struct task *t = &tasks[k];
	struct sync_report r = {0};
	enum store_change change;
	struct planning p = {b, tasks, 0};
	char title[200];
	time_t wake;
	double start = bench_seconds();

	snprintf(title, sizeof(title), "Nhiệm vụ thử số %d (sửa lần %d)", k, round);
	free(t->title);
	t->title = xstrdup(title);
	store_begin(b->st);
	sync_task(b->st, t, b->cfg->tz_offset, b->now, &change, &r);
	store_occ_of_task(b->st, t->id, replan_cb, &p);
	store_next_wake(b->st, &wake);
	store_commit(b->st);
	return change == STORE_UPDATED ? bench_seconds() - start : -1;
}

int main(void)
{
	struct bench b = {.now = date_make(2026, 3, 2, 8, 0, 0, DATE_TZ_VIETNAM)};
	const char *env = getenv("BENCH_TASKS");
	char root[200], err[256];
	struct buf errors = BUF_INIT;

	b.tasks = env ? atoi(env) : DEFAULT_TASKS;
	if (!getcwd(root, sizeof(root)) || !mkdtemp(strcpy(b.dir, "/tmp/deadlined-bench-XXXXXX")))
		return 1;
	snprintf(b.config, sizeof(b.config), "%s/deadlined.ini", b.dir);
	snprintf(b.db, sizeof(b.db), "%s/bench.db", b.dir);
	snprintf(b.sock, sizeof(b.sock), "%s/notify", b.dir);
	write_config(&b, root);
	if (!(b.cfg = cfg_load(b.config, &errors, NULL)) ||
	    store_open(b.db, &b.st, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: %s%s\n", buf_str(&errors), err);
		return 1;
	}
	b.d = dir_new(b.cfg);
	printf("scale (BENCH_TASKS=%d):\n", b.tasks);
	build_store(&b);
	struct task *tasks = load_tasks(&b);
	plan_everything(&b, tasks);

	double ready[STARTS], rss[STARTS], peak[STARTS];
	for (int i = 0; i < STARTS; i++) {
		long r, p;
		ready[i] = start_daemon(&b, &r, &p);
		rss[i] = (double)r / 1024;
		peak[i] = (double)p / 1024;
	}
	double m = bench_median(ready, STARTS);
	printf("  daemon exec to READY: median %.3f s of %d starts (target < 1 s: %s)\n", m, STARTS,
	       m >= 0 && m < 1 ? "met" : "NOT met");
	double mr = bench_median(rss, STARTS), mp = bench_median(peak, STARTS);
	printf("  resident memory when ready: median %.1f MB, peak %.1f MB (target < 64 MB: %s)\n",
	       mr, mp, mp < 64 ? "met" : "NOT met");

	double replans[REPLANS];
	for (int i = 0; i < REPLANS; i++)
		replans[i] = replan_one(&b, tasks, (i * 7919) % b.tasks, i);
	m = bench_median(replans, REPLANS);
	printf("  re-planning after one task changes: median %.2f ms of %d (target < 10 ms: %s)\n",
	       m * 1e3, REPLANS, m >= 0 && m < 0.010 ? "met" : "NOT met");

	struct digest_templates *tpl = digest_templates_load(b.cfg->templates, "vi", &errors);
	double previews[PREVIEWS];
	size_t mails = 0, notes = 0;
	for (int i = 0; i < PREVIEWS; i++) {
		struct preview pv;
		double start = bench_seconds();
		preview_run(b.st, b.d, tpl, b.now, b.now + 365 * 86400, &pv);
		previews[i] = bench_seconds() - start;
		mails = pv.n_mails;
		notes = pv.n_items;
		preview_free(&pv);
	}
	m = bench_median(previews, PREVIEWS);
	printf("  preview of one year: median %.2f s of %d (%zu emails, %zu notifications; "
	       "target < 5 s: %s)\n",
	       m, PREVIEWS, mails, notes, m < 5 ? "met" : "NOT met");

	digest_templates_free(tpl);
	for (int i = 0; i < b.tasks; i++)
		task_free(&tasks[i]);
	free(tasks);
	store_close(b.st);
	dir_free(b.d);
	cfg_free(b.cfg);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", b.dir);
	return system(cmd) == 0 ? 0 : 1;
}
