/* SPDX-License-Identifier: MIT */
/*
 * gen_loop.c - loop mode: a kernel with no barrier and no warp operation
 * runs its work-group as three nested loops in the device pass itself, with
 * the kernel body inlined and the thread index a loop variable, so the C
 * compiler sees `c[i] = a[i] + b[i]` over consecutive i and can vectorize.
 *
 * The definition `__global__ void k(P...) { body }` becomes
 *     static inline __attribute__((always_inline))
 *     void __musa_body_N_k(uint3 threadIdx, uint3 blockIdx, dim3 blockDim,
 *                        dim3 gridDim, P...) { body }
 * whose parameters shadow the thread-local indices inside the body, and the
 * glue adds __musa_loop_N(kernarg, count), which runs `count` groups, run by wg.c's __musa_run_wg_loop. A body
 * that calls code mcc cannot prove index-free (a device function reading
 * threadIdx, a member function, anything unknown) also gets the
 * thread-local copy stored before each thread runs. The thread whose global
 * x index is 0 runs apart (loop_nest), and kernels that only ever read that
 * index run a row of groups as one x loop (xrun_loops); see docs/design.md,
 * "loop mode".
 * May call libc, buf.c, edit.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"
#include "musa_codeobj.h"

static int tok_is(const struct mcc_unit *u, size_t i, const char *w)
{
	return i < u->ntoks && u->toks[i].len == strlen(w) &&
	       !memcmp(u->src + u->toks[i].off, w, u->toks[i].len);
}

static int tok_in(const struct mcc_unit *u, size_t i, const char *const *list)
{
	for (; *list; list++)
		if (tok_is(u, i, *list))
			return 1;
	return 0;
}

/* Callable names that never read the thread-local indices: keywords that
 * take parentheses, casts, and the libc / math / atomic functions of the
 * device headers. (Names starting with "__" are the headers' intrinsics.) */
static const char *const index_free[] = {
	"if", "for", "while", "switch", "return", "sizeof", "alignof", "_Alignof",
	"decltype", "__typeof__", "typeof", "static_cast", "reinterpret_cast",
	"const_cast", "static_assert", "_Static_assert", "do", "else", "case",
	"int", "unsigned", "signed", "float", "double", "char", "short", "long", "bool",
	"size_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
	"uint32_t", "uint64_t", "intptr_t", "uintptr_t", "ptrdiff_t",
	"printf", "malloc", "free", "memcpy", "memset", "clock", "clock64",
	"min", "max", "umin", "umax", "llmin", "llmax", "ullmin", "ullmax", "fminf", "fmaxf",
	"fmin", "fmax", "abs", "labs", "llabs", "fabs", "fabsf", "sqrt", "sqrtf",
	"rsqrt", "rsqrtf", "cbrt", "cbrtf", "exp", "expf", "exp2", "exp2f", "exp10",
	"exp10f", "expm1", "expm1f", "log", "logf", "log2", "log2f", "log10", "log10f",
	"log1p", "log1pf", "pow", "powf", "sin", "sinf", "cos", "cosf", "tan", "tanf",
	"sincos", "sincosf", "sinpi", "sinpif", "cospi", "cospif", "asin", "asinf",
	"acos", "acosf", "atan", "atanf", "atan2", "atan2f", "sinh", "sinhf", "cosh",
	"coshf", "tanh", "tanhf", "floor", "floorf", "ceil", "ceilf", "round", "roundf",
	"trunc", "truncf", "rint", "rintf", "lrint", "lrintf", "llrint", "lround",
	"lroundf", "fma", "fmaf", "fmod", "fmodf", "remainder", "remainderf", "hypot",
	"hypotf", "erf", "erff", "erfc", "erfcf", "copysign", "copysignf", "isnan",
	"isinf", "isfinite", "signbit", "ldexp", "ldexpf", "frexp", "frexpf", "modf",
	"modff", "fdim", "fdimf", "lgamma", "lgammaf", "tgamma", "tgammaf", "norm3d",
	"norm3df", "rhypot", "rhypotf", "saturate", NULL,
};

