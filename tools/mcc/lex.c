/* SPDX-License-Identifier: MIT */
/*
 * lex.c - the tokens of a .mu source that the passes edit (comments,
 * string/char literals and preprocessor lines skipped; `<<<`, `>>>`, `::`
 * and `->` one token each), launches written with blanks inside the
 * chevrons joined in the text before the front end parses it, #define
 * bodies that may launch lexed as units of their own, and the token
 * ranges of a launch the front end (front.cpp) found. What is a kernel,
 * a launch or a variable is the front end's decision, from clang's AST.
 * May call libc, buf.c, include.c, front.cpp (mcc_scan runs the parse),
 * gen_loop.c and gen_vars.c (the unit's plans and variables).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"
#include "musa_codeobj.h"

static int is_ident_start(int c) { return isalpha(c) || c == '_' || c == '$'; }
static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == '$'; }

static void push_token(struct mcc_unit *u, size_t *cap, int kind, size_t off, size_t len, int line)
{
	if (u->ntoks == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		u->toks = mcc_xrealloc(u->toks, *cap * sizeof(*u->toks));
	}
	u->toks[u->ntoks].kind = kind;
	u->toks[u->ntoks].off = off;
	u->toks[u->ntoks].len = len;
	u->toks[u->ntoks].line = line;
	u->ntoks++;
}

const char *const mcc_barrier_words[] = {
	"__syncthreads", "__syncthreads_count", "__syncthreads_and", "__syncthreads_or",
	"__syncwarp", "__shfl_sync", "__shfl_up_sync", "__shfl_down_sync", "__shfl_xor_sync",
	"__ballot_sync", "__any_sync", "__all_sync", "__activemask", "__shfl", "__shfl_up",
	"__shfl_down", "__shfl_xor", "__ballot", "__any", "__all", "__match_any_sync",
	"__match_all_sync", "__reduce_add_sync", "__reduce_min_sync", "__reduce_max_sync",
	"__reduce_and_sync", "__reduce_or_sync", "__reduce_xor_sync", "__nanosleep", NULL,
};

static int word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, s, n))
			return 1;
	return 0;
}

/* A #define whose body names a barrier (or an earlier such macro) makes its
 * name a barrier word too, so kernels using it run as fibers. */
static void scan_define(struct mcc_unit *u, const char *s, size_t len)
{
	size_t i = 0, n0, n1;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 6 || memcmp(s + i, "define", 6) != 0)
		return;
	i += 6;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	n0 = i;
	while (i < len && is_ident_char(s[i]))
		i++;
	n1 = i;
	if (n1 == n0)
		return;
	while (i < len) {
		size_t a;
		int k;

		if (!is_ident_start(s[i])) {
			i++;
			continue;
		}
		a = i;
		while (i < len && is_ident_char(s[i]))
			i++;
		if (word_in(s + a, i - a, mcc_barrier_words))
			goto hit;
		for (k = 0; k < u->nbarrier_macros; k++)
			if (strlen(u->barrier_macros[k]) == i - a &&
			    !memcmp(u->barrier_macros[k], s + a, i - a))
				goto hit;
	}
	return;
hit:
	u->barrier_macros = mcc_xrealloc(u->barrier_macros,
					 (size_t)(u->nbarrier_macros + 1) * sizeof(char *));
	u->barrier_macros[u->nbarrier_macros++] = mcc_strndup(s + n0, n1 - n0);
}

/* A #define whose body may hold a launch (`<` and `>` three times each):
 * remembered, its launches are found after the walk (scan_macros). */
static void note_define(struct mcc_unit *u, size_t body, size_t end, int line)
{
	const char *s = u->src;
	size_t i = body, lt = 0, gt = 0;

	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (end - i < 6 || memcmp(s + i, "define", 6) != 0)
		return;
	for (size_t k = i; k < end; k++) {
		lt += s[k] == '<';
		gt += s[k] == '>';
	}
	if (lt < 3 || gt < 3)
		return;
	u->macros = mcc_xrealloc(u->macros, (size_t)(u->nmacros + 1) * sizeof(*u->macros));
	u->macros[u->nmacros].base = i;
	u->macros[u->nmacros].end = end;
	u->macros[u->nmacros].line = line;
	u->macros[u->nmacros].body = NULL;
	u->nmacros++;
}

