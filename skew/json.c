/*
 * skew/json.c - an earlier `rtlens skew --json` read back as a result, so
 * that offsets measured once per machine can correct later runs
 * (--skew=FILE.json).
 *
 * The reader takes the fields it needs (reference_cpu, unit, and per cpu
 * cpu, offset_*, uncertainty_*, lower_*, upper_*, pairs, quality) and skips
 * every other member, so files written by later versions with more fields
 * still load. Errors carry the byte offset of the offending token. The text
 * is given in memory: this module does no I/O.
 */
#include "skew.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SJ_MAX_DEPTH 32

struct sj {
	const char *s;
	size_t n, i;
	const char *path;
	struct rl_err *err;
	/* the unit named by the keys seen so far: 0 none, 1 ns, 2 cycles */
	int key_unit;
	size_t key_unit_off;
};

static int sj_fail(struct sj *j, size_t off, const char *what)
{
	return rl_err_set(j->err, -RL_E_FORMAT, j->path, off, "clock offsets: %s", what);
}

static void sj_ws(struct sj *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
			       j->s[j->i] == '\r'))
		j->i++;
}

static int sj_peek(struct sj *j)
{
	sj_ws(j);
	return j->i < j->n ? (unsigned char)j->s[j->i] : -1;
}

static int sj_expect(struct sj *j, int ch)
{
	if (sj_peek(j) != ch) {
		char m[32];

		snprintf(m, sizeof(m), "'%c' expected", ch);
		return sj_fail(j, j->i, m);
	}
	j->i++;
	return 0;
}

/* A string into @buf (truncated to @len - 1; escapes kept as read). */
static int sj_string(struct sj *j, char *buf, size_t len)
{
	size_t k = 0, start;

	if (sj_expect(j, '"'))
		return -1;
	start = j->i;
	while (j->i < j->n && j->s[j->i] != '"') {
		unsigned char c = (unsigned char)j->s[j->i];

		if (c < 0x20)
			return sj_fail(j, j->i, "control character in a string");
		if (c == '\\') {
			if (j->i + 1 >= j->n)
				break;
			if (k + 1 < len)
				buf[k++] = (char)c;
			j->i++;
			c = (unsigned char)j->s[j->i];
		}
		if (k + 1 < len)
			buf[k++] = (char)c;
		j->i++;
	}
	if (j->i >= j->n)
		return sj_fail(j, start - 1, "unterminated string");
	j->i++;
	if (len)
		buf[k] = 0;
	return 0;
}

/* A number: an integer into *v (*has = 1), or null (*has = 0). Fractions are refused. */
static int sj_int(struct sj *j, int64_t *v, int *has)
{
	size_t start;
	int neg = 0;
	uint64_t m = 0;

	if (sj_peek(j) == 'n') {
		if (j->n - j->i < 4 || memcmp(j->s + j->i, "null", 4))
			return sj_fail(j, j->i, "a number or null expected");
		j->i += 4;
		*has = 0;
		return 0;
	}
	start = j->i;
	if (j->i < j->n && j->s[j->i] == '-') {
		neg = 1;
		j->i++;
	}
	if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
		return sj_fail(j, start, "a number expected");
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
		unsigned d = (unsigned)(j->s[j->i] - '0');

		if (m > (UINT64_MAX - d) / 10)
			return sj_fail(j, start, "number out of range");
		m = m * 10 + d;
		j->i++;
	}
	if (j->i < j->n && (j->s[j->i] == '.' || j->s[j->i] == 'e' || j->s[j->i] == 'E'))
		return sj_fail(j, start, "an integer expected");
	if ((!neg && m > (uint64_t)INT64_MAX) || (neg && m > (uint64_t)INT64_MAX + 1))
		return sj_fail(j, start, "number out of range");
	*v = neg ? (int64_t)(0 - m) : (int64_t)m;
	*has = 1;
	return 0;
}

static int sj_skip(struct sj *j, unsigned depth);

