/* SPDX-License-Identifier: MIT */
/*
 * map.c - the name maps of one run, built from the installed MUSA headers:
 * every identifier of every header (declarations, macros, enumerators,
 * typedefs, tags, members) whose CUDA name names.c's rule derives is
 * mapped, so an API added to the headers is covered without touching
 * musify; the header file names are mapped the same way. Names the rule
 * leaves alone are "known": MUSA keeps them under CUDA's name (dim3,
 * __shfl_sync, cooperative_groups.h) and they are never reported.
 * exceptions.c adds what the rule cannot derive.
 * May call: lex.c, names.c, exceptions.c, strmap.c, buf.c, libc.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "musify.h"

static int is_header(const char *base)
{
	const char *dot = strrchr(base, '.');

	return dot && (!strcmp(dot, ".h") || !strcmp(dot, ".hpp") || !strcmp(dot, ".hxx") ||
		       !strcmp(dot, ".muh"));
}

static void add_pair(struct name_map *m, struct strmap *map, const char *cuda, const char *musa)
{
	const char *from = m->reverse ? musa : cuda, *to = m->reverse ? cuda : musa;
	struct strmap_entry *e = strmap_add(map, from);

	if (!e->value)  /* the first header to derive a name keeps it */
		e->value = xstrdup(to);
}

static void scan_header(struct name_map *m, const char *text, size_t len, struct strmap *seen)
{
	struct lexer lx;
	struct token t;

	lex_init(&lx, text, len);
	for (lex_next(&lx, &t); t.kind != TOK_EOF; lex_next(&lx, &t)) {
		if (t.kind != TOK_IDENT)
			continue;
		char *id = xstrndup(text + t.pos, t.len);
		struct strmap_entry *s = strmap_add(seen, id);

		if (!s->count++) {
			char *cuda = names_musa_to_cuda(id);

			if (cuda)
				add_pair(m, &m->ids, cuda, id);
			else
				strmap_add(&m->known, id);
			free(cuda);
		}
		free(id);
	}
}

/* Every header under dir/rel, but not the kernel-driver uapi, which has
 * no CUDA counterpart. */
static void walk(struct name_map *m, const char *dir, const char *rel, struct strmap *seen)
{
	char *path = *rel ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		free(path);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "uapi"))
			continue;
		char *sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		char *full = xasprintf("%s/%s", dir, sub);

		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(m, dir, sub, seen);
		} else if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && is_header(de->d_name)) {
			size_t len;
			char *text = read_file(full, &len);
			char *cuda = names_musa_to_cuda(sub);

			if (cuda)
				add_pair(m, &m->headers, cuda, sub);
			else
				strmap_add(&m->known_headers, sub);
			free(cuda);
			if (text)
				scan_header(m, text, len, seen);
			free(text);
			m->nheader_files++;
		}
		free(sub);
		free(full);
	}
	closedir(d);
	free(path);
}

static void add_exceptions(struct name_map *m)
{
	for (size_t i = 0; i < musify_nexceptions; i++) {
		const struct exception *e = &musify_exceptions[i];
		struct strmap *map = (e->flags & EXC_HEADER) ? &m->headers : &m->ids;

		if (m->reverse) {
			if (e->flags & EXC_REV)
				strmap_set(map, e->musa, e->cuda);
			continue;
		}
		if (!(e->flags & EXC_FWD))
			continue;
		if ((e->flags & EXC_FALLBACK) &&
		    (strmap_get(&m->known_headers, e->cuda) || strmap_get(&m->headers, e->cuda)))
			continue;
		strmap_set(map, e->cuda, e->musa);
	}
}

int map_build(struct name_map *m, const char *dir, int reverse)
{
	struct strmap seen = {0};

	memset(m, 0, sizeof(*m));
	m->reverse = reverse;
	walk(m, dir, "", &seen);
	strmap_free(&seen);
	if (!m->nheader_files)
		return -1;
	add_exceptions(m);
	return 0;
}

const char *map_id(const struct name_map *m, const char *id, size_t len)
{
	struct strmap_entry *e = strmap_getn(&m->ids, id, len);

	return e ? e->value : NULL;
}

const char *map_header(const struct name_map *m, const char *hdr)
{
	struct strmap_entry *e = strmap_get(&m->headers, hdr);

	return e ? e->value : NULL;
}

int map_is_known(const struct name_map *m, const char *id, size_t len)
{
	return strmap_getn(&m->known, id, len) != NULL;
}

int map_header_known(const struct name_map *m, const char *hdr)
{
	return strmap_get(&m->known_headers, hdr) != NULL;
}

/* One pair a line, headers as <name>, sorted: the map a run applies. */
void map_print(const struct name_map *m)
{
	struct strmap_entry **v = strmap_sorted(&m->headers);

	for (size_t i = 0; v[i]; i++)
		printf("<%s>\t<%s>\n", v[i]->key, v[i]->value);
	free(v);
	v = strmap_sorted(&m->ids);
	for (size_t i = 0; v[i]; i++)
		printf("%s\t%s\n", v[i]->key, v[i]->value);
	free(v);
}

void map_free(struct name_map *m)
{
	strmap_free(&m->ids);
	strmap_free(&m->headers);
	strmap_free(&m->known);
	strmap_free(&m->known_headers);
}
