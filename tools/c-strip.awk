# SPDX-License-Identifier: MIT
#
# c-strip.awk - prints C / C++ source with comments and string and character
# literals blanked out (each replaced by a space), line for line, so that the
# scripts of tools/ (gen-cuda-map.sh, api-coverage.sh) see only code.
{
	out = ""; s = $0; n = length(s); i = 1
	while (i <= n) {
		c = substr(s, i, 1); d = substr(s, i, 2)
		if (incom) {
			if (d == "*/") { incom = 0; i += 2 } else i++
			continue
		}
		if (d == "/*") { incom = 1; i += 2; out = out " "; continue }
		if (d == "//") break
		if (c == "\"" || c == "'") {
			q = c; i++
			while (i <= n && substr(s, i, 1) != q) {
				if (substr(s, i, 1) == "\\") i++
				i++
			}
			i++; out = out " "; continue
		}
		out = out c; i++
	}
	print out
}
