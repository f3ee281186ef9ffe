/* SPDX-License-Identifier: MIT */
/*
 * front.cpp - mcc's front end: clang parses the translation unit as CUDA
 * C++ and everything mcc decides about it comes from the AST:
 *
 *  - kernels (__global__ definitions), their parameters, namespaces,
 *    template parameters and __launch_bounds__;
 *  - the instances of template kernels: every specialization the program
 *    names (a launch, `&k<T>`, an explicit instantiation), wherever it is
 *    named: in a template, a namespace, an anonymous namespace, a macro,
 *    with deduced or dependent arguments;
 *  - launches `k<<<...>>>(...)` (in the text or in a #define body);
 *  - __device__ functions, which of them and of the kernels reach a
 *    barrier or warp operation (a fixpoint over the resolved call graph),
 *    __shared__ declarations and the bytes of static shared memory each
 *    kernel instance uses, __device__/__constant__/__managed__ variables;
 *  - which values may differ between the threads of a block (class Vary,
 *    a divergence analysis): marks on the tokens that fission reads;
 *  - device code that uses a host variable: an error with nvcc's meaning
 *    (a host function called from device code is one already: clang's
 *    overload resolution refuses it).
 *
 * The parse runs in clang's CUDA host mode (x86-64 layout, the types the
 * device pass sees) on the text the passes rewrite, with the project's
 * headers and the user's -I/-D/-U/-include/-std. Functions declared in
 * system headers (libc, libstdc++, the device runtime's headers) are
 * __host__ __device__ for the parse: on this device they run in kernels.
 * Functions of the user's own files keep the target they are declared
 * with, so calling a plain host function from a kernel is an error, as
 * with nvcc.
 *
 * The results go into struct mcc_unit as token indices of lex.c's tokens,
 * which the passes edit. May call clang's libraries, libc and buf.c.
 */
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "clang/Tooling/Tooling.h"

extern "C" {
#include "mcc.h"
#include "musa_codeobj.h"
}

using namespace clang;

namespace {

/* system headers are __host__ __device__ */

class HostDeviceHeaders : public PPCallbacks {
	CompilerInstance &ci;
	bool forced = false;

public:
	explicit HostDeviceHeaders(CompilerInstance &c) : ci(c) {}

	void FileChanged(SourceLocation loc, FileChangeReason, SrcMgr::CharacteristicKind kind,
			 FileID) override
	{
		SourceManager &sm = ci.getSourceManager();
		const FileEntry *fe = sm.getFileEntryForID(sm.getFileID(loc));
		bool sys = kind != SrcMgr::C_User;

		/* <new>: clang declares the global allocation functions for both
		 * sides itself; placement new is the parse header's */
		if (fe && llvm::StringRef(fe->getName()).endswith("/new"))
			sys = false;
		if (!ci.hasSema() || sys == forced)
			return;
		if (sys)
			ci.getSema().PushForceCUDAHostDevice();
		else
			ci.getSema().PopForceCUDAHostDevice();
		forced = sys;
	}
};

/* the #include directives, for the headers mcc puts into the text */

struct Directive {
	SourceLocation hash;          /* the `#` */
	const FileEntry *file;        /* what it names, or null */
	bool angled;
	FileID entered;               /* the file it entered, or invalid: skipped */
};

class IncludeLog : public PPCallbacks {
	SourceManager &sm;
	std::vector<Directive> &dirs;
	size_t pending = SIZE_MAX;

public:
	IncludeLog(SourceManager &m, std::vector<Directive> &d) : sm(m), dirs(d) {}

	void InclusionDirective(SourceLocation hash, const Token &, StringRef, bool angled,
				CharSourceRange, Optional<FileEntryRef> file, StringRef, StringRef,
				const Module *, SrcMgr::CharacteristicKind) override
	{
		dirs.push_back({hash, file ? &file->getFileEntry() : nullptr, angled, FileID()});
		pending = dirs.size() - 1;
	}
	void FileChanged(SourceLocation loc, FileChangeReason why, SrcMgr::CharacteristicKind,
			 FileID) override
	{
		if (why != EnterFile || pending == SIZE_MAX)
			return;
		FileID fid = sm.getFileID(loc);
		SourceLocation inc = sm.getIncludeLoc(fid);
		const Directive &d = dirs[pending];

		/* the file this directive enters: its include position is on
		 * the directive's line */
		if (inc.isValid() && sm.getFileID(sm.getFileLoc(inc)) == sm.getFileID(d.hash) &&
		    sm.getSpellingLineNumber(sm.getFileLoc(inc)) == sm.getSpellingLineNumber(d.hash))
			dirs[pending].entered = fid;
		pending = SIZE_MAX;
	}
	void FileSkipped(const FileEntryRef &, const Token &, SrcMgr::CharacteristicKind) override
	{
		pending = SIZE_MAX;
	}
};

/* diagnostics */

/*
 * clang's own diagnostics, less two. First, gcc's forms of attributes in
 * system headers, which the passes (gcc) read. Second, one clang gives
 * where nvcc does not: the same
 * `extern __shared__` array declared with different element types in
 * different kernels (or template instances) is one entity to clang, a
 * redeclaration with a different type; to CUDA each is the kernel's view
 * of the dynamic shared buffer. Such a pair of array declarations of
 * unknown bound is let through (with its note); a genuine conflict still
 * fails the host pass.
 */
class Diags : public DiagnosticConsumer {
	std::unique_ptr<DiagnosticConsumer> owned;
	DiagnosticConsumer *next;
	unsigned *errors;
	bool drop_notes = false;

public:
	Diags(std::unique_ptr<DiagnosticConsumer> own, DiagnosticConsumer *n, unsigned *e)
		: owned(std::move(own)), next(n), errors(e) {}

	void BeginSourceFile(const LangOptions &lo, const Preprocessor *pp) override
	{
		next->BeginSourceFile(lo, pp);
	}
	void EndSourceFile() override { next->EndSourceFile(); }
	void finish() override { next->finish(); }

	void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic &info) override
	{
		if (level == DiagnosticsEngine::Note && drop_notes)
			return;
		drop_notes = false;
		if (info.getID() == diag::err_redeclaration_different_type && info.getNumArgs() >= 3 &&
		    info.getArgKind(1) == DiagnosticsEngine::ak_qualtype &&
		    info.getArgKind(2) == DiagnosticsEngine::ak_qualtype) {
			QualType a = QualType::getFromOpaquePtr((void *)info.getRawArg(1));
			QualType b = QualType::getFromOpaquePtr((void *)info.getRawArg(2));

			if (a->isIncompleteArrayType() && b->isIncompleteArrayType()) {
				drop_notes = true;
				return;
			}
		}
		/* gcc's forms of attributes in gcc's own headers (<omp.h>'s
		 * __malloc__(deallocator)): the passes are gcc's */
		if ((info.getID() == diag::err_attribute_wrong_number_arguments ||
		     info.getID() == diag::err_attribute_too_many_arguments) && info.hasSourceManager() &&
		    info.getLocation().isValid() &&
		    info.getSourceManager().isInSystemHeader(info.getLocation())) {
			drop_notes = true;
			return;
		}
		if (level >= DiagnosticsEngine::Error)
			(*errors)++;
		DiagnosticConsumer::HandleDiagnostic(level, info);
		next->HandleDiagnostic(level, info);
	}
};

/* what the AST tells */

bool in_list(const std::string &s, const char *const *l)
{
	for (; *l; l++)
		if (s == *l)
			return true;
	return false;
}

bool in_cg_list(const std::string &s)
{
	return in_list(s, mcc_cg_words) || in_list(s, mcc_cg_collectives);
}

bool in_cg(const DeclContext *dc)
{
	for (; dc; dc = dc->getParent())
		if (const auto *ns = dyn_cast<NamespaceDecl>(dc))
			if (ns->getName() == "cooperative_groups")
				return true;
	return false;
}

/* __managed__ (musa_parse_pass.h) */
bool managed(const Decl *d)
{
	for (const auto *a : d->specific_attrs<AnnotateAttr>())
		if (a->getAnnotation() == "musa_managed")
			return true;
	return false;
}

template <class A> bool explicit_attr(const Decl *d)
{
	const A *a = d->getAttr<A>();

	return a && !a->isImplicit();
}

struct Front;

/* The functions a body calls, and what else the analyses need of it. */
struct BodyInfo {
	bool prim = false;                       /* names a barrier primitive itself */
	std::vector<const FunctionDecl *> calls;
	std::set<const VarDecl *> shared;        /* static __shared__ it declares or names */
};

class BodyScan : public RecursiveASTVisitor<BodyScan> {
public:
	BodyInfo &bi;
	explicit BodyScan(BodyInfo &b) : bi(b) {}

	bool shouldVisitTemplateInstantiations() const { return false; }

	void callee(const FunctionDecl *f)
	{
		if (!f)
			return;
		std::string n = f->getNameAsString();

		if ((in_list(n, mcc_barrier_words) && f->getDeclContext()->getRedeclContext()->isFileContext()) ||
		    (in_cg(f->getDeclContext()) && in_cg_list(n)))
			bi.prim = true;
		bi.calls.push_back(f);
	}
	bool VisitCallExpr(CallExpr *e)
	{
		callee(e->getDirectCallee());
		return true;
	}
	bool VisitCXXConstructExpr(CXXConstructExpr *e)
	{
		callee(e->getConstructor());
		return true;
	}
	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		if (const auto *f = dyn_cast<FunctionDecl>(e->getDecl()))
			callee(f);
		if (const auto *v = dyn_cast<VarDecl>(e->getDecl()))
			if (v->hasAttr<CUDASharedAttr>() && !v->hasExternalStorage())
				bi.shared.insert(v);
		return true;
	}
	bool VisitMemberExpr(MemberExpr *e)
	{
		if (const auto *f = dyn_cast<FunctionDecl>(e->getMemberDecl()))
			callee(f);
		return true;
	}
	/* calls not resolved in a template's pattern */
	bool VisitOverloadExpr(OverloadExpr *e)
	{
		std::string n = e->getName().getAsString();

		if (in_list(n, mcc_barrier_words) || in_cg_list(n))
			bi.prim = true;
		for (const NamedDecl *d : e->decls())
			if (const auto *f = dyn_cast<FunctionDecl>(d->getUnderlyingDecl()))
				callee(f);
			else if (const auto *t = dyn_cast<FunctionTemplateDecl>(d->getUnderlyingDecl()))
				callee(t->getTemplatedDecl());
		return true;
	}
	bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *e)
	{
		if (in_cg_list(e->getMember().getAsString()))
			bi.prim = true;
		return true;
	}
	bool VisitVarDecl(VarDecl *v)
	{
		if (v->hasAttr<CUDASharedAttr>() && !v->hasExternalStorage())
			bi.shared.insert(v);
		return true;
	}
};

/* What inlining a call of a device function depends on (inline.c): the
 * file-scope names its body uses (a kernel's local of the same name would
 * capture them), and the constructs a copy of the body cannot keep. */
class InlineScan : public RecursiveASTVisitor<InlineScan> {
public:
	const FunctionDecl *fn;
	const char *why = nullptr;
	std::set<std::string> globals;
	unsigned returns = 0;
	explicit InlineScan(const FunctionDecl *f) : fn(f) {}

	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		const ValueDecl *d = e->getDecl();

