/* SPDX-License-Identifier: MIT */
/*
 * gen_vars.c - __device__, __constant__ and __managed__ variables: finding
 * their declarations at namespace scope (called from scan.c's walk), the
 * edits both passes need, and the generated glue:
 *
 *  - device pass: per variable an exported pointer cell `__musa_var_<n>`
 *    holding its address and a variable record in .musa_meta naming the
 *    cell (musa_codeobj.h). A cell lets static, namespaced and C++ names be
 *    found without exporting or mangling the variable itself.
 *  - host pass: the declaration stays as the host shadow, registered with
 *    __musaRegisterVar (or __musaRegisterManagedVar) by the constructor.
 *  - __managed__: the host shadow is the variable's only storage. In the
 *    device pass the declaration becomes a pointer `__musa_managed_<n>`
 *    (what the record names, flag MUSA_META_VAR_MANAGED) and every use of
 *    the name becomes `(*__musa_managed_<n>)`; the runtime points the
 *    pointer at the shadow when the module loads, so host code and kernels
 *    share one object. Uses must be unqualified and not shadowed by a local
 *    of the same name.
 *
 * `extern` declarations without an initializer are left alone: the
 * variable is defined (and registered) where its definition is.
 * A legacy texture or surface reference (`texture<float, 2> t;` at
 * namespace scope, scan.c) is a __device__ variable too: musaBindTexture
 * and musaMemcpyToSymbol then update the device's copy.
 * May call libc, buf.c, edit.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"
#include "musa_codeobj.h"

static int is(const struct mcc_unit *u, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i < u->ntoks && u->toks[i].len == n && !memcmp(u->src + u->toks[i].off, w, n);
}

static int ident(const struct mcc_unit *u, size_t i)
{
	return i < u->ntoks && u->toks[i].kind == MCC_T_IDENT;
}

/* Index of the bracket closing the one at i (or ntoks). */
static size_t close_of(const struct mcc_unit *u, size_t i)
{
	int depth = 0;

	for (; i < u->ntoks; i++) {
		if (is(u, i, "(") || is(u, i, "[") || is(u, i, "{"))
			depth++;
		else if (is(u, i, ")") || is(u, i, "]") || is(u, i, "}"))
			if (--depth == 0)
				return i;
	}
	return u->ntoks;
}

/* Index of the `>` closing the template argument list opened at i (or ntoks). */
static size_t angle_close_of(const struct mcc_unit *u, size_t i)
{
	int depth = 0;

	for (; i < u->ntoks && !is(u, i, ";"); i++) {
		if (is(u, i, "(") || is(u, i, "[") || is(u, i, "{")) {
			i = close_of(u, i);
			continue;
		}
		depth += is(u, i, "<") - is(u, i, ">");
		if (!depth)
			return i;
	}
	return u->ntoks;
}

static const char *const not_names[] = {
	"__device__", "__constant__", "__managed__", "static", "const", "volatile",
	"unsigned", "signed", "int", "long", "short", "char", "float", "double",
	"struct", "union", "enum", "inline", "__restrict__", "restrict", NULL,
};

static int keyword(const struct mcc_unit *u, size_t i)
{
	for (int k = 0; not_names[k]; k++)
		if (is(u, i, not_names[k]))
			return 1;
	return 0;
}

static void add_var(struct mcc_unit *u, size_t start, size_t name, size_t eq, size_t end,
		    unsigned flags, const char *ns)
{
	struct mcc_var v;
	struct mcc_buf b = {0};

	memset(&v, 0, sizeof(v));
	v.decl = start;
	v.name_tok = name;
	v.init = eq;
	v.init_end = end;
	v.flags = flags;
	v.name = mcc_strndup(u->src + u->toks[name].off, u->toks[name].len);
	mcc_buf_puts(&b, ns ? ns : "");
	mcc_buf_puts(&b, v.name);
	v.qname = b.s;
	u->vars = mcc_xrealloc(u->vars, (size_t)(u->nvars + 1) * sizeof(v));
	u->vars[u->nvars++] = v;
}

