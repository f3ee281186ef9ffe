/* SPDX-License-Identifier: MIT */
/*
 * test_trace.c - the timeline and the profile (docs/debugging.md,
 * "Timeline and profile"). A two-stream program (inputs/trace_streams.mu)
 * runs with MUSA_TRACE on a device of two compute units; the file must be
 * JSON with a traceEvents array that Perfetto's importer takes: complete
 * events with a duration, begin / end pairs that match, a track per user
 * stream and per compute unit, kernels with their grid, block and shared
 * memory, copies and fills with their bytes, compute-unit runs that add
 * up to each kernel's grid inside its time, and the event record / wait as
 * a flow whose start and finish share an id. MUSA_PROFILE=1 prints the
 * summary tables with a line per kernel and its instance count, and
 * MUSA_PROFILE_FROM_START=0 records only what musaProfilerStart /
 * musaProfilerStop bracket.
 */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work-trace"
#define PROG   WORK "/trace_streams"
#define TRACE  WORK "/out.json"

static char out[65536];

static void build_once(void)
{
	static int built;

	if (!built)
		ck_assert_int_eq(sh("mkdir -p %s && %s -O2 %s/trace_streams.mu -o %s", WORK, MCC,
				    INPUTS, PROG), 0);
	built = 1;
}

/* a small JSON reader */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	double num;
	char *str;
	struct jval **items;    /* array items, or object values */
	char **keys;            /* object keys */
	size_t n, cap;
};

struct jparser {
	const char *p;
	const char *err;
};

static void jskip(struct jparser *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
		j->p++;
}

static struct jval *jnew(enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	ck_assert_ptr_nonnull(v);
	v->type = t;
	return v;
}

static void jpush(struct jval *v, char *key, struct jval *item)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = realloc(v->items, v->cap * sizeof(*v->items));
		v->keys = realloc(v->keys, v->cap * sizeof(*v->keys));
		ck_assert(v->items && v->keys);
	}
	v->keys[v->n] = key;
	v->items[v->n++] = item;
}

static struct jval *jvalue(struct jparser *j);

static char *jstring(struct jparser *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	ck_assert_ptr_nonnull(s);
	j->p++;   /* the opening quote */
	while (*j->p != '"') {
		char c = *j->p++;

		if (!c || (unsigned char)c < 0x20) {
			j->err = "bad string";
			break;
		}
		if (c == '\\') {
			c = *j->p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)*j->p++))
						j->err = "bad \\u escape";
				c = '?';
			} else if (c == 'n') {
				c = '\n';
			} else if (c == 't') {
				c = '\t';
			} else if (!strchr("\"\\/bfr", c)) {
				j->err = "bad escape";
			}
		}
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		ck_assert_ptr_nonnull(s);
		s[n++] = c;
	}
	if (!j->err)
		j->p++;
	s[n] = 0;
	return s;
}

static struct jval *jcontainer(struct jparser *j, bool object)
{
	struct jval *v = jnew(object ? J_OBJ : J_ARR);

	j->p++;
	jskip(j);
	if (*j->p == (object ? '}' : ']')) {
		j->p++;
		return v;
	}
	while (!j->err) {
		char *key = NULL;

		jskip(j);
		if (object) {
			if (*j->p != '"') {
				j->err = "object key expected";
				break;
			}
			key = jstring(j);
			jskip(j);
			if (*j->p++ != ':') {
				j->err = "':' expected";
				break;
			}
		}
		jpush(v, key, jvalue(j));
		jskip(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == (object ? '}' : ']')) {
			j->p++;
			break;
		}
		j->err = "',' or end of container expected";
	}
	return v;
}

static struct jval *jvalue(struct jparser *j)
{
	struct jval *v;
	char *end;

