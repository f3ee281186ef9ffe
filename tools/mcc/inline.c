/* SPDX-License-Identifier: MIT */
/*
 * inline.c - calls of barrier functions inlined into a kernel, so that
 * fission sees the barriers of a `__device__` function its kernel calls
 * (Rodinia's nw fills its blocks in one, reductions end in a warp_sum()).
 *
 * A call statement `f(a, b);`, `x = f(a);`, `T x = f(a);`, `s += f(a);`
 * of a function the front end found inlinable (front.cpp: not a template,
 * one return at most and at its end, no statics, gotos or lambdas, a
 * trivial return type) becomes
 *
 *     R __musa_r3;
 *     { P1 __musa_i3_a = (a); P2 __musa_i3_b = (b); BODY }
 *     x = __musa_r3;
 *
 * where BODY is f's body with its parameters and variables renamed
 * (__musa_i3_<name>: two copies never share a name, and none hides a
 * name of the kernel's) and its final `return e;` turned into
 * `__musa_r3 = (e);`. A reference parameter bound to a variable of the
 * caller is replaced by that variable. Braces wrap the whole
 * when the statement is the body of an if, else or loop. Calls inside
 * the copied body are inlined the same way. The parameters are the
 * function's own declarations (front.cpp prints them around a name), so
 * reference parameters still bind to the caller's objects.
 *
 * The kernel's text with its calls inlined is lexed as a unit of its own,
 * fission runs on it, and its edits are carried back onto the original
 * text: each inlined statement is replaced by its copy with the fission
 * edits inside it applied. Newlines are padded so that lines stay where
 * they were.
 *
 * Refused (the kernel keeps its fibers, `mcc -v` says why): a call inside
 * a condition, a loop header, another call's arguments or a `?:`; a
 * statement around the call that has side effects the hoisted call could
 * overtake (++, --, impure calls, commas, assignments after the call); a
 * kernel variable that would hide a file-scope name the function uses;
 * default arguments, overloaded names, directives, recursion.
 * May call libc, buf.c, edit.c, lex.c, gen_loop.c (mcc_name_pure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

#define INLINE_MAX_DEPTH 8

struct inline_copy {            /* a copy's renamed parameters */
	const struct mcc_func *f;
	int id;                       /* __musa_i<id>_ */
	const struct inline_copy *up; /* the copy this one sits in */
	size_t subst[64];             /* a reference parameter bound to a variable
				       * of the caller: that name's token; 0: none */
};

struct inliner {
	const struct mcc_unit *u;
	const struct mcc_kernel *k;
	int n;                        /* copies made: the next id */
	const char *why;
	struct mcc_buf why_buf;
	size_t (*orig)[2];            /* a copied token's offset in the copies' text, its u token */
	size_t norig;
};

/* Notes that u's token i is copied at the end of out (the divergence marks
 * of the copy are the original's). */
static void note_origin(struct inliner *inliner, size_t i, const struct mcc_buf *out)
{
	if (!inliner->u->vary)
		return;
	inliner->orig = mcc_xrealloc(inliner->orig, (inliner->norig + 1) * sizeof(*inliner->orig));
	inliner->orig[inliner->norig][0] = out->len;
	inliner->orig[inliner->norig][1] = i;
	inliner->norig++;
}

static int token_is(const struct mcc_unit *u, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i < u->ntoks && u->toks[i].len == n && !memcmp(u->src + u->toks[i].off, w, n);
}

static int is_ident(const struct mcc_unit *u, size_t i)
{
	return i < u->ntoks && u->toks[i].kind == MCC_T_IDENT;
}

static int name_is(const struct mcc_unit *u, size_t i, const char *name)
{
	return is_ident(u, i) && token_is(u, i, name);
}

static void refuse(struct inliner *inliner, const char *why, const char *name)
{
	if (inliner->why)
		return;
	inliner->why_buf.len = 0;
	if (name)
		mcc_buf_printf(&inliner->why_buf, "a call of %s, which uses barriers, cannot be inlined: %s",
			       name, why);
	else
		mcc_buf_printf(&inliner->why_buf, "a call of a function that uses barriers cannot be inlined: %s",
			       why);
	inliner->why = inliner->why_buf.s;
}

