/* SPDX-License-Identifier: MIT */
/*
 * fission.c - loop fission at barriers: a kernel whose only barriers are
 * `__syncthreads();` statements in structured, uniform control flow runs
 * its group as a sequence of loops over the threads, one per stretch of
 * code between barriers (a region), instead of one fiber per thread. The
 * body stays where it is; edits wrap each region in the three thread loops
 * and remove the barriers, so the C compiler vectorizes each region as it
 * does a barrier-free kernel in loop mode.
 *
 * The statements of a block that holds a barrier fall in two kinds:
 *  - separators run once per group, between the thread loops: the barrier
 *    itself; control statements that hold a barrier (if, for, while, do,
 *    blocks), whose conditions must be uniform (equal in every thread);
 *    __shared__ and type declarations; declarations of uniform variables
 *    (values the same in every thread: computed from parameters, block
 *    indices, constants) and assignments to them with uniform values;
 *  - everything else runs per thread inside a region's loops.
 * A variable declared in a region and named again after the region is
 * carried into the later regions: recomputed there when its value is a
 * pure function of the thread index and stable values (tx = threadIdx.x),
 * else kept per thread in an array indexed by the thread's linear id and
 * bound by reference in each region.
 *
 * A warp call (shuffle, vote, match, reduction) splits the loops too: a
 * loop deposits every lane's operands at the call's site, and the
 * statement's own loop reads the other lanes' (find_warp). An `if` around
 * warp calls may differ between threads: it is predicated (loop_open).
 *
 * A kernel outside these shapes (other barrier operations, a block barrier
 * in divergent or unstructured control flow, C sources, ...) keeps its
 * fibers. Adding the loop boundaries
 * only removes interleavings, so a data-race-free kernel computes what it
 * computes with fibers.
 * May call libc, buf.c, edit.c, gen_loop.c, include.c, inline.c, lex.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

int mcc_fission = 1;

#define FISSION_MAX_THREADS 1024

enum {
	ST_SIMPLE, ST_EMPTY, ST_BLOCK, ST_IF, ST_FOR, ST_RFOR, ST_WHILE, ST_DO, ST_SWITCH,
	ST_BARRIER, ST_RETURN, ST_BREAK, ST_CONTINUE, ST_GOTO, ST_LABEL,
};

/* Separator kinds of a statement in a barrier list. */
enum { SEP_NONE, SEP_BARRIER, SEP_CTRL, SEP_KEEP, SEP_PRED };

struct statement {
	int kind;
	size_t a, b;            /* tokens [a, b) */
	size_t po, pc;          /* ( ) of the header; do: of the trailing while */
	size_t s1, s2;          /* for: the two ; of the header */
	struct statement *kid;  /* block: its statements; if: then [, else]; loop/switch/label: body */
	int nkid;
	int bar;                /* holds __syncthreads or a warp operation */
	int blockbar;           /* holds a block barrier */
	int sep;                /* SEP_*, statements of barrier lists */
	int region;             /* region index; -1 */
	int wsite;              /* a statement with a warp call: its site + 1 */
	size_t wc0, wc1;        /* ... the call: callee token to its `)` */
	size_t wcp;             /* ... the call's `(` */
	int replay;             /* ... a call of several warp operations (tiles) */
	int pred;               /* an if predicated per thread: its predicate + 1 */
};

/* Classes of a declared name. */
enum { V_UNIFORM, V_LOCAL, V_REMAT, V_EXPAND };

struct variable {
	size_t name;            /* token of the name; params: 0 */
	const char *pname;      /* params: the name */
	size_t ptok;            /* params: the name's token in the parameter list (0: none) */
	size_t d0, d1;          /* declarator tokens [d0, d1): ptr ops .. init */
	size_t eq, i0, i1;      /* `=` and the initializer [i0, i1); eq 0: none */
	size_t spec0, spec1;    /* decl-specifier tokens */
	int dims;               /* name[...] */
	int odd;                /* reference, (init) or {init}: never carried */
	int brace;              /* = { init } */
	int is_auto;
	int param;
	int forinit;            /* declared in the header of a barrier loop */
	struct statement *stmt; /* its declaration statement (NULL: param or for-init) */
	struct statement *forst; /* for-init: the loop */
	size_t scope_end;       /* last token of its scope */
	int cls;
	int uniform;
	int stable;             /* never written after its declaration */
	int hoist;              /* uniform, declared in a region: declared again before it */
	int arr;                /* V_EXPAND: number of its array */
	int nw;                 /* writes after the declaration */
	size_t *w;              /* their tokens */
};

struct region {
	struct statement **s;   /* its statements */
	int n;
	int last_top;           /* in the kernel's outermost block, with no region,
				 * barrier or control after it */
	int has_ret;
	int wrap;               /* must read as one statement: braced */
};

struct barrier_list {           /* a statement list holding a barrier */
	struct statement **s;
	int n;
	size_t close;           /* its closing token (scope end) */
	int top;                /* the kernel's outermost block */
	int single;             /* the one-statement body of an if or a loop */
	int pred;               /* inside a predicated if */
};

struct fission {
	const struct mcc_unit *u;
	const struct mcc_kernel *k;
	size_t *mt;             /* matching bracket, indexed by token - base */
	size_t base, end;
	struct variable *v;
	int nv;
	struct region *r;
	int nr;
	struct barrier_list *lists;
	int nlists;
	size_t *handles;        /* name tokens of cooperative-groups handles */
	int *hsize;             /* ... 0: the block; a tile's size; -1: a tile of unknown size */
	int nhandles;
	unsigned char *replay;  /* by site: its call is replayed */
	struct statement root;
	int early_ret;          /* a thread may return before a barrier */
	struct statement **preds; /* the predicated ifs, by number */
	int npreds;
	int nsites;             /* warp call sites */
	int in_pred;            /* collect_lists: inside a predicated if */
	int fail;
	const char *why;
};

static int token_is(const struct fission *f, size_t i, const char *w)
{
	const struct mcc_unit *u = f->u;

	return i < u->ntoks && u->toks[i].len == strlen(w) &&
	       !memcmp(u->src + u->toks[i].off, w, u->toks[i].len);
}

static int token_ident(const struct fission *f, size_t i)
{
	return i < f->u->ntoks && f->u->toks[i].kind == MCC_T_IDENT;
}

/* Whether the divergence analysis marked token i with bit (MCC_VARY_*). */
static int vary(const struct fission *f, size_t i, int bit)
{
	return f->u->vary && i < f->u->ntoks && (f->u->vary[i] & bit);
}

static int token_in(const struct fission *f, size_t i, const char *const *l)
{
	for (; *l; l++)
		if (token_is(f, i, *l))
			return 1;
	return 0;
}

/* Tokens i and i+1 are written next to each other (`+` `=` is `+=`). */
static int tokens_touch(const struct fission *f, size_t i)
{
	const struct mcc_tok *t = f->u->toks;

	return i + 1 < f->u->ntoks && t[i].off + t[i].len == t[i + 1].off;
}

static int token_names(const struct fission *f, size_t i, const struct variable *v)
{
	const struct mcc_unit *u = f->u;
	const char *s = u->src + u->toks[i].off;
	size_t n = u->toks[i].len;

	if (u->toks[i].kind != MCC_T_IDENT)
		return 0;
	if (v->param)
		return strlen(v->pname) == n && !memcmp(s, v->pname, n);
	return u->toks[v->name].len == n && !memcmp(s, u->src + u->toks[v->name].off, n);
}

static size_t match(const struct fission *f, size_t i)
{
	return f->mt[i - f->base];
}

static void fail(struct fission *f, const char *why)
{
	if (!f->fail)
		f->why = why;
	f->fail = 1;
}

/*
 * Cooperative groups: a thread_block handle (`cg::thread_block cta =
 * cg::this_thread_block();`, or `auto cta = ...`) is the same in every
 * thread and holds nothing, so its declaration runs once per group, and
 * `cta.sync();` / `cg::sync(cta);` are the block barrier like
 * `__syncthreads();`. A tile of a handle (`cg::thread_block_tile<32> t =
 * cg::tiled_partition<32>(cta);`, or `auto t = ...`) holds its size and
 * the block's, the same in every thread too: `t.sync();` is a warp
 * barrier when the tile fits in a warp (up to 32 threads), else the block
 * barrier, and its collectives are warp calls (find_warp).
 */
static int handle_at(const struct fission *f, size_t i)
{
	int n;

	for (n = 0; n < f->nhandles; n++)
		if (f->u->toks[i].len == f->u->toks[f->handles[n]].len &&
		    !memcmp(f->u->src + f->u->toks[i].off, f->u->src + f->u->toks[f->handles[n]].off,
			    f->u->toks[i].len))
			return n + 1;
	return 0;
}

static int is_handle(const struct fission *f, size_t i)
{
	return token_ident(f, i) && handle_at(f, i) != 0;
}

/* A tile handle at token i of at most 32 threads: one warp's lanes at any warp size. */
static int is_warp_tile(const struct fission *f, size_t i)
{
	int h = token_ident(f, i) ? handle_at(f, i) : 0;

	return h && f->hsize[h - 1] > 0 && f->hsize[h - 1] <= 32;
}

/* `<N>` at token i: N, when it is a literal; -1 otherwise. */
static int tile_arg(const struct fission *f, size_t i, size_t *after)
{
	size_t j = i + 1;
	long n = -1;

	if (!token_is(f, i, "<"))
		return 0;
	if (f->u->toks[j].kind == MCC_T_NUM) {
		char *e, *t = mcc_tok_text(f->u, j, j + 1);

		n = strtol(t, &e, 0);
		if (*e && strspn(e, "uUlL") != strlen(e))
			n = -1;
		free(t);
	}
	while (j < f->end && !token_is(f, j, ">") && !token_is(f, j, ";"))
		j++;
	*after = j + 1;
	return n > 0 && n <= 1024 ? (int)n : -1;
}

/* `[ns::]tiled_partition<N>(h)` from token j up to its `;`: N (or -1),
 * 0 if it is not one. */
static int tile_init(const struct fission *f, size_t j)
{
	size_t k;
	int n;

	if (token_ident(f, j) && token_is(f, j + 1, "::"))
		j += 2;
	if (!token_is(f, j, "tiled_partition"))
		return 0;
	n = tile_arg(f, j + 1, &k);
	if (!n || !token_is(f, k, "(") || !is_handle(f, k + 1) || !token_is(f, k + 2, ")") ||
	    !token_is(f, k + 3, ";"))
		return 0;
	return n;
}

/* The declaration of a handle starting at statement token a, or 0; its
 * name token in *name, its size (is_handle) in *size. */
static int handle_decl(const struct fission *f, size_t a, size_t *name, int *size)
{
	size_t j = a, k;
	int n;

	if (token_ident(f, j) && token_is(f, j + 1, "::"))
		j += 2;
	*size = 0;
	if (token_is(f, j, "thread_block") && token_ident(f, j + 1) &&
	    (token_is(f, j + 2, "=") || token_is(f, j + 2, ";"))) {
		*name = j + 1;
		return 1;
	}
	if (token_is(f, j, "thread_block_tile") && (n = tile_arg(f, j + 1, &k)) != 0 &&
	    token_ident(f, k) && token_is(f, k + 1, "=")) {
		int m = tile_init(f, k + 2);

		if (!m)
			return 0;
		*name = k;
		*size = n > 0 && m > 0 && n == m ? n : -1;
		return 1;
	}
	if (token_is(f, a, "auto") && token_ident(f, a + 1) && token_is(f, a + 2, "=")) {
		j = a + 3;
		if ((n = tile_init(f, j)) != 0) {
			*name = a + 1;
			*size = n;
			return 1;
		}
		if (token_ident(f, j) && token_is(f, j + 1, "::"))
			j += 2;
		if (token_is(f, j, "this_thread_block") && token_is(f, j + 1, "(") &&
		    token_is(f, j + 2, ")") && token_is(f, j + 3, ";")) {
			*name = a + 1;
			return 1;
		}
	}
	return 0;
}

static void find_handles(struct fission *f)
{
	size_t i, name;
	int size;

	for (i = f->base + 1; i < f->end; i++)
		if ((token_is(f, i - 1, ";") || token_is(f, i - 1, "{") ||
		     token_is(f, i - 1, "}")) &&
		    handle_decl(f, i, &name, &size)) {
			f->handles = mcc_xrealloc(f->handles, (size_t)(f->nhandles + 1) * sizeof(size_t));
			f->hsize = mcc_xrealloc(f->hsize, (size_t)(f->nhandles + 1) * sizeof(int));
			f->hsize[f->nhandles] = size;
			f->handles[f->nhandles++] = name;
		}
}