void mcc_scan_var(struct mcc_unit *u, size_t kw, size_t floor, const char *ns)
{
	size_t start = kw, i, name = 0;
	unsigned flags = 0;
	int is_extern = 0, has_name = 0;

	while (start > floor && !is(u, start - 1, ";") && !is(u, start - 1, "{") &&
	       !is(u, start - 1, "}"))
		start--;
	/* one declaration may carry several of the keywords */
	for (int k = 0; k < u->nvars; k++)
		if (u->vars[k].decl == start)
			return;
	for (i = start; i < u->ntoks; i++) {
		if (is(u, i, "__global__") || is(u, i, "__shared__") || is(u, i, "typedef") ||
		    is(u, i, "template") || is(u, i, "(") || is(u, i, "{") || is(u, i, "operator"))
			return;   /* a function, a type or something this does not handle */
		if (is(u, i, "extern"))
			is_extern = 1;
		if (is(u, i, "__constant__"))
			flags |= MUSA_META_VAR_CONSTANT;
		if (is(u, i, "__managed__"))
			flags |= MUSA_META_VAR_MANAGED;
		if (is(u, i, "__attribute__") && is(u, i + 1, "(")) {
			i = close_of(u, i + 1);
			continue;
		}
		if (is(u, i, "<") && has_name) {
			/* template arguments of the type: texture<float, 2, ...> */
			i = angle_close_of(u, i);
			has_name = 0;
			continue;
		}
		if (ident(u, i) && !keyword(u, i)) {
			name = i;
			has_name = 1;
		}
		if (is(u, i, "[") || is(u, i, "=") || is(u, i, ";") || is(u, i, ","))
			break;
	}
	if (!has_name || i >= u->ntoks)
		return;
	/* the declarators: name [dims] [= init] {, name [dims] [= init]} ; */
	for (;;) {
		size_t eq = 0, end;

		while (i < u->ntoks && is(u, i, "["))
			i = close_of(u, i) + 1;
		if (is(u, i, "__attribute__") && is(u, i + 1, "("))
			i = close_of(u, i + 1) + 1;
		if (is(u, i, "=")) {
			eq = i;
			for (i++; i < u->ntoks && !is(u, i, ",") && !is(u, i, ";"); i++)
				if (is(u, i, "(") || is(u, i, "[") || is(u, i, "{"))
					i = close_of(u, i);
		}
		if (i >= u->ntoks || (!is(u, i, ",") && !is(u, i, ";")))
			return;
		end = i;
		if (!is_extern || eq)
			add_var(u, start, name, eq, end, flags, ns);
		if (is(u, i, ";"))
			return;
		/* next declarator: pointer stars, then its name */
		for (i++; i < u->ntoks && (is(u, i, "*") || is(u, i, "&") || keyword(u, i)); i++)
			;
		if (!ident(u, i))
			return;
		name = i++;
	}
}

/* The C-identifier form of a qualified name: ns::x -> ns__x. */
static void put_sym(struct mcc_buf *b, const char *qname)
{
	for (const char *p = qname; *p; p++) {
		if (p[0] == ':' && p[1] == ':') {
			mcc_buf_puts(b, "__");
			p++;
		} else if (isalnum((unsigned char)*p) || *p == '_') {
			mcc_buf_put(b, p, 1);
		}
	}
}

/* The name as glue at the end of the file refers to it. */
static void put_ref(const struct mcc_unit *u, struct mcc_buf *b, const struct mcc_var *v)
{
	if (!u->is_c)
		mcc_buf_puts(b, "::");
	mcc_buf_puts(b, v->qname);
}

static void strip_keywords(const struct mcc_unit *u, struct mcc_edits *ed)
{
	for (int k = 0; k < u->nvars; k++) {
		const struct mcc_var *v = &u->vars[k];

		/* several declarators share the keywords: strip them once */
		if (k && u->vars[k - 1].decl == v->decl)
			continue;
		for (size_t i = v->decl; i < v->name_tok; i++)
			if (is(u, i, "__constant__") || is(u, i, "__managed__"))
				mcc_edit_add(ed, u->toks[i].off, u->toks[i].len, "");
	}
}

static int in_launch(const struct mcc_unit *u, size_t t)
{
	for (int i = 0; i < u->nlaunches; i++)
		if (t >= u->launches[i].callee && t <= u->launches[i].args_close)
			return 1;
	return 0;
}

