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
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mcc.h"

enum lang { L_AUTO, L_MUSA, L_MUSA_C, L_C, L_CXX, L_OBJ };

struct input {
	const char *path;
	int lang;
};

struct argv_list {
	char **v;
	int n;
};

struct mcc {
	struct input *in;
	int nin;
	const char *out;
	int compile_only, device_only, keep;
	int rdc;                   /* -rdc=true / -dc: relocatable device code */
	unsigned archs[8];
	int narchs;
	struct argv_list common;   /* -I -D -U -isystem -include: preprocessor */
	struct argv_list cflags;   /* -O -g -f -W -m -w ... to both compilers */
	struct argv_list link;     /* -L -l -Wl, -fsanitize, -pthread, ... */
	const char *std_cxx, *std_c;
	char *incdir, *libdir;
	char *tmpdir;
	const char *cc, *cxx;
	int ntmp;
};

static void al_add(struct argv_list *l, const char *s)
{
	l->v = mcc_xrealloc(l->v, (size_t)(l->n + 2) * sizeof(char *));
	l->v[l->n++] = (char *)s;
	l->v[l->n] = NULL;
}

static void al_addl(struct argv_list *dst, const struct argv_list *src)
{
	int i;

	for (i = 0; i < src->n; i++)
		al_add(dst, src->v[i]);
}

/*
 * The compiler flags for a device pass: all but the sanitizer ones. Code
 * objects are loaded by the shim, not linked into the program, so they
 * cannot carry a sanitizer runtime of their own; the host program and the
 * libraries keep theirs, and compiler-rt reports fiber switches to it.
 */
static void al_add_device_cflags(struct argv_list *dst, const struct argv_list *src)
{
	int i;

	for (i = 0; i < src->n; i++)
		if (strncmp(src->v[i], "-fsanitize", 10) && strncmp(src->v[i], "-fno-sanitize", 13))
			al_add(dst, src->v[i]);
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
	      "  -o FILE  -c  --device-only  --offload-arch=mp_31|mp_21|mp_22|native (repeatable)\n"
	      "  -x musa|cu|musa-c|c|c++|none  -I -D -U -O* -g -std= -L -l -f* -W* -m*\n"
	      "  -rdc=true|false, -dc (= -c -rdc=true): relocatable device code,\n"
	      "           device-linked into one code object when the program is linked\n"
	      "  -Xcompiler a,b,...  options for the host compiler\n"
	      "  --no-fission  barrier kernels run every thread as a fiber, never as\n"
	      "           loops between barriers\n"
	      "  -v (print commands and why a barrier kernel keeps fibers)\n"
	      "  --keep (keep temporary files)\n", stderr);
}

static const struct { const char *name; unsigned arch; } arch_tab[] = {
	{"mp_31", 31}, {"mp_21", 21}, {"mp_22", 22},
};

static int arch_of(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(arch_tab) / sizeof(arch_tab[0]); i++)
		if (strlen(arch_tab[i].name) == n && !memcmp(arch_tab[i].name, name, n))
			return (int)arch_tab[i].arch;
	return -1;
}

/* `native`: the arch device 0 will have, read from MUSA_SWDEV the way the
 * software device reads it (comma-separated key=value, arch=mp_XX; the
 * last valid one wins), mp_31 without it. mcc never loads the driver. */
static unsigned native_arch(void)
{
	const char *s = getenv("MUSA_SWDEV");
	unsigned arch = 31;

	while (s && *s) {
		size_t n = strcspn(s, ",");
		int a;

		if (n > 5 && !memcmp(s, "arch=", 5) && (a = arch_of(s + 5, n - 5)) > 0)
			arch = (unsigned)a;
		s += n + (s[n] == ',');
	}
	return arch;
}

static int parse_arch(struct mcc *m, const char *s)
{
	char *dup = mcc_strndup(s, strlen(s)), *save = NULL, *t;
	int i, a;

	for (t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		a = !strcmp(t, "native") ? (int)native_arch() : arch_of(t, strlen(t));
		if (a < 0) {
			fprintf(stderr, "mcc: error: unknown --offload-arch '%s' "
				"(mp_31, mp_21, mp_22 or native)\n", t);
			free(dup);
			return -1;
		}
		for (i = 0; i < m->narchs && m->archs[i] != (unsigned)a; i++)
			;
		if (i == m->narchs && m->narchs < 8)
			m->archs[m->narchs++] = (unsigned)a;   /* one image per arch */
	}
	free(dup);
	return 0;
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

/* Options with a separate or attached argument. */
static const char *opt_arg(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n])
		return argv[*i] + n;
	if (*i + 1 >= argc) {
		fprintf(stderr, "mcc: error: missing argument to '%s'\n", opt);
		return "";
	}
	return argv[++*i];
}

