/* SPDX-License-Identifier: MIT */
/*
 * build_files.c - Makefiles and CMake files (--build-files): the compiler
 * (nvcc -> mcc, $(CUDA_PATH)/bin/nvcc -> mcc), its variables (NVCC_FLAGS
 * -> MCC_FLAGS), the libraries (-lcudart -> -lmusart, -lcuda -> -lmusa),
 * the file names musify renames (.cu -> .mu, kernels_cuda.o ->
 * kernels_musa.o), CUDA_* variables, and in CMake the CUDA language and
 * packages: project(... CUDA) drops the language, enable_language(CUDA)
 * and find_package(CUDA|CUDAToolkit) become find_package(MUSA),
 * add_executable/add_library of .cu sources become musa_add_executable/
 * musa_add_library (MUSAConfig.cmake), CUDA::cudart -> MUSA::musart,
 * CUDA::cuda_driver -> MUSA::musa, the CUDA_* target properties and
 * CMAKE_CUDA_* variables take the MUSA_* names the package reads
 * (CUDA_ARCHITECTURES -> MUSA_ARCHITECTURES), and the cuda_std_NN compile
 * features, which no C++ compiler knows, go. Comments stay unless
 * --all-text. Reverse mode undoes the renames it can.
 * May call: convert.c, report.c, names.c, strmap.c, buf.c, libc.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "musify.h"

struct scan {
	struct convert_ctx *c;
	const struct input_file *f;
	size_t line_pos;      /* position whose line is known */
	unsigned line;
	int cmake;
};

static void position(struct scan *sc, size_t pos, unsigned *line, unsigned *col)
{
	const char *s = sc->f->text;

	if (pos < sc->line_pos) {
		sc->line_pos = 0;
		sc->line = 1;
	}
	for (; sc->line_pos < pos; sc->line_pos++)
		if (s[sc->line_pos] == '\n')
			sc->line++;
	const char *nl = memrchr(s, '\n', pos);

	*line = sc->line;
	*col = (unsigned)(pos - (nl ? (size_t)(nl - s) + 1 : 0)) + 1;
}

static void unmapped(struct scan *sc, size_t pos, const char *name)
{
	unsigned line, col;

	position(sc, pos, &line, &col);
	report_unmapped(sc->c->report, sc->f->path, line, col, name, strlen(name));
}

static int word_char(int c)
{
	return c == '_' || isalnum(c);
}

