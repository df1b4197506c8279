/*
 * stats/params.c - experiment-scripts' params.py, read as a Python literal.
 *
 * experiment-scripts writes a run's parameters as the repr() of a dict and
 * parse_exps.py eval()s it. Here it is parsed, never executed: a strict
 * recursive-descent parser for the literal subset repr() produces (dicts,
 * lists, tuples, strings, numbers, True, False, None, # comments). Nested
 * containers are flattened to dotted keys: {'a': {'b': [1, 2]}} gives
 * a.b.0 = 1 and a.b.1 = 2. Numbers keep their spelling; True and False are
 * "True" and "False"; None is a NULL value. Anything else is an error with
 * the byte offset where it starts.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define PP_DEPTH 32
#define PP_KEY 512
#define PP_VAL 4096

struct pp {
	const char *s;
	size_t n, i;
	const char *path;
	rl_params_fn fn;
	void *arg;
	struct rl_err *err;
	char key[PP_KEY];
	char val[PP_VAL];
};

static int pp_fail(struct pp *p, size_t at, const char *what)
{
	return rl_err_set(p->err, -RL_E_CORRUPT, p->path, at, "params.py: %s", what);
}

/* Skip blanks, newlines and # comments. */
static void pp_ws(struct pp *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];

		if (c == '#') {
			while (p->i < p->n && p->s[p->i] != '\n')
				p->i++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			p->i++;
		} else {
			break;
		}
	}
}

static int pp_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape after a backslash at p->i; appends to out[*len]. */
static int pp_escape(struct pp *p, char *out, size_t *len)
{
	static const char from[] = "nrt0\\'\"", to[] = "\n\r\t\0\\'\"";
	size_t at = p->i - 1;
	const char *k;
	char c;

	if (p->i >= p->n)
		return pp_fail(p, at, "unterminated string");
	c = p->s[p->i++];
	k = memchr(from, c, sizeof(from) - 1);
	if (k) {
		out[(*len)++] = to[k - from];
		return 0;
	}
	if (c == 'x' && p->i + 2 <= p->n && pp_hex(p->s[p->i]) >= 0 &&
	    pp_hex(p->s[p->i + 1]) >= 0) {
		out[(*len)++] = (char)(pp_hex(p->s[p->i]) * 16 + pp_hex(p->s[p->i + 1]));
		p->i += 2;
		return 0;
	}
	if (c == '\n') /* line continuation */
		return 0;
	return pp_fail(p, at, "unknown escape in a string");
}

/* A quoted string at p->i into @out (NUL-terminated, at most @cap - 1 bytes). */
static int pp_string(struct pp *p, char *out, size_t cap)
{
	size_t at = p->i, len = 0;
	char q = p->s[p->i++];

	for (;;) {
		char c;

		if (p->i >= p->n || p->s[p->i] == '\n')
			return pp_fail(p, at, "unterminated string");
		c = p->s[p->i++];
		if (c == q)
			break;
		if (len + 1 >= cap)
			return pp_fail(p, at, "string too long");
		if (c == '\\') {
			if (pp_escape(p, out, &len) < 0)
				return p->err->code;
		} else {
			out[len++] = c;
		}
	}
	out[len] = 0;
	if (memchr(out, 0, len))
		return pp_fail(p, at, "NUL byte in a string");
	return 0;
}

/* A number as Python writes one (sign, digits, fraction, exponent), kept as spelled. */
static int pp_number(struct pp *p, char *out, size_t cap)
{
	size_t at = p->i, d = 0;

	if (p->s[p->i] == '-' || p->s[p->i] == '+')
		p->i++;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++, d++;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++, d++;
	}
	if (!d)
		return pp_fail(p, at, "not a value");
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		size_t e = 0;

		p->i++;
		if (p->i < p->n && (p->s[p->i] == '-' || p->s[p->i] == '+'))
			p->i++;
		while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			p->i++, e++;
		if (!e)
			return pp_fail(p, at, "bad exponent in a number");
	}
	if (p->i - at >= cap)
		return pp_fail(p, at, "number too long");
	memcpy(out, p->s + at, p->i - at);
	out[p->i - at] = 0;
	return 0;
}