/* Whether tokens i and i + 1 touch (the lexer splits `+=`, `++`). */
static int tokens_touch(const struct mcc_unit *u, size_t i)
{
	return i + 1 < u->ntoks && u->toks[i].off + u->toks[i].len == u->toks[i + 1].off;
}

/* `++` or `--` at i (either half). */
static int increment_at(const struct mcc_unit *u, size_t i)
{
	return ((token_is(u, i, "+") || token_is(u, i, "-")) && tokens_touch(u, i) &&
		token_is(u, i + 1, u->src[u->toks[i].off] == '+' ? "+" : "-")) ||
	       (i && (token_is(u, i, "+") || token_is(u, i, "-")) && tokens_touch(u, i - 1) &&
		token_is(u, i - 1, u->src[u->toks[i].off] == '+' ? "+" : "-"));
}

/* An assignment's `=` at i (=, +=, <<=, ...; not ==, !=, <=, >=). */
static int assign_at(const struct mcc_unit *u, size_t i)
{
	if (!token_is(u, i, "=") || (tokens_touch(u, i) && token_is(u, i + 1, "=")))
		return 0;
	if (i && tokens_touch(u, i - 1)) {
		if (token_is(u, i - 1, "=") || token_is(u, i - 1, "!"))
			return 0;
		if (token_is(u, i - 1, "<") || token_is(u, i - 1, ">"))
			return i >= 2 && tokens_touch(u, i - 2) &&
			       token_is(u, i - 2, u->src[u->toks[i - 1].off] == '<' ? "<" : ">");
	}
	return 1;
}

/* The matching bracket of the one at i (searching within [lo, hi)), or hi. */
static size_t match_forward(const struct mcc_unit *u, size_t i, size_t hi)
{
	int d = 0;

	for (; i < hi; i++) {
		if (token_is(u, i, "(") || token_is(u, i, "[") || token_is(u, i, "{"))
			d++;
		else if ((token_is(u, i, ")") || token_is(u, i, "]") || token_is(u, i, "}")) && --d == 0)
			return i;
	}
	return hi;
}

static size_t match_backward(const struct mcc_unit *u, size_t i, size_t lo)
{
	int d = 0;

	for (;; i--) {
		if (token_is(u, i, ")") || token_is(u, i, "]") || token_is(u, i, "}"))
			d++;
		else if ((token_is(u, i, "(") || token_is(u, i, "[") || token_is(u, i, "{")) && --d == 0)
			return i;
		if (i == lo)
			return (size_t)-1;
	}
}

/* The barrier function called at name token i (`f(`, `ns::f(`), -1 when
 * none, -2 when the name is not one function's. */
static int called_func(const struct mcc_unit *u, size_t i)
{
	int n, hit = -1;

	if (!is_ident(u, i) || !token_is(u, i + 1, "(") ||
	    (i && (token_is(u, i - 1, ".") || token_is(u, i - 1, "->"))))
		return -1;
	for (n = 0; n < u->nfuncs; n++) {
		if (!name_is(u, i, u->funcs[n].name))
			continue;
		if (hit >= 0)
			return -2;
		hit = n;
	}
	if (hit >= 0 && !u->funcs[hit].barrier)
		return -1;
	/* another function of the same name elsewhere (an overload, a
	 * method) that the front end did not list: not this one's call */
	return hit;
}

/* First token of the callee of the call whose name is at i: `a::b::f`. */
static size_t callee_start(const struct mcc_unit *u, size_t i, size_t lo)
{
	while (i >= lo + 2 && token_is(u, i - 1, "::") && is_ident(u, i - 2))
		i -= 2;
	if (i >= lo + 1 && token_is(u, i - 1, "::"))
		i--;
	return i;
}

static int in_list(char *const *l, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return 1;
	return 0;
}

struct call {
	int f;                        /* index in u->funcs */
	size_t c0, lp, rp;            /* callee's first token, ( and ) */
	size_t s0, s1;                /* the statement [s0, s1], s1 its ; */
	int sole;                     /* the one statement of an if, else or loop */
	int bare;                     /* the statement is the call alone */
};

/* Back from the callee to the start of the call's statement (c->s0), not
 * before lo; c->sole when the statement is the body of an if, else or loop. */