static int is_word(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

/* Pairs of names, [0] CUDA, [1] MUSA; looked up by the run's direction. */
static const char *pair_lookup(const char *const (*pairs)[2], size_t n, const char *s,
			       size_t len, int reverse)
{
	for (size_t i = 0; i < n; i++)
		if (pairs[i][reverse] && is_word(s, len, pairs[i][reverse]))
			return pairs[i][!reverse];
	return NULL;
}

static const char *const libs[][2] = {
	{ "lcudart", "lmusart" }, { "lcudart_static", NULL }, { "lcuda", "lmusa" },
};
static const char *const cmake_targets[][2] = {
	{ "cudart", "musart" }, { "cudart_static", NULL }, { "cuda_driver", "musa" },
};
static const char *const cmake_words[][2] = {
	{ "cuda_add_executable", "musa_add_executable" },
	{ "cuda_add_library", "musa_add_library" },
	{ "CMAKE_CUDA_COMPILER", "MUSA_MCC_EXECUTABLE" },
	{ "CUDA_LIBRARIES", "MUSA_LIBRARIES" },
	{ "CUDA_INCLUDE_DIRS", "MUSA_INCLUDE_DIRS" },
	{ "CUDAToolkit_INCLUDE_DIRS", "MUSA_INCLUDE_DIRS" },
	{ "CUDA_FOUND", "MUSA_FOUND" },
	{ "CUDAToolkit_FOUND", "MUSA_FOUND" },
};

/* Replaces every from by to in w (w owned, may grow). */
static char *replace_in(char *w, const char *from, const char *to)
{
	struct buf b = {0};
	size_t n = strlen(from);
	const char *p = w, *q;

	buf_put(&b, "", 0);
	while ((q = strstr(p, from))) {
		buf_put(&b, p, (size_t)(q - p));
		buf_puts(&b, to);
		p = q + n;
	}
	buf_puts(&b, p);
	free(w);
	return b.s;
}

/* A lower-case library a CUDA build links that MUSA does not have. */
static int cuda_library(const char *s, size_t n)
{
	static const char *const pre[] = { "cu", "nv", "nccl" };

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (n > strlen(pre[i]) && !memcmp(s, pre[i], strlen(pre[i])))
			return names_looks_foreign(s, n, 0) || !strncmp(s, "cublas", 6) ||
			       !strncmp(s, "cufft", 5) || !strncmp(s, "curand", 6) ||
			       !strncmp(s, "cusparse", 8) || !strncmp(s, "cusolver", 8) ||
			       !strncmp(s, "nvrtc", 5) || !strncmp(s, "nvToolsExt", 10) ||
			       !strncmp(s, "cudadevrt", 9) || !strncmp(s, "nvidia", 6);
	return 0;
}

/* One word of a build file at pos, with what stands around it. Returns
 * the new text (owned) or NULL to keep it; *end extends the word when
 * the replacement covers more (CUDA::cudart); out is the output so far,
 * which loses the directory of a compiler path. */
static char *build_word(struct scan *sc, const char *s, size_t len, size_t pos, size_t n,
			size_t *end, struct buf *out)
{
	const char *w = s + pos;
	int rev = sc->c->reverse, prev = pos ? s[pos - 1] : 0;
	const char *to;
	char *r;

	*end = pos + n;
	if (prev == '.') {
		static const char *const ext[][2] = { { "cu", "mu" }, { "cuh", "muh" } };

		if ((to = pair_lookup(ext, 2, w, n, rev)))
			return xstrdup(to);
	}
	/* a renamed file's stem with a suffix (kernels_cuda.o); a bare word of
	 * that name may be a directory, which keeps its name */
	struct strmap_entry *stem = pos + n < len && s[pos + n] == '.' ?
				    strmap_getn(&sc->c->tree->stems, w, n) : NULL;

	if (stem)
		return xstrdup(stem->value);
	if (prev == '-' && n > 1 && w[0] == 'l') {
		if ((to = pair_lookup(libs, sizeof(libs) / sizeof(libs[0]), w, n, rev)))
			return xstrdup(to);
		if (!rev && is_word(w, n, "lcudart_static"))
			return xstrdup("lmusart");
		if (!rev && cuda_library(w + 1, n - 1)) {
			char *lib = xasprintf("-%.*s", (int)n, w);

			unmapped(sc, pos - 1, lib);
			free(lib);
		}
		return NULL;
	}
	if (is_word(w, n, rev ? "mcc" : "nvcc")) {
		/* $(CUDA_PATH)/bin/nvcc: the path goes, mcc is found on PATH */
		if (!rev && pos >= 5 && !memcmp(w - 5, "/bin/", 5)) {
			while (out->len && !strchr(" \t\n=\"'", out->s[out->len - 1]))
				out->len--;
			out->s[out->len] = 0;
		}
		return xstrdup(rev ? "nvcc" : "mcc");
	}
	if (sc->cmake && is_word(w, n, rev ? "MUSA" : "CUDA") && pos + n + 2 < len &&
	    s[pos + n] == ':' && s[pos + n + 1] == ':') {
		size_t t0 = pos + n + 2, t1 = t0;

		while (t1 < len && word_char((unsigned char)s[t1]))
			t1++;
		to = pair_lookup(cmake_targets, sizeof(cmake_targets) / sizeof(cmake_targets[0]),
				 s + t0, t1 - t0, rev);
		if (!to && !rev && is_word(s + t0, t1 - t0, "cudart_static"))
			to = "musart";
		if (to) {
			*end = t1;
			return xasprintf("%s::%s", rev ? "CUDA" : "MUSA", to);
		}
		if (!rev) {
			char *tgt = xasprintf("CUDA::%.*s", (int)(t1 - t0), s + t0);

			unmapped(sc, pos, tgt);
			free(tgt);
		}
		return NULL;
	}
	if (sc->cmake && (to = pair_lookup(cmake_words, sizeof(cmake_words) / sizeof(cmake_words[0]),
					   w, n, rev)))
		return xstrdup(to);
	if (sc->cmake && !rev && is_word(w, n, "cudart"))
		return xstrdup("MUSA::musart");
	if (!rev && is_word(w, n, "cuda") && pos >= 11 && !memcmp(w - 11, "/usr/local/", 11))
		return xstrdup("musa");
	if (rev && is_word(w, n, "musa") && pos >= 11 && !memcmp(w - 11, "/usr/local/", 11))
		return xstrdup("cuda");
	r = xstrndup(w, n);
	if (!rev && strstr(r, "NVCC"))
		r = replace_in(r, "NVCC", "MCC");
	if (rev && (!strcmp(r, "MCC") || !strncmp(r, "MCC_", 4) || !strncmp(r, "MCCFLAGS", 8) ||
		    strstr(r, "_MCC")))
		r = replace_in(r, "MCC", "NVCC");
	/* CUDA_PATH, CMAKE_CUDA_FLAGS; the bare language name is handled by
	 * the CMake commands and left alone elsewhere */
	if (n > 4 && isupper((unsigned char)w[0]))
		r = replace_in(r, rev ? "MUSA" : "CUDA", rev ? "CUDA" : "MUSA");
	if (strlen(r) == n && !memcmp(r, w, n)) {
		free(r);
		return NULL;
	}
	return r;
}

/* Renames the words of s[from, to) into out. */
static void build_words(struct scan *sc, size_t from, size_t to, struct buf *out)
{
	const char *s = sc->f->text;
	size_t i = from;

	while (i < to) {
		if (!word_char((unsigned char)s[i]) || (i > from && word_char((unsigned char)s[i - 1]))) {
			buf_putc(out, s[i++]);
			continue;
		}
		size_t n = 0, end;

		while (i + n < to && word_char((unsigned char)s[i + n]))
			n++;
		char *r = build_word(sc, s, to, i, n, &end, out);

		if (r) {
			buf_puts(out, r);
			sc->c->report->tally->ids++;
			free(r);
		} else {
			buf_put(out, s + i, end - i);
		}
		i = end;
	}
}

/* A comment from s[i] ('#') to its end: the line, or a bracket comment. */
static size_t comment_end(const char *s, size_t len, size_t i, int cmake)
{
	if (cmake && i + 1 < len && s[i + 1] == '[') {
		size_t eq = 0, j = i + 2;

		while (j < len && s[j] == '=')
			eq++, j++;
		if (j < len && s[j] == '[') {
			for (j++; j < len; j++) {
				if (s[j] != ']' || j + eq + 1 >= len)
					continue;
				size_t k = 0;

				while (k < eq && s[j + 1 + k] == '=')
					k++;
				if (k == eq && s[j + 1 + eq] == ']')
					return j + eq + 2;
			}
			return len;
		}
	}
	while (i < len && s[i] != '\n')
		i++;
	return i;
}

static void copy_comment(struct scan *sc, size_t from, size_t to, struct buf *out)
{
	if (sc->c->all_text)
		convert_text_words(sc->c, sc->f->text + from, to - from, out);
	else
		buf_put(out, sc->f->text + from, to - from);
}

/* Makefiles */
static void make_convert(struct scan *sc, struct buf *out)
{
	const char *s = sc->f->text;
	size_t len = sc->f->len, i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && !(s[j] == '#' && (j == 0 || s[j - 1] != '\\')))
			j++;
		build_words(sc, i, j, out);
		if (j < len) {
			size_t e = comment_end(s, len, j, 0);

			copy_comment(sc, j, e, out);
			j = e;
		}
		i = j;
	}
}