/* Members of a handle that only read its sizes and the thread's indices:
 * the same in every thread, or per thread. */
static const char *const handle_uniform[] = {
	"size", "num_threads", "meta_group_size", "group_dim", "dim_threads", "group_index", NULL,
};
static const char *const handle_per_thread[] = {
	"thread_rank", "meta_group_rank", "thread_index", NULL,
};

/* Token i names such a member in a call `h.m()`: 1 uniform, 2 per thread. */
static int handle_member(const struct fission *f, size_t i)
{
	if (i < 2 || !token_is(f, i - 1, ".") || !is_handle(f, i - 2) || !token_is(f, i + 1, "(") ||
	    !token_is(f, i + 2, ")"))
		return 0;
	return token_in(f, i, handle_uniform) ? 1 : token_in(f, i, handle_per_thread) ? 2 : 0;
}

/* The barrier `h.sync()` / `cg::sync(h)` of a handle: 1 the block, 2 a warp. */
static int handle_sync(const struct fission *f, size_t h)
{
	return is_warp_tile(f, h) ? 2 : 1;
}

/* Whether a barrier statement starts at token i: 1 the block barrier,
 * 2 a warp barrier (a tile's). */
static int barrier_at(const struct fission *f, size_t i)
{
	if (token_is(f, i, "__syncthreads"))
		return token_is(f, i + 1, "(") && token_is(f, i + 2, ")") &&
		       token_is(f, i + 3, ";");
	if (token_ident(f, i) && is_handle(f, i) && token_is(f, i + 1, ".") &&
	    token_is(f, i + 2, "sync"))
		return token_is(f, i + 3, "(") && token_is(f, i + 4, ")") &&
		       token_is(f, i + 5, ";") ? handle_sync(f, i) : 0;
	if (token_ident(f, i) && token_is(f, i + 1, "::") && token_is(f, i + 2, "sync") &&
	    token_is(f, i + 3, "(") &&
	    token_ident(f, i + 4) && is_handle(f, i + 4))
		return token_is(f, i + 5, ")") && token_is(f, i + 6, ";") &&
		       (i == 0 || !token_is(f, i - 1, "::")) ?
		       handle_sync(f, i + 4) : 0;
	return 0;
}

/*
 * Warp operations (docs/design.md, "Warp operations as regions"). A
 * statement that makes one warp call (a shuffle, vote, match or
 * __reduce_*_sync) splits the thread loops before it: one loop deposits
 * every lane's operands at the call's site, the next runs the statement,
 * whose call reads the others' deposits (compiler-rt/wsite.c).
 * `__syncwarp();` is a barrier. Both may sit under conditions that differ
 * between threads: such an `if` is predicated (each thread's condition is
 * kept in an array, and every loop under it skips the threads whose
 * condition is false).
 */
static const char *const warp_calls[] = {
	"__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync", "__ballot_sync",
	"__any_sync", "__all_sync", "__shfl", "__shfl_up", "__shfl_down", "__shfl_xor", "__ballot",
	"__any", "__all", "__match_any_sync", "__match_all_sync", "__reduce_add_sync",
	"__reduce_min_sync", "__reduce_max_sync", "__reduce_and_sync", "__reduce_or_sync",
	"__reduce_xor_sync", NULL,
};

/* Collectives of a tile that fits in a warp: `t.shfl_down(v, d)`, and
 * `cg::reduce(t, v, op)`, `cg::inclusive_scan(t, v)`, ... */
static const char *const tile_calls[] = {
	"shfl", "shfl_up", "shfl_down", "shfl_xor", "ballot", "any", "all", "match_any", "match_all",
	NULL,
};
static const char *const tile_fns[] = { "reduce", "inclusive_scan", "exclusive_scan", NULL };

/*
 * Whether a warp call starts at token i: the token of its `(`, else 0.
 * *replay: a tile's collective, which may make several warp operations
 * (shuffles of a wide value, the steps of a reduction) and runs through
 * the device runtime's replayed sites.
 */
static size_t warp_call_at(const struct fission *f, size_t i, int *replay)
{
	size_t j = i;

	*replay = 0;
	if (i > 0 &&
	    (token_is(f, i - 1, ".") || token_is(f, i - 1, "->") || token_is(f, i - 1, "::")))
		return 0;
	if (token_in(f, i, warp_calls) && token_is(f, i + 1, "("))
		return i + 1;
	*replay = 1;
	if (is_warp_tile(f, i) && token_is(f, i + 1, ".") && token_in(f, i + 2, tile_calls) &&
	    token_is(f, i + 3, "("))
		return i + 3;
	if (token_ident(f, j) && token_is(f, j + 1, "::"))
		j += 2;
	if (token_in(f, j, tile_fns) && token_is(f, j + 1, "(") && is_warp_tile(f, j + 2) &&
	    token_is(f, j + 3, ","))
		return j + 1;
	*replay = 0;
	return 0;
}

/* Marks the warp operations of statement s (parsed, [a, b)). */
static void find_warp(struct fission *f, struct statement *s)
{
	size_t j, p = 0, hdr0 = s->po, hdr1 = s->pc;
	int calls = 0, i, replay = 0;

	for (j = s->a; j < s->b; j++) {
		int sw = token_is(f, j, "__syncwarp") && token_is(f, j + 1, "(");

		if (!sw && !(p = warp_call_at(f, j, &replay)))
			continue;
		s->bar = 1;
		/* one call in the condition of an if whose branches hold no
		 * barrier or warp call: the if is that call's statement */
		if (s->kind == ST_IF && !sw && j > hdr0 && j < hdr1) {
			for (i = 0; i < s->nkid; i++)
				if (s->kid[i].bar) {
					fail(f, "a warp operation in the condition of an if whose branches "
						"hold barriers or warp operations");
					return;
				}
			if (calls++) {
				fail(f, "two warp operations in one condition");
				return;
			}
			s->wc0 = j;
			s->wcp = p;
			s->wc1 = match(f, p);
			s->replay = replay;
			j = p;
			continue;
		}
		if (s->kind == ST_SIMPLE && sw && j == s->a && match(f, j + 1) + 2 == s->b) {
			s->kind = ST_BARRIER;
			return;
		}
		if (s->kind == ST_SIMPLE && !sw) {
			if (calls++) {
				fail(f, "two warp operations in one statement");
				return;
			}
			s->wc0 = j;
			s->wcp = p;
			s->wc1 = match(f, p);
			s->replay = replay;
			j = p;
			continue;
		}
		if (s->kind == ST_SIMPLE || s->kind == ST_RETURN || s->kind == ST_BREAK ||
		    s->kind == ST_CONTINUE || s->kind == ST_GOTO ||
		    (hdr1 && j > hdr0 && j < hdr1)) {
			fail(f, "a warp operation in a condition, a loop header, a jump or an expression");
			return;
		}
	}
	if (calls)
		s->wsite = 1;    /* numbered by collect_lists */
}

static void parse_statement(struct fission *f, size_t i, size_t end, struct statement *s);
static void free_statement(struct statement *s);
static int parse_child(struct fission *f, size_t i, size_t end, struct statement *p);

static void add_child(struct statement *p, const struct statement *k)
{
	p->kid = mcc_xrealloc(p->kid, (size_t)(p->nkid + 1) * sizeof(*p->kid));
	p->kid[p->nkid++] = *k;
}

static void parse_list(struct fission *f, size_t i, size_t end, struct statement *p)
{
	while (i < end && !f->fail) {
		if (parse_child(f, i, end, p))
			return;
		i = p->kid[p->nkid - 1].b;
	}
}

/* Parses the statement at i as the next child of p; -1 on failure. */
static int parse_child(struct fission *f, size_t i, size_t end, struct statement *p)
{
	struct statement k;

	parse_statement(f, i, end, &k);
	if (f->fail) {
		free_statement(&k);
		return -1;
	}
	add_child(p, &k);
	return 0;
}

/* The header of a for loop: a ranged for unless it holds two `;`. */
static void parse_for_header(struct fission *f, struct statement *s)
{
	int semis = 0;

	s->kind = ST_RFOR;
	for (size_t j = s->po + 1; j < s->pc; j++) {
		if (token_is(f, j, "(") || token_is(f, j, "[") || token_is(f, j, "{")) {
			j = match(f, j);
			continue;
		}
		if (token_is(f, j, ";")) {
			if (semis++ == 0)
				s->s1 = j;
			else
				s->s2 = j;
		}
	}
	if (semis == 2)
		s->kind = ST_FOR;
}

/* An if, while, switch or for at i: its header, its body and an if's else;
 * -1 on failure. */
static int parse_control(struct fission *f, size_t i, size_t end, struct statement *s)
{
	s->po = i + 1;
	s->pc = match(f, i + 1);
	if (token_is(f, i, "for"))
		parse_for_header(f, s);
	else
		s->kind = token_is(f, i, "if") ? ST_IF :
			  token_is(f, i, "while") ? ST_WHILE : ST_SWITCH;
	if (parse_child(f, s->pc + 1, end, s))
		return -1;
	s->b = s->kid[0].b;
	if (s->kind == ST_IF && token_is(f, s->b, "else")) {
		if (parse_child(f, s->b + 1, end, s))
			return -1;
		s->b = s->kid[1].b;
	}
	return 0;
}

/* A do ... while at i; -1 on failure. */
static int parse_do(struct fission *f, size_t i, size_t end, struct statement *s)
{
	size_t j;

	s->kind = ST_DO;
	if (parse_child(f, i + 1, end, s))
		return -1;
	j = s->kid[0].b;
	if (!token_is(f, j, "while") || !token_is(f, j + 1, "(")) {
		fail(f, "do without while");
		return -1;
	}
	s->po = j + 1;
	s->pc = match(f, s->po);
	if (!token_is(f, s->pc + 1, ";")) {
		fail(f, "do ... while without ;");
		return -1;
	}
	s->b = s->pc + 2;
	return 0;
}

/* A label (case, default or a name) at i, then its statement; -1 on failure. */
static int parse_label(struct fission *f, size_t i, size_t end, struct statement *s)
{
	size_t j;

	for (j = i; j < end && !token_is(f, j, ":"); j++)
		if (token_is(f, j, "(") || token_is(f, j, "["))
			j = match(f, j);
	if (j >= end) {
		fail(f, "label without :");
		return -1;
	}
	s->kind = ST_LABEL;
	if (parse_child(f, j + 1, end, s))
		return -1;
	s->b = s->kid[0].b;
	return 0;
}

/* A statement up to its `;` at i: a barrier, a jump or an expression or
 * declaration; -1 on failure. */
static int parse_simple(struct fission *f, size_t i, size_t end, struct statement *s)
{
	size_t j;

	if (barrier_at(f, i))
		s->kind = ST_BARRIER;
	else if (token_is(f, i, "return"))
		s->kind = ST_RETURN;
	else if (token_is(f, i, "break"))
		s->kind = ST_BREAK;
	else if (token_is(f, i, "continue"))
		s->kind = ST_CONTINUE;
	else if (token_is(f, i, "goto"))
		s->kind = ST_GOTO;
	else
		s->kind = ST_SIMPLE;
	for (j = i; j < end; j++) {
		if (token_is(f, j, "(") || token_is(f, j, "[") || token_is(f, j, "{")) {
			j = match(f, j);
			continue;
		}
		if (token_is(f, j, ";"))
			break;
	}
	if (j >= end) {
		fail(f, "statement without ;");
		return -1;
	}
	s->b = j + 1;
	return 0;
}

/* One statement starting at token i, within [i, end). */
static void parse_statement(struct fission *f, size_t i, size_t end, struct statement *s)
{
	memset(s, 0, sizeof(*s));
	s->a = i;
	s->region = -1;
	if (i >= end) {
		fail(f, "unexpected end of a block");
		return;
	}
	if (token_is(f, i, "{")) {
		size_t j = match(f, i);

		s->kind = ST_BLOCK;
		parse_list(f, i + 1, j, s);
		s->b = j + 1;
	} else if (token_is(f, i, ";")) {
		s->kind = ST_EMPTY;
		s->b = i + 1;
	} else if ((token_is(f, i, "if") || token_is(f, i, "while") || token_is(f, i, "switch") ||
		    token_is(f, i, "for")) && token_is(f, i + 1, "(")) {
		if (parse_control(f, i, end, s))
			return;
	} else if (token_is(f, i, "do")) {
		if (parse_do(f, i, end, s))
			return;
	} else if (token_is(f, i, "case") || token_is(f, i, "default") ||
		   (token_ident(f, i) && token_is(f, i + 1, ":"))) {
		if (parse_label(f, i, end, s))
			return;
	} else if (token_is(f, i, "try") || token_is(f, i, "asm") || token_is(f, i, "__asm__") ||
		   token_is(f, i, "_Pragma")) {
		fail(f, "try, asm or _Pragma in the kernel");
		return;
	} else if (parse_simple(f, i, end, s)) {
		return;
	}
	for (size_t j = s->a; j < s->b; j++) {
		int k = token_is(f, j, "__syncthreads") ? 1 : barrier_at(f, j);

		if (k)
			s->bar = 1;
		if (k == 1) {
			s->blockbar = 1;
			break;
		}
	}
	if (!f->fail)
		find_warp(f, s);
}