static int statement_start(struct inliner *inliner, size_t lo, struct call *c)
{
	const struct mcc_unit *u = inliner->u;
	const char *fname = u->funcs[c->f].name;
	size_t j;

	c->sole = 0;
	for (j = c->c0; j > lo; j--) {
		size_t p = j - 1;

		if (token_is(u, p, ";") || token_is(u, p, "{") || token_is(u, p, "}"))
			break;
		if (token_is(u, p, "else") || token_is(u, p, "do")) {
			c->sole = 1;
			break;
		}
		if (token_is(u, p, ")")) {
			size_t o = match_backward(u, p, lo);

			if (o == (size_t)-1 || o == lo) {
				refuse(inliner, "unbalanced brackets", fname);
				return -1;
			}
			if (token_is(u, o - 1, "if") || token_is(u, o - 1, "while") ||
			    token_is(u, o - 1, "for") || token_is(u, o - 1, "switch")) {
				c->sole = 1;
				break;
			}
			j = o + 1;      /* a cast or a call: part of the statement */
			continue;
		}
		if (token_is(u, p, "]")) {
			size_t o = match_backward(u, p, lo);

			if (o == (size_t)-1) {
				refuse(inliner, "unbalanced brackets", fname);
				return -1;
			}
			j = o + 1;
			continue;
		}
		if (token_is(u, p, "(") || token_is(u, p, "[")) {
			refuse(inliner, "the call is inside parentheses (a condition, a loop header or "
			       "another call's arguments)", fname);
			return -1;
		}
		if (token_is(u, p, ":") || token_is(u, p, "?") || token_is(u, p, ",")) {
			refuse(inliner, "the call is part of a ?:, a comma expression or a label's statement",
			       fname);
			return -1;
		}
		if (token_is(u, p, "return") || increment_at(u, p)) {
			refuse(inliner, "the statement around the call returns or has side effects of its own",
			       fname);
			return -1;
		}
		if (is_ident(u, p) && token_is(u, p + 1, "(") && !mcc_name_pure(u, p)) {
			refuse(inliner, "the statement around the call calls another function", fname);
			return -1;
		}
	}
	c->s0 = j;
	if (c->s0 <= lo && lo > 0 && !token_is(u, lo - 1, "{")) {
		refuse(inliner, "cannot find the statement around the call", fname);
		return -1;
	}
	return 0;
}

/* Forward from the call's `)` to its statement's `;` (c->s1), before hi. */
static int statement_end(struct inliner *inliner, size_t hi, struct call *c)
{
	const struct mcc_unit *u = inliner->u;
	const char *fname = u->funcs[c->f].name;
	size_t j;

	for (j = c->rp + 1; j < hi; j++) {
		if (token_is(u, j, ";"))
			break;
		if (token_is(u, j, "(") || token_is(u, j, "[") || token_is(u, j, "{")) {
			if (is_ident(u, j - 1) && token_is(u, j, "(") && !mcc_name_pure(u, j - 1)) {
				refuse(inliner, "the statement around the call calls another function", fname);
				return -1;
			}
			j = match_forward(u, j, hi);
			continue;
		}
		if (token_is(u, j, ")") || token_is(u, j, "]") || token_is(u, j, "}") ||
		    token_is(u, j, ",") || token_is(u, j, "?") || increment_at(u, j)) {
			refuse(inliner, "the call is part of a larger expression mcc cannot split", fname);
			return -1;
		}
		if (assign_at(u, j)) {
			refuse(inliner, "an assignment follows the call in its statement", fname);
			return -1;
		}
	}
	if (j >= hi) {
		refuse(inliner, "the call's statement does not end with ;", fname);
		return -1;
	}
	c->s1 = j;
	return 0;
}

/* The statement around the call at name token i, within [lo, hi). */
static int find_statement(struct inliner *inliner, size_t i, size_t lo, size_t hi, struct call *c)
{
	const struct mcc_unit *u = inliner->u;

	c->c0 = callee_start(u, i, lo);
	c->lp = i + 1;
	c->rp = match_forward(u, c->lp, hi);
	if (c->rp >= hi) {
		refuse(inliner, "unbalanced brackets", u->funcs[c->f].name);
		return -1;
	}
	if (statement_start(inliner, lo, c) != 0 || statement_end(inliner, hi, c) != 0)
		return -1;
	c->bare = c->s0 == c->c0 && c->s1 == c->rp + 1;
	return 0;
}