		if (const auto *p = dyn_cast<ParmVarDecl>(d)) {
			if (p->getDeclContext() == fn && e->getLocation().isMacroID())
				why = "a macro names one of its parameters";
			return true;
		}
		if (const auto *v = dyn_cast<VarDecl>(d))
			if (v->isLocalVarDeclOrParm())
				return true;
		if (isa<VarDecl>(d) || isa<FunctionDecl>(d) || isa<EnumConstantDecl>(d))
			globals.insert(d->getNameAsString());
		return true;
	}
	bool VisitVarDecl(VarDecl *v)
	{
		if (isa<ParmVarDecl>(v))
			return true;
		if (v->hasExternalStorage())
			why = "it declares an extern variable (extern __shared__)";
		else if (v->getStorageClass() == SC_Static)
			why = "it declares a static variable";
		return true;
	}
	bool VisitReturnStmt(ReturnStmt *) { returns++; return true; }
	bool VisitLambdaExpr(LambdaExpr *) { why = "it holds a lambda"; return true; }
	bool VisitGotoStmt(GotoStmt *) { why = "it holds a goto"; return true; }
	bool VisitIndirectGotoStmt(IndirectGotoStmt *) { why = "it holds a goto"; return true; }
	bool VisitCUDAKernelCallExpr(CUDAKernelCallExpr *) { why = "it launches a kernel"; return true; }
};

/* The names a kernel's parameters and body declare. */
class LocalNames : public RecursiveASTVisitor<LocalNames> {
public:
	std::set<std::string> names;
	bool params;                  /* the parameters' names too */
	explicit LocalNames(bool p) : params(p) {}
	bool VisitVarDecl(VarDecl *v)
	{
		if (params || !isa<ParmVarDecl>(v))
			names.insert(v->getNameAsString());
		return true;
	}
};

/* Device code naming a host variable: nvcc's "identifier is undefined in
 * device code". */
class HostVarCheck : public RecursiveASTVisitor<HostVarCheck> {
public:
	Front &f;
	const FunctionDecl *fn;
	HostVarCheck(Front &fr, const FunctionDecl *d) : f(fr), fn(d) {}

	bool shouldVisitTemplateInstantiations() const { return false; }
	/* sizeof, alignof and decltype do not use the variable */
	bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
	bool TraverseDecltypeTypeLoc(DecltypeTypeLoc) { return true; }
	bool VisitDeclRefExpr(DeclRefExpr *e);
};

struct Front {
	struct mcc_unit *u;
	ASTContext *ctx = nullptr;
	SourceManager *sm = nullptr;
	DiagnosticsEngine *diags = nullptr;
	FileID main;
	PrintingPolicy pp{LangOptions()};
	unsigned errors = 0;          /* mcc's own */
	unsigned clang_errors = 0;    /* clang's, less those let through */
	bool probe = false;           /* may ask for headers to be put in */

	std::vector<const FunctionDecl *> kernels;          /* patterns, in source order */
	std::vector<const FunctionTemplateDecl *> ktmpl;     /* or null */
	std::vector<const CUDAKernelCallExpr *> launches;
	std::vector<const VarDecl *> shared_vars, vars;
	std::vector<const FunctionDecl *> devfns;
	std::map<const FunctionDecl *, BodyInfo> bodies;
	std::map<const FunctionDecl *, int> barrier_memo;   /* 0 visiting/no, 1 yes */

	/* offset of a location in the parsed text, or false */
	bool off_of(SourceLocation l, size_t *off, bool spelling = false) const
	{
		if (l.isInvalid())
			return false;
		l = spelling ? sm->getSpellingLoc(l) : sm->getFileLoc(l);
		if (sm->getFileID(l) != main)
			return false;
		*off = sm->getFileOffset(l);
		return true;
	}
	bool in_main(SourceLocation l) const
	{
		size_t o;

		return off_of(l, &o);
	}
	/* the lex.c token starting at off, or ntoks */
	size_t tok_at(size_t off) const
	{
		size_t t = mcc_tok_at(u, off);

		return t < u->ntoks && u->toks[t].off == off ? t : u->ntoks;
	}
	size_t tok_of(SourceLocation l) const
	{
		size_t o;

		return off_of(l, &o) ? tok_at(o) : u->ntoks;
	}
	void error(SourceLocation l, const std::string &msg)
	{
		unsigned id = diags->getCustomDiagID(DiagnosticsEngine::Error, "%0");

		diags->Report(l, id) << msg;
		errors++;
	}

	std::string type_name(QualType t)
	{
		return TypeName::getFullyQualifiedName(t, *ctx, pp, false);
	}
	std::string qual_name(const NamedDecl *d)
	{
		std::string s;
		llvm::raw_string_ostream os(s);

		d->printQualifiedName(os, pp);
		return os.str();
	}
	void arg_text(const TemplateArgument &a, std::string &out);
	std::string targs_text(const TemplateArgumentList &l)
	{
		std::string s = "<";

		for (unsigned i = 0; i < l.size(); i++) {
			std::string one;

			arg_text(l[i], one);
			if (one.empty())
				continue;
			if (s.size() > 1)
				s += ", ";
			s += one;
		}
		if (s.size() > 1 && s.back() == '>')
			s += " ";
		return s + ">";
	}

	const BodyInfo &body(const FunctionDecl *f)
	{
		auto it = bodies.find(f);

		if (it != bodies.end())
			return it->second;
		BodyInfo &bi = bodies[f];
		if (const Stmt *b = f->getBody()) {
			BodyScan s(bi);

			s.TraverseStmt(const_cast<Stmt *>(b));
		}
		return bi;
	}
	/* Whether f may run a barrier or a warp operation. */
	bool barrier(const FunctionDecl *f)
	{
		const FunctionDecl *def = nullptr;

		if (!f)
			return false;
		if (const FunctionDecl *p = f->getTemplateInstantiationPattern())
			if (!f->hasBody())
				f = p;
		auto it = barrier_memo.find(f);
		if (it != barrier_memo.end())
			return it->second;
		barrier_memo[f] = 0;
		if (!f->hasBody(def)) {
			/* declared here, defined in another file: it may */
			bool r = explicit_attr<CUDADeviceAttr>(f) && !explicit_attr<CUDAHostAttr>(f) &&
				 !sm->isInSystemHeader(f->getLocation());
			barrier_memo[f] = r;
			return r;
		}
		const BodyInfo &bi = body(def);
		bool r = bi.prim;
		for (size_t i = 0; !r && i < bi.calls.size(); i++)
			r = barrier(bi.calls[i]);
		barrier_memo[def] = r;
		barrier_memo[f] = r;
		return r;
	}
	/* Static __shared__ bytes of f and what it calls. */
	void shared_of(const FunctionDecl *f, std::set<const FunctionDecl *> &seen,
		       std::set<const VarDecl *> &vs)
	{
		const FunctionDecl *def = nullptr;

		if (!f || !f->hasBody(def) || !seen.insert(def).second ||
		    sm->isInSystemHeader(def->getLocation()))
			return;
		const BodyInfo &bi = body(def);
		vs.insert(bi.shared.begin(), bi.shared.end());
		for (const FunctionDecl *c : bi.calls)
			shared_of(c, seen, vs);
	}
	unsigned shared_bytes(const FunctionDecl *k)
	{
		std::set<const FunctionDecl *> seen;
		std::set<const VarDecl *> vs;
		uint64_t n = 0;

		shared_of(k, seen, vs);
		/* in source order: the padding between them must not depend on
		 * where the AST's nodes were allocated */
		std::vector<const VarDecl *> sorted(vs.begin(), vs.end());
		std::sort(sorted.begin(), sorted.end(), [](const VarDecl *a, const VarDecl *b) {
			return a->getLocation().getRawEncoding() < b->getLocation().getRawEncoding();
		});
		for (const VarDecl *v : sorted) {
			QualType t = v->getType();

			if (t->isDependentType() || t->isIncompleteType())
				continue;
			uint64_t al = (uint64_t)ctx->getTypeAlignInChars(t).getQuantity();

			n = (n + al - 1) / al * al + (uint64_t)ctx->getTypeSizeInChars(t).getQuantity();
		}
		return n > 0xffffffffu ? 0xffffffffu : (unsigned)n;
	}

	void add_kernel(const FunctionDecl *fd, const FunctionTemplateDecl *td);
	bool kernel_params(const FunctionDecl *fd, struct mcc_kernel &k);
	bool kernel_template(const FunctionTemplateDecl *td, struct mcc_kernel &k);
	void add_launch(const CUDAKernelCallExpr *e);
	void add_shared(const VarDecl *v);
	void add_shared_local(size_t name);
	void add_var(const VarDecl *v);
	void add_devfn(const FunctionDecl *fd);
	void inline_info(const FunctionDecl *fd, struct mcc_func *f);
	/* the MCC_VARY_* marks of u's tokens (class Vary), from these kernels */
	void divergence(const std::vector<const FunctionDecl *> &roots);
	/* t declaring `name`, split around the name: "int (*" NAME ")[17]" */
	void decl_around(QualType t, char **pre, char **post)
	{
		std::string out;
		llvm::raw_string_ostream os(out);
		QualType q = TypeName::getFullyQualifiedType(t, *ctx, false);

		q.print(os, pp, "\x01");
		os.flush();
		size_t at = out.find('\x01');
		if (at == std::string::npos)
			at = out.size();
		*pre = mcc_strndup(out.c_str(), at);
		*post = mcc_strndup(out.c_str() + std::min(at + 1, out.size()), out.size() - std::min(at + 1, out.size()));
	}
	void finish();

	/* the headers to put into the text (mcc_front's probe) */
	std::vector<Directive> dirs;
	std::set<FileID> put;
	void note_header(SourceLocation l);
	bool user_header(SourceLocation l) const
	{
		return l.isValid() && sm->getFileID(l) != main && !sm->isInSystemHeader(l);
	}
	bool headers_to_put();
};

bool HostVarCheck::VisitDeclRefExpr(DeclRefExpr *e)
{
	const auto *v = dyn_cast<VarDecl>(e->getDecl());

	if (!v || !v->hasGlobalStorage() || v->isStaticLocal() || v->hasAttr<CUDADeviceAttr>() ||
	    v->hasAttr<CUDAConstantAttr>() || v->hasAttr<CUDASharedAttr>() ||
	    managed(v) || v->isConstexpr() || f.sm->isInSystemHeader(v->getLocation()))
		return true;
	/* a const variable with a constant initializer is its value */
	if (v->getType().isConstQualified() && v->getInit() &&
	    (v->isUsableInConstantExpressions(*f.ctx) || v->hasConstantInitialization()))
		return true;
	/* legacy texture and surface references are device variables here */
	if (const CXXRecordDecl *r = v->getType()->getAsCXXRecordDecl())
		if (r->getName() == "texture" || r->getName() == "surface")
			return true;
	f.error(e->getLocation(), "host variable '" + v->getNameAsString() + "' is used in device code ('" +
					  fn->getNameAsString() + "'); declare it __device__, __constant__ "
					  "or __managed__, or pass its value as an argument");
	return true;
}