static const char *const index_free_prefix[] = { "__", "atomic", "make_", NULL };

static int word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(s, *list, n))
			return 1;
	return 0;
}

static int word_prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !memcmp(s, p, k);
}

static int word_index_free(const char *s, size_t n)
{
	const char *const *p;

	if (word_in(s, n, index_free))
		return 1;
	for (p = index_free_prefix; *p; p++)
		if (word_prefix(s, n, *p))
			return 1;
	return 0;
}

static int name_index_free(const struct mcc_unit *u, size_t i)
{
	return word_index_free(u->src + u->toks[i].off, u->toks[i].len);
}

/* Names of the headers that have side effects or read changing state. */
static const char *const impure[] = {
	"printf", "malloc", "free", "memcpy", "memset", "clock", "clock64", "__trap",
	"__brkpt", "__nanosleep", "__prof_trigger", "__threadfence", "__threadfence_block",
	"__threadfence_system", "__globaltimer", NULL,
};
static const char *const impure_prefix[] = {
	"atomic", "__sync", "__musa", "__shfl", "__ballot", "__any", "__all", "__activemask",
	"__assert", "__match", "__reduce_", "__nanosleep", NULL,
};

int mcc_name_header(const struct mcc_unit *u, size_t i)
{
	return name_index_free(u, i);
}

int mcc_word_pure(const char *s, size_t n)
{
	const char *const *p;

	if (!word_index_free(s, n) || word_in(s, n, impure))
		return 0;
	for (p = impure_prefix; *p; p++)
		if (word_prefix(s, n, *p))
			return 0;
	return 1;
}

int mcc_name_pure(const struct mcc_unit *u, size_t i)
{
	return mcc_word_pure(u->src + u->toks[i].off, u->toks[i].len);
}

static const char *const index_names[] = {
	"threadIdx", "blockIdx", "blockDim", "gridDim", NULL,
};

/* Whether a range of tokens reads the indices itself. */
static int range_reads_index(const struct mcc_unit *u, size_t a, size_t b)
{
	for (; a < b; a++)
		if (u->toks[a].kind == MCC_T_IDENT && tok_in(u, a, index_names))
			return 1;
	return 0;
}

/* Index of the user device function named by token t, or -1. */
static int find_func(const struct mcc_unit *u, size_t t)
{
	int i;

	for (i = 0; i < u->nfuncs; i++)
		if (tok_is(u, t, u->funcs[i].name))
			return i;
	return -1;
}

/* Whether the `)` at token c closes a cast to a built-in arithmetic type
 * (`(unsigned int)`, `(const float *)`) that starts at or after token a. */
static int builtin_cast(const struct mcc_unit *u, size_t a, size_t c)
{
	static const char *const words[] = {
		"int", "unsigned", "signed", "float", "double", "char", "short", "long", "bool",
		"size_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
		"uint32_t", "uint64_t", "intptr_t", "uintptr_t", "ptrdiff_t", "const", "volatile", NULL,
	};
	size_t i = c;
	int n = 0;

	while (i > a) {
		i--;
		if (tok_is(u, i, "("))
			return n > 0;
		if (!tok_in(u, i, words) && !tok_is(u, i, "*"))
			return 0;
		n++;
	}
	return 0;
}

/*
 * Whether the code in [a, b) may run something that reads the thread-local
 * indices: a call of a function that is not index-free. A device function
 * of this file is index-free when its own body is (depth-limited, which
 * also stops recursion).
 */