/* Token i, then a space unless the next one touches it in the source
 * (`+=` and `<<=` are more than one token here). */
static void put_token(const struct mcc_unit *u, size_t i, struct mcc_buf *b)
{
	mcc_buf_put(b, u->src + u->toks[i].off, u->toks[i].len);
	if (!tokens_touch(u, i))
		mcc_buf_puts(b, " ");
}

/* A parameter of a copy in ren (or an enclosing one) named by token i. */
static int put_renamed(const struct mcc_unit *u, size_t i, const struct inline_copy *r,
		       struct mcc_buf *b)
{
	if (!r || !is_ident(u, i) ||
	    (i && (token_is(u, i - 1, ".") || token_is(u, i - 1, "->") || token_is(u, i - 1, "::"))) ||
	    token_is(u, i + 1, "::"))
		return 0;
	for (int p = 0; p < r->f->nparams; p++)
		if (r->f->pname[p][0] && name_is(u, i, r->f->pname[p])) {
			if (r->subst[p]) {
				/* one identifier: no parentheses needed */
				if (!put_renamed(u, r->subst[p], r->up, b))
					mcc_buf_put(b, u->src + u->toks[r->subst[p]].off, u->toks[r->subst[p]].len);
				mcc_buf_puts(b, " ");
				return 1;
			}
			mcc_buf_printf(b, "__musa_i%d_%s%s", r->id, r->f->pname[p], tokens_touch(u, i) ? "" : " ");
			return 1;
		}
	/* the body's own variables: each copy's are distinct */
	for (int l = 0; l < r->f->nlocals; l++)
		if (name_is(u, i, r->f->locals[l])) {
			mcc_buf_printf(b, "__musa_i%d_%s%s", r->id, r->f->locals[l], tokens_touch(u, i) ? "" : " ");
			return 1;
		}
	return 0;
}

static int copy_range(struct inliner *inliner, size_t a, size_t b, const struct inline_copy *r,
		      int depth, struct mcc_buf *out);

/* A name f's body uses that the kernel declares too (copies rename their
 * own variables, so only the kernel's can hide one). */
static const char *hidden_global(const struct inliner *inliner, const struct mcc_func *f)
{
	for (int g = 0; g < f->nglobals; g++)
		if (in_list(inliner->k->locals, inliner->k->nlocals, f->globals[g]))
			return f->globals[g];
	return NULL;
}

/* Whether function f can be copied at call depth `depth`; refused if not. */
static int check_callee(struct inliner *inliner, const struct mcc_func *f, int depth)
{
	const char *g;

	if (f->no_inline) {
		refuse(inliner, f->no_inline, f->name);
		return -1;
	}
	if (depth >= INLINE_MAX_DEPTH) {
		refuse(inliner, "calls nest too deep (recursion?)", f->name);
		return -1;
	}
	for (int p = 0; p < f->nlocals; p++)
		if (in_list(f->globals, f->nglobals, f->locals[p])) {
			refuse(inliner, "a variable of its body has the name of a function or variable it uses",
			       f->name);
			return -1;
		}
	if ((g = hidden_global(inliner, f)) != NULL) {
		struct mcc_buf m = {0};

		mcc_buf_printf(&m, "a variable of the caller would hide the file-scope '%s' it uses", g);
		refuse(inliner, m.s, f->name);
		mcc_buf_free(&m);
		return -1;
	}
	return 0;
}

/* The arguments of call c, split at the top-level commas into args (token
 * ranges): their number, or -1 (refused) when they do not bind one to each
 * parameter or call barrier functions. */