static void free_statement(struct statement *s)
{
	int i;

	for (i = 0; i < s->nkid; i++)
		free_statement(&s->kid[i]);
	free(s->kid);
}

static const char *const spec_words[] = {
	"const", "volatile", "unsigned", "signed", "short", "long", "int", "char", "float",
	"double", "bool", "void", "auto", "register", "static", "extern", "constexpr", "inline",
	"__shared__", "__device__", "__constant__", "__managed__", "typename", "struct", "class",
	"union", "enum", "mutable", "thread_local", "__thread", "wchar_t", "char16_t", "char32_t",
	"__restrict__", "__restrict", "restrict", NULL,
};

static const char *const not_decl_start[] = {
	"delete", "new", "throw", "sizeof", "typeid", "return", "goto", "co_return", "co_await",
	"co_yield", "operator", "this", "case", "default", NULL,
};

static const char *const ptr_quals[] = {
	"const", "volatile", "__restrict__", "__restrict", "restrict", NULL,
};

static const char *const type_decl_start[] = {
	"typedef", "using", "static_assert", "_Static_assert", "template", "namespace", NULL,
};

/* Skips a template argument list at `<` (i), returning the token after `>`;
 * 0 when it does not close before a ; or the end. */
static size_t skip_angle(const struct fission *f, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		if (token_is(f, i, "(") || token_is(f, i, "[") || token_is(f, i, "{")) {
			i = match(f, i);
			continue;
		}
		if (token_is(f, i, ";"))
			return 0;
		if (token_is(f, i, "<"))
			depth++;
		else if (token_is(f, i, ">") && --depth == 0)
			return i + 1;
	}
	return 0;
}

enum { D_NOT, D_VARS, D_KEEP, D_BAD };

/* The decl-specifiers of a declaration: where they end, their last name
 * (0: none or not the last word), how many words, and what they say. */
struct specifiers {
	size_t end, last;
	int words;
	int keep;               /* __shared__, static, extern, __constant__, ... */
	int is_auto;
};

/* Reads the specifiers of statement [a, b) into sp; D_NOT when they
 * cannot start a declaration, else 0. */
static int parse_specifiers(const struct fission *f, size_t a, size_t b, struct specifiers *sp)
{
	size_t j = a;

	memset(sp, 0, sizeof(*sp));
	while (j < b) {
		if (token_in(f, j, spec_words)) {
			if (token_is(f, j, "__shared__") || token_is(f, j, "static") ||
			    token_is(f, j, "extern") || token_is(f, j, "__constant__") ||
			    token_is(f, j, "__device__") || token_is(f, j, "__managed__"))
				sp->keep = 1;
			if (token_is(f, j, "auto"))
				sp->is_auto = 1;
			if (!token_in(f, j, ptr_quals))
				sp->words++;
			sp->last = 0;
			j++;
			continue;
		}
		if (token_is(f, j, "::") || token_ident(f, j)) {
			if (token_is(f, j, "::"))
				j++;
			if (!token_ident(f, j))
				return D_NOT;
			sp->last = j++;
			while (token_is(f, j, "::") && token_ident(f, j + 1)) {
				j += 2;
				sp->last = 0;
			}
			if (token_is(f, j, "<")) {
				j = skip_angle(f, j, b);
				if (!j)
					return D_NOT;
				sp->last = 0;
				while (token_is(f, j, "::") && token_ident(f, j + 1)) {
					j += 2;
					sp->last = 0;
				}
			}
			sp->words++;
			continue;
		}
		break;
	}
	sp->end = j;
	return 0;
}

/*
 * The declarators of a declaration from token j on, up to its `;` at or
 * before b, appended to f->v (specifiers [a, spec1)); ptr: the specifiers
 * end at a `*` or `&`, which may make the statement an expression. D_VARS,
 * D_NOT or D_BAD.
 */
static int parse_declarators(struct fission *f, size_t a, size_t b, size_t j, size_t spec1,
			     int is_auto, int ptr, int first)
{
	struct variable v;

	for (;;) {
		memset(&v, 0, sizeof(v));
		v.spec0 = a;
		v.spec1 = spec1;
		v.is_auto = is_auto;
		v.d0 = j;
		while (token_is(f, j, "*") || token_is(f, j, "&") || token_in(f, j, ptr_quals)) {
			if (token_is(f, j, "&"))
				v.odd = 1;
			j++;
		}
		if (!token_ident(f, j) || token_in(f, j, spec_words)) {
			if (ptr && f->nv == first)
				return D_NOT;   /* `a * (b)`, `x & 3`: an expression */
			return D_BAD;
		}
		v.name = j++;
		while (token_is(f, j, "[")) {
			v.dims = 1;
			j = match(f, j) + 1;
		}
		if (token_is(f, j, "=")) {
			v.eq = j;
			v.i0 = ++j;
			if (token_is(f, j, "{"))
				v.brace = 1;
			for (; j < b && !token_is(f, j, ",") && !token_is(f, j, ";"); j++)
				if (token_is(f, j, "(") || token_is(f, j, "[") ||
				    token_is(f, j, "{"))
					j = match(f, j);
			v.i1 = j;
		} else if (token_is(f, j, "(") || token_is(f, j, "{")) {
			v.odd = 1;
			v.i0 = j;
			j = match(f, j) + 1;
			v.i1 = j;
		}
		v.d1 = j;
		if (ptr && f->nv == first && !v.eq && !token_is(f, j, ";") && !token_is(f, j, ","))
			return D_NOT;
		f->v = mcc_xrealloc(f->v, (size_t)(f->nv + 1) * sizeof(*f->v));
		f->v[f->nv++] = v;
		if (token_is(f, j, ";"))
			return D_VARS;
		if (!token_is(f, j, ","))
			return D_BAD;
		j++;
	}
}

/* Commas in template arguments of an initializer would have split it: with
 * several declarators, a `<` and a later `>` in [spec1, b) (not shifts,
 * <=, >= or ->) make the declaration D_BAD. */
static int check_template_commas(const struct fission *f, size_t spec1, size_t b, int first)
{
	int lt = 0;

	if (f->nv - first <= 1)
		return D_VARS;
	for (size_t j = spec1; j < b; j++) {
		int pair = (tokens_touch(f, j) &&
			    (token_is(f, j + 1, "<") || token_is(f, j + 1, ">") ||
						   token_is(f, j + 1, "="))) ||
			   (j > 0 && tokens_touch(f, j - 1) &&
			    (token_is(f, j - 1, "<") || token_is(f, j - 1, ">") ||
			     token_is(f, j - 1, "-")));

		if (token_is(f, j, "<") && !pair)
			lt = 1;
		else if (token_is(f, j, ">") && !pair && lt)
			return D_BAD;
	}
	return D_VARS;
}

/*
 * Whether statement [a, b) (ending in ;) declares variables: D_VARS with
 * its declarators appended to f->v (spec [spec0, spec1)), D_KEEP for a
 * declaration that stays at group scope (__shared__, static, typedef, a
 * type), D_NOT for anything else, D_BAD for a declaration mcc cannot
 * carry between regions.
 */
static int parse_declaration(struct fission *f, size_t a, size_t b, int *first)
{
	struct specifiers sp;
	size_t j, spec1;
	int ptr = 0, rc;

	*first = f->nv;
	if (token_in(f, a, type_decl_start))
		return D_KEEP;
	if ((token_is(f, a, "struct") || token_is(f, a, "class") || token_is(f, a, "union") ||
	     token_is(f, a, "enum")) &&
	    (token_is(f, a + 1, "{") ||
	     (token_ident(f, a + 1) && (token_is(f, a + 2, "{") || token_is(f, a + 2, ";") ||
					token_is(f, a + 2, ":")))))
		return D_KEEP;
	if (token_in(f, a, not_decl_start) || !(token_ident(f, a) || token_is(f, a, "::")))
		return D_NOT;
	if (parse_specifiers(f, a, b, &sp) != 0)
		return D_NOT;
	j = sp.end;
	if (j >= b)
		return D_NOT;
	if (token_is(f, j, "*") || token_is(f, j, "&")) {
		ptr = 1;
		spec1 = j;
		if (sp.words < 1)
			return D_NOT;
	} else {
		/* the last word is the name */
		if (!sp.last || sp.words < 2)
			return D_NOT;
		if (!(token_is(f, j, "=") || token_is(f, j, ",") || token_is(f, j, ";") ||
		      token_is(f, j, "[") || token_is(f, j, "(") || token_is(f, j, "{")))
			return D_NOT;
		spec1 = sp.last;
		j = sp.last;
	}
	if (sp.keep)
		return D_KEEP;
	rc = parse_declarators(f, a, b, j, spec1, sp.is_auto, ptr, *first);
	if (rc != D_VARS)
		return rc;
	return check_template_commas(f, spec1, b, *first);
}

/* Whether the name at token i is a use of a variable (not a member, not a
 * qualified name). */
static int is_var_use(const struct fission *f, size_t i)
{
	return !(i > 0 &&
		 (token_is(f, i - 1, ".") || token_is(f, i - 1, "->") || token_is(f, i - 1, "::")));
}

static int unary_context(const struct fission *f, size_t p)
{
	/* token p precedes a unary operator: an operator, an opener, or none */
	const struct mcc_tok *t = &f->u->toks[p];

	if (t->kind == MCC_T_IDENT)
		return token_is(f, p, "return");
	if (t->kind != MCC_T_PUNCT)
		return 0;
	return !(token_is(f, p, ")") || token_is(f, p, "]"));
}

/* Whether the assignment operator starts at token j. */
static int assign_at(const struct fission *f, size_t j)
{
	static const char *const ops[] = { "+", "-", "*", "/", "%", "&", "|", "^", NULL };

	if (token_is(f, j, "=")) {
		/* not ==, nor the second half of <=, >=, != or == */
		if (tokens_touch(f, j) && token_is(f, j + 1, "="))
			return 0;
		if (j > 0 && tokens_touch(f, j - 1) &&
		    (token_is(f, j - 1, "<") || token_is(f, j - 1, ">") ||
					       token_is(f, j - 1, "!") || token_is(f, j - 1, "=")))
			return 0;
		return 1;
	}
	if (token_in(f, j, ops) && tokens_touch(f, j) && token_is(f, j + 1, "="))
		return !(tokens_touch(f, j + 1) && token_is(f, j + 2, "="));
	if ((token_is(f, j, "<") && tokens_touch(f, j) && token_is(f, j + 1, "<") &&
	     tokens_touch(f, j + 1) && token_is(f, j + 2, "=")) ||
	    (token_is(f, j, ">") && tokens_touch(f, j) && token_is(f, j + 1, ">") &&
	     tokens_touch(f, j + 1) && token_is(f, j + 2, "=")))
		return 1;
	return 0;
}

static int increment_at(const struct fission *f, size_t j)
{
	return (token_is(f, j, "+") && tokens_touch(f, j) && token_is(f, j + 1, "+")) ||
	       (token_is(f, j, "-") && tokens_touch(f, j) && token_is(f, j + 1, "-"));
}

/* The call whose argument list holds token i, if i is a whole argument:
 * the callee's token, or 0. */
static size_t argument_of_call(const struct fission *f, size_t i)
{
	size_t j;
	int depth = 0;

	if (!(token_is(f, i - 1, "(") || token_is(f, i - 1, ",")) ||
	    !(token_is(f, i + 1, ")") || token_is(f, i + 1, ",")))
		return 0;
	for (j = i - 1; j > f->base; j--) {
		if (token_is(f, j, ")") || token_is(f, j, "]") || token_is(f, j, "}"))
			depth++;
		else if (token_is(f, j, "[") || token_is(f, j, "{")) {
			if (depth-- == 0)
				return 0;
		} else if (token_is(f, j, "(")) {
			if (depth-- == 0)
				return token_ident(f, j - 1) || token_is(f, j - 1, ">") ? j - 1 : 0;
		} else if (token_is(f, j, ";")) {
			return 0;
		}
	}
	return 0;
}

