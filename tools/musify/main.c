/* SPDX-License-Identifier: MIT */
/*
 * main.c - musify's command line and the order of a run: build the name
 * map from the headers, collect the inputs, check that no two outputs
 * collide (before anything is written), collect the user's definitions
 * over every source, then convert and write each file and print a summary
 * per input tree. Exit status: 0 everything mapped, 1 names left
 * unmapped (reported), 2 usage or I/O error.
 * May call: every file of tools/musify, libc.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "musify.h"

#ifndef MUSIFY_VERSION
#define MUSIFY_VERSION "1.0.0"
#endif

enum mode { MODE_STDOUT, MODE_OUTDIR, MODE_IN_PLACE };

struct options {
	enum mode mode;
	const char *outdir;
	const char *headers;
	int reverse, all_text, build_files, print_map, quiet;
};

static void usage(FILE *to)
{
	fputs("usage: musify [options] FILE|DIR...\n"
	      "Converts CUDA sources to MUSA (or back with --reverse): API names, #include\n"
	      "lines and file names (.cu -> .mu, foo_cuda.h -> foo_musa.h).\n"
	      "\n"
	      "  -o, --output DIR   write converted copies under DIR; a single DIR argument\n"
	      "                     becomes DIR itself, several keep their paths relative to\n"
	      "                     their common directory; other files are copied\n"
	      "  -i, --in-place     convert the files where they are (renamed files replace\n"
	      "                     the old names)\n"
	      "                     without -o or -i, one FILE is converted to stdout\n"
	      "  -r, --reverse      MUSA -> CUDA\n"
	      "      --all-text     also rename inside comments and string literals\n"
	      "  -b, --build-files  also convert Makefiles, CMakeLists.txt and *.cmake\n"
	      "      --headers DIR  the MUSA headers to build the map from\n"
	      "                     (default: the include directory next to musify's bin/)\n"
	      "      --print-map    print the name map of this direction and exit\n"
	      "  -q, --quiet        no warnings and no summary, only errors\n"
	      "  -h, --help         this text\n"
	      "      --version      print the version\n"
	      "\n"
	      "Exit status: 0 all names mapped, 1 names without a counterpart (reported as\n"
	      "FILE:LINE:COL warnings), 2 usage or I/O error. See docs/porting.md.\n",
	      to);
}

static int parse(int argc, char **argv, struct options *o)
{
	enum { OPT_ALL_TEXT = 256, OPT_HEADERS, OPT_PRINT_MAP, OPT_VERSION };
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, 'i' },
		{ "inplace", no_argument, NULL, 'i' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "all-text", no_argument, NULL, OPT_ALL_TEXT },
		{ "build-files", no_argument, NULL, 'b' },
		{ "headers", required_argument, NULL, OPT_HEADERS },
		{ "print-map", no_argument, NULL, OPT_PRINT_MAP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c, in_place = 0;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "o:irbqh", longs, NULL)) != -1) {
		switch (c) {
		case 'o': o->outdir = optarg; break;
		case 'i': in_place = 1; break;
		case 'r': o->reverse = 1; break;
		case 'b': o->build_files = 1; break;
		case 'q': o->quiet = 1; break;
		case OPT_ALL_TEXT: o->all_text = 1; break;
		case OPT_HEADERS: o->headers = optarg; break;
		case OPT_PRINT_MAP: o->print_map = 1; break;
		case 'h': usage(stdout); exit(0);
		case OPT_VERSION:
			printf("musify %s (CUDA <-> MUSA source converter)\n", MUSIFY_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (in_place && o->outdir) {
		fputs("musify: error: -o and --in-place exclude each other\n", stderr);
		return -1;
	}
	o->mode = o->outdir ? MODE_OUTDIR : in_place ? MODE_IN_PLACE : MODE_STDOUT;
	return 0;
}

/* <directory of the executable>/../include: the build tree's include/
 * next to bin/, or PREFIX/include once installed. */
static char *default_headers(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return xstrdup("include");
	exe[n] = 0;
	char *slash = strrchr(exe, '/');

	if (slash)
		*slash = 0;
	return xasprintf("%s/../include", exe);
}

static char *join(const char *a, const char *b)
{
	return xasprintf("%s/%s", a, b);
}

static char *in_place_target(const struct input_file *f)
{
	const char *slash = strrchr(f->path, '/');

	if (!slash)
		return xstrdup(f->new_base);
	return xasprintf("%.*s/%s", (int)(slash - f->path), f->path, f->new_base);
}

/* Two inputs that would land on one output, or an in-place rename onto a
 * file that is not an input, stop the run before anything is written. */
static int check_outputs(const struct tree *t, const struct options *o, struct report *r)
{
	struct strmap out = {0};
	int bad = 0;

	for (size_t i = 0; i < t->n && !bad; i++) {
		const struct input_file *f = &t->f[i];
		struct strmap_entry *e = strmap_add(&out, f->new_rel);

		if (e->count++) {
			report_error(r, "%s and another input both become %s", f->path, f->new_rel);
			bad = 1;
		}
		if (o->mode == MODE_IN_PLACE && strcmp(f->rel, f->new_rel)) {
			char *target = in_place_target(f), real[PATH_MAX];
			struct stat st;

			if (stat(target, &st) == 0 &&
			    !(realpath(target, real) && strmap_get(&t->by_real, real))) {
				report_error(r, "renaming %s would overwrite %s", f->path, target);
				bad = 1;
			}
			free(target);
		}
	}
	strmap_free(&out);
	return bad ? -1 : 0;
}