static int pp_value(struct pp *p, size_t klen, int depth);

/* Append ".part" (or "part" at the top) to the key; Return: the old length or negative. */
static int pp_key_push(struct pp *p, size_t klen, const char *part, size_t at)
{
	size_t n = strlen(part);

	if (klen + n + 2 > sizeof(p->key))
		return pp_fail(p, at, "key too long");
	if (klen)
		p->key[klen++] = '.';
	memcpy(p->key + klen, part, n + 1);
	return (int)(klen + n);
}

/* After an item of a container closed by @close. Return: 1 another item, 0 closed, or negative. */
static int pp_next(struct pp *p, char close)
{
	pp_ws(p);
	if (p->i < p->n && p->s[p->i] == ',') {
		p->i++;
		return 1;
	}
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	return pp_fail(p, p->i,
		       close == ']'   ? "expected ',' or ']' in a list"
		       : close == ')' ? "expected ',' or ')' in a tuple"
				      : "expected ',' or '}' in a dict");
}

/* The items of a list or tuple up to @close, keyed by their index. */
static int pp_list(struct pp *p, size_t klen, int depth, char close)
{
	unsigned idx = 0;

	for (;;) {
		char part[16];
		int k;

		pp_ws(p);
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		snprintf(part, sizeof(part), "%u", idx++);
		k = pp_key_push(p, klen, part, p->i);
		if (k < 0 || pp_value(p, (size_t)k, depth + 1) < 0)
			return p->err->code;
		p->key[klen] = 0;
		k = pp_next(p, close);
		if (k <= 0)
			return k;
	}
}

/* A dict's key: a string or a number. */
static int pp_dict_key(struct pp *p, char *part, size_t cap)
{
	char c = p->i < p->n ? p->s[p->i] : 0;

	if (c == '\'' || c == '"')
		return pp_string(p, part, cap);
	if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))
		return pp_number(p, part, cap);
	return pp_fail(p, p->i, "expected a string key in a dict");
}

static int pp_dict(struct pp *p, size_t klen, int depth)
{
	for (;;) {
		char part[PP_KEY];
		size_t at;
		int k;

		pp_ws(p);
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			return 0;
		}
		at = p->i;
		if (pp_dict_key(p, part, sizeof(part)) < 0)
			return p->err->code;
		pp_ws(p);
		if (p->i >= p->n || p->s[p->i] != ':')
			return pp_fail(p, p->i, "expected ':' after a dict key");
		p->i++;
		k = pp_key_push(p, klen, part, at);
		if (k < 0 || pp_value(p, (size_t)k, depth + 1) < 0)
			return p->err->code;
		p->key[klen] = 0;
		k = pp_next(p, '}');
		if (k <= 0)
			return k;
	}
}

/* A bare word: True, False, None (anything else, e.g. a name or a call, is refused). */
static int pp_word(struct pp *p, const char **val)
{
	static const char *const words[] = {"True", "False", "None"};
	size_t at = p->i, n = 0, i;

	while (at + n < p->n &&
	       ((p->s[at + n] >= 'a' && p->s[at + n] <= 'z') ||
		(p->s[at + n] >= 'A' && p->s[at + n] <= 'Z') ||
		(p->s[at + n] >= '0' && p->s[at + n] <= '9') || p->s[at + n] == '_'))
		n++;
	for (i = 0; i < 3; i++)
		if (n == strlen(words[i]) && !memcmp(p->s + at, words[i], n)) {
			p->i += n;
			*val = i < 2 ? words[i] : NULL;
			return 0;
		}
	return pp_fail(p, at,
		       n ? "not a literal (names and calls are not evaluated)" : "not a value");
}