int mcc_name_pure(const struct mcc_unit *u, size_t i);

/* Whether function `name` of this unit (every definition of it) takes
 * its parameters by value: no `&` in a parameter list. */
static int function_by_value(const struct fission *f, size_t name)
{
	const struct mcc_unit *u = f->u;
	int n, found = 0;

	for (n = 0; n < u->nfuncs; n++) {
		const struct mcc_func *fn = &u->funcs[n];
		size_t j;
		int depth = 0;

		if (!token_is(f, name, fn->name))
			continue;
		if (!fn->has_body || fn->body_open < 2)
			return 0;
		/* back from the body to the ( of the parameter list */
		for (j = fn->body_open - 1; j > 0 && !token_is(f, j, ")"); j--)
			if (token_is(f, j, ";") || token_is(f, j, "}"))
				return 0;
		for (; j > 0; j--) {
			if (token_is(f, j, ")"))
				depth++;
			else if (token_is(f, j, "(") && --depth == 0)
				break;
			else if (token_is(f, j, "&"))
				return 0;
		}
		found = 1;
	}
	return found;
}

/* Whether the use of v at token i may change it. */
/* A call at callee token c of a collective that takes its values by
 * value: a handle's member (`t.shfl_down(v, d)`; not match_all, which
 * sets its second argument), cg::reduce and the scans. */
static int cg_by_value(const struct fission *f, size_t c)
{
	if (c >= 2 && token_is(f, c - 1, ".") && is_handle(f, c - 2))
		return (token_in(f, c, tile_calls) && !token_is(f, c, "match_all")) ||
		       token_in(f, c, handle_uniform) ||
		       token_in(f, c, handle_per_thread);
	return token_in(f, c, tile_fns) && token_is(f, c + 1, "(") && is_handle(f, c + 2);
}

static int write_at(const struct fission *f, const struct variable *v, size_t i)
{
	size_t j = i + 1, c;
	int deref = i >= 1 && token_is(f, i - 1, "*") && (i < 2 || unary_context(f, i - 2));

	if (vary(f, i, MCC_VARY_WRITE))
		return 1;   /* front.cpp saw it written here (a macro's argument too) */

	/* p[i], p->m: whatever happens next happens to the memory behind v */
	for (;;) {
		if (token_is(f, j, "[")) {
			if (!v->dims)
				return 0;
			j = match(f, j) + 1;
		} else if (token_is(f, j, "->")) {
			return 0;
		} else if (token_is(f, j, ".") && token_ident(f, j + 1)) {
			if (token_is(f, j + 2, "("))
				return 1;   /* a member function may change it */
			j += 2;
		} else {
			break;
		}
	}
	if (i >= 2 && increment_at(f, i - 2))
		return 1;
	if (i >= 1 && token_is(f, i - 1, "&") &&
	    !(i >= 2 && token_is(f, i - 2, "&") && tokens_touch(f, i - 2)) &&
	    (i < 2 || unary_context(f, i - 2)))
		return 1;   /* its address taken */
	if (increment_at(f, j))
		return 1;
	if (assign_at(f, j))
		return !deref;    /* *p = x writes memory, not p */
	c = argument_of_call(f, i);
	/* a name before `(` that is no call: a macro, a cast */
	if (c && f->u->vary && token_ident(f, c) && !vary(f, c, MCC_VARY_CALL | MCC_VARY_USE))
		return 0;
	if (c && (!token_ident(f, c) || !(mcc_name_header(f->u, c) || function_by_value(f, c) ||
				    cg_by_value(f, c))))
		return 1;   /* may be passed by reference */
	return 0;
}

/* Records the writes of v after its declaration. */
static void find_writes(struct fission *f, struct variable *v)
{
	size_t i, from = v->param ? f->base + 1 : v->d1;
	size_t to = v->param ? f->end : v->scope_end;

	for (i = from; i < to; i++) {
		if (!token_names(f, i, v) || !is_var_use(f, i))
			continue;
		if (write_at(f, v, i)) {
			v->w = mcc_xrealloc(v->w, (size_t)(v->nw + 1) * sizeof(*v->w));
			v->w[v->nw++] = i;
		}
	}
	v->stable = v->nw == 0 && !vary(f, v->param ? v->ptok : v->name, MCC_VARY_HIDDEN);
}

/* The variable named by token i in scope at i, or NULL (innermost first:
 * the last declared before i whose scope holds i). */
static struct variable *lookup(struct fission *f, size_t i)
{
	int n;

	for (n = f->nv - 1; n >= 0; n--) {
		struct variable *v = &f->v[n];

		if (!token_names(f, i, v))
			continue;
		if (v->param)
			return v;
		if (i >= v->name && i < v->scope_end)
			return v;
	}
	return NULL;
}

/* The function objects of cooperative_groups' reductions and scans. */
static const char *const cg_ops[] = {
	"plus", "less", "greater", "bit_and", "bit_or", "bit_xor", NULL,
};

/* `[ns::]plus<T>()` at token i: the token of its `)`, else 0. */
static size_t cg_functor(const struct fission *f, size_t i)
{
	size_t j = i;

	if (i > 0 && (token_is(f, i - 1, ".") || token_is(f, i - 1, "->")))
		return 0;
	if (token_ident(f, j) && token_is(f, j + 1, "::"))
		j += 2;
	if (!token_in(f, j, cg_ops) || !token_is(f, j + 1, "<"))
		return 0;
	for (j += 2; j < f->end && !token_is(f, j, ">"); j++)
		if (token_is(f, j, ";") || token_is(f, j, "(") || token_is(f, j, "<"))
			return 0;
	return token_is(f, j + 1, "(") && token_is(f, j + 2, ")") ? j + 2 : 0;
}

static const char *const block_names[] = { "blockIdx", "blockDim", "gridDim", "warpSize", NULL };

/* What expression_ok() requires of an expression. */
#define X_UNI    1   /* the same value in every thread */
#define X_NOMEM  2   /* no memory read: may move within a region */
#define X_STABLE 4   /* only values that never change: may be computed again later */

/*
 * Whether tokens [a, b) compute a value as `how` asks (X_*). Side effects
 * other than the assignment being checked are always out.
 */
static int expression_ok(struct fission *f, size_t a, size_t b, int how)
{
	size_t i;

	for (i = a; i < b; i++) {
		struct variable *v;

		size_t e;
		int m;

		if (token_is(f, i, ";") || token_is(f, i, "return") || token_is(f, i, "new") ||
		    token_is(f, i, "delete") || token_is(f, i, "throw") || token_is(f, i, "asm"))
			return 0;
		if (warp_call_at(f, i, &m))
			return 0;   /* a tile's collective: a warp operation */
		if ((e = cg_functor(f, i)) != 0) {
			i = e;      /* cg::plus<T>(): a stateless function object */
			continue;
		}
		if ((how & X_UNI) && vary(f, i, MCC_VARY_USE))
			return 0;   /* differs between threads, or acts (front.cpp) */
		if ((m = handle_member(f, i)) != 0) {
			if ((how & X_UNI) && vary(f, i + 2, MCC_VARY_USE))
				return 0;
			i += 2;     /* t.size(), t.thread_rank(): sizes and indices */
			continue;
		}
		if (assign_at(f, i) || increment_at(f, i))
			return 0;
		if (token_is(f, i, "{") && i != a)
			return 0;
		/* calls through an expression, or of a template mcc cannot name */
		if (token_is(f, i, "(") && i > a &&
		    (token_is(f, i - 1, ")") || token_is(f, i - 1, "]") || token_is(f, i - 1, ">")))
			return 0;
		if ((how & X_NOMEM) && vary(f, i, MCC_VARY_MEM))
			return 0;   /* front.cpp: reads memory, or acts (a macro's too) */
		if ((how & X_NOMEM) && (token_is(f, i, "[") || token_is(f, i, "->")))
			return 0;
		if ((how & X_NOMEM) && (token_is(f, i, "*") || token_is(f, i, "&")) &&
		    (i == a || unary_context(f, i - 1)))
			return 0;
		/* a member function: anything */
		if (token_ident(f, i) && i > a && (token_is(f, i - 1, ".") || token_is(f, i - 1, "->")) &&
		    token_is(f, i + 1, "("))
			return 0;
		if (!token_ident(f, i) || !is_var_use(f, i))
			continue;
		if (token_is(f, i, "threadIdx"))
			continue;
		if (token_is(f, i + 1, "(") ||
		    (token_is(f, i + 1, "<") && mcc_name_pure(f->u, i))) {
			/* a call (or a macro) may move (X_NOMEM, X_STABLE) if
			 * it reads no memory and acts on nothing; whether it
			 * gives every thread the same value and can run once
			 * is the divergence analysis' to say */
			if ((how & ~X_UNI) && (f->u->vary ? vary(f, i, MCC_VARY_MEM) : !mcc_name_pure(f->u, i)))
				return 0;
			continue;
		}
		if (token_in(f, i, block_names))
			continue;
		v = lookup(f, i);
		if (!v)
			continue;   /* a constant, macro, type or global */
		if ((how & X_STABLE) && (!v->stable || v->cls == V_LOCAL))
			return 0;
		if ((how & X_UNI) && !v->uniform)
			return 0;
	}
	return 1;
}

static void add_list(struct fission *f, struct statement **s, int n, size_t close)
{
	f->lists = mcc_xrealloc(f->lists, (size_t)(f->nlists + 1) * sizeof(*f->lists));
	memset(&f->lists[f->nlists], 0, sizeof(f->lists[f->nlists]));
	f->lists[f->nlists].s = s;
	f->lists[f->nlists].n = n;
	f->lists[f->nlists].close = close;
	f->lists[f->nlists].pred = f->in_pred > 0;
	f->nlists++;
}

/* Whether the kernel calls a function of this unit that uses barriers. */
static int calls_barrier_function(const struct fission *f)
{
	size_t j;
	int n;

	for (j = f->base; j < f->end; j++)
		for (n = 0; n < f->u->nfuncs; n++)
			if (f->u->funcs[n].barrier && token_is(f, j, f->u->funcs[n].name) &&
			    (token_is(f, j + 1, "(") || token_is(f, j + 1, "<")))
				return 1;
	return 0;
}

/* Numbers warp call statement s's site. */
static void number_site(struct fission *f, struct statement *s)
{
	f->replay = mcc_xrealloc(f->replay, (size_t)(f->nsites + 1));
	f->replay[f->nsites] = (unsigned char)s->replay;
	s->wsite = ++f->nsites;
}

/* Collects the barrier lists under statement s (a barrier statement in a
 * list). Every control statement holding a barrier must be structured. */
static void collect_lists(struct fission *f, struct statement *s)
{
	int i;

	if (f->in_pred && s->blockbar) {
		fail(f, "a block barrier under a condition that may differ between threads");
		return;
	}
	if (s->kind == ST_IF && s->wsite) {
		number_site(f, s);   /* a warp call in the condition: the if runs per thread */
		return;
	}
	if (s->kind == ST_IF && !s->blockbar) {
		/* warp operations only: predicated */
		f->preds = mcc_xrealloc(f->preds, (size_t)(f->npreds + 1) * sizeof(*f->preds));
		f->preds[f->npreds++] = s;
		s->pred = f->npreds;
		f->in_pred++;
	}
	switch (s->kind) {
	case ST_BLOCK: {
		struct statement **p = malloc((size_t)(s->nkid ? s->nkid : 1) * sizeof(*p));

		if (!p) {
			fail(f, "out of memory");
			return;
		}
		for (i = 0; i < s->nkid; i++)
			p[i] = &s->kid[i];
		add_list(f, p, s->nkid, s->b - 1);
		for (i = 0; i < s->nkid; i++)
			if (s->kid[i].bar)
				collect_lists(f, &s->kid[i]);
		return;
	}
	case ST_IF:
	case ST_FOR:
	case ST_WHILE:
	case ST_DO:
		for (i = 0; i < s->nkid; i++) {
			struct statement *k = &s->kid[i];

			/* barrier-free branches become regions of their own */
			if (k->kind == ST_BLOCK) {
				collect_lists(f, k);
			} else {
				/* a single statement body: a list of one */
				struct statement **p = malloc(sizeof(*p));

				if (!p) {
					fail(f, "out of memory");
					return;
				}
				p[0] = k;
				add_list(f, p, 1, k->b - 1);
				f->lists[f->nlists - 1].single = 1;
				if (k->bar)
					collect_lists(f, k);
			}
		}
		if (s->pred)
			f->in_pred--;
		return;
	case ST_BARRIER:
		return;
	case ST_SIMPLE:
		if (s->wsite) {
			number_site(f, s);
			return;
		}
		fail(f, "a barrier in a statement that is not a block, if, for, while or do");
		return;
	default:
		fail(f, "a barrier in a statement that is not a block, if, for, while or do");
	}
}