	jskip(j);
	switch (*j->p) {
	case '{':
		return jcontainer(j, true);
	case '[':
		return jcontainer(j, false);
	case '"':
		v = jnew(J_STR);
		v->str = jstring(j);
		return v;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "null", 4)) {
			v = jnew(*j->p == 'n' ? J_NULL : J_BOOL);
			v->num = *j->p == 't';
			j->p += 4;
			return v;
		}
		if (!strncmp(j->p, "false", 5)) {
			j->p += 5;
			return jnew(J_BOOL);
		}
		break;
	default:
		if (*j->p == '-' || isdigit((unsigned char)*j->p)) {
			v = jnew(J_NUM);
			v->num = strtod(j->p, &end);
			j->p = end;
			return v;
		}
		break;
	}
	j->err = "value expected";
	return jnew(J_NULL);
}

/* Parses the whole text: NULL and a message in *err when it is not JSON. */
static struct jval *jparse(const char *text, const char **err)
{
	struct jparser j = { text, NULL };
	struct jval *v = jvalue(&j);

	jskip(&j);
	if (!j.err && *j.p)
		j.err = "text after the value";
	*err = j.err;
	return j.err ? NULL : v;
}

static const struct jval *jget(const struct jval *o, const char *key)
{
	if (!o || o->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}

static const char *jstr(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_STR ? v->str : NULL;
}

static bool jnum(const struct jval *o, const char *key, double *out)
{
	const struct jval *v = jget(o, key);

	if (!v || v->type != J_NUM)
		return false;
	*out = v->num;
	return true;
}

static void jfree(struct jval *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->keys[i]);
		jfree(v->items[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "no trace file %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* the trace */

/* The traceEvents of the program's run with MUSA_TRACE on two compute
 * units; the run and the parse are made once for the tests that read it. */
static const struct jval *record(void)
{
	static struct jval *doc;
	const struct jval *events;
	const char *err;
	char *text;

	if (!doc) {
		build_once();
		remove(TRACE);
		ck_assert_msg(sh_out(out, sizeof(out), "env MUSA_SWDEV=cus=2 MUSA_TRACE=%s %s streams",
				     TRACE, PROG) == 0, "%s", out);
		ck_assert_msg(strstr(out, "trace_streams: streams ok") != NULL, "%s", out);
		ck_assert_msg(strstr(out, "warning") == NULL, "%s", out);
		text = slurp(TRACE);
		doc = jparse(text, &err);
		ck_assert_msg(doc != NULL, "not JSON: %s", err);
		free(text);
	}
	events = jget(doc, "traceEvents");
	ck_assert_msg(events && events->type == J_ARR, "no traceEvents array");
	ck_assert_int_gt(events->n, 0);
	return events;
}

/* The name the thread_name metadata gives tid, or NULL. */
static const char *track_name(const struct jval *events, double tid)
{
	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *ph = jstr(e, "ph"), *name = jstr(e, "name");
		double t;

		if (ph && !strcmp(ph, "M") && name && !strcmp(name, "thread_name") &&
		    jnum(e, "tid", &t) && t == tid)
			return jstr(jget(e, "args"), "name");
	}
	return NULL;
}

static bool is_stream_track(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n && !strncmp(name, "stream ", 7) && (n < 4 || strcmp(name + n - 4, " API"));
}

START_TEST(test_trace_is_json_with_complete_events_that_match)
{
	const struct jval *events = record();
	double begins[64], btid[64];
	size_t nb = 0, complete = 0;

	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *ph = jstr(e, "ph");
		double ts, dur, pid, tid;

		ck_assert_msg(ph != NULL, "event %zu has no ph", i);
		ck_assert_msg(jnum(e, "pid", &pid), "event %zu has no pid", i);
		if (!strcmp(ph, "M"))
			continue;
		ck_assert_msg(jnum(e, "tid", &tid) && jnum(e, "ts", &ts), "event %zu", i);
		ck_assert_msg(jstr(e, "name") != NULL, "event %zu has no name", i);
		if (!strcmp(ph, "X")) {
			ck_assert_msg(jnum(e, "dur", &dur) && dur >= 0, "event %zu: dur", i);
			complete++;
		} else if (!strcmp(ph, "B")) {
			ck_assert_uint_lt(nb, 64);
			btid[nb] = tid;
			begins[nb++] = ts;
		} else if (!strcmp(ph, "E")) {
			size_t k = nb;

			while (k > 0 && btid[k - 1] != tid)
				k--;
			ck_assert_msg(k > 0 && begins[k - 1] <= ts, "E without its B at %zu", i);
			memmove(&begins[k - 1], &begins[k], (nb - k) * sizeof(*begins));
			memmove(&btid[k - 1], &btid[k], (nb - k) * sizeof(*btid));
			nb--;
		} else {
			ck_assert_msg(!strcmp(ph, "s") || !strcmp(ph, "f"), "phase %s", ph);
		}
	}
	ck_assert_uint_eq(nb, 0);
	ck_assert_uint_gt(complete, 10);
}
END_TEST

START_TEST(test_trace_has_a_track_per_stream_and_per_compute_unit)
{
	const struct jval *events = record();
	double kernel_tids[8];
	size_t nkt = 0, cus = 0, api = 0;

	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *cat = jstr(e, "cat"), *name;
		double tid;
		size_t k;

		if (!cat || !jnum(e, "tid", &tid))
			continue;
		name = track_name(events, tid);
		ck_assert_msg(name != NULL, "tid %.0f has no thread_name", tid);
		if (!strcmp(cat, "kernel")) {
			ck_assert_msg(is_stream_track(name), "kernel on track '%s'", name);
			for (k = 0; k < nkt && kernel_tids[k] != tid; k++)
				;
			if (k == nkt && nkt < 8)
				kernel_tids[nkt++] = tid;
		} else if (!strcmp(cat, "compute unit")) {
			ck_assert_msg(!strncmp(name, "CU ", 3), "CU run on track '%s'", name);
		} else if (!strcmp(cat, "api")) {
			ck_assert_msg(strstr(name, " API") != NULL, "API call on track '%s'", name);
			api += !strcmp(jstr(e, "name"), "muLaunchKernel");
		}
	}
	/* the kernels ran on the two user streams */
	ck_assert_uint_eq(nkt, 2);
	ck_assert_uint_eq(api, 3);
	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *name = jstr(e, "name"), *ph = jstr(e, "ph");

		if (ph && !strcmp(ph, "M") && name && !strcmp(name, "thread_name") &&
		    !strncmp(jstr(jget(e, "args"), "name"), "CU ", 3))
			cus++;
	}
	ck_assert_uint_eq(cus, 2);
}
END_TEST

