/* SPDX-License-Identifier: MIT */
/*
 * portaux.c - the inputs and checks tools/port-check.sh needs for the
 * Rodinia targets, whose data sets are a separate download: generators
 * that write Rodinia's input formats, and checks of the programs' outputs
 * (a tolerant comparison of two output files, and program-specific checks
 * for programs that print their result). A host tool; plain C.
 *
 *   portaux gen-grid ROWS COLS LAYERS TEMP POWER   hotspot / hotspot3D grids
 *   portaux gen-graph NODES FILE                    bfs graph
 *   portaux gen-linear N MATRIX SOLUTION            gaussian -f system
 *   portaux gen-points N DIMS K FILE                kmeans points (K blobs)
 *   portaux gen-pgm COLS ROWS FILE                  srad image (P2)
 *   portaux gen-mesh N FILE                         cfd domain
 *   portaux ref-hotspot N ITER TEMP POWER OUT       hotspot's model on the host
 *   portaux compare A B TOL                         numbers equal within TOL
 *   portaux check-kmeans POINTS LOG
 *   portaux check-accuracy LOG TOL                  hotspot3D's "Accuracy:"
 *   portaux check-particles LOG MAXDIST
 *   portaux check-pgm FILE COLS ROWS
 * Every check prints one line saying what it found; status 0 on success.
 * May call: libc, libm.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fixed generator, so every run checks the same data. */
static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

static double rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static FILE *xopen(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (!f) {
		perror(path);
		exit(2);
	}
	return f;
}

static char *slurp(const char *path)
{
	FILE *f = xopen(path, "rb");
	size_t n = 0, cap = 1 << 16, r;
	char *s = malloc(cap);

	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap)
			s = realloc(s, cap *= 2);
	}
	fclose(f);
	if (!s)
		exit(2);
	s[n] = 0;
	return s;
}

static int gen_grid(int rows, int cols, int layers, const char *temp, const char *power)
{
	FILE *t = xopen(temp, "w"), *p = xopen(power, "w");

	for (long i = 0; i < (long)rows * cols * layers; i++) {
		fprintf(t, "%.6f\n", 323.0 + 20.0 * rnd());
		fprintf(p, "%.8f\n", 0.005 * rnd() * rnd());
	}
	fclose(t);
	fclose(p);
	return 0;
}

/* Rodinia's graph format: node count, "first_edge degree" per node, the
 * source, the edge count, "destination cost" per edge. Each node gets
 * 1-8 random neighbours, so some nodes are reached late or never. */
static int gen_graph(int n, const char *path)
{
	FILE *f = xopen(path, "w");
	int *deg = malloc(sizeof(int) * (size_t)n);
	long e = 0;

	for (int i = 0; i < n; i++) {
		deg[i] = 1 + (int)(rnd() * 8);
		e += deg[i];
	}
	fprintf(f, "%d\n", n);
	for (long i = 0, start = 0; i < n; start += deg[i], i++)
		fprintf(f, "%ld %d\n", start, deg[i]);
	fprintf(f, "\n0\n\n%ld\n", e);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < deg[i]; k++)
			fprintf(f, "%d %d\n", (int)(rnd() * n), 1 + (int)(rnd() * 10));
	fclose(f);
	free(deg);
	return 0;
}

/* A diagonally dominant system A x = b with a known x. */
static int gen_linear(int n, const char *mpath, const char *spath)
{
	FILE *m = xopen(mpath, "w"), *s = xopen(spath, "w");
	double *a = malloc(sizeof(double) * (size_t)n * n), *x = malloc(sizeof(double) * (size_t)n);

	for (int i = 0; i < n; i++)
		x[i] = 2.0 * rnd() - 1.0;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			a[(size_t)i * n + j] = i == j ? n * (1.0 + rnd()) : 2.0 * rnd() - 1.0;
	fprintf(m, "%d\n\n", n);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++)
			fprintf(m, "%.6f%c", a[(size_t)i * n + j], j + 1 < n ? '\t' : '\n');
	}
	fputc('\n', m);
	for (int i = 0; i < n; i++) {
		double b = 0;

		for (int j = 0; j < n; j++)
			b += (double)(float)a[(size_t)i * n + j] * x[j];
		fprintf(m, "%.9g%c", b, i + 1 < n ? '\t' : '\n');
		fprintf(s, "%.9g\n", x[i]);
	}
	fclose(m);
	fclose(s);
	free(a);
	free(x);
	return 0;
}