/* The declarations of the barrier lists and of barrier for-loops. */
static void collect_decls(struct fission *f)
{
	int l, i, first, r, n;
	size_t n0;

	for (l = 0; l < f->nlists && !f->fail; l++) {
		for (i = 0; i < f->lists[l].n && !f->fail; i++) {
			struct statement *s = f->lists[l].s[i];

			if (s->kind == ST_FOR && s->bar && s->po + 1 < s->s1) {
				r = parse_declaration(f, s->po + 1, s->s1 + 1, &first);
				if (r == D_BAD || r == D_KEEP) {
					fail(f, "a declaration in a barrier loop's header");
				} else if (r == D_VARS) {
					for (n = first; n < f->nv; n++) {
						f->v[n].forinit = 1;
						f->v[n].forst = s;
						f->v[n].scope_end = s->b;
					}
				}
				continue;
			}
			if (s->kind != ST_SIMPLE)
				continue;
			if (handle_decl(f, s->a, &n0, &r)) {
				s->sep = SEP_KEEP;
				continue;
			}
			r = parse_declaration(f, s->a, s->b, &first);
			if (r == D_BAD) {
				fail(f, "a declaration mcc cannot carry between barriers");
			} else if (r == D_KEEP) {
				s->sep = SEP_KEEP;
			} else if (r == D_VARS) {
				for (n = first; n < f->nv; n++) {
					f->v[n].stmt = s;
					f->v[n].scope_end = f->lists[l].close;
				}
			}
		}
	}
}

/* Whether statement s (of a barrier list) is `x op= uniform;`, `x++;`,
 * ... for a uniform x: then it is a separator. */
static int uniform_assign(struct fission *f, size_t a, size_t b, struct variable **target)
{
	size_t j = a;
	struct variable *v;

	if (increment_at(f, j))
		j += 2;
	if (!token_ident(f, j))
		return 0;
	v = lookup(f, j);
	if (!v || v->dims)
		return 0;
	*target = v;
	if (j > a)
		return j + 1 == b;
	j++;
	if (increment_at(f, j))
		return j + 2 == b;
	if (!assign_at(f, j))
		return 0;
	while (!token_is(f, j, "="))
		j++;
	return expression_ok(f, j + 1, b, X_UNI);
}

/* The comma-separated assignments of a for-loop's increment [a, b). */
static int uniform_increments(struct fission *f, size_t a, size_t b)
{
	size_t j = a, e;
	struct variable *t;

	while (j < b) {
		for (e = j; e < b && !token_is(f, e, ","); e++)
			if (token_is(f, e, "(") || token_is(f, e, "["))
				e = match(f, e);
		if (!uniform_assign(f, j, e, &t) || !t->uniform)
			return 0;
		j = e + 1;
	}
	return 1;
}

/*
 * Whether barrier-free statement s runs the same in every thread, so that
 * it can run once per group between the thread loops: its conditions and
 * loop headers are uniform, and every statement in it is an assignment of
 * a uniform value to a uniform variable (`for (i = 2; i <= n; i *= 2) if
 * (m >= i) d = i;`). Declarations, calls that are not pure, memory writes
 * and jumps other than break / continue of its own loops are out.
 */
static int uniform_statement(struct fission *f, const struct statement *s, int in_loop)
{
	struct variable *t;
	int i, loop = s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO;

	switch (s->kind) {
	case ST_EMPTY:
		return 1;
	case ST_BREAK:
	case ST_CONTINUE:
		return in_loop && s->b == s->a + 2;
	case ST_SIMPLE:
		return uniform_assign(f, s->a, s->b - 1, &t) && t->uniform;
	case ST_BLOCK:
		break;
	case ST_IF:
	case ST_WHILE:
	case ST_DO:
		if (!expression_ok(f, s->po + 1, s->pc, X_UNI))
			return 0;
		break;
	case ST_FOR:
		if ((s->po + 1 < s->s1 && !uniform_increments(f, s->po + 1, s->s1)) ||
		    !expression_ok(f, s->s1 + 1, s->s2, X_UNI) ||
		    (s->s2 + 1 < s->pc && !uniform_increments(f, s->s2 + 1, s->pc)))
			return 0;
		break;
	default:
		return 0;
	}
	for (i = 0; i < s->nkid; i++)
		if (!uniform_statement(f, &s->kid[i], in_loop || loop))
			return 0;
	return 1;
}

/*
 * The innermost predicated if whose branches hold token i (its number +
 * 1), or 0; *in_else: i is in its else branch.
 */
static int predicate_of(const struct fission *f, size_t i, int *in_else)
{
	int p, best = 0;

	for (p = 0; p < f->npreds; p++) {
		const struct statement *s = f->preds[p];

		if (i <= s->pc || i >= s->b)
			continue;
		if (!best || s->a > f->preds[best - 1]->a) {
			best = p + 1;
			if (in_else)
				*in_else = s->nkid > 1 && i >= s->kid[1].a;
		}
	}
	return best;
}

/* Whether statement s of a barrier list lies inside a barrier loop. */
static int in_barrier_loop(const struct fission *f, const struct statement *s)
{
	int l, i;

	for (l = 0; l < f->nlists; l++)
		for (i = 0; i < f->lists[l].n; i++) {
			const struct statement *c = f->lists[l].s[i];

			if (c->bar && (c->kind == ST_FOR || c->kind == ST_WHILE || c->kind == ST_DO) &&
			    c->a <= s->a && s->b <= c->b && c != s)
				return 1;
		}
	return 0;
}

/*
 * Whether the write at token w of v, in barrier-free statement s of a
 * barrier list that runs per thread, may leave v uniform: the region that
 * holds s then works on a per-thread copy of v, made from the group's
 * value at the start of each thread's iteration (region_open). That is
 * what CUDA's per-thread variable holds there, as long as no later code
 * reads the value the threads left behind: v is not named after s in its
 * scope, s is in no barrier loop (whose next round would read it), and
 * the write is a plain assignment or ++ / -- of v declared before s (no
 * address taken, no reference passed on, no array).
 */
static int write_is_private(struct fission *f, const struct variable *v, const struct statement *s,
			    size_t w)
{
	size_t i, end = v->param ? f->end : v->scope_end;

	if (s->bar || v->dims || v->odd || (!v->param && v->name >= s->a))
		return 0;
	if (!(increment_at(f, w + 1) || assign_at(f, w + 1) || (w >= 2 && increment_at(f, w - 2))))
		return 0;
	if (w > f->base && (token_is(f, w - 1, "&") || token_is(f, w - 1, "*")))
		return 0;
	for (i = s->b; i < end; i++)
		if (token_names(f, i, v) && is_var_use(f, i))
			return 0;
	return !in_barrier_loop(f, s);
}

/* Whether the write at token w of v is allowed for a uniform v: in a
 * separator assignment statement or a uniform statement, in a barrier
 * loop's increment, or one a region can make on a copy of its own. */
static int write_is_uniform(struct fission *f, const struct variable *v, size_t w)
{
	int l, i;

	/* under a predicate only a barrier loop's own variable stays uniform:
	 * the loop's header runs once per group */
	if (predicate_of(f, w, NULL) && !(v->forinit && v->forst->po < w && w < v->forst->pc))
		return 0;

	for (l = 0; l < f->nlists; l++)
		for (i = 0; i < f->lists[l].n; i++) {
			struct statement *s = f->lists[l].s[i];
			struct variable *t = NULL;

			if (s->kind == ST_FOR && s->bar && w > s->s2 && w < s->pc)
				return uniform_increments(f, s->s2 + 1, s->pc);
			if (s->kind == ST_FOR && s->bar && w > s->po && w < s->s1) {
				/* `for (i = 0; ...)` on a variable declared before */
				return uniform_assign(f, s->po + 1, s->s1, &t) && t == v;
			}
			if (s->kind == ST_SIMPLE && w >= s->a && w < s->b &&
			    uniform_assign(f, s->a, s->b - 1, &t) && t == v && t->uniform)
				return 1;
			if (!s->bar && s->kind != ST_SIMPLE && w >= s->a && w < s->b &&
			    uniform_statement(f, s, 0))
				return 1;
			if (w >= s->a && w < s->b && !s->bar)
				return write_is_private(f, v, s, w);
		}
	return 0;
}

static void classify_uniform(struct fission *f)
{
	int n, i, changed = 1;

	for (n = 0; n < f->nv; n++) {
		find_writes(f, &f->v[n]);
		f->v[n].uniform = !f->v[n].odd &&
				  !(f->v[n].stmt && predicate_of(f, f->v[n].stmt->a, NULL)) &&
				  !vary(f, f->v[n].param ? f->v[n].ptok : f->v[n].name,
					MCC_VARY_DECL | MCC_VARY_HIDDEN);
	}
	while (changed) {
		changed = 0;
		for (n = 0; n < f->nv; n++) {
			struct variable *v = &f->v[n];
			int ok = 1;

			if (!v->uniform)
				continue;
			if (!v->param && v->eq && !expression_ok(f, v->i0, v->i1, X_UNI))
				ok = 0;
			for (i = 0; ok && i < v->nw; i++)
				ok = write_is_uniform(f, v, v->w[i]);
			/* A declaration runs once per group only if all its
			 * variables are uniform; a uniform one next to
			 * per-thread ones is declared again before the region
			 * (hoisted), so its value must not depend on memory. */
			for (i = 0; ok && i < f->nv; i++)
				if (i != n && v->stmt && f->v[i].stmt == v->stmt && !f->v[i].uniform)
					ok = !v->dims && !v->brace &&
					     (!v->eq ||
					      expression_ok(f, v->i0, v->i1, X_UNI | X_NOMEM));
			if (!ok) {
				v->uniform = 0;
				changed = 1;
			}
		}
	}
	for (n = 0; n < f->nv; n++)
		f->v[n].cls = f->v[n].uniform ? V_UNIFORM : V_LOCAL;
}

/* `if (uniform) break;` (continue, return): every thread jumps, so the
 * statement runs once, between the thread loops. */
static int is_jump(const struct statement *s)
{
	if (s->kind == ST_BLOCK)
		return s->nkid == 1 && is_jump(&s->kid[0]);
	return s->kind == ST_BREAK || s->kind == ST_CONTINUE ||
	       (s->kind == ST_RETURN && s->b == s->a + 2);
}

static int uniform_jump(struct fission *f, const struct statement *s)
{
	if (s->kind != ST_IF || !is_jump(&s->kid[0]) || (s->nkid > 1 && !is_jump(&s->kid[1])))
		return 0;
	return expression_ok(f, s->po + 1, s->pc, X_UNI);
}

/* Separators of the barrier lists, then the regions between them. */
static void mark_separators(struct fission *f)
{
	int l, i, n;

	for (l = 0; l < f->nlists; l++)
		for (i = 0; i < f->lists[l].n; i++) {
			struct statement *s = f->lists[l].s[i];
			struct variable *t;

			if (s->kind == ST_BARRIER) {
				s->sep = SEP_BARRIER;
			} else if (s->wsite) {
				continue;             /* runs per thread, after its deposits */
			} else if (s->pred) {
				s->sep = SEP_PRED;
			} else if (s->bar) {
				s->sep = SEP_CTRL;
			} else if (s->sep == SEP_KEEP || f->lists[l].pred) {
				continue;     /* under a predicate: no work once per group */
			} else if (is_jump(s) || uniform_jump(f, s)) {
				s->sep = SEP_KEEP;
			} else if (s->kind != ST_SIMPLE && uniform_statement(f, s, 0)) {
				s->sep = SEP_KEEP;    /* once per group: uniform work only */
			} else if (s->kind == ST_SIMPLE) {
				int any = 0, all = 1;

				for (n = 0; n < f->nv; n++)
					if (f->v[n].stmt == s) {
						any = 1;
						all &= f->v[n].uniform;
					}
				if (any && all)
					s->sep = SEP_KEEP;
				for (n = 0; !(any && all) && n < f->nv; n++)
					if (f->v[n].stmt == s && f->v[n].uniform)
						f->v[n].hoist = 1;
				else if (!any && uniform_assign(f, s->a, s->b - 1, &t) && t->uniform)
					s->sep = SEP_KEEP;
			}
		}
}