/* The lexer's place in the text of u: offset i, its line, and whether
 * only blanks precede it on that line. */
struct lexer {
	struct mcc_unit *u;
	const char *s;
	size_t n, i, cap;
	int line, bol;
};

/* A block comment at i (its opening slash and star), skipped to its end. */
static void skip_block_comment(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, i = lexer->i + 2;

	while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
		if (s[i] == '\n')
			lexer->line++;
		i++;
	}
	lexer->i = i + 2 < n ? i + 2 : n;
}

/* A line comment at i, with the lines its backslashes continue. */
static void skip_line_comment(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, i = lexer->i;

	while (i < n && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
			lexer->line++;
			i++;
		}
		i++;
	}
	lexer->i = i;
}

/* A preprocessor line at i (its #), with its continuations and comments;
 * a #define in it noted. */
static void lex_directive(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, body = lexer->i + 1;
	int l0 = lexer->line;

	while (lexer->i < n && s[lexer->i] != '\n') {
		size_t i = lexer->i;

		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
			lexer->line++;
			lexer->i += 2;
			continue;
		}
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			skip_block_comment(lexer);
			continue;
		}
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (lexer->i < n && s[lexer->i] != '\n')
				lexer->i++;
			break;
		}
		lexer->i++;
	}
	scan_define(lexer->u, s + body, lexer->i - body);
	note_define(lexer->u, body, lexer->i, l0);
}

/* A string or character literal from token start a, its quote at i. */
static void lex_quoted(struct lexer *lexer, size_t a)
{
	const char *s = lexer->s;
	size_t n = lexer->n, i = lexer->i;
	char quote = s[i];
	int l0 = lexer->line;

	i++;
	while (i < n && s[i] != quote && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < n) {
			if (s[i + 1] == '\n')
				lexer->line++;
			i++;
		}
		i++;
	}
	if (i < n && s[i] == quote)
		i++;
	lexer->i = i;
	push_token(lexer->u, &lexer->cap, MCC_T_STR, a, i - a, l0);
}

/* A raw string literal from token start a, its `"` at i: R"delim( ... )delim"
 * (also u8R, LR, ...). */
static void lex_raw_string(struct lexer *lexer, size_t a)
{
	const char *s = lexer->s, *p;
	size_t n = lexer->n, d0 = lexer->i + 1, d1 = d0, el;
	char end[20];

	while (d1 < n && s[d1] != '(' && d1 - d0 < 16)
		d1++;
	el = d1 - d0;
	end[0] = ')';
	memcpy(end + 1, s + d0, el);
	end[el + 1] = '"';
	end[el + 2] = 0;
	p = strstr(s + d1, end);
	lexer->i = p ? (size_t)(p - s) + el + 2 : n;
	for (p = s + a; p < s + lexer->i; p++)
		lexer->line += *p == '\n';
	push_token(lexer->u, &lexer->cap, MCC_T_STR, a, lexer->i - a, lexer->line);
}

/* An identifier at i, or the prefix of a literal (u8"", L'', R"()"). */
static void lex_word(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, a = lexer->i;

	while (lexer->i < n && is_ident_char(s[lexer->i]))
		lexer->i++;
	if (lexer->i < n && s[lexer->i] == '"' && s[lexer->i - 1] == 'R' && lexer->i - a <= 3) {
		lex_raw_string(lexer, a);
		return;
	}
	if (lexer->i < n && (s[lexer->i] == '"' || s[lexer->i] == '\'') && lexer->i - a <= 2 &&
	    (s[a] == 'u' || s[a] == 'U' || s[a] == 'L')) {
		lex_quoted(lexer, a);
		return;
	}
	push_token(lexer->u, &lexer->cap, MCC_T_IDENT, a, lexer->i - a, lexer->line);
}