static int call_arguments(struct inliner *inliner, const struct call *c, size_t args[64][2])
{
	const struct mcc_unit *u = inliner->u;
	const struct mcc_func *f = &u->funcs[c->f];
	size_t a = c->lp + 1;
	int nargs = 0;

	if (a < c->rp) {
		for (size_t j = a; j <= c->rp; j++) {
			if (j < c->rp &&
			    (token_is(u, j, "(") || token_is(u, j, "[") || token_is(u, j, "{"))) {
				j = match_forward(u, j, c->rp);
				continue;
			}
			if (j == c->rp || token_is(u, j, ",")) {
				if (nargs == 64) {
					refuse(inliner, "too many arguments", f->name);
					return -1;
				}
				args[nargs][0] = a;
				args[nargs][1] = j;
				nargs++;
				a = j + 1;
			}
		}
	}
	if (nargs != f->nparams) {
		refuse(inliner, "the call leaves out arguments that have defaults", f->name);
		return -1;
	}
	if (mcc_range_mentions_barrier(u, c->lp, c->rp)) {
		refuse(inliner, "its arguments hold a barrier or warp operation", f->name);
		return -1;
	}
	for (int p = 0; p < nargs; p++)
		for (size_t j = args[p][0]; j < args[p][1]; j++)
			if (called_func(u, j) >= 0 || called_func(u, j) == -2) {
				refuse(inliner, "its argument calls a function that uses barriers", f->name);
				return -1;
			}
	return nargs;
}

/* The parameters of copy `me`, each declared and set from its argument
 * (copied in r), or a reference bound to a variable of the caller. */
static int put_parameters(struct inliner *inliner, struct inline_copy *me, size_t args[64][2],
			  int nargs, const struct inline_copy *r, int depth, struct mcc_buf *out)
{
	const struct mcc_unit *u = inliner->u;
	const struct mcc_func *f = me->f;

	for (int p = 0; p < nargs; p++) {
		size_t pl = strlen(f->ppre[p]);

		/* a reference to a variable of the caller: the variable itself
		 * (fission carries variables, not references; the body's own
		 * names are renamed, so none can hide it) */
		if (pl && f->ppre[p][pl - 1] == '&' && !f->ppost[p][0] && args[p][1] == args[p][0] + 1 &&
		    is_ident(u, args[p][0])) {
			me->subst[p] = args[p][0];
			continue;
		}
		/* the type, then the name: fission reads simple declarations */
		if (f->ppost[p][0] || strchr(f->ppre[p], '('))
			mcc_buf_printf(out, "__musa_type<%s%s> ", f->ppre[p], f->ppost[p]);
		else
			mcc_buf_puts(out, f->ppre[p]);
		if (f->pname[p][0])
			mcc_buf_printf(out, "__musa_i%d_%s = (", me->id, f->pname[p]);
		else
			mcc_buf_printf(out, "__musa_a%d_%d = (", me->id, p);
		if (copy_range(inliner, args[p][0], args[p][1], r, depth, out) < 0)
			return -1;
		mcc_buf_puts(out, "); ");
	}
	return 0;
}

/* The body of copy `me`, its final `return e;` an assignment of e to the
 * result (or, when the call is the whole statement, e evaluated alone). */
static int put_body(struct inliner *inliner, const struct inline_copy *me, int bare, int depth,
		    struct mcc_buf *out)
{
	const struct mcc_func *f = me->f;
	size_t a, ret = 0;

	for (a = f->body_open + 1; a < f->body_close; a++)
		if (token_is(inliner->u, a, "return"))
			ret = a;
	if (!ret)
		return copy_range(inliner, f->body_open + 1, f->body_close, me, depth + 1, out) < 0 ?
		       -1 : 0;
	if (copy_range(inliner, f->body_open + 1, ret, me, depth + 1, out) < 0)
		return -1;
	if (f->rpre && !bare) {
		mcc_buf_printf(out, "__musa_r%d = (", me->id);
		if (copy_range(inliner, ret + 1, f->body_close - 1, me, depth + 1, out) < 0)
			return -1;
		mcc_buf_puts(out, "); ");
	} else if (ret + 2 < f->body_close) {
		mcc_buf_puts(out, "(void)(");
		if (copy_range(inliner, ret + 1, f->body_close - 1, me, depth + 1, out) < 0)
			return -1;
		mcc_buf_puts(out, "); ");
	}
	return 0;
}