static bool dims(const struct jval *args, const char *key)
{
	const struct jval *a = jget(args, key);

	if (!a || a->type != J_ARR || a->n != 3)
		return false;
	for (size_t i = 0; i < 3; i++)
		if (a->items[i]->type != J_NUM || a->items[i]->num < 1)
			return false;
	return true;
}

START_TEST(test_trace_kernels_copies_and_fills_carry_their_arguments)
{
	const struct jval *events = record();
	size_t scale = 0, add_one = 0, memsets = 0;
	bool h2d = false, d2d = false, d2h = false;

	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *cat = jstr(e, "cat"), *name = jstr(e, "name"), *kind;
		const struct jval *args = jget(e, "args");
		double bytes, shared, seq, groups, total, ts, dur;

		if (!cat)
			continue;
		if (!strcmp(cat, "kernel")) {
			ck_assert_msg(dims(args, "grid") && dims(args, "block"), "%s", name);
			ck_assert(jnum(args, "shared_bytes", &shared));
			ck_assert(jnum(args, "seq", &seq) && jnum(e, "ts", &ts) && jnum(e, "dur", &dur));
			ck_assert_double_eq(jget(args, "block")->items[0]->num, 256);
			ck_assert_double_eq(jget(args, "grid")->items[0]->num, 64);
			if (strstr(name, "scale")) {
				scale++;
				ck_assert_double_eq(shared, 0);
			} else if (strstr(name, "add_one")) {
				add_one++;
				ck_assert_double_eq(shared, 64);
			} else {
				ck_abort_msg("kernel '%s'", name);
			}
			/* the compute units' runs of it: all its groups, inside its time */
			total = 0;
			for (size_t k = 0; k < events->n; k++) {
				const struct jval *c = events->items[k];
				const struct jval *cargs = jget(c, "args");
				const char *ccat = jstr(c, "cat");
				double cseq, cts, cdur;

				if (!ccat || strcmp(ccat, "compute unit") || !jnum(cargs, "seq", &cseq) ||
				    cseq != seq)
					continue;
				ck_assert_str_eq(jstr(c, "name"), name);
				ck_assert(jnum(cargs, "groups", &groups) && jnum(c, "ts", &cts) &&
					  jnum(c, "dur", &cdur));
				ck_assert_msg(cts >= ts - 0.0015 && cts + cdur <= ts + dur + 0.0015,
					      "CU run [%f +%f] outside its kernel [%f +%f]", cts, cdur,
					      ts, dur);
				total += groups;
			}
			ck_assert_double_eq(total, 64);
		} else if (!strcmp(cat, "memcpy")) {
			ck_assert(jnum(args, "bytes", &bytes));
			kind = jstr(args, "kind");
			ck_assert_ptr_nonnull(kind);
			if (bytes != 64 * 256 * sizeof(float))
				continue;   /* the runtime's own copies */
			h2d |= !strcmp(kind, "H2D");
			d2d |= !strcmp(kind, "D2D");
			d2h |= !strcmp(kind, "D2H");
		} else if (!strcmp(cat, "memset")) {
			ck_assert(jnum(args, "bytes", &bytes));
			memsets += bytes == 64 * 256 * sizeof(float);
		}
	}
	ck_assert_uint_eq(scale, 2);
	ck_assert_uint_eq(add_one, 1);
	ck_assert_uint_eq(memsets, 1);
	ck_assert(h2d && d2d && d2h);
}
END_TEST

