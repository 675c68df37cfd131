/*
 * maildir_in — see inbox/maildir_in.h.
 */
#include "inbox/maildir_in.h"

#include "buf.h"
#include "log.h"
#include "loop.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PER_SCAN 500 /* the rest waits for the next scan; the loop stays responsive */

struct maildir_in {
	char *path, *new_dir;
	size_t max_bytes;
	maildir_in_cb cb;
	void *arg;
	struct loop_watch *watch;
	struct loop_timer *timer;
	double rescan;
};

static void on_change(void *arg)
{
	maildir_in_scan(arg);
}

static void on_timer(void *arg)
{
	struct maildir_in *m = arg;

	maildir_in_scan(m);
	loop_timer_in(m->timer, m->rescan);
}

struct maildir_in *maildir_in_open(const char *path, double rescan, size_t max_bytes,
                                   maildir_in_cb cb, void *arg, char *err, size_t errlen)
{
	static const char *const subdirs[] = {"", "/tmp", "/new", "/cur"};
	struct buf dir = BUF_INIT;

	for (size_t i = 0; i < UTIL_NELEM(subdirs); i++) {
		buf_reset(&dir);
		buf_printf(&dir, "%s%s", path, subdirs[i]);
		if (mkdir(buf_str(&dir), 0700) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", buf_str(&dir), strerror(errno));
			buf_free(&dir);
			return NULL;
		}
	}
	struct maildir_in *m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	buf_reset(&dir);
	buf_printf(&dir, "%s/new", path);
	m->new_dir = buf_steal(&dir);
	m->max_bytes = max_bytes;
	m->cb = cb;
	m->arg = arg;
	m->rescan = rescan;
	m->watch = loop_watch_dir(m->new_dir, on_change, m);
	m->timer = loop_timer_new(on_timer, m);
	loop_timer_in(m->timer, rescan);
	return m;
}

/* Reads at most max+1 bytes: a longer file is refused by its size, not read whole. */
static char *read_capped(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	size_t want = (size_t)st.st_size > max ? max + 1 : (size_t)st.st_size;
	char *data = xmalloc(want + 1);
	size_t got = 0;
	while (got < want) {
		ssize_t r = read(fd, data + got, want - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	data[got] = '\0';
	*len = got;
	return data;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* new/NAME → cur/NAME:2,S (any flags it had replaced). */
static void to_cur(const struct maildir_in *m, const char *name)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	size_t base = strcspn(name, ":");

	buf_printf(&from, "%s/%s", m->new_dir, name);
	buf_printf(&to, "%s/cur/%.*s:2,S", m->path, (int)base, name);
	if (rename(buf_str(&from), buf_str(&to)) < 0)
		log_warn("%s: recorded, but cannot move it to cur/", buf_str(&from));
	buf_free(&from);
	buf_free(&to);
}

int maildir_in_scan(struct maildir_in *m)
{
	DIR *d = opendir(m->new_dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	int recorded = 0;

	if (!d) {
		log_warn("%s", m->new_dir);
		return 0;
	}
	while ((e = readdir(d)) && n < MAX_PER_SCAN)
		if (e->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	/* Maildir names start with the delivery time: oldest first. */
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT;
		size_t len = 0;
		buf_printf(&path, "%s/%s", m->new_dir, names[i]);
		char *raw = read_capped(buf_str(&path), m->max_bytes, &len);
		if (!raw)
			log_warn("%s", buf_str(&path));
		else if (m->cb(raw, len, names[i], m->arg) == 0) {
			to_cur(m, names[i]);
			recorded++;
		}
		free(raw);
		buf_free(&path);
		free(names[i]);
	}
	free(names);
	return recorded;
}

void maildir_in_close(struct maildir_in *m)
{
	if (!m)
		return;
	loop_watch_free(m->watch);
	loop_timer_free(m->timer);
	free(m->path);
	free(m->new_dir);
	free(m);
}