void Front::arg_text(const TemplateArgument &a, std::string &out)
{
	switch (a.getKind()) {
	case TemplateArgument::Type:
		out += type_name(a.getAsType());
		break;
	case TemplateArgument::Integral: {
		QualType t = a.getIntegralType();
		llvm::APSInt v = a.getAsIntegral();

		if (t->isBooleanType())
			out += v.getBoolValue() ? "true" : "false";
		else if (t->isEnumeralType() || t->isAnyCharacterType())
			out += "(" + type_name(t) + ")" + toString(v, 10);
		else {
			/* as the demangler spells them: 64u, 5l, 7ul */
			const BuiltinType *bt = t->getAs<BuiltinType>();

			out += toString(v, 10);
			if (bt && bt->isUnsignedInteger())
				out += "u";
			if (bt && (bt->getKind() == BuiltinType::Long || bt->getKind() == BuiltinType::ULong))
				out += "l";
			if (bt && (bt->getKind() == BuiltinType::LongLong ||
				   bt->getKind() == BuiltinType::ULongLong))
				out += "ll";
		}
		break;
	}
	case TemplateArgument::Declaration: {
		const ValueDecl *d = a.getAsDecl();

		out += (a.getParamTypeForDecl()->isReferenceType() ? "" : "&") + qual_name(d);
		break;
	}
	case TemplateArgument::NullPtr:
		out += "nullptr";
		break;
	case TemplateArgument::Pack: {
		bool first = true;

		for (const TemplateArgument &p : a.pack_elements()) {
			std::string one;

			arg_text(p, one);
			out += (first ? "" : ", ") + one;
			first = false;
		}
		break;
	}
	default: {
		llvm::raw_string_ostream os(out);

		a.print(pp, os, true);
		os.flush();
	}
	}
}

/* The namespaces around fd, outermost first ("" for an anonymous one). */
static void kernel_namespaces(const FunctionDecl *fd, struct mcc_kernel &k)
{
	std::vector<std::string> ns;

	for (const DeclContext *dc = fd->getDeclContext(); dc; dc = dc->getParent())
		if (const auto *n = dyn_cast<NamespaceDecl>(dc))
			ns.push_back(n->isAnonymousNamespace() ? "" : n->getNameAsString());
	std::reverse(ns.begin(), ns.end());
	k.nns = (int)ns.size();
	k.ns = (char **)mcc_xrealloc(nullptr, (ns.size() + 1) * sizeof(char *));
	for (size_t i = 0; i < ns.size(); i++)
		k.ns[i] = mcc_strndup(ns[i].c_str(), ns[i].size());
}

bool Front::kernel_params(const FunctionDecl *fd, struct mcc_kernel &k)
{
	for (unsigned i = 0; i < fd->getNumParams(); i++) {
		const ParmVarDecl *p = fd->getParamDecl(i);
		struct mcc_param mp;

		std::string t = type_name(p->getType()), n = p->getNameAsString();
		size_t at;

		mp.unnamed_at = 0;
		if (n.empty()) {
			/* where the name would stand: the host pass's stub passes it */
			if (!off_of(p->getLocation(), &at) || tok_at(at) >= u->ntoks) {
				error(p->getBeginLoc(), "kernel parameters need names");
				return false;
			}
			n = "__musa_p" + std::to_string(i);
			mp.unnamed_at = at + 1;
		}
		mp.type = mcc_strndup(t.c_str(), t.size());
		mp.name = mcc_strndup(n.c_str(), n.size());
		k.params = (struct mcc_param *)mcc_xrealloc(k.params, (size_t)(k.nparams + 1) * sizeof(mp));
		k.params[k.nparams++] = mp;
	}
	return true;
}

bool Front::kernel_template(const FunctionTemplateDecl *td, struct mcc_kernel &k)
{
	const TemplateParameterList *tl = td->getTemplateParameters();
	std::string s = "<";

	k.tmpl_open = tok_of(tl->getLAngleLoc());
	for (unsigned i = 0; i < tl->size(); i++) {
		const NamedDecl *p = tl->getParam(i);

		if (p->getName().empty()) {
			error(p->getLocation(), "template parameters of a kernel need names");
			return false;
		}
		s += (i ? ", " : "") + p->getNameAsString() + (p->isParameterPack() ? "..." : "");
	}
	s += ">";
	k.tmpl_params = mcc_strndup(s.c_str(), s.size());
	if (k.tmpl_open >= u->ntoks) {
		error(td->getBeginLoc(), "cannot read the template parameters of this kernel");
		return false;
	}
	return true;
}

void Front::add_kernel(const FunctionDecl *fd, const FunctionTemplateDecl *td)
{
	struct mcc_kernel k;
	const CompoundStmt *body = dyn_cast_or_null<CompoundStmt>(fd->getBody());
	SourceLocation begin = td ? td->getBeginLoc() : fd->getBeginLoc();

	memset(&k, 0, sizeof(k));
	/* extern "C" __global__ void k(...): the linkage is the kernel's */
	if (const auto *ls = dyn_cast<LinkageSpecDecl>(fd->getLexicalDeclContext()))
		if (!ls->hasBraces())
			begin = ls->getExternLoc();
	if (!body) {
		error(fd->getLocation(), "a __global__ function needs a compound body");
		return;
	}
	for (const Attr *a : fd->attrs())
		if (sm->isBeforeInTranslationUnit(sm->getFileLoc(a->getLocation()), sm->getFileLoc(begin)) &&
		    in_main(a->getLocation()))
			begin = a->getLocation();
	k.name = mcc_strndup(fd->getNameAsString().c_str(), fd->getNameAsString().size());
	std::string q = qual_name(fd);
	k.qname = mcc_strndup(q.c_str(), q.size());
	kernel_namespaces(fd, k);
	k.line = (int)sm->getPresumedLineNumber(sm->getFileLoc(fd->getLocation()));
	k.name_tok = tok_of(fd->getLocation());
	k.decl = tok_of(begin);
	k.body_open = tok_of(body->getLBracLoc());
	k.body_close = tok_of(body->getRBracLoc());
	/* the parameter list's parentheses */
	if (const TypeSourceInfo *tsi = fd->getTypeSourceInfo())
		if (auto ftl = tsi->getTypeLoc().IgnoreParens().getAs<FunctionTypeLoc>()) {
			k.lparen = tok_of(ftl.getLParenLoc());
			k.rparen = tok_of(ftl.getRParenLoc());
		}
	if (k.name_tok >= u->ntoks || k.decl >= u->ntoks || k.body_open >= u->ntoks ||
	    k.body_close >= u->ntoks || k.lparen >= u->ntoks || k.rparen >= u->ntoks ||
	    k.decl > k.name_tok) {
		error(fd->getLocation(), "a __global__ function whose declaration is written by a "
			 "macro is not supported: write the kernel's name, parameters and body in the source");
		return;
	}
	if (!kernel_params(fd, k))
		return;
	if (fd->isVariadic()) {
		error(fd->getLocation(), "a __global__ function cannot be variadic");
		return;
	}
	if (const auto *lb = fd->getAttr<CUDALaunchBoundsAttr>()) {
		Expr::EvalResult r;

		if (lb->getMaxThreads() && !lb->getMaxThreads()->isValueDependent() &&
		    lb->getMaxThreads()->EvaluateAsInt(r, *ctx))
			k.max_threads = (unsigned)r.Val.getInt().getZExtValue();
	}
	if (td && !kernel_template(td, k))
		return;
	for (int i = 0; i < u->nkernels; i++)
		if (!strcmp(u->kernels[i].qname, k.qname)) {
			error(fd->getLocation(), std::string("overloaded __global__ functions are not "
							     "supported: ") + k.qname + " (also defined at line " +
						  std::to_string(u->kernels[i].line) + ")");
			return;
		}
	u->kernels = (struct mcc_kernel *)mcc_xrealloc(u->kernels, (size_t)(u->nkernels + 1) * sizeof(k));
	u->kernels[u->nkernels++] = k;
	kernels.push_back(fd);
	ktmpl.push_back(td);
}

void Front::add_devfn(const FunctionDecl *fd)
{
	struct mcc_func f;
	const CompoundStmt *body = dyn_cast_or_null<CompoundStmt>(
		fd->doesThisDeclarationHaveABody() ? fd->getBody() : nullptr);

	memset(&f, 0, sizeof(f));
	f.name = mcc_strndup(fd->getNameAsString().c_str(), fd->getNameAsString().size());
	f.host_too = explicit_attr<CUDAHostAttr>(fd);
	if (body) {
		f.body_open = tok_of(body->getLBracLoc());
		f.body_close = tok_of(body->getRBracLoc());
		f.has_body = f.body_open < u->ntoks && f.body_close < u->ntoks;
	}
	u->funcs = (struct mcc_func *)mcc_xrealloc(u->funcs, (size_t)(u->nfuncs + 1) * sizeof(f));
	u->funcs[u->nfuncs++] = f;
	devfns.push_back(fd);
}

/* Whether, and how, a call of barrier function fd can be inlined into a
 * kernel for fission (inline.c writes the copy). */
void Front::inline_info(const FunctionDecl *fd, struct mcc_func *f)
{
	const auto *body = dyn_cast_or_null<CompoundStmt>(fd->getBody());
	QualType rt = fd->getReturnType();
	InlineScan sc(fd);

	if (fd->getDescribedFunctionTemplate() || fd->isDependentContext()) {
		f->no_inline = "it is a template";
		return;
	}
	if (fd->isVariadic()) {
		f->no_inline = "it is variadic";
		return;
	}
	if (!f->has_body || !body) {
		f->no_inline = "its body is not in the file mcc compiles";
		return;
	}
	if (!rt->isVoidType() && (rt->isReferenceType() || !rt.isTrivialType(*ctx))) {
		f->no_inline = "its return type is a reference or not trivial";
		return;
	}
	sc.TraverseStmt(const_cast<CompoundStmt *>(body));
	if (sc.why) {
		f->no_inline = sc.why;
		return;
	}
	/* one return at most, as the last statement */
	if (sc.returns > 1 || (sc.returns == 1 && (body->body_empty() || !isa<ReturnStmt>(body->body_back())))) {
		f->no_inline = "it returns elsewhere than at its end";
		return;
	}
	if (!rt->isVoidType() && sc.returns != 1) {
		f->no_inline = "it does not end with a return";
		return;
	}
	if (!rt->isVoidType())
		decl_around(rt, &f->rpre, &f->rpost);
	f->nparams = (int)fd->getNumParams();
	f->nrequired = (int)fd->getMinRequiredArguments();
	f->ppre = (char **)mcc_xrealloc(nullptr, (size_t)(f->nparams + 1) * sizeof(char *));
	f->ppost = (char **)mcc_xrealloc(nullptr, (size_t)(f->nparams + 1) * sizeof(char *));
	f->pname = (char **)mcc_xrealloc(nullptr, (size_t)(f->nparams + 1) * sizeof(char *));
	for (int i = 0; i < f->nparams; i++) {
		const ParmVarDecl *p = fd->getParamDecl((unsigned)i);
		std::string n = p->getNameAsString();

		decl_around(p->getType(), &f->ppre[i], &f->ppost[i]);
		f->pname[i] = mcc_strndup(n.c_str(), n.size());
	}
	LocalNames ln(false);    /* inlined parameters are renamed */

	ln.TraverseDecl(const_cast<FunctionDecl *>(fd));
	f->locals = (char **)mcc_xrealloc(nullptr, (ln.names.size() + 1) * sizeof(char *));
	for (const std::string &n : ln.names)
		f->locals[f->nlocals++] = mcc_strndup(n.c_str(), n.size());
	f->globals = (char **)mcc_xrealloc(nullptr, (sc.globals.size() + 1) * sizeof(char *));
	for (const std::string &g : sc.globals)
		f->globals[f->nglobals++] = mcc_strndup(g.c_str(), g.size());
}

/* The `kw` token among the tokens [a, b), or ntoks. */
static size_t find_tok(const struct mcc_unit *u, size_t a, size_t b, const char *kw)
{
	for (size_t i = a; i < b && i < u->ntoks; i++)
		if (u->toks[i].len == strlen(kw) && !memcmp(u->src + u->toks[i].off, kw, u->toks[i].len))
			return i;
	return u->ntoks;
}