/* CMake */
struct arg {
	size_t start, end;  /* the argument, quotes included */
	int quoted;
	int drop;
};

struct command {
	size_t name, name_end, open, close;  /* close: the ')' */
	struct arg *args;
	size_t nargs;
};

static int arg_is(const struct scan *sc, const struct arg *a, const char *w)
{
	return !a->quoted && is_word(sc->f->text + a->start, a->end - a->start, w);
}

/* Does the argument name a CUDA source (or, reverse, a MUSA one)? */
static int arg_is_device_source(const struct scan *sc, const struct arg *a)
{
	const char *s = sc->f->text + a->start;
	size_t n = a->end - a->start;

	if (a->quoted && n >= 2)
		s++, n -= 2;
	return (n > 3 && !memcmp(s + n - 3, ".cu", 3)) || (n > 3 && !memcmp(s + n - 3, ".mu", 3));
}

/* Parses the arguments of a command from its '('; returns 0 or -1 when
 * the parenthesis is not closed. */
static int parse_args(const char *s, size_t len, struct command *cmd)
{
	size_t i = cmd->open + 1, cap = 0;
	int depth = 0;

	cmd->args = NULL;
	cmd->nargs = 0;
	while (i < len) {
		char ch = s[i];

		if (isspace((unsigned char)ch)) {
			i++;
			continue;
		}
		if (ch == '#') {
			i = comment_end(s, len, i, 1);
			continue;
		}
		if (ch == ')' && depth == 0) {
			cmd->close = i;
			return 0;
		}
		if (cmd->nargs == cap) {
			cap = cap ? cap * 2 : 16;
			cmd->args = xrealloc(cmd->args, cap * sizeof(*cmd->args));
		}
		struct arg *a = &cmd->args[cmd->nargs++];

		memset(a, 0, sizeof(*a));
		a->start = i;
		if (ch == '(' || ch == ')') {
			depth += ch == '(' ? 1 : -1;
			i++;
		} else if (ch == '"') {
			a->quoted = 1;
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
		} else {
			while (i < len && !isspace((unsigned char)s[i]) && !strchr("()#\"", s[i]))
				i += s[i] == '\\' ? 2 : 1;
		}
		a->end = i < len ? i : len;
	}
	return -1;
}

