/* SPDX-License-Identifier: MIT */
/*
 * driver.c - mcc's command line and the compile/link pipeline: for each
 * .mu/.cu (or musa-c) input a device pass per --offload-arch and a host
 * pass embedding them; .c/.cpp inputs go to the host compiler as they are;
 * objects and libraries go to the link, which adds libmusart with an rpath.
 * Headers and libraries are found relative to mcc's own executable
 * (<bin>/../include, <bin>/../lib), in a build tree and after install.
 * May call libc, and the other files of tools/mcc.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mcc.h"
#include "musa.h"
#include "musa_codeobj.h"

enum lang { L_AUTO, L_MUSA, L_MUSA_C, L_C, L_CXX, L_OBJ };

struct input {
	const char *path;
	int lang;
};

struct argv_list {
	char **v;
	int n;
};

#define MCC_MAX_ARCHS    16
#define MCC_DEFAULT_ARCH 80u   /* sm_80 */

enum { DEP_NONE, DEP_ONLY, DEP_COMPILE };   /* -M/-MM; -MD/-MMD */

struct mcc {
	struct input *in;
	int nin;
	const char *out;
	int compile_only, device_only, keep;
	int rdc;                   /* -rdc=true / -dc: relocatable device code */
	int dlink;                 /* -dlink: the device link alone */
	int preprocess;            /* -E */
	int dep_mode, dep_nonsys, dep_phony;
	const char *dep_file, *dep_target;
	int dev_debug;             /* 1: -lineinfo, 2: -G */
	int fast_math;             /* -use_fast_math */
	int fmad, prec_div;        /* --fmad, --prec-div: -1 as the default */
	int run;                   /* --run */
	const char *run_args;
	int no_cudart;             /* -cudart none */
	int forward_unknown, forward_unknown_ld;
	int show_version;
	const char *keep_dir;
	unsigned archs[MCC_MAX_ARCHS];
	int narchs;
	struct argv_list common;   /* -I -D -U -isystem -include: preprocessor */
	struct argv_list cflags;   /* -O -g -f -W -m -w ... to both compilers */
	struct argv_list link;     /* -L -l -Wl, -fsanitize, -pthread, ... */
	const char *std_cxx, *std_c;
	char *incdir, *libdir;
	char *tmpdir;
	char *tmpdir_map;          /* -ffile-prefix-map=<tmpdir>=mcc-tmp */
	const char *cc, *cxx;
	int ntmp;
};

static void argv_list_add(struct argv_list *l, const char *s)
{
	l->v = mcc_xrealloc(l->v, (size_t)(l->n + 2) * sizeof(char *));
	l->v[l->n++] = (char *)s;
	l->v[l->n] = NULL;
}

static void argv_list_append(struct argv_list *dst, const struct argv_list *src)
{
	int i;

	for (i = 0; i < src->n; i++)
		argv_list_add(dst, src->v[i]);
}

/*
 * The compiler flags for a device pass: all but the sanitizer ones. Code
 * objects are loaded by the shim, not linked into the program, so they
 * cannot carry a sanitizer runtime of their own; the host program and the
 * libraries keep theirs, and compiler-rt reports fiber switches to it.
 */
static void argv_list_add_device_cflags(struct argv_list *dst, const struct argv_list *src)
{
	int i;

	for (i = 0; i < src->n; i++)
		if (strncmp(src->v[i], "-fsanitize", 10) && strncmp(src->v[i], "-fno-sanitize", 13))
			argv_list_add(dst, src->v[i]);
}

static char *xasprintf(const char *fmt, const char *a, const char *b)
{
	struct mcc_buf t = {0};

	mcc_buf_printf(&t, fmt, a, b);
	return t.s;
}

static void usage(void)
{
	fputs("usage: mcc [options] file...\n"
	      "  file.mu, file.cu   MUSA C++ (device + host passes)\n"
	      "  file.c             C; with kernels or launches, MUSA C\n"
	      "  file.cpp/.o/.a/.so passed to the host compiler / linker\n"
	      "  -o FILE  -c  -E  --device-only  -x musa|cu|musa-c|c|c++|none\n"
	      "  --offload-arch=A,...  -arch=A  -code=A,...  -gencode arch=compute_XX,code=sm_XX\n"
	      "           A: mp_21 mp_22 mp_31 sm_50 .. sm_80 (default), compute_XX, native,\n"
	      "           all, all-major; older nvcc archs build sm_50, newer ones sm_80\n"
	      "  -I -D -U -isystem -include -O* -g -std= -L -l -f* -W* -m* -w\n"
	      "  -rdc=true|false, -dc (= -c -rdc=true): relocatable device code,\n"
	      "           device-linked into one code object when the program is linked;\n"
	      "           -dlink: that device link alone, into an object\n"
	      "  -Xcompiler a,b  -Xlinker a,b  -ccbin DIR|COMPILER  -use_fast_math\n"
	      "  -lineinfo  -G  -M -MM -MD -MMD -MF F -MT T -MP  --run  --dryrun\n"
	      "  --no-fission  barrier kernels run every thread as a fiber, never as\n"
	      "           loops between barriers\n"
	      "  --version  --list-gpu-arch  --list-gpu-code  --list-archs\n"
	      "  -v (print commands and why a barrier kernel keeps fibers)\n"
	      "  --keep (keep temporary files)  --keep-dir DIR\n"
	      "  docs/porting.md lists every nvcc option and what mcc does with it\n", stderr);
}

#ifndef MCC_VERSION
#define MCC_VERSION "1.0.0"
#endif

/*
 * nvcc's banner, line for line, with MUSA's names: build systems look for
 * `release X.Y` (CMake's FindCUDA) and `VX.Y.Z` (FindCUDAToolkit). The
 * release is the API version of the runtime headers mcc ships with.
 */
static void version(const struct mcc *m)
{
	printf("mcc: MUSA compiler driver\n"
	       "mcc version %s, host compilers %s / %s\n"
	       "MUSA compilation tools, release %d.%d, V%d.%d.0\n"
	       "Build musa_%d.%d.r%d.%d/mcc_%s\n",
	       MCC_VERSION, m->cc, m->cxx, MUSA_VERSION / 1000, MUSA_VERSION % 1000 / 10,
	       MUSA_VERSION / 1000, MUSA_VERSION % 1000 / 10, MUSA_VERSION / 1000,
	       MUSA_VERSION % 1000 / 10, MUSA_VERSION / 1000, MUSA_VERSION % 1000 / 10, MCC_VERSION);
}

/* what: 0 nvcc's real archs (--list-gpu-code), 1 virtual (--list-gpu-arch),
 * 2 the table (--list-archs: name, capability, warp size, __MUSA_ARCH__) */
static void list_archs(int what)
{
	const struct mcc_arch *a;

	for (unsigned i = 0; (a = mcc_arch_at(i)); i++) {
		if (what == 2)
			printf("%s %u.%u %u %u\n", a->name, a->arch / 10, a->arch % 10, a->warp,
			       a->arch * 10);
		else if (what == 1 && !strncmp(a->name, "sm_", 3))
			printf("compute_%s\n", a->name + 3);
		else
			printf("%s\n", a->name);
	}
}

static void add_image_arch(struct mcc *m, unsigned a)
{
	int i;

	for (i = 0; i < m->narchs && m->archs[i] != a; i++)
		;
	if (i == m->narchs && m->narchs < MCC_MAX_ARCHS)
		m->archs[m->narchs++] = a;   /* one image per arch */
}

/*
 * A list of arch names (commas; nvcc's code=[a,b] and code="a,b" too) into
 * `out`: all = every arch, all-major = the first of each major.
 */
static int arch_list(const char *s, unsigned *out, int *n)
{
	char *dup = mcc_strndup(s, strlen(s)), *save = NULL, *t, *p, *q;
	const struct mcc_arch *a;
	unsigned v, major = 0;
	int rc = 0;

	for (p = q = dup; *p; p++)
		if (!strchr("[]\"' ", *p))
			*q++ = *p;
	*q = 0;
	for (t = strtok_r(dup, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "all") || !strcmp(t, "all-major")) {
			for (unsigned i = 0; (a = mcc_arch_at(i)) && *n < MCC_MAX_ARCHS; i++) {
				if (t[3] && a->arch / 10 == major)
					continue;
				major = a->arch / 10;
				out[(*n)++] = a->arch;
			}
		} else if (mcc_arch_resolve(t, &v) == 0) {
			if (*n < MCC_MAX_ARCHS)
				out[(*n)++] = v;
		} else {
			fprintf(stderr, "mcc: error: unknown arch '%s' (mp_21, mp_22, mp_31, sm_50 .. sm_80, "
				"compute_XX, native, all, all-major; mcc --list-archs)\n", t);
			rc = -1;
		}
	}
	free(dup);
	return rc;
}