/* A __shared__ variable of a function, whose declaration ends at the
 * first ; after its name outside brackets: the device pass binds it
 * (gen_device.c). */
void Front::add_shared_local(size_t name)
{
	int depth = 0;
	size_t i;

	for (i = name + 1; i < u->ntoks; i++) {
		const char *t = u->src + u->toks[i].off;

		if (u->toks[i].len != 1)
			continue;
		if (*t == '(' || *t == '[' || *t == '{')
			depth++;
		else if (*t == ')' || *t == ']' || *t == '}') {
			if (--depth < 0)
				return;
		} else if (*t == ';' && depth == 0)
			break;
	}
	if (i >= u->ntoks)
		return;
	for (int k = 0; k < u->nshlocal; k++)
		if (u->shlocal[k].name == name)
			return;
	u->shlocal = (struct mcc_shlocal *)mcc_xrealloc(u->shlocal,
						      (size_t)(u->nshlocal + 1) * sizeof(*u->shlocal));
	u->shlocal[u->nshlocal].name = name;
	u->shlocal[u->nshlocal].semi = i;
	u->nshlocal++;
}

void Front::add_shared(const VarDecl *v)
{
	size_t name = tok_of(v->getLocation()), start = tok_of(v->getOuterLocStart()), kw = u->ntoks;

	for (const Attr *a : v->attrs())
		if (isa<CUDASharedAttr>(a))
			kw = tok_of(a->getLocation());
	if (name >= u->ntoks || start >= u->ntoks)
		return;   /* not in the text the passes edit */
	/* the declaration's specifiers may come before the first declarator */
	for (size_t i = start; i > 0; i--)
		if (u->toks[i - 1].kind == MCC_T_IDENT && kw < u->ntoks && kw < start && i - 1 >= kw)
			start = i - 1;
		else
			break;
	if (kw < start)
		start = kw;
	if (v->hasExternalStorage()) {
		struct mcc_dynshared d;
		size_t ext = find_tok(u, start, name, "extern");
		const TypeSourceInfo *tsi = v->getTypeSourceInfo();

		memset(&d, 0, sizeof(d));
		if (!tsi || ext >= u->ntoks || kw >= u->ntoks)
			return;
		auto atl = tsi->getTypeLoc().getAs<ArrayTypeLoc>();
		if (!atl)
			return;   /* extern __shared__ T x; (not an array): stays as written */
		d.kw_extern = ext;
		d.kw_shared = kw;
		d.name = name;
		d.lbrack = tok_of(atl.getLBracketLoc());
		d.rbrack = tok_of(atl.getRBracketLoc());
		const DeclContext *ldc = v->getLexicalDeclContext();
		d.file_scope = !const_cast<VarDecl *>(v)->isLocalExternDecl() && ldc->getRedeclContext()->isFileContext();
		std::string q = qual_name(v);
		d.qname = mcc_strndup(q.c_str(), q.size());
		if (d.lbrack >= u->ntoks || d.rbrack >= u->ntoks) {
			free(d.qname);
			return;
		}
		for (int i = 0; i < u->ndyn; i++)
			if (u->dyn[i].name == d.name) {
				free(d.qname);
				return;
			}
		u->dyn = (struct mcc_dynshared *)mcc_xrealloc(u->dyn, (size_t)(u->ndyn + 1) * sizeof(d));
		u->dyn[u->ndyn++] = d;
		return;
	}
	if (v->getParentFunctionOrMethod())
		add_shared_local(name);
	if (v->getStorageClass() == SC_Static) {
		size_t st = find_tok(u, start, name, "static");

		for (int i = 0; i < u->nstatic_shared; i++)
			if (u->static_shared[i] == st)
				return;
		if (st < u->ntoks) {
			u->static_shared = (size_t *)mcc_xrealloc(u->static_shared,
								   (size_t)(u->nstatic_shared + 1) * sizeof(size_t));
			u->static_shared[u->nstatic_shared++] = st;
		}
	}
}

void Front::add_var(const VarDecl *v)
{
	struct mcc_var mv;
	unsigned flags = 0;
	size_t name = tok_of(v->getLocation()), start = tok_of(v->getOuterLocStart());

	if (v->hasExternalStorage() && !v->hasInit())
		return;   /* defined (and registered) where its definition is */
	if (name >= u->ntoks || start >= u->ntoks)
		return;
	for (const Attr *a : v->attrs()) {
		size_t t = tok_of(a->getLocation());

		if (isa<CUDAConstantAttr>(a))
			flags |= MUSA_META_VAR_CONSTANT;
		if (isa<AnnotateAttr>(a) && cast<AnnotateAttr>(a)->getAnnotation() == "musa_managed")
			flags |= MUSA_META_VAR_MANAGED;
		if (t < start)
			start = t;
	}
	memset(&mv, 0, sizeof(mv));
	mv.decl = start;
	mv.name_tok = name;
	mv.flags = flags;
	if (const Expr *init = v->getInit()) {
		if (v->getInitStyle() == VarDecl::CInit) {
			size_t a = tok_of(init->getBeginLoc());
			size_t e = tok_of(init->getEndLoc());

			if (a < u->ntoks && a > 0 && e < u->ntoks) {
				mv.init = a - 1;   /* the `=` */
				mv.init_end = e + 1;
			}
		}
	}
	mv.name = mcc_strndup(v->getNameAsString().c_str(), v->getName().size());
	std::string q = qual_name(v);
	mv.qname = mcc_strndup(q.c_str(), q.size());
	u->vars = (struct mcc_var *)mcc_xrealloc(u->vars, (size_t)(u->nvars + 1) * sizeof(mv));
	u->vars[u->nvars++] = mv;
}

void Front::add_launch(const CUDAKernelCallExpr *e)
{
	const CallExpr *cfg = e->getConfig();
	size_t lll, callee;

	if (!cfg || !cfg->getCallee() || !off_of(cfg->getCallee()->getBeginLoc(), &lll, true))
		return;
	for (int i = 0; i < u->nlaunches; i++)
		if (u->toks[u->launches[i].cfg_open].off == lll)
			return;
	for (int i = 0; i < u->nmacros; i++)
		for (int j = 0; u->macros[i].body && j < u->macros[i].body->nlaunches; j++)
			if (u->macros[i].base + u->macros[i].body->toks[u->macros[i].body->launches[j].cfg_open].off == lll)
				return;
	size_t t = tok_at(lll);
	if (t < u->ntoks) {
		callee = tok_of(e->getCallee()->getBeginLoc());
		if (mcc_parse_launch(u, t, callee) != 0)
			errors++;
		return;
	}
	/* in a #define's body */
	if (mcc_macro_launch(u, lll) != 0)
		errors++;
}

/* Whether d is part of a template instantiation (its pattern is visited). */
bool in_instantiation(const Decl *d)
{
	for (const DeclContext *dc = d->getDeclContext(); dc; dc = dc->getParent()) {
		if (const auto *fd = dyn_cast<FunctionDecl>(dc))
			if (fd->isTemplateInstantiation())
				return true;
		if (const auto *cs = dyn_cast<ClassTemplateSpecializationDecl>(dc))
			if (cs->getSpecializationKind() != TSK_ExplicitSpecialization)
				return true;
	}
	return false;
}

class Visitor : public RecursiveASTVisitor<Visitor> {
	Front &f;

public:
	explicit Visitor(Front &fr) : f(fr) {}
	bool shouldVisitTemplateInstantiations() const { return true; }

	bool VisitFunctionDecl(FunctionDecl *fd)
	{
		if (fd->isTemplateInstantiation() || fd->getTemplateSpecializationKind() ==
		    TSK_ExplicitSpecialization || in_instantiation(fd) || !f.in_main(fd->getLocation()))
			return true;
		if (explicit_attr<CUDAGlobalAttr>(fd)) {
			if (fd->doesThisDeclarationHaveABody())
				f.add_kernel(fd, fd->getDescribedFunctionTemplate());
			return true;
		}
		if (explicit_attr<CUDADeviceAttr>(fd) && !isa<CXXMethodDecl>(fd) &&
		    fd->getDeclContext()->getRedeclContext()->isFileContext())
			f.add_devfn(fd);
		return true;
	}
	bool VisitCUDAKernelCallExpr(CUDAKernelCallExpr *e)
	{
		f.launches.push_back(e);
		return true;
	}
	bool VisitVarDecl(VarDecl *v)
	{
		if (isa<ParmVarDecl>(v) || isTemplateInstantiation(v->getTemplateSpecializationKind()) ||
		    in_instantiation(v))
			return true;
		if (v->hasAttr<CUDASharedAttr>()) {
			f.add_shared(v);
			return true;
		}
		if (!v->getDeclContext()->getRedeclContext()->isFileContext() || !f.in_main(v->getLocation()))
			return true;
		bool dev = explicit_attr<CUDADeviceAttr>(v) || explicit_attr<CUDAConstantAttr>(v) ||
			   managed(v);
		if (!dev)   /* legacy texture<> and surface<> references */
			if (const auto *r = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
				    v->getType()->getAsCXXRecordDecl()))
				dev = r->getName() == "texture" || r->getName() == "surface";
		if (dev)
			f.add_var(v);
		return true;
	}
};

/*
 * What mcc edits, found in the user's headers: kernel definitions, launches
 * (where the launch is written, and where its macro is expanded), barrier
 * functions a kernel may inline, device variables.
 */
class HeaderUses : public RecursiveASTVisitor<HeaderUses> {
	Front &f;

public:
	explicit HeaderUses(Front &fr) : f(fr) {}

	void note(SourceLocation l)
	{
		if (l.isValid() && f.user_header(f.sm->getFileLoc(l)))
			f.note_header(f.sm->getFileLoc(l));
	}
	bool VisitFunctionDecl(FunctionDecl *fd)
	{
		SourceLocation l = f.sm->getFileLoc(fd->getLocation());

		if (!f.user_header(l) || !fd->doesThisDeclarationHaveABody() || fd->isTemplateInstantiation() ||
		    in_instantiation(fd))
			return true;
		if (explicit_attr<CUDAGlobalAttr>(fd) ||
		    (explicit_attr<CUDADeviceAttr>(fd) && !isa<CXXMethodDecl>(fd) &&
		     fd->getDeclContext()->getRedeclContext()->isFileContext() && f.barrier(fd)))
			f.note_header(l);
		return true;
	}
	bool VisitCUDAKernelCallExpr(CUDAKernelCallExpr *e)
	{
		const CallExpr *cfg = e->getConfig();

		note(e->getBeginLoc());
		if (cfg && cfg->getCallee())
			note(f.sm->getSpellingLoc(cfg->getCallee()->getBeginLoc()));
		return true;
	}
	bool VisitVarDecl(VarDecl *v)
	{
		if (isa<ParmVarDecl>(v) || !v->getDeclContext()->getRedeclContext()->isFileContext() ||
		    v->hasExternalStorage() || in_instantiation(v) ||
		    isTemplateInstantiation(v->getTemplateSpecializationKind()))
			return true;
		if (explicit_attr<CUDADeviceAttr>(v) || explicit_attr<CUDAConstantAttr>(v) || managed(v))
			note(v->getLocation());
		return true;
	}
};

/* Header l's file, and the user's headers that include it, to be put in:
 * only when the chain of #includes reaches the file mcc compiles through
 * user headers alone. */
