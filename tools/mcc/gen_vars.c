/* SPDX-License-Identifier: MIT */
/*
 * gen_vars.c - __device__, __constant__ and __managed__ variables at
 * namespace scope (found by the front end, front.cpp): the edits both
 * passes need, and the generated glue:
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
 * namespace scope) is a __device__ variable too: musaBindTexture
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
