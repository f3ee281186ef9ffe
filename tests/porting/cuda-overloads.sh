#!/bin/sh
# tests/porting/cuda-overloads.sh BUILD_DIR [CUDA_INCLUDE_DIR]
#
# Checks that every C++ convenience of CUDA's runtime headers exists under
# MUSA's names: each function of cuda_runtime_api.h with a default argument
# (__dv(...) or "= ..."), and each inline overload or template of
# cuda_runtime.h, is called the way CUDA code calls it, with its defaulted
# arguments left out, after renaming cuda -> musa, and the calls are
# compiled against BUILD_DIR/include/musa_runtime.h (g++ -fsyntax-only).
#
# The list comes from CUDA's headers themselves (preprocessed as C++, so
# __dv(v) reads "= v"), so a function CUDA adds is checked without editing
# this script. tests/porting/cuda-overloads.expected names the functions
# known to be missing (one a line, '#' comments); the script fails on any
# other missing one, and on a listed one that now compiles, so the list
# stays exact. Without CUDA's headers it says so and exits 0 (skipped).
set -u
B=${1:?usage: cuda-overloads.sh BUILD_DIR [CUDA_INCLUDE_DIR]}
CUDA_INC=${2:-/usr/local/cuda/include}
HERE=$(cd "$(dirname "$0")" && pwd)
EXPECTED=$HERE/cuda-overloads.expected
CXX=${CXX:-g++}

if [ ! -f "$CUDA_INC/cuda_runtime.h" ]; then
	echo "cuda-overloads: skipped: no CUDA headers at $CUDA_INC"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# CUDA's host view of its runtime headers, comments and #if resolved.
"$CXX" -E -P -x c++ -std=c++17 -I"$CUDA_INC" "$CUDA_INC/cuda_runtime.h" > "$T/cuda.ii" 2>"$T/cpp.err" || {
	echo "cuda-overloads: cannot preprocess $CUDA_INC/cuda_runtime.h:"; cat "$T/cpp.err"; exit 1; }