void Front::note_header(SourceLocation l)
{
	std::vector<FileID> chain;
	FileID fid = sm->getFileID(l);

	while (fid != main) {
		SourceLocation start = sm->getLocForStartOfFile(fid), inc;

		if (fid.isInvalid() || sm->isInSystemHeader(start) || !sm->getFileEntryForID(fid))
			return;
		chain.push_back(fid);
		inc = sm->getIncludeLoc(fid);
		if (inc.isInvalid())
			return;   /* -include, the predefines */
		fid = sm->getFileID(sm->getFileLoc(inc));
	}
	put.insert(chain.begin(), chain.end());
}

static char *real_path(const FileEntry *fe)
{
	char buf[PATH_MAX];
	std::string name = fe->getName().str();

	if (realpath(name.c_str(), buf))
		return mcc_strndup(buf, strlen(buf));
	StringRef r = fe->tryGetRealPathName();
	return r.empty() ? mcc_strndup(name.c_str(), name.size()) : mcc_strndup(r.data(), r.size());
}

/* The directives of u->incl, from the headers of `put`; whether there are any. */
bool Front::headers_to_put()
{
	std::set<const FileEntry *> files;

	HeaderUses(*this).TraverseDecl(ctx->getTranslationUnitDecl());
	if (put.empty())
		return false;
	for (FileID fid : put)
		files.insert(sm->getFileEntryForID(fid));
	for (const Directive &d : dirs) {
		FileID from = sm->getFileID(d.hash);
		struct mcc_incl c;
		int action;

		if (from != main && !put.count(from))
			continue;
		if (d.entered.isValid() && put.count(d.entered))
			action = MCC_INCL_PUT;
		else if (d.entered.isInvalid() && d.file && files.count(d.file))
			action = MCC_INCL_SKIP;
		else if (from != main && !d.angled && d.file)
			action = MCC_INCL_ABS;
		else
			continue;
		memset(&c, 0, sizeof(c));
		c.from = from == main ? nullptr : real_path(sm->getFileEntryForID(from));
		c.line = (int)sm->getSpellingLineNumber(d.hash);
		c.action = action;
		const FileEntry *fe = d.entered.isValid() ? sm->getFileEntryForID(d.entered) : d.file;
		std::string name = fe->getName().str();
		c.hdr = mcc_strndup(name.c_str(), name.size());
		c.real = real_path(fe);
		u->incl = (struct mcc_incl *)mcc_xrealloc(u->incl, (size_t)(u->nincl + 1) * sizeof(c));
		u->incl[u->nincl++] = c;
	}
	return u->nincl > 0;
}

/* which values may differ between the threads of a block */
/*
 * A divergence analysis of the kernels and of the functions they call, on
 * the AST; fission.c plans its regions with what it finds (docs/design.md,
 * "Uniformity"). A value may differ between the threads of a block when it
 * depends on threadIdx, on the per-thread result of a device-runtime call
 * (shuffles, votes, atomics, clocks, a group's thread_rank()), on the
 * address of a local, on a volatile read, or on a variable that may
 * differ. A local variable (or parameter) may differ when some write to it
 * does: a value that may differ, or a write under control that may differ
 * (an if, loop or switch whose condition may, a loop some threads leave
 * early: a break, continue or return under such control) inside the
 * variable's scope, for then the threads that skip it keep another value;
 * a variable declared under such control is the same in the threads that
 * run it. A function called under such control writes the caller's
 * variables it holds references to as such; one holding a goto writes all
 * its variables as such. Loads of memory at the
 * same address give the same value. Functions are analysed once for all
 * their calls (the union of what their arguments bring); a reference
 * parameter names the caller's variables it is bound to. The result is a
 * greatest set of uniform values, found as the least fixpoint of the
 * "may differ" sets over all bodies.
 */
const char *const vary_prefixes[] = {
	"__shfl", "__ballot", "__any", "__all", "__match", "__reduce_", "__activemask", "__lane",
	"atomic", "__atomic", "__sync", "__musa", "clock", "__globaltimer", "__threadfence",
	"__nanosleep", "__trap", "__brkpt", "__prof_trigger", "__assert", "assert", NULL,
};
const char *const effect_prefixes[] = {
	"printf", "malloc", "free", "memcpy", "memset", "memmove", "abort", "exit", "__builtin_mem",
	"__builtin_str", "__builtin_trap", "__builtin_abort", "__builtin_printf", NULL,
};
/* cooperative-groups members and functions that give every thread of the
 * group the same value */
const char *const cg_uniform[] = {
	"size", "num_threads", "meta_group_size", "group_dim", "dim_threads", "group_index",
	"block_index", "block_rank", "num_blocks", "dim_blocks", "is_valid", "this_thread_block",
	"tiled_partition", "this_grid", "thread_block", "thread_block_tile", "grid_group", NULL,
};

bool has_prefix(const std::string &s, const char *const *l)
{
	for (; *l; l++)
		if (s.compare(0, strlen(*l), *l) == 0)
			return true;
	return false;
}

class Vary {
public:
	explicit Vary(Front &fr) : F(fr) {}

	void run(const std::vector<const FunctionDecl *> &roots)
	{
		for (const FunctionDecl *k : roots)
			reach(k);
		do {
			changed = false;
			for (size_t i = 0; i < order.size(); i++)
				walk(order[i]);
			settle();
		} while (changed);
		record = true;
		for (size_t i = 0; i < order.size(); i++)
			walk(order[i]);
		for (const VarDecl *v : vars)
			mark(v->getLocation(), MCC_VARY_DECL);
	}

private:
	struct Fn {
		bool cv = false;        /* called under control that may differ */
		bool odd = false;       /* holds a goto */
		bool ret = false;       /* returns values that may differ */
		bool eff = false;       /* writes memory, or calls what does or synchronizes */
		bool mem = false;       /* reads memory */
		bool self = false;      /* `this` may name objects that differ */
		bool selfw = false;     /* writes members of *this values that may differ */
	};
	Front &F;
	std::map<const FunctionDecl *, Fn> fns;
	std::vector<const FunctionDecl *> order;
	std::set<const VarDecl *> vars;                                 /* may differ */
	std::map<const VarDecl *, std::set<const VarDecl *>> alias;     /* a reference's locals */
	std::set<const VarDecl *> mem_ref;                              /* references to memory */
	std::set<const Stmt *> left;           /* loops and switches some threads leave early */
	enum { C_IF, C_LOOP, C_SWITCH };
	struct Ctl {
		const Stmt *s;          /* the statement (or && || ?:); null: the function */
		bool vary;              /* the threads may take different ways here */
		int kind;
	};
	/* a write under control C that may differ, within loop L (or null), of
	 * v: v differs where code after C, or in L outside C, reads it */
	struct Late {
		const VarDecl *v;
		const Stmt *c, *l;
		bool operator<(const Late &o) const
		{
			return v != o.v ? v < o.v : c != o.c ? c < o.c : l < o.l;
		}
	};
	std::set<Late> late;
	std::map<const VarDecl *, std::set<unsigned>> reads;   /* file locations */
	std::set<const VarDecl *> aliased;
	std::vector<Ctl> ctl;                  /* the function's entry, then the enclosing control */
	std::map<const VarDecl *, size_t> depth;   /* ctl's size where a local is declared */
	const FunctionDecl *cur = nullptr;
	bool eff = false;                      /* the body walked has effects */
	bool mem = false;                      /* the body walked reads memory */
	bool changed = false;
	bool record = false;