/* The copy of call c (in a copy r, or in the kernel when r is NULL). */
static int put_call(struct inliner *inliner, const struct call *c, const struct inline_copy *r,
		    int depth, struct mcc_buf *out)
{
	const struct mcc_func *f = &inliner->u->funcs[c->f];
	struct inline_copy me;
	size_t args[64][2];
	int nargs;

	memset(&me, 0, sizeof(me));
	me.f = f;
	me.id = inliner->n++;
	me.up = r;
	if (check_callee(inliner, f, depth) != 0)
		return -1;
	nargs = call_arguments(inliner, c, args);
	if (nargs < 0)
		return -1;
	if (c->sole)
		mcc_buf_puts(out, "{ ");
	if (f->rpre && !c->bare) {
		if (f->rpost[0] || strchr(f->rpre, '('))
			mcc_buf_printf(out, "__musa_type<%s%s> __musa_r%d; ", f->rpre, f->rpost, me.id);
		else
			mcc_buf_printf(out, "%s__musa_r%d; ", f->rpre, me.id);
	}
	mcc_buf_puts(out, "{ ");
	if (put_parameters(inliner, &me, args, nargs, r, depth, out) != 0 ||
	    put_body(inliner, &me, c->bare, depth, out) != 0)
		return -1;
	mcc_buf_puts(out, "} ");
	if (!c->bare) {
		if (copy_range(inliner, c->s0, c->c0, r, depth, out) < 0)
			return -1;
		if (f->rpre)
			mcc_buf_printf(out, "__musa_r%d ", me.id);
		else
			mcc_buf_puts(out, "(void)0 ");
		if (copy_range(inliner, c->rp + 1, c->s1 + 1, r, depth, out) < 0)
			return -1;
	}
	if (c->sole)
		mcc_buf_puts(out, "} ");
	return 0;
}

/*
 * Copies tokens [a, b) into out (NULL: only checks), parameters of r
 * renamed, the statements that call barrier functions replaced by their
 * copies. Returns the number of calls copied, or -1.
 */
static int copy_range(struct inliner *inliner, size_t a, size_t b, const struct inline_copy *r,
		      int depth, struct mcc_buf *out)
{
	const struct mcc_unit *u = inliner->u;
	size_t i, done = a;
	int calls = 0;

	if (!out)
		return 0;
	for (i = a; i < b; i++) {
		struct call c;
		int f;

		if (token_is(u, i, "#")) {
			refuse(inliner, "a preprocessor directive in the code around the call", NULL);
			return -1;
		}
		f = called_func(u, i);
		if (f == -2) {
			refuse(inliner, "its name is shared by several functions", NULL);
			return -1;
		}
		if (f < 0)
			continue;
		memset(&c, 0, sizeof(c));
		c.f = f;
		if (find_statement(inliner, i, a, b, &c) != 0)
			return -1;
		if (c.s0 < done) {
			refuse(inliner, "two calls in one statement", u->funcs[f].name);
			return -1;
		}
		for (; done < c.s0; done++) {
			note_origin(inliner, done, out);
			if (!put_renamed(u, done, r, out))
				put_token(u, done, out);
		}
		if (put_call(inliner, &c, r, depth, out) != 0)
			return -1;
		calls++;
		done = c.s1 + 1;
		i = c.s1;
	}
	for (; done < b; done++) {
		note_origin(inliner, done, out);
		if (!put_renamed(u, done, r, out))
			put_token(u, done, out);
	}
	return calls;
}