static void check_control(struct fission *f, struct statement *s)
{
	struct variable *v;
	int n;

	switch (s->kind) {
	case ST_IF:
	case ST_WHILE:
	case ST_DO:
		if (!expression_ok(f, s->po + 1, s->pc, X_UNI))
			fail(f, "a barrier under a condition that may differ between threads");
		break;
	case ST_FOR:
		for (n = 0; n < f->nv; n++) {
			v = &f->v[n];
			if (v->forst == s && !v->uniform)
				fail(f, "a barrier loop whose variable may differ between threads");
		}
		if (s->po + 1 < s->s1) {
			int decl = 0;

			for (n = 0; n < f->nv; n++)
				decl |= f->v[n].forst == s;
			if (!decl && !uniform_increments(f, s->po + 1, s->s1))
				fail(f, "a barrier loop with a per-thread initialization");
		}
		if (!expression_ok(f, s->s1 + 1, s->s2, X_UNI))
			fail(f, "a barrier loop whose condition may differ between threads");
		if (s->s2 + 1 < s->pc && !uniform_increments(f, s->s2 + 1, s->pc))
			fail(f, "a barrier loop with a per-thread increment");
		break;
	default:
		break;
	}
}

static void add_region(struct fission *f, struct statement **s, int n, int wrap)
{
	struct region *r;
	int i;

	f->r = mcc_xrealloc(f->r, (size_t)(f->nr + 1) * sizeof(*f->r));
	r = &f->r[f->nr];
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->n = n;
	r->wrap = wrap;
	for (i = 0; i < n; i++)
		s[i]->region = f->nr;
	f->nr++;
}

static void make_regions(struct fission *f)
{
	int l, i, j;

	for (l = 0; l < f->nlists; l++) {
		for (i = 0; i < f->lists[l].n; i = j) {
			struct statement *s = f->lists[l].s[i];

			if (s->sep) {
				j = i + 1;
				if (s->sep == SEP_CTRL)
					check_control(f, s);
				continue;
			}
			/* a warp call's statement starts a region */
			for (j = i; j < f->lists[l].n && !f->lists[l].s[j]->sep &&
				    (j == i || !f->lists[l].s[j]->wsite); j++)
				;
			if (j == i + 1 && s->kind == ST_EMPTY)
				continue;
			add_region(f, &f->lists[l].s[i], j - i, f->lists[l].single);
			if (f->lists[l].top) {
				int k, later = 0;

				for (k = j; k < f->lists[l].n; k++)
					later |= f->lists[l].s[k]->sep != SEP_KEEP;
				f->r[f->nr - 1].last_top = !later;
			}
		}
	}
}

/* Checks the statements of a region: no barrier operation left, no jump
 * out of the region except a return from the kernel's last region. */
static void check_region_statement(struct fission *f, struct region *r, struct statement *s,
				   int in_loop, int in_switch)
{
	int i;

	switch (s->kind) {
	case ST_BREAK:
		if (!in_loop && !in_switch)
			fail(f, "break out of a barrier loop");
		return;
	case ST_CONTINUE:
		if (!in_loop)
			fail(f, "continue in a barrier loop");
		return;
	case ST_RETURN:
		/* a thread that returns before a barrier has left the group:
		 * later regions skip it, as a GPU's barrier stops counting it */
		if (!r->last_top)
			f->early_ret = 1;
		if (!token_is(f, s->a + 1, ";"))
			fail(f, "return with a value");
		r->has_ret = 1;
		return;
	case ST_GOTO:
	case ST_LABEL:
		if (s->kind == ST_GOTO || !in_switch ||
		    !(token_is(f, s->a, "case") || token_is(f, s->a, "default"))) {
			fail(f, "goto or a label");
			return;
		}
		break;
	case ST_SIMPLE: {
		size_t j;

		for (j = s->a; j < s->b; j++)
			if (token_is(f, j, "return") || token_is(f, j, "goto")) {
				fail(f, "return or goto inside an expression");
				return;
			}
		return;
	}
	default:
		break;
	}
	{
		int loop = s->kind == ST_FOR || s->kind == ST_RFOR || s->kind == ST_WHILE ||
			   s->kind == ST_DO;

		for (i = 0; i < s->nkid; i++)
			check_region_statement(f, r, &s->kid[i], in_loop || loop,
					  s->kind == ST_SWITCH ? 1 : loop ? 0 : in_switch);
	}
}

int mcc_range_mentions_barrier(const struct mcc_unit *u, size_t a, size_t b);

/*
 * Whether a warp call's statement may run its call twice, once in the
 * deposit loop and once in its own: the call's arguments have no side
 * effects, and nothing in the statement runs before the call that could
 * change them or skip the call (one assignment at most, into which the
 * call's value goes; no ++, --, ?:, &&, || or impure calls around it).
 */
static int warp_statement_ok(struct fission *f, const struct statement *s)
{
	size_t j, a = s->a, b = s->b;
	int assigns = 0;

	if (!expression_ok(f, s->wcp + 1, s->wc1, 0))
		return 0;
	if (s->kind == ST_IF) {
		a = s->po;        /* the condition: the branches run after the call */
		b = s->pc + 1;
	}
	for (j = a; j + 1 < b; j++) {
		if (j >= s->wc0 && j <= s->wc1)
			continue;
		if (token_is(f, j, "?") || increment_at(f, j) ||
		    (token_is(f, j, "&") && tokens_touch(f, j) && token_is(f, j + 1, "&")) ||
		    (token_is(f, j, "|") && tokens_touch(f, j) && token_is(f, j + 1, "|")))
			return 0;
		if (assign_at(f, j)) {
			if (assigns++)
				return 0;
			while (!token_is(f, j, "="))
				j++;    /* +=, <<=: one operator */
		}
		if (token_ident(f, j) && token_is(f, j + 1, "(") && !mcc_name_pure(f->u, j) &&
		    !handle_member(f, j))
			return 0;
	}
	return 1;
}

static void check_regions(struct fission *f)
{
	const struct mcc_unit *u = f->u;
	int r, i, n;

	for (r = 0; r < f->nr && !f->fail; r++) {
		struct region *g = &f->r[r];

		for (i = 0; i < g->n && !f->fail; i++) {
			struct statement *s = g->s[i];
			size_t j;

			if (s->wsite && !warp_statement_ok(f, s))
				fail(f, "a warp call with side effects in its arguments, or around it in "
					"its statement");
			if (s->wsite ? mcc_range_mentions_barrier(u, s->a, s->wc0) ||
				       mcc_range_mentions_barrier(u, s->wcp, s->b)
				     : mcc_range_mentions_barrier(u, s->a, s->b))
					fail(f, "a barrier or warp operation that is not a __syncthreads(); statement");
			for (j = s->a; j < s->b && !f->fail; j++)
				for (n = 0; n < u->nfuncs; n++)
					if (u->funcs[n].barrier && token_is(f, j, u->funcs[n].name) &&
					    (token_is(f, j + 1, "(") || token_is(f, j + 1, "<")))
						fail(f, "a call of a function that uses barriers");
			check_region_statement(f, g, s, 0, 0);
		}
	}
}

/* A uniform variable written in a region must be written on the
 * region's copy (write_is_private): a write in a statement that stays
 * once per group for another reason (a static declaration) is refused. */
static void check_private_writes(struct fission *f)
{
	int n, i, l, j;

	for (n = 0; n < f->nv && !f->fail; n++) {
		const struct variable *v = &f->v[n];

		if (!v->uniform)
			continue;
		for (i = 0; i < v->nw; i++)
			for (l = 0; l < f->nlists; l++)
				for (j = 0; j < f->lists[l].n; j++) {
					const struct statement *s = f->lists[l].s[j];
					struct variable *t;

					if (s->bar || s->sep != SEP_KEEP || v->w[i] < s->a || v->w[i] >= s->b)
						continue;
					if (s->kind == ST_SIMPLE ? !(uniform_assign(f, s->a, s->b - 1, &t) &&
								     t == v)
								 : !uniform_statement(f, s, 0))
						fail(f, "a uniform variable written in a declaration");
				}
	}
}

/* Whether uniform v is written in region r: the region works on a copy. */
static int written_in_region(const struct fission *f, const struct variable *v, int r)
{
	int i, n;

	for (i = 0; i < v->nw; i++)
		for (n = 0; n < f->r[r].n; n++)
			if (v->w[i] >= f->r[r].s[n]->a && v->w[i] < f->r[r].s[n]->b)
				return 1;
	return 0;
}

/* The region whose statements hold token i, or -1. */
static int region_of(const struct fission *f, size_t i)
{
	int r, n;

	for (r = 0; r < f->nr; r++)
		for (n = 0; n < f->r[r].n; n++)
			if (i >= f->r[r].s[n]->a && i < f->r[r].s[n]->b)
				return r;
	return -1;
}

/* Classes of the per-thread variables declared in regions. */
static void classify_carried(struct fission *f)
{
	int n, m;

	for (n = 0; n < f->nv && !f->fail; n++) {
		struct variable *v = &f->v[n];
		size_t i, rend;
		int live = 0;

		if (v->uniform || v->param)
			continue;
		if (v->forinit) {
			fail(f, "a barrier loop variable that may differ between threads");
			return;
		}
		rend = v->stmt->b;
		for (i = rend; i < v->scope_end; i++)
			if (token_names(f, i, v) && is_var_use(f, i) &&
			    region_of(f, i) != v->stmt->region) {
				live = 1;
				break;
			}
		if (!live) {
			v->cls = V_LOCAL;
			continue;
		}
		if (v->eq && !v->odd && !v->brace && !v->dims && v->stable &&
		    expression_ok(f, v->i0, v->i1, X_NOMEM | X_STABLE)) {
			v->cls = V_REMAT;
			continue;
		}
		if (v->odd || v->is_auto || (v->dims && v->eq && !v->brace)) {
			fail(f, "a per-thread variable mcc cannot keep between barriers");
			return;
		}
		v->cls = V_EXPAND;
	}
	/* carried names are bound again at each region: they must be unique */
	for (n = 0; n < f->nv; n++) {
		if (f->v[n].cls != V_REMAT && f->v[n].cls != V_EXPAND)
			continue;
		for (m = 0; m < f->nv; m++)
			if (m != n && !f->v[m].param && token_names(f, f->v[m].name, &f->v[n]))
				fail(f, "a carried variable's name is declared twice");
			else if (m != n && f->v[m].param && token_names(f, f->v[n].name, &f->v[m]))
				fail(f, "a carried variable shadows a parameter");
	}
}

static size_t token_end(const struct mcc_unit *u, size_t t)
{
	return u->toks[t].off + u->toks[t].len;
}

/* Tokens [a, e), with one space where the source had space or comments. */
static void put_tokens(const struct fission *f, struct mcc_buf *b, size_t a, size_t e)
{
	const struct mcc_unit *u = f->u;
	size_t i;

	for (i = a; i < e; i++) {
		if (i > a && !tokens_touch(f, i - 1))
			mcc_buf_puts(b, " ");
		mcc_buf_put(b, u->src + u->toks[i].off, u->toks[i].len);
	}
}

/* Whether carried variable v is bound in a region starting at token a:
 * declared in an earlier region whose scope holds a. */
static int visible_at(const struct variable *v, size_t a)
{
	return v->stmt && a >= v->stmt->b && a < v->scope_end;
}

/*
 * The three loops over the group's threads, opened for code at token a.
 * Under a predicated if they are one loop over the list of the threads
 * whose condition holds (or, in its else branch, does not): the list was
 * made under the enclosing predicates, so it names no other thread.
 */
static void loop_open(const struct fission *f, size_t a, struct mcc_buf *b)
{
	int in_else = 0, p = predicate_of(f, a, &in_else);

	if (p) {
		mcc_buf_printf(b, "for (unsigned int __musa_k = 0; __musa_k < __musa_qn%d[%d]; __musa_k++) { "
			       "const unsigned int __musa_t = __musa_ql%d[%d][__musa_k]; uint3 threadIdx; "
			       "threadIdx.x = __musa_t %% blockDim.x; "
			       "threadIdx.y = __musa_t / blockDim.x %% blockDim.y; "
			       "threadIdx.z = __musa_t / (blockDim.x * blockDim.y); "
			       "(void)threadIdx; (void)__musa_t; ", p - 1, in_else, p - 1, in_else);
	} else {
		mcc_buf_puts(b, "for (unsigned int __musa_iz = 0; __musa_iz < blockDim.z; __musa_iz++) "
			     "for (unsigned int __musa_iy = 0; __musa_iy < blockDim.y; __musa_iy++) "
			     "for (int __musa_ix = 0; __musa_ix < (int)blockDim.x; __musa_ix++) { "
			     "const unsigned int __musa_t = (__musa_iz * blockDim.y + __musa_iy) * "
			     "blockDim.x + (unsigned int)__musa_ix; "
			     "uint3 threadIdx; threadIdx.x = (unsigned int)__musa_ix; "
			     "threadIdx.y = __musa_iy; threadIdx.z = __musa_iz; (void)threadIdx; "
			     "(void)__musa_t; ");
	}
	if (f->early_ret)
		mcc_buf_puts(b, "if (__musa_done[__musa_t]) continue; ");
	if (f->k->tls_idx)
		mcc_buf_puts(b, "::threadIdx = threadIdx; ");
}