	/* the innermost entry of ctl where the threads may part, or -1 */
	long parted() const
	{
		for (size_t i = ctl.size(); i-- > 0;)
			if (ctl[i].vary)
				return (long)i;
		return -1;
	}
	void push(const Stmt *s, bool v, int kind)
	{
		ctl.push_back({s, v, kind});
	}
	/* the file range of s */
	bool holds(const Stmt *s, SourceLocation l) const
	{
		SourceLocation a = F.sm->getFileLoc(s->getBeginLoc()), b = F.sm->getFileLoc(s->getEndLoc());

		return !F.sm->isBeforeInTranslationUnit(l, a) && !F.sm->isBeforeInTranslationUnit(b, l);
	}
	bool after(const Stmt *s, SourceLocation l) const
	{
		return F.sm->isBeforeInTranslationUnit(F.sm->getFileLoc(s->getEndLoc()), l);
	}
	/* the writes of late that later code may read: their variables differ */
	void settle()
	{
		for (const Late &w : late) {
			bool read = aliased.count(w.v) != 0;
			auto r = reads.find(w.v);

			if (read || vars.count(w.v) || r == reads.end()) {
				if (read)
					add(vars, w.v);
				continue;
			}
			for (unsigned raw : r->second) {
				SourceLocation l = SourceLocation::getFromRawEncoding(raw);

				if (after(w.c, l) || (w.l && holds(w.l, l) && !holds(w.c, l))) {
					add(vars, w.v);
					break;
				}
			}
		}
	}
	void pop()
	{
		ctl.pop_back();
	}
	template <class T> void add(std::set<T> &s, T x)
	{
		if (s.insert(x).second)
			changed = true;
	}
	void set(bool &flag)
	{
		if (!flag)
			changed = true;
		flag = true;
	}
	void mark(SourceLocation l, unsigned char bit)
	{
		size_t t;

		if (!record || l.isInvalid() || (t = F.tok_of(l)) >= F.u->ntoks)
			return;
		F.u->vary[t] |= bit;
	}
	void memread(SourceLocation l)
	{
		mem = true;
		mark(l, MCC_VARY_MEM);
	}
	bool use(SourceLocation l, bool v)
	{
		if (v)
			mark(l, MCC_VARY_USE);
		return v;
	}
	const FunctionDecl *def_of(const FunctionDecl *f) const
	{
		const FunctionDecl *d = nullptr;

		if (!f)
			return nullptr;
		if (!f->hasBody(d))
			if (const FunctionDecl *p = f->getTemplateInstantiationPattern())
				if (!p->hasBody(d))
					d = nullptr;
		if (!d || F.sm->isInSystemHeader(d->getLocation()))
			return nullptr;
		return d;
	}
	void reach(const FunctionDecl *f)
	{
		if (fns.find(f) != fns.end())
			return;
		fns[f];
		order.push_back(f);
		changed = true;
	}
	static bool local(const VarDecl *v)
	{
		return v->hasLocalStorage() && !v->hasAttr<CUDASharedAttr>();
	}
	bool differs(const VarDecl *v) const
	{
		auto a = alias.find(v);

		if (vars.count(v))
			return true;
		if (a != alias.end())
			for (const VarDecl *t : a->second)
				if (vars.count(t))
					return true;
		return false;
	}
	/* the local variable an lvalue names a part of, or null */
	static const VarDecl *named_local(const Expr *e)
	{
		for (;;) {
			e = e->IgnoreParenImpCasts();
			if (const auto *m = dyn_cast<MemberExpr>(e)) {
				if (m->isArrow())
					return nullptr;
				e = m->getBase();
			} else if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
				if (!a->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
					return nullptr;
				e = a->getBase();
			} else if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
				const auto *v = dyn_cast<VarDecl>(d->getDecl());

				return v && local(v) ? v : nullptr;
			} else {
				return nullptr;
			}
		}
	}
	/* reference r bound to e: the local e names, or memory */
	void bind_ref(const VarDecl *r, const Expr *e)
	{
		if (const VarDecl *l = named_local(e)) {
			if (alias[r].insert(l).second)
				changed = true;
			aliased.insert(l);
		} else if (!r->getType().getNonReferenceType().isConstQualified()) {
			add(mem_ref, r);
		}
	}
	/* the parameters of def bound to args, whose values may differ as
	 * av[first + i] says */
	void bind(const FunctionDecl *def, const Expr *const *args, const std::vector<bool> &av,
		  unsigned first)
	{
		for (unsigned i = 0; first + i < av.size() && i < def->getNumParams(); i++) {
			const ParmVarDecl *p = def->getParamDecl(i);

			if (p->getType()->isReferenceType())
				bind_ref(p, args[i]);
			if (av[first + i])
				add(vars, (const VarDecl *)p);
		}
	}
	void write_var(const VarDecl *v, bool val)
	{
		auto d = depth.find(v);

		if (!local(v)) {
			eff = true;
			return;
		}
		if (v->getType()->isReferenceType()) {
			auto a = alias.find(v);

			/* the caller's variables: any parting counts */
			if ((val || parted() >= 0) && a != alias.end())
				for (const VarDecl *t : a->second)
					add(vars, t);
			if (mem_ref.count(v))
				eff = true;
		}
		if (val || (cur && fns[cur].odd)) {
			add(vars, v);
			return;
		}
		/* the outermost parting in v's scope, and the outermost loop
		 * around it there */
		size_t j = d == depth.end() ? 0 : d->second, c;
		const Stmt *l = nullptr;

		for (c = j; c < ctl.size() && !ctl[c].vary; c++)
			if (ctl[c].kind == C_LOOP && !l)
				l = ctl[c].s;
		if (c == ctl.size())
			return;
		if (!ctl[c].s) {
			add(vars, v);
			return;
		}
		if (late.insert({v, ctl[c].s, l}).second)
			changed = true;
	}
	/* Marks the write of v at d: on its name, or, when a macro's body
	 * names it, on its declaration. */
	void written(const DeclRefExpr *d, const VarDecl *v)
	{
		size_t t;

		if (!record || (t = F.tok_of(d->getLocation())) >= F.u->ntoks)
			return;
		const struct mcc_tok *k = &F.u->toks[t];
		if (v->getName() == StringRef(F.u->src + k->off, k->len))
			mark(d->getLocation(), MCC_VARY_WRITE);
		else
			mark(v->getLocation(), MCC_VARY_HIDDEN);
	}
	/* a write of a value that may differ (val) to lvalue e */
	void write(const Expr *e, bool val)
	{
		/* a write hidden in a macro: the macro's name acts */
		mark(e->getExprLoc(), MCC_VARY_USE | MCC_VARY_MEM);
		for (;;) {
			e = e->IgnoreParenImpCasts();
			if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
				if (const auto *v = dyn_cast<VarDecl>(d->getDecl())) {
					write_var(v, val);
					written(d, v);
					return;
				}
				break;
			}
			if (const auto *m = dyn_cast<MemberExpr>(e)) {
				if (isa<CXXThisExpr>(m->getBase()->IgnoreParenImpCasts())) {
					if ((val || parted() >= 0) && cur)
						set(fns[cur].selfw);
					return;
				}
				if (m->isArrow())
					break;
				e = m->getBase();
				continue;
			}
			if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
				if (!a->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
					break;
				val = ev(a->getIdx()) || val;
				e = a->getBase();
				continue;
			}
			if (const auto *o = dyn_cast<CXXOperatorCallExpr>(e)) {
				if (o->getNumArgs() >= 1 && (o->getOperator() == OO_Subscript ||
							    o->getOperator() == OO_Call)) {
					for (unsigned i = 1; i < o->getNumArgs(); i++)
						val = ev(o->getArg(i)) || val;
					e = o->getArg(0);
					continue;
				}
			}
			break;
		}
		ev(e);   /* memory, or what mcc does not follow: its address's uses */
		eff = true;
	}

	bool ref(const ValueDecl *d, SourceLocation l)
	{
		const auto *v = dyn_cast<VarDecl>(d);

		if (isa<BindingDecl>(d))
			return use(l, true);
		if (!v)
			return false;
		if (local(v)) {
			reads[v].insert(F.sm->getFileLoc(l).getRawEncoding());
			return use(l, differs(v));
		}
		if (v->getDeclContext()->getRedeclContext()->isFileContext() && v->getName() == "threadIdx")
			return use(l, true);
		/* memory that kernels may write (not the thread-local indices) */
		if (v->getTLSKind() == VarDecl::TLS_None && !v->getType().isConstQualified() &&
		    !v->hasAttr<CUDAConstantAttr>() && !v->getType()->isArrayType())
			memread(l);
		return use(l, v->getType().isVolatileQualified());
	}

	bool ev(const Expr *e);
	bool unary(const UnaryOperator *u);
	bool binary(const BinaryOperator *b);
	bool call(const CallExpr *c);
	bool callee_fn(const FunctionDecl *fd, const Expr *obj, bool objv, const CallExpr *c,
		       const std::vector<bool> &av, unsigned first, bool &ceff, bool &cmem);
	bool construct(const CXXConstructExpr *c);
	void decl(const VarDecl *v);
	void loop(const Stmt *s, const VarDecl *cvar, const Expr *cond, const Stmt *body, const Expr *inc,
		  const Stmt *lvar);
	void st(const Stmt *s);
	void walk(const FunctionDecl *f);
};

bool Vary::unary(const UnaryOperator *u)
{
	const Expr *s = u->getSubExpr();

	switch (u->getOpcode()) {
	case UO_AddrOf: {
		const VarDecl *v = named_local(s);

		if (v) {
			/* a local's address: each thread's own, and the local
			 * may be written through it */
			add(vars, v);
			ev(s);
			return use(u->getOperatorLoc(), true);
		}
		return ev(s);
	}
	case UO_PreInc:
	case UO_PreDec:
	case UO_PostInc:
	case UO_PostDec: {
		bool v = ev(s);

		write(s, v);
		return v;
	}
	case UO_Deref:
		memread(u->getOperatorLoc());
		return ev(s);
	default:
		return ev(s);
	}
}

bool Vary::binary(const BinaryOperator *b)
{
	if (b->isAssignmentOp()) {
		bool r = ev(b->getRHS());

		if (b->isCompoundAssignmentOp())
			r = ev(b->getLHS()) || r;
		write(b->getLHS(), r);
		return r;
	}
	bool l = ev(b->getLHS());
	if (b->isLogicalOp()) {
		push(b, l, C_IF);
		bool r = ev(b->getRHS());
		pop();
		return l || r;
	}
	return ev(b->getRHS()) || l;
}

bool Vary::ev(const Expr *e)
{
	if (!e)
		return false;
	if (const auto *d = dyn_cast<DeclRefExpr>(e))
		return ref(d->getDecl(), d->getLocation());
	if (const auto *u = dyn_cast<UnaryOperator>(e))
		return unary(u);
	if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
		if (!named_local(a))
			memread(a->getExprLoc());
		bool b = ev(a->getBase());
		return ev(a->getIdx()) || b;
	}
	if (const auto *b = dyn_cast<BinaryOperator>(e))
		return binary(b);
	if (const auto *c = dyn_cast<ConditionalOperator>(e)) {
		bool k = ev(c->getCond());

		push(c, k, C_IF);
		bool t = ev(c->getTrueExpr());
		bool f = ev(c->getFalseExpr());
		pop();
		return k || t || f;
	}
	if (const auto *c = dyn_cast<CallExpr>(e))
		return call(c);
	if (const auto *c = dyn_cast<CXXConstructExpr>(e))
		return construct(c);
	if (const auto *m = dyn_cast<MemberExpr>(e)) {
		if (m->isArrow())
			memread(m->getMemberLoc());
		return ev(m->getBase());
	}
	if (isa<UnaryExprOrTypeTraitExpr>(e) || isa<CXXNoexceptExpr>(e) || isa<TypeTraitExpr>(e) ||
	    isa<DependentScopeDeclRefExpr>(e) || isa<UnresolvedLookupExpr>(e) || isa<SizeOfPackExpr>(e) ||
	    isa<CXXScalarValueInitExpr>(e))
		return false;
	if (isa<CXXThisExpr>(e))
		return cur && fns[cur].self;
	if (const auto *d = dyn_cast<CXXDefaultArgExpr>(e))
		return ev(d->getExpr());
	if (const auto *d = dyn_cast<CXXDefaultInitExpr>(e))
		return ev(d->getExpr());
	if (const auto *o = dyn_cast<OpaqueValueExpr>(e))
		return ev(o->getSourceExpr());
	if (const auto *m = dyn_cast<CXXDependentScopeMemberExpr>(e))
		return m->isImplicitAccess() ? (cur && fns[cur].self) : ev(m->getBase());
	if (const auto *s = dyn_cast<StmtExpr>(e)) {
		st(s->getSubStmt());
		memread(e->getExprLoc());
		return use(e->getExprLoc(), true);
	}
	if (isa<LambdaExpr>(e) || isa<BlockExpr>(e) || isa<AtomicExpr>(e)) {
		for (const Stmt *c : e->children())
			if (const auto *x = dyn_cast_or_null<Expr>(c))
				ev(x);
		eff = true;
		memread(e->getExprLoc());
		return use(e->getExprLoc(), true);
	}
	bool v = false;
	for (const Stmt *c : e->children())
		if (const auto *x = dyn_cast_or_null<Expr>(c))
			v = ev(x) || v;
	return v;
}

/* A call of function fd (object obj, whose value may differ: objv) with
 * arguments av from c's argument `first` on. */
bool Vary::callee_fn(const FunctionDecl *fd, const Expr *obj, bool objv, const CallExpr *c,
		     const std::vector<bool> &av, unsigned first, bool &ceff, bool &cmem)
{
	std::string name = fd->getNameAsString();
	bool any = objv;
	const auto *md = dyn_cast<CXXMethodDecl>(fd);

	for (size_t i = first; i < av.size(); i++)
		any = any || av[i];
	if (in_cg(fd->getDeclContext())) {
		if (in_list(name, cg_uniform))
			return any;
		ceff = true;
		return true;
	}
	/* a struct's implicit assignment */
	if (md && (md->isCopyAssignmentOperator() || md->isMoveAssignmentOperator()) &&
	    !def_of(fd) && obj && c->getNumArgs() > first) {
		write(obj, av[first]);
		return av[first];
	}
	const FunctionDecl *def = def_of(fd);
	if (!def) {
		/* a library function mcc does not know as pure may keep state
		 * (rand()): as if it differed and acted */
		if (has_prefix(name, vary_prefixes) || has_prefix(name, effect_prefixes) ||
		    (!F.sm->isInSystemHeader(fd->getLocation()) && !fd->isImplicit()) ||
		    !(fd->isOverloadedOperator() || isa<CXXConversionDecl>(fd) || fd->getBuiltinID() ||
		      mcc_word_pure(name.data(), name.size()))) {
			ceff = true;
			return true;
		}
		/* a library function: its value follows its arguments; what it
		 * writes through references follows them too; through a
		 * pointer it may read memory */
		for (unsigned i = 0; i < c->getNumArgs(); i++)
			if (c->getArg(i)->getType()->isPointerType() || c->getArg(i)->getType()->isArrayType())
				cmem = true;
		for (unsigned i = first; i < c->getNumArgs() && i - first < fd->getNumParams(); i++) {
			QualType t = fd->getParamDecl(i - first)->getType();

			if (t->isLValueReferenceType() && !t.getNonReferenceType().isConstQualified())
				write(c->getArg(i), any);
		}
		return any;
	}
	reach(def);
	Fn &fn = fns[def];
	if (parted() >= 0)
		set(fn.cv);
	if (objv)
		set(fn.self);
	bind(def, c->getArgs() + first, av, first);
	for (unsigned i = first + def->getNumParams(); i < av.size(); i++)
		if (av[i])
			ceff = true;   /* variadic: not followed */
	if (fn.eff)
		ceff = true;
	if (fn.mem)
		cmem = true;
	/* a method that changes its object */
	if (md && !md->isConst() && !md->isStatic() && obj && !isa<CXXConstructorDecl>(md))
		write(obj, fn.selfw || any);
	return fn.ret || (md && !md->isStatic() && objv);
}