/* A number at i: digits, letters, dots, digit separators and exponent signs. */
static void lex_number(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, a = lexer->i, i = lexer->i;

	while (i < n && (is_ident_char(s[i]) || s[i] == '.' ||
			 (s[i] == '\'' && i + 1 < n && is_ident_char(s[i + 1])) ||
			 ((s[i] == '+' || s[i] == '-') && strchr("eEpP", s[i - 1]) != NULL)))
		i++;
	lexer->i = i;
	push_token(lexer->u, &lexer->cap, MCC_T_NUM, a, i - a, lexer->line);
}

/* Punctuation at i: `::`, `<<<`, `>>>` and `->` one token each, any other
 * character a token of its own. */
static void lex_punct(struct lexer *lexer)
{
	const char *s = lexer->s;
	size_t n = lexer->n, a = lexer->i, i = lexer->i;
	char c = s[i];

	if (c == ':' && i + 1 < n && s[i + 1] == ':')
		i += 2;
	else if (c == '<' && i + 2 < n && s[i + 1] == '<' && s[i + 2] == '<')
		i += 3;
	else if (c == '>' && i + 2 < n && s[i + 1] == '>' && s[i + 2] == '>')
		i += 3;
	else if (c == '-' && i + 1 < n && s[i + 1] == '>')
		i += 2;
	else
		i++;
	lexer->i = i;
	push_token(lexer->u, &lexer->cap, MCC_T_PUNCT, a, i - a, lexer->line);
}

static void lex(struct mcc_unit *u)
{
	struct lexer lexer = {
		.u = u, .s = u->src, .n = u->len, .i = 0, .cap = 0, .line = 1, .bol = 1,
	};
	const char *s = u->src;
	size_t n = u->len;

	while (lexer.i < n) {
		size_t i = lexer.i;
		char c = s[i];

		if (c == '\n') {
			lexer.line++;
			lexer.bol = 1;
			lexer.i++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lexer.i++;
		} else if (c == '\\' && i + 1 < n && s[i + 1] == '\n') {
			lexer.i += 2;
			lexer.line++;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
			skip_line_comment(&lexer);
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			skip_block_comment(&lexer);
		} else if (c == '#' && lexer.bol) {
			lex_directive(&lexer);
		} else {
			lexer.bol = 0;
			if (is_ident_start(c))
				lex_word(&lexer);
			else if (isdigit((unsigned char)c) ||
				 (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1])))
				lex_number(&lexer);
			else if (c == '"' || c == '\'')
				lex_quoted(&lexer, i);
			else
				lex_punct(&lexer);
		}
	}
}

static int tok_is(const struct mcc_unit *u, size_t i, const char *w)
{
	return i < u->ntoks && u->toks[i].len == strlen(w) &&
	       !memcmp(u->src + u->toks[i].off, w, u->toks[i].len);
}

static int tok_ident(const struct mcc_unit *u, size_t i)
{
	return i < u->ntoks && u->toks[i].kind == MCC_T_IDENT;
}