/* CUDA language, packages and properties in one command. */
static void cmake_command(struct scan *sc, struct command *cmd, struct buf *out)
{
	const char *s = sc->f->text;
	size_t nl = cmd->name_end - cmd->name;
	char *name = xstrndup(s + cmd->name, nl);
	const char *new_name = NULL;
	int rev = sc->c->reverse, has_cxx = 0, remove_all = 0;

	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; i < cmd->nargs; i++)
		has_cxx |= arg_is(sc, &cmd->args[i], "CXX");
	if (!rev && !strcmp(name, "project")) {
		for (size_t i = 1; i < cmd->nargs; i++)
			if (arg_is(sc, &cmd->args[i], "CUDA"))
				cmd->args[i].drop = has_cxx ? 1 : 2;  /* 2: becomes CXX */
	} else if (!rev && (!strcmp(name, "enable_language") || !strcmp(name, "check_language"))) {
		for (size_t i = 0; i < cmd->nargs; i++)
			if (arg_is(sc, &cmd->args[i], "CUDA"))
				cmd->args[i].drop = 1;
		if (cmd->nargs == 1 && cmd->args[0].drop) {
			buf_puts(out, !strcmp(name, "check_language") ? "find_package(MUSA QUIET)" :
									"find_package(MUSA REQUIRED)");
			sc->c->report->tally->ids++;
			goto done;
		}
	} else if (!strcmp(name, "find_package") && cmd->nargs &&
		   (arg_is(sc, &cmd->args[0], rev ? "MUSA" : "CUDA") ||
		    (!rev && arg_is(sc, &cmd->args[0], "CUDAToolkit")))) {
		/* versions and components are CUDA's: only the mode words stay */
		/* nvcc compiles .cu files of targets only with the language on */
		buf_puts(out, rev ? "enable_language(CUDA)\nfind_package(CUDAToolkit" : "find_package(MUSA");
		for (size_t i = 1; i < cmd->nargs; i++)
			if (arg_is(sc, &cmd->args[i], "REQUIRED") || arg_is(sc, &cmd->args[i], "QUIET"))
				buf_printf(out, " %.*s", (int)(cmd->args[i].end - cmd->args[i].start),
					   s + cmd->args[i].start);
		buf_putc(out, ')');
		sc->c->report->tally->ids++;
		goto done;
	} else if (!strcmp(name, rev ? "musa_add_executable" : "add_executable") ||
		   !strcmp(name, rev ? "musa_add_library" : "add_library")) {
		int device = 0, special = 0;

		for (size_t i = 1; i < cmd->nargs; i++) {
			device |= arg_is_device_source(sc, &cmd->args[i]);
			special |= arg_is(sc, &cmd->args[i], "IMPORTED") ||
				   arg_is(sc, &cmd->args[i], "ALIAS") ||
				   arg_is(sc, &cmd->args[i], "INTERFACE");
		}
		if (rev)
			new_name = strstr(name, "executable") ? "add_executable" : "add_library";
		else if (device && !special)
			new_name = strstr(name, "executable") ? "musa_add_executable" : "musa_add_library";
	} else if (!rev && !strcmp(name, "target_compile_features")) {
		size_t kept = 0;

		for (size_t i = 1; i < cmd->nargs; i++) {
			if (!strncmp(s + cmd->args[i].start, "cuda_std_", 9))
				cmd->args[i].drop = 1;
			else if (!arg_is(sc, &cmd->args[i], "PRIVATE") &&
				 !arg_is(sc, &cmd->args[i], "PUBLIC") &&
				 !arg_is(sc, &cmd->args[i], "INTERFACE"))
				kept++;
		}
		remove_all = !kept;
	}
	if (remove_all) {
		sc->c->report->tally->ids++;
		goto done;
	}
	if (new_name) {
		buf_puts(out, new_name);
		sc->c->report->tally->ids++;
	} else {
		build_words(sc, cmd->name, cmd->name_end, out);
	}
	/* the rest as written, less the dropped arguments and their blanks */
	size_t at = cmd->name_end;

	for (size_t i = 0; i < cmd->nargs; i++) {
		struct arg *a = &cmd->args[i];

		if (!a->drop)
			continue;
		size_t cut = a->start;

		while (cut > at && (s[cut - 1] == ' ' || s[cut - 1] == '\t'))
			cut--;
		build_words(sc, at, cut, out);
		if (a->drop == 2)
			buf_puts(out, cut < a->start ? " CXX" : "CXX");
		sc->c->report->tally->ids++;
		at = a->end;
	}
	build_words(sc, at, cmd->close + 1, out);