/* Points in K well separated blobs; point i belongs to blob i % K, so the
 * first K points (Rodinia's initial centres) seed one centre per blob.
 * The blob centres go to FILE.centres for check-kmeans. */
static int gen_points(int n, int dims, int k, const char *path)
{
	FILE *f = xopen(path, "w"), *c;
	char cpath[4096];
	double *ctr = malloc(sizeof(double) * (size_t)k * dims);

	snprintf(cpath, sizeof(cpath), "%s.centres", path);
	c = xopen(cpath, "w");
	for (int b = 0; b < k; b++) {
		for (int d = 0; d < dims; d++) {
			ctr[b * dims + d] = 100.0 * b + 20.0 * rnd();
			fprintf(c, "%.6f%c", ctr[b * dims + d], d + 1 < dims ? ' ' : '\n');
		}
	}
	for (int i = 0; i < n; i++) {
		fprintf(f, "%d", i + 1);
		for (int d = 0; d < dims; d++)
			fprintf(f, " %.4f", ctr[(i % k) * dims + d] + 2.0 * rnd() - 1.0);
		fputc('\n', f);
	}
	fclose(f);
	fclose(c);
	free(ctr);
	return 0;
}

/* A P2 image with smooth structure and speckle, three header lines as
 * srad's reader expects. */
static int gen_pgm(int cols, int rows, const char *path)
{
	FILE *f = xopen(path, "w");

	fprintf(f, "P2\n%d %d\n255\n", cols, rows);
	for (int i = 0; i < rows; i++) {
		for (int j = 0; j < cols; j++) {
			double v = 128 + 60 * sin(i / 23.0) * cos(j / 31.0) + 40 * (rnd() - 0.5);

			fprintf(f, "%d%c", v < 0 ? 0 : v > 255 ? 255 : (int)v, j + 1 < cols ? ' ' : '\n');
		}
	}
	fclose(f);
	return 0;
}

/* cfd's domain: element count, then per element its volume and, for each
 * of its four faces, the neighbour (1-based; negative: boundary) and the
 * face normal. The elements form a ring: face 0 meets the next element's
 * face 1 with the opposite normal, faces 2 and 3 are boundaries with
 * opposite normals, and the ring's face areas vary slowly, so the flow
 * stays smooth but does evolve. */
static int gen_mesh(int n, const char *path)
{
	FILE *f = xopen(path, "w");

	fprintf(f, "%d\n", n);
	for (int i = 0; i < n; i++) {
		double here = 0.01 * (1.0 + 0.05 * sin(i * 0.01));
		double prev = 0.01 * (1.0 + 0.05 * sin(((i + n - 1) % n) * 0.01));

		fprintf(f, "%.8g", 1e-3 * (1.0 + 0.1 * cos(i * 0.003)));
		fprintf(f, " %d %.8g 0 0", (i + 1) % n + 1, here);
		fprintf(f, " %d %.8g 0 0", (i + n - 1) % n + 1, -prev);
		fprintf(f, " -1 0 0.01 0 -2 0 -0.01 0\n");
	}
	fclose(f);
	return 0;
}

static float *read_floats(const char *path, long n)
{
	FILE *f = xopen(path, "r");
	float *v = malloc(sizeof(float) * (size_t)n);

	for (long i = 0; i < n; i++)
		if (fscanf(f, "%f", &v[i]) != 1) {
			fprintf(stderr, "%s: short file\n", path);
			exit(2);
		}
	fclose(f);
	return v;
}

/* Rodinia hotspot's thermal model, stepped on the host: each cell moves by
 * step/Cap times its power plus the flows from its four neighbours (a
 * neighbour past the edge is the cell itself) and to the ambient. The
 * upstream OpenMP version treats edges differently, so it cannot serve. */