bool Vary::call(const CallExpr *c)
{
	const Expr *callee = c->getCallee()->IgnoreParenImpCasts();
	const Expr *obj = nullptr;
	SourceLocation at = c->getBeginLoc();
	std::vector<bool> av;
	unsigned first = 0;
	bool v = false, ceff = false, cmem = false, objv = false;
	std::vector<const FunctionDecl *> cands;

	if (const auto *m = dyn_cast<MemberExpr>(callee)) {
		at = m->getMemberLoc();
		obj = m->getBase();
		objv = ev(obj);
	} else if (const auto *d = dyn_cast<DeclRefExpr>(callee)) {
		at = d->getLocation();
	} else if (const auto *o = dyn_cast<OverloadExpr>(callee)) {
		at = o->getNameLoc();
		if (const auto *um = dyn_cast<UnresolvedMemberExpr>(o))
			if (!um->isImplicitAccess()) {
				obj = um->getBase();
				objv = ev(obj);
			}
	} else if (const auto *m = dyn_cast<CXXDependentScopeMemberExpr>(callee)) {
		at = m->getMemberLoc();
		if (!m->isImplicitAccess()) {
			obj = m->getBase();
			objv = ev(obj);
		}
	}
	if (const auto *o = dyn_cast<CXXOperatorCallExpr>(c)) {
		at = o->getOperatorLoc();
		if (o->getNumArgs() && isa_and_nonnull<CXXMethodDecl>(o->getDirectCallee())) {
			obj = o->getArg(0);
			first = 1;
		}
	}
	for (unsigned i = 0; i < c->getNumArgs(); i++)
		av.push_back(ev(c->getArg(i)));
	if (first)
		objv = av[0];
	if (const FunctionDecl *fd = c->getDirectCallee()) {
		cands.push_back(fd);
	} else if (const auto *o = dyn_cast<OverloadExpr>(callee)) {
		for (const NamedDecl *d : o->decls()) {
			const NamedDecl *u = d->getUnderlyingDecl();

			if (const auto *f = dyn_cast<FunctionDecl>(u))
				cands.push_back(f);
			else if (const auto *t = dyn_cast<FunctionTemplateDecl>(u))
				cands.push_back(t->getTemplatedDecl());
		}
	}
	if (cands.empty()) {
		std::string name;

		if (const auto *m = dyn_cast<CXXDependentScopeMemberExpr>(callee))
			name = m->getMember().getAsString();
		if (!name.empty() && in_list(name, cg_uniform)) {
			v = objv;
			for (bool a : av)
				v = v || a;
		} else {
			if (!isa<CXXDependentScopeMemberExpr>(callee) && !isa<OverloadExpr>(callee))
				ev(callee);
			v = true;
			ceff = true;
		}
	}
	for (const FunctionDecl *fd : cands)
		v = callee_fn(fd, obj, objv, c, av, first, ceff, cmem) || v;
	if (ceff)
		eff = true;
	mark(at, MCC_VARY_CALL);
	if (ceff || cmem)
		memread(at);
	return use(at, v || ceff) && v;
}

bool Vary::construct(const CXXConstructExpr *c)
{
	bool any = false;
	const FunctionDecl *def = def_of(c->getConstructor());
	std::vector<bool> av;

	for (unsigned i = 0; i < c->getNumArgs(); i++) {
		av.push_back(ev(c->getArg(i)));
		any = any || av.back();
	}
	if (!def)
		return any;
	reach(def);
	Fn &fn = fns[def];
	if (parted() >= 0)
		set(fn.cv);
	bind(def, c->getArgs(), av, 0);
	if (fn.eff) {
		eff = true;
		use(c->getLocation(), true);
	}
	if (fn.eff || fn.mem)
		memread(c->getLocation());
	return any || fn.selfw || fn.eff;
}

void Vary::decl(const VarDecl *v)
{
	const Expr *init = v->getInit();
	bool r = ev(init);

	if (!local(v))
		return;
	depth[v] = ctl.size();
	if (v->getType()->isReferenceType() && init)
		bind_ref(v, init);
	if (r || (cur && fns[cur].odd))
		add(vars, v);
}

void Vary::loop(const Stmt *s, const VarDecl *cvar, const Expr *cond, const Stmt *body, const Expr *inc,
		const Stmt *lvar)
{
	push(s, left.count(s) != 0, C_LOOP);
	if (cvar)
		decl(cvar);
	if (ev(cond))
		ctl.back().vary = true;
	st(lvar);
	st(body);
	ev(inc);
	pop();
}

void Vary::st(const Stmt *s)
{
	if (!s)
		return;
	if (const auto *e = dyn_cast<Expr>(s)) {
		ev(e);
	} else if (const auto *d = dyn_cast<DeclStmt>(s)) {
		for (const Decl *x : d->decls())
			if (const auto *v = dyn_cast<VarDecl>(x))
				decl(v);
	} else if (const auto *i = dyn_cast<IfStmt>(s)) {
		st(i->getInit());
		if (i->getConditionVariable())
			decl(i->getConditionVariable());
		push(s, !i->isConstexpr() && ev(i->getCond()), C_IF);
		st(i->getThen());
		st(i->getElse());
		pop();
	} else if (const auto *f = dyn_cast<ForStmt>(s)) {
		st(f->getInit());
		loop(s, f->getConditionVariable(), f->getCond(), f->getBody(), f->getInc(), nullptr);
	} else if (const auto *w = dyn_cast<WhileStmt>(s)) {
		loop(s, w->getConditionVariable(), w->getCond(), w->getBody(), nullptr, nullptr);
	} else if (const auto *d = dyn_cast<DoStmt>(s)) {
		/* the body runs before the condition: under the loop's state */
		loop(s, nullptr, d->getCond(), d->getBody(), nullptr, nullptr);
	} else if (const auto *r = dyn_cast<CXXForRangeStmt>(s)) {
		st(r->getInit());
		st(r->getRangeStmt());
		st(r->getBeginStmt());
		st(r->getEndStmt());
		loop(s, nullptr, r->getCond(), r->getBody(), r->getInc(), r->getLoopVarStmt());
	} else if (const auto *w = dyn_cast<SwitchStmt>(s)) {
		st(w->getInit());
		if (w->getConditionVariable())
			decl(w->getConditionVariable());
		bool v = ev(w->getCond()) || left.count(s);
		push(s, v, C_SWITCH);
		st(w->getBody());
		pop();
	} else if (isa<BreakStmt>(s) || isa<ContinueStmt>(s)) {
		/* the loop (or switch) it leaves: left early by some
		 * threads if they parted inside it */
		for (size_t j = ctl.size(); j-- > 1;)
			if (ctl[j].kind == C_LOOP || (ctl[j].kind == C_SWITCH && isa<BreakStmt>(s))) {
				if (parted() > (long)j)
					add(left, ctl[j].s);
				break;
			}
	} else if (const auto *r = dyn_cast<ReturnStmt>(s)) {
		bool v = ev(r->getRetValue());

		if ((v || parted() > 0) && cur)
			set(fns[cur].ret);
		for (size_t j = 1; j < ctl.size(); j++)
			if (ctl[j].kind != C_IF && parted() > (long)j)
				add(left, ctl[j].s);
	} else if (isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s)) {
		if (cur)
			set(fns[cur].odd);
	} else if (const auto *a = dyn_cast<AsmStmt>(s)) {
		for (unsigned i = 0; i < a->getNumInputs(); i++)
			ev(a->getInputExpr(i));
		for (unsigned i = 0; i < a->getNumOutputs(); i++)
			write(a->getOutputExpr(i), true);
		eff = true;
		mem = true;
	} else {
		for (const Stmt *c : s->children())
			st(c);
	}
}

void Vary::walk(const FunctionDecl *f)
{
	Fn &fn = fns[f];

	cur = f;
	eff = false;
	mem = false;
	ctl.clear();
	push(nullptr, fn.cv, C_IF);
	for (const ParmVarDecl *p : f->parameters())
		depth[p] = 1;
	if (const auto *c = dyn_cast<CXXConstructorDecl>(f))
		for (const CXXCtorInitializer *i : c->inits())
			if (i->isWritten() && ev(i->getInit()))
				set(fns[f].selfw);
	st(f->getBody());
	if (eff)
		set(fns[f].eff);
	if (mem)
		set(fns[f].mem);
	cur = nullptr;
}

void Front::divergence(const std::vector<const FunctionDecl *> &roots)
{
	Vary v(*this);

	free(u->vary);
	u->vary = (unsigned char *)calloc(u->ntoks ? u->ntoks : 1, 1);
	if (!u->vary)
		return;
	v.run(roots);
}

/*
 * Whether the groups of a row of groups may run as one x loop (gen_loop.c,
 * mcc_kernel.xrun): the kernel reads threadIdx.x and blockIdx.x only as the
 * sum blockIdx.x * blockDim.x + threadIdx.x (either order, parentheses and
 * widening casts allowed), so a thread's work follows from that global
 * index alone; it uses no __shared__ variable (its groups would share one);
 * and it calls only device-header functions without side effects and
 * functions of the user's code that keep to the same and read no index.
 * A kernel with output or atomics keeps its groups apart, so that the order
 * of what it prints or counts stays the one of loop mode.
 */
class GlobalX : public RecursiveASTVisitor<GlobalX> {
	Front &F;
	std::set<const Expr *> ok;              /* indices inside the sum */
	std::set<const Expr *> member_base;     /* index variables read as .x/.y/.z */
	std::set<const FunctionDecl *> seen;
	bool callee = false;                    /* walking a called function */

	static const VarDecl *index_var(const Expr *e)
	{
		const auto *d = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
		const auto *v = d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;

		if (!v || !v->getDeclContext()->getRedeclContext()->isFileContext())
			return nullptr;
		if (v->getName() == "threadIdx" || v->getName() == "blockIdx" ||
		    v->getName() == "blockDim" || v->getName() == "gridDim")
			return v;
		return nullptr;
	}
	/* e without parentheses, implicit casts and casts to integer types of
	 * at least 32 bits (which keep the index's value) */
	const Expr *strip(const Expr *e) const
	{
		for (;;) {
			e = e->IgnoreParenImpCasts();
			const auto *c = dyn_cast<ExplicitCastExpr>(e);

			if (!c || !c->getType()->isIntegerType() || c->getType()->isBooleanType() ||
			    F.ctx->getTypeSize(c->getType()) < 32)
				return e;
			e = c->getSubExpr();
		}
	}
	/* e is var.member (var one of the four index variables) */
	static bool is_idx(const Expr *e, const char *var, const char *member)
	{
		const auto *m = dyn_cast<MemberExpr>(e);
		const VarDecl *v = m ? index_var(m->getBase()) : nullptr;

		return v && v->getName() == var && m->getMemberDecl()->getName() == member;
	}

public:
	explicit GlobalX(Front &fr) : F(fr) {}
	bool fine = true;