static int range_calls_unknown(const struct mcc_unit *u, size_t a, size_t b, int depth)
{
	size_t i;

	for (i = a; i < b; i++) {
		int f;

		if (!tok_is(u, i + 1, "(") && !tok_is(u, i + 1, "<"))
			continue;
		if (u->toks[i].kind != MCC_T_IDENT) {
			/* (*fp)(...), a[i](...), obj.f(...)'s `)` before `(`: a call
			 * through something mcc cannot follow; a cast to a
			 * built-in type, `(unsigned)(x)`, is none */
			if (tok_is(u, i + 1, "(") && tok_is(u, i, ")") && builtin_cast(u, a, i))
				continue;
			if (tok_is(u, i + 1, "(") && (tok_is(u, i, ")") || tok_is(u, i, "]")))
				return 1;
			continue;
		}
		/* a cooperative-groups block handle: made and synchronised
		 * without reading the indices */
		if (i > a && (tok_is(u, i - 1, ".") || tok_is(u, i - 1, "->") || tok_is(u, i - 1, "::")) &&
		    (tok_is(u, i, "sync") || tok_is(u, i, "this_thread_block")) && tok_is(u, i + 1, "("))
			continue;
		if (i > a && (tok_is(u, i - 1, ".") || tok_is(u, i - 1, "->")))
			return 1;   /* member functions: unknown */
		if (tok_is(u, i + 1, "<") && !tok_in(u, i, index_free) && find_func(u, i) < 0)
			continue;   /* most likely a comparison */
		if (name_index_free(u, i))
			continue;
		f = find_func(u, i);
		if (f < 0 || !u->funcs[f].has_body || depth > 8)
			return 1;
		/* every definition with this name must be index-free */
		for (f = 0; f < u->nfuncs; f++) {
			const struct mcc_func *fn = &u->funcs[f];

			if (!tok_is(u, i, fn->name))
				continue;
			if (!fn->has_body)
				continue;
			if (range_reads_index(u, fn->body_open, fn->body_close) ||
			    range_calls_unknown(u, fn->body_open, fn->body_close, depth + 1))
				return 1;
		}
	}
	return 0;
}

void mcc_plan_loops(struct mcc_unit *u)
{
	int n;

	for (n = 0; n < u->nkernels; n++) {
		struct mcc_kernel *k = &u->kernels[n];
		size_t i;

		k->inlined = 0;
		k->fission = 0;
		k->tls_idx = 1;
		if (strchr(k->qname, ':') && !k->nns)
			continue;               /* should not happen: qualified at file scope */
		if (k->name_tok >= 1 && tok_is(u, k->name_tok - 1, "::"))
			continue;               /* out-of-line ns::k: the name cannot change */
		for (i = k->decl; i < k->name_tok; i++)
			if (tok_is(u, i, "extern") && !(u->toks[i + 1].kind == MCC_T_STR))
				break;
		if (i < k->name_tok)
			continue;
		if (k->flags & MUSA_META_F_ALL) {
			/* barriers: loops between them where possible, else fibers */
			if (!mcc_fission_plan(u, k))
				continue;
			k->fission = 1;
		}
		k->inlined = 1;
		k->tls_idx = range_calls_unknown(u, k->body_open, k->body_close, 0);
	}
}

/* `static` and `inline` of a kernel (`__global__ static void k()`): the
 * body function brings its own, and the redeclaration must not be static. */
static int storage_word(const struct mcc_unit *u, size_t i)
{
	return tok_is(u, i, "static") || tok_is(u, i, "inline") || tok_is(u, i, "__inline__") ||
	       tok_is(u, i, "__inline") || tok_is(u, i, "__forceinline__");
}

/*
 * Host code of the device pass may still name an inlined kernel (to take
 * its address, as a launch helper does): the kernel is declared again right
 * after its body, rebuilt from its tokens (template header or extern "C",
 * __global__ ... parameter list) on the same line so that line numbers stay.
 */
static void loop_redeclare(const struct mcc_unit *u, const struct mcc_kernel *k,
			   struct mcc_edits *ed)
{
	struct mcc_buf b = {0};
	size_t i, start = k->name_tok;