static int add_arch_images(struct mcc *m, const char *s)
{
	unsigned v[MCC_MAX_ARCHS];
	int n = 0;

	if (arch_list(s, v, &n) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		add_image_arch(m, v[i]);
	return 0;
}

/* -gencode arch=compute_70,code=[sm_70,compute_70]: the code list names
 * the images; the virtual arch alone when there is none. */
static int gencode(struct mcc *m, const char *s)
{
	const char *code = strstr(s, "code=");
	char *arch;
	int rc;

	if (strncmp(s, "arch=", 5) != 0 && strncmp(s, "code=", 5) != 0) {
		fprintf(stderr, "mcc: error: -gencode takes arch=compute_XX,code=sm_XX, not '%s'\n", s);
		return -1;
	}
	if (code && (code == s || code[-1] == ',')) {
		if (code != s) {
			/* the virtual arch must be a known name too (its note
			 * would repeat the code's) */
			int quiet = mcc_quiet_arch_notes;

			arch = mcc_strndup(s + 5, (size_t)(code - 1 - (s + 5)));
			mcc_quiet_arch_notes = 1;
			rc = arch_list(arch, (unsigned[MCC_MAX_ARCHS]){0}, &(int){0});
			mcc_quiet_arch_notes = quiet;
			free(arch);
			if (rc)
				return -1;
		}
		return add_arch_images(m, code + 5);
	}
	return add_arch_images(m, s + 5);
}

/* Options nvcc has that mean nothing on this device: `name` alone or with
 * `=V` or (arg) a separate value; each gets one note. */
static const struct {
	const char *name;
	int arg;
	const char *why;
} ignored_opts[] = {
	{ "-Xptxas", 1, "there is no ptxas" },
	{ "--ptxas-options", 1, "there is no ptxas" },
	{ "-Xnvlink", 1, "there is no nvlink" },
	{ "--nvlink-options", 1, "there is no nvlink" },
	{ "-Xcudafe", 1, "there is no cudafe" },
	{ "--diag-suppress", 1, "its numbers are cudafe's" },
	{ "-diag-suppress", 1, "its numbers are cudafe's" },
	{ "--diag_suppress", 1, "its numbers are cudafe's" },
	{ "--diag-warn", 1, "its numbers are cudafe's" },
	{ "--diag-error", 1, "its numbers are cudafe's" },
	{ "--diag-default", 1, "its numbers are cudafe's" },
	{ "--display-error-number", 0, "mcc's messages have no numbers" },
	{ "--resource-usage", 0, "kernels use the CPU's registers and stack" },
	{ "-res-usage", 0, "kernels use the CPU's registers and stack" },
	{ "--maxrregcount", 1, "kernels use the CPU's registers" },
	{ "-maxrregcount", 1, "kernels use the CPU's registers" },
	{ "-t", 1, "device passes run one after another" },
	{ "--threads", 1, "device passes run one after another" },
	{ "--ftz", 1, "denormals follow the CPU's mode" },
	{ "-ftz", 1, "denormals follow the CPU's mode" },
	{ "--prec-sqrt", 1, "sqrt is the C library's" },
	{ "-prec-sqrt", 1, "sqrt is the C library's" },
	{ "--restrict", 0, "the host compiler decides aliasing" },
	{ "-restrict", 0, "the host compiler decides aliasing" },
	{ "--extra-device-vectorization", 0, "the host compiler vectorizes at -O2" },
	{ "-extra-device-vectorization", 0, "the host compiler vectorizes at -O2" },
	{ "--source-in-ptx", 0, "there is no PTX" },
	{ "-src-in-ptx", 0, "there is no PTX" },
	{ "--keep-device-functions", 0, "device functions are kept" },
	{ "-keep-device-functions", 0, "device functions are kept" },
};

/* Options nvcc has whose effect is what mcc always does: accepted quietly. */
static const char *const accepted_opts[] = {
	"--expt-relaxed-constexpr", "-expt-relaxed-constexpr", "--expt-extended-lambda",
	"-expt-extended-lambda", "--extended-lambda", "-extended-lambda",
	"--allow-unsupported-compiler", "-allow-unsupported-compiler", "--no-host-device-initializer-list",
	"--no-host-device-move-forward", "-nohdinitlist", "-nohdmoveforward",
};

/* nvcc's long spellings of options mcc reads in their short form. */
static const struct {
	const char *lng, *shrt;
} aliases[] = {
	{ "--output-file", "-o" }, { "--compile", "-c" }, { "--define-macro", "-D" },
	{ "--undefine-macro", "-U" }, { "--include-path", "-I" }, { "--system-include", "-isystem" },
	{ "--pre-include", "-include" }, { "--library", "-l" }, { "--library-path", "-L" },
	{ "--x", "-x" }, { "--verbose", "-v" }, { "--keep", "-keep" },
	{ "--linker-options", "-Xlinker" }, { "--compiler-options", "-Xcompiler" },
	{ "--compiler-bindir", "-ccbin" }, { "--gpu-architecture", "-arch" },
	{ "--gpu-code", "-code" }, { "--generate-code", "-gencode" },
	{ "--generate-line-info", "-lineinfo" }, { "--device-debug", "-G" },
	{ "--generate-dependencies", "-M" }, { "--generate-nonsystem-dependencies", "-MM" },
	{ "--generate-dependencies-with-compile", "-MD" },
	{ "--generate-nonsystem-dependencies-with-compile", "-MMD" },
	{ "--dependency-output", "-MF" }, { "--dependency-target-name", "-MT" },
	{ "--generate-dependency-targets", "-MP" }, { "--preprocess", "-E" },
	{ "--device-link", "-dlink" }, { "--run", "-run" }, { "--run-args", "-run-args" },
	{ "--dryrun", "-dryrun" }, { "--use_fast_math", "-use_fast_math" },
	{ "--keep-dir", "-keep-dir" }, { "--options-file", "-optf" },
	{ "--relocatable-device-code", "-rdc" }, { "--default-stream", "-default-stream" },
	{ "--debug", "-g" }, { "--disable-warnings", "-w" }, { "--shared", "-shared" },
	{ "--ptx", "-ptx" }, { "--cubin", "-cubin" }, { "--fatbin", "-fatbin" },
	{ "--optix-ir", "-optix-ir" }, { "--cudart", "-cudart" }, { "--std", "-std" },
	{ "--fmad", "-fmad" }, { "--prec-div", "-prec-div" }, { "--machine", "-m" },
	{ "--Werror", "-Werror" }, { "--Wno-deprecated-gpu-targets", "-Wno-deprecated-gpu-targets" },
	{ "--Wno-deprecated-declarations", "-Wno-deprecated-declarations" },
	{ "--forward-unknown-to-host-compiler", "-forward-unknown-to-host-compiler" },
	{ "--forward-unknown-to-host-linker", "-forward-unknown-to-host-linker" },
	{ "--compile-as-tools-patch", "-c" },
};

/* The short form of argument s (a new string), or s itself. */
static char *unalias(char *s)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		size_t n = strlen(aliases[i].lng);

		if (!strncmp(s, aliases[i].lng, n) && (!s[n] || s[n] == '='))
			return xasprintf("%s%s", aliases[i].shrt, s + n);
	}
	return s;
}

static void note_option(const char *name, const char *why)
{
	static const char **seen;
	static int nseen;

	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i], name))
			return;
	seen = mcc_xrealloc(seen, (size_t)(nseen + 1) * sizeof(*seen));
	seen[nseen++] = name;
	fprintf(stderr, "mcc: note: %s has no meaning on this device (%s); ignored\n", name, why);
}

/* Splits an options file (nvcc --options-file) into arguments: blanks
 * separate, quotes group, a backslash escapes. */
static int read_options_file(const char *path, struct argv_list *out)
{
	size_t len;
	char *text = mcc_read_file(path, &len), *p;
	struct mcc_buf cur = {0};
	int in = 0;
	char q = 0;

	if (!text) {
		fprintf(stderr, "mcc: error: cannot read options file %s\n", path);
		return -1;
	}
	for (p = text;; p++) {
		if (*p && (q || !isspace((unsigned char)*p))) {
			in = 1;
			if (*p == '\\' && p[1])
				mcc_buf_put(&cur, ++p, 1);
			else if (q && *p == q)
				q = 0;
			else if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else
				mcc_buf_put(&cur, p, 1);
			continue;
		}
		if (in) {
			argv_list_add(out, cur.s ? cur.s : mcc_strndup("", 0));
			memset(&cur, 0, sizeof(cur));
			in = 0;
		}
		if (!*p)
			break;
	}
	free(text);
	return 0;
}

/* argv with options files expanded and long nvcc names made short. */
static int normalize_args(int argc, char **argv, struct argv_list *out, int depth)
{
	for (int i = 0; i < argc; i++) {
		char *s = unalias(argv[i]);
		const char *file = NULL;

		if (!strcmp(s, "-optf") && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(s, "-optf=", 6))
			file = s + 6;
		if (!file) {
			argv_list_add(out, s);
			continue;
		}
		{
			struct argv_list sub = {0};

			if (depth > 8 || read_options_file(file, &sub) != 0 ||
			    normalize_args(sub.n, sub.v, out, depth + 1) != 0)
				return -1;
			free(sub.v);
		}
	}
	return 0;
}

/* The reading of the command line: its arguments (options files expanded,
 * long names made short), the one being read, and what the arguments read
 * so far decide for the later ones and for the end. */
struct argument_reader {
	struct mcc *m;
	int argc;
	char **argv;
	int i;                     /* the argument being read */
	int forced;                /* -x: the language of the inputs that follow */
	unsigned pending[MCC_MAX_ARCHS];   /* -arch: the images, unless -code names them */
	int npending;
	int have_code;             /* -code or --offload-arch named images */
};

/* `name` followed by `=V` or, as the next argument, `V`: 1 with *v set;
 * 0: not this option; -1: the value is missing. */
static int option_value(struct argument_reader *args, const char *name, const char **v)
{
	size_t n = strlen(name);
	const char *s = args->argv[args->i];

	if (strncmp(s, name, n) != 0 || (s[n] && s[n] != '='))
		return 0;
	if (s[n] == '=') {
		*v = s + n + 1;
		return 1;
	}
	if (args->i + 1 >= args->argc) {
		fprintf(stderr, "mcc: error: missing argument to '%s'\n", name);
		return -1;
	}
	*v = args->argv[++args->i];
	return 1;
}

/* Options with a separate or attached argument. */
static const char *option_argument(struct argument_reader *args, const char *opt)
{
	size_t n = strlen(opt);
	const char *s = args->argv[args->i];

	if (strncmp(s, opt, n) != 0)
		return NULL;
	if (s[n])
		return s + n;
	if (args->i + 1 >= args->argc) {
		fprintf(stderr, "mcc: error: missing argument to '%s'\n", opt);
		return "";
	}
	return args->argv[++args->i];
}

/* nvcc's -Werror kinds: mcc's compilers know some of them. */
static const struct {
	const char *kind, *flag;   /* flag NULL: nvcc's own check, none here */
} werror_kinds[] = {
	{ "all-warnings", "-Werror" },
	{ "deprecated-declarations", "-Werror=deprecated-declarations" },
	{ "reorder", "-Werror=reorder" },
	{ "cross-execution-space-call", NULL },
	{ "default-stream-launch", NULL },
	{ "missing-launch-bounds", NULL },
	{ "ext-lambda-captures-this", NULL },
};

static int werror_kind(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(werror_kinds) / sizeof(werror_kinds[0]); i++)
		if (strlen(werror_kinds[i].kind) == n && !memcmp(werror_kinds[i].kind, k, n))
			return (int)i;
	return -1;
}