START_TEST(test_trace_event_record_and_wait_are_a_flow)
{
	const struct jval *events = record();
	size_t starts = 0, finishes = 0;

	for (size_t i = 0; i < events->n; i++) {
		const struct jval *e = events->items[i];
		const char *ph = jstr(e, "ph");
		double id, tid, ts, other_id, other_tid, other_ts;
		size_t match = 0;

		if (!ph || (strcmp(ph, "s") && strcmp(ph, "f")))
			continue;
		ck_assert(jnum(e, "id", &id) && jnum(e, "tid", &tid) && jnum(e, "ts", &ts));
		ck_assert_msg(is_stream_track(track_name(events, tid)), "flow off a stream");
		if (!strcmp(ph, "s"))
			starts++;
		else
			finishes++;
		for (size_t k = 0; k < events->n; k++) {
			const struct jval *o = events->items[k];
			const char *oph = jstr(o, "ph");

			if (k == i || !oph || strcmp(oph, !strcmp(ph, "s") ? "f" : "s") ||
			    !jnum(o, "id", &other_id) || other_id != id)
				continue;
			ck_assert(jnum(o, "tid", &other_tid) && jnum(o, "ts", &other_ts));
			/* from the recording stream to the waiting one, forward in time */
			ck_assert(other_tid != tid);
			ck_assert(!strcmp(ph, "s") ? ts <= other_ts : other_ts <= ts);
			match++;
		}
		ck_assert_uint_eq(match, 1);
	}
	ck_assert_uint_ge(starts, 1);
	ck_assert_uint_eq(starts, finishes);
}
END_TEST

/* the summary */

/* The instance count of the summary line naming `name`, or -1. */
static long instances(const char *name)
{
	const char *line = out;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long long total, count;
		char buf[512];
		double pct;

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = 0;
			if (strstr(buf, name) && sscanf(buf, "%lf %llu %llu", &pct, &total, &count) == 3)
				return (long)count;
		}
		line += len + (nl != NULL);
	}
	return -1;
}