	if (k->tmpl_open && k->tmpl_open > 0 && tok_is(u, k->tmpl_open - 1, "template")) {
		start = k->tmpl_open - 1;
	} else {
		for (i = k->decl; i < k->name_tok; i++)
			if (tok_is(u, i, "__global__")) {
				start = i;
				break;
			}
		if (start >= 2 && start - 2 >= k->decl && tok_is(u, start - 2, "extern") &&
		    u->toks[start - 1].kind == MCC_T_STR)
			start -= 2;
	}
	if (start == k->name_tok)
		return;
	for (i = 0; i < (size_t)k->nns; i++)
		if (!k->ns[i][0])  /* internal linkage: never defined, gcc would warn */
			return;
	mcc_buf_puts(&b, "}");
	for (i = start; i <= k->rparen; i++)
		if (!storage_word(u, i))
			mcc_buf_printf(&b, " %.*s", (int)u->toks[i].len, u->src + u->toks[i].off);
	mcc_buf_puts(&b, ";");
	mcc_edit_add(ed, u->toks[k->body_close].off, 1, b.s);
	mcc_buf_free(&b);
}

void mcc_loop_device_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	static const char idx[] = "uint3 threadIdx, uint3 blockIdx, dim3 blockDim, dim3 gridDim";
	int n;

	for (n = 0; n < u->nkernels; n++) {
		const struct mcc_kernel *k = &u->kernels[n];
		struct mcc_buf b = {0};
		size_t i;

		if (!k->inlined)
			continue;
		/* linkage: the body is internal, the entry is what gets exported */
		for (i = k->decl; i < k->name_tok; i++) {
			if (tok_is(u, i, "extern") && u->toks[i + 1].kind == MCC_T_STR) {
				mcc_edit_add(ed, u->toks[i].off,
					     u->toks[i + 1].off + u->toks[i + 1].len - u->toks[i].off, "");
				i++;
			} else if (tok_is(u, i, "__global__")) {
				mcc_edit_add(ed, u->toks[i].off, u->toks[i].len,
					     "static inline __attribute__((always_inline, unused))");
			} else if (storage_word(u, i)) {
				mcc_edit_add(ed, u->toks[i].off, u->toks[i].len, "");
			}
		}
		mcc_loop_body_name(u, n, &b);
		mcc_edit_add(ed, u->toks[k->name_tok].off, u->toks[k->name_tok].len, b.s);
		mcc_buf_free(&b);
		loop_redeclare(u, k, ed);
		if (k->nparams) {
			mcc_buf_printf(&b, "(%s, ", idx);
			mcc_edit_add(ed, u->toks[k->lparen].off, u->toks[k->lparen].len, b.s);
		} else {
			mcc_buf_printf(&b, "(%s)", idx);
			mcc_edit_add(ed, u->toks[k->lparen].off,
				     u->toks[k->rparen].off + 1 - u->toks[k->lparen].off, b.s);
		}
		mcc_buf_free(&b);
	}
}

void mcc_loop_body_name(const struct mcc_unit *u, int n, struct mcc_buf *o)
{
	const struct mcc_tok *t = &u->toks[u->kernels[n].name_tok];

	mcc_buf_printf(o, "__musa_body_%d_%.*s", n, (int)t->len, u->src + t->off);
}

/* Calls the body as thread __musa_t of group __musa_bi, then closes the
 * block the caller opened. */
static void body_call(const struct mcc_unit *u, const struct mcc_kernel *k, int n,
		      const char *targs, struct mcc_buf *o)
{
	int i;

	if (k->tls_idx)
		mcc_buf_puts(o, "\t\tthreadIdx = __musa_t;\n");
	mcc_buf_puts(o, "\t\t");
	mcc_loop_body_name(u, n, o);
	mcc_buf_printf(o, "%s(__musa_t, __musa_bi, __musa_bd, __musa_gd", targs ? targs : "");
	for (i = 0; i < k->nparams; i++)
		mcc_buf_printf(o, ", __musa_a.p%d", i);
	mcc_buf_puts(o, ");\n\t}\n");
}

/* One thread: __musa_t from the loop variables, then the body call. */
static void thread_call(const struct mcc_unit *u, const struct mcc_kernel *k, int n,
			const char *targs, const char *x, struct mcc_buf *o)
{
	mcc_buf_printf(o, "\t\tuint3 __musa_t;\n"
		       "\t\t__musa_t.x = %s;\n\t\t__musa_t.y = __musa_y;\n\t\t__musa_t.z = __musa_z;\n", x);
	body_call(u, k, n, targs, o);
}