	bool shouldVisitTemplateInstantiations() const { return false; }
	bool shouldVisitImplicitCode() const { return true; }

	void run(const FunctionDecl *fd)
	{
		const Stmt *b = fd ? fd->getBody() : nullptr;

		if (!b || fd->isDependentContext()) {
			fine = false;
			return;
		}
		seen.insert(fd);
		TraverseStmt(const_cast<Stmt *>(b));
	}
	bool VisitBinaryOperator(BinaryOperator *b)
	{
		if (b->getOpcode() != BO_Add)
			return true;
		const Expr *l = strip(b->getLHS()), *r = strip(b->getRHS()), *tx, *o;

		if (is_idx(l, "threadIdx", "x")) {
			tx = l;
			o = r;
		} else if (is_idx(r, "threadIdx", "x")) {
			tx = r;
			o = l;
		} else {
			return true;
		}
		const auto *mul = dyn_cast<BinaryOperator>(o);
		if (!mul || mul->getOpcode() != BO_Mul)
			return true;
		const Expr *a = strip(mul->getLHS()), *c = strip(mul->getRHS()), *bx = nullptr;
		if (is_idx(a, "blockIdx", "x") && is_idx(c, "blockDim", "x"))
			bx = a;
		else if (is_idx(c, "blockIdx", "x") && is_idx(a, "blockDim", "x"))
			bx = c;
		if (bx) {
			ok.insert(tx);
			ok.insert(bx);
		}
		return true;
	}
	bool VisitMemberExpr(MemberExpr *m)
	{
		const VarDecl *v = index_var(m->getBase());

		if (!v)
			return true;
		member_base.insert(m->getBase()->IgnoreParenImpCasts());
		if ((v->getName() == "threadIdx" || v->getName() == "blockIdx") &&
		    (callee || (m->getMemberDecl()->getName() == "x" && !ok.count(m))))
			fine = false;
		return true;
	}
	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		const auto *v = dyn_cast<VarDecl>(e->getDecl());

		if (!v)
			return true;
		if (v->hasAttr<CUDASharedAttr>())
			fine = false;
		/* the whole index variable: copied, passed or its address taken */
		if (index_var(e) && (v->getName() == "threadIdx" || v->getName() == "blockIdx") &&
		    !member_base.count(e))
			fine = false;
		return true;
	}
	bool VisitGCCAsmStmt(GCCAsmStmt *) { fine = false; return true; }
	bool VisitMSAsmStmt(MSAsmStmt *) { fine = false; return true; }
	bool VisitCallExpr(CallExpr *c)
	{
		const FunctionDecl *fd = c->getDirectCallee();

		if (!fd) {
			fine = false;
			return true;
		}
		if (unsigned id = fd->getBuiltinID()) {
			if (!F.ctx->BuiltinInfo.isConst(id))
				fine = false;
			return true;
		}
		walk_callee(fd);
		return true;
	}
	bool VisitCXXConstructExpr(CXXConstructExpr *c)
	{
		const CXXConstructorDecl *fd = c->getConstructor();

		if (fd && !fd->isTrivial() && !F.sm->isInSystemHeader(fd->getLocation()))
			walk_callee(fd);
		return true;
	}
	bool VisitCXXDeleteExpr(CXXDeleteExpr *) { fine = false; return true; }
	bool VisitCXXNewExpr(CXXNewExpr *) { fine = false; return true; }

private:
	void walk_callee(const FunctionDecl *fd)
	{
		const FunctionDecl *def = nullptr;

		if (F.sm->isInSystemHeader(fd->getLocation())) {
			std::string n = fd->getNameAsString();

			if (!fd->getDeclName().isIdentifier() || n.empty() ||
			    !mcc_word_pure(n.c_str(), n.size()))
				fine = false;
			return;
		}
		if (!fd->hasBody(def) || F.sm->isInSystemHeader(def->getLocation())) {
			fine = false;
			return;
		}
		if (!seen.insert(def).second)
			return;
		bool was = callee;
		std::set<const Expr *> ok_was;
		ok_was.swap(ok);
		callee = true;
		TraverseStmt(const_cast<Stmt *>(def->getBody()));
		if (const auto *cd = dyn_cast<CXXConstructorDecl>(def))
			for (const CXXCtorInitializer *i : cd->inits())
				if (i->getInit())
					TraverseStmt(i->getInit());
		callee = was;
		ok.swap(ok_was);
	}
};

void Front::finish()
{
	/* launches: in source order, as the passes edit them */
	std::stable_sort(launches.begin(), launches.end(), [this](const CUDAKernelCallExpr *a,
								     const CUDAKernelCallExpr *b) {
		return sm->isBeforeInTranslationUnit(sm->getSpellingLoc(a->getBeginLoc()),
						     sm->getSpellingLoc(b->getBeginLoc()));
	});
	for (const CUDAKernelCallExpr *e : launches)
		add_launch(e);
	/* instances, barriers, static shared memory; device code and host
	 * variables; the kernels the divergence analysis reads: a template's
	 * instances (their calls are resolved; the marks of all of them
	 * land on the template's text), or the pattern when there are none */
	std::vector<const FunctionDecl *> vroots;
	for (size_t i = 0; i < kernels.size(); i++) {
		struct mcc_kernel *k = &u->kernels[i];
		bool bar = barrier(kernels[i]);
		std::vector<const FunctionDecl *> insts;

		if (ktmpl[i]) {
			for (const FunctionDecl *s : ktmpl[i]->specializations()) {
				TemplateSpecializationKind tk = s->getTemplateSpecializationKind();

				if (!(s->isReferenced() || tk == TSK_ExplicitInstantiationDefinition ||
				      tk == TSK_ExplicitInstantiationDeclaration) ||
				    tk == TSK_ExplicitSpecialization || s->isInvalidDecl())
					continue;
				const TemplateArgumentList *al = s->getTemplateSpecializationArgs();
				if (!al)
					continue;
				std::string a = targs_text(*al);
				int before = k->ninsts;
				mcc_add_instance(k, mcc_strndup(a.c_str(), a.size()));
				if (k->ninsts == before)
					continue;
				k->inst_shared = (unsigned *)mcc_xrealloc(k->inst_shared,
									   (size_t)k->ninsts * sizeof(unsigned));
				k->inst_shared[k->ninsts - 1] = shared_bytes(s);
				bar = bar || barrier(s);
				insts.push_back(s);
			}
		} else {
			k->static_shared_bytes = shared_bytes(kernels[i]);
			insts.push_back(kernels[i]);
		}
		k->flags = bar ? (MUSA_META_F_BARRIER | MUSA_META_F_WARP) : 0;
		{
			LocalNames ln(true);

			ln.TraverseDecl(const_cast<FunctionDecl *>(kernels[i]));
			k->locals = (char **)mcc_xrealloc(nullptr, (ln.names.size() + 1) * sizeof(char *));
			for (const std::string &n : ln.names)
				k->locals[k->nlocals++] = mcc_strndup(n.c_str(), n.size());
		}
		if (insts.empty())
			vroots.push_back(kernels[i]);
		vroots.insert(vroots.end(), insts.begin(), insts.end());
		k->xrun = !insts.empty() && !bar;
		for (const FunctionDecl *fd : insts) {
			HostVarCheck c(*this, kernels[i]);
			GlobalX g(*this);

			if (fd->getBody())
				c.TraverseStmt(const_cast<Stmt *>(fd->getBody()));
			if (k->xrun) {
				g.run(fd);
				k->xrun = g.fine;
			}
		}
	}
	divergence(vroots);
	for (size_t i = 0; i < devfns.size(); i++) {
		u->funcs[i].barrier = barrier(devfns[i]);
		if (u->funcs[i].barrier)
			inline_info(devfns[i], &u->funcs[i]);
		if (!u->funcs[i].host_too && devfns[i]->doesThisDeclarationHaveABody()) {
			HostVarCheck c(*this, devfns[i]);

			c.TraverseStmt(devfns[i]->getBody());
		}
	}
}

class Consumer : public ASTConsumer {
	Front &f;

public:
	explicit Consumer(Front &fr) : f(fr) {}

	void HandleTranslationUnit(ASTContext &ctx) override
	{
		f.ctx = &ctx;
		f.sm = &ctx.getSourceManager();
		f.main = f.sm->getMainFileID();
		f.pp = PrintingPolicy(ctx.getLangOpts());
		f.pp.SuppressUnwrittenScope = true;
		f.pp.SuppressTemplateArgsInCXXConstructors = true;
		f.pp.FullyQualifiedName = true;
		f.pp.PrintCanonicalTypes = false;
		if (f.probe && !f.clang_errors && f.headers_to_put())
			return;
		Visitor v(f);
		v.TraverseDecl(ctx.getTranslationUnitDecl());
		f.finish();
	}
};

class Action : public ASTFrontendAction {
	Front &f;

public:
	explicit Action(Front &fr) : f(fr) {}

	/* MUSA C: a C translation unit with CUDA's kernels and launches */
	bool BeginInvocation(CompilerInstance &ci) override
	{
		if (f.u->is_c)
			ci.getLangOpts().CUDA = 1;
		return true;
	}

	std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci, StringRef) override
	{
		ci.getPreprocessor().addPPCallbacks(std::make_unique<HostDeviceHeaders>(ci));
		ci.getPreprocessor().addPPCallbacks(std::make_unique<IncludeLog>(ci.getSourceManager(),
										 f.dirs));
		DiagnosticsEngine &de = ci.getDiagnostics();
		DiagnosticConsumer *next = de.getClient();
		std::unique_ptr<DiagnosticConsumer> own = de.ownsClient() ? de.takeClient() : nullptr;

		de.setClient(new Diags(std::move(own), next, &f.clang_errors), true);
		f.diags = &ci.getDiagnostics();
		return std::make_unique<Consumer>(f);
	}
};

} /* namespace */

extern "C" int mcc_front(struct mcc_unit *u, const char *const *args, int nargs, int probe)
{
	Front f;
	std::vector<std::string> argv;

	f.u = u;
	f.probe = probe;
	/*
	 * CUDA's host side, without a CUDA installation and without clang's
	 * own CUDA wrapper headers (the device runtime's headers play their
	 * part); gcc's own headers (<omp.h>) last, as the passes find them;
	 * warnings are the passes' to give.
	 */
	if (u->is_c)
		for (const char *a : {"-fsyntax-only", "-x", "c"})
			argv.push_back(a);
	else
		for (const char *a : {"-fsyntax-only", "-x", "cuda", "--cuda-host-only", "-nocudainc",
				      "-nocudalib"})
			argv.push_back(a);
	for (const char *a : {"-nobuiltininc", "-resource-dir", MCC_CLANG_RESOURCE_DIR, "-isystem",
			      MCC_CLANG_RESOURCE_DIR "/include", "-idirafter", MCC_GCC_INCLUDE_DIR, "-w",
			      "-ferror-limit=20", "-Xclang",
			      "-fcuda-allow-variadic-functions", "-D__MUSA_PARSE__=1"})
		argv.push_back(a);
	for (int i = 0; i < nargs; i++)
		argv.push_back(args[i]);
	argv.push_back("-include");
	argv.push_back("musa_parse_pass.h");
	bool ok = tooling::runToolOnCodeWithArgs(std::make_unique<Action>(f),
						  llvm::StringRef(u->src, u->len), argv, u->path, "mcc");
	if (!ok || f.errors || f.clang_errors)
		return -1;
	return u->nincl ? 1 : 0;
}
