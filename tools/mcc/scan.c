/* SPDX-License-Identifier: MIT */
/*
 * scan.c - the light scanner of mcc: tokens of a .mu source (comments,
 * string/char literals and preprocessor lines skipped), brace scopes
 * (namespaces, extern "C"), __global__ and __device__ function definitions,
 * launches k<<<...>>>(...) (also inside #define bodies) and __shared__
 * declarations (specifiers in any order). It does not
 * parse C++: it finds what the two passes must rewrite and reports, with
 * file:line, a kernel declaration it cannot take apart. Also decides which
 * kernels need barrier support, by a fixpoint over the functions' calls.
 * May call libc and buf.c only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"
#include "musa_codeobj.h"

/* ---- lexer ------------------------------------------------------------------ */

static int is_id0(int c) { return isalpha(c) || c == '_' || c == '$'; }
static int is_id(int c) { return isalnum(c) || c == '_' || c == '$'; }

static void push_tok(struct mcc_unit *u, size_t *cap, int kind, size_t off, size_t len, int line)
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

static const char *const barrier_words[] = {
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
	while (i < len && is_id(s[i]))
		i++;
	n1 = i;
	if (n1 == n0)
		return;
	while (i < len) {
		size_t a;
		int k;

		if (!is_id0(s[i])) {
			i++;
			continue;
		}
		a = i;
		while (i < len && is_id(s[i]))
			i++;
		if (word_in(s + a, i - a, barrier_words))
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

static void lex(struct mcc_unit *u)
{
	const char *s = u->src;
	size_t n = u->len, i = 0, cap = 0;
	int line = 1, bol = 1;

	while (i < n) {
		char c = s[i];
		size_t a = i;

		if (c == '\n') {
			line++;
			bol = 1;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < n && s[i + 1] == '\n') {
			i += 2;
			line++;
			continue;
		}
		if (c == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
					line++;
					i++;
				}
				i++;
			}
			continue;
		}
		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			i += 2;
			while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
				if (s[i] == '\n')
					line++;
				i++;
			}
			i = i + 2 < n ? i + 2 : n;
			continue;
		}
		if (c == '#' && bol) {
			/* A preprocessor line, with its continuations and comments. */
			size_t body = i + 1;
			int l0 = line;

			while (i < n && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
					line++;
					i += 2;
					continue;
				}
				if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
					i += 2;
					while (i < n && !(s[i] == '*' && i + 1 < n && s[i + 1] == '/')) {
						if (s[i] == '\n')
							line++;
						i++;
					}
					i = i + 2 < n ? i + 2 : n;
					continue;
				}
				if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
					while (i < n && s[i] != '\n')
						i++;
					break;
				}
				i++;
			}
			scan_define(u, s + body, i - body);
			note_define(u, body, i, l0);
			continue;
		}
		bol = 0;
		if (is_id0(c)) {
			while (i < n && is_id(s[i]))
				i++;
			/* Raw string literal: R"delim( ... )delim" (also u8R, LR, ...) */
			if (i < n && s[i] == '"' && s[i - 1] == 'R' && i - a <= 3) {
				size_t d0 = i + 1, d1 = d0;
				char end[20];
				size_t el;
				const char *p;

				while (d1 < n && s[d1] != '(' && d1 - d0 < 16)
					d1++;
				el = d1 - d0;
				end[0] = ')';
				memcpy(end + 1, s + d0, el);
				end[el + 1] = '"';
				end[el + 2] = 0;
				p = strstr(s + d1, end);
				i = p ? (size_t)(p - s) + el + 2 : n;
				for (p = s + a; p < s + i; p++)
					line += *p == '\n';
				push_tok(u, &cap, MCC_T_STR, a, i - a, line);
				continue;
			}
			if (i < n && (s[i] == '"' || s[i] == '\'') && i - a <= 2 &&
			    (s[a] == 'u' || s[a] == 'U' || s[a] == 'L')) {
				c = s[i];
				goto quoted;
			}
			push_tok(u, &cap, MCC_T_IDENT, a, i - a, line);
			continue;
		}
		if (isdigit((unsigned char)c) || (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
			while (i < n && (is_id(s[i]) || s[i] == '.' ||
					 (s[i] == '\'' && i + 1 < n && is_id(s[i + 1])) ||
					 ((s[i] == '+' || s[i] == '-') &&
					  strchr("eEpP", s[i - 1]) != NULL)))
				i++;
			push_tok(u, &cap, MCC_T_NUM, a, i - a, line);
			continue;
		}
		if (c == '"' || c == '\'') {
			int l0;
quoted:
			l0 = line;
			i++;
			while (i < n && s[i] != c && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n) {
					if (s[i + 1] == '\n')
						line++;
					i++;
				}
				i++;
			}
			if (i < n && s[i] == c)
				i++;
			push_tok(u, &cap, MCC_T_STR, a, i - a, l0);
			continue;
		}
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
		push_tok(u, &cap, MCC_T_PUNCT, a, i - a, line);
	}
}

/* ---- token helpers ----------------------------------------------------------------- */


static int tok_is(const struct mcc_unit *u, size_t i, const char *w)
{
	return i < u->ntoks && u->toks[i].len == strlen(w) &&
	       !memcmp(u->src + u->toks[i].off, w, u->toks[i].len);
}

static int tok_ident(const struct mcc_unit *u, size_t i)
{
	return i < u->ntoks && u->toks[i].kind == MCC_T_IDENT;
}