char *mcc_tok_text(const struct mcc_unit *u, size_t a, size_t b)
{
	char *t, *p;

	if (a >= b)
		return mcc_strndup("", 0);
	t = mcc_strndup(u->src + u->toks[a].off,
			u->toks[b - 1].off + u->toks[b - 1].len - u->toks[a].off);
	for (p = t; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return t;
}

/* Index of the token closing the bracket opened at i, or ntoks. */
static size_t match_forward(const struct mcc_unit *u, size_t i)
{
	int depth = 0;

	for (; i < u->ntoks; i++) {
		if (u->toks[i].kind != MCC_T_PUNCT)
			continue;
		if (tok_is(u, i, "(") || tok_is(u, i, "[") || tok_is(u, i, "{"))
			depth++;
		else if (tok_is(u, i, ")") || tok_is(u, i, "]") || tok_is(u, i, "}"))
			if (--depth == 0)
				return i;
	}
	return u->ntoks;
}

static int error_at(const struct mcc_unit *u, size_t t, const char *msg, const char *arg)
{
	const char *file;
	int line;

	mcc_src_pos(u, t < u->ntoks ? u->toks[t].line : 1, &file, &line);
	fprintf(stderr, "%s:%d: error: %s%s%s\n", file, line, msg, arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* From a `)` or `]` at c back to its opening bracket (c itself if none). */
static size_t open_backward(const struct mcc_unit *u, size_t c)
{
	size_t i = c;
	int d = 0;

	for (;; i--) {
		d += (tok_is(u, i, ")") || tok_is(u, i, "]")) - (tok_is(u, i, "(") || tok_is(u, i, "["));
		if (!d)
			return i;
		if (i == 0)
			return c;
	}
}

int mcc_parse_launch(struct mcc_unit *u, size_t o, size_t callee)
{
	struct mcc_launch l;
	size_t i, c;
	int depth = 0;

	memset(&l, 0, sizeof(l));
	l.cfg_open = o;
	/* the callee (the front end's; in a #define body the id-expression,
	 * with :: and balanced <...>, before the chevrons) */
	i = o;
	if (callee < o) {
		c = callee;
		goto config;
	}
	if (i == 0)
		return error_at(u, o, "kernel launch without a kernel", NULL);
	c = i - 1;
	for (;;) {
		if (tok_is(u, c, ">")) {
			int d = 0;

			for (;; c--) {
				if (tok_is(u, c, ")") || tok_is(u, c, "]"))
					c = open_backward(u, c);   /* (N > 16) */
				d += tok_is(u, c, ">") - tok_is(u, c, "<");
				if (!d || c == 0)
					break;
			}
			if (d || c == 0)
				return error_at(u, o, "cannot find the kernel of this launch", NULL);
			c--;
		}
		if (!tok_ident(u, c))
			return error_at(u, o, "cannot find the kernel of this launch", NULL);
		if (c >= 1 && tok_is(u, c - 1, "::")) {
			if (c >= 2 && (tok_ident(u, c - 2) || tok_is(u, c - 2, ">"))) {
				c -= 2;
				continue;
			}
			c--;
		}
		break;
	}
config:
	l.callee = c;
	/* the configuration */
	c = o + 1;
	l.cfg[0][0] = c;
	for (i = o + 1; i < u->ntoks; i++) {
		if (tok_is(u, i, "(") || tok_is(u, i, "[") || tok_is(u, i, "{"))
			depth++;
		else if (tok_is(u, i, ")") || tok_is(u, i, "]") || tok_is(u, i, "}"))
			depth--;
		else if (depth == 0 && (tok_is(u, i, ",") || tok_is(u, i, ">>>"))) {
			if (l.ncfg == 4)
				return error_at(u, o, "a launch configuration has at most 4 parts", NULL);
			l.cfg[l.ncfg][0] = c;
			l.cfg[l.ncfg][1] = i;
			if (i == c)
				return error_at(u, o, "empty part in the launch configuration", NULL);
			l.ncfg++;
			c = i + 1;
			if (tok_is(u, i, ">>>"))
				break;
		}
		if (depth < 0 || tok_is(u, i, ";"))
			break;
	}
	if (i >= u->ntoks || !tok_is(u, i, ">>>"))
		return error_at(u, o, "unterminated launch configuration (missing >>>)", NULL);
	if (l.ncfg < 2)
		return error_at(u, o, "a launch configuration needs a grid and a block", NULL);
	l.cfg_close = i;
	if (!tok_is(u, i + 1, "("))
		return error_at(u, o, "expected ( after the launch configuration", NULL);
	l.args_open = i + 1;
	l.args_close = match_forward(u, i + 1);
	if (l.args_close >= u->ntoks)
		return error_at(u, o, "unbalanced launch arguments", NULL);
	u->launches = mcc_xrealloc(u->launches, (size_t)(u->nlaunches + 1) * sizeof(l));
	u->launches[u->nlaunches++] = l;
	return 0;
}

/* Cooperative groups synchronise through the block barrier and the warp
 * operations without naming them: the group constructors, and the group
 * collectives called as members (tile.shfl_down(...), cta.sync()) or
 * qualified (cg::sync(cta), cg::reduce(tile, ...)). */
const char *const mcc_cg_words[] = {
	"this_thread_block", "tiled_partition", "thread_block_tile", "coalesced_threads",
	"this_grid", "labeled_partition", "binary_partition", NULL,
};
const char *const mcc_cg_collectives[] = {
	"sync", "shfl", "shfl_up", "shfl_down", "shfl_xor", "ballot", "any", "all", "reduce",
	"match_any", "match_all", "inclusive_scan", "exclusive_scan", "barrier_wait", "invoke_one",
	"invoke_one_broadcast", "wait", "wait_prior", NULL,
};

static int mentions_cg_collective(const struct mcc_unit *u, size_t i)
{
	const char *s = u->src + u->toks[i].off;
	size_t n = u->toks[i].len;

	if (word_in(s, n, mcc_cg_words))
		return 1;
	return i > 0 && (tok_is(u, i - 1, ".") || tok_is(u, i - 1, "->") || tok_is(u, i - 1, "::")) &&
	       tok_is(u, i + 1, "(") && word_in(s, n, mcc_cg_collectives);
}

static int range_mentions_barrier(const struct mcc_unit *u, size_t a, size_t b)
{
	size_t i;
	int k;

	for (i = a; i < b; i++) {
		if (!tok_ident(u, i))
			continue;
		if (word_in(u->src + u->toks[i].off, u->toks[i].len, mcc_barrier_words) ||
		    (!u->is_c && mentions_cg_collective(u, i)))
			return 1;
		for (k = 0; k < u->nbarrier_macros; k++)
			if (tok_is(u, i, u->barrier_macros[k]))
				return 1;
	}
	return 0;
}

int mcc_range_mentions_barrier(const struct mcc_unit *u, size_t a, size_t b)
{
	return range_mentions_barrier(u, a, b);
}

void mcc_add_instance(struct mcc_kernel *k, char *args)
{
	int i;

	for (i = 0; i < k->ninsts; i++)
		if (!strcmp(k->insts[i], args)) {
			free(args);
			return;
		}
	k->insts = mcc_xrealloc(k->insts, (size_t)(k->ninsts + 1) * sizeof(char *));
	k->insts[k->ninsts++] = args;
}

static void join_chevrons(struct mcc_unit *u);

/*
 * The lexer skips preprocessor lines, so each #define that may hold a
 * launch (`#define RUN(k, n) k<<<(n + 255) / 256, 256>>>(x, n)`) is lexed
 * here as a unit of its own, from `define` on, whose tokens keep the
 * lines of the file; its spaced chevrons are joined in the file's text
 * too, before the front end parses it. The front end names the launches
 * it finds in a body (mcc_macro_launch); the passes rewrite them inside
 * the macro body (gen_host.c, gen_device.c).
 */
static int lex_macros(struct mcc_unit *u)
{
	for (int m = 0; m < u->nmacros; m++) {
		struct mcc_macro *mc = &u->macros[m];
		struct mcc_unit *b = calloc(1, sizeof(*b));

		if (!b)
			return -1;
		b->path = u->path;
		b->is_c = u->is_c;
		b->src = mcc_strndup(u->src + mc->base, mc->end - mc->base);
		b->len = mc->end - mc->base;
		lex(b);
		for (size_t i = 0; i < b->ntoks; i++)
			b->toks[i].line += mc->line - 1;
		join_chevrons(b);
		memcpy(u->src + mc->base, b->src, b->len);   /* joining keeps the length */
		mc->body = b;
	}
	return 0;
}

int mcc_macro_launch(struct mcc_unit *u, size_t off)
{
	for (int m = 0; m < u->nmacros; m++) {
		struct mcc_unit *b = u->macros[m].body;
		int rc;

		if (off < u->macros[m].base || off >= u->macros[m].end || !b)
			continue;
		for (size_t i = 0; i < b->ntoks; i++) {
			if (b->toks[i].off != off - u->macros[m].base)
				continue;
			for (int j = 0; j < b->nlaunches; j++)
				if (b->launches[j].cfg_open == i)
					return 0;
			b->srcmap = u->srcmap;       /* borrowed: messages name the right file */
			b->nsrcmap = u->nsrcmap;
			rc = mcc_parse_launch(b, i, b->ntoks);
			b->srcmap = NULL;
			b->nsrcmap = 0;
			return rc;
		}
	}
	return 0;   /* in a header's macro: the header is compiled as it is */
}

/* Macros without a launch are dropped. */
static void drop_idle_macros(struct mcc_unit *u)
{
	int keep = 0;

	for (int m = 0; m < u->nmacros; m++) {
		if (u->macros[m].body && u->macros[m].body->nlaunches) {
			u->macros[keep++] = u->macros[m];
			continue;
		}
		if (u->macros[m].body) {
			mcc_unit_free(u->macros[m].body);
			free(u->macros[m].body);
		}
	}
	u->nmacros = keep;
}

static int punct_at(const struct mcc_unit *u, size_t i, char c)
{
	return i < u->ntoks && u->toks[i].kind == MCC_T_PUNCT && u->toks[i].len == 1 &&
	       u->src[u->toks[i].off] == c;
}

/* Whether tokens [i, i + 3) are three single `c` separated by blanks only. */
static int spaced_triple(const struct mcc_unit *u, size_t i, char c)
{
	for (size_t k = 0; k < 3; k++) {
		if (!punct_at(u, i + k, c))
			return 0;
		if (k)
			for (size_t o = u->toks[i + k - 1].off + 1; o < u->toks[i + k].off; o++)
				if (!isspace((unsigned char)u->src[o]))
					return 0;   /* a comment between */
	}
	return 1;
}

/* Makes tokens [i, i + 3) one `ccc` token: the text becomes ccc followed
 * by the blanks that were between them (newlines stay, so lines do). */
static void join_triple(struct mcc_unit *u, size_t i, char c)
{
	size_t a = u->toks[i].off, b = u->toks[i + 2].off + 1, n = 0;
	char *s = u->src, *blanks = mcc_xrealloc(NULL, b - a);

	for (size_t o = a; o < b; o++)
		if (s[o] != c)
			blanks[n++] = s[o];
	memset(s + a, c, 3);
	memcpy(s + a + 3, blanks, n);
	free(blanks);
	u->toks[i].len = 3;
	memmove(&u->toks[i + 1], &u->toks[i + 3], (u->ntoks - i - 3) * sizeof(u->toks[0]));
	u->ntoks -= 2;
}

/*
 * Launches written with blanks inside the chevrons, `k << < g, b >> > (x)`
 * (the lexer makes `<<<` only of three adjacent characters): three `<` in
 * a row are no C++ but a launch, except `operator<< <T>`; their `>>>` is
 * the first three `>` in a row outside brackets, so `> > >` closing
 * nested templates elsewhere stays as it is.
 */
static void join_chevrons(struct mcc_unit *u)
{
	for (size_t i = 0; i < u->ntoks; i++) {
		int depth = 0;

		if (spaced_triple(u, i, '<') && !(i >= 2 && tok_is(u, i - 2, "operator")) &&
		    !(i >= 1 && tok_is(u, i - 1, "operator")))
			join_triple(u, i, '<');
		if (!tok_is(u, i, "<<<"))
			continue;
		for (size_t j = i + 1; j < u->ntoks && !tok_is(u, j, ";") && !tok_is(u, j, ">>>"); j++) {
			if (tok_is(u, j, "(") || tok_is(u, j, "[") || tok_is(u, j, "{"))
				depth++;
			else if (tok_is(u, j, ")") || tok_is(u, j, "]") || tok_is(u, j, "}"))
				depth--;
			else if (!depth && spaced_triple(u, j, '>')) {
				join_triple(u, j, '>');
				break;
			}
			if (depth < 0)
				break;
		}
	}
}

size_t mcc_tok_at(const struct mcc_unit *u, size_t off)
{
	size_t lo = 0, hi = u->ntoks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (u->toks[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void mcc_lex(struct mcc_unit *u)
{
	lex(u);
	join_chevrons(u);
}

int mcc_scan(struct mcc_unit *u, const char *path, int is_c, const char *const *args, int nargs)
{
	FILE *f;
	struct mcc_buf b = {0};
	char chunk[65536], *orig;
	size_t n, len;
	struct mcc_incl *incl;
	int r, probe, nincl;

	memset(u, 0, sizeof(*u));
	u->path = path;
	u->is_c = is_c;
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mcc: error: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		mcc_buf_put(&b, chunk, n);
	fclose(f);
	if (!b.s)
		mcc_buf_put(&b, "", 0);
	len = b.len;
	orig = mcc_strndup(b.s, len);   /* lex_macros joins lines in place */
	for (probe = 1;; probe = 0) {
		u->src = b.s;
		u->len = b.len;
		mcc_lex(u);
		r = lex_macros(u) != 0 ? -1 : mcc_front(u, args, nargs, probe);
		if (r != 1)
			break;
		/* the user's headers hold what mcc edits: put them in, parse again */
		incl = u->incl;
		nincl = u->nincl;
		u->incl = NULL;
		u->nincl = 0;
		mcc_unit_free(u);
		u->path = path;
		u->is_c = is_c;
		memset(&b, 0, sizeof(b));
		mcc_buf_put(&b, orig, len);
		mcc_expand_includes(u, &b, incl, nincl);
		mcc_incl_free(incl, nincl);
	}
	free(orig);
	if (r != 0)
		return -1;
	drop_idle_macros(u);
	mcc_plan_loops(u);
	return 0;
}

int mcc_unit_has_musa(const struct mcc_unit *u)
{
	return u->nkernels || u->nlaunches || u->nmacros || u->nfuncs || u->ndyn || u->nvars;
}

void mcc_unit_free(struct mcc_unit *u)
{
	int i, j;

	for (i = 0; i < u->nkernels; i++) {
		struct mcc_kernel *k = &u->kernels[i];

		for (j = 0; j < k->nparams; j++) {
			free(k->params[j].type);
			free(k->params[j].name);
		}
		for (j = 0; j < k->nns; j++)
			free(k->ns[j]);
		free(k->ns);
		free(k->params);
		for (j = 0; j < k->ninsts; j++)
			free(k->insts[j]);
		free(k->insts);
		free(k->inst_shared);
		free(k->tmpl_params);
		for (j = 0; j < k->nlocals; j++)
			free(k->locals[j]);
		free(k->locals);
		free(k->name);
		free(k->qname);
	}
	for (i = 0; i < u->nfuncs; i++) {
		struct mcc_func *f = &u->funcs[i];

		for (j = 0; j < f->nparams; j++) {
			free(f->ppre[j]);
			free(f->ppost[j]);
			free(f->pname[j]);
		}
		for (j = 0; j < f->nglobals; j++)
			free(f->globals[j]);
		for (j = 0; j < f->nlocals; j++)
			free(f->locals[j]);
		free(f->locals);
		free(f->ppre);
		free(f->ppost);
		free(f->pname);
		free(f->globals);
		free(f->rpre);
		free(f->rpost);
		free(f->name);
	}
	for (i = 0; i < u->ndyn; i++)
		free(u->dyn[i].qname);
	for (i = 0; i < u->nmacros; i++) {
		mcc_unit_free(u->macros[i].body);
		free(u->macros[i].body);
	}
	free(u->macros);
	for (i = 0; i < u->nbarrier_macros; i++)
		free(u->barrier_macros[i]);
	free(u->barrier_macros);
	mcc_vars_free(u);
	free(u->vary);
	u->vary = NULL;
	free(u->static_shared);
	free(u->shlocal);
	for (i = 0; i < u->nsrcmap; i++)
		free(u->srcmap[i].file);
	free(u->srcmap);
	mcc_incl_free(u->incl, u->nincl);
	free(u->dyn);
	free(u->kernels);
	free(u->funcs);
	free(u->launches);
	free(u->toks);
	free(u->src);
	memset(u, 0, sizeof(*u));
}