/* Each thread's carried variables, bound by name for code at token a. */
static void bind_carried(const struct fission *f, size_t a, struct mcc_buf *b)
{
	int n;

	for (n = 0; n < f->nv; n++) {
		const struct variable *v = &f->v[n];

		if (v->param && v->cls == V_EXPAND) {
			mcc_buf_printf(b, "auto &%s = __musa_v%d[__musa_t]; (void)%s; ", v->pname, v->arr,
				       v->pname);
			continue;
		}
		if (!visible_at(v, a))
			continue;
		if (v->cls == V_EXPAND) {
			mcc_buf_puts(b, "auto &");
			put_tokens(f, b, v->name, v->name + 1);
			mcc_buf_printf(b, " = __musa_v%d[__musa_t]; ", v->arr);
		} else if (v->cls == V_REMAT) {
			put_tokens(f, b, v->spec0, v->spec1);
			mcc_buf_puts(b, " ");
			put_tokens(f, b, v->d0, v->name + 1);
			mcc_buf_puts(b, " = (");
			put_tokens(f, b, v->i0, v->i1);
			mcc_buf_puts(b, "); ");
		} else {
			continue;
		}
		mcc_buf_puts(b, "(void)");
		put_tokens(f, b, v->name, v->name + 1);
		mcc_buf_puts(b, "; ");
	}
}

/*
 * A shuffle or vote site's own callable (musa_device_pass.h), declared
 * under the name the call resolves to (the legacy forms are macros for
 * the _sync ones), so the statement's call runs inline. Other warp calls
 * (match, reduce) go through the device runtime, which finds the site.
 */
static const struct {
	const char *word, *name, *type, *op;
} site_calls[] = {
	{ "__shfl_sync", "__shfl_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_IDX" },
	{ "__shfl", "__shfl_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_IDX" },
	{ "__shfl_up_sync", "__shfl_up_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_UP" },
	{ "__shfl_up", "__shfl_up_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_UP" },
	{ "__shfl_down_sync", "__shfl_down_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_DOWN" },
	{ "__shfl_down", "__shfl_down_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_DOWN" },
	{ "__shfl_xor_sync", "__shfl_xor_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_XOR" },
	{ "__shfl_xor", "__shfl_xor_sync", "__musa_wshfl", "__MUSA_WOP_SHFL_XOR" },
	{ "__ballot_sync", "__ballot_sync", "__musa_wvote", "__MUSA_WOP_BALLOT" },
	{ "__ballot", "__ballot_sync", "__musa_wvote", "__MUSA_WOP_BALLOT" },
	{ "__any_sync", "__any_sync", "__musa_wvote", "__MUSA_WOP_ANY" },
	{ "__any", "__any_sync", "__musa_wvote", "__MUSA_WOP_ANY" },
	{ "__all_sync", "__all_sync", "__musa_wvote", "__MUSA_WOP_ALL" },
	{ "__all", "__all_sync", "__musa_wvote", "__MUSA_WOP_ALL" },
};

/* The thread's view of warp call statement s's site; put: deposit mode. */
static void put_site(const struct fission *f, const struct statement *s, int put, struct mcc_buf *b)
{
	size_t i;

	mcc_buf_printf(b, "__musa_ws%d.t = __musa_t; ", s->wsite - 1);
	if (s->replay)
		mcc_buf_printf(b, "__musa_ws%d.c = 0; ", s->wsite - 1);
	if (s->replay || (s->wc0 > 0 && token_is(f, s->wc0 - 1, "::")))
		return;
	for (i = 0; i < sizeof(site_calls) / sizeof(site_calls[0]); i++)
		if (token_is(f, s->wc0, site_calls[i].word)) {
			mcc_buf_printf(b, "const %s<%s> %s(&__musa_ws%d, __musa_t, %d); (void)%s; ",
				       site_calls[i].type, site_calls[i].op, site_calls[i].name,
				       s->wsite - 1, put, site_calls[i].name);
			return;
		}
}

/* The deposit loop of warp call statement s: every thread runs the call
 * once, in deposit mode, before any runs the statement. */
static void put_deposits(const struct fission *f, const struct statement *s, struct mcc_buf *b)
{
	mcc_buf_printf(b, "__musa_wsite_put(&__musa_ws%d); ", s->wsite - 1);
	if (s->replay)
		mcc_buf_puts(b, "do { ");
	loop_open(f, s->a, b);
	bind_carried(f, s->a, b);
	put_site(f, s, 1, b);
	mcc_buf_puts(b, "(void)(");
	put_tokens(f, b, s->wc0, s->wc1 + 1);
	mcc_buf_puts(b, "); } ");
	if (s->replay)
		mcc_buf_printf(b, "} while (__musa_wsite_next(&__musa_ws%d)); ", s->wsite - 1);
	mcc_buf_printf(b, "__musa_wsite_get(&__musa_ws%d); ", s->wsite - 1);
}

static void region_open(struct fission *f, int r, struct mcc_buf *b, int *narr)
{
	const struct region *g = &f->r[r];
	size_t a = g->s[0]->a;
	int n;

	/* the body of an if or a loop: one statement (its declarations
	 * cannot outlive it anyway) */
	if (g->wrap)
		mcc_buf_puts(b, "{ ");
	for (n = 0; n < f->nv; n++) {
		struct variable *v = &f->v[n];

		if (!v->hoist || v->stmt->region != r)
			continue;
		put_tokens(f, b, v->spec0, v->spec1);
		mcc_buf_puts(b, " ");
		put_tokens(f, b, v->d0, v->d1);
		mcc_buf_puts(b, "; ");
	}
	for (n = 0; n < f->nv; n++) {
		struct variable *v = &f->v[n];

		if (v->cls != V_EXPAND || v->param || v->stmt->region != r)
			continue;
		v->arr = (*narr)++;
		mcc_buf_puts(b, "typename __musa_uc<");
		put_tokens(f, b, v->spec0, v->spec1);
		mcc_buf_puts(b, " ");
		if (v->name > v->d0)
			put_tokens(f, b, v->d0, v->name);
		mcc_buf_printf(b, ">::type __musa_v%d[%d]", v->arr, FISSION_MAX_THREADS);
		if (v->dims)
			put_tokens(f, b, v->name + 1, v->eq ? v->eq : v->d1);
		mcc_buf_puts(b, " __attribute__((aligned(64))); ");
	}
	if (g->s[0]->wsite)
		put_deposits(f, g->s[0], b);
	loop_open(f, a, b);
	/* uniform variables this region writes per thread: a copy per thread
	 * (write_is_private), shadowing the group's */
	for (n = 0; n < f->nv; n++) {
		const struct variable *v = &f->v[n];
		struct mcc_buf nm = {0};

		if (!v->uniform || !written_in_region(f, v, r))
			continue;
		if (v->param)
			mcc_buf_puts(&nm, v->pname);
		else
			put_tokens(f, &nm, v->name, v->name + 1);
		mcc_buf_printf(b, "__typeof__(%s) __musa_p%d = %s; __typeof__(__musa_p%d) %s = __musa_p%d; "
			       "(void)%s; ", nm.s, n, nm.s, n, nm.s, n, nm.s);
		mcc_buf_free(&nm);
	}
	bind_carried(f, a, b);
	if (g->s[0]->wsite)
		put_site(f, g->s[0], 0, b);
	mcc_buf_puts(b, "{");
}

/* A predicated if: a loop lists the threads whose condition holds and
 * those whose condition does not; the branches follow as statements
 * whose loops walk those lists (loop_open). */
static void predicate_edits(struct fission *f, const struct statement *s, struct mcc_edits *ed)
{
	const struct mcc_unit *u = f->u;
	struct mcc_buf b = {0};

	mcc_buf_printf(&b, "{ __musa_qn%d[0] = __musa_qn%d[1] = 0; ", s->pred - 1, s->pred - 1);
	loop_open(f, s->a, &b);
	bind_carried(f, s->a, &b);
	mcc_buf_puts(&b, "{ const int __musa_c = (");
	put_tokens(f, &b, s->po + 1, s->pc);
	mcc_buf_printf(&b, ") ? 0 : 1; __musa_ql%d[__musa_c][__musa_qn%d[__musa_c]++] = "
		       "(unsigned short)__musa_t; } } ", s->pred - 1, s->pred - 1);
	mcc_edit_add(ed, u->toks[s->a].off, token_end(u, s->pc) - u->toks[s->a].off, b.s);
	mcc_buf_free(&b);
	if (s->nkid > 1)
		mcc_edit_add(ed, u->toks[s->kid[0].b].off, u->toks[s->kid[0].b].len, "");
	mcc_edit_add(ed, token_end(u, s->b - 1), 0, " }");
}

/* A declaration statement with an expanded variable, rewritten. */
static void declaration_rewrite(struct fission *f, const struct statement *s, struct mcc_edits *ed)
{
	struct mcc_buf b = {0};
	int n, any = 0;

	for (n = 0; n < f->nv; n++)
		any |= f->v[n].stmt == s && f->v[n].cls == V_EXPAND;
	if (!any)
		return;
	for (n = 0; n < f->nv; n++) {
		const struct variable *v = &f->v[n];

		if (v->stmt != s)
			continue;
		if (v->cls == V_EXPAND) {
			mcc_buf_puts(&b, "auto &");
			put_tokens(f, &b, v->name, v->name + 1);
			mcc_buf_printf(&b, " = __musa_v%d[__musa_t]; ", v->arr);
			if (v->eq && v->dims) {
				/* an array's initializer list: built whole, then copied */
				mcc_buf_puts(&b, "{ ");
				put_tokens(f, &b, v->spec0, v->spec1);
				mcc_buf_puts(&b, " __musa_init");
				put_tokens(f, &b, v->name + 1, v->d1);
				mcc_buf_puts(&b, "; __builtin_memcpy(&");
				put_tokens(f, &b, v->name, v->name + 1);
				mcc_buf_puts(&b, ", &__musa_init, sizeof(__musa_init)); } ");
			} else if (v->eq) {
				put_tokens(f, &b, v->name, v->name + 1);
				mcc_buf_puts(&b, v->brace ? " = " : " = (");
				put_tokens(f, &b, v->i0, v->i1);
				mcc_buf_puts(&b, v->brace ? "; " : "); ");
			}
		} else {
			put_tokens(f, &b, v->spec0, v->spec1);
			mcc_buf_puts(&b, " ");
			put_tokens(f, &b, v->d0, v->d1);
			mcc_buf_puts(&b, "; ");
		}
	}
	mcc_edit_add(ed, f->u->toks[s->a].off, token_end(f->u, s->b - 1) - f->u->toks[s->a].off,
		     b.s);
	mcc_buf_free(&b);
}

static void returns_to_goto(struct fission *f, const struct statement *s, int r,
			    struct mcc_edits *ed)
{
	int i;

	if (s->kind == ST_RETURN) {
		char lab[96];

		if (f->early_ret)
			snprintf(lab, sizeof(lab), "do { __musa_done[__musa_t] = 1; goto __musa_r%d; } while (0)", r);
		else
			snprintf(lab, sizeof(lab), "goto __musa_r%d", r);
		mcc_edit_add(ed, f->u->toks[s->a].off, f->u->toks[s->a].len, lab);
		return;
	}
	for (i = 0; i < s->nkid; i++)
		returns_to_goto(f, &s->kid[i], r, ed);
}

/* What the kernel declares once before its regions: the early-return
 * flags, the warp call sites and their log, the predicates' thread lists
 * and the arrays of the per-thread parameters (numbered from *narr). */