static size_t count_newlines(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* The offset in iu of offset o of u (o outside the inlined statements). */
static size_t map_offset(const struct mcc_inlined *in, size_t o)
{
	long long d = 0;

	for (int s = 0; s < in->nseg && in->seg[s].ub <= o; s++)
		d += (long long)(in->seg[s].ib - in->seg[s].ia) - (long long)(in->seg[s].ub - in->seg[s].ua);
	return (size_t)((long long)o + d);
}


static size_t map_token(const struct mcc_unit *u, const struct mcc_inlined *in, size_t t)
{
	return mcc_tok_at(&in->iu, map_offset(in, u->toks[t].off));
}

/* The divergence marks of iu: a token outside the inlined statements has
 * its own; one copied into them, its original's; one mcc wrote, none. */
static void copy_marks(const struct mcc_unit *u, struct mcc_inlined *in, const struct inliner *inliner)
{
	size_t t, o;
	int s = 0;

	if (!u->vary)
		return;
	in->iu.vary = mcc_xrealloc(NULL, in->iu.ntoks + 1);
	memset(in->iu.vary, 0, in->iu.ntoks + 1);
	for (t = 0; t < u->ntoks; t++) {
		size_t it;

		while (s < in->nseg && in->seg[s].ub <= u->toks[t].off)
			s++;
		if (s < in->nseg && u->toks[t].off >= in->seg[s].ua)
			continue;
		it = mcc_tok_at(&in->iu, map_offset(in, u->toks[t].off));
		if (it < in->iu.ntoks)
			in->iu.vary[it] = u->vary[t];
	}
	for (o = 0; o < inliner->norig; o++) {
		t = mcc_tok_at(&in->iu, inliner->orig[o][0]);
		if (t < in->iu.ntoks && in->iu.toks[t].off == inliner->orig[o][0])
			in->iu.vary[t] = u->vary[inliner->orig[o][1]];
	}
}

/*
 * Puts into src the text of u from `done` up to call c's statement, then
 * text, the statement's copy, padded to the lines the statement spans;
 * notes the segment in `in`, moves the origins noted from `first_origin`
 * on to their place in src. Returns the offset in u after the statement.
 */
static size_t add_segment(const struct mcc_unit *u, struct mcc_inlined *in, struct inliner *inliner,
			  const struct call *c, struct mcc_buf *text, size_t first_origin,
			  struct mcc_buf *src, size_t done)
{
	size_t start = u->toks[c->s0].off, pos = u->toks[c->s1].off + 1;

	for (size_t nl = count_newlines(u->src + start, pos - start); nl; nl--)
		mcc_buf_puts(text, "\n");
	mcc_buf_put(src, u->src + done, start - done);
	in->seg = mcc_xrealloc(in->seg, (size_t)(in->nseg + 1) * sizeof(*in->seg));
	in->seg[in->nseg].ua = start;
	in->seg[in->nseg].ub = pos;
	in->seg[in->nseg].ia = src->len;
	for (size_t o = first_origin; o < inliner->norig; o++)
		inliner->orig[o][0] += src->len;
	mcc_buf_put(src, text->s, text->len);
	in->seg[in->nseg].ib = src->len;
	in->nseg++;
	return pos;
}

/* The unit of kernel k with its calls inlined, from its text src: lexed,
 * with u's divergence marks, u's functions and k at their new tokens. */
static void make_inlined_unit(const struct mcc_unit *u, const struct mcc_kernel *k,
			      struct mcc_inlined *in, const struct inliner *inliner,
			      struct mcc_buf *src)
{
	in->iu.path = u->path;
	in->iu.is_c = u->is_c;
	in->iu.src = src->s;
	in->iu.len = src->len;
	in->iu.srcmap = u->srcmap;
	in->iu.nsrcmap = u->nsrcmap;
	mcc_lex(&in->iu);
	copy_marks(u, in, inliner);
	in->iu.funcs = mcc_xrealloc(NULL, (size_t)(u->nfuncs + 1) * sizeof(*u->funcs));
	in->iu.nfuncs = u->nfuncs;
	for (int n = 0; n < u->nfuncs; n++) {
		in->iu.funcs[n] = u->funcs[n];
		if (u->funcs[n].has_body) {
			in->iu.funcs[n].body_open = map_token(u, in, u->funcs[n].body_open);
			in->iu.funcs[n].body_close = map_token(u, in, u->funcs[n].body_close);
		}
	}
	in->k = *k;
	in->k.body_open = map_token(u, in, k->body_open);
	in->k.body_close = map_token(u, in, k->body_close);
	in->k.decl = map_token(u, in, k->decl);
	in->k.name_tok = map_token(u, in, k->name_tok);
	in->k.lparen = map_token(u, in, k->lparen);
	in->k.rparen = map_token(u, in, k->rparen);
	in->iu.kernels = &in->k;
	in->iu.nkernels = 1;
}

int mcc_inline_kernel(const struct mcc_unit *u, const struct mcc_kernel *k, struct mcc_inlined *in,
		      const char **why)
{
	struct inliner inliner;
	struct mcc_buf src = {0};
	size_t i, done = 0, first_origin;

	memset(in, 0, sizeof(*in));
	memset(&inliner, 0, sizeof(inliner));
	inliner.u = u;
	inliner.k = k;
	*why = NULL;
	/* the kernel's statements that call barrier functions */
	for (i = k->body_open + 1; i < k->body_close; i++) {
		struct call c;
		struct mcc_buf text = {0};
		int f = called_func(u, i);

		if (f == -1)
			continue;
		if (f == -2) {
			refuse(&inliner, "its name is shared by several functions", NULL);
			goto fail;
		}
		memset(&c, 0, sizeof(c));
		c.f = f;
		if (find_statement(&inliner, i, k->body_open + 1, k->body_close, &c) != 0)
			goto fail;
		if (in->nseg && u->toks[c.s0].off < in->seg[in->nseg - 1].ub) {
			refuse(&inliner, "two calls in one statement", u->funcs[f].name);
			goto fail;
		}
		first_origin = inliner.norig;
		if (put_call(&inliner, &c, NULL, 0, &text) != 0) {
			mcc_buf_free(&text);
			goto fail;
		}
		done = add_segment(u, in, &inliner, &c, &text, first_origin, &src, done);
		mcc_buf_free(&text);
		i = c.s1;
	}
	mcc_buf_free(&inliner.why_buf);
	if (!in->nseg)
		return 0;
	mcc_buf_put(&src, u->src + done, u->len - done);
	make_inlined_unit(u, k, in, &inliner, &src);
	free(inliner.orig);
	return in->nseg;
fail:
	free(inliner.orig);
	mcc_buf_free(&src);
	free(in->seg);
	in->seg = NULL;
	in->nseg = 0;
	/* the message outlives the inliner: kept in a static buffer */
	{
		static char msg[512];

		snprintf(msg, sizeof(msg), "%s", inliner.why ? inliner.why : "?");
		*why = msg;
	}
	mcc_buf_free(&inliner.why_buf);
	return -1;
}

int mcc_inline_map_edits(const struct mcc_unit *u, const struct mcc_inlined *in,
			 const struct mcc_edits *ied, struct mcc_edits *ed, const char **why)
{
	struct mcc_edits *inside = calloc((size_t)in->nseg + 1, sizeof(*inside));
	int i, s, rc = 0;

	(void)u;
	for (i = 0; i < ied->n && !rc; i++) {
		const struct mcc_edit *e = &ied->e[i];
		size_t end = e->off + e->len;

		for (s = 0; s < in->nseg; s++)
			if (end >= in->seg[s].ia && e->off <= in->seg[s].ib)
				break;
		if (s == in->nseg || (e->len && (end == in->seg[s].ia || e->off == in->seg[s].ib))) {
			/* outside every inlined statement: back to u's offsets */
			long long d = 0;

			for (int t = 0; t < in->nseg && in->seg[t].ib <= e->off; t++)
				d += (long long)(in->seg[t].ub - in->seg[t].ua) -
				     (long long)(in->seg[t].ib - in->seg[t].ia);
			mcc_edit_add(ed, (size_t)((long long)e->off + d), e->len, e->text);
			continue;
		}
		if (e->off < in->seg[s].ia || end > in->seg[s].ib) {
			*why = "a region crosses the border of an inlined call";
			rc = -1;
			break;
		}
		mcc_edit_add(&inside[s], e->off - in->seg[s].ia, e->len, e->text);
	}
	for (s = 0; s < in->nseg; s++) {
		if (!rc) {
			struct mcc_unit piece;
			struct mcc_buf b = {0};

			memset(&piece, 0, sizeof(piece));
			piece.src = in->iu.src + in->seg[s].ia;
			piece.len = in->seg[s].ib - in->seg[s].ia;
			mcc_edits_apply(&piece, &inside[s], &b);
			mcc_buf_put(&b, "", 0);
			mcc_edit_add(ed, in->seg[s].ua, in->seg[s].ub - in->seg[s].ua, b.s);
			mcc_buf_free(&b);
		}
		mcc_edits_free(&inside[s]);
	}
	free(inside);
	return rc;
}

void mcc_inline_free(struct mcc_inlined *in)
{
	int i;

	free(in->iu.src);
	free(in->iu.toks);
	free(in->iu.funcs);
	free(in->iu.macros);
	for (i = 0; i < in->iu.nbarrier_macros; i++)
		free(in->iu.barrier_macros[i]);
	free(in->iu.barrier_macros);
	free(in->iu.vary);
	free(in->seg);
	memset(in, 0, sizeof(*in));
}