static int parse_args(struct mcc *m, int argc, char **argv)
{
	int i, forced = L_AUTO;
	const char *a;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (s[0] != '-' || !s[1]) {
			m->in = mcc_xrealloc(m->in, (size_t)(m->nin + 1) * sizeof(*m->in));
			m->in[m->nin].path = s;
			m->in[m->nin].lang = lang_of(s, forced);
			m->nin++;
			continue;
		}
		if (!strcmp(s, "-o")) {
			if (++i >= argc) {
				fputs("mcc: error: missing argument to '-o'\n", stderr);
				return -1;
			}
			m->out = argv[i];
		} else if (!strcmp(s, "-c")) {
			m->compile_only = 1;
		} else if (!strcmp(s, "-dc")) {
			m->compile_only = 1;
			m->rdc = 1;
		} else if (!strcmp(s, "-rdc=true") || !strcmp(s, "--relocatable-device-code=true") ||
			   !strcmp(s, "-fgpu-rdc")) {
			m->rdc = 1;
		} else if (!strcmp(s, "-rdc=false") || !strcmp(s, "--relocatable-device-code=false") ||
			   !strcmp(s, "-fno-gpu-rdc")) {
			m->rdc = 0;
		} else if (!strcmp(s, "--device-only") || !strcmp(s, "--cuda-device-only")) {
			m->device_only = 1;
		} else if (!strncmp(s, "--offload-arch=", 15) || !strncmp(s, "--cuda-gpu-arch=", 16) ||
			   !strncmp(s, "-arch=", 6) || !strncmp(s, "--gpu-architecture=", 19)) {
			if (parse_arch(m, strchr(s, '=') + 1) != 0)
				return -1;
		} else if (!strcmp(s, "-v")) {
			mcc_verbose = 1;
		} else if (!strcmp(s, "--no-fission")) {
			mcc_fission = 0;
		} else if (!strcmp(s, "--keep") || !strcmp(s, "-keep")) {
			m->keep = 1;
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			usage();
			exit(0);
		} else if (!strncmp(s, "--default-stream", 16) || !strncmp(s, "-default-stream", 15)) {
			/* nvcc: the meaning of stream 0 in host code of this compile */
			const char *v = strchr(s, '=');

			if (!v && !s[s[1] == '-' ? 16 : 15] && i + 1 < argc)
				v = argv[++i];
			else if (v)
				v++;
			if (v && !strcmp(v, "per-thread")) {
				al_add(&m->common, "-DMUSA_API_PER_THREAD_DEFAULT_STREAM");
			} else if (!v || (strcmp(v, "legacy") && strcmp(v, "null"))) {
				fprintf(stderr, "mcc: error: --default-stream takes per-thread, legacy or null\n");
				return -1;
			}
		} else if ((a = opt_arg(argc, argv, &i, "-x"))) {
			if (!strcmp(a, "musa") || !strcmp(a, "cu") || !strcmp(a, "cuda"))
				forced = L_MUSA;
			else if (!strcmp(a, "musa-c"))
				forced = L_MUSA_C;
			else if (!strcmp(a, "c"))
				forced = L_C;
			else if (!strcmp(a, "c++"))
				forced = L_CXX;
			else if (!strcmp(a, "none"))
				forced = L_AUTO;
			else {
				fprintf(stderr, "mcc: error: unknown language '%s' for -x\n", a);
				return -1;
			}
		} else if ((a = opt_arg(argc, argv, &i, "-I"))) {
			al_add(&m->common, xasprintf("-I%s%s", a, ""));
			mcc_user_idirs = mcc_xrealloc(mcc_user_idirs,
						      (size_t)(mcc_n_user_idirs + 1) * sizeof(char *));
			mcc_user_idirs[mcc_n_user_idirs++] = (char *)a;
		} else if ((a = opt_arg(argc, argv, &i, "-D"))) {
			al_add(&m->common, xasprintf("-D%s%s", a, ""));
		} else if ((a = opt_arg(argc, argv, &i, "-U"))) {
			al_add(&m->common, xasprintf("-U%s%s", a, ""));
		} else if (!strcmp(s, "-isystem") || !strcmp(s, "-include") || !strcmp(s, "-iquote")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mcc: error: missing argument to '%s'\n", s);
				return -1;
			}
			al_add(&m->common, s);
			al_add(&m->common, argv[++i]);
		} else if (!strncmp(s, "-std=", 5)) {
			if (strstr(s, "++"))
				m->std_cxx = s;
			else
				m->std_c = s;
		} else if ((a = opt_arg(argc, argv, &i, "-L"))) {
			al_add(&m->link, xasprintf("-L%s%s", a, ""));
		} else if ((a = opt_arg(argc, argv, &i, "-l"))) {
			al_add(&m->link, xasprintf("-l%s%s", a, ""));
		} else if (!strncmp(s, "-Wl,", 4) || !strcmp(s, "-shared") || !strcmp(s, "-rdynamic") ||
			   !strcmp(s, "-static-libgcc") || !strcmp(s, "-static-libstdc++")) {
			al_add(&m->link, s);
		} else if (!strcmp(s, "-Xlinker") && i + 1 < argc) {
			al_add(&m->link, "-Xlinker");
			al_add(&m->link, argv[++i]);
		} else if (!strcmp(s, "-Xcompiler") && i + 1 < argc) {
			/* nvcc style: one argument, options separated by commas */
			char *dup = mcc_strndup(argv[i + 1], strlen(argv[i + 1])), *save = NULL, *t;

			for (t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save))
				al_add(&m->cflags, t);
			i++;
		} else if (!strcmp(s, "-pthread") || !strncmp(s, "-fsanitize", 10) ||
			   !strncmp(s, "-fno-sanitize", 13) || !strcmp(s, "-fopenmp") ||
			   !strcmp(s, "-flto") || !strncmp(s, "-fprofile", 9) || !strcmp(s, "--coverage")) {
			al_add(&m->cflags, s);
			al_add(&m->link, s);
		} else if (!strncmp(s, "-O", 2) || !strncmp(s, "-g", 2) || !strncmp(s, "-f", 2) ||
			   !strncmp(s, "-W", 2) || !strncmp(s, "-m", 2) || !strcmp(s, "-w") ||
			   !strcmp(s, "-pedantic") || !strcmp(s, "-pedantic-errors")) {
			al_add(&m->cflags, s);
		} else {
			fprintf(stderr, "mcc: error: unknown option '%s'\n", s);
			return -1;
		}
		if (a && !*a && (s[1] == 'I' || s[1] == 'D' || s[1] == 'L' || s[1] == 'l' ||
				 s[1] == 'x' || s[1] == 'U'))
			return -1;
		a = NULL;
	}
	if (!m->nin) {
		fputs("mcc: error: no input files\n", stderr);
		usage();
		return -1;
	}
	if (!m->narchs)
		m->archs[m->narchs++] = 31;
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
	al_add(a, "-x");
	al_add(a, cxx ? "c++" : "c");
	al_add(a, cxx ? (m->std_cxx ? m->std_cxx : "-std=c++17") : (m->std_c ? m->std_c : "-std=gnu11"));
}