static int sj_skip_seq(struct sj *j, int close, int keyed, unsigned depth)
{
	char key[8];

	j->i++;
	if (sj_peek(j) == close) {
		j->i++;
		return 0;
	}
	for (;;) {
		if (keyed && (sj_string(j, key, sizeof(key)) || sj_expect(j, ':')))
			return -1;
		if (sj_skip(j, depth + 1))
			return -1;
		if (sj_peek(j) == ',') {
			j->i++;
			continue;
		}
		return sj_expect(j, close);
	}
}

/* Skip any value. */
static int sj_skip(struct sj *j, unsigned depth)
{
	int c = sj_peek(j);
	char tmp[2];
	int64_t v;
	int has;

	if (depth > SJ_MAX_DEPTH)
		return sj_fail(j, j->i, "nested too deeply");
	if (c == '{')
		return sj_skip_seq(j, '}', 1, depth);
	if (c == '[')
		return sj_skip_seq(j, ']', 0, depth);
	if (c == '"')
		return sj_string(j, tmp, sizeof(tmp));
	if (c == 't' && j->n - j->i >= 4 && !memcmp(j->s + j->i, "true", 4)) {
		j->i += 4;
		return 0;
	}
	if (c == 'f' && j->n - j->i >= 5 && !memcmp(j->s + j->i, "false", 5)) {
		j->i += 5;
		return 0;
	}
	if (c == '-' || (c >= '0' && c <= '9')) { /* any number, fractions included */
		while (j->i < j->n && strchr("+-0123456789.eE", j->s[j->i]))
			j->i++;
		return 0;
	}
	return sj_int(j, &v, &has);
}

/* "offset_ns" -> "offset" with the unit noted; Return: 1 if @key is @base_<unit>. */
static int sj_unit_key(struct sj *j, const char *key, const char *base, size_t off)
{
	size_t l = strlen(base);
	int u;

	if (strncmp(key, base, l) || key[l] != '_')
		return 0;
	if (!strcmp(key + l + 1, "ns"))
		u = 1;
	else if (!strcmp(key + l + 1, "cycles"))
		u = 2;
	else
		return 0;
	if (!j->key_unit) {
		j->key_unit = u;
		j->key_unit_off = off;
	} else if (j->key_unit != u) {
		j->key_unit = -1;
		j->key_unit_off = off;
	}
	return 1;
}

static int sj_quality(const char *w)
{
	int q;

	for (q = RL_SKEW_ACCURATE; q <= RL_SKEW_FAIL; q++)
		if (!strcmp(w, rl_skew_quality_name(q)))
			return q;
	return -1;
}

/* One element of "cpus" into @c. * (About 100 lines: one member after another, then the checks
 * between them.)
 */