/* One value at p->i for the key p->key[0..klen): containers recurse, scalars go to fn. */
static int pp_value(struct pp *p, size_t klen, int depth)
{
	const char *val = p->val;
	char c;

	pp_ws(p);
	if (p->i >= p->n)
		return pp_fail(p, p->i, "unexpected end of file");
	if (depth > PP_DEPTH)
		return pp_fail(p, p->i, "nested too deeply");
	c = p->s[p->i];
	if (c == '{' || c == '[' || c == '(') {
		p->i++;
		return c == '{' ? pp_dict(p, klen, depth)
				: pp_list(p, klen, depth, c == '[' ? ']' : ')');
	}
	if (c == '\'' || c == '"') {
		if (pp_string(p, p->val, sizeof(p->val)) < 0)
			return p->err->code;
	} else if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
		if (pp_number(p, p->val, sizeof(p->val)) < 0)
			return p->err->code;
	} else if (pp_word(p, &val) < 0) {
		return p->err->code;
	}
	if (!klen)
		return pp_fail(p, p->i, "the file must hold a dict");
	return p->fn(p->arg, p->key, val, p->err);
}

/**
 * rl_params_parse() - read a params.py file as a Python literal
 * @buf:  the file's bytes
 * @len:  their number
 * @path: the file (for errors)
 * @fn:   called with each flattened key and its value (NULL for None)
 * @arg:  for @fn
 * @err:  error out: file, byte offset and what is wrong
 *
 * The file must hold one dict (experiment-scripts writes one); nothing in
 * it is executed.
 *
 * Return: 0, a negative code, or @fn's negative return.
 */
int rl_params_parse(const char *buf, size_t len, const char *path, rl_params_fn fn, void *arg,
		    struct rl_err *err)
{
	struct pp *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE, "out of memory");
	p->s = buf;
	p->n = len;
	p->path = path;
	p->fn = fn;
	p->arg = arg;
	p->err = err;
	pp_ws(p);
	if (p->i >= p->n || p->s[p->i] != '{')
		r = pp_fail(p, p->i, "the file must hold a dict");
	else
		r = pp_value(p, 0, 0);
	if (!r) {
		pp_ws(p);
		if (p->i < p->n)
			r = pp_fail(p, p->i, "text after the dict");
	}
	free(p);
	return r;
}

struct pp_clock {
	const char *path;
	double *rate;
	int found;
};

static int pp_clock_key(void *arg, const char *key, const char *value, struct rl_err *err)
{
	struct pp_clock *c = arg;
	char *end;
	double v;

	if (strcmp(key, "clock-frequency"))
		return 0;
	v = value ? strtod(value, &end) : 0;
	if (!value || end == value || *end || !(v > 0) || v > 1e9)
		return rl_err_set(err, -RL_E_FORMAT, c->path, RL_OFF_NONE,
				  "clock-frequency '%s' is not a cycle rate (cycles per us)",
				  value ? value : "None");
	*c->rate = v;
	c->found = 1;
	return 0;
}

/**
 * rl_params_load() - read and parse a params.py file, if there is one
 * @path: the file
 * @fn:   called for each key and value, as by rl_params_parse()
 * @arg:  its argument
 * @err:  error out
 *
 * Return: 1 parsed, 0 no such file, or a negative code (unreadable or
 * malformed file, or @fn's).
 */
int rl_params_load(const char *path, rl_params_fn fn, void *arg, struct rl_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	int r;

	if (!f)
		return 0;
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return rl_err_set(err, -RL_E_NOMEM, path, RL_OFF_NONE,
						  "out of memory");
			}
			buf = nb;
			cap = cap ? cap * 2 : 4096;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return rl_err_set(err, -RL_E_IO, path, RL_OFF_NONE, "read error");
	}
	fclose(f);
	r = rl_params_parse(buf, len, path, fn, arg, err);
	free(buf);
	return r < 0 ? r : 1;
}

/**
 * rl_params_clock() - the cycle rate a run's params.py states
 * @path: the params.py file
 * @rate: out: its clock-frequency, in cycles per microsecond
 * @err:  error out
 *
 * experiment-scripts records clock-frequency (the integer cpu MHz, i.e.
 * cycles per us) beside the run's Feather-Trace files.
 *
 * Return: 1 if the file states it, 0 if the file or the key is absent, or a
 * negative code (unreadable or malformed file, a value that is no rate).
 */
int rl_params_clock(const char *path, double *rate, struct rl_err *err)
{
	struct pp_clock c = {path, rate, 0};
	int r = rl_params_load(path, pp_clock_key, &c, err);

	return r < 0 ? r : c.found;
}