static void declare_kernel_state(struct fission *f, struct mcc_edits *ed, int *narr)
{
	const struct mcc_unit *u = f->u;
	int i;

	if (f->early_ret) {
		char done[96];

		snprintf(done, sizeof(done), " unsigned char __musa_done[%d] = {0}; ",
			 FISSION_MAX_THREADS);
		mcc_edit_add(ed, token_end(u, f->base), 0, done);
	}
	/* warp call sites and predicates */
	for (i = 0; i < f->nsites; i++)
		if (f->replay[i]) {
			/* one log for the kernel's replayed sites: one runs at a time */
			mcc_edit_add(ed, token_end(u, f->base), 0,
				     " unsigned long long __musa_wlog[__MUSA_WLOG_MAX][__MUSA_WSITE_MAX];");
			break;
		}
	for (i = 0; i < f->nsites; i++) {
		char site[240];

		snprintf(site, sizeof(site), " struct __musa_wsite __musa_ws%d; "
			 "__musa_wsite_init(&__musa_ws%d, warpSize); ", i, i);
		mcc_edit_add(ed, token_end(u, f->base), 0, site);
		if (!f->replay[i])
			continue;
		snprintf(site, sizeof(site), " __musa_wsite_replay(&__musa_ws%d, __musa_wlog);", i);
		mcc_edit_add(ed, token_end(u, f->base), 0, site);
	}
	for (i = 0; i < f->npreds; i++) {
		char q[160];

		snprintf(q, sizeof(q), " unsigned short __musa_ql%d[2][%d]; unsigned int __musa_qn%d[2]; ",
			 i, FISSION_MAX_THREADS, i);
		mcc_edit_add(ed, token_end(u, f->base), 0, q);
	}
	/* per-thread parameters: one copy per thread, before anything runs */
	for (i = 0; i < f->nv; i++) {
		struct variable *v = &f->v[i];
		struct mcc_buf b = {0};

		if (!v->param || v->cls != V_EXPAND)
			continue;
		v->arr = (*narr)++;
		mcc_buf_printf(&b, " __typeof__(%s) __musa_v%d[%d] __attribute__((aligned(64))); "
			       "for (unsigned int __musa_t = 0; __musa_t < blockDim.x * blockDim.y * "
			       "blockDim.z; __musa_t++) __musa_v%d[__musa_t] = %s; ", v->pname, v->arr,
			       FISSION_MAX_THREADS, v->arr, v->pname);
		mcc_edit_add(ed, token_end(u, f->base), 0, b.s);
		mcc_buf_free(&b);
	}
}

/* The statements of region r rewritten (declarations, returns), and the
 * region's close after its last statement. */
static void region_close(struct fission *f, int r, struct mcc_edits *ed)
{
	const struct mcc_unit *u = f->u;
	const struct region *g = &f->r[r];
	struct mcc_buf b = {0};

	for (int i = 0; i < g->n; i++) {
		declaration_rewrite(f, g->s[i], ed);
		if (g->has_ret)
			returns_to_goto(f, g->s[i], r, ed);
		/* the region's own copy of a hoisted variable may go unused */
		for (int n = 0; n < f->nv; n++)
			if (f->v[n].hoist && f->v[n].stmt == g->s[i]) {
				mcc_buf_puts(&b, " (void)");
				put_tokens(f, &b, f->v[n].name, f->v[n].name + 1);
				mcc_buf_puts(&b, ";");
			}
		if (b.s) {
			mcc_edit_add(ed, token_end(u, g->s[i]->b - 1), 0, b.s);
			mcc_buf_free(&b);
		}
	}
	if (g->has_ret)
		mcc_buf_printf(&b, "} __musa_r%d: ; }", r);
	else
		mcc_buf_puts(&b, "}}");
	if (g->s[0]->wsite)
		mcc_buf_puts(&b, " __musa_wsite_end();");
	if (g->wrap)
		mcc_buf_puts(&b, "}");
	mcc_edit_add(ed, token_end(u, g->s[g->n - 1]->b - 1), 0, b.s);
	mcc_buf_free(&b);
}

static void gen_edits(struct fission *f, struct mcc_edits *ed)
{
	const struct mcc_unit *u = f->u;
	struct mcc_buf *opens;
	int l, i, r, narr = 0;

	declare_kernel_state(f, ed, &narr);
	for (l = 0; l < f->nlists; l++)
		for (i = 0; i < f->lists[l].n; i++)
			if (f->lists[l].s[i]->sep == SEP_BARRIER)
				mcc_edit_add(ed, u->toks[f->lists[l].s[i]->a].off,
					     token_end(u, f->lists[l].s[i]->b - 1) -
					     u->toks[f->lists[l].s[i]->a].off, "{}");
	/*
	 * Insertions at one offset apply in the order they are added: a
	 * region's close, then the close of a predicated if that ends with
	 * it, then the open of the region that starts there. The opens are
	 * made first, in order, since they number the carried arrays.
	 */
	opens = calloc((size_t)f->nr + 1, sizeof(*opens));
	for (r = 0; r < f->nr; r++)
		region_open(f, r, &opens[r], &narr);
	for (r = 0; r < f->nr; r++)
		region_close(f, r, ed);
	for (i = f->npreds - 1; i >= 0; i--)
		predicate_edits(f, f->preds[i], ed);
	for (r = 0; r < f->nr; r++) {
		mcc_edit_add(ed, token_end(u, f->r[r].s[0]->a - 1), 0, opens[r].s);
		mcc_buf_free(&opens[r]);
	}
	free(opens);
}

/* Preprocessor lines inside the body other than #pragma: a region
 * boundary could split an #if. */
static int body_has_directive(const struct mcc_unit *u, size_t a, size_t b)
{
	size_t i;

	for (i = a; i + 1 < b; i++) {
		const char *p = u->src + token_end(u, i), *e = u->src + u->toks[i + 1].off;
		int bol = 0;

		for (; p < e; p++) {
			if (*p == '\n') {
				bol = 1;
			} else if (*p == '#' && bol) {
				const char *q = p + 1;

				while (q < e && (*q == ' ' || *q == '\t'))
					q++;
				if (e - q < 6 || memcmp(q, "pragma", 6) != 0)
					return 1;
				bol = 0;
			} else if (*p != ' ' && *p != '\t' && *p != '\r') {
				bol = 0;
			}
		}
	}
	return 0;
}

static void fission_free(struct fission *f)
{
	int n;

	for (n = 0; n < f->nv; n++)
		free(f->v[n].w);
	free(f->v);
	free(f->r);
	free(f->mt);
	free(f->handles);
	free(f->hsize);
	free(f->replay);
	free(f->preds);
	free_statement(&f->root);
	for (n = 0; n < f->nlists; n++)
		free(f->lists[n].s);
	free(f->lists);
}

/* f->mt: the matching bracket of each bracket in the kernel's body; -1
 * when out of memory, else 0 (with f->fail set on unbalanced brackets). */
static int match_brackets(struct fission *f)
{
	size_t i, *stack;
	int sp = 0;

	f->mt = calloc(f->end - f->base + 1, sizeof(*f->mt));
	stack = calloc(f->end - f->base + 1, sizeof(*stack));
	if (!f->mt || !stack) {
		free(f->mt);
		free(stack);
		return -1;
	}
	for (i = f->base; i <= f->end; i++) {
		if (token_is(f, i, "(") || token_is(f, i, "[") || token_is(f, i, "{")) {
			stack[sp++] = i;
		} else if (token_is(f, i, ")") || token_is(f, i, "]") || token_is(f, i, "}")) {
			if (!sp) {
				fail(f, "unbalanced brackets");
				break;
			}
			sp--;
			f->mt[stack[sp] - f->base] = i;
			f->mt[i - f->base] = stack[sp];
		}
	}
	free(stack);
	if (sp)
		fail(f, "unbalanced brackets");
	return 0;
}

/* The kernel's named parameters, as variables. */
static void add_parameters(struct fission *f, const struct mcc_kernel *k)
{
	for (int n = 0; n < k->nparams && !f->fail; n++) {
		struct variable v;

		memset(&v, 0, sizeof(v));
		v.param = 1;
		v.pname = k->params[n].name;
		if (!v.pname || !v.pname[0])
			continue;
		for (size_t i = k->lparen + 1; i < k->rparen; i++)
			if (token_names(f, i, &v))
				v.ptok = i;
		f->v = mcc_xrealloc(f->v, (size_t)(f->nv + 1) * sizeof(*f->v));
		f->v[f->nv++] = v;
	}
}

/*
 * Runs the analysis of kernel k; with ed, also adds the edits. Returns 1
 * when the kernel can run with fission, 0 when it keeps its fibers.
 */
static int fission_unit(const struct mcc_unit *u, const struct mcc_kernel *k, struct mcc_edits *ed)
{
	struct fission f;
	int n, ok;

	memset(&f, 0, sizeof(f));
	f.u = u;
	f.k = k;
	f.base = k->body_open;
	f.end = k->body_close;
	if (u->is_c)
		return 0;
	if (body_has_directive(u, k->body_open, k->body_close + 1))
		return 0;
	if (match_brackets(&f) != 0)
		return 0;
	if (!f.fail)
		find_handles(&f);
	if (!f.fail)
		parse_statement(&f, f.base, f.end + 1, &f.root);
	if (!f.fail && !f.root.bar && calls_barrier_function(&f))
		fail(&f, "a call of a function that uses barriers");
	if (!f.fail && !f.root.bar)
		fail(&f, "no barrier or warp call that mcc splits at (__syncthreads_count, _and and "
			 "_or, __activemask, and the collectives of blocks, of dynamic or coalesced groups "
			 "and of tiles over 32 threads or of a size that is not a literal keep fibers)");
	if (!f.fail)
		collect_lists(&f, &f.root);
	if (!f.fail && f.nlists)
		f.lists[0].top = 1;
	/* the parameters first: lookup() finds locals before them */
	add_parameters(&f, k);
	if (!f.fail)
		collect_decls(&f);
	if (!f.fail) {
		classify_uniform(&f);
		/* a parameter written per thread: each thread's copy lives in an
		 * array, filled from the argument before the first region */
		for (n = 0; n < f.nv; n++)
			if (f.v[n].param && !f.v[n].uniform)
				f.v[n].cls = V_EXPAND;
	}
	if (!f.fail)
		mark_separators(&f);
	if (!f.fail)
		make_regions(&f);
	if (!f.fail)
		check_regions(&f);
	if (!f.fail)
		check_private_writes(&f);
	if (!f.fail)
		classify_carried(&f);
	ok = !f.fail;
	if (ok && ed)
		gen_edits(&f, ed);
	if (!ok && mcc_verbose) {
		const char *file;
		int line;

		mcc_src_pos(u, k->line, &file, &line);
		fprintf(stderr, "mcc: %s:%d: kernel %s runs as fibers: %s\n", file, line, k->name,
			f.why ? f.why : "?");
	}
	fission_free(&f);
	return ok;
}

static void say_fibers(const struct mcc_unit *u, const struct mcc_kernel *k, const char *why)
{
	const char *file;
	int line;

	if (!mcc_verbose)
		return;
	mcc_src_pos(u, k->line, &file, &line);
	fprintf(stderr, "mcc: %s:%d: kernel %s runs as fibers: %s\n", file, line, k->name, why);
}

/*
 * fission_unit() on k, or on k with the barrier functions it calls
 * inlined (inline.c) and the edits carried back. Plans (ed NULL) make the
 * edits too, to know that they can be carried back.
 */
static int fission(const struct mcc_unit *u, const struct mcc_kernel *k, struct mcc_edits *ed)
{
	struct mcc_inlined in;
	struct mcc_edits ied = {0}, scratch = {0};
	const char *why = NULL;
	int n, ok;

	if (u->is_c)
		return fission_unit(u, k, ed);
	n = mcc_inline_kernel(u, k, &in, &why);
	if (n == 0)
		return fission_unit(u, k, ed);
	if (n < 0) {
		say_fibers(u, k, why);
		return 0;
	}
	ok = fission_unit(&in.iu, &in.k, &ied);
	if (ok && mcc_inline_map_edits(u, &in, &ied, ed ? ed : &scratch, &why) != 0) {
		say_fibers(u, k, why);
		ok = 0;
	}
	mcc_edits_free(&ied);
	mcc_edits_free(&scratch);
	mcc_inline_free(&in);
	return ok;
}

int mcc_fission_plan(const struct mcc_unit *u, const struct mcc_kernel *k)
{
	if (!mcc_fission)
		return 0;
	return fission(u, k, NULL);
}

void mcc_fission_device_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	int n;

	for (n = 0; n < u->nkernels; n++)
		if (u->kernels[n].fission)
			fission(u, &u->kernels[n], ed);
}