static int sj_cpu(struct sj *j, struct rl_skew_cpu *c, int *has_cpu)
{
	int has_off = 0, has_unc = 0, has_epoch = 0, has, q = -1;
	size_t start = j->i, off;
	char key[32], word[32];
	int64_t v;

	memset(c, 0, sizeof(*c));
	*has_cpu = 0;
	if (sj_expect(j, '{'))
		return -1;
	if (sj_peek(j) == '}') {
		j->i++;
		return sj_fail(j, start, "a cpu without fields");
	}
	for (;;) {
		sj_ws(j);
		off = j->i;
		if (sj_string(j, key, sizeof(key)) || sj_expect(j, ':'))
			return -1;
		sj_ws(j);
		off = j->i;
		if (!strcmp(key, "quality")) {
			if (sj_string(j, word, sizeof(word)))
				return -1;
			if ((q = sj_quality(word)) < 0)
				return sj_fail(j, off, "unknown quality word");
		} else if (!strcmp(key, "cpu") || !strcmp(key, "pairs") ||
			   sj_unit_key(j, key, "offset", off) ||
			   sj_unit_key(j, key, "uncertainty", off) ||
			   sj_unit_key(j, key, "lower", off) || sj_unit_key(j, key, "upper", off)) {
			if (sj_int(j, &v, &has))
				return -1;
			if (!strcmp(key, "cpu")) {
				if (!has || v < 0 || v >= RL_SKEW_MAX_CPUS)
					return sj_fail(j, off, "cpu number out of range");
				c->cpu = (uint32_t)v;
				*has_cpu = 1;
			} else if (!strcmp(key, "pairs")) {
				c->pairs = has && v > 0 ? (uint64_t)v : 0;
			} else if (!strncmp(key, "offset", 6)) {
				c->offset = v;
				has_off = has;
			} else if (!strncmp(key, "uncertainty", 11)) {
				if (has && v < 0)
					return sj_fail(j, off, "negative uncertainty");
				c->uncert = v;
				has_unc = has;
			} else if (!strncmp(key, "lower", 5)) {
				c->lo = v;
				c->has_lo = (uint8_t)has;
			} else {
				c->hi = v;
				c->has_hi = (uint8_t)has;
			}
		} else if (!strcmp(key, "rate_ppb") || sj_unit_key(j, key, "epoch", off)) {
			/* --drift: offset(t) = offset + rate_ppb * (t - epoch) / 1e9 */
			if (sj_int(j, &v, &has))
				return -1;
			if (!strcmp(key, "rate_ppb")) {
				if (has && (v <= -1000000000 || v >= 1000000000))
					return sj_fail(j, off,
						       "rate out of range (|rate| < 1e9 ppb)");
				c->rate_ppb = v;
				c->has_rate = (uint8_t)has;
			} else {
				c->epoch = has ? v : 0;
				has_epoch = has;
			}
		} else if (sj_skip(j, 2)) {
			return -1;
		}
		if (sj_peek(j) == ',') {
			j->i++;
			continue;
		}
		if (sj_expect(j, '}'))
			return -1;
		break;
	}
	if (c->has_rate && !has_epoch)
		return sj_fail(j, start, "a cpu with a rate needs its epoch");
	if (!*has_cpu || q < 0)
		return sj_fail(j, start, "a cpu needs \"cpu\" and \"quality\"");
	c->quality = q;
	if ((q == RL_SKEW_ACCURATE || q == RL_SKEW_APPROXIMATE) && (!has_off || !has_unc))
		return sj_fail(j, start, "an estimated cpu needs its offset and uncertainty");
	if (q == RL_SKEW_ACCURATE || q == RL_SKEW_APPROXIMATE) {
		/* the bounds of an estimate follow from it when the file does not give them */
		if (!c->has_lo) {
			c->lo = c->uncert > 0 && c->offset < INT64_MIN + c->uncert
					? INT64_MIN
					: c->offset - c->uncert;
			c->has_lo = 1;
		}
		if (!c->has_hi) {
			c->hi = c->offset > INT64_MAX - c->uncert ? INT64_MAX
								  : c->offset + c->uncert;
			c->has_hi = 1;
		}
	}
	return 0;
}

/* The "cpus" array into @res (dense: cpus not listed are absent). */
static int sj_cpus(struct sj *j, struct rl_skew_result *res)
{
	struct rl_skew_cpu c;
	uint32_t cap = res->ncpu, i;
	size_t off;
	int has;

	if (sj_expect(j, '['))
		return -1;
	if (sj_peek(j) == ']') {
		j->i++;
		return 0;
	}
	for (;;) {
		sj_ws(j);
		off = j->i;
		if (sj_cpu(j, &c, &has))
			return -1;
		if (c.cpu >= res->ncpu) {
			if (rl_grow_zero((void **)&res->cpus, &cap, c.cpu + 1, sizeof(*res->cpus)))
				return rl_err_set(j->err, -RL_E_NOMEM, j->path, RL_OFF_NONE,
						  "out of memory");
			for (i = res->ncpu; i < c.cpu + 1; i++) {
				res->cpus[i].cpu = i;
				res->cpus[i].quality = -1; /* not listed yet */
			}
			res->ncpu = c.cpu + 1;
		}
		if (res->cpus[c.cpu].quality != -1)
			return sj_fail(j, off, "a cpu listed twice");
		res->cpus[c.cpu] = c;
		if (sj_peek(j) == ',') {
			j->i++;
			continue;
		}
		return sj_expect(j, ']');
	}
}

