/* tests/unit-params.c - params.py read as a Python literal: values, flattening, located errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../stats/stats.h"
#include "tap.h"

/* The pairs seen, as "key=value" lines ("key" alone for None). */
struct seen {
	char text[2048];
	size_t len;
	int calls;
};

static int collect(void *arg, const char *key, const char *value, struct rl_err *err)
{
	struct seen *s = arg;

	(void)err;
	s->calls++;
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s%s%s\n", key,
				   value ? "=" : "", value ? value : "");
	return 0;
}

static int parse(const char *src, struct seen *s, struct rl_err *err)
{
	memset(s, 0, sizeof(*s));
	rl_err_init(err);
	return rl_params_parse(src, strlen(src), "params.py", collect, s, err);
}

/* @src must fail at byte @off with a message containing @what. */
static void bad(const char *src, uint64_t off, const char *what)
{
	struct seen s;
	struct rl_err err;
	int r = parse(src, &s, &err);

	ok(r < 0, "refused: %s", src);
	is_int(err.off, off, "  at byte %llu", (unsigned long long)off);
	ok(strstr(err.msg, what) != NULL, "  says '%s' (%s)", what, err.msg);
	ok(err.path && !strcmp(err.path, "params.py"), "  names the file");
}

static int stop_cb(void *arg, const char *key, const char *value, struct rl_err *err)
{
	(void)arg;
	(void)value;
	return rl_err_set(err, -RL_E_USAGE, NULL, RL_OFF_NONE, "stop at %s", key);
}

int main(void)
{
	struct seen s;
	struct rl_err err;
	int r;

	/* experiment-scripts' own shape (run-trial48's params.py) */
	r = parse("{'cpus': 4,\n 'duration': 30,\n 'final_util': '3.623024',\n"
		  " 'release_master': False,\n 'scheduler': 'RUN',\n 'trial': 48}\n",
		  &s, &err);
	is_int(r, 0, "an experiment-scripts dict parses");
	is_str(s.text,
	       "cpus=4\nduration=30\nfinal_util=3.623024\nrelease_master=False\nscheduler=RUN\n"
	       "trial=48\n",
	       "its keys and values in file order");

	r = parse("{\"a\": {\"b\": [1, 2.5, -3e2], 'c': (True, None,)}, 'd': [], 'e': {},}", &s,
		  &err);
	is_int(r, 0, "nested dicts, lists, tuples, trailing commas");
	is_str(s.text, "a.b.0=1\na.b.1=2.5\na.b.2=-3e2\na.c.0=True\na.c.1\n",
	       "flattened with dots and indices; None has no value; empty containers nothing");

	r = parse("# header comment\n{'s': 'it\\'s \\\"q\\\"\\n\\t\\x41\\\\', # trailing\n"
		  " 1: 'number key'}",
		  &s, &err);
	is_int(r, 0, "comments, escapes, a number key");
	is_str(s.text, "s=it's \"q\"\n\tA\\\n1=number key\n", "escapes decoded");

	/* nothing is executed: names, calls and operators are errors where they start */
	bad("{'a': __import__('os').system('false')}", 6, "not a literal");
	bad("{'a': open('/etc/passwd')}", 6, "not a literal");
	bad("{'a': 1 + 2}", 8, "expected ',' or '}'");
	bad("{'a': 'unterminated}", 6, "unterminated string");
	bad("{'a': '\\q'}", 7, "unknown escape");
	bad("{'a' 1}", 5, "expected ':'");
	bad("{'a': [1 2]}", 9, "expected ',' or ']'");
	bad("['not', 'a dict']", 0, "must hold a dict");
	bad("{'a': 1} junk", 9, "text after the dict");
	bad("{'a': 1e}", 6, "bad exponent");
	bad("{'a': ", 6, "unexpected end");
	bad("", 0, "must hold a dict");
	bad("{[1]: 2}", 1, "expected a string key");

	{
		char deep[200];
		int i;

		for (i = 0; i < 40; i++)
			deep[i] = '[';
		deep[40] = 0;
		memmove(deep + 6, deep, 41);
		memcpy(deep, "{'a': ", 6);
		r = parse(deep, &s, &err);
		ok(r < 0 && strstr(err.msg, "nested too deeply"), "deep nesting refused (%s)",
		   err.msg);
	}

	memset(&s, 0, sizeof(s));
	rl_err_init(&err);
	r = rl_params_parse("{'x': 1, 'y': 2}", 16, "p", stop_cb, NULL, &err);
	ok(r == -RL_E_USAGE && strstr(err.msg, "stop at x"),
	   "the callback's error stops the parse (%s)", err.msg);
	done_testing();
	return exit_status();
}