/* One device pass: a code object, or with etag (-rdc) a relocatable
 * object whose entries carry etag in their names. */
static int device_pass(struct mcc *m, struct mcc_unit *u, unsigned arch, const char *out,
		       const char *etag)
{
	struct argv_list a = {0};
	struct mcc_buf src = {0};
	char *path = tmpfile_name(m, u->is_c ? ".dev.c" : ".dev.cpp");
	char archdef[64], *dir = src_dir(u->path), *devlib, *errs = NULL;
	int rc, i, nfission = 0;

	mcc_gen_device(u, arch, etag, &src);
	rc = write_file(path, &src);
	if (rc)
		goto out;
	snprintf(archdef, sizeof(archdef), "-D__MUSA_ARCH__=%u", arch * 10);
	devlib = xasprintf("%s/libmusa_device.a%s", m->libdir, "");
	al_add(&a, (char *)(u->is_c ? m->cc : m->cxx));
	add_lang_flags(m, &a, !u->is_c);
	al_add(&a, "-fPIC");
	al_add(&a, etag ? "-c" : "-shared");
	al_add(&a, "-O2");
	al_add(&a, "-fvisibility=hidden");
	al_add(&a, "-ffunction-sections");
	al_add(&a, "-fdata-sections");
	al_add(&a, archdef);
	al_add(&a, xasprintf("-I%s%s", m->incdir, ""));
	al_add(&a, "-iquote");
	al_add(&a, dir);
	al_addl(&a, &m->common);
	al_add_device_cflags(&a, &m->cflags);
	/* host-only code stays in the device pass; what it leaves unused is
	 * not the user's concern */
	al_add(&a, "-Wno-unused-variable");
	al_add(&a, "-Wno-unused-but-set-variable");
	al_add(&a, "-Wno-unused-parameter");
	/* CUDA's #pragma unroll: gcc unrolls by its own measure */
	al_add(&a, "-Wno-unknown-pragmas");
	al_add(&a, "-include");
	al_add(&a, "musa_device_pass.h");
	al_add(&a, path);
	al_add(&a, "-x");
	al_add(&a, "none");
	al_add(&a, "-o");
	al_add(&a, out);
	if (!etag) {
		al_add(&a, "-Wl,--gc-sections");
		al_add(&a, "-Wl,--no-undefined");
		al_add(&a, devlib);
		al_add(&a, "-lm");
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
		if (write_file(path, &src) == 0 && mcc_run(a.v) == 0) {
			rc = 0;
			fprintf(stderr, "mcc: warning: %s: barrier kernels compiled as fibers: their loop "
				"form did not compile (%s)\n", u->path,
				mcc_verbose ? "the errors follow" : "mcc -v shows the errors");
			if (mcc_verbose)
				dump_file(errs);
		}
	}
	free(devlib);
out:
	mcc_buf_free(&src);
	free(a.v);
	free(path);
	free(dir);
	free(errs);
	return rc;
}