done:
	free(name);
}

static void cmake_convert(struct scan *sc, struct buf *out)
{
	const char *s = sc->f->text;
	size_t len = sc->f->len, i = 0;

	while (i < len) {
		if (s[i] == '#') {
			size_t e = comment_end(s, len, i, 1);

			copy_comment(sc, i, e, out);
			i = e;
			continue;
		}
		if (!(isalpha((unsigned char)s[i]) || s[i] == '_') ||
		    (i && word_char((unsigned char)s[i - 1]))) {
			buf_putc(out, s[i++]);
			continue;
		}
		struct command cmd = { .name = i };
		size_t j = i;

		while (j < len && word_char((unsigned char)s[j]))
			j++;
		cmd.name_end = j;
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j < len && s[j] == '(' && (cmd.open = j, parse_args(s, len, &cmd) == 0)) {
			cmake_command(sc, &cmd, out);
			i = cmd.close + 1;
		} else {
			build_words(sc, i, cmd.name_end, out);
			i = cmd.name_end;
		}
		free(cmd.args);
	}
}

void build_file_convert(struct convert_ctx *c, const struct input_file *f, struct buf *out)
{
	const char *base = strrchr(f->real, '/') ? strrchr(f->real, '/') + 1 : f->real;
	struct scan sc = { .c = c, .f = f, .line = 1, .cmake = names_is_cmake(base) };

	buf_put(out, "", 0);
	if (sc.cmake)
		cmake_convert(&sc, out);
	else
		make_convert(&sc, out);
}