/*
 * The z/y/x loops over the threads of the group, calling the body. In the
 * no-wrap copy (gx) the x loop counts the global x index itself
 * (blockIdx.x * blockDim.x + threadIdx.x, which the body usually
 * recomputes): a bounds check `if (i < n)` then compares the loop counter
 * with an invariant, and the compiler splits the loop into an unchecked,
 * unmasked part and a tail instead of masking every access.
 *
 * In that copy the thread whose global x index is 0 runs on its own,
 * before the x loop of its row, which then starts at global index 1. The
 * compiler knows the counter is never 0 in the loop, so it drops code for
 * `if (i == 0)` (one thread stores a value for the whole grid or row, as
 * in `if (x == 0) b[r] -= ...`): a store to the same address for every
 * thread of the loop would keep it from vectorizing. Only the first group
 * of a row of groups has such a thread; the others keep their whole row
 * in one loop, so its trip count stays a multiple of the vector width.
 * The threads still run in the same order.
 */
static void loop_nest(const struct mcc_unit *u, const struct mcc_kernel *k, int n, const char *targs,
		      const char *gx_end, struct mcc_buf *o)
{
	mcc_buf_puts(o, "\tfor (unsigned int __musa_z = 0; __musa_z < __musa_bd.z; __musa_z++)\n"
		     "\tfor (unsigned int __musa_y = 0; __musa_y < __musa_bd.y; __musa_y++) {\n");
	if (gx_end) {
		mcc_buf_puts(o, "\tint __musa_xs = __musa_x0;\n"
			     "\tif (__musa_x0 == 0) {\n\t\t__musa_xs = 1;\n");
		thread_call(u, k, n, targs, "0u", o);
		mcc_buf_printf(o, "\tfor (int __musa_gx = __musa_xs; __musa_gx < %s; __musa_gx++) {\n"
			       "\t\tconst unsigned int __musa_x = (unsigned int)(__musa_gx - __musa_x0);\n",
			       gx_end);
	} else {
		mcc_buf_puts(o, "\tfor (unsigned int __musa_x = 0; __musa_x < __musa_bd.x; __musa_x++) {\n");
	}
	thread_call(u, k, n, targs, "__musa_x", o);
	mcc_buf_puts(o, "\t}\n");
}

/* Fission: the body holds the loops over the threads itself; the code
 * between them runs once per group, as thread 0. */
static void group_call(const struct mcc_unit *u, const struct mcc_kernel *k, int n,
		       const char *targs, struct mcc_buf *o)
{
	mcc_buf_puts(o, "\t{\n\t\tuint3 __musa_t;\n"
		     "\t\t__musa_t.x = 0;\n\t\t__musa_t.y = 0;\n\t\t__musa_t.z = 0;\n");
	body_call(u, k, n, targs, o);
}

/*
 * The loop function `__musa_loop_<id>` with `body` (braces included). On
 * x86-64 one copy per ISA level, as the wider vector units turn the body's
 * bounds checks into masked loads and stores, and a dispatcher that picks
 * one with compiler-rt's __musa_cpu_level() at its first run. Not gcc's
 * target_clones: its IFUNC resolver would run when the code object loads,
 * and the KMD loads no object that runs code then.
 */