static int host_compile(struct mcc *m, const char *path, int cxx, const char *orig, const char *out,
			int force_host_header)
{
	struct argv_list a = {0};
	char *dir = src_dir(orig), *inc = xasprintf("-I%s%s", m->incdir, "");
	int rc;

	al_add(&a, (char *)(cxx ? m->cxx : m->cc));
	add_lang_flags(m, &a, cxx);
	al_add(&a, "-c");
	al_add(&a, inc);
	if (path != orig) {
		al_add(&a, "-iquote");
		al_add(&a, dir);
	}
	al_addl(&a, &m->common);
	al_addl(&a, &m->cflags);
	if (force_host_header) {
		al_add(&a, "-Wno-unknown-pragmas");  /* #pragma unroll in kernels */
		al_add(&a, "-include");
		al_add(&a, "musa_host_pass.h");
	}
	al_add(&a, path);
	al_add(&a, "-o");
	al_add(&a, out);
	rc = mcc_run(a.v) == 0 ? 0 : -1;
	free(a.v);
	free(dir);
	free(inc);
	return rc;
}

/* Adds the instance of template kernel k that starts at p in a demangled
 * symbol ("...qname<args>(...)"); returns whether it did. */
static int demangled_instance(struct mcc_kernel *k, const char *line, const char *p)
{
	const char *q;
	int depth = 0;

	if (p > line && p[-1] != ' ')
		return 0;   /* part of a longer qualified name */
	q = p + strlen(k->qname);
	if (*q != '<')
		return 0;
	for (p = q; *p; p++) {
		depth += (*p == '<') - (*p == '>');
		if (!depth)
			break;
	}
	if (!*p || p[1] != '(')
		return 0;   /* not a function: a class template of the same name */
	mcc_add_instance(k, mcc_strndup(q, (size_t)(p + 1 - q)));
	return 1;
}

/*
 * Template kernels launched with arguments of an enclosing template
 * (`k<T, 256><<<...>>>` in `template <class T> void run(...)`): which
 * instances exist depends on how the host templates are instantiated, so
 * the compiler says. The host pass, compiled once without optimization,
 * defines one launch stub per instance, and nm -C names them
 * (`void ops::k<float, 256u>(float*)`); their argument lists become the
 * kernel's instances, registered and built as written there.
 */