/* Whether s is a comma list of nvcc -Werror kinds; with m, applies it. */
static int werror_list(struct mcc *m, const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, ",");

		if (werror_kind(p, n) < 0)
			return 0;
		p += n + (p[n] == ',');
	}
	for (const char *p = s; m && *p;) {
		size_t n = strcspn(p, ",");
		int k = werror_kind(p, n);

		if (werror_kinds[k].flag)
			argv_list_add(&m->cflags, werror_kinds[k].flag);
		else
			note_option(werror_kinds[k].kind, "an nvcc front-end check");
		p += n + (p[n] == ',');
	}
	return *s != 0;
}

/*
 * -ccbin: a directory holding gcc and g++, or one compiler; its partner
 * for the other language is named the usual way (g++-12 <-> gcc-12,
 * clang++ <-> clang, c++ <-> cc).
 */
static void ccbin(struct mcc *m, const char *x)
{
	static const struct { const char *cxx, *cc; } pairs[] = {
		{ "clang++", "clang" }, { "g++", "gcc" }, { "c++", "cc" },
	};
	struct stat st;
	const char *base = strrchr(x, '/');
	size_t dir = base ? (size_t)(base + 1 - x) : 0;

	base = base ? base + 1 : x;
	if (stat(x, &st) == 0 && S_ISDIR(st.st_mode)) {
		m->cc = xasprintf("%s/%s", x, "gcc");
		m->cxx = xasprintf("%s/%s", x, "g++");
		return;
	}
	m->cc = m->cxx = x;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *p = strstr(base, pairs[i].cxx);
		int is_cxx = p != NULL;
		const char *from = is_cxx ? pairs[i].cxx : pairs[i].cc, *to = is_cxx ? pairs[i].cc : pairs[i].cxx;
		struct mcc_buf b = {0};

		if (!p)
			p = strstr(base, pairs[i].cc);
		/* "cc" must be the whole name or its start ("cc-12"), not gcc's tail */
		if (!p || (i == 2 && p != base))
			continue;
		mcc_buf_put(&b, x, dir + (size_t)(p - base));
		mcc_buf_puts(&b, to);
		mcc_buf_puts(&b, p + strlen(from));
		if (is_cxx)
			m->cc = b.s;
		else
			m->cxx = b.s;
		return;
	}
}

static int lang_of(const char *path, int forced)
{
	const char *dot = strrchr(path, '.');

	if (forced != L_AUTO)
		return forced;
	if (!dot)
		return L_OBJ;
	if (!strcmp(dot, ".mu") || !strcmp(dot, ".cu"))
		return L_MUSA;
	if (!strcmp(dot, ".c"))
		return L_C;
	if (!strcmp(dot, ".cpp") || !strcmp(dot, ".cc") || !strcmp(dot, ".cxx") ||
	    !strcmp(dot, ".C") || !strcmp(dot, ".c++"))
		return L_CXX;
	return L_OBJ;
}

/* -o -c -dc -rdc -dlink --device-only: what the run makes. Each
 * read_*_option returns 1 when it took s, 0 when s is not its, -1 on an
 * error. */
static int read_output_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if (!strcmp(s, "-o")) {
		if (++args->i >= args->argc) {
			fputs("mcc: error: missing argument to '-o'\n", stderr);
			return -1;
		}
		m->out = args->argv[args->i];
	} else if (!strcmp(s, "-c")) {
		m->compile_only = 1;
	} else if (!strcmp(s, "-dc")) {
		m->compile_only = 1;
		m->rdc = 1;
	} else if (!strcmp(s, "-fgpu-rdc")) {
		m->rdc = 1;
	} else if (!strcmp(s, "-fno-gpu-rdc")) {
		m->rdc = 0;
	} else if ((found = option_value(args, "-rdc", &v))) {
		if (found < 0)
			return -1;
		if (strcmp(v, "true") && strcmp(v, "false")) {
			fprintf(stderr, "mcc: error: -rdc takes true or false, not '%s'\n", v);
			return -1;
		}
		m->rdc = !strcmp(v, "true");
	} else if (!strcmp(s, "-dlink")) {
		m->dlink = 1;
	} else if (!strcmp(s, "--device-only") || !strcmp(s, "--cuda-device-only")) {
		m->device_only = 1;
	} else {
		return 0;
	}
	return 1;
}

/* --offload-arch -code -arch -gencode --list-*: the device images. */
static int read_arch_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if ((found = option_value(args, "--offload-arch", &v)) ||
	    (found = option_value(args, "--cuda-gpu-arch", &v)) ||
	    (found = option_value(args, "-code", &v))) {
		if (found < 0 || add_arch_images(m, v) != 0)
			return -1;
		args->have_code |= s[1] == 'c';
	} else if ((found = option_value(args, "-arch", &v))) {
		/* nvcc: -arch=sm_XX alone is -gencode arch=compute_XX,code=sm_XX;
		 * with -code, only the virtual arch */
		if (found < 0 || arch_list(v, args->pending, &args->npending) != 0)
			return -1;
	} else if ((found = option_value(args, "-gencode", &v))) {
		if (found < 0 || gencode(m, v) != 0)
			return -1;
	} else if (!strcmp(s, "--list-gpu-code") || !strcmp(s, "--list-gpu-arch") ||
		   !strcmp(s, "--list-archs")) {
		list_archs(!strcmp(s, "--list-gpu-code") ? 0 : !strcmp(s, "--list-gpu-arch") ? 1 : 2);
		exit(0);
	} else {
		return 0;
	}
	return 1;
}

/* mcc's own options: --version -v --dryrun --no-fission --keep --help
 * --default-stream -E, and the outputs it cannot make. */
static int read_driver_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if (!strcmp(s, "--version") || !strcmp(s, "-V")) {
		m->show_version = 1;
	} else if (!strcmp(s, "-v")) {
		mcc_verbose = 1;
	} else if (!strcmp(s, "-dryrun")) {
		mcc_dryrun = 1;
	} else if (!strcmp(s, "--no-fission")) {
		mcc_fission = 0;
	} else if (!strcmp(s, "--keep") || !strcmp(s, "-keep")) {
		m->keep = 1;
	} else if ((found = option_value(args, "-keep-dir", &v))) {
		if (found < 0)
			return -1;
		m->keep_dir = v;
	} else if (!strcmp(s, "-h") || !strcmp(s, "--help") || !strcmp(s, "-help")) {
		usage();
		exit(0);
	} else if (!strncmp(s, "-default-stream", 15) && (!s[15] || s[15] == '=')) {
		/* nvcc: the meaning of stream 0 in host code of this compile */
		if (option_value(args, "-default-stream", &v) < 0)
			return -1;
		if (!strcmp(v, "per-thread")) {
			argv_list_add(&m->common, "-DMUSA_API_PER_THREAD_DEFAULT_STREAM");
		} else if (strcmp(v, "legacy") && strcmp(v, "null")) {
			fprintf(stderr, "mcc: error: --default-stream takes per-thread, legacy or null\n");
			return -1;
		}
	} else if (!strcmp(s, "-ptx") || !strcmp(s, "-cubin") || !strcmp(s, "-fatbin") ||
		   !strcmp(s, "-optix-ir")) {
		fprintf(stderr, "mcc: error: %s: this device runs native code and has no PTX, cubin "
			"or fatbin; --device-only writes a device code object\n", s);
		return -1;
	} else if (!strcmp(s, "-E")) {
		m->preprocess = 1;
	} else {
		return 0;
	}
	return 1;
}

/* -M -MM -MD -MMD -MP -MF -MT: make rules. */
static int read_dependency_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if (!strcmp(s, "-M") || !strcmp(s, "-MM")) {
		m->dep_mode = DEP_ONLY;
		m->dep_nonsys = s[2] == 'M';
	} else if (!strcmp(s, "-MD") || !strcmp(s, "-MMD")) {
		if (m->dep_mode != DEP_ONLY)
			m->dep_mode = DEP_COMPILE;
		m->dep_nonsys = s[2] == 'M';
	} else if (!strcmp(s, "-MP")) {
		m->dep_phony = 1;
	} else if ((found = option_value(args, "-MF", &v)) ||
		   (!strncmp(s, "-MF", 3) && (v = s + 3) && (found = 1))) {
		if (found < 0)
			return -1;
		m->dep_file = v;
	} else if ((found = option_value(args, "-MT", &v)) ||
		   (!strncmp(s, "-MT", 3) && (v = s + 3) && (found = 1))) {
		if (found < 0)
			return -1;
		m->dep_target = v;
	} else {
		return 0;
	}
	return 1;
}

/* --run --run-args, and the options of device code: -lineinfo -G
 * -use_fast_math -fmad -prec-div. */
static int read_device_code_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if (!strcmp(s, "-run")) {
		m->run = 1;
	} else if ((found = option_value(args, "-run-args", &v))) {
		if (found < 0)
			return -1;
		m->run_args = v;
	} else if (!strcmp(s, "-lineinfo")) {
		if (m->dev_debug < 1)
			m->dev_debug = 1;
	} else if (!strcmp(s, "-G")) {
		m->dev_debug = 2;
	} else if (!strcmp(s, "-use_fast_math")) {
		m->fast_math = 1;
	} else if ((found = option_value(args, "-fmad", &v)) ||
		   (found = option_value(args, "-prec-div", &v))) {
		if (found < 0)
			return -1;
		if (strcmp(v, "true") && strcmp(v, "false")) {
			fprintf(stderr, "mcc: error: %.9s takes true or false, not '%s'\n", s, v);
			return -1;
		}
		if (s[1] == 'f')
			m->fmad = !strcmp(v, "true") ? 1 : 0;
		else
			m->prec_div = !strcmp(v, "true") ? 1 : 0;
	} else {
		return 0;
	}
	return 1;
}

/* The host compilers and what they are told: -ccbin -cudart -Werror
 * --forward-unknown-*. */
