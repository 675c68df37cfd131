/*
 * bench_import — `deadlinectl import` on large plans, through the real path:
 * the file read, parsed and understood (reader, meaning), every row built
 * into a task (timeframe parsed, agencies resolved by the directory) and
 * stored with its occurrences (ingest_file), into a fresh store each time.
 *
 * Plans of 1,000, 10,000 and 100,000 task rows (BENCH_IMPORT_MAX caps the
 * largest), tab-separated with sections every 50 rows and a page break
 * with a repeated header every 40, agencies and timeframes of the seeds'
 * kinds. Measured (medians; the machines are shared and noisy):
 *  - a first import into an empty store                  (100,000 rows: seconds)
 *  - the same file again: nothing changes                 (no write at all)
 * and the ratio 100k/10k of the first, which is 10 when import is linear
 * (the former importer went quadratic: 40,000 rows took 69 s).
 */
#include "bench.h"
#include "buf.h"
#include "cfg.h"
#include "dir.h"
#include "ingest.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const leads[] = {
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch; UBND các huyện, thị xã, thành phố",
    "Các sở, ban, ngành",
    "Sở Y tế",
    "Sở Tài chính, Sở Nội vụ",
    "Công an tỉnh",
};

static const char *const timeframes[] = {
    "Quý II/2026",  "2026 - 2027",     "Thường xuyên",
    "Năm 2026",     "Quý IV hàng năm", "trước ngày 15/12 hàng năm",
    "Tháng 6/2026", "Hàng quý",
};

static void write_plan(const char *path, int rows)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "KẾ HOẠCH\nThử tải giai đoạn 2026 - 2030\n\n");
	fprintf(f, "TT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\tGhi chú\n");
	for (int i = 0; i < rows; i++) {
		if (i % 50 == 0)
			fprintf(f, "%d\tNhóm nhiệm vụ số %d\t\t\t\t\n", i / 50 + 1, i / 50 + 1);
		if (i % 40 == 39)
			fprintf(f,
			        "\f\n- %d -\nTT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời "
			        "gian\tGhi chú\n",
			        i / 40 + 2);
		fprintf(
		    f,
		    "%d.%d\tTriển khai nền tảng số thứ %d cho các cơ quan, đơn vị\t%s\t%s\t%s\t\n",
		    i / 50 + 1, i % 50 + 1, i, leads[i % UTIL_NELEM(leads)],
		    leads[(i * 7 + 3) % UTIL_NELEM(leads)], timeframes[i % UTIL_NELEM(timeframes)]);
	}
	fclose(f);
}

struct run {
	char dir[256], db[300], plan[300], config[300];
	struct cfg *cfg;
	struct dir *d;
};

static void setup(struct run *r, const char *root)
{
	struct buf errors = BUF_INIT;
	FILE *f;

	snprintf(r->dir, sizeof(r->dir), "%s/bench-import.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(r->dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(r->db, sizeof(r->db), "%s/db", r->dir);
	snprintf(r->plan, sizeof(r->plan), "%s/plan.txt", r->dir);
	snprintf(r->config, sizeof(r->config), "%s/deadlined.ini", r->dir);
	if (!(f = fopen(r->config, "w"))) {
		perror(r->config);
		exit(1);
	}
	fprintf(f,
	        "include = %s/config/directory.ini\n[daemon]\ndatabase = %s\n"
	        "control_socket = %s/control\ntemplates = %s/config/templates\n"
	        "monitor = skhcn\n[mail]\ntransport = maildir\nmaildir = %s/mail\n"
	        "from = Bench <bench@quangngai.example>\n",
	        root, r->db, r->dir, root, r->dir);
	fclose(f);
	r->cfg = cfg_load(r->config, &errors, NULL);
	if (!r->cfg) {
		fprintf(stderr, "bench: config:\n%s", buf_str(&errors));
		exit(1);
	}
	buf_free(&errors);
	r->d = dir_new(r->cfg);
}

/* One import of the plan into the store at r->db; returns its seconds. */
static double import_once(struct run *r, bool fresh, struct ingest_totals *t)
{
	struct store *st;
	char err[256];
	struct ingest_options o = {.plan_id = "BENCH"};
	FILE *null = fopen("/dev/null", "w");

	if (fresh) {
		char wal[320];
		unlink(r->db);
		snprintf(wal, sizeof(wal), "%s-wal", r->db);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", r->db);
		unlink(wal);
	}
	if (store_open(r->db, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	memset(t, 0, sizeof(*t));
	double start = bench_seconds();
	int rc = ingest_file(st, r->d, &o, r->plan, 1767225600 /* 2026-01-01 */, null, stderr, t);
	double took = bench_seconds() - start;
	store_close(st);
	fclose(null);
	if (rc < 0) {
		fprintf(stderr, "bench: the import failed\n");
		exit(1);
	}
	return took;
}

int main(void)
{
	static const int sizes[] = {1000, 10000, 100000};
	const char *max_env = getenv("BENCH_IMPORT_MAX");
	int max = max_env ? atoi(max_env) : 100000;
	char root[256];
	struct run r;
	double first[3] = {0};

	if (!getcwd(root, sizeof(root))) {
		perror("getcwd");
		return 1;
	}
	setup(&r, root);
	/* A Markdown section, as bench/run collects them into bench/results.md. */
	printf("## import\n\nTab-separated plans with sections and page breaks, through "
	       "`ingest_file` into a fresh store; medians.\n\n"
	       "| rows | first import | per row | the same file again |\n|---|---|---|---|\n");
	for (size_t s = 0; s < UTIL_NELEM(sizes) && sizes[s] <= max; s++) {
		int runs = sizes[s] >= 100000 ? 3 : 5;
		double fresh[5], again[5];
		struct ingest_totals t;
		write_plan(r.plan, sizes[s]);
		for (int i = 0; i < runs; i++) {
			fresh[i] = import_once(&r, true, &t);
			if (t.tasks != sizes[s] || t.created != sizes[s]) {
				fprintf(stderr, "bench: %d rows gave %d tasks, %d new\n", sizes[s],
				        t.tasks, t.created);
				return 1;
			}
			again[i] = import_once(&r, false, &t);
			if (t.unchanged != sizes[s]) {
				fprintf(stderr, "bench: a re-import changed %d tasks\n",
				        sizes[s] - t.unchanged);
				return 1;
			}
		}
		first[s] = bench_median(fresh, runs);
		printf("| %d | %.3f s | %.1f µs | %.3f s |\n", sizes[s], first[s],
		       first[s] / sizes[s] * 1e6, bench_median(again, runs));
	}
	if (first[1] > 0 && first[2] > 0)
		printf("\nRatio 100k/10k: %.1f (10 is linear).\n", first[2] / first[1]);
	unlink(r.plan);
	unlink(r.config);
	unlink(r.db);
	char wal[320];
	snprintf(wal, sizeof(wal), "%s-wal", r.db);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", r.db);
	unlink(wal);
	rmdir(r.dir);
	dir_free(r.d);
	cfg_free(r.cfg);
	return 0;
}