static int discover_instances(struct mcc *m, struct mcc_unit *u, int is_c)
{
	struct argv_list a = {0};
	struct mcc_buf src = {0};
	char *path, *obj, *cmd, *dir, *inc, line[4096];
	int i, any = 0, rc = -1;
	FILE *p;

	for (i = 0; i < u->nkernels; i++)
		any |= u->kernels[i].dep;
	if (!any || is_c)
		return 0;
	path = tmpfile_name(m, ".inst.cpp");
	obj = tmpfile_name(m, ".inst.o");
	dir = src_dir(u->path);
	inc = xasprintf("-I%s%s", m->incdir, "");
	mcc_gen_host(u, NULL, 0, "", 0, &src);
	if (write_file(path, &src) != 0)
		goto out;
	al_add(&a, (char *)m->cxx);
	add_lang_flags(m, &a, 1);
	al_add(&a, "-c");
	al_add(&a, inc);
	al_add(&a, "-iquote");
	al_add(&a, dir);
	al_addl(&a, &m->common);
	al_addl(&a, &m->cflags);
	al_add(&a, "-O0");   /* every stub stays out of line */
	al_add(&a, "-w");
	al_add(&a, "-include");
	al_add(&a, "musa_host_pass.h");
	al_add(&a, path);
	al_add(&a, "-o");
	al_add(&a, obj);
	if (mcc_run(a.v) != 0)
		goto out;   /* the real host pass reports the errors */
	cmd = xasprintf("nm -C --defined-only '%s'%s", obj, "");
	p = popen(cmd, "r");
	free(cmd);
	if (!p) {
		fprintf(stderr, "mcc: error: cannot run nm: %s\n", strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof(line), p)) {
		for (i = 0; i < u->nkernels; i++) {
			struct mcc_kernel *k = &u->kernels[i];
			const char *q;

			if (!k->dep)
				continue;
			for (q = strstr(line, k->qname); q; q = strstr(q + 1, k->qname))
				if (demangled_instance(k, line, q))
					break;
		}
	}
	rc = pclose(p) == 0 ? 0 : -1;
	if (rc)
		fputs("mcc: error: nm failed on the instance probe\n", stderr);
out:
	mcc_buf_free(&src);
	free(a.v);
	free(path);
	free(obj);
	free(dir);
	free(inc);
	return rc;
}

static void make_tag(char *tag, size_t n, const char *path, int idx)
{
	unsigned long long h = 1469598103934665603ull;
	char rp[PATH_MAX];
	const char *p = realpath(path, rp) ? rp : path;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h ^= (unsigned long long)getpid() * 0x9e3779b97f4a7c15ull;
	h ^= (unsigned long long)ts.tv_nsec << 20 ^ (unsigned long long)ts.tv_sec;
	snprintf(tag, n, "%016llx_%d", h, idx);
}