static int read_compiler_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *v;
	int found;

	if ((found = option_value(args, "-ccbin", &v))) {
		if (found < 0)
			return -1;
		ccbin(m, v);
	} else if ((found = option_value(args, "-cudart", &v))) {
		if (found < 0)
			return -1;
		if (!strcmp(v, "none")) {
			m->no_cudart = 1;
		} else if (!strcmp(v, "static")) {
			note_option("-cudart static", "libmusart is a shared library; linked shared");
		} else if (strcmp(v, "shared")) {
			fprintf(stderr, "mcc: error: -cudart takes shared, static or none\n");
			return -1;
		}
	} else if (!strcmp(s, "-Wno-deprecated-gpu-targets")) {
		mcc_quiet_arch_notes = 1;
	} else if (!strcmp(s, "-Werror") && args->i + 1 < args->argc &&
		   werror_list(NULL, args->argv[args->i + 1])) {
		werror_list(m, args->argv[++args->i]);
	} else if (!strncmp(s, "-Werror=", 8) && werror_list(NULL, s + 8)) {
		werror_list(m, s + 8);
	} else if (!strcmp(s, "-forward-unknown-to-host-compiler") ||
		   !strcmp(s, "-forward-unknown-opts")) {
		m->forward_unknown = 1;
	} else if (!strcmp(s, "-forward-unknown-to-host-linker")) {
		m->forward_unknown_ld = 1;
	} else {
		return 0;
	}
	return 1;
}

/* -x: the language of the inputs that follow. */
static int read_language_option(struct argument_reader *args, const char *s)
{
	const char *v;
	int found;

	if ((found = option_value(args, "-x", &v)) ||
	    (!strncmp(s, "-x", 2) && (v = s + 2) && (found = 1))) {
		if (found < 0)
			return -1;
		if (!strcmp(v, "musa") || !strcmp(v, "cu") || !strcmp(v, "cuda"))
			args->forced = L_MUSA;
		else if (!strcmp(v, "musa-c"))
			args->forced = L_MUSA_C;
		else if (!strcmp(v, "c"))
			args->forced = L_C;
		else if (!strcmp(v, "c++"))
			args->forced = L_CXX;
		else if (!strcmp(v, "none"))
			args->forced = L_AUTO;
		else {
			fprintf(stderr, "mcc: error: unknown language '%s' for -x\n", v);
			return -1;
		}
	} else {
		return 0;
	}
	return 1;
}

/* -I -D -U -isystem -include -iquote: to the preprocessor. */
static int read_preprocessor_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *a;

	if ((a = option_argument(args, "-I"))) {
		if (!*a)
			return -1;
		argv_list_add(&m->common, xasprintf("-I%s%s", a, ""));
	} else if ((a = option_argument(args, "-D")) || (a = option_argument(args, "-U"))) {
		if (!*a)
			return -1;
		argv_list_add(&m->common, xasprintf("-%s%s", s[1] == 'D' ? "D" : "U", a));
	} else if (!strcmp(s, "-isystem") || !strcmp(s, "-include") || !strcmp(s, "-iquote")) {
		if (args->i + 1 >= args->argc) {
			fprintf(stderr, "mcc: error: missing argument to '%s'\n", s);
			return -1;
		}
		argv_list_add(&m->common, s);
		argv_list_add(&m->common, args->argv[++args->i]);
	} else {
		return 0;
	}
	return 1;
}

/* -std --optimize, the link options and the compiler flags; anything else
 * is an unknown option (or, asked for, forwarded). */
static int read_flag_option(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;
	const char *a, *v;
	int found;

	if ((found = option_value(args, "-std", &v))) {
		if (found < 0)
			return -1;
		if (strstr(v, "++"))
			m->std_cxx = xasprintf("-std=%s%s", v, "");
		else
			m->std_c = xasprintf("-std=%s%s", v, "");
	} else if ((found = option_value(args, "--optimize", &v))) {
		if (found < 0)
			return -1;
		argv_list_add(&m->cflags, xasprintf("-O%s%s", v, ""));
	} else if ((a = option_argument(args, "-L"))) {
		if (!*a)
			return -1;
		argv_list_add(&m->link, xasprintf("-L%s%s", a, ""));
	} else if ((a = option_argument(args, "-l"))) {
		if (!*a)
			return -1;
		argv_list_add(&m->link, xasprintf("-l%s%s", a, ""));
	} else if (!strncmp(s, "-Wl,", 4) || !strcmp(s, "-shared") || !strcmp(s, "-rdynamic") ||
		   !strcmp(s, "-static-libgcc") || !strcmp(s, "-static-libstdc++")) {
		argv_list_add(&m->link, s);
	} else if ((found = option_value(args, "-Xlinker", &v))) {
		/* nvcc: options separated by commas, each to the host linker */
		if (found < 0)
			return -1;
		argv_list_add(&m->link, xasprintf("-Wl,%s%s", v, ""));
	} else if ((found = option_value(args, "-Xcompiler", &v))) {
		/* nvcc: options separated by commas, each to the host compiler */
		char *dup, *save = NULL, *t;

		if (found < 0)
			return -1;
		dup = mcc_strndup(v, strlen(v));
		for (t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
			argv_list_add(&m->cflags, t);
	} else if (!strcmp(s, "-pthread") || !strncmp(s, "-fsanitize", 10) ||
		   !strncmp(s, "-fno-sanitize", 13) || !strcmp(s, "-fopenmp") ||
		   !strcmp(s, "-flto") || !strncmp(s, "-fprofile", 9) || !strcmp(s, "--coverage")) {
		argv_list_add(&m->cflags, s);
		argv_list_add(&m->link, s);
	} else if (!strncmp(s, "-O", 2) || !strncmp(s, "-g", 2) || !strncmp(s, "-f", 2) ||
		   !strncmp(s, "-W", 2) || !strncmp(s, "-m", 2) || !strcmp(s, "-w") ||
		   !strcmp(s, "-pedantic") || !strcmp(s, "-pedantic-errors")) {
		if (!strcmp(s, "-m"))   /* nvcc --machine 64 */
			s = args->i + 1 < args->argc ? xasprintf("-m%s%s", args->argv[++args->i], "") : s;
		argv_list_add(&m->cflags, s);
	} else if (m->forward_unknown) {
		argv_list_add(&m->cflags, s);
	} else if (m->forward_unknown_ld) {
		argv_list_add(&m->link, s);
	} else {
		fprintf(stderr, "mcc: error: unknown option '%s'\n", s);
		return -1;
	}
	return 1;
}

/* An input file (or `-`, or an argument that is not an option). */
static int read_input(struct argument_reader *args, const char *s)
{
	struct mcc *m = args->m;

	if (s[0] == '-' && s[1])
		return 0;
	m->in = mcc_xrealloc(m->in, (size_t)(m->nin + 1) * sizeof(*m->in));
	m->in[m->nin].path = s;
	m->in[m->nin].lang = lang_of(s, args->forced);
	m->nin++;
	return 1;
}

/* nvcc's options that mean nothing here (a note, their value skipped) or
 * that ask for what mcc always does. */
static int read_ignored_option(struct argument_reader *args, const char *s)
{
	size_t k;

	for (k = 0; k < sizeof(ignored_opts) / sizeof(ignored_opts[0]); k++) {
		size_t n = strlen(ignored_opts[k].name);

		if (!strncmp(s, ignored_opts[k].name, n) && (!s[n] || s[n] == '='))
			break;
	}
	if (k < sizeof(ignored_opts) / sizeof(ignored_opts[0])) {
		if (ignored_opts[k].arg && !strchr(s, '=') && ++args->i >= args->argc) {
			fprintf(stderr, "mcc: error: missing argument to '%s'\n", s);
			return -1;
		}
		note_option(ignored_opts[k].name, ignored_opts[k].why);
		return 1;
	}
	for (k = 0; k < sizeof(accepted_opts) / sizeof(accepted_opts[0]); k++)
		if (!strcmp(s, accepted_opts[k]))
			return 1;
	return 0;
}

/* The readers of an argument, in the order they are asked: the first that
 * takes it reads it; the last takes every argument. */
static int (*const argument_readers[])(struct argument_reader *, const char *) = {
	read_input, read_ignored_option, read_output_option, read_arch_option, read_driver_option,
	read_dependency_option, read_device_code_option, read_compiler_option, read_language_option,
	read_preprocessor_option, read_flag_option,
};

static int parse_args(struct mcc *m, int argc0, char **argv0)
{
	struct argv_list all = {0};
	struct argument_reader args = { .m = m, .forced = L_AUTO };
	size_t k;
	int i, taken;

	if (normalize_args(argc0, argv0, &all, 0) != 0)
		return -1;
	args.argc = all.n;
	args.argv = all.v;
	for (args.i = 1; args.i < args.argc; args.i++) {
		taken = 0;
		for (k = 0; !taken && k < sizeof(argument_readers) / sizeof(argument_readers[0]); k++)
			taken = argument_readers[k](&args, args.argv[args.i]);
		if (taken < 0)
			return -1;
	}
	if (m->show_version) {
		version(m);
		exit(0);
	}
	if (!m->nin) {
		fputs("mcc: error: no input files\n", stderr);
		usage();
		return -1;
	}
	if (!args.have_code)
		for (i = 0; i < args.npending; i++)
			add_image_arch(m, args.pending[i]);
	if (!m->narchs)
		m->archs[m->narchs++] = MCC_DEFAULT_ARCH;
	return 0;
}

/* <dir of the mcc executable>/../{include,lib} */
static int find_home(struct mcc *m)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		fprintf(stderr, "mcc: error: cannot find my own location: %s\n", strerror(errno));
		return -1;
	}
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(exe, ".");
	m->incdir = xasprintf("%s/include%s", exe, "");
	m->libdir = xasprintf("%s/lib%s", exe, "");
	return 0;
}

