/* SPDX-License-Identifier: MIT */
/*
 * mcc.h - private interfaces of mcc, the compiler driver for .mu files.
 *
 * mcc lexes a source and has clang parse it (lex.c, front.cpp), writes a
 * device-pass and a host-pass version of it (gen_device.c, gen_host.c) and
 * runs the host C/C++ compiler on them (driver.c, exec.c). It is a host
 * tool: it calls libc and runs gcc/g++, never the MUSA libraries.
 */
#ifndef MCC_H
#define MCC_H

#include <stddef.h>

/* buf.c: growable strings */
struct mcc_buf {
	char *s;
	size_t len, cap;
};

void mcc_buf_put(struct mcc_buf *b, const char *s, size_t n);
void mcc_buf_puts(struct mcc_buf *b, const char *s);
void mcc_buf_printf(struct mcc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mcc_buf_free(struct mcc_buf *b);
char *mcc_strndup(const char *s, size_t n);
void *mcc_xrealloc(void *p, size_t n);
/* The whole file at path (NUL-terminated, its size in *len), or NULL. */
char *mcc_read_file(const char *path, size_t *len);
/* Appends `s` as the inside of a C string literal. */
void mcc_buf_put_cstr(struct mcc_buf *b, const char *s);

/* lex.c: the tokens the passes edit */
enum mcc_tok_kind { MCC_T_IDENT, MCC_T_NUM, MCC_T_STR, MCC_T_PUNCT };

struct mcc_tok {
	int kind;
	size_t off, len;
	int line;
};

struct mcc_param {
	char *type;   /* the declared type, name removed, arrays as pointers */
	char *name;
	size_t unnamed_at;   /* unnamed: 1 + where the host pass inserts `name` */
};

struct mcc_kernel {
	char *name;       /* identifier */
	char *qname;      /* qualified with its namespaces: ns::k */
	char **ns;        /* enclosing namespaces, "" for an anonymous one */
	int nns;
	int line;
	struct mcc_param *params;
	int nparams;
	size_t body_open, body_close;   /* token indices of { and } */
	unsigned max_threads;           /* __launch_bounds__ first argument */
	unsigned static_shared_bytes;   /* static __shared__ bytes it uses (not a template) */
	unsigned *inst_shared;          /* ... per instance of a template kernel */
	unsigned flags;                 /* MUSA_META_F_* */
	size_t decl, name_tok;          /* first token of the definition; the name */
	size_t lparen, rparen;          /* the parameter list */
	int inlined;                    /* gen_loop.c: loop mode with the body inlined */
	int tls_idx;                    /* ... and the thread-local threadIdx kept too */
	int fission;                    /* fission.c: barriers split the body into loops */
	int xrun;                       /* front.cpp: threadIdx.x, blockIdx.x only in the
					 * global x index, no shared memory, no effects
					 * but memory: a row of groups may be one x loop */
	size_t tmpl_open;               /* `<` of template <...>; 0: not a template */
	char *tmpl_params;              /* its parameters as arguments: "<N, T>" */
	char **insts;                   /* the instances the program names: "<256>" */
	int ninsts;
	char **locals;                  /* names its parameters and body declare */
	int nlocals;
};

struct mcc_func {             /* a __device__ (or __host__ __device__) function */
	char *name;
	int host_too;
	int has_body;
	int barrier;                  /* may run a barrier or warp operation */
	size_t body_open, body_close;
	/* inline.c: what inlining a call of a barrier function needs */
	const char *no_inline;        /* why its calls cannot be inlined; NULL: they can */
	int nparams, nrequired;       /* parameters; those without a default argument */
	char **ppre, **ppost;         /* parameter i declares NAME as ppre[i] NAME ppost[i] */
	char **pname;                 /* its name ("": unnamed) */
	char *rpre, *rpost;           /* the return type around a name; rpre NULL: void */
	char **globals;               /* names of the file-scope entities its body uses */
	int nglobals;
	char **locals;                /* names its body declares (not its parameters) */
	int nlocals;
};

struct mcc_launch {
	size_t callee;                 /* token index of the callee's first token */
	size_t cfg_open, cfg_close;    /* <<< and >>> */
	size_t cfg[4][2];              /* token ranges [first, last) of the parts */
	int ncfg;
	size_t args_open, args_close;  /* ( and ) */
	size_t decl;                   /* first token of the enclosing declaration */
};

struct mcc_unit;

struct mcc_macro {             /* a #define whose body launches kernels */
	size_t base, end;             /* its text in src, from `define` on */
	int line;                     /* the line it starts on */
	struct mcc_unit *body;        /* that text scanned: its launches */
};

struct mcc_dynshared {         /* extern __shared__ T name[]; (specifiers in any order) */
	size_t kw_extern, kw_shared;   /* token indices */
	size_t name, lbrack, rbrack;   /* name[ ] */
	int file_scope;
	char *qname;
};

struct mcc_shlocal {            /* __shared__ T name...; in a function */
	size_t name, semi;             /* token indices: the name, the ; */
};

struct mcc_var {               /* a __device__ / __constant__ / __managed__ variable */
	char *name, *qname;           /* identifier; qualified with its namespaces */
	size_t decl, name_tok;        /* first token of the declaration; the name */
	size_t init, init_end;        /* `=` token and the , or ; after it (init 0: none) */
	unsigned flags;               /* MUSA_META_VAR_* */
};

struct mcc_srcmap {             /* from this line of the scanned text on: */
	int line;
	char *file;                   /* ... the lines of this file */
	int fline;                    /* ... from this one */
};

struct mcc_unit {
	const char *path;
	char *src;
	size_t len;
	int is_c;
	struct mcc_tok *toks;
	size_t ntoks;
	struct mcc_kernel *kernels;
	int nkernels;
	struct mcc_func *funcs;
	int nfuncs;
	struct mcc_launch *launches;
	int nlaunches;
	struct mcc_dynshared *dyn;
	int ndyn;
	size_t *static_shared;        /* `static` specifiers of __shared__ declarations */
	int nstatic_shared;
	struct mcc_shlocal *shlocal;  /* __shared__ variables of functions */
	int nshlocal;
	struct mcc_macro *macros;     /* #defines that launch kernels */
	int nmacros;
	char **barrier_macros;        /* #defines that expand to a barrier */
	int nbarrier_macros;
	struct mcc_var *vars;         /* gen_vars.c */
	int nvars;
	struct mcc_srcmap *srcmap;    /* include.c: headers put into the text */
	int nsrcmap;
	struct mcc_incl *incl;        /* front.cpp: the headers to put in */
	int nincl;
	unsigned char *vary;          /* front.cpp: MCC_VARY_* of each token, or NULL */
};

/*
 * What the divergence analysis (front.cpp) found, per token of the text:
 * USE marks a token whose value may differ between the threads of a block,
 * or that acts on memory or the group: a use of such a variable, threadIdx,
 * a call with such a value or with effects, `&` of a local (in a macro's
 * expansion: the macro's name); DECL marks the name of a local variable or
 * parameter that may hold different values in different threads.
 */
#define MCC_VARY_USE  1
#define MCC_VARY_DECL 2
/* CALL marks the callee's name of a call (a name before `(` without it is
 * a macro, a cast or a constructor); MEM a token that reads memory, writes
 * or acts (a call: its function does). */
#define MCC_VARY_CALL 4
#define MCC_VARY_MEM  8
/* WRITE marks a variable's name where the code writes it; HIDDEN the name
 * of a local a macro's body writes (unseen in the text) */
#define MCC_VARY_WRITE  16
#define MCC_VARY_HIDDEN 32

/* include.c: the user's headers that mcc edits */
/*
 * What to do with one #include directive (front.cpp decides from the parse;
 * include.c acts): the directive on line `line` of file `from` (a real
 * path; NULL: the file mcc compiles) is replaced by the text of header
 * `hdr` (PUT), by an empty line (SKIP: the header is put in already and
 * its guard skipped it here), or keeps its place naming `hdr` by its
 * absolute path (ABS: a quoted #include inside a header put in, which
 * would otherwise be looked up next to the wrong file).
 */
enum { MCC_INCL_PUT, MCC_INCL_SKIP, MCC_INCL_ABS };
struct mcc_incl {
	char *from;
	int line;
	int action;
	char *hdr;                    /* the name the parse found it by */
	char *real;                   /* its real path */
	int done;                     /* include.c: acted on */
};
/* Puts the headers of incl into src (see include.c). */
void mcc_expand_includes(struct mcc_unit *u, struct mcc_buf *src, struct mcc_incl *incl, int nincl);
void mcc_incl_free(struct mcc_incl *incl, int nincl);
/* The file and line of line `line` of the scanned text. */
void mcc_src_pos(const struct mcc_unit *u, int line, const char **file, int *fline);

/* Reads, lexes and parses `path` (front.cpp; args: the parse's command
 * line). Returns 0, or -1 after printing the errors. */
int mcc_scan(struct mcc_unit *u, const char *path, int is_c, const char *const *args, int nargs);
/* Names of the barrier and warp operations; of the cooperative-groups
 * constructors; of the groups' collectives (NULL-terminated). */
extern const char *const mcc_barrier_words[];
extern const char *const mcc_cg_words[];
extern const char *const mcc_cg_collectives[];
/* The token ranges of the launch whose `<<<` is token o; callee: its
 * first token (>= o: walk back from the chevrons). 0, or -1 after a message. */
int mcc_parse_launch(struct mcc_unit *u, size_t o, size_t callee);
/* The launch whose `<<<` is at offset off of a #define body. */
int mcc_macro_launch(struct mcc_unit *u, size_t off);

/* front.cpp: clang parses the unit */
/* Fills u's kernels, instances, launches, functions, shared declarations and
 * variables from clang's AST of u->src; args: driver arguments of the parse.
 * Returns 0, or -1 after clang's or mcc's diagnostics. With `probe`, it
 * first looks for what mcc edits (kernels, launches, barrier functions,
 * device variables) in the user's headers: if there is any, it fills
 * u->incl instead and returns 1, and the caller puts those headers into
 * the text and parses again. */
int mcc_front(struct mcc_unit *u, const char *const *args, int nargs, int probe);
void mcc_unit_free(struct mcc_unit *u);
/* Whether the unit needs the device/host split at all. */
int mcc_unit_has_musa(const struct mcc_unit *u);
/* Adds instance `args` ("<...>", taken over) to template kernel k once. */
void mcc_add_instance(struct mcc_kernel *k, char *args);
/* Source text of tokens [a, b), with newlines turned into spaces. */
char *mcc_tok_text(const struct mcc_unit *u, size_t a, size_t b);

/* arch.c: the archs of device images */
struct mcc_arch {
	const char *name;     /* mp_31, sm_80 */
	unsigned arch;        /* compute capability major*10+minor */
	unsigned warp;        /* lanes per warp of its images */
};

extern int mcc_quiet_arch_notes;   /* -Wno-deprecated-gpu-targets */
/* The i-th arch of the table (capability order), NULL past the end. */
const struct mcc_arch *mcc_arch_at(unsigned i);
const struct mcc_arch *mcc_arch_find(unsigned arch);
const char *mcc_arch_name(unsigned arch);
/* The image arch for an mcc or nvcc arch name (mp_31, sm_70, compute_70,
 * native; older and newer nvcc archs with a note). -1: unknown name. */
int mcc_arch_resolve(const char *name, unsigned *arch);

/* gen_device.c / gen_host.c */
struct mcc_image {
	unsigned arch;        /* major*10+minor: 80, 31, 21 ... */
	const char *path;     /* the device code object */
	unsigned long long size;
};

/* The device-pass source for `arch` (major*10+minor); entry_tag, when not
 * NULL, goes into the entry names (-rdc: entries of several files meet in
 * one code object). */
int mcc_gen_device(const struct mcc_unit *u, unsigned arch, const char *entry_tag,
		   struct mcc_buf *out);
/* stack.c: writes each kernel's stack sizes, from the compiler's
 * stack-usage report of the device pass, into the .musa_meta records of
 * the object it built (what mcc_gen_device(u, arch, entry_tag) made). */
int mcc_stack_sizes(const struct mcc_unit *u, const char *entry_tag, const char *report,
		    const char *object);
/* The host-pass source embedding `images`; `tag` makes symbols unique;
 * rdc: the images are relocatable device objects for the device link. */
int mcc_gen_host(const struct mcc_unit *u, const struct mcc_image *images, int nimages,
		 const char *tag, int rdc, struct mcc_buf *out);
/* The fat binary wrapper `__musa_fat_wrapper` embedding `images`. */
void mcc_gen_fatbin(const struct mcc_image *images, int nimages, const char *tag,
		    struct mcc_buf *out);

/* dlink.c: the device link of -rdc objects */
#define MCC_RDC_MAGIC 0x4344524du   /* "MRDC": a record of .musa_rdc */
struct mcc_rdc {
	struct mcc_image *objs;       /* relocatable device objects, per arch */
	int n;
};
/* Appends the device objects held in `obj`'s .musa_rdc section, or in those
 * of its members when it is an ar archive (none: no change), written as
 * files under dir. Returns 0, or -1 after a message. */
int mcc_rdc_extract(const char *obj, const char *dir, struct mcc_rdc *out);
void mcc_rdc_free(struct mcc_rdc *r);
/* The C source of the link stub: the fat binary of the linked images and
 * __musa_rdc_handle(), which registers it once. */
void mcc_gen_rdc_stub(const struct mcc_image *images, int nimages, const char *tag,
		      struct mcc_buf *out);

/* A text edit of the original source: replace [off, off+len) by `text`. */
struct mcc_edit {
	size_t off, len;
	int seq;                      /* order of insertions at one offset */
	char *text;
};

struct mcc_edits {
	struct mcc_edit *e;
	int n;
};

void mcc_edit_add(struct mcc_edits *ed, size_t off, size_t len, const char *text);
/* Applies the edits (non-overlapping) to the source; a replacement that has
 * fewer newlines than the text it replaces is padded with newlines so line
 * numbers after it stay right. */
void mcc_edits_apply(const struct mcc_unit *u, struct mcc_edits *ed, struct mcc_buf *out);
void mcc_edits_free(struct mcc_edits *ed);
/* A replacement of `n` bytes of text inside a #define ends with one line
 * continuation per newline they held: the macro stays one logical line and
 * the lines after it stay where they were. */
void mcc_macro_newlines(const char *text, size_t n, struct mcc_buf *b);

/* gen_vars.c: device variables */
void mcc_vars_device_edits(const struct mcc_unit *u, struct mcc_edits *ed);
void mcc_vars_device_glue(const struct mcc_unit *u, struct mcc_buf *out);
void mcc_vars_host_edits(const struct mcc_unit *u, struct mcc_edits *ed);
void mcc_vars_host_register(const struct mcc_unit *u, struct mcc_buf *out);
void mcc_vars_free(struct mcc_unit *u);

/* gen_loop.c: loop mode */
/* Decides which kernels run as an inlined loop (after the barrier analysis). */
void mcc_plan_loops(struct mcc_unit *u);
/* Turns each inlined kernel's definition into its body function. */
void mcc_loop_device_edits(const struct mcc_unit *u, struct mcc_edits *ed);
/* Appends the name the inlined body of kernel n gets in the device pass:
 * __musa_body_<n>_<the kernel's own name>, so compiler-rt's assert can
 * print the kernel's name from the body's. */
void mcc_loop_body_name(const struct mcc_unit *u, int n, struct mcc_buf *o);
/* The work-group loop of inlined kernel n; targs: "<...>" of a template
 * instantiation, or NULL. */
void mcc_loop_glue(const struct mcc_unit *u, int n, int id, const char *targs, struct mcc_buf *o);

/* Whether callable name token i is free of side effects (math, casts, ...). */
int mcc_name_pure(const struct mcc_unit *u, size_t i);
/* The same for the name s[0, n): a device-header function without effects
 * whose value follows its arguments. */
int mcc_word_pure(const char *s, size_t n);
/* Whether callable name token i is a keyword or a device-header function
 * (none of them takes a variable by reference). */
int mcc_name_header(const struct mcc_unit *u, size_t i);

/* fission.c: barrier kernels as loops between barriers */
extern int mcc_fission;       /* 0: --no-fission, every barrier kernel keeps fibers */
/* Whether kernel k can run as loops between its barriers. */
int mcc_fission_plan(const struct mcc_unit *u, const struct mcc_kernel *k);
/* The edits of the bodies of the kernels planned for fission. */
void mcc_fission_device_edits(const struct mcc_unit *u, struct mcc_edits *ed);
/* lex.c: whether tokens [a, b) name a barrier, warp or group operation. */
int mcc_range_mentions_barrier(const struct mcc_unit *u, size_t a, size_t b);

/* inline.c: barrier functions inlined into kernels, for fission */
struct mcc_inline_segment {     /* u's text [ua, ub) became in->iu's [ia, ib) */
	size_t ua, ub, ia, ib;
};

struct mcc_inlined {
	struct mcc_unit iu;           /* u's text with the calls in one kernel inlined */
	struct mcc_kernel k;          /* that kernel, in iu */
	struct mcc_inline_segment *seg;
	int nseg;
};

/* Inlines the calls of barrier functions in kernel k's body into in->iu.
 * Returns the number of calls inlined (0: none, in is left empty), or -1
 * with *why when a call cannot be inlined. */
int mcc_inline_kernel(const struct mcc_unit *u, const struct mcc_kernel *k, struct mcc_inlined *in,
		      const char **why);
/* Adds the edits `ied` of in->iu to `ed` as edits of u. -1 with *why when
 * one crosses the border of an inlined statement. */
int mcc_inline_map_edits(const struct mcc_unit *u, const struct mcc_inlined *in,
			 const struct mcc_edits *ied, struct mcc_edits *ed, const char **why);
void mcc_inline_free(struct mcc_inlined *in);
/* lex.c: lexes u->src into u->toks (and the #define notes). */
void mcc_lex(struct mcc_unit *u);
/* The first token of u at or after byte offset off (ntoks: none). */
size_t mcc_tok_at(const struct mcc_unit *u, size_t off);

/* exec.c: running the compilers */
extern int mcc_verbose;
extern int mcc_dryrun;        /* --dryrun: print the commands, run none */
/* Runs argv (NULL-terminated); returns the exit status, or -1. */
int mcc_run(char *const argv[]);
/* The same with the command's stderr written to errpath (NULL: inherited). */
int mcc_run_to(char *const argv[], const char *errpath);
/* The same with the command's stdin read from inpath. */
int mcc_run_in(char *const argv[], const char *inpath);

#endif /* MCC_H */