/* One .mu / musa-c input to an object file (or, with --device-only, a .mubin). */
static int compile_musa(struct mcc *m, const struct input *in, int is_c, const char *obj, int idx)
{
	struct mcc_unit u;
	struct mcc_image img[8];
	struct mcc_buf src = {0};
	char tag[64], *hpath = NULL;
	int i, rc = -1, nimg = 0;

	if (mcc_scan(&u, in->path, is_c) != 0)
		return -1;
	if (discover_instances(m, &u, is_c) != 0)
		goto out;
	if (m->device_only) {
		if (m->narchs != 1) {
			fputs("mcc: error: --device-only takes exactly one --offload-arch\n", stderr);
			goto out;
		}
		rc = device_pass(m, &u, m->archs[0], obj, NULL);
		goto out;
	}
	make_tag(tag, sizeof(tag), in->path, idx);
	/* with -rdc, device functions and variables alone are device code too */
	if (u.nkernels || (m->rdc && mcc_unit_has_musa(&u))) {
		for (i = 0; i < m->narchs; i++) {
			struct stat st;
			char *so = tmpfile_name(m, m->rdc ? ".rdc.o" : ".mubin");

			if (device_pass(m, &u, m->archs[i], so, m->rdc ? tag : NULL) != 0 ||
			    stat(so, &st) != 0) {
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

	al_add(&a, (char *)(cxx ? m->cxx : m->cc));
	al_addl(&a, &m->cflags);
	al_addl(&a, objs);
	al_add(&a, "-o");
	al_add(&a, m->out ? m->out : "a.out");
	al_addl(&a, &m->link);
	al_add(&a, L);
	al_add(&a, rp);
	al_add(&a, "-lmusart");
	al_add(&a, "-lm");
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
	struct mcc_image img[8];
	struct mcc_buf src = {0};
	char tag[64], *devlib = xasprintf("%s/libmusa_device.a%s", m->libdir, ""), *stub, *obj;
	int i, j, nimg = 0, rc = -1;

	for (i = 0; i < objs->n; i++) {
		size_t l = strlen(objs->v[i]);

		if (l > 2 && !strcmp(objs->v[i] + l - 2, ".o") &&
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
		if (nimg == 8) {
			fputs("mcc: error: device link: more than 8 archs\n", stderr);
			goto out_img;
		}
		so = tmpfile_name(m, ".mubin");
		al_add(&a, (char *)m->cxx);
		al_add(&a, "-shared");
		al_add(&a, "-fPIC");
		al_add_device_cflags(&a, &m->cflags);
		al_add(&a, "-o");
		al_add(&a, so);
		for (j = i; j < r.n; j++)
			if (r.objs[j].arch == arch)
				al_add(&a, (char *)r.objs[j].path);
		al_add(&a, "-Wl,--gc-sections");
		al_add(&a, "-Wl,--no-undefined");
		al_add(&a, devlib);
		al_add(&a, "-lm");
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
	make_tag(tag, sizeof(tag), "<device link>", 0);
	mcc_gen_rdc_stub(img, nimg, tag, &src);
	stub = tmpfile_name(m, ".dlink.c");
	obj = tmpfile_name(m, ".dlink.o");
	al_add(owned, stub);
	al_add(owned, obj);
	if (write_file(stub, &src) != 0 || host_compile(m, stub, 0, stub, obj, 0) != 0)
		goto out_img;
	al_add(objs, obj);
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

int main(int argc, char **argv)
{
	struct mcc m;
	struct argv_list objs = {0}, owned = {0};
	char tmpl[PATH_MAX];
	const char *td = getenv("TMPDIR");
	int i, rc = 1, cxx_link = 0;

	memset(&m, 0, sizeof(m));
	if (getenv("MCC_VERBOSE"))
		mcc_verbose = 1;
	m.cc = getenv("MCC_CC") && *getenv("MCC_CC") ? getenv("MCC_CC") : "gcc";
	m.cxx = getenv("MCC_CXX") && *getenv("MCC_CXX") ? getenv("MCC_CXX") : "g++";
	if (parse_args(&m, argc, argv) != 0 || find_home(&m) != 0)
		return 1;
	if ((m.compile_only || m.device_only) && m.out && m.nin > 1) {
		fputs("mcc: error: -o with -c or --device-only takes one input\n", stderr);
		return 1;
	}
	snprintf(tmpl, sizeof(tmpl), "%s/mcc-XXXXXX", td && *td ? td : "/tmp");
	m.tmpdir = mkdtemp(tmpl);
	if (!m.tmpdir) {
		fprintf(stderr, "mcc: error: cannot create a temporary directory: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < m.nin; i++) {
		const struct input *in = &m.in[i];
		int lang = in->lang, r;
		char *obj;

		if (access(in->path, R_OK) != 0) {
			fprintf(stderr, "mcc: error: %s: %s\n", in->path, strerror(errno));
			goto out;
		}
		if (lang == L_OBJ) {
			if (m.device_only || m.compile_only) {
				fprintf(stderr, "mcc: error: %s: not a source file\n", in->path);
				goto out;
			}
			al_add(&objs, in->path);
			cxx_link = 1;   /* it may come from a .mu: link as C++, as nvcc does */
			continue;
		}
		if (lang == L_C) {
			struct mcc_unit u;

			/* a .c file with kernels or launches is MUSA C */
			if (mcc_scan(&u, in->path, 1) != 0)
				goto out;
			if (mcc_unit_has_musa(&u))
				lang = L_MUSA_C;
			mcc_unit_free(&u);
		}
		if (m.device_only && lang != L_MUSA && lang != L_MUSA_C) {
			fprintf(stderr, "mcc: error: %s: --device-only needs a MUSA source\n", in->path);
			goto out;
		}
		if (m.device_only)
			obj = m.out ? mcc_strndup(m.out, strlen(m.out)) : out_name(in->path, ".mubin");
		else if (m.compile_only)
			obj = m.out ? mcc_strndup(m.out, strlen(m.out)) : out_name(in->path, ".o");
		else
			obj = tmpfile_name(&m, ".o");
		al_add(&owned, obj);
		if (lang == L_MUSA || lang == L_MUSA_C)
			r = compile_musa(&m, in, lang == L_MUSA_C, obj, i);
		else
			r = host_compile(&m, in->path, lang == L_CXX, in->path, obj, 0);
		if (r != 0)
			goto out;
		cxx_link |= lang == L_MUSA || lang == L_CXX;
		al_add(&objs, obj);
	}
	if (!m.compile_only && !m.device_only &&
	    (device_link(&m, &objs, &owned) != 0 || link_all(&m, &objs, cxx_link) != 0))
		goto out;
	rc = 0;
out:
	cleanup(&m);
	for (i = 0; i < owned.n; i++)
		free(owned.v[i]);
	free(owned.v);
	free(objs.v);
	free(m.in);
	return rc;
}