static int load(struct input_file *f, struct report *r)
{
	if (f->text)
		return 0;
	f->text = read_file(f->real, &f->len);
	if (!f->text) {
		report_error(r, "cannot read %s: %s", f->path, strerror(errno));
		return -1;
	}
	return 0;
}

static void emit(const struct options *o, struct input_file *f, const char *data, size_t len,
		 struct report *r)
{
	char *target;

	if (o->mode == MODE_STDOUT) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			report_error(r, "cannot write to stdout: %s", strerror(errno));
		return;
	}
	if (o->mode == MODE_IN_PLACE) {
		int renamed = strcmp(f->rel, f->new_rel) != 0;

		if (!renamed && len == f->len && !memcmp(data, f->text, len))
			return;  /* untouched files keep their time stamps */
		target = in_place_target(f);
		if (write_file(target, data, len, f->mode))
			report_error(r, "cannot write %s: %s", target, strerror(errno));
		else if (renamed && unlink(f->path))
			report_error(r, "cannot remove %s: %s", f->path, strerror(errno));
		free(target);
		return;
	}
	target = join(o->outdir, f->new_rel);
	if (write_file(target, data, len, f->mode))
		report_error(r, "cannot write %s: %s", target, strerror(errno));
	free(target);
}

static void convert_file(struct convert_ctx *c, const struct options *o, struct input_file *f)
{
	struct tally *t = c->report->tally;
	struct buf out = {0};

	if (f->kind == FILE_SOURCE) {
		convert_source(c, f, &out);
		t->files++;
		t->renamed_files += strcmp(f->rel, f->new_rel) != 0;
	} else if (f->kind == FILE_BUILD && o->build_files) {
		build_file_convert(c, f, &out);
		t->build_files++;
	} else {
		if (o->mode == MODE_OUTDIR && load(f, c->report) == 0)
			emit(o, f, f->text, f->len, c->report);
		return;
	}
	t->changed_files += out.len != f->len || memcmp(out.s, f->text, out.len);
	emit(o, f, out.s, out.len, c->report);
	buf_free(&out);
}

int main(int argc, char **argv)
{
	struct options o;
	struct name_map map;
	struct tree tree;
	struct strmap userdefs = {0};
	struct report rep = {0};
	struct tally *tallies;
	char *headers, skip[PATH_MAX];
	int nargs, status = 0;

	if (parse(argc, argv, &o))
		return 2;
	rep.quiet = o.quiet;
	rep.reverse = o.reverse;
	headers = o.headers ? xstrdup(o.headers) : default_headers();
	if (map_build(&map, headers, o.reverse)) {
		fprintf(stderr, "musify: error: no MUSA headers in %s (use --headers DIR)\n", headers);
		return 2;
	}
	free(headers);
	if (o.print_map) {
		map_print(&map);
		return 0;
	}
	nargs = argc - optind;
	if (nargs < 1) {
		usage(stderr);
		return 2;
	}
	if (o.mode == MODE_OUTDIR && (mkdir_parents(o.outdir) || !realpath(o.outdir, skip))) {
		fprintf(stderr, "musify: error: cannot create %s: %s\n", o.outdir, strerror(errno));
		return 2;
	}
	if (tree_collect(&tree, argv + optind, nargs, o.reverse,
			 o.mode == MODE_OUTDIR ? skip : NULL, &rep))
		return 2;
	if (o.mode == MODE_OUTDIR && !strcmp(skip, tree.base)) {
		fputs("musify: error: the output directory is the input; use --in-place\n", stderr);
		return 2;
	}
	if (o.mode == MODE_STDOUT && (nargs != 1 || tree.n != 1 || tree.f[0].kind == FILE_OTHER ||
				      strcmp(tree.f[0].path, argv[optind]))) {
		fputs("musify: error: give -o DIR or --in-place to convert a directory or several "
		      "files\n", stderr);
		return 2;
	}
	if (o.mode == MODE_STDOUT && tree.f[0].kind == FILE_BUILD)
		o.build_files = 1;
	if (check_outputs(&tree, &o, &rep))
		return 2;

	for (size_t i = 0; i < tree.n; i++) {
		struct input_file *f = &tree.f[i];

		if ((f->kind == FILE_SOURCE || (f->kind == FILE_BUILD && o.build_files)) &&
		    load(f, &rep) == 0 && f->kind == FILE_SOURCE)
			userdefs_scan(&userdefs, f->text, f->len);
	}
	tallies = xrealloc(NULL, (size_t)nargs * sizeof(*tallies));
	memset(tallies, 0, (size_t)nargs * sizeof(*tallies));
	struct convert_ctx ctx = { .map = &map, .userdefs = &userdefs, .tree = &tree, .report = &rep,
				   .all_text = o.all_text, .reverse = o.reverse };

	for (size_t i = 0; i < tree.n; i++) {
		struct input_file *f = &tree.f[i];

		rep.tally = &tallies[f->root];
		if (f->kind != FILE_OTHER && (f->kind == FILE_SOURCE || o.build_files) && !f->text)
			continue;  /* unreadable, reported */
		convert_file(&ctx, &o, f);
	}
	for (int i = 0; i < nargs; i++) {
		tallies[i].root = argv[optind + i];
		report_summary(&rep, &tallies[i]);
		if (report_unmapped_total(&tallies[i]))
			status = 1;
		strmap_free(&tallies[i].unmapped);
	}
	if (rep.errors)
		status = 2;
	free(tallies);
	strmap_free(&userdefs);
	strmap_free(&rep.seen);
	tree_free(&tree);
	map_free(&map);
	return status;
}