static int ref_hotspot(int n, int iter, const char *tpath, const char *ppath, const char *out)
{
	const float t_chip = 0.0005f, chip = 0.016f, amb = 80.0f;
	float gw = chip / n, gh = chip / n;
	float cap = 0.5f * 1.75e6f * t_chip * gw * gh;
	float rx = gw / (2.0f * 100 * t_chip * gh), ry = gh / (2.0f * 100 * t_chip * gw);
	float rz = t_chip / (100 * gh * gw);
	float step = 0.001f / (3.0e6f / (0.5f * t_chip * 1.75e6f));
	float *t = read_floats(tpath, (long)n * n), *p = read_floats(ppath, (long)n * n);
	float *u = malloc(sizeof(float) * (size_t)n * n);
	FILE *f;

	for (int it = 0; it < iter; it++) {
		for (int r = 0; r < n; r++)
			for (int c = 0; c < n; c++) {
				float cc = t[r * n + c];
				float nn = t[(r > 0 ? r - 1 : r) * n + c], ss = t[(r < n - 1 ? r + 1 : r) * n + c];
				float ww = t[r * n + (c > 0 ? c - 1 : c)], ee = t[r * n + (c < n - 1 ? c + 1 : c)];

				u[r * n + c] = cc + step / cap * (p[r * n + c] + (ss + nn - 2.0f * cc) / ry +
								  (ee + ww - 2.0f * cc) / rx + (amb - cc) / rz);
			}
		float *x = t;
		t = u;
		u = x;
	}
	f = xopen(out, "w");
	for (long i = 0; i < (long)n * n; i++)
		fprintf(f, "%ld\t%g\n", i, t[i]);
	fclose(f);
	return 0;
}

/* Next token of s: a number (returned through *v, 1) or a word (0); -1 at
 * the end. */
static int next_token(const char **s, double *v, char *word, size_t wn)
{
	const char *p = *s;
	char *end;
	size_t n = 0;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p)
		return -1;
	*v = strtod(p, &end);
	if (end != p && (!*end || isspace((unsigned char)*end) || *end == ',' || *end == ')' ||
			 *end == ':')) {
		*s = end + (*end == ',' || *end == ')' || *end == ':');
		return 1;
	}
	while (*p && !isspace((unsigned char)*p) && n + 1 < wn)
		word[n++] = *p++;
	while (*p && !isspace((unsigned char)*p))
		p++;
	word[n] = 0;
	*s = p;
	return 0;
}

/* Two output files hold the same words and the same numbers within a
 * relative (or, near zero, absolute) tolerance. */
static int compare(const char *a, const char *b, double tol)
{
	char *sa = slurp(a), *sb = slurp(b), wa[256], wb[256];
	const char *pa = sa, *pb = sb;
	long n = 0;
	double worst = 0;

	for (;;) {
		double va, vb;
		int ta = next_token(&pa, &va, wa, sizeof(wa)), tb = next_token(&pb, &vb, wb, sizeof(wb));

		if (ta != tb) {
			printf("%s and %s differ in shape after %ld numbers\n", a, b, n);
			return 1;
		}
		if (ta < 0)
			break;
		if (ta == 0 && strcmp(wa, wb)) {
			printf("%s and %s differ: '%s' vs '%s'\n", a, b, wa, wb);
			return 1;
		}
		if (ta == 1) {
			double d = fabs(va - vb) / fmax(1.0, fmax(fabs(va), fabs(vb)));

			if (!(d <= tol)) {
				printf("%s and %s differ at number %ld: %.9g vs %.9g\n", a, b, n, va, vb);
				return 1;
			}
			if (d > worst)
				worst = d;
			n++;
		}
	}
	if (n == 0) {
		printf("%s holds no numbers\n", a);
		return 1;
	}
	printf("%ld numbers agree with the reference (largest difference %.2g)\n", n, worst);
	return 0;
}

static const char *after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? p + strlen(key) : NULL;
}

/* Each printed centroid lies near the centre of a different blob. */
static int check_kmeans(const char *points, const char *log)
{
	char cpath[4096], *c, *s = slurp(log), w[64];
	const char *p = after(s, "Centroid Coordinates"), *q;
	double ctr[64][64], v;
	int k = 0, dims = 0, used[64] = { 0 };

	snprintf(cpath, sizeof(cpath), "%s.centres", points);
	c = slurp(cpath);
	q = c;
	for (char *line = strtok(c, "\n"); line && k < 64; line = strtok(NULL, "\n"), k++) {
		const char *l = line;

		for (dims = 0; dims < 64 && next_token(&l, &ctr[k][dims], w, sizeof(w)) == 1; dims++)
			;
	}
	(void)q;
	if (!p) {
		printf("no centroids printed\n");
		return 1;
	}
	for (int i = 0; i < k; i++) {
		double got[64];
		int best = -1;

		int t;

		while ((t = next_token(&p, &v, w, sizeof(w))) == 0) /* rules, then the "i:" label */
			;
		if (t < 0) {
			printf("centroid %d missing\n", i);
			return 1;
		}
		for (int d = 0; d < dims; d++)
			if (next_token(&p, &got[d], w, sizeof(w)) != 1) {
				printf("centroid %d is short\n", i);
				return 1;
			}
		for (int b = 0; b < k; b++) {
			double dist = 0;

			for (int d = 0; d < dims; d++)
				dist = fmax(dist, fabs(got[d] - ctr[b][d]));
			if (dist < 0.5 && !used[b])
				best = b;
		}
		if (best < 0) {
			printf("centroid %d is near no blob centre\n", i);
			return 1;
		}
		used[best] = 1;
	}
	printf("%d centroids found, one at each blob centre\n", k);
	return 0;
}

