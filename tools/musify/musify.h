/* SPDX-License-Identifier: MIT */
/*
 * musify.h - private interfaces of musify, the CUDA <-> MUSA source
 * converter (docs/porting.md).
 *
 * A run builds one name map from the installed headers (map.c, names.c,
 * exceptions.c), walks the inputs (tree.c), collects the names the user's
 * own files define (userdefs.c), then converts each source file token by
 * token (lex.c, convert.c) and each build file (build_files.c), reporting
 * the CUDA names it cannot map (report.c). It is a host tool: libc only.
 */
#ifndef MUSIFY_H
#define MUSIFY_H

#include <stddef.h>

/* buf.c: growable strings, whole-file I/O */
struct buf {
	char *s;
	size_t len, cap;
};

void buf_put(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The whole file (NUL-terminated, size in *len), or NULL with errno set. */
char *read_file(const char *path, size_t *len);
/* Writes data to path through a temporary file in the same directory and
 * rename(2), with the given mode; creates missing parent directories.
 * Returns 0 or -1 with errno set. */
int write_file(const char *path, const char *data, size_t len, unsigned mode);
int mkdir_parents(const char *path);

/* strmap.c: string -> value hash map */
struct strmap_entry {
	char *key;
	char *value;   /* owned copy, may be NULL */
	long count;    /* free for the user: counts, flags */
};

struct strmap {
	struct strmap_entry *e;
	size_t n, cap;
};

/* The entry for key, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key);
struct strmap_entry *strmap_getn(const struct strmap *m, const char *key, size_t len);
/* The entry for key, created (value NULL, count 0) when missing. */
struct strmap_entry *strmap_add(struct strmap *m, const char *key);
/* Sets key's value (a copy of value); returns the entry. */
struct strmap_entry *strmap_set(struct strmap *m, const char *key, const char *value);
/* The live entries, sorted by key (caller frees the array). */
struct strmap_entry **strmap_sorted(const struct strmap *m);
void strmap_free(struct strmap *m);

/* lex.c: C/C++ tokens */
enum tok_kind {
	TOK_EOF,
	TOK_SPACE,     /* blanks, newlines, backslash-newlines */
	TOK_COMMENT,
	TOK_IDENT,
	TOK_NUMBER,
	TOK_STRING,    /* with its prefix: u8"..", L"..", R"d(..)d" */
	TOK_CHAR,
	TOK_HEADER,    /* <name> or "name" of #include / __has_include */
	TOK_HASH,      /* the # that starts a preprocessor directive */
	TOK_PUNCT,
};

struct token {
	enum tok_kind kind;
	size_t pos, len;
	unsigned line, col;
	int in_directive;  /* inside a preprocessor line */
};

struct lexer {
	const char *s;
	size_t len, pos;
	unsigned line, col;
	int line_start;      /* only blanks so far on this line */
	int in_directive;
	int directive_words; /* identifiers seen in this directive */
	int want_header;     /* next <...> or "..." is a header name */
	int has_include;     /* saw __has_include, header after '(' */
	char directive[16];  /* the directive's name */
};

void lex_init(struct lexer *lx, const char *s, size_t len);
void lex_next(struct lexer *lx, struct token *t);

/* names.c: the renaming rule and the shapes of API names */
/* MUSA name -> CUDA name by the rule (musa -> cuda, mu -> cu, MUSA_ ->
 * CUDA_, ...); NULL when the rule does not apply (not a MUSA-shaped name). */
char *names_musa_to_cuda(const char *musa);
/* A file name's rename: .cu <-> .mu, .cuh <-> .muh, cuda <-> musa in the
 * name; NULL when it stays. */
char *names_rename_file(const char *base, int reverse);
/* Does the identifier look like an API name of the other side (CUDA when
 * converting forward, MUSA when reverse)? */
int names_looks_foreign(const char *id, size_t len, int reverse);
/* Does the header name look like a CUDA toolkit header (forward) or a MUSA
 * one (reverse)? */
int names_header_foreign(const char *hdr, int reverse);
int names_is_source(const char *base);
int names_is_build_file(const char *base);
int names_is_cmake(const char *base);
int names_is_keyword(const char *id, size_t len);

/* exceptions.c: the names the rule cannot derive */
enum {
	EXC_FWD = 1,       /* map the CUDA name to the MUSA name */
	EXC_REV = 2,       /* map the MUSA name back to the CUDA name */
	EXC_FALLBACK = 4,  /* header: only when the headers lack the CUDA name */
	EXC_HEADER = 8,    /* a header name, not an identifier */
};

struct exception {
	const char *cuda, *musa;
	int flags;
	const char *why;
};

extern const struct exception musify_exceptions[];
extern const size_t musify_nexceptions;

/* map.c: the name maps of one run */
struct name_map {
	struct strmap ids;      /* identifier -> identifier (direction of the run) */
	struct strmap headers;  /* header name -> header name */
	struct strmap known;    /* names the headers have under the same name */
	struct strmap known_headers;
	int reverse;
	size_t nheader_files;
};

/* Reads every header under dir and builds the maps for the direction.
 * Returns 0, or -1 when dir has no headers. */
int map_build(struct name_map *m, const char *dir, int reverse);
/* The renamed identifier, or NULL. */
const char *map_id(const struct name_map *m, const char *id, size_t len);
/* The renamed header, or NULL. */
const char *map_header(const struct name_map *m, const char *hdr);
int map_is_known(const struct name_map *m, const char *id, size_t len);
int map_header_known(const struct name_map *m, const char *hdr);
void map_print(const struct name_map *m);
void map_free(struct name_map *m);

/* report.c: warnings and the per-tree summary */
struct tally {
	const char *root;          /* the input argument */
	unsigned files, renamed_files, build_files, changed_files;
	unsigned long ids, includes;
	struct strmap unmapped;    /* name -> occurrences */
};

struct report {
	int quiet;
	int reverse;
	int errors;                /* I/O errors seen */
	struct tally *tally;       /* the current tree's */
	struct strmap seen;        /* "file\0name" warned about already */
};

void report_unmapped(struct report *r, const char *file, unsigned line, unsigned col,
		     const char *name, size_t len);
void report_error(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_summary(struct report *r, const struct tally *t);
unsigned long report_unmapped_total(const struct tally *t);

/* tree.c: the inputs */
enum file_kind { FILE_SOURCE, FILE_BUILD, FILE_OTHER };

struct input_file {
	char *path;       /* as the user can find it (argument + relative path) */
	char *real;       /* realpath */
	char *rel;        /* relative to the base of its tree */
	char *new_rel;    /* rel after renaming */
	char *new_base;   /* basename of new_rel */
	enum file_kind kind;
	int root;         /* index of the argument it came from */
	unsigned mode;
	char *text;       /* contents once read */
	size_t len;
};

struct tree {
	struct input_file *f;
	size_t n, cap;
	char *base;                 /* common directory of the inputs (realpath) */
	struct strmap by_real;      /* realpath -> index + 1 (count) */
	struct strmap by_base;      /* basename -> index + 1 of the first (count) */
	struct strmap stems;        /* old stem -> new stem, renamed sources */
};

/* Collects the files under the arguments; skip is a directory not to
 * enter (the output directory). Returns 0 or -1 (reported). */
int tree_collect(struct tree *t, char **args, int nargs, int reverse, const char *skip,
		 struct report *r);
/* The input a #include names: quoted names are looked up next to the
 * including file first; then any input whose path ends in the name. */
const struct input_file *tree_resolve_include(const struct tree *t, const struct input_file *from,
					      const char *name, int quoted);
void tree_free(struct tree *t);

/* userdefs.c: names the converted files define */
void userdefs_scan(struct strmap *defs, const char *text, size_t len);

/* convert.c: one source file */
struct convert_ctx {
	const struct name_map *map;
	const struct strmap *userdefs;
	const struct tree *tree;
	struct report *report;
	int all_text;
	int reverse;
};

/* Converts f's text into out; counts into the report's tally. */
void convert_source(struct convert_ctx *c, const struct input_file *f, struct buf *out);
/* Renames the words of a comment or literal (--all-text). */
void convert_text_words(struct convert_ctx *c, const char *s, size_t len, struct buf *out);

/* build_files.c: Makefiles and CMake files */
void build_file_convert(struct convert_ctx *c, const struct input_file *f, struct buf *out);

#endif /* MUSIFY_H */