START_TEST(test_profile_prints_kernels_and_copies_by_total_time)
{
	build_once();
	ck_assert_msg(sh_out(out, sizeof(out), "env MUSA_SWDEV=cus=2 MUSA_PROFILE=1 %s streams",
			     PROG) == 0, "%s", out);
	ck_assert_msg(strstr(out, "trace_streams: streams ok") != NULL, "%s", out);
	ck_assert_msg(strstr(out, " Time (%)  Total Time (ns)  Instances") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Avg (ns)") && strstr(out, "Min (ns)") && strstr(out, "Max (ns)") &&
		      strstr(out, "  Name"), "%s", out);
	ck_assert_msg(strstr(out, "MUSA kernels") && strstr(out, "MUSA copies and fills"), "%s",
		      out);
	ck_assert_msg(instances("scale") == 2, "%s", out);
	ck_assert_msg(instances("add_one") == 1, "%s", out);
	ck_assert_msg(instances("[MUSA memset]") >= 1, "%s", out);
	ck_assert_msg(instances("[MUSA memcpy H2D]") >= 1, "%s", out);
	ck_assert_msg(instances("[MUSA memcpy D2H]") >= 1, "%s", out);
	ck_assert_msg(strstr(out, "warning") == NULL, "%s", out);
}
END_TEST

START_TEST(test_profiler_start_and_stop_bracket_what_is_recorded)
{
	struct jval *doc;
	const struct jval *events;
	const char *err;
	char *text;
	size_t bracketed = 0;

	build_once();
	remove(TRACE);
	ck_assert_msg(sh_out(out, sizeof(out), "env MUSA_PROFILE=1 MUSA_PROFILE_FROM_START=0 "
			     "MUSA_TRACE=%s %s bracket", TRACE, PROG) == 0, "%s", out);
	ck_assert_msg(strstr(out, "trace_streams: bracket ok") != NULL, "%s", out);
	ck_assert_msg(instances("bracketed") == 3, "%s", out);
	ck_assert_msg(instances("before_start") == -1 && instances("after_stop") == -1, "%s", out);
	text = slurp(TRACE);
	doc = jparse(text, &err);
	ck_assert_msg(doc != NULL, "not JSON: %s", err);
	free(text);
	events = jget(doc, "traceEvents");
	ck_assert_ptr_nonnull(events);
	for (size_t i = 0; i < events->n; i++) {
		const char *cat = jstr(events->items[i], "cat");
		const char *name = jstr(events->items[i], "name");

		if (!cat || strcmp(cat, "kernel"))
			continue;
		ck_assert_msg(strstr(name, "bracketed") != NULL, "recorded '%s'", name);
		bracketed++;
	}
	ck_assert_uint_eq(bracketed, 3);
	jfree(doc);
}
END_TEST

START_TEST(test_bad_profiler_settings_warn_once)
{
	build_once();
	ck_assert_msg(sh_out(out, sizeof(out), "env MUSA_PROFILE=yes MUSA_PROFILE_FROM_START=maybe "
			     "%s bracket", PROG) == 0, "%s", out);
	ck_assert_msg(strstr(out, "musa: warning: MUSA_PROFILE: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "musa: warning: MUSA_PROFILE_FROM_START: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "Total Time") == NULL, "%s", out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("timeline");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_trace_is_json_with_complete_events_that_match);
	tcase_add_test(tc, test_trace_has_a_track_per_stream_and_per_compute_unit);
	tcase_add_test(tc, test_trace_kernels_copies_and_fills_carry_their_arguments);
	tcase_add_test(tc, test_trace_event_record_and_wait_are_a_flow);
	tcase_add_test(tc, test_profile_prints_kernels_and_copies_by_total_time);
	tcase_add_test(tc, test_profiler_start_and_stop_bracket_what_is_recorded);
	tcase_add_test(tc, test_bad_profiler_settings_warn_once);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