static void loop_clones(int id, const char *body, struct mcc_buf *o)
{
	static const char *const proto =
		"static void __musa_loop_%d%s(const void *__musa_ka, unsigned int __musa_count)\n";

	mcc_buf_puts(o, "#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)\n"
		     "__attribute__((target(\"arch=x86-64-v4\")))\n");
	mcc_buf_printf(o, proto, id, "_v4");
	mcc_buf_puts(o, body);
	mcc_buf_puts(o, "__attribute__((target(\"arch=x86-64-v3\")))\n");
	mcc_buf_printf(o, proto, id, "_v3");
	mcc_buf_puts(o, body);
	mcc_buf_printf(o, proto, id, "_v1");
	mcc_buf_puts(o, body);
	mcc_buf_printf(o, proto, id, "");
	mcc_buf_printf(o, "{\n\tswitch (__musa_cpu_level()) {\n"
		       "\tcase 4: __musa_loop_%d_v4(__musa_ka, __musa_count); break;\n"
		       "\tcase 3: __musa_loop_%d_v3(__musa_ka, __musa_count); break;\n"
		       "\tdefault: __musa_loop_%d_v1(__musa_ka, __musa_count); break;\n"
		       "\t}\n}\n#else\n", id, id, id);
	mcc_buf_printf(o, proto, id, "");
	mcc_buf_puts(o, body);
	mcc_buf_puts(o, "#endif\n");
}

/*
 * A kernel that reads threadIdx.x and blockIdx.x only as the global index
 * blockIdx.x * blockDim.x + threadIdx.x (front.cpp's GlobalX: mcc_kernel
 * xrun) runs the groups of its run that share a row of groups (the same
 * blockIdx.y and .z) as one x loop over their global x indices, row of
 * threads by row of threads: x loops as long as the whole run instead of
 * blockDim.x, so the compiler's alias checks and loop set-up are paid once
 * per run, not once per group. Each thread still sees its own global
 * index, passed as blockIdx.x of the first group of the row plus a
 * threadIdx.x past blockDim.x, which the kernel only ever adds up.
 * Barrier-free groups may run in any order and interleaved, as on a GPU;
 * the threads of one group keep their order. Rows whose global index may
 * not fit an int take the groups one at a time.
 */
static void xrun_loops(const struct mcc_unit *u, const struct mcc_kernel *k, int n, const char *targs,
		       struct mcc_buf *o)
{
	mcc_buf_puts(o, "\tfor (unsigned int __musa_g = 0; __musa_g < __musa_count; ) {\n"
		     "\tunsigned int __musa_nx = __musa_gd.x - __musa_bi.x;\n"
		     "\tif (__musa_nx > __musa_count - __musa_g)\n"
		     "\t\t__musa_nx = __musa_count - __musa_g;\n"
		     "\tconst unsigned int __musa_bx = __musa_bi.x, __musa_bdx = __musa_bd.x;\n"
		     "\tconst unsigned int __musa_x0u = __musa_bx * __musa_bdx;\n"
		     "\tconst unsigned int __musa_x1u = (__musa_bx + __musa_nx) * __musa_bdx;\n"
		     /* no wrap, then both ends as ranges the compiler sees */
		     "\tif (__musa_bdx != 0u && __musa_bdx <= 1024u && "
		     "__musa_nx <= 0x7fffffffu / __musa_bdx && "
		     "__musa_bx <= 0x7fffffffu / __musa_bdx - __musa_nx && "
		     "__musa_x0u <= 0x7fffffffu && __musa_x1u <= 0x7fffffffu) {\n"
		     "\tconst int __musa_x0 = (int)__musa_x0u, __musa_x1 = (int)__musa_x1u;\n");
	loop_nest(u, k, n, targs, "__musa_x1", o);
	mcc_buf_puts(o, "\t} else {\n"
		     "\tfor (unsigned int __musa_i = 0; __musa_i < __musa_nx; __musa_i++) {\n"
		     "\t__musa_bi.x = __musa_bx + __musa_i;\n");
	loop_nest(u, k, n, targs, NULL, o);
	mcc_buf_puts(o, "\t}\n\t}\n"
		     "\t__musa_g += __musa_nx;\n"
		     "\t__musa_bi.x = 0;\n"
		     "\tif (++__musa_bi.y == __musa_gd.y) {\n"
		     "\t\t__musa_bi.y = 0;\n"
		     "\t\t__musa_bi.z++;\n"
		     "\t}\n\t}\n");
}

/*
 * The work-group loop of an inlined kernel. The arguments and the block's
 * indices are copied to locals first: loads through the kernarg pointer or
 * from thread-local storage inside the loop could alias the kernel's stores
 * and keep the compiler from vectorizing.
 */