# One line per function to check: name <TAB> template params <TAB> params
# (| between them), required parameters only.
awk '
BEGIN { RS = "\001" }
{
	s = $0
	gsub(/[\n\t]/, " ", s)
	n = length(s)
	pos = 1
	while (match(substr(s, pos), /[A-Za-z_0-9]+ *\(/)) {
		st = pos + RSTART - 1
		nm = substr(s, st, RLENGTH)
		sub(/ *\($/, "", nm)
		pos = st + RLENGTH
		if (nm !~ /^cuda[A-Z]/)
			continue
		# balanced parameter list
		depth = 1; i = pos
		while (i <= n && depth > 0) {
			c = substr(s, i, 1)
			if (c == "(") depth++
			else if (c == ")") depth--
			i++
		}
		params = substr(s, pos, i - pos - 1)
		rest = substr(s, i, 200)
		sub(/^ *(noexcept|throw *\( *\)|__attribute__ *\(\([^)]*\)\)| )*/, "", rest)
		term = substr(rest, 1, 1)
		# a declaration or a definition, not a call inside a body
		if (term != ";" && term != "{")
			continue
		# what precedes it since the last statement: return type, template
		j = st - 1
		while (j > 0 && substr(s, j, 1) != ";" && substr(s, j, 1) != "}" && substr(s, j, 1) != "{")
			j--
		head = substr(s, j + 1, st - j - 1)
		if (head ~ /[=.>]$/ || head ~ /return *$/ || head !~ /cudaError_t|struct|cudaChannelFormatDesc/)
			continue
		is_def = term == "{"
		tmpl = ""
		if (match(head, /template *<.*>/)) {
			tl = substr(head, RSTART, RLENGTH)
			gsub(/template *</, "", tl); sub(/>[^>]*$/, "", tl)
			np = split(tl, tp, ",")
			for (k = 1; k <= np; k++) {
				w = tp[k]; sub(/=.*/, "", w); gsub(/\.\.\./, "", w)
				gsub(/^ +| +$/, "", w); sub(/.* /, "", w)
				tmpl = tmpl (tmpl == "" ? "" : " ") w
			}
		}
		# split parameters at top-level commas
		np = 0; depth = 0; cur = ""
		for (k = 1; k <= length(params); k++) {
			c = substr(params, k, 1)
			if (c == "(" || c == "<") depth++
			if (c == ")" || c == ">") depth--
			if (c == "," && depth == 0) { p[++np] = cur; cur = ""; continue }
			cur = cur c
		}
		if (cur ~ /[^ ]/) p[++np] = cur
		req = ""; has_def = 0
		for (k = 1; k <= np; k++) {
			gsub(/^ +| +$/, "", p[k])
			if (p[k] == "void") continue
			if (p[k] ~ /=/) { has_def = 1; break }
			req = req (req == "" ? "" : "|") p[k]
		}
		if (!has_def && !is_def)
			continue
		key = nm "\t" tmpl "\t" req
		if (!(key in seen)) { seen[key] = 1; print key }
	}
}' "$T/cuda.ii" > "$T/list"

# The calls, one function per check, in the MUSA names.
awk -F '\t' '
function musa(t) { gsub(/cuda/, "musa", t); gsub(/(^|[^A-Za-z_0-9])CU/, "&@", t); gsub(/CU@/, "MU", t); return t }
function arg(p, tmpl,    k, n, tp, w, name, type) {
	if (p ~ /\( *\*/) return "&__k"
	if (p ~ /\.\.\./) return "1"
	name = p; sub(/.*[^A-Za-z_0-9]/, "", name)
	type = substr(p, 1, length(p) - length(name))
	n = split(tmpl, tp, " ")
	for (k = 1; k <= n; k++) {
		w = tp[k]
		if (type !~ ("(^|[^A-Za-z_0-9])" w "([^A-Za-z_0-9]|$)")) continue
		if (type ~ ("(^|[^A-Za-z_0-9])" w " *[*] *[*]")) return "(int **)0"
		if (type ~ ("(^|[^A-Za-z_0-9])" w " *[*]"))
			return name ~ /[Ff]unc|entry|kernel/ ? "&__k" : "(int *)0"
		if (type ~ ("(^|[^A-Za-z_0-9])" w " *&")) return "__sym"
		if (name ~ /[Ff]unc|entry|kernel/) return "&__k"
		return "__b2d"
	}
	return "__a<" musa(type) ">()"
}
BEGIN {
	print "#include <musa_runtime.h>"
	print "template <class T> T __a();"
	print "static void __k(int) {}"
	print "static int __sym;"
	print "static size_t __b2d(int) { return 0; }"
}
{
	n = split($3, p, "|")
	args = ""
	for (k = 1; k <= n; k++)
		args = args (k > 1 ? ", " : "") arg(p[k], $2)
	# a template parameter no parameter names (cudaCreateChannelDesc<T>())
	# is given explicitly, as CUDA code does
	targs = ""
	if ($2 != "" && $3 == "")
		targs = "<float>"
	printf "void __check_%d() { (void)%s%s(%s); } // %s\n", NR, musa($1), targs, args, musa($1)
}' "$T/list" > "$T/check.cpp"

"$CXX" -std=c++17 -fsyntax-only -fmax-errors=0 -w -I"$B/include" "$T/check.cpp" > "$T/errs" 2>&1
# KEEP=DIR keeps the generated calls and the compiler's messages.
[ -n "${KEEP:-}" ] && cp "$T/check.cpp" "$T/errs" "$T/list" "$KEEP/"
# A function fails when an error points into its line.
awk -F: '$1 ~ /check\.cpp$/ && /: error: /{print $2}' "$T/errs" | sort -un > "$T/badlines"
awk 'NR == FNR { bad[$1] = 1; next } FNR in bad && /^void __check_/ { print $NF }' "$T/badlines" "$T/check.cpp" | sort -u > "$T/missing"
sed 's/#.*//; s/[ \t]*$//; /^$/d' "$EXPECTED" 2>/dev/null | sort -u > "$T/expected"

total=$(wc -l < "$T/list")
unexpected=$(comm -23 "$T/missing" "$T/expected")
fixed=$(comm -13 "$T/missing" "$T/expected")
echo "cuda-overloads: $total CUDA runtime overloads, templates and defaulted functions checked;" \
	"$(wc -l < "$T/missing") missing ($(wc -l < "$T/expected") expected)"
rc=0
if [ -n "$unexpected" ]; then
	echo "cuda-overloads: FAILED: missing or not callable as CUDA calls them:"
	for f in $unexpected; do
		echo "  $f"
		grep -n "// $f\$" "$T/check.cpp" | head -3 | sed 's/^/    call: /'
	done
	sed 's/^/    /' "$T/errs" | grep -E "error" | head -40
	rc=1
fi
if [ -n "$fixed" ]; then
	echo "cuda-overloads: FAILED: listed in $(basename "$EXPECTED") but now compiling (remove them):"
	echo "$fixed" | sed 's/^/  /'
	rc=1
fi
[ $rc -eq 0 ] && echo "cuda-overloads: passed"
exit $rc
