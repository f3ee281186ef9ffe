/* SPDX-License-Identifier: MIT */
/*
 * tree.c - the inputs of a run: the files under each argument, where each
 * lands in the output (its path relative to the base directory of the
 * inputs, with renamed file names), and which input an #include names.
 * The base is the argument itself when it is the only one and a
 * directory, otherwise the deepest directory holding every argument, so
 * `musify -o OUT Samples Common` keeps ../../../Common includes working.
 * Directories are never renamed (3_CUDA_Features stays), only files.
 * May call: names.c, report.c, strmap.c, buf.c, libc.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "musify.h"

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static char *dir_name(const char *p)
{
	const char *s = strrchr(p, '/');

	if (!s)
		return xstrdup(".");
	if (s == p)
		return xstrdup("/");
	return xstrndup(p, (size_t)(s - p));
}

static void add_file(struct tree *t, const char *path, const char *real, int root,
		     unsigned mode)
{
	struct input_file *f;
	struct strmap_entry *e = strmap_add(&t->by_real, real);

	if (e->count)
		return;  /* named twice */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->f = xrealloc(t->f, t->cap * sizeof(*t->f));
	}
	f = &t->f[t->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->real = xstrdup(real);
	f->root = root;
	f->mode = mode;
	const char *b = base_name(real);

	f->kind = names_is_source(b) ? FILE_SOURCE :
		  names_is_build_file(b) ? FILE_BUILD : FILE_OTHER;
	e->count = (long)++t->n;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk(struct tree *t, const char *path, int root, const char *skip, struct report *r)
{
	struct dirent **list;
	int n = scandir(path, &list, NULL, by_name);

	if (n < 0) {
		report_error(r, "cannot read directory %s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char *sub = xasprintf("%s/%s", path, name);
		char real[PATH_MAX];
		struct stat st;

		/* hidden entries (.git, .vs) are not the program's sources */
		if (name[0] != '.' && lstat(sub, &st) == 0 && realpath(sub, real)) {
			if (S_ISDIR(st.st_mode)) {
				if (!skip || strcmp(real, skip))
					walk(t, sub, root, skip, r);
			} else if (stat(sub, &st) == 0 && S_ISREG(st.st_mode)) {
				add_file(t, sub, real, root, st.st_mode);
			}
		}
		free(sub);
		free(list[i]);
	}
	free(list);
	return 0;
}

/* The deepest common directory of two absolute paths. */
static void common_dir(char *acc, const char *p)
{
	size_t i = 0, last = 0;

	while (acc[i] && acc[i] == p[i]) {
		if (acc[i] == '/')
			last = i;
		i++;
	}
	if (!acc[i] && (p[i] == '/' || !p[i]))
		return;
	acc[last ? last : 1] = 0;
}

static void place(struct tree *t, struct input_file *f, int reverse)
{
	size_t bl = strlen(t->base);
	const char *rel = f->real;

	if (!strncmp(rel, t->base, bl) && rel[bl] == '/')
		rel += bl + 1;
	else if (!strcmp(t->base, "/"))
		rel += 1;
	f->rel = xstrdup(rel);
	char *renamed = f->kind == FILE_SOURCE ? names_rename_file(base_name(rel), reverse) : NULL;

	if (!renamed) {
		f->new_rel = xstrdup(f->rel);
		f->new_base = xstrdup(base_name(f->rel));
		return;
	}
	const char *old = base_name(rel);

	f->new_base = renamed;
	f->new_rel = xasprintf("%.*s%s", (int)(old - rel), rel, renamed);
	/* the stems, for the object and target names of build files */
	const char *od = strrchr(old, '.'), *nd = strrchr(renamed, '.');
	char *os = xstrndup(old, od && od != old ? (size_t)(od - old) : strlen(old));
	char *ns = xstrndup(renamed, nd && nd != renamed ? (size_t)(nd - renamed) : strlen(renamed));

	if (strcmp(os, ns))
		strmap_set(&t->stems, os, ns);
	free(os);
	free(ns);
}

int tree_collect(struct tree *t, char **args, int nargs, int reverse, const char *skip,
		 struct report *r)
{
	char real[PATH_MAX];

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < nargs; i++) {
		struct stat st;
		char *a = xstrdup(args[i]);
		size_t n = strlen(a);

		while (n > 1 && a[n - 1] == '/')
			a[--n] = 0;
		if (stat(a, &st) || !realpath(a, real)) {
			report_error(r, "cannot open %s: %s", a, strerror(errno));
			free(a);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (walk(t, a, i, skip, r)) {
				free(a);
				return -1;
			}
		} else if (S_ISREG(st.st_mode)) {
			add_file(t, a, real, i, st.st_mode);
		} else {
			report_error(r, "%s is neither a file nor a directory", a);
			free(a);
			return -1;
		}
		char *dir = S_ISDIR(st.st_mode) ? xstrdup(real) : dir_name(real);

		if (!t->base)
			t->base = dir;
		else {
			common_dir(t->base, dir);
			free(dir);
		}
		free(a);
	}
	for (size_t i = 0; i < t->n; i++) {
		struct strmap_entry *e;

		place(t, &t->f[i], reverse);
		e = strmap_add(&t->by_base, base_name(t->f[i].real));
		if (!e->count)
			e->count = (long)i + 1;
	}
	return 0;
}

/* Resolves . and .. of an absolute path by its text: in-place runs rename
 * files while later ones still name them, so the disk cannot answer. */
static void normalize(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		while (*p == '/')
			p++;
		char *seg = p;

		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - seg);

		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, n);
		out += n;
	}
	if (out == path)
		*out++ = '/';
	*out = 0;
}

static int ends_with_path(const char *rel, const char *name)
{
	size_t a = strlen(rel), b = strlen(name);

	return a >= b && !strcmp(rel + a - b, name) && (a == b || rel[a - b - 1] == '/');
}

const struct input_file *tree_resolve_include(const struct tree *t, const struct input_file *from,
					      const char *name, int quoted)
{
	struct strmap_entry *e;

	if (quoted) {
		char *dir = dir_name(from->real), *cand = xasprintf("%s/%s", dir, name);
		const struct input_file *f = NULL;

		normalize(cand);
		if ((e = strmap_get(&t->by_real, cand)))
			f = &t->f[e->count - 1];
		free(dir);
		free(cand);
		return f;
	}
	if (name[0] == '/' || strstr(name, "../"))
		return NULL;
	e = strmap_get(&t->by_base, base_name(name));
	if (!e)
		return NULL;
	if (ends_with_path(t->f[e->count - 1].rel, name))
		return &t->f[e->count - 1];
	for (size_t i = 0; i < t->n; i++)  /* several files of that name */
		if (ends_with_path(t->f[i].rel, name))
			return &t->f[i];
	return NULL;
}

void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->f[i].path);
		free(t->f[i].real);
		free(t->f[i].rel);
		free(t->f[i].new_rel);
		free(t->f[i].new_base);
		free(t->f[i].text);
	}
	free(t->f);
	free(t->base);
	strmap_free(&t->by_real);
	strmap_free(&t->by_base);
	strmap_free(&t->stems);
}