static char *tok_dup(const struct mcc_unit *u, size_t i)
{
	return mcc_strndup(u->src + u->toks[i].off, u->toks[i].len);
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
static size_t match_fwd(const struct mcc_unit *u, size_t i)
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

static int err_at(const struct mcc_unit *u, size_t t, const char *msg, const char *arg)
{
	const char *file;
	int line;

	mcc_src_pos(u, t < u->ntoks ? u->toks[t].line : 1, &file, &line);
	fprintf(stderr, "%s:%d: error: %s%s%s\n", file, line, msg, arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* Type keywords and qualifiers: never a parameter's name. */
static const char *const type_words[] = {
	"int", "char", "short", "long", "float", "double", "void", "bool", "_Bool",
	"signed", "unsigned", "const", "volatile", "struct", "union", "enum", "class",
	"typename", "__restrict__", "__restrict", "restrict", "auto", "size_t", NULL,
};

/* ---- declarations ------------------------------------------------------------------- */

enum scope_kind { SC_NS, SC_EXTERN_C, SC_OTHER };

struct scope {
	int kind;
	char *name;   /* namespace name, "" when anonymous */
};

/* Skips `__attribute__((...))`, `__launch_bounds__(...)`, `alignas(...)`,
 * `__declspec(...)` at i; returns the index after, or i. */
static size_t skip_attr(const struct mcc_unit *u, size_t i)
{
	if ((tok_is(u, i, "__attribute__") || tok_is(u, i, "__launch_bounds__") ||
	     tok_is(u, i, "alignas") || tok_is(u, i, "__declspec") || tok_is(u, i, "__align__") ||
	     tok_is(u, i, "_Alignas")) && tok_is(u, i + 1, "("))
		return match_fwd(u, i + 1) + 1;
	if (tok_is(u, i, "[") && tok_is(u, i + 1, "["))
		return match_fwd(u, i) + 1;
	return i;
}

/* Splits one parameter [a, b) into type and name. */
static int parse_param(const struct mcc_unit *u, size_t a, size_t b, struct mcc_param *p)
{
	size_t i, name, lb = 0, nb = 0;
	struct mcc_buf t = {0};
	char *pre, *dims;

	for (i = a; i < b; i++)
		if (tok_is(u, i, "=") ) {
			b = i;
			break;
		} else if (tok_is(u, i, "(") || tok_is(u, i, "[") || tok_is(u, i, "{")) {
			i = match_fwd(u, i);
		}
	while (b > a && (tok_is(u, b - 1, "]"))) {
		/* walk back over [..][..] to the name */
		int depth = 0;

		for (i = b; i-- > a;) {
			if (tok_is(u, i, "]"))
				depth++;
			else if (tok_is(u, i, "[") && --depth == 0)
				break;
		}
		if (i <= a || i >= b)
			return -1;
		lb = i;
		nb++;
		if (!tok_is(u, i - 1, "]")) {
			b = i;
			break;
		}
		b = i;
	}
	if (b <= a + 1)
		return -1;
	name = b - 1;
	if (!tok_ident(u, name) || word_in(u->src + u->toks[name].off, u->toks[name].len, type_words))
		return -1;
	pre = mcc_tok_text(u, a, name);
	mcc_buf_puts(&t, pre);
	if (nb) {
		size_t end = lb;

		while (end < u->ntoks && !tok_is(u, end, ",") && !tok_is(u, end, ")")) {
			if (tok_is(u, end, "["))
				end = match_fwd(u, end);
			end++;
			if (!tok_is(u, end, "["))
				break;
		}
		/* first [] becomes the pointer, the rest stay as the pointee's dims */
		dims = mcc_tok_text(u, match_fwd(u, lb) + 1, end);
		if (*dims)
			mcc_buf_printf(&t, " (*)%s", dims);
		else
			mcc_buf_puts(&t, " *");
		free(dims);
	}
	free(pre);
	p->type = t.s;
	p->name = tok_dup(u, name);
	return 0;
}

static void add_kernel_ns(struct mcc_kernel *k, const struct scope *sc, int nsc)
{
	int i;

	for (i = 0; i < nsc; i++) {
		if (sc[i].kind != SC_NS)
			continue;
		k->ns = mcc_xrealloc(k->ns, (size_t)(k->nns + 1) * sizeof(char *));
		k->ns[k->nns++] = mcc_strndup(sc[i].name, strlen(sc[i].name));
	}
}

static char *qualify(const struct scope *sc, int nsc, const char *prefix, const char *name)
{
	struct mcc_buf b = {0};
	int i;

	for (i = 0; i < nsc; i++)
		if (sc[i].kind == SC_NS && sc[i].name[0])
			mcc_buf_printf(&b, "%s::", sc[i].name);
	mcc_buf_puts(&b, prefix);
	mcc_buf_puts(&b, name);
	return b.s;
}

/* Start of the declaration containing token i: after the previous ; { } */
static size_t decl_start(const struct mcc_unit *u, size_t i, size_t floor)
{
	while (i > floor) {
		if (tok_is(u, i - 1, ";") || tok_is(u, i - 1, "{") || tok_is(u, i - 1, "}"))
			break;
		i--;
	}
	return i;
}

/* Finds the declarator name before `(` from i on: returns the index of the
 * `(` of the parameter list, or ntoks if a ; = { comes first. *qual gets
 * name's token index goes to *name_tok. */
static size_t find_params(const struct mcc_unit *u, size_t i, size_t *name_tok)
{
	for (; i < u->ntoks; i++) {
		size_t j = skip_attr(u, i);

		if (j != i) {
			i = j - 1;
			continue;
		}
		if (tok_is(u, i, ";") || tok_is(u, i, "{") || tok_is(u, i, "=") || tok_is(u, i, "}"))
			return u->ntoks;
		if (tok_ident(u, i) && tok_is(u, i + 1, "(") && !tok_is(u, i, "decltype") &&
		    !tok_is(u, i, "__typeof__") && !tok_is(u, i, "typeof") && !tok_is(u, i, "sizeof")) {
			*name_tok = i;
			return i + 1;
		}
		if (tok_is(u, i, "(") || tok_is(u, i, "["))
			i = match_fwd(u, i);
	}
	return u->ntoks;
}

/* After the parameter list's `)`: the `{` of a body, or ntoks. */
static size_t find_body(const struct mcc_unit *u, size_t i)
{
	for (; i < u->ntoks; i++) {
		size_t j = skip_attr(u, i);

		if (j != i) {
			i = j - 1;
			continue;
		}
		if (tok_is(u, i, "{"))
			return i;
		if (tok_is(u, i, ";") || tok_is(u, i, "=") || tok_is(u, i, ",") || tok_is(u, i, "}"))
			return u->ntoks;
		if (tok_is(u, i, "(") || tok_is(u, i, "["))
			i = match_fwd(u, i);
	}
	return u->ntoks;
}

/* Index of the `>` closing the template argument or parameter list opened
 * by the `<` at i (parentheses nest; `>` inside them does not count). */
static size_t match_angle(const struct mcc_unit *u, size_t i)
{
	int d = 0;

	for (; i < u->ntoks; i++) {
		if (tok_is(u, i, "(") || tok_is(u, i, "[") || tok_is(u, i, "{")) {
			i = match_fwd(u, i);
			continue;
		}
		if (tok_is(u, i, ";"))
			break;
		d += tok_is(u, i, "<") - tok_is(u, i, ">");
		if (!d)
			return i;
	}
	return u->ntoks;
}

/* `template <typename T, int N>` before kernel token g: records "<T, N>",
 * the parameters spelled as the arguments of the kernel's own instance. */
static int parse_template(const struct mcc_unit *u, size_t t, size_t g, struct mcc_kernel *k)
{
	size_t close, a, i;
	struct mcc_buf b = {0};

	if (!tok_is(u, t + 1, "<") || (close = match_angle(u, t + 1)) >= g)
		return err_at(u, t, "cannot read the template parameters of this kernel", NULL);
	if (close == t + 2)
		return err_at(u, t, "explicit specializations of kernels are not supported", NULL);
	mcc_buf_puts(&b, "<");
	for (a = i = t + 2; i <= close; i++) {
		size_t e, name;
		int pack = 0;

		if (tok_is(u, i, "(") || tok_is(u, i, "[")) {
			i = match_fwd(u, i);
			continue;
		}
		if (tok_is(u, i, "<")) {
			i = match_angle(u, i);
			continue;
		}
		if (!tok_is(u, i, ",") && i != close)
			continue;
		for (e = a; e < i && !tok_is(u, e, "="); e++)
			;
		name = e - 1;
		if (e == a || !tok_ident(u, name) || tok_is(u, name, "typename") ||
		    tok_is(u, name, "class") || word_in(u->src + u->toks[name].off,
							 u->toks[name].len, type_words)) {
			mcc_buf_free(&b);
			return err_at(u, a, "template parameters of a kernel need names", NULL);
		}
		pack = name >= a + 3 && tok_is(u, name - 1, ".") && tok_is(u, name - 2, ".") &&
		       tok_is(u, name - 3, ".");
		mcc_buf_printf(&b, "%s%.*s%s", a > t + 2 ? ", " : "", (int)u->toks[name].len,
			       u->src + u->toks[name].off, pack ? "..." : "");
		a = i + 1;
	}
	mcc_buf_puts(&b, ">");
	k->tmpl_open = t + 1;
	k->tmpl_params = b.s;
	return 0;
}

static int parse_kernel(struct mcc_unit *u, size_t g, size_t floor, const struct scope *sc,
			int nsc, size_t *next)
{
	size_t start = decl_start(u, g, floor), i, name = 0, lp, rp, body, a;
	struct mcc_kernel k;
	char *prefix;

	memset(&k, 0, sizeof(k));
	*next = g + 1;
	for (i = start; i < g; i++)
		if (tok_is(u, i, "template")) {
			if (parse_template(u, i, g, &k) != 0)
				return -1;
			break;
		}
	for (i = g + 1; i < u->ntoks && !tok_is(u, i, "(") && !tok_is(u, i, ";"); i++)
		if (tok_is(u, i, "__launch_bounds__") && tok_is(u, i + 1, "(") &&
		    u->toks[i + 2].kind == MCC_T_NUM)
			k.max_threads = (unsigned)strtoul(u->src + u->toks[i + 2].off, NULL, 0);
	lp = find_params(u, g + 1, &name);
	if (lp >= u->ntoks)
		return err_at(u, g, "cannot find the name of this __global__ function", NULL);
	rp = match_fwd(u, lp);
	if (rp >= u->ntoks)
		return err_at(u, g, "unbalanced parameter list", NULL);
	body = find_body(u, rp + 1);
	if (body >= u->ntoks) {
		free(k.tmpl_params);
		*next = rp + 1;
		return 0;  /* a declaration: its definition is elsewhere */
	}
	k.line = u->toks[name].line;
	k.name = tok_dup(u, name);
	/* out-of-line ns::k */
	i = name;
	while (i >= 2 && tok_is(u, i - 1, "::") && tok_ident(u, i - 2))
		i -= 2;
	prefix = i < name ? mcc_tok_text(u, i, name) : mcc_strndup("", 0);
	{
		char *p, *q;

		for (p = q = prefix; *p; p++)
			if (*p != ' ')
				*q++ = *p;
		*q = 0;
	}
	k.qname = qualify(sc, nsc, prefix, k.name);
	free(prefix);
	add_kernel_ns(&k, sc, nsc);
	/* parameters */
	if (!(rp == lp + 1 || (rp == lp + 2 && tok_is(u, lp + 1, "void")))) {
		a = lp + 1;
		for (i = lp + 1; i <= rp; i++) {
			if (tok_is(u, i, "(") || tok_is(u, i, "[") || tok_is(u, i, "{")) {
				i = match_fwd(u, i);
				continue;
			}
			if (tok_is(u, i, "<")) {
				int d = 1;
				size_t j;

				for (j = i + 1; j < rp && d; j++)
					d += tok_is(u, j, "<") - tok_is(u, j, ">");
				if (!d)
					i = j - 1;
				continue;
			}
			if (tok_is(u, i, ",") || i == rp) {
				struct mcc_param p;

				if (parse_param(u, a, i, &p) != 0) {
					char *t = mcc_tok_text(u, a, i);
					int rc;

					rc = err_at(u, a < i ? a : i,
						    "kernel parameter needs a name and a type", t);
					free(t);
					return rc;
				}
				k.params = mcc_xrealloc(k.params,
							(size_t)(k.nparams + 1) * sizeof(p));
				k.params[k.nparams++] = p;
				a = i + 1;
			}
		}
	}
	k.decl = start;
	k.name_tok = name;
	k.lparen = lp;
	k.rparen = rp;
	k.body_open = body;
	k.body_close = match_fwd(u, body);
	if (k.body_close >= u->ntoks)
		return err_at(u, body, "unbalanced braces in kernel body", NULL);
	u->kernels = mcc_xrealloc(u->kernels, (size_t)(u->nkernels + 1) * sizeof(k));
	u->kernels[u->nkernels++] = k;
	*next = k.body_close + 1;
	return 0;
}

static void parse_device(struct mcc_unit *u, size_t d, size_t floor, size_t *next)
{
	size_t start = decl_start(u, d, floor), i, name = 0, lp, rp, body;
	struct mcc_func f;

	memset(&f, 0, sizeof(f));
	*next = d + 1;
	for (i = start; i < u->ntoks && !tok_is(u, i, "("); i++) {
		if (tok_is(u, i, "__host__"))
			f.host_too = 1;
		if (tok_is(u, i, "__global__") || tok_is(u, i, ";") || tok_is(u, i, "="))
			return;
	}
	lp = find_params(u, d + 1, &name);
	if (lp >= u->ntoks)
		return;   /* a __device__ variable */
	rp = match_fwd(u, lp);
	if (rp >= u->ntoks)
		return;
	f.name = tok_dup(u, name);
	body = find_body(u, rp + 1);
	if (body < u->ntoks) {
		f.has_body = 1;
		f.body_open = body;
		f.body_close = match_fwd(u, body);
		*next = f.body_close + 1;
	} else {
		*next = rp + 1;
	}
	u->funcs = mcc_xrealloc(u->funcs, (size_t)(u->nfuncs + 1) * sizeof(f));
	u->funcs[u->nfuncs++] = f;
}

/* From a `)` or `]` at c back to its opening bracket (c itself if none). */
static size_t open_back(const struct mcc_unit *u, size_t c)
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

static int parse_launch(struct mcc_unit *u, size_t o)
{
	struct mcc_launch l;
	size_t i, c;
	int depth = 0;

	memset(&l, 0, sizeof(l));
	l.cfg_open = o;
	/* the callee: id-expression with :: and balanced <...> */
	i = o;
	if (i == 0)
		return err_at(u, o, "kernel launch without a kernel", NULL);
	c = i - 1;
	for (;;) {
		if (tok_is(u, c, ">")) {
			int d = 0;

			for (;; c--) {
				if (tok_is(u, c, ")") || tok_is(u, c, "]"))
					c = open_back(u, c);   /* (N > 16) */
				d += tok_is(u, c, ">") - tok_is(u, c, "<");
				if (!d || c == 0)
					break;
			}
			if (d || c == 0)
				return err_at(u, o, "cannot find the kernel of this launch", NULL);
			c--;
		}
		if (!tok_ident(u, c))
			return err_at(u, o, "cannot find the kernel of this launch", NULL);
		if (c >= 1 && tok_is(u, c - 1, "::")) {
			if (c >= 2 && (tok_ident(u, c - 2) || tok_is(u, c - 2, ">"))) {
				c -= 2;
				continue;
			}
			c--;
		}
		break;
	}
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
				return err_at(u, o, "a launch configuration has at most 4 parts", NULL);
			l.cfg[l.ncfg][0] = c;
			l.cfg[l.ncfg][1] = i;
			if (i == c)
				return err_at(u, o, "empty part in the launch configuration", NULL);
			l.ncfg++;
			c = i + 1;
			if (tok_is(u, i, ">>>"))
				break;
		}
		if (depth < 0 || tok_is(u, i, ";"))
			break;
	}
	if (i >= u->ntoks || !tok_is(u, i, ">>>"))
		return err_at(u, o, "unterminated launch configuration (missing >>>)", NULL);
	if (l.ncfg < 2)
		return err_at(u, o, "a launch configuration needs a grid and a block", NULL);
	l.cfg_close = i;
	if (!tok_is(u, i + 1, "("))
		return err_at(u, o, "expected ( after the launch configuration", NULL);
	l.args_open = i + 1;
	l.args_close = match_fwd(u, i + 1);
	if (l.args_close >= u->ntoks)
		return err_at(u, o, "unbalanced launch arguments", NULL);
	u->launches = mcc_xrealloc(u->launches, (size_t)(u->nlaunches + 1) * sizeof(l));
	u->launches[u->nlaunches++] = l;
	return 0;
}

static void parse_dyn_shared(struct mcc_unit *u, size_t kw_ext, size_t kw_sh, int file_scope,
			     const struct scope *sc, int nsc)
{
	struct mcc_dynshared d;
	size_t i;

	for (i = kw_sh; i < u->ntoks && !tok_is(u, i, ";"); i++)
		;
	if (i >= u->ntoks || !tok_is(u, i - 1, "]"))
		return;
	memset(&d, 0, sizeof(d));
	d.rbrack = i - 1;
	d.lbrack = d.rbrack - 1;
	if (!tok_is(u, d.lbrack, "[")) {
		d.lbrack = d.rbrack - 2;  /* name[0] */
		if (!tok_is(u, d.lbrack, "["))
			return;
	}
	d.name = d.lbrack - 1;
	if (!tok_ident(u, d.name))
		return;
	d.kw_extern = kw_ext;
	d.kw_shared = kw_sh;
	d.file_scope = file_scope;
	{
		char *n = tok_dup(u, d.name);

		d.qname = qualify(sc, nsc, "", n);
		free(n);
	}
	u->dyn = mcc_xrealloc(u->dyn, (size_t)(u->ndyn + 1) * sizeof(d));
	u->dyn[u->ndyn++] = d;
}

/*
 * A __shared__ declaration at keyword kw. CUDA takes the declaration
 * specifiers in any order (`extern float __shared__ smem[];`, `float
 * __shared__ x[32];`, `volatile __shared__ int y;`, `__shared__ static`),
 * and the device pass defines __shared__ as `static __thread`: an `extern`
 * among the specifiers makes it the dynamic buffer (parse_dyn_shared),
 * and any `static` would be a second storage class, so the device pass
 * drops it.
 */
static void scan_shared(struct mcc_unit *u, size_t kw, size_t floor, int file_scope,
			const struct scope *sc, int nsc)
{
	size_t start = decl_start(u, kw, floor), i, ext = 0, stat[4];
	int has_ext = 0, nstat = 0, k;

	/* the specifiers: up to the declarator's [ = ; , or an initializer */
	for (i = start; i < u->ntoks; i++) {
		if (tok_is(u, i, "(") || (tok_is(u, i, "[") && tok_is(u, i + 1, "["))) {
			i = match_fwd(u, i);   /* __align__(8), [[attr]], decltype(x) */
			continue;
		}
		if (tok_is(u, i, ";") || tok_is(u, i, "=") || tok_is(u, i, "[") ||
		    tok_is(u, i, ",") || tok_is(u, i, "{") || tok_is(u, i, "}"))
			break;
		if (tok_is(u, i, "extern")) {
			ext = i;
			has_ext = 1;
		} else if (tok_is(u, i, "static") && nstat < 4) {
			stat[nstat++] = i;
		}
	}
	if (has_ext) {
		parse_dyn_shared(u, ext, kw, file_scope, sc, nsc);
		return;
	}
	for (k = 0; k < nstat; k++) {
		u->static_shared = mcc_xrealloc(u->static_shared,
						(size_t)(u->nstatic_shared + 1) * sizeof(size_t));
		u->static_shared[u->nstatic_shared++] = stat[k];
	}
}

/* ---- barrier analysis ------------------------------------------------------------------- */

/* Cooperative groups synchronise through the block barrier and the warp
 * operations without naming them: the group constructors, and the group
 * collectives called as members (tile.shfl_down(...), cta.sync()) or
 * qualified (cg::sync(cta), cg::reduce(tile, ...)). */
static const char *const cg_words[] = {
	"this_thread_block", "tiled_partition", "thread_block_tile", "coalesced_threads",
	"this_grid", "labeled_partition", "binary_partition", NULL,
};
static const char *const cg_collectives[] = {
	"sync", "shfl", "shfl_up", "shfl_down", "shfl_xor", "ballot", "any", "all", "reduce",
	"match_any", "match_all", "inclusive_scan", "exclusive_scan", "barrier_wait", "invoke_one",
	"invoke_one_broadcast", "wait", "wait_prior", NULL,
};

static int mentions_cg_collective(const struct mcc_unit *u, size_t i)
{
	const char *s = u->src + u->toks[i].off;
	size_t n = u->toks[i].len;

	if (word_in(s, n, cg_words))
		return 1;
	return i > 0 && (tok_is(u, i - 1, ".") || tok_is(u, i - 1, "->") || tok_is(u, i - 1, "::")) &&
	       tok_is(u, i + 1, "(") && word_in(s, n, cg_collectives);
}

static int range_mentions_barrier(const struct mcc_unit *u, size_t a, size_t b)
{
	size_t i;
	int k;

	for (i = a; i < b; i++) {
		if (!tok_ident(u, i))
			continue;
		if (word_in(u->src + u->toks[i].off, u->toks[i].len, barrier_words) ||
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

/* A body calls function `name` (by its unqualified name). */
static int range_calls(const struct mcc_unit *u, size_t a, size_t b, const char *name)
{
	size_t i;

	for (i = a; i < b; i++)
		if (tok_is(u, i, name) && (tok_is(u, i + 1, "(") || tok_is(u, i + 1, "<")))
			return 1;
	return 0;
}

static void analyse_barriers(struct mcc_unit *u)
{
	int *bar = calloc((size_t)u->nfuncs + 1, sizeof(int));
	int i, j, changed = 1;

	if (!bar)
		return;
	for (i = 0; i < u->nfuncs; i++) {
		const struct mcc_func *f = &u->funcs[i];

		/* A __device__ function declared here but defined elsewhere may
		 * hold a barrier mcc cannot see: assume it does. */
		if (!f->has_body) {
			int defined = 0;

			for (j = 0; j < u->nfuncs; j++)
				defined |= u->funcs[j].has_body && !strcmp(u->funcs[j].name, f->name);
			bar[i] = !defined && !f->host_too;
		} else {
			bar[i] = range_mentions_barrier(u, f->body_open, f->body_close);
		}
	}
	while (changed) {
		changed = 0;
		for (i = 0; i < u->nfuncs; i++) {
			if (bar[i] || !u->funcs[i].has_body)
				continue;
			for (j = 0; j < u->nfuncs; j++)
				if (bar[j] && range_calls(u, u->funcs[i].body_open, u->funcs[i].body_close,
							  u->funcs[j].name)) {
					bar[i] = changed = 1;
					break;
				}
		}
	}
	for (i = 0; i < u->nkernels; i++) {
		struct mcc_kernel *k = &u->kernels[i];
		int b = range_mentions_barrier(u, k->body_open, k->body_close);

		for (j = 0; !b && j < u->nfuncs; j++)
			b = bar[j] && range_calls(u, k->body_open, k->body_close, u->funcs[j].name);
		k->flags = b ? (MUSA_META_F_BARRIER | MUSA_META_F_WARP) : 0;
	}
	for (i = 0; i < u->nfuncs; i++)
		u->funcs[i].barrier = bar[i];
	free(bar);
}

/* ---- template instances and overloads ------------------------------------------------- */

/* Tokens [a, b) joined with a space only where two words would merge:
 * the one spelling of a template argument list both passes agree on. */
static char *norm_text(const struct mcc_unit *u, size_t a, size_t b)
{
	struct mcc_buf t = {0};
	size_t i;

	mcc_buf_puts(&t, "");
	for (i = a; i < b; i++) {
		if (i > a && u->toks[i].kind != MCC_T_PUNCT && u->toks[i - 1].kind != MCC_T_PUNCT)
			mcc_buf_puts(&t, " ");
		mcc_buf_put(&t, u->src + u->toks[i].off, u->toks[i].len);
	}
	return t.s;
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

/* Whether kernel k is the one a launch names as `prefix name` (prefix:
 * the qualifier as written, "" or "ns::"). */
static int names_kernel(const struct mcc_kernel *k, const char *prefix, const struct mcc_unit *u,
			size_t name)
{
	size_t ql = strlen(k->qname), pl, nl = u->toks[name].len;

	if (strlen(k->name) != nl || memcmp(k->name, u->src + u->toks[name].off, nl))
		return 0;
	if (prefix[0] == ':' && prefix[1] == ':')
		prefix += 2;
	pl = strlen(prefix);
	return ql >= pl + nl && !memcmp(k->qname + ql - nl - pl, prefix, pl);
}

/*
 * Every template kernel is instantiated in the device pass for each
 * argument list a launch of this file spells out (`reduce<256><<<...>>>`);
 * that is where nvcc, too, learns which instances the device code needs.
 */
/*
 * Whether the template arguments [lt, end) of launch l name a parameter of
 * the template whose definition holds the launch (`k<T, 256><<<...>>>` in
 * a function template or a member of a class template).
 */
static int launch_is_dependent(const struct mcc_unit *u, const struct mcc_launch *l, size_t lt,
			       size_t end)
{
	size_t i = l->decl, close, j;
	int depth = 0;

	if (!tok_is(u, i, "template") || !tok_is(u, i + 1, "<"))
		return 0;
	for (close = i + 1; close < l->cfg_open; close++) {
		if (tok_is(u, close, "(") || tok_is(u, close, "[")) {
			close = match_fwd(u, close);
			continue;
		}
		depth += tok_is(u, close, "<") - tok_is(u, close, ">");
		if (!depth)
			break;
	}
	/* a parameter's name: the last word before `,`, `=` or the closing `>` */
	for (j = i + 2; j <= close && j < l->cfg_open; j++) {
		size_t n = j - 1, a;

		if (!(tok_is(u, j, ",") || tok_is(u, j, "=") || j == close))
			continue;
		if (tok_ident(u, n) && !tok_is(u, n, "class") && !tok_is(u, n, "typename"))
			for (a = lt; a < end; a++)
				if (u->toks[a].len == u->toks[n].len &&
				    !memcmp(u->src + u->toks[a].off, u->src + u->toks[n].off, u->toks[n].len) &&
				    !(a > 0 && (tok_is(u, a - 1, "::") || tok_is(u, a - 1, "."))))
					return 1;
		if (tok_is(u, j, "=")) {   /* skip the default to the next , */
			int d = 0;

			for (; j < close; j++) {
				if (tok_is(u, j, "(") || tok_is(u, j, "[")) {
					j = match_fwd(u, j);
					continue;
				}
				d += tok_is(u, j, "<") - tok_is(u, j, ">");
				if (d == 0 && tok_is(u, j + 1, ","))
					break;
			}
		}
	}
	return 0;
}

/* The kernel name token of launch l (of unit w) in *name, and the `<` of
 * its template arguments in *lt (cfg_open: none); -1 when the callee is no
 * plain (qualified) name with template arguments. */
static int launch_name(const struct mcc_unit *w, const struct mcc_launch *l, size_t *name, size_t *lt)
{
	size_t end = l->cfg_open;

	*lt = end;
	if (tok_is(w, end - 1, ">")) {
		int d = 0;

		for (*lt = end - 1; *lt > l->callee; (*lt)--) {
			if (tok_is(w, *lt, ")") || tok_is(w, *lt, "]"))
				*lt = open_back(w, *lt);
			d += tok_is(w, *lt, ">") - tok_is(w, *lt, "<");
			if (!d)
				break;
		}
		if (d || *lt == l->callee)
			return -1;
	}
	*name = *lt - 1;
	return 0;
}

/* Every template kernel of u takes its instances from the compiler: a
 * launch names its kernel in a way the text does not tell (a macro). */
static void all_templates_dep(struct mcc_unit *u)
{
	for (int j = 0; j < u->nkernels; j++)
		if (u->kernels[j].tmpl_params)
			u->kernels[j].dep = 1;
}

/*
 * A launch in a macro body (unit w): its template arguments may name the
 * macro's parameters, and its kernel may be one (`#define RUN(k) k<<<...>>>`),
 * so which instances it launches shows only where the macro is used. The
 * template kernels it may launch take their instances from the compiler
 * (driver.c's discover_instances); non-template kernels need nothing.
 */
static void macro_launch_deps(struct mcc_unit *u, const struct mcc_unit *w, const struct mcc_launch *l)
{
	size_t name, lt;
	char *prefix;
	int j, known = 0;

	if (launch_name(w, l, &name, &lt) != 0 || !tok_ident(w, name)) {
		all_templates_dep(u);
		return;
	}
	prefix = norm_text(w, l->callee, name);
	for (j = 0; j < u->nkernels; j++)
		if (names_kernel(&u->kernels[j], prefix, w, name)) {
			known = 1;
			if (u->kernels[j].tmpl_params)
				u->kernels[j].dep = 1;
		}
	free(prefix);
	if (!known)
		all_templates_dep(u);
}

static int collect_instances(struct mcc_unit *u)
{
	int i, j;

	for (i = 0; i < u->nlaunches; i++) {
		const struct mcc_launch *l = &u->launches[i];
		size_t end = l->cfg_open, lt, name;
		char *prefix;
		int known = 0;

		if (launch_name(u, l, &name, &lt) != 0)
			continue;
		prefix = norm_text(u, l->callee, name);
		for (j = 0; j < u->nkernels; j++) {
			struct mcc_kernel *k = &u->kernels[j];

			if (!names_kernel(k, prefix, u, name))
				continue;
			known = 1;
			if (!k->tmpl_params)
				continue;
			if (lt == end) {
				free(prefix);
				return err_at(u, l->cfg_open, "launch of a template kernel needs "
					      "explicit template arguments", k->qname);
			}
			if (launch_is_dependent(u, l, lt, end)) {
				k->dep = 1;   /* the instances come from compiling (driver.c) */
				continue;
			}
			mcc_add_instance(k, norm_text(u, lt, end));
		}
		free(prefix);
		/* a name that is no kernel here: a macro (`#define K k<256>`), a
		 * kernel of another file or a pointer; the compiler knows */
		if (!known)
			all_templates_dep(u);
	}
	for (i = 0; i < u->nmacros; i++)
		for (j = 0; j < u->macros[i].body->nlaunches; j++)
			macro_launch_deps(u, u->macros[i].body, &u->macros[i].body->launches[j]);
	/* a kernel with dependent launches takes all its instances from the
	 * compiler, spelled one way (driver.c) */
	for (i = 0; i < u->nkernels; i++) {
		struct mcc_kernel *k = &u->kernels[i];

		if (!k->dep)
			continue;
		for (j = 0; j < k->ninsts; j++)
			free(k->insts[j]);
		k->ninsts = 0;
	}
	return 0;
}

/* Kernels are registered and looked up by name: one definition per name. */
static int check_overloads(const struct mcc_unit *u)
{
	int i, j;

	for (i = 1; i < u->nkernels; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(u->kernels[i].qname, u->kernels[j].qname)) {
				char what[256];

				snprintf(what, sizeof(what), "%s (also defined at line %d)",
					 u->kernels[i].qname, u->kernels[j].line);
				return err_at(u, u->kernels[i].name_tok,
					      "overloaded __global__ functions are not supported", what);
			}
	return 0;
}

/* ---- launches in macro bodies -------------------------------------------------------------- */

static void join_chevrons(struct mcc_unit *u);

/*
 * The lexer skips preprocessor lines, so a launch written in a #define
 * (`#define RUN(k, n) k<<<(n + 255) / 256, 256>>>(x, n)`) is scanned here:
 * each noted #define's text, from `define` on, is lexed as a unit of its
 * own whose tokens keep the lines of the file, and its launches are parsed
 * as any other. The passes rewrite them inside the macro body (gen_host.c,
 * gen_device.c); macros without a launch are dropped.
 */
static int scan_macros(struct mcc_unit *u)
{
	int m, keep = 0, rc = 0;

	for (m = 0; m < u->nmacros; m++) {
		struct mcc_macro mc = u->macros[m];
		struct mcc_unit *b = calloc(1, sizeof(*b));
		size_t i;

		if (!b)
			return -1;
		b->path = u->path;
		b->is_c = u->is_c;
		b->src = mcc_strndup(u->src + mc.base, mc.end - mc.base);
		b->len = mc.end - mc.base;
		b->srcmap = u->srcmap;       /* borrowed: messages name the right file */
		b->nsrcmap = u->nsrcmap;
		lex(b);
		for (i = 0; i < b->ntoks; i++)
			b->toks[i].line += mc.line - 1;
		join_chevrons(b);
		for (i = 0; i < b->ntoks && rc == 0; i++)
			if (tok_is(b, i, "<<<"))
				rc = parse_launch(b, i);
		b->srcmap = NULL;
		b->nsrcmap = 0;
		if (rc || !b->nlaunches) {
			mcc_unit_free(b);
			free(b);
			if (rc)
				break;
			continue;
		}
		mc.body = b;
		u->macros[keep++] = mc;
	}
	u->nmacros = keep;
	return rc;
}

/* ---- the walk over scopes --------------------------------------------------------------- */

/* Whether token i starts the type of a namespace-scope declaration of a
 * legacy texture or surface reference: [static|extern|const] texture<...>. */
static int texture_ref(const struct mcc_unit *u, size_t i, size_t floor)
{
	size_t j = i;

	if (!(tok_is(u, i, "texture") || tok_is(u, i, "surface")) || !tok_is(u, i + 1, "<"))
		return 0;
	while (j > floor && (tok_is(u, j - 1, "static") || tok_is(u, j - 1, "extern") ||
			     tok_is(u, j - 1, "const") || tok_is(u, j - 1, "volatile") ||
			     tok_is(u, j - 1, "::")))
		j--;
	return j == floor || tok_is(u, j - 1, ";") || tok_is(u, j - 1, "{") || tok_is(u, j - 1, "}");
}

static int walk(struct mcc_unit *u)
{
	struct scope *sc = NULL;
	int nsc = 0, rc = 0, ns_only;
	size_t i, floor = 0, next, outer_decl = 0;

	for (i = 0; i < u->ntoks && rc == 0; i++) {
		int k;

		ns_only = 1;
		for (k = 0; k < nsc; k++)
			ns_only &= sc[k].kind != SC_OTHER;
		if (tok_is(u, i, "{")) {
			struct scope s = {SC_OTHER, NULL};

			/* namespace a::b { / inline namespace { / extern "C" { */
			if (i >= 1 && tok_is(u, i - 1, "namespace")) {
				s.kind = SC_NS;
				s.name = mcc_strndup("", 0);
			} else if (i >= 2 && tok_ident(u, i - 1) && (tok_is(u, i - 2, "namespace") ||
								tok_is(u, i - 2, "::"))) {
				size_t a = i - 1;

				while (a >= 2 && tok_is(u, a - 1, "::") && tok_ident(u, a - 2))
					a -= 2;
				if (a >= 1 && tok_is(u, a - 1, "namespace")) {
					char *t = mcc_tok_text(u, a, i), *p, *q;

					for (p = q = t; *p; p++)
						if (*p != ' ')
							*q++ = *p;
					*q = 0;
					s.kind = SC_NS;
					s.name = t;
				}
			} else if (i >= 2 && tok_is(u, i - 2, "extern") &&
				   u->toks[i - 1].kind == MCC_T_STR) {
				s.kind = SC_EXTERN_C;
			}
			if (!s.name)
				s.name = mcc_strndup("", 0);
			/* the declaration a function or class body belongs to */
			if (ns_only && s.kind == SC_OTHER)
				outer_decl = floor;
			sc = mcc_xrealloc(sc, (size_t)(nsc + 1) * sizeof(*sc));
			sc[nsc++] = s;
			floor = i + 1;
			continue;
		}
		if (tok_is(u, i, "}")) {
			if (nsc > 0)
				free(sc[--nsc].name);
			floor = i + 1;
			continue;
		}
		if (tok_is(u, i, "<<<")) {
			int n0 = u->nlaunches;

			rc = parse_launch(u, i);
			if (u->nlaunches > n0)
				u->launches[u->nlaunches - 1].decl = outer_decl;
			continue;
		}
		if (tok_is(u, i, "__shared__")) {
			scan_shared(u, i, floor, ns_only, sc, nsc);
			continue;
		}
		if (!ns_only)
			continue;
		if (tok_is(u, i, "__global__")) {
			rc = parse_kernel(u, i, floor, sc, nsc, &next);
			if (rc == 0 && next > i + 1) {
				/* launches and shared memory inside the body still count */
				size_t b;

				for (b = i + 1; b < next && rc == 0; b++) {
					if (tok_is(u, b, "<<<"))
						rc = parse_launch(u, b);
					else if (tok_is(u, b, "__shared__"))
						scan_shared(u, b, i + 1, 0, sc, nsc);
				}
				i = next - 1;
				floor = next;
			}
			continue;
		}
		if (tok_is(u, i, "__device__") || tok_is(u, i, "__constant__") ||
		    tok_is(u, i, "__managed__") || texture_ref(u, i, floor)) {
			char *ns = qualify(sc, nsc, "", "");

			mcc_scan_var(u, i, floor, ns);   /* gen_vars.c: variables only */
			free(ns);
		}
		if (tok_is(u, i, "__device__")) {
			parse_device(u, i, floor, &next);
			/* the body is walked normally for launches and shared decls */
			continue;
		}
		if (tok_is(u, i, ";"))
			floor = i + 1;
	}
	while (nsc > 0)
		free(sc[--nsc].name);
	free(sc);
	return rc;
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

int mcc_scan(struct mcc_unit *u, const char *path, int is_c)
{
	FILE *f;
	struct mcc_buf b = {0};
	char chunk[65536];
	size_t n;

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
	if (mcc_expand_includes(u, &b) != 0) {
		mcc_buf_free(&b);
		return -1;
	}
	u->src = b.s;
	u->len = b.len;
	lex(u);
	join_chevrons(u);
	if (walk(u) != 0 || scan_macros(u) != 0 || check_overloads(u) != 0 ||
	    collect_instances(u) != 0)
		return -1;
	analyse_barriers(u);
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
		free(k->tmpl_params);
		free(k->name);
		free(k->qname);
	}
	for (i = 0; i < u->nfuncs; i++)
		free(u->funcs[i].name);
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
	free(u->static_shared);
	for (i = 0; i < u->nsrcmap; i++)
		free(u->srcmap[i].file);
	free(u->srcmap);
	free(u->dyn);
	free(u->kernels);
	free(u->funcs);
	free(u->launches);
	free(u->toks);
	free(u->src);
	memset(u, 0, sizeof(*u));
}