void mcc_vars_device_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	strip_keywords(u, ed);
	for (int k = 0; k < u->nvars; k++) {
		const struct mcc_var *v = &u->vars[k];
		struct mcc_buf use = {0};

		if (!(v->flags & MUSA_META_VAR_MANAGED))
			continue;
		mcc_buf_puts(&use, "(*__musa_managed_");
		put_sym(&use, v->qname);
		mcc_buf_puts(&use, ")");
		/* the host shadow holds the initial value: drop the initializer */
		if (v->init)
			mcc_edit_add(ed, u->toks[v->init].off,
				     u->toks[v->init_end].off - u->toks[v->init].off, "");
		for (size_t i = 0; i < u->ntoks; i++) {
			size_t n = u->toks[v->name_tok].len;

			if (u->toks[i].len != n || memcmp(u->src + u->toks[i].off, v->name, n) ||
			    (i && (is(u, i - 1, ".") || is(u, i - 1, "->") || is(u, i - 1, "::"))) ||
			    is(u, i + 1, "::") || (v->init && i > v->init && i < v->init_end) ||
			    in_launch(u, i))
				continue;
			mcc_edit_add(ed, u->toks[i].off, n, use.s);
		}
		mcc_buf_free(&use);
	}
}

void mcc_vars_device_glue(const struct mcc_unit *u, struct mcc_buf *o)
{
	for (int k = 0; k < u->nvars; k++) {
		const struct mcc_var *v = &u->vars[k];
		struct mcc_buf sym = {0}, ref = {0};

		mcc_buf_puts(&sym, "__musa_var_");
		put_sym(&sym, v->qname);
		if (v->flags & MUSA_META_VAR_MANAGED) {
			if (!u->is_c)
				mcc_buf_puts(&ref, "::");
			mcc_buf_puts(&ref, "__musa_managed_");
			put_sym(&ref, v->qname);
		} else {
			put_ref(u, &ref, v);
		}
		mcc_buf_printf(o, "%s__attribute__((visibility(\"default\"))) void *%s = "
			       "(void *)&%s;%s\n", u->is_c ? "" : "extern \"C\" { ", sym.s, ref.s,
			       u->is_c ? "" : " }");
		mcc_buf_printf(o, "struct __attribute__((aligned(8))) __musa_var_rec_%d {\n"
			       "\tstruct musa_meta_var hdr;\n\tchar name[sizeof(\"", k);
		mcc_buf_put_cstr(o, v->qname);
		mcc_buf_printf(o, "\")];\n\tchar sym[sizeof(\"%s\")];\n};\n", sym.s);
		mcc_buf_printf(o, "static const struct __musa_var_rec_%d __musa_var_meta_%d\n"
			       "\t__attribute__((section(\".musa_meta\"), used, retain, aligned(8))) = {\n"
			       "\t{ MUSA_META_VAR_MAGIC, MUSA_META_VERSION, sizeof(struct __musa_var_rec_%d), "
			       "%uu, sizeof(%s), %zuu, %zuu },\n\t\"", k, k, k, v->flags, ref.s,
			       strlen(v->qname), sym.len);
		mcc_buf_put_cstr(o, v->qname);
		mcc_buf_printf(o, "\", \"%s\"\n};\n", sym.s);
		mcc_buf_free(&sym);
		mcc_buf_free(&ref);
	}
}

void mcc_vars_host_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	strip_keywords(u, ed);
}

void mcc_vars_host_register(const struct mcc_unit *u, struct mcc_buf *o)
{
	for (int k = 0; k < u->nvars; k++) {
		const struct mcc_var *v = &u->vars[k];
		struct mcc_buf ref = {0};
		int managed = (v->flags & MUSA_META_VAR_MANAGED) != 0;

		put_ref(u, &ref, v);
		mcc_buf_printf(o, "\t__musaRegister%sVar(__musa_fat_handle, (%s)&%s, (char *)\"",
			       managed ? "Managed" : "", managed ? "void **" : "char *", ref.s);
		mcc_buf_put_cstr(o, v->qname);
		mcc_buf_puts(o, "\", \"");
		mcc_buf_put_cstr(o, v->qname);
		mcc_buf_printf(o, "\", 0, sizeof(%s), %d, 0);\n", ref.s,
			       (v->flags & MUSA_META_VAR_CONSTANT) != 0);
		mcc_buf_free(&ref);
	}
}

void mcc_vars_free(struct mcc_unit *u)
{
	for (int k = 0; k < u->nvars; k++) {
		free(u->vars[k].name);
		free(u->vars[k].qname);
	}
	free(u->vars);
	u->vars = NULL;
	u->nvars = 0;
}