static void cleanup(struct mcc *m)
{
	DIR *d;
	struct dirent *e;

	if (!m->tmpdir)
		return;
	if (m->keep) {
		fprintf(stderr, "mcc: temporary files kept in %s\n", m->tmpdir);
		return;
	}
	d = opendir(m->tmpdir);
	if (d) {
		while ((e = readdir(d))) {
			char *p;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			p = xasprintf("%s/%s", m->tmpdir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(m->tmpdir);
}

static char *tmpfile_name(struct mcc *m, const char *suffix)
{
	struct mcc_buf b = {0};

	mcc_buf_printf(&b, "%s/%d%s", m->tmpdir, m->ntmp++, suffix);
	return b.s;
}

static int write_file(const char *path, const struct mcc_buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b->s, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "mcc: error: cannot write %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

/* Copies a file (a compiler's messages) to stderr. */
static void dump_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

/*
 * The linker script every code object is linked with (with -nostartfiles):
 * it drops the initializer and finalizer sections, so that the object
 * carries no code the loader would run when it loads or unloads (the KMD
 * refuses such objects, docs/uapi.md). Constructors of host objects that
 * the device pass compiles along (a .mu file's statics, <iostream>'s
 * ios_base::Init) then go with --gc-sections: they run once, in the host
 * program. Written once per mcc run into the temporary directory.
 */
static void device_ldscript_text(struct mcc_buf *b)
{
	mcc_buf_puts(b, "SECTIONS\n{\n  /DISCARD/ : {\n"
		     "    *(.preinit_array .preinit_array.* .init_array .init_array.*)\n"
		     "    *(.fini_array .fini_array.* .ctors .ctors.* .dtors .dtors.*)\n"
		     "  }\n}\nINSERT BEFORE .init_array;\n");
}

static const char *device_ldscript(struct mcc *m)
{
	static char *path;
	struct mcc_buf b = {0};

	if (path)
		return path;
	device_ldscript_text(&b);
	path = tmpfile_name(m, ".ld");
	if (write_file(path, &b) != 0) {
		free(path);
		path = NULL;
	}
	mcc_buf_free(&b);
	return path;
}

/* The link options of a code object: no start files, no initializers. */
static int add_device_link_opts(struct mcc *m, struct argv_list *a)
{
	const char *ld = device_ldscript(m);

	if (!ld)
		return -1;
	argv_list_add(a, "-nostartfiles");
	argv_list_add(a, xasprintf("-Wl,-T,%s%s", ld, ""));
	return 0;
}

static char *src_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? mcc_strndup(path, (size_t)(slash - path) + (slash == path)) :
		       mcc_strndup(".", 1);
}

/* base name with the extension replaced */
static char *out_name(const char *path, const char *ext)
{
	const char *base = strrchr(path, '/'), *dot;
	struct mcc_buf b = {0};

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	mcc_buf_put(&b, base, dot ? (size_t)(dot - base) : strlen(base));
	mcc_buf_puts(&b, ext);
	return b.s;
}

static void add_lang_flags(struct mcc *m, struct argv_list *a, int cxx)
{
	argv_list_add(a, "-x");
	argv_list_add(a, cxx ? "c++" : "c");
	argv_list_add(a, cxx ? (m->std_cxx ? m->std_cxx : "-std=c++17") :
			    (m->std_c ? m->std_c : "-std=gnu11"));
}

/*
 * The passes compile sources mcc writes into its temporary directory,
 * whose name mkdtemp() makes new each run; the compiler would record it
 * (DW_AT_name and the line table with -g, -G or -lineinfo). It is renamed
 * to the fixed "mcc-tmp" in what the compiler writes, so the same command
 * gives the same bytes; the user's code keeps its own path (#line). Added
 * after the user's flags: with overlapping maps, the last one given wins.
 */
static void add_tmpdir_map(const struct mcc *m, struct argv_list *a)
{
	if (m->tmpdir_map)
		argv_list_add(a, m->tmpdir_map);
}

/*
 * What nvcc's device-code options mean for a device pass (docs/porting.md,
 * "nvcc options"): -lineinfo line tables, -G full debug information at
 * -O0; -use_fast_math what nvcc's implies (--prec-div=false: reciprocals,
 * --fmad=true: contraction, no errno from math functions) and
 * __USE_FAST_MATH__, but neither reassociation nor finite-only math, which
 * nvcc's does not allow either; the host pass keeps IEEE arithmetic.
 */
static void add_device_options(const struct mcc *m, struct argv_list *a)
{
	int clang = strstr(m->cxx, "clang") != NULL;

	if (m->dev_debug == 1)
		argv_list_add(a, clang ? "-gline-tables-only" : "-g1");
	if (m->dev_debug == 2) {
		argv_list_add(a, "-g");
		argv_list_add(a, "-O0");
	}
	if (m->fast_math) {
		argv_list_add(a, "-D__USE_FAST_MATH__=1");
		argv_list_add(a, "-fno-math-errno");
		argv_list_add(a, "-fno-trapping-math");
	}
	if (m->prec_div == 0 || (m->fast_math && m->prec_div < 0))
		argv_list_add(a, "-freciprocal-math");
	if (m->fmad == 1 || (m->fast_math && m->fmad < 0))
		argv_list_add(a, "-ffp-contract=fast");
	if (m->fmad == 0)
		argv_list_add(a, "-ffp-contract=off");
}

/*
 * The compiler command of a device pass from `path` to `out`. With
 * memcheck, the command of the memory checker's build (docs/debugging.md):
 * every load and store calls compiler-rt's memcheck.c (the sanitizer's
 * out-of-line kernel form, no stack or global red zones), with line tables,
 * no tail calls (the runtime finds the kernel's entry from its return
 * address) and -O1 (no vectorized accesses wider than the code's own).
 */
static void device_argv(struct mcc *m, const struct mcc_unit *u, const char *archdef,
			const char *dir, const char *path, const char *out, const char *etag,
			int memcheck, struct argv_list *a)
{
	int clang = strstr(u->is_c ? m->cc : m->cxx, "clang") != NULL;

	argv_list_add(a, (char *)(u->is_c ? m->cc : m->cxx));
	add_lang_flags(m, a, !u->is_c);
	argv_list_add(a, "-fPIC");
	argv_list_add(a, etag ? "-c" : "-shared");
	argv_list_add(a, memcheck ? "-O1" : "-O2");
	argv_list_add(a, "-fvisibility=hidden");
	argv_list_add(a, "-ffunction-sections");
	argv_list_add(a, "-fdata-sections");
	argv_list_add(a, (char *)archdef);
	argv_list_add(a, xasprintf("-I%s%s", m->incdir, ""));
	argv_list_add(a, "-iquote");
	argv_list_add(a, (char *)dir);
	argv_list_append(a, &m->common);
	argv_list_add_device_cflags(a, &m->cflags);
	add_tmpdir_map(m, a);
	/* host-only code stays in the device pass; what it leaves unused is
	 * not the user's concern */
	argv_list_add(a, "-Wno-unused-variable");
	argv_list_add(a, "-Wno-unused-but-set-variable");
	argv_list_add(a, "-Wno-unused-parameter");
	/* CUDA's #pragma unroll: gcc unrolls by its own measure */
	argv_list_add(a, "-Wno-unknown-pragmas");
	add_device_options(m, a);
	if (memcheck) {
		argv_list_add(a, "-w");
		argv_list_add(a, "-fsanitize=kernel-address");
		argv_list_add(a, "-fno-optimize-sibling-calls");
		argv_list_add(a, "-D__MUSA_MEMCHECK__=1");
		if (!m->dev_debug)
			argv_list_add(a, clang ? "-gline-tables-only" : "-g1");
		if (clang) {
			static char *const opts[] = {
				"-asan-instrumentation-with-call-threshold=0", "-asan-stack=0",
				"-asan-globals=0",
			};
			for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
				argv_list_add(a, "-mllvm");
				argv_list_add(a, opts[i]);
			}
		} else {
			argv_list_add(a, "--param=asan-instrumentation-with-call-threshold=0");
			argv_list_add(a, "--param=asan-stack=0");
			argv_list_add(a, "--param=asan-globals=0");
		}
	}
	argv_list_add(a, "-include");
	argv_list_add(a, "musa_device_pass.h");
	if (!u->is_c) {
		/* nvcc's implicit cuda_runtime.h */
		argv_list_add(a, "-include");
		argv_list_add(a, "musa_runtime.h");
	}
	argv_list_add(a, (char *)path);
	argv_list_add(a, "-x");
	argv_list_add(a, "none");
	argv_list_add(a, "-o");
	argv_list_add(a, (char *)out);
}

static int is_prefix_map(const char *s);

/* arg with each occurrence of dir replaced by MUSA_MEMCHECK_DIR. */
static char *recipe_arg(char *arg, const char *dir)
{
	struct mcc_buf b = {0};
	size_t n = strlen(dir);
	const char *p = arg, *q;

	if (!n || !strstr(arg, dir))
		return arg;
	while ((q = strstr(p, dir))) {
		mcc_buf_put(&b, p, (size_t)(q - p));
		mcc_buf_puts(&b, MUSA_MEMCHECK_DIR);
		p = q + n;
	}
	mcc_buf_puts(&b, p);
	return b.s;
}

/* One file of a memory-checker recipe: name, length, bytes, NUL. */
static void recipe_file(struct mcc_buf *blob, const char *name, const struct mcc_buf *b)
{
	mcc_buf_put(blob, name, strlen(name) + 1);
	mcc_buf_printf(blob, "%zu", b->len);
	mcc_buf_put(blob, "", 1);
	mcc_buf_put(blob, b->s ? b->s : "", b->len);
	mcc_buf_put(blob, "", 1);
}

/*
 * The memory checker's recipe (musa_codeobj.h, MUSA_MEMCHECK_SECTION): the
 * device source with every kernel in its fiber form, whose runner keeps
 * threadIdx current for the reports, the linker script, and the command
 * that builds them, linked as the pass links. Returns the file that holds
 * it, or NULL.
 */
static char *memcheck_recipe(struct mcc *m, struct mcc_unit *u, unsigned arch,
			     const char *archdef, const char *dir, int nlink, char **link)
{
	struct mcc_buf src = {0}, ld = {0}, blob = {0};
	struct argv_list a = {0};
	int *saved = calloc((size_t)u->nkernels * 2 + 1, sizeof(int));
	const char *name = u->is_c ? "code.dev.c" : "code.dev.cpp";
	char *bpath = tmpfile_name(m, ".mck");
	int i, j, ok;

	for (i = 0; i < u->nkernels; i++) {
		saved[2 * i] = u->kernels[i].inlined;
		saved[2 * i + 1] = u->kernels[i].fission;
		u->kernels[i].inlined = u->kernels[i].fission = 0;
	}
	mcc_gen_device(u, arch, NULL, &src);
	for (i = 0; i < u->nkernels; i++) {
		u->kernels[i].inlined = saved[2 * i];
		u->kernels[i].fission = saved[2 * i + 1];
	}
	device_ldscript_text(&ld);
	device_argv(m, u, archdef, dir, xasprintf("%s/%s", MUSA_MEMCHECK_DIR, name),
		    MUSA_MEMCHECK_DIR "/" MUSA_MEMCHECK_OUT, NULL, 1, &a);
	for (i = 0; i < nlink; i++)
		argv_list_add(&a, strncmp(link[i], "-Wl,-T,", 7) ? link[i] :
			   "-Wl,-T," MUSA_MEMCHECK_DIR "/code.ld");
	/* the build's own directory stands for mcc's, and the user's path
	 * maps go (reports then name real paths), so the recipe (and with it
	 * the code object) does not depend on where mcc ran */
	for (i = j = 0; i < a.n; i++)
		if (!is_prefix_map(a.v[i]) || !strcmp(a.v[i], m->tmpdir_map))
			a.v[j++] = recipe_arg(a.v[i], m->tmpdir);
	a.n = j;
	mcc_buf_put(&blob, MUSA_MEMCHECK_MAGIC, sizeof(MUSA_MEMCHECK_MAGIC));
	mcc_buf_put(&blob, "2", 2);
	recipe_file(&blob, name, &src);
	recipe_file(&blob, "code.ld", &ld);
	mcc_buf_printf(&blob, "%d", a.n);
	mcc_buf_put(&blob, "", 1);
	for (i = 0; i < a.n; i++)
		mcc_buf_put(&blob, a.v[i], strlen(a.v[i]) + 1);
	ok = !strchr(bpath, '"') && !strchr(bpath, '\\') && write_file(bpath, &blob) == 0;
	mcc_buf_free(&src);
	mcc_buf_free(&ld);
	mcc_buf_free(&blob);
	free(a.v);
	free(saved);
	if (!ok) {
		free(bpath);
		return NULL;
	}
	return bpath;
}

/* The statement that puts the recipe at `bpath` into the code object: a
 * retained, unallocated section (assembled from the C source, so no debug
 * information names the file). */
static void recipe_stmt(const char *bpath, struct mcc_buf *o)
{
	mcc_buf_printf(o, "\n__asm__(\".pushsection %s,\\\"R\\\",@progbits\\n\\t.incbin \\\"%s\\\""
		       "\\n\\t.popsection\");\n", MUSA_MEMCHECK_SECTION, bpath);
}

/* One device pass: a code object, or with etag (-rdc) a relocatable
 * object whose entries carry etag in their names. */
/*
 * The compiler's stack-usage report of the device pass, written into the
 * new directory `dir` (stack.c reads every .su file there): clang takes
 * the file name, gcc names the file after its inputs under -dumpdir.
 */
static int add_stack_usage(struct mcc *m, const struct mcc_unit *u, const char *dir,
			   struct argv_list *a)
{
	if (!mcc_dryrun && mkdir(dir, 0700) != 0) {
		fprintf(stderr, "mcc: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	argv_list_add(a, "-fstack-usage");
	if (strstr(u->is_c ? m->cc : m->cxx, "clang")) {
		argv_list_add(a, "-Xclang");
		argv_list_add(a, "-stack-usage-file");
		argv_list_add(a, "-Xclang");
		argv_list_add(a, xasprintf("%s/%s", dir, "device.su"));
	} else {
		argv_list_add(a, "-dumpdir");
		argv_list_add(a, xasprintf("%s/%s", dir, ""));
	}
	return 0;
}

static int device_pass(struct mcc *m, struct mcc_unit *u, unsigned arch, const char *out,
		       const char *etag)
{
	struct argv_list a = {0};
	struct mcc_buf src = {0};
	char *path = tmpfile_name(m, u->is_c ? ".dev.c" : ".dev.cpp");
	char *report_dir = tmpfile_name(m, ".su");
	char archdef[64], *dir = src_dir(u->path), *devlib, *errs = NULL, *recipe = NULL;
	int rc, i, nfission = 0, nlink;

	mcc_gen_device(u, arch, etag, &src);
	rc = write_file(path, &src);
	if (rc)
		goto out;
	snprintf(archdef, sizeof(archdef), "-D__MUSA_ARCH__=%u", arch * 10);
	devlib = xasprintf("%s/libmusa_device.a%s", m->libdir, "");
	device_argv(m, u, archdef, dir, path, out, etag, 0, &a);
	if (!etag) {
		nlink = a.n;
		argv_list_add(&a, "-Wl,--gc-sections");
		argv_list_add(&a, "-Wl,--no-undefined");
		if (add_device_link_opts(m, &a) != 0) {
			rc = -1;
			free(devlib);
			goto out;
		}
		argv_list_add(&a, devlib);
		argv_list_add(&a, "-lm");
		/* the recipe links as the pass does, whatever follows the output */
		recipe = memcheck_recipe(m, u, arch, archdef, dir, a.n - nlink, a.v + nlink);
		if (recipe) {
			recipe_stmt(recipe, &src);
			rc = write_file(path, &src);
			if (rc) {
				free(devlib);
				goto out;
			}
		}
	}
	if (add_stack_usage(m, u, report_dir, &a) != 0) {
		rc = -1;
		free(devlib);
		goto out;
	}
	for (i = 0; i < u->nkernels; i++)
		nfission += u->kernels[i].fission;
	/*
	 * With kernels compiled as loops between barriers, a first try keeps
	 * the compiler's messages: should the rewritten bodies not compile,
	 * those kernels go back to fibers and the pass runs again, so a
	 * shape fission gets wrong costs speed, never the build (the user's
	 * own errors then show from the second run).
	 */
	if (nfission)
		errs = tmpfile_name(m, ".dev.err");
	rc = mcc_run_to(a.v, errs) == 0 ? 0 : -1;
	if (rc && nfission) {
		mcc_buf_free(&src);
		for (i = 0; i < u->nkernels; i++)
			if (u->kernels[i].fission)
				u->kernels[i].fission = u->kernels[i].inlined = 0;
		mcc_gen_device(u, arch, etag, &src);
		if (recipe)
			recipe_stmt(recipe, &src);
		if (write_file(path, &src) == 0 && mcc_run(a.v) == 0) {
			rc = 0;
			fprintf(stderr, "mcc: warning: %s: barrier kernels compiled as fibers: their loop "
				"form did not compile (%s)\n", u->path,
				mcc_verbose ? "the errors follow" : "mcc -v shows the errors");
			if (mcc_verbose)
				dump_file(errs);
		}
	}
	if (!rc && !mcc_dryrun)
		rc = mcc_stack_sizes(u, etag, report_dir, out);
	free(devlib);
out:
	mcc_buf_free(&src);
	free(a.v);
	free(path);
	free(report_dir);
	free(dir);
	free(errs);
	free(recipe);
	return rc;
}

static int has_sanitizer(const struct argv_list *l)
{
	for (int i = 0; i < l->n; i++)
		if (!strncmp(l->v[i], "-fsanitize=", 11))
			return 1;
	return 0;
}

static int host_compile(struct mcc *m, const char *path, int cxx, const char *orig, const char *out,
			int force_host_header)
{
	struct argv_list a = {0};
	char *dir = src_dir(orig), *inc = xasprintf("-I%s%s", m->incdir, "");
	int rc, stdin_src;

	argv_list_add(&a, (char *)(cxx ? m->cxx : m->cc));
	add_lang_flags(m, &a, cxx);
	argv_list_add(&a, "-c");
	argv_list_add(&a, inc);
	if (path != orig) {
		argv_list_add(&a, "-iquote");
		argv_list_add(&a, dir);
	}
	argv_list_append(&a, &m->common);
	argv_list_append(&a, &m->cflags);
	add_tmpdir_map(m, &a);
	if (force_host_header) {
		argv_list_add(&a, "-Wno-unknown-pragmas");  /* #pragma unroll in kernels */
		argv_list_add(&a, "-include");
		argv_list_add(&a, "musa_host_pass.h");
		if (cxx) {
			argv_list_add(&a, "-include");
			argv_list_add(&a, "musa_runtime.h");
		}
	}
	/*
	 * A sanitizer records the name of the file it instruments in the
	 * object (ASan's module name), and -ffile-prefix-map does not reach
	 * it: a generated source is then read from stdin, so the name is the
	 * same in every run (reproducible output; its #line markers still
	 * name the .mu).
	 */
	stdin_src = m->tmpdir && !strncmp(path, m->tmpdir, strlen(m->tmpdir)) &&
		    has_sanitizer(&m->cflags);
	argv_list_add(&a, stdin_src ? "-" : path);
	argv_list_add(&a, "-o");
	argv_list_add(&a, out);
	rc = (stdin_src ? mcc_run_in(a.v, path) : mcc_run(a.v)) == 0 ? 0 : -1;
	free(a.v);
	free(dir);
	free(inc);
	return rc;
}

/*
 * The parse of a .mu by the front end (front.cpp): the preprocessor options
 * of the command line and of the device pass of the first arch, so the
 * parse sees the text that pass compiles; the device runtime's headers are
 * system headers.
 */
static int parse_unit(struct mcc *m, struct mcc_unit *u, const char *path, int is_c)
{
	struct argv_list a = {0};
	char *dir = src_dir(path), *inc = xasprintf("%s%s", m->incdir, ""), archdef[64];
	int rc;

	snprintf(archdef, sizeof(archdef), "-D__MUSA_ARCH__=%u", m->archs[0] * 10);
	if (is_c)
		argv_list_add(&a, m->std_c ? m->std_c : "-std=gnu11");
	else
		argv_list_add(&a, m->std_cxx ? m->std_cxx : "-std=c++17");
	argv_list_add(&a, "-isystem");
	argv_list_add(&a, inc);
	argv_list_add(&a, "-iquote");
	argv_list_add(&a, dir);
	argv_list_add(&a, archdef);
	argv_list_append(&a, &m->common);
	if (mcc_verbose && !mcc_dryrun) {   /* in process: no command to list */
		for (int i = 0; i < a.n; i++)
			fprintf(stderr, "%s%s", i ? " " : "mcc: parse ", a.v[i]);
		fputc('\n', stderr);
	}
	rc = mcc_scan(u, path, is_c, (const char *const *)a.v, a.n);
	free(a.v);
	free(dir);
	free(inc);
	return rc;
}

/* FNV-1a (64 bits) over n bytes, continuing from h. */
static unsigned long long fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 1099511628211ull;
	return h;
}

/* A string with its NUL, so that ("ab", "c") and ("a", "bc") differ. */
static unsigned long long fnv1a_str(unsigned long long h, const char *s)
{
	return fnv1a(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static int is_prefix_map(const char *s)
{
	return !strncmp(s, "-ffile-prefix-map=", 18) || !strncmp(s, "-fdebug-prefix-map=", 19) ||
	       !strncmp(s, "-fmacro-prefix-map=", 19);
}

/*
 * Everything of the command line that can change the code the passes
 * make: the compilers, -std, the preprocessor options (-D -U -I -isystem
 * -include), the compiler flags (-O -g -f -m ...), the archs and mcc's own
 * code options. Prefix maps are left out: they rename paths in debug
 * information only, and `-ffile-prefix-map=$PWD=.` must give the same
 * object in any directory.
 */
static unsigned long long options_hash(const struct mcc *m, unsigned long long h)
{
	int i, v[7] = { m->rdc, m->dev_debug, m->fast_math, m->fmad, m->prec_div, mcc_fission,
			m->narchs };

	h = fnv1a_str(h, m->cc);
	h = fnv1a_str(h, m->cxx);
	h = fnv1a_str(h, m->std_cxx);
	h = fnv1a_str(h, m->std_c);
	for (i = 0; i < m->common.n; i++)
		h = fnv1a_str(h, m->common.v[i]);
	for (i = 0; i < m->cflags.n; i++)
		if (!is_prefix_map(m->cflags.v[i]))
			h = fnv1a_str(h, m->cflags.v[i]);
	h = fnv1a(h, v, sizeof(v));
	return fnv1a(h, m->archs, (size_t)m->narchs * sizeof(m->archs[0]));
}

/*
 * The tag in the names of an object's glue symbols (__musa_fatbin_<tag>_N,
 * hidden but global; with -rdc the device entries __musa_entry_<tag>_N,
 * which the device link puts side by side). It must differ between the
 * objects linked into one program, and it must be the same whenever the
 * same command runs again, so that objects are reproducible: it is a
 * hash of the input's real path, its bytes, the output's name as the
 * command gives it (with -c; otherwise the program's name and the input's
 * place on the command line, as the object is a temporary) and the
 * options that change code. Two objects of one program get the same tag
 * only from the same file, with the same bytes and options, written to the
 * same name: the same object twice, whose kernels would clash anyway;
 * anything else shares a tag only by a 64-bit hash collision. Never time,
 * process ids or temporary names: those change from run to run.
 */
static int make_tag(const struct mcc *m, char *tag, size_t n, const char *path, const char *out,
		    int idx)
{
	unsigned long long h = 1469598103934665603ull;
	char rp[PATH_MAX];
	size_t len;
	char *src = mcc_read_file(path, &len);

	if (!src) {
		fprintf(stderr, "mcc: error: %s: %s\n", path, strerror(errno));
		return -1;
	}
	h = fnv1a_str(h, realpath(path, rp) ? rp : path);
	h = fnv1a(h, src, len);
	free(src);
	h = fnv1a_str(h, out);
	h = fnv1a(h, &idx, sizeof(idx));
	snprintf(tag, n, "%016llx", options_hash(m, h));
	return 0;
}

/* The device link's stub (one per program, see dlink.c) has no input of
 * its own: its tag names the link's output instead. */
static void make_dlink_tag(const struct mcc *m, char *tag, size_t n, const char *out)
{
	unsigned long long h = fnv1a_str(1469598103934665603ull, "<device link>");

	snprintf(tag, n, "%016llx", options_hash(m, fnv1a_str(h, out)));
}

/* One .mu / musa-c input to an object file (or, with --device-only, a .mubin). */
static int compile_musa(struct mcc *m, const struct input *in, int is_c, const char *obj, int idx)
{
	struct mcc_unit u;
	struct mcc_image img[MCC_MAX_ARCHS];
	struct mcc_buf src = {0};
	char tag[64], *hpath = NULL;
	int i, rc = -1, nimg = 0;

	if (parse_unit(m, &u, in->path, is_c) != 0)
		return -1;
	if (m->device_only) {
		if (m->narchs != 1) {
			fputs("mcc: error: --device-only takes exactly one --offload-arch\n", stderr);
			goto out;
		}
		rc = device_pass(m, &u, m->archs[0], obj, NULL);
		goto out;
	}
	/* with -c the object is the output; otherwise one of the program's */
	if (make_tag(m, tag, sizeof(tag), in->path, m->compile_only ? obj : m->out ? m->out : "a.out",
		     m->compile_only ? 0 : idx) != 0)
		goto out;
	/* with -rdc, device functions and variables alone are device code too */
	if (u.nkernels || (m->rdc && mcc_unit_has_musa(&u))) {
		for (i = 0; i < m->narchs; i++) {
			struct stat st;
			char *so = tmpfile_name(m, m->rdc ? ".rdc.o" : ".mubin");

			memset(&st, 0, sizeof(st));
			if (device_pass(m, &u, m->archs[i], so, m->rdc ? tag : NULL) != 0 ||
			    (stat(so, &st) != 0 && !mcc_dryrun)) {
				free(so);
				goto out_img;
			}
			img[nimg].arch = m->archs[i];
			img[nimg].path = so;
			img[nimg].size = (unsigned long long)st.st_size;
			nimg++;
		}
	}
	mcc_gen_host(&u, img, nimg, tag, m->rdc, &src);
	hpath = tmpfile_name(m, is_c ? ".host.c" : ".host.cpp");
	if (write_file(hpath, &src) == 0)
		rc = host_compile(m, hpath, !is_c, in->path, obj, 1);
out_img:
	for (i = 0; i < nimg; i++)
		free((char *)img[i].path);
out:
	mcc_buf_free(&src);
	free(hpath);
	mcc_unit_free(&u);
	return rc;
}

static int link_all(struct mcc *m, struct argv_list *objs, int cxx)
{
	struct argv_list a = {0};
	char *L = xasprintf("-L%s%s", m->libdir, ""), *rp = xasprintf("-Wl,-rpath,%s%s", m->libdir, "");
	int rc;

	argv_list_add(&a, (char *)(cxx ? m->cxx : m->cc));
	argv_list_append(&a, &m->cflags);
	argv_list_append(&a, objs);
	argv_list_add(&a, "-o");
	argv_list_add(&a, m->out ? m->out : "a.out");
	argv_list_append(&a, &m->link);
	argv_list_add(&a, L);
	argv_list_add(&a, rp);
	if (!m->no_cudart)
		argv_list_add(&a, "-lmusart");
	argv_list_add(&a, "-lm");
	rc = mcc_run(a.v) == 0 ? 0 : -1;
	free(a.v);
	free(L);
	free(rp);
	return rc;
}

/*
 * The device link: the relocatable device objects of every object linked
 * (.musa_rdc, see dlink.c) become one code object per arch, registered by
 * a stub object added to the link. Nothing to do without -rdc objects.
 */
static int device_link(struct mcc *m, struct argv_list *objs, struct argv_list *owned)
{
	struct mcc_rdc r = {0};
	struct mcc_image img[MCC_MAX_ARCHS];
	struct mcc_buf src = {0};
	char tag[64], *devlib = xasprintf("%s/libmusa_device.a%s", m->libdir, ""), *stub, *obj;
	int i, j, nimg = 0, rc = -1;

	for (i = 0; i < objs->n && !mcc_dryrun; i++) {
		size_t l = strlen(objs->v[i]);

		if (l > 2 && (!strcmp(objs->v[i] + l - 2, ".o") || !strcmp(objs->v[i] + l - 2, ".a")) &&
		    mcc_rdc_extract(objs->v[i], m->tmpdir, &r) != 0)
			goto out;
	}
	if (!r.n) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		struct argv_list a = {0};
		struct stat st;
		unsigned arch = r.objs[i].arch;
		char *so;

		for (j = 0; j < i && r.objs[j].arch != arch; j++)
			;
		if (j < i)
			continue;   /* this arch is linked already */
		if (nimg == MCC_MAX_ARCHS) {
			fprintf(stderr, "mcc: error: device link: more than %d archs\n", MCC_MAX_ARCHS);
			goto out_img;
		}
		so = tmpfile_name(m, ".mubin");
		argv_list_add(&a, (char *)m->cxx);
		argv_list_add(&a, "-shared");
		argv_list_add(&a, "-fPIC");
		argv_list_add_device_cflags(&a, &m->cflags);
		argv_list_add(&a, "-o");
		argv_list_add(&a, so);
		for (j = i; j < r.n; j++)
			if (r.objs[j].arch == arch)
				argv_list_add(&a, (char *)r.objs[j].path);
		argv_list_add(&a, "-Wl,--gc-sections");
		argv_list_add(&a, "-Wl,--no-undefined");
		if (add_device_link_opts(m, &a) != 0) {
			free(a.v);
			goto out_img;
		}
		argv_list_add(&a, devlib);
		argv_list_add(&a, "-lm");
		j = mcc_run(a.v);
		free(a.v);
		img[nimg].arch = arch;
		img[nimg].path = so;
		img[nimg].size = 0;
		nimg++;
		if (j != 0 || stat(so, &st) != 0)
			goto out_img;
		img[nimg - 1].size = (unsigned long long)st.st_size;
	}
	make_dlink_tag(m, tag, sizeof(tag), m->out ? m->out : m->dlink ? "a_dlink.o" : "a.out");
	mcc_gen_rdc_stub(img, nimg, tag, &src);
	stub = tmpfile_name(m, ".dlink.c");
	obj = tmpfile_name(m, ".dlink.o");
	argv_list_add(owned, stub);
	argv_list_add(owned, obj);
	if (write_file(stub, &src) != 0 || host_compile(m, stub, 0, stub, obj, 0) != 0)
		goto out_img;
	argv_list_add(objs, obj);
	rc = 0;
out_img:
	for (i = 0; i < nimg; i++)
		free((char *)img[i].path);
out:
	mcc_buf_free(&src);
	mcc_rdc_free(&r);
	free(devlib);
	return rc;
}

/* Copies file `from` to `to` (NULL: stdout), appending or not. */
static int copy_out(const char *from, const char *to, int append)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[8192];
	size_t n;
	int rc = 0;

	if (!in)
		return mcc_dryrun ? 0 : -1;
	out = to ? fopen(to, append ? "ab" : "wb") : stdout;
	if (!out) {
		fprintf(stderr, "mcc: error: cannot write %s: %s\n", to, strerror(errno));
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	if (to && fclose(out) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "mcc: error: cannot write %s\n", to ? to : "stdout");
	return rc;
}

/* path with its extension (of the last component) replaced by ext */
static char *with_ext(const char *path, const char *ext)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	struct mcc_buf b = {0};

	if (dot && slash && dot < slash)
		dot = NULL;
	mcc_buf_put(&b, path, dot ? (size_t)(dot - path) : strlen(path));
	mcc_buf_puts(&b, ext);
	return b.s;
}

/*
 * The preprocessor's view of an input as the host pass sees it (the
 * implicit headers included): -E prints it, -M and friends its make
 * rule. The MUSA headers are system headers here, as nvcc's are, so -MM
 * leaves them out.
 */
static int host_preprocess(struct mcc *m, const struct input *in, int lang, const char *deps_to,
			   int append, const char *target)
{
	struct argv_list a = {0};
	int cxx = lang == L_MUSA || lang == L_CXX, rc;
	char *tmp = deps_to || m->dep_mode == DEP_ONLY ? tmpfile_name(m, ".d") : NULL;

	argv_list_add(&a, (char *)(cxx ? m->cxx : m->cc));
	add_lang_flags(m, &a, cxx);
	if (tmp) {
		argv_list_add(&a, m->dep_nonsys ? "-MM" : "-M");
		argv_list_add(&a, "-MF");
		argv_list_add(&a, tmp);
		if (target) {
			argv_list_add(&a, "-MT");
			argv_list_add(&a, target);
		}
		if (m->dep_phony)
			argv_list_add(&a, "-MP");
	} else {
		argv_list_add(&a, "-E");
	}
	argv_list_add(&a, "-isystem");
	argv_list_add(&a, m->incdir);
	argv_list_append(&a, &m->common);
	argv_list_append(&a, &m->cflags);
	if (lang == L_MUSA || lang == L_MUSA_C) {
		argv_list_add(&a, "-Wno-unknown-pragmas");
		argv_list_add(&a, "-include");
		argv_list_add(&a, "musa_host_pass.h");
		if (cxx) {
			argv_list_add(&a, "-include");
			argv_list_add(&a, "musa_runtime.h");
		}
	}
	argv_list_add(&a, in->path);
	if (!tmp && m->out) {
		argv_list_add(&a, "-o");
		argv_list_add(&a, m->out);
	}
	rc = mcc_run(a.v) == 0 ? 0 : -1;
	if (!rc && tmp)
		rc = copy_out(tmp, deps_to, append);
	free(a.v);
	free(tmp);
	return rc;
}

/* -MD / -MMD: the rule of input i, compiled to obj, goes to -MF's file,
 * else to the output's name with .d (several inputs share it), else to
 * the input's base name with .d. */
static int compile_deps(struct mcc *m, const struct input *in, int lang, const char *obj, int i)
{
	char *path, *target = NULL;
	int rc;

	if (m->dep_file)
		path = mcc_strndup(m->dep_file, strlen(m->dep_file));
	else if (m->out)
		path = with_ext(m->out, ".d");
	else
		path = out_name(in->path, ".d");
	if (!m->dep_target)
		target = m->compile_only ? mcc_strndup(obj, strlen(obj)) : out_name(in->path, ".o");
	rc = host_preprocess(m, in, lang, path, i > 0 && (m->dep_file || m->out),
			     m->dep_target ? m->dep_target : target);
	free(path);
	free(target);
	return rc;
}

/* --run: the program just linked, with --run-args (commas) as arguments. */
static int run_program(const struct mcc *m)
{
	struct argv_list a = {0};
	const char *exe = m->out ? m->out : "a.out";
	char *dup = m->run_args ? mcc_strndup(m->run_args, strlen(m->run_args)) : NULL, *save = NULL, *t;
	int rc;

	argv_list_add(&a, strchr(exe, '/') ? (char *)exe : xasprintf("./%s%s", exe, ""));
	for (t = dup ? strtok_r(dup, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
		argv_list_add(&a, t);
	rc = mcc_run(a.v);
	free(a.v);
	free(dup);
	return rc;
}

/* -dlink: the device link of the objects into one object (-o, default
 * a_dlink.o) that the host linker adds to the program; without
 * relocatable device code, an empty object. */
static int dlink_only(struct mcc *m, struct argv_list *objs, struct argv_list *owned)
{
	const char *out = m->out ? m->out : "a_dlink.o";
	int n = objs->n;

	if (device_link(m, objs, owned) != 0)
		return -1;
	if (objs->n > n)
		return copy_out(objs->v[objs->n - 1], out, 0);
	{
		struct mcc_buf empty = {0};
		char *src = tmpfile_name(m, ".empty.c");
		int rc;

		mcc_buf_puts(&empty, "/* no relocatable device code */\n");
		rc = write_file(src, &empty) == 0 && host_compile(m, src, 0, src, out, 0) == 0 ? 0 : -1;
		mcc_buf_free(&empty);
		free(src);
		return rc;
	}
}

/* mcc's temporary directory, under --keep-dir, $TMPDIR or /tmp. */
static int make_tmpdir(struct mcc *m, char *tmpl, size_t size)
{
	const char *td = getenv("TMPDIR");

	snprintf(tmpl, size, "%s/mcc-XXXXXX", m->keep_dir ? m->keep_dir : td && *td ? td : "/tmp");
	m->tmpdir = mkdtemp(tmpl);
	if (!m->tmpdir) {
		fprintf(stderr, "mcc: error: cannot create a temporary directory: %s\n", strerror(errno));
		return -1;
	}
	m->tmpdir_map = xasprintf("-ffile-prefix-map=%s=%s", m->tmpdir, "mcc-tmp");
	return 0;
}

/*
 * Input i of the command line: an object or library goes to the link as
 * it is; a source is preprocessed (-E, -M) or compiled into an object
 * (owned: a name mcc made) for the link. *cxx_link: the link must be C++.
 */
static int compile_input(struct mcc *m, int i, struct argv_list *objs, struct argv_list *owned,
			 int *cxx_link)
{
	const struct input *in = &m->in[i];
	int lang = in->lang, r;
	char *obj;

	if (access(in->path, R_OK) != 0) {
		fprintf(stderr, "mcc: error: %s: %s\n", in->path, strerror(errno));
		return -1;
	}
	if (lang == L_OBJ) {
		if (m->device_only || m->compile_only || m->preprocess || m->dep_mode == DEP_ONLY) {
			fprintf(stderr, "mcc: error: %s: not a source file\n", in->path);
			return -1;
		}
		argv_list_add(objs, in->path);
		*cxx_link = 1;   /* it may come from a .mu: link as C++, as nvcc does */
		return 0;
	}
	if (lang == L_C) {
		struct mcc_unit u;

		/* a .c file with kernels or launches is MUSA C */
		if (parse_unit(m, &u, in->path, 1) != 0)
			return -1;
		if (mcc_unit_has_musa(&u))
			lang = L_MUSA_C;
		mcc_unit_free(&u);
	}
	if (m->preprocess || m->dep_mode == DEP_ONLY) {
		/* nvcc -M: the rules to -MF's file, -o's, or stdout */
		const char *to = m->dep_file ? m->dep_file : m->out;

		return host_preprocess(m, in, lang, m->preprocess ? NULL : to, i > 0, m->dep_target);
	}
	if (m->device_only && lang != L_MUSA && lang != L_MUSA_C) {
		fprintf(stderr, "mcc: error: %s: --device-only needs a MUSA source\n", in->path);
		return -1;
	}
	if (m->device_only)
		obj = m->out ? mcc_strndup(m->out, strlen(m->out)) : out_name(in->path, ".mubin");
	else if (m->compile_only)
		obj = m->out ? mcc_strndup(m->out, strlen(m->out)) : out_name(in->path, ".o");
	else
		obj = tmpfile_name(m, ".o");
	argv_list_add(owned, obj);
	if (lang == L_MUSA || lang == L_MUSA_C)
		r = compile_musa(m, in, lang == L_MUSA_C, obj, i);
	else
		r = host_compile(m, in->path, lang == L_CXX, in->path, obj, 0);
	if (r == 0 && m->dep_mode == DEP_COMPILE)
		r = compile_deps(m, in, lang, obj, i);
	if (r != 0)
		return -1;
	*cxx_link |= lang == L_MUSA || lang == L_CXX;
	argv_list_add(objs, obj);
	return 0;
}

int main(int argc, char **argv)
{
	struct mcc m;
	struct argv_list objs = {0}, owned = {0};
	char tmpl[PATH_MAX];
	int i, rc = 1, cxx_link = 0;

	memset(&m, 0, sizeof(m));
	m.fmad = m.prec_div = -1;
	if (getenv("MCC_VERBOSE"))
		mcc_verbose = 1;
	m.cc = getenv("MCC_CC") && *getenv("MCC_CC") ? getenv("MCC_CC") : "gcc";
	m.cxx = getenv("MCC_CXX") && *getenv("MCC_CXX") ? getenv("MCC_CXX") : "g++";
	if (parse_args(&m, argc, argv) != 0 || find_home(&m) != 0)
		return 1;
	if ((m.compile_only || m.device_only || m.preprocess) && m.out && m.nin > 1) {
		fputs("mcc: error: -o with -c, -E or --device-only takes one input\n", stderr);
		return 1;
	}
	if (make_tmpdir(&m, tmpl, sizeof(tmpl)) != 0)
		return 1;
	for (i = 0; i < m.nin; i++)
		if (compile_input(&m, i, &objs, &owned, &cxx_link) != 0)
			goto out;
	if (m.preprocess || m.dep_mode == DEP_ONLY) {
		rc = 0;
		goto out;
	}
	if (m.dlink) {
		rc = dlink_only(&m, &objs, &owned) == 0 ? 0 : 1;
		goto out;
	}
	if (!m.compile_only && !m.device_only &&
	    (device_link(&m, &objs, &owned) != 0 || link_all(&m, &objs, cxx_link) != 0))
		goto out;
	rc = 0;
	if (m.run && !m.compile_only && !m.device_only)
		rc = run_program(&m);
out:
	cleanup(&m);
	for (i = 0; i < owned.n; i++)
		free(owned.v[i]);
	free(owned.v);
	free(objs.v);
	free(m.tmpdir_map);
	free(m.in);
	return rc;
}