/**
 * rl_skew_json_read() - the offsets of an earlier `rtlens skew --json`
 * @path:  the file's name, for errors
 * @text:  its contents
 * @len:   their length
 * @res:   filled: reference, cpus (pairs are not read back); release with
 *         rl_skew_result_release(), also on failure
 * @unit:  out: RL_SKEW_UNIT_NS or RL_SKEW_UNIT_CYCLES
 * @err:   error out (path and byte offset of the bad token)
 *
 * Return: 0, or -RL_E_FORMAT / -RL_E_NOMEM with @err set.
 */
int rl_skew_json_read(const char *path, const char *text, size_t len, struct rl_skew_result *res,
		      int *unit, struct rl_err *err)
{
	struct sj j = {text, len, 0, path, err, 0, 0};
	int64_t v;
	int has_ref = 0, has_unit = 0, has_cpus = 0, has;
	char key[32], word[16];
	size_t off, unit_off = 0;
	uint32_t i;

	memset(res, 0, sizeof(*res));
	*unit = RL_SKEW_UNIT_NS;
	if (sj_expect(&j, '{'))
		return err->code;
	for (;;) {
		if (sj_peek(&j) == '}') {
			j.i++;
			break;
		}
		if (sj_string(&j, key, sizeof(key)) || sj_expect(&j, ':'))
			return err->code;
		sj_ws(&j);
		off = j.i;
		if (!strcmp(key, "reference_cpu")) {
			if (sj_int(&j, &v, &has))
				return err->code;
			if (!has || v < 0 || v >= RL_SKEW_MAX_CPUS)
				return sj_fail(&j, off, "reference_cpu out of range");
			res->ref = (uint32_t)v;
			has_ref = 1;
		} else if (!strcmp(key, "unit")) {
			if (sj_string(&j, word, sizeof(word)))
				return err->code;
			if (!strcmp(word, "ns"))
				*unit = RL_SKEW_UNIT_NS;
			else if (!strcmp(word, "cycles"))
				*unit = RL_SKEW_UNIT_CYCLES;
			else
				return sj_fail(&j, off, "unit is neither \"ns\" nor \"cycles\"");
			has_unit = 1;
			unit_off = off;
		} else if (!strcmp(key, "cpus")) {
			if (sj_cpus(&j, res))
				return err->code;
			has_cpus = 1;
		} else if (sj_skip(&j, 1)) {
			return err->code;
		}
		if (sj_peek(&j) == ',') {
			j.i++;
			continue;
		}
		if (sj_expect(&j, '}'))
			return err->code;
		break;
	}
	if (sj_peek(&j) != -1)
		return sj_fail(&j, j.i, "text after the object");
	if (!has_ref || !has_unit || !has_cpus)
		return sj_fail(&j, 0,
			       "not the output of 'rtlens skew --json' "
			       "(reference_cpu, unit and cpus are needed)");
	if (j.key_unit < 0 || (j.key_unit && j.key_unit != (*unit == RL_SKEW_UNIT_NS ? 1 : 2)))
		return sj_fail(&j, j.key_unit < 0 ? j.key_unit_off : unit_off,
			       "the fields' unit suffixes disagree with \"unit\"");
	for (i = 0; i < res->ncpu; i++)
		if (res->cpus[i].quality == -1)
			res->cpus[i].quality = RL_SKEW_ABSENT;
	if (res->ref >= res->ncpu || res->cpus[res->ref].quality != RL_SKEW_ACCURATE ||
	    res->cpus[res->ref].offset != 0)
		return sj_fail(&j, 0, "the reference cpu is not listed with offset 0");
	return 0;
}