void mcc_loop_glue(const struct mcc_unit *u, int n, int id, const char *targs, struct mcc_buf *o)
{
	const struct mcc_kernel *k = &u->kernels[n];
	struct mcc_buf body = {0};
	struct mcc_buf *outer = o;

	/* the body first, then the clones of it */
	o = &body;
	mcc_buf_puts(o, "{\n");
	if (k->nparams)
		mcc_buf_printf(o, "\tconst struct __musa_args_%d __musa_a = "
			       "*(const struct __musa_args_%d *)__musa_ka;\n", id, id);
	else
		mcc_buf_puts(o, "\t(void)__musa_ka;\n");
	/*
	 * A run of __musa_count groups in linear order (x fastest) from the
	 * group in blockIdx: the block index stays in a local, not in
	 * thread-local storage, unless the body calls code that may read it.
	 */
	mcc_buf_puts(o, "\tuint3 __musa_bi = blockIdx;\n"
		     "\tconst dim3 __musa_bd = blockDim, __musa_gd = gridDim;\n");
	if (k->xrun && !k->fission && !k->tls_idx) {
		xrun_loops(u, k, n, targs, o);
		mcc_buf_puts(o, "}\n");
		loop_clones(id, body.s, outer);
		mcc_buf_free(&body);
		return;
	}
	mcc_buf_puts(o, "\tfor (unsigned int __musa_g = 0; __musa_g < __musa_count; __musa_g++) {\n"
		     "\tif (__musa_g) {\n"
		     "\t\tif (++__musa_bi.x == __musa_gd.x) {\n"
		     "\t\t\t__musa_bi.x = 0;\n"
		     "\t\t\tif (++__musa_bi.y == __musa_gd.y) {\n"
		     "\t\t\t\t__musa_bi.y = 0;\n"
		     "\t\t\t\t__musa_bi.z++;\n"
		     "\t\t\t}\n\t\t}\n");
	if (k->tls_idx)
		mcc_buf_puts(o, "\t\tblockIdx = __musa_bi;\n");
	mcc_buf_puts(o, "\t}\n");
	/*
	 * The loops twice: first for blocks whose global x index
	 * (blockIdx.x * blockDim.x + threadIdx.x) stays below 2^31 - 1024,
	 * which is every block of all but gigantic grids. There the compiler
	 * knows that index cannot wrap, so an int index computed from it is
	 * affine in the loop counter and `if (i < n)` bodies vectorize with
	 * masked loads and stores. The general copy handles the rest.
	 * Barrier kernels index by other multiples of the block index too
	 * (a reduction's blockIdx.x * blockDim.x * 2 + tid): their first copy
	 * takes blocks below 2^20, where any multiple up to 2048 stays an
	 * int, so such a region's loads vectorize as well.
	 */
	mcc_buf_puts(o, "\tconst unsigned int __musa_bx = __musa_bi.x, __musa_bdx = __musa_bd.x;\n"
		     "\tif (__musa_bdx != 0u && __musa_bdx <= 1024u && ");
	mcc_buf_puts(o, k->fission ? "__musa_bx < 0x100000u) {\n" :
		     "__musa_bx <= 0x7fffffffu / __musa_bdx && "
		     "__musa_bx * __musa_bdx <= 0x7fffffffu - 1024u) {\n");
	mcc_buf_puts(o, "\tconst int __musa_x0 = (int)(__musa_bx * __musa_bdx);\n");
	if (k->fission)
		group_call(u, k, n, targs, o);
	else
		loop_nest(u, k, n, targs, "__musa_x0 + (int)__musa_bdx", o);
	mcc_buf_puts(o, "\t} else {\n");
	if (k->fission)
		group_call(u, k, n, targs, o);
	else
		loop_nest(u, k, n, targs, NULL, o);
	mcc_buf_puts(o, "\t}\n\t}\n}\n");
	loop_clones(id, body.s, outer);
	mcc_buf_free(&body);
}