static int check_value(const char *log, const char *key, double lo, double hi, const char *what)
{
	char *s = slurp(log);
	const char *p = after(s, key);
	double v;

	if (!p || sscanf(p, "%lf", &v) != 1) {
		printf("no '%s' in %s\n", key, log);
		return 1;
	}
	if (!(v >= lo && v <= hi)) {
		printf("%s %g is out of [%g, %g]\n", what, v, lo, hi);
		return 1;
	}
	printf("%s %g\n", what, v);
	return 0;
}

static int check_particles(const char *log, double maxdist)
{
	char *s = slurp(log);
	const char *p = after(s, "YE:");
	double xe, ye, dist;

	if (!p || sscanf(p, "%lf %lf", &ye, &dist) != 2 || !after(s, "XE:") ||
	    sscanf(after(s, "XE:"), "%lf", &xe) != 1) {
		printf("no estimate printed\n");
		return 1;
	}
	if (!isfinite(xe) || !isfinite(ye) || !(dist >= 0 && dist <= maxdist)) {
		printf("estimate (%g, %g) at distance %g\n", xe, ye, dist);
		return 1;
	}
	printf("estimate (%g, %g), distance %g\n", xe, ye, dist);
	return 0;
}

static int check_pgm(const char *path, int cols, int rows)
{
	char *s = slurp(path), w[64];
	const char *p = s;
	double v, lo = 1e300, hi = -1e300;
	long n = 0;

	for (int line = 0; line < 3 && p; line++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	while (p && next_token(&p, &v, w, sizeof(w)) == 1) {
		lo = fmin(lo, v);
		hi = fmax(hi, v);
		n++;
	}
	if (n != (long)cols * rows || !(hi > lo) || lo < 0 || hi > 255) {
		printf("%s: %ld values in [%g, %g], expected %d in [0, 255]\n", path, n, lo, hi, cols * rows);
		return 1;
	}
	printf("%ld pixels in [%g, %g]\n", n, lo, hi);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "gen-grid") && argc == 7)
		return gen_grid(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), argv[5], argv[6]);
	if (!strcmp(c, "gen-graph") && argc == 4)
		return gen_graph(atoi(argv[2]), argv[3]);
	if (!strcmp(c, "gen-linear") && argc == 5)
		return gen_linear(atoi(argv[2]), argv[3], argv[4]);
	if (!strcmp(c, "gen-points") && argc == 6)
		return gen_points(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (!strcmp(c, "gen-pgm") && argc == 5)
		return gen_pgm(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (!strcmp(c, "gen-mesh") && argc == 4)
		return gen_mesh(atoi(argv[2]), argv[3]);
	if (!strcmp(c, "ref-hotspot") && argc == 7)
		return ref_hotspot(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5], argv[6]);
	if (!strcmp(c, "compare") && argc == 5)
		return compare(argv[2], argv[3], atof(argv[4]));
	if (!strcmp(c, "check-kmeans") && argc == 4)
		return check_kmeans(argv[2], argv[3]);
	if (!strcmp(c, "check-accuracy") && argc == 4)
		return check_value(argv[2], "Accuracy:", 0, atof(argv[3]), "accuracy (mean error vs the CPU)");
	if (!strcmp(c, "check-particles") && argc == 4)
		return check_particles(argv[2], atof(argv[3]));
	if (!strcmp(c, "check-pgm") && argc == 5)
		return check_pgm(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: see the head of tools/port-check/portaux.c\n");
	return 2;
}
