#!/bin/sh
# SPDX-License-Identifier: MIT
#
# api-coverage.sh - writes docs/api-coverage.md: one row per public function
# of the runtime API (musa* of include/musa_runtime_api.h and the C++
# templates of include/musa_runtime.h and the texture headers it includes) and of the driver API (mu* of
# include/musa.h), saying whether it is implemented and tested.
#
#   tools/api-coverage.sh [BUILD_DIR] [OUTPUT]   (default output:
#                                                 docs/api-coverage.md)
#
# implemented: exported by BUILD_DIR/lib/libmusart.so / libmusa.so (nm -D)
#   when BUILD_DIR holds them, else defined in runtime/*.c / umd/*.c (a
#   line at column 0 naming the function, not ending in ';').
#   C++-only templates count as implemented when the header defines them.
# tested: the name appears, outside comments, in a source of tests/.
# conformance: the name appears, outside comments, in tests/conformance/*.c
#   or *.h (cts.h wraps some functions for the tests).
set -eu
export LC_ALL=C

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-}
OUTFILE=${2:-$TOP/docs/api-coverage.md}
STRIP=$TOP/tools/c-strip.awk
TMP=$(mktemp -d "${TMPDIR:-/tmp}/api-coverage.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TOP"

# Functions declared (or, in C++, defined as templates) at file scope of a
# header: NAME( at brace depth 0, outside #define lines. Prints
# "NAME KIND" with KIND c or template.
decls() {
	awk -f "$STRIP" "$1" | awk -v pat="$2" '
	/^[ \t]*#/ { cont = /\\$/; next }
	cont { cont = /\\$/; next }
	{
		line = $0
		if (depth == 0 && line ~ /^[ \t]*template[ \t]*</) tmpl = 1
		if (depth == 0) {
			s = line
			while (match(s, pat)) {
				name = substr(s, RSTART, RLENGTH)
				sub(/[ \t]*\($/, "", name)
				print name, (tmpl ? "template" : "c")
				s = substr(s, RSTART + RLENGTH)
			}
		}
		if (line ~ /extern[ \t]*\{/ || line ~ /extern[ \t]*$/) next
		n = split(line, ch, "")
		for (i = 1; i <= n; i++) {
			if (ch[i] == "{") depth++
			else if (ch[i] == "}") { if (depth > 0) depth--; if (depth == 0) tmpl = 0 }
			else if (ch[i] == ";" && depth == 0) tmpl = 0
		}
	}'
}

decls include/musa_runtime_api.h '(^|[^A-Za-z0-9_])musa[A-Z][A-Za-z0-9_]*[ \t]*\(' |
	sed 's/^[^m]*//' >"$TMP/rt.decl"
decls include/musa_runtime.h '(^|[^A-Za-z0-9_])musa[A-Z][A-Za-z0-9_]*[ \t]*\(' |
	sed 's/^[^m]*//' >>"$TMP/rt.decl"
for h in include/musa_channel_descriptor.h include/musa_texture_ref.h; do
	decls "$h" '(^|[^A-Za-z0-9_])musa[A-Z][A-Za-z0-9_]*[ \t]*\(' |
		sed 's/^[^m]*//' >>"$TMP/rt.decl"
done
decls include/musa.h '(^|[^A-Za-z0-9_])mu[A-Z][A-Za-z0-9_]*[ \t]*\(' |
	sed 's/^[^m]*//' >"$TMP/drv.decl"

# The C names (a name with a C declaration is a C function, even if a
# template overloads it) and the template-only names.
for api in rt drv; do
	awk '$2 == "c" { print $1 }' "$TMP/$api.decl" | sort -u >"$TMP/$api.c"
	awk '$2 == "template" { print $1 }' "$TMP/$api.decl" | sort -u >"$TMP/$api.t"
	sort -u "$TMP/$api.c" "$TMP/$api.t" >"$TMP/$api.names"
done

# Implemented.
how="definitions in runtime/*.c and umd/*.c"
if [ -n "$B" ] && [ -f "$B/lib/libmusart.so" ] && [ -f "$B/lib/libmusa.so" ] &&
	command -v nm >/dev/null 2>&1; then
	nm -D --defined-only "$B/lib/libmusart.so" | awk '{ print $NF }' | sort -u >"$TMP/rt.impl"
	nm -D --defined-only "$B/lib/libmusa.so" | awk '{ print $NF }' | sort -u >"$TMP/drv.impl"
	how="symbols exported by libmusart.so and libmusa.so (nm -D)"
else
	for d in runtime:rt umd:drv; do
		cat "${d%%:*}"/*.c | awk -f "$STRIP" |
			grep -E '^[A-Za-z_].*[^;[:space:]][[:space:]]*$|^[A-Za-z_][^;]*$' |
			grep -oE '\b(musa|mu)[A-Z][A-Za-z0-9_]*[[:space:]]*\(' |
			sed 's/[[:space:]]*($//' | sort -u >"$TMP/${d##*:}.impl"
	done
fi

# Tested / conformance: words of the test sources outside comments.
words() {
	for f in "$@"; do
		[ -f "$f" ] && awk -f "$STRIP" "$f"
	done | grep -oE '\b(musa|mu)[A-Z][A-Za-z0-9_]*\b' | sort -u
}
words $(find tests -type f \( -name '*.c' -o -name '*.mu' -o -name '*.cpp' -o -name '*.h' \) |
	sort) >"$TMP/tested"
# cts.h counts: its helpers wrap calls the tests make through them.
words tests/conformance/*.c tests/conformance/*.h >"$TMP/conf"

# Rows: name kind impl tested conformance.
rows() {
	awk -v impl="$TMP/$1.impl" -v tested="$TMP/tested" -v conf="$TMP/conf" \
	    -v cfile="$TMP/$1.c" '
	BEGIN {
		while ((getline l < impl) > 0) im[l] = 1
		while ((getline l < tested) > 0) te[l] = 1
		while ((getline l < conf) > 0) co[l] = 1
		while ((getline l < cfile) > 0) isc[l] = 1
	}
	{
		n = $1
		k = (n in isc) ? "c" : "template"
		i = (k == "template" || (n in im)) ? 1 : 0
		print n, k, i, (n in te) ? 1 : 0, (n in co) ? 1 : 0
	}' "$TMP/$1.names"
}
rows rt >"$TMP/rt.rows"
rows drv >"$TMP/drv.rows"

summary() {
	awk -v label="$2" '
	{ n++; im += $3; te += $4; co += $5; if ($3 && $4) both++ }
	END { printf "| %s | %d | %d | %d | %d | %d |\n", label, n, im, te, co, both }' "$1"
}

table() {
	echo "| function | implemented | tested | conformance |"
	echo "|---|:-:|:-:|:-:|"
	awk '{
		name = $2 == "template" ? "`" $1 "` (C++ template)" : "`" $1 "`"
		printf "| %s | %s | %s | %s |\n", name, $3 ? "yes" : "**no**",
			$4 ? "yes" : "**no**", $5 ? "yes" : "no"
	}' "$1"
}

{
	echo "# API coverage"
	echo
	echo "Generated by \`tools/api-coverage.sh\` (\`make api-coverage\`); do not edit."
	echo "One row per function declared in the public headers. *implemented*:"
	echo "$how; C++ templates of the headers count as implemented."
	echo "*tested*: the name appears, outside comments, in a source under \`tests/\`;"
	echo "*conformance*: in \`tests/conformance/*.[ch]\` (the \`musa-cts\` suite,"
	echo "[conformance.md](conformance.md))."
	echo
	echo "| API | declared | implemented | tested | conformance | implemented and tested |"
	echo "|---|--:|--:|--:|--:|--:|"
	summary "$TMP/rt.rows" "runtime (\`musa*\`)"
	summary "$TMP/drv.rows" "driver (\`mu*\`)"
	echo
	echo "## Runtime API (\`include/musa_runtime_api.h\`, \`include/musa_runtime.h\`)"
	echo
	table "$TMP/rt.rows"
	echo
	echo "## Driver API (\`include/musa.h\`)"
	echo
	table "$TMP/drv.rows"
} >"$TMP/out.md"

mkdir -p "$(dirname "$OUTFILE")"
cp "$TMP/out.md" "$OUTFILE"
sed -n '/^| API/,/^$/p' "$OUTFILE"
