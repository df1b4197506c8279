/*
 * readers/ftrace-text.c - plain-text ftrace: the tracefs `trace` file
 * (default and latency-format columns) and `trace-cmd report` text.
 *
 * One cursor walks the text line by line (the text is already merged
 * across CPUs). An event line is
 *   [INSTANCE:] COMM-PID [(TGID)] [CPU] [FLAGS] SECONDS.FRAC: EVENT: PAYLOAD
 * or, in latency format,
 *   COMM8-PID CPUFLAGS  TIMEus[MARK]: EVENT: PAYLOAD
 * COMM may hold spaces and dashes: the pid is after the last '-' before the
 * CPU column. Payloads are the kernel's `key=value` print format (comm
 * values may hold spaces: a value runs to the next known key), numeric or
 * lettered prev_state, or trace-cmd's sched plugin short forms
 * ("comm:pid [prio] S ==> comm:pid [prio]", "comm:pid [prio] CPU:003").
 * Latency-format times are microseconds since the first event; raw
 * counter / x86-tsc clocks are carried as they are (ns assumed).
 */
#include "linux.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx_name {
	uint32_t id;
	uint8_t kind;
};

/* A cpu number past this is damage, not a machine: per-cpu state is indexed by it. */
#define FX_MAX_CPU (1u << 20)

struct fx_cursor {
	struct rl_cursor base;
	struct rl_trace *t;
	struct rl_lx lx;
	const char *buf;
	size_t len, pos;
	const struct rl_input *in; /* pages behind pos are given back (rl_input_drop_before) */
	size_t dropped;
	uint16_t src;
	int latency;	       /* latency-format columns */
	struct fx_name *kinds; /* by string id */
	uint32_t cap_kinds;
	struct rl_event q[3], lost;
	int64_t *prev; /* per cpu: time of the previous event, -1 none */
	uint32_t nprev, cap_prev;
	int have_lost;
	int nq, qpos;
	uint32_t lost_name;
	uint64_t nbad;
	int64_t last_ts;
};

static int fx_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static int fx_isspace(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse an unsigned decimal at s (up to e). Return: chars used, 0 if none. */
static size_t fx_uint(const char *s, const char *e, uint64_t *v)
{
	size_t n = 0;

	*v = 0;
	while (s + n < e && fx_isdigit(s[n]) && n < 19) {
		*v = *v * 10 + (uint64_t)(s[n] - '0');
		n++;
	}
	return n;
}

static int fx_int(const char *s, const char *e, int64_t *v)
{
	int neg = 0;
	uint64_t u;

	if (s < e && *s == '-') {
		neg = 1;
		s++;
	}
	if (!fx_uint(s, e, &u))
		return 0;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 1;
}

/* Find "key=" at the payload start or after a space. */
static const char *fx_key(const char *p, const char *e, const char *key)
{
	size_t kl = strlen(key);
	const char *s = p;

	while (s + kl + 1 <= e) {
		const char *hit = memmem(s, (size_t)(e - s), key, kl);

		if (!hit || hit + kl >= e)
			return NULL;
		if (hit[kl] == '=' && (hit == p || hit[-1] == ' '))
			return hit + kl + 1;
		s = hit + 1;
	}
	return NULL;
}

static int fx_kv_int(const char *p, const char *e, const char *key, int64_t *v)
{
	const char *s = fx_key(p, e, key);

	return s && fx_int(s, e, v);
}

/* A string value: up to the next " KEY=" of @next (or the end / a space if NULL). */
static size_t fx_kv_str(const char *p, const char *e, const char *key, const char *next,
			const char **out)
{
	const char *s = fx_key(p, e, key), *t;

	if (!s)
		return 0;
	t = next ? fx_key(s, e, next) : NULL;
	if (t)
		t -= strlen(next) + 2; /* back over " next=" */
	else {
		t = s;
		while (t < e && *t != ' ')
			t++;
	}
	if (t < s)
		return 0;
	*out = s;
	return (size_t)(t - s);
}

/* prev_state text: letters (S, D, R+, D|K...) or a number. */
static void fx_state(const char *s, const char *e, int64_t *val, int *blocked, int *dead)
{
	int64_t v;

	*val = 0;
	*blocked = *dead = 0;
	if (s >= e)
		return;
	if (fx_int(s, e, &v)) {
		*val = v;
		*blocked = (v & 0xff) != 0;
		return;
	}
	*blocked = *s != 'R';
	for (; s < e && *s != ' '; s++) {
		switch (*s) {
		case 'S':
			*val |= 0x01;
			break;
		case 'D':
			*val |= 0x02;
			break;
		case 'T':
			*val |= 0x04;
			break;
		case 't':
			*val |= 0x08;
			break;
		case 'X':
			*val |= 0x10;
			*dead = 1;
			break;
		case 'Z':
			*val |= 0x20;
			*dead = 1;
			break;
		case 'x':
			*dead = 1;
			break;
		case 'P':
			*val |= 0x40;
			break;
		case 'I':
			*val |= 0x80;
			break;
		case '+':
			*val |= 0x100;
			break;
		default:
			break;
		}
	}
}

/* "comm:pid [prio]" (trace-cmd sched plugin). Return: 1 if parsed. */
static int fx_plugin_task(const char *s, const char *e, const char **comm, size_t *clen,
			  int64_t *pid, int64_t *prio)
{
	const char *br = NULL, *c, *q;

	for (q = s; q + 1 < e; q++)
		if (q[0] == ' ' && q[1] == '[')
			br = q;
	if (!br)
		return 0;
	for (c = br - 1; c > s && *c != ':'; c--)
		;
	if (c <= s || !fx_int(c + 1, br, pid) || !fx_int(br + 2, e, prio))
		return 0;
	*comm = s;
	*clen = (size_t)(c - s);
	return 1;
}

static int fx_isflag(char ch)
{
	return ch == '.' || (ch >= '0' && ch <= '9') || strchr("dDbXNnpLlZzHhs", ch) != NULL;
}

/*
 * The cpu+flags column of `trace-cmd report -l` (" 1d..2. ") followed by a
 * timestamp token: Return: the position after the column (*col = its start,
 * minus the space before it), or NULL.
 */
static const char *fx_report_l(const char *p, const char *e, const char **col)
{
	const char *q, *r, *t;

	for (q = p + 1; q < e; q++) {
		if (q[-1] != ' ' || !fx_isdigit(*q))
			continue;
		r = q;
		while (r < e && fx_isdigit(*r))
			r++;
		t = r;
		while (t < e && !fx_isspace(*t) && fx_isflag(*t))
			t++;
		if (t - r < 4 || t - r > 6 || t >= e || !fx_isspace(*t))
			continue;
		while (t < e && fx_isspace(*t))
			t++;
		/* a timestamp: digits, optional fraction, then ':' */
		r = t;
		while (r < e && (fx_isdigit(*r) || *r == '.'))
			r++;
		if (r > t && r < e && *r == ':') {
			*col = q - 1;
			return t;
		}
	}
	return NULL;
}

/*
 * The time of @cpu's previous event (-1 if none); with @set != INT64_MIN,
 * record @set as it instead. Return: 0 only when out of memory while setting.
 */
static int64_t fx_prev(struct fx_cursor *c, uint32_t cpu, int64_t set)
{
	if (cpu >= c->nprev) {
		uint32_t old = c->nprev, i;

		if (set == INT64_MIN)
			return -1;
		if (cpu > FX_MAX_CPU ||
		    rl_grow((void **)&c->prev, &c->cap_prev, cpu + 1, sizeof(*c->prev)))
			return 0;
		for (i = old; i <= cpu; i++)
			c->prev[i] = -1;
		c->nprev = cpu + 1;
	}
	if (set == INT64_MIN)
		return c->prev[cpu];
	c->prev[cpu] = set;
	return 1;
}

static struct fx_name *fx_name(struct fx_cursor *c, const char *s, size_t n)
{
	uint32_t id = rl_strtab_intern(c->t->strs, s, n);
	char tmp[128];
	const char *base;

	if (!id)
		return NULL;
	if (id >= c->cap_kinds) {
		if (rl_grow_zero((void **)&c->kinds, &c->cap_kinds, id + 1, sizeof(*c->kinds)))
			return NULL;
	}
	if (!c->kinds[id].id) {
		c->kinds[id].id = id;
		if (n >= sizeof(tmp))
			n = sizeof(tmp) - 1;
		memcpy(tmp, s, n);
		tmp[n] = 0;
		base = strchr(tmp, ':') ? strchr(tmp, ':') + 1 : tmp;
		/* instance events ("rtbuf:sched_switch") are carried, not modelled */
		c->kinds[id].kind = strchr(tmp, ':') ? RL_LX_OTHER : (uint8_t)rl_lx_kind(base);
	}
	return &c->kinds[id];
}

static void fx_ev(struct fx_cursor *c, struct rl_event *ev, int64_t ts, uint64_t raw, uint32_t cpu,
		  size_t off, uint32_t name)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->raw = raw;
	ev->cpu = cpu;
	ev->src = c->src;
	ev->src_off = off;
	ev->name = name;
	ev->task = ev->task2 = RL_NO_TASK;
	ev->type = RL_EV_OTHER;
}

/*
 * The osnoise tracer's table row, "RUNTIME NOISE AVAIL.NNNNN MAX_SAMPLE HW NMI
 * IRQ SOFTIRQ THREAD" (us, percent, counts). Return: 1 if [@p, @e) is one,
 * with runtime, noise and max_sample in @v.
 */
static int fx_osnoise_row(const char *p, const char *e, uint64_t v[3])
{
	uint64_t x;
	size_t k;
	int i;

	for (i = 0; i < 9; i++) {
		while (p < e && fx_isspace(*p))
			p++;
		k = fx_uint(p, e, &x);
		if (!k)
			return 0;
		p += k;
		if (i == 2) {
			if (p >= e || *p != '.' || !(k = fx_uint(p + 1, e, &x)))
				return 0;
			p += 1 + k;
		}
		if (i < 2)
			v[i] = x;
		else if (i == 3)
			v[2] = x;
		if (p < e && !fx_isspace(*p))
			return 0;
	}
	while (p < e && fx_isspace(*p))
		p++;
	return p == e;
}

/* The event name of a tracer's own line (no "name:" in it), or NULL. */
static const char *fx_tracer_line(const char *p, const char *e)
{
	uint64_t v[3];

	if (p + 1 < e && *p == '#' && fx_isdigit(p[1]))
		return memmem(p, (size_t)(e - p), "inner/outer(us):", 16) ? "hwlat" : "timerlat";
	if (p < e && fx_isdigit(*p) && fx_osnoise_row(p, e, v))
		return "osnoise";
	return NULL;
}

/* "S.NNNNNNNNN" (the noise tracepoints' start) or plain ns. Return: chars read, 0 none. */
static size_t fx_ns(const char *s, const char *e, uint64_t *v)
{
	uint64_t w = 0, f = 0;
	size_t k = fx_uint(s, e, &w), d = 0;

	if (!k)
		return 0;
	if (s + k < e && s[k] == '.') {
		d = fx_uint(s + k + 1, e, &f);
		if (d != 9 || w > UINT64_MAX / 1000000000ull - 1)
			return 0;
		*v = w * 1000000000ull + f;
		return k + 1 + d;
	}
	*v = w;
	return k;
}

/* After @key (" start " ...) in [@p, @e): a number (fx_ns). Return: 1 found. */
static int fx_after(const char *p, const char *e, const char *key, uint64_t *v, const char **at)
{
	size_t n = strlen(key);
	const char *q = memmem(p, (size_t)(e - p), key, n);

	if (at)
		*at = q;
	if (!q)
		return 0;
	q += n;
	while (q < e && fx_isspace(*q))
		q++;
	return fx_ns(q, e, v) > 0;
}

/*
 * The osnoise tracepoints ("DESC:VECTOR start S.N duration D ns", thread_noise
 * "COMM:PID start ...", nmi_noise "start ..."; sample_threshold adds
 * "interference N") and timerlat, as tracefs prints it ("#SEQ context irq|
 * thread|user-ret timer_latency N ns") or trace-cmd report from its format
 * ("seq:N context:C timer_latency:N").
 */
static int fx_rtm(int kind, const char *p, const char *e, struct rl_lx_rec *r)
{
	static const char *const ctx[] = {"irq", "thread", "user-ret"};
	const char *st, *q, *b;
	uint64_t v;
	size_t k;

	memset(&r->rtm, 0, sizeof(r->rtm));
	if (kind == RL_LX_OSNOISE) {
		uint64_t row[3];

		if (!fx_osnoise_row(p, e, row))
			return 0;
		r->rtm.c = row[0], r->rtm.a = row[1], r->rtm.b = row[2];
		return 1;
	}
	if (kind == RL_LX_HWLAT) {
		/* "#SEQ inner/outer(us):   IN/OUT    ts:S.N count:N" */
		if (p >= e || *p != '#' || !fx_uint(p + 1, e, &r->rtm.c) ||
		    !fx_after(p, e, "inner/outer(us):", &r->rtm.a, &st))
			return 0;
		q = st + 16;
		while (q < e && (fx_isspace(*q) || fx_isdigit(*q)))
			q++;
		return q < e && *q == '/' && fx_ns(q + 1, e, &r->rtm.b) > 0;
	}
	if (kind == RL_LX_TIMERLAT) {
		if (p < e && *p == '#') {
			k = fx_uint(p + 1, e, &r->rtm.c);
			q = p + 1 + k;
			while (q < e && fx_isspace(*q))
				q++;
			if (!k || e - q < 8 || memcmp(q, "context ", 8))
				return 0;
			q += 8;
			while (q < e && fx_isspace(*q))
				q++;
			for (k = 0; k < 3; k++)
				if ((size_t)(e - q) > strlen(ctx[k]) &&
				    !memcmp(q, ctx[k], strlen(ctx[k])) &&
				    fx_isspace(q[strlen(ctx[k])]))
					break;
			if (k == 3)
				return 0;
			r->rtm.b = k;
			return fx_after(q, e, "timer_latency ", &r->rtm.a, NULL);
		}
		if (!fx_after(p, e, "seq:", &r->rtm.c, NULL) ||
		    !fx_after(p, e, "context:", &r->rtm.b, NULL) ||
		    !fx_after(p, e, "timer_latency:", &r->rtm.a, NULL))
			return 0;
		return r->rtm.b <= 2;
	}
	if (!fx_after(p, e, "start ", &r->rtm.a, &st) ||
	    !fx_after(st, e, " duration ", &r->rtm.b, NULL))
		return 0;
	if (kind == RL_LX_THRESHOLD)
		return fx_after(st, e, " interference ", &r->rtm.c, NULL) || 1;
	if (kind == RL_LX_NMI_NOISE)
		return 1;
	/* "NAME:NUMBER " before start: the last ':' there */
	b = st;
	while (b > p && fx_isspace(b[-1]))
		b--;
	q = b;
	while (q > p && q[-1] != ':')
		q--;
	if (q <= p || !fx_uint(q, b, &v) || fx_uint(q, b, &v) != (size_t)(b - q))
		return 0;
	if (kind == RL_LX_THREAD_NOISE) {
		const char *c = p;

		while (c < q - 1 && fx_isspace(*c))
			c++;
		r->rtm.who.pid = v > INT32_MAX ? -1 : (int64_t)v;
		r->rtm.who.prio = RL_LX_NO_PRIO;
		r->rtm.who.comm = c;
		r->rtm.who.comm_len = (size_t)(q - 1 - c);
		return 1;
	}
	r->rtm.c = v;
	return 1;
}

/* sched_switch: key=value payload or the sched plugin's "... ==> ..." form. */
static int fx_switch(const char *p, const char *e, struct rl_lx_rec *r)
{
	struct rl_lx_who *pv = &r->sw.prev, *nx = &r->sw.next;
	const char *s, *arrow;
	int blocked, dead;

	if (fx_kv_int(p, e, "prev_pid", &pv->pid) && fx_kv_int(p, e, "next_pid", &nx->pid)) {
		pv->comm_len = fx_kv_str(p, e, "prev_comm", "prev_pid", &pv->comm);
		nx->comm_len = fx_kv_str(p, e, "next_comm", "next_pid", &nx->comm);
		if (!fx_kv_int(p, e, "prev_prio", &pv->prio))
			pv->prio = RL_LX_NO_PRIO;
		if (!fx_kv_int(p, e, "next_prio", &nx->prio))
			nx->prio = RL_LX_NO_PRIO;
		s = fx_key(p, e, "prev_state");
		fx_state(s ? s : e, e, &r->sw.state, &blocked, &dead);
	} else {
		arrow = memmem(p, (size_t)(e - p), " ==> ", 5);
		if (!arrow)
			return 0;
		/* left: "comm:pid [prio] STATE" */
		s = arrow;
		while (s > p && s[-1] != ' ')
			s--;
		fx_state(s, arrow, &r->sw.state, &blocked, &dead);
		if (s > p &&
		    !fx_plugin_task(p, s - 1, &pv->comm, &pv->comm_len, &pv->pid, &pv->prio))
			return 0;
		if (!fx_plugin_task(arrow + 5, e, &nx->comm, &nx->comm_len, &nx->pid, &nx->prio))
			return 0;
	}
	r->sw.blocked = (uint8_t)blocked;
	r->sw.dead = (uint8_t)dead;
	return 1;
}

/* sched_wakeup / sched_waking: key=value or "comm:pid [prio] CPU:003". */
static int fx_wake(const char *p, const char *e, struct rl_lx_rec *r)
{
	struct rl_lx_who *w = &r->wake.woken;

	r->wake.target_cpu = -1;
	if (fx_kv_int(p, e, "pid", &w->pid)) {
		w->comm_len = fx_kv_str(p, e, "comm", "pid", &w->comm);
		if (!fx_kv_int(p, e, "prio", &w->prio))
			w->prio = -1;
		fx_kv_int(p, e, "target_cpu", &r->wake.target_cpu);
	} else {
		const char *cpu = memmem(p, (size_t)(e - p), " CPU:", 5);

		if (!fx_plugin_task(p, cpu ? cpu : e, &w->comm, &w->comm_len, &w->pid, &w->prio))
			return 0;
		if (cpu)
			fx_int(cpu + 5, e, &r->wake.target_cpu);
	}
	/* prio -1 (or none) is not remembered */
	if (w->prio == -1)
		w->prio = RL_LX_NO_PRIO;
	return 1;
}

/* An ipi_send_* record's callback= names a function (%pS of NULL prints 0x0). */
static int fx_callback(const char *p, const char *e)
{
	const char *s = fx_key(p, e, "callback");
	size_t n = 0;

	if (!s)
		return 0;
	while (s + n < e && s[n] != ' ')
		n++;
	return !((n == 3 && !memcmp(s, "0x0", 3)) || (n == 1 && *s == '0') ||
		 (n == 6 && !memcmp(s, "(null)", 6)));
}

/*
 * ipi_send_cpumask's "cpumask=" value as the kernel prints a cpumask (%*pb:
 * hex, 32-bit groups separated by commas, most significant first): cpus
 * 0..63 into @r. Return: 0 if there is no such value.
 */
static int fx_cpumask(const char *s, const char *e, struct rl_lx_rec *r)
{
	uint64_t mask = 0;
	int digits = 0;

	if (!s)
		return 0;
	for (; s < e && *s != ' '; s++) {
		int d = *s >= '0' && *s <= '9'	 ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
						 : -1;

		if (*s == ',')
			continue;
		if (d < 0)
			return 0;
		mask = mask << 4 | (uint64_t)d; /* digits above cpu 63 fall off the top */
		digits++;
	}
	if (!digits)
		return 0;
	rl_lx_ipi_mask(r, mask);
	return 1;
}

/*
 * The payload fields of a modelled event into @r. Return: 0 if the payload
 * is not understood. sched_process_exit and sched_pi_setprio without their
 * fields become RL_LX_OTHER.
 */
static int fx_payload(int kind, const char *p, const char *e, struct rl_lx_rec *r)
{
	static const char *const num_key[] = {
		[RL_LX_IRQ_ENTRY] = "irq",    [RL_LX_IRQ_EXIT] = "irq",
		[RL_LX_SOFT_ENTRY] = "vec",   [RL_LX_SOFT_EXIT] = "vec",
		[RL_LX_VEC_ENTRY] = "vector", [RL_LX_VEC_EXIT] = "vector",
	};

	r->kind = kind;
	if (rl_lx_is_tracer(kind))
		return fx_rtm(kind, p, e, r);
	switch (kind) {
	case RL_LX_SWITCH:
		return fx_switch(p, e, r);
	case RL_LX_WAKEUP:
	case RL_LX_WAKING:
		return fx_wake(p, e, r);
	case RL_LX_MIGRATE:
		if (!fx_kv_int(p, e, "pid", &r->mig.task.pid) ||
		    !fx_kv_int(p, e, "orig_cpu", &r->mig.orig_cpu) ||
		    !fx_kv_int(p, e, "dest_cpu", &r->mig.dest_cpu))
			return 0;
		r->mig.task.comm_len = fx_kv_str(p, e, "comm", "pid", &r->mig.task.comm);
		return 1;
	case RL_LX_FORK:
		if (!fx_kv_int(p, e, "child_pid", &r->child.pid))
			return 0;
		r->child.comm_len = fx_kv_str(p, e, "child_comm", "child_pid", &r->child.comm);
		return 1;
	case RL_LX_EXEC:
		if (!fx_kv_int(p, e, "pid", &r->exec.pid))
			return 0;
		r->exec.len = fx_kv_str(p, e, "filename", "pid", &r->exec.filename);
		return 1;
	case RL_LX_EXIT:
		if (!fx_kv_int(p, e, "pid", &r->exit_pid))
			r->kind = RL_LX_OTHER;
		return 1;
	case RL_LX_PI_SETPRIO:
		if (!fx_kv_int(p, e, "pid", &r->pi.pid) || !fx_kv_int(p, e, "newprio", &r->pi.prio))
			r->kind = RL_LX_OTHER;
		return 1;
	case RL_LX_IPI_SEND:
		if (!fx_kv_int(p, e, "cpu", &r->ipi.cpu))
			return 0;
		rl_lx_ipi_cpu(r, r->ipi.cpu);
		r->ipi.fn = fx_callback(p, e);
		return 1;
	case RL_LX_IPI_SEND_MASK:
		r->ipi.fn = fx_callback(p, e);
		return fx_cpumask(fx_key(p, e, "cpumask"), e, r);
	case RL_LX_IPI_ENTRY:
		return 1;
	case RL_LX_IRQ_ENTRY:
	case RL_LX_IRQ_EXIT:
	case RL_LX_SOFT_ENTRY:
	case RL_LX_SOFT_EXIT:
	case RL_LX_VEC_ENTRY:
	case RL_LX_VEC_EXIT:
		return fx_kv_int(p, e, num_key[kind], &r->num);
	default:
		r->kind = RL_LX_OTHER;
		return 1;
	}
}

/* Model @ev (header filled; c->q's last) of task @pid from its payload [@p, @e). */
static void fx_model(struct fx_cursor *c, struct rl_event *ev, int64_t pid, int kind, const char *p,
		     const char *e)
{
	struct rl_lx_rec r;

	memset(&r, 0, sizeof(r));
	r.cur = rl_lx_task(&c->lx, pid);
	r.has_cur = 1;
	if (!fx_payload(kind, p, e, &r)) {
		ev->task = r.cur;
		rl_trace_warn(c->t, RL_W_GARBAGE, c->src, ev->src_off,
			      "%s payload not understood; carried as an uninterpreted event",
			      rl_strtab_get(c->t->strs, ev->name));
		return;
	}
	c->nq += rl_lx_emit(&c->lx, &r, ev) - 1;
}

/*
 * Parse one line into c->q. Return: 1 event(s) queued, 0 not an event line
 * (header, blank), -1 a line that is not ftrace text, -2 out of memory, -3 an
 * implausible timestamp, -4 an implausible cpu number. (Over 100 lines: the
 * line's fields in order, each with its own way to be malformed.)
 */
static int fx_line(struct fx_cursor *c, const char *l, const char *e, size_t off)
{
	const char *p = l, *q, *dash, *name, *ne, *inst = NULL, *lfl = NULL;
	size_t instn = 0;
	int64_t pid;
	uint64_t cpu, raw, whole, frac = 0;
	int64_t ts;
	size_t k, fd = 0;
	struct fx_name *nm;
	char nbuf[192];
	struct rl_event *ev;

	while (e > l && (e[-1] == '\r' || e[-1] == ' '))
		e--;
	if (l == e || *l == '#')
		return 0;
	if (e - l >= 5 && !memcmp(l, "cpus=", 5))
		return 0;
	if (e - l >= 9 && !memcmp(l, "version =", 9))
		return 0;
	/* "CPU:1 [114 EVENTS DROPPED]", "CPU 1 is empty" */
	q = l;
	while (q < e && fx_isspace(*q))
		q++;
	if (e - q > 4 && !memcmp(q, "CPU", 3)) {
		if (memmem(q, (size_t)(e - q), "EVENTS DROPPED", 14)) {
			uint64_t n = 0, cp = 0;
			const char *b = memchr(q, '[', (size_t)(e - q));

			fx_uint(q + 4, e, &cp);
			/* held until the next event, whose time it takes (as trace.dat) */
			ev = &c->lost;
			fx_ev(c, ev, c->last_ts, 0, (uint32_t)cp, off, c->lost_name);
			ev->type = RL_EV_LOST;
			ev->arg = b && fx_uint(b + 1, e, &n) ? (int64_t)n : -1;
			c->have_lost = 1;
			rl_trace_warn(c->t, RL_W_LOST, c->src, off, "cpu %llu: %.*s",
				      (unsigned long long)cp, (int)(e - q), q);
			return 0;
		}
		if (memmem(q, (size_t)(e - q), "is empty", 8))
			return 0;
	}
	/* instance prefix "rtbuf:" at column 0 */
	if (!fx_isspace(*l)) {
		q = l;
		while (q < e && !fx_isspace(*q))
			q++;
		if (q > l + 1 && q[-1] == ':' && q < e && !memchr(l, '[', (size_t)(q - l))) {
			const char *r = q;

			while (r < e && fx_isspace(*r))
				r++;
			/* only if the rest is an event line: "... [ddd] " follows */
			if (memmem(r, (size_t)(e - r), "] ", 2) || c->latency) {
				inst = l;
				instn = (size_t)(q - l - 1);
				p = r;
			}
		}
	}
	if (c->latency) {
		/* comm is right-aligned in 8 columns: "  <idle>-0" */
		q = p;
		while (q < e && fx_isspace(*q))
			q++;
		if (q - p < 8 && e - p > 8 && p[8] == '-')
			q = p;
		p = q;
	}
	while (!c->latency && p < e && fx_isspace(*p))
		p++;
	if (!c->latency) {
		/* the cpu column " [ddd]" */
		const char *br = NULL;

		for (q = p; q + 2 < e; q++) {
			if (q[0] == ' ' && q[1] == '[' && fx_isdigit(q[2])) {
				const char *r = q + 2;

				while (r < e && fx_isdigit(*r))
					r++;
				if (r < e && *r == ']') {
					br = q;
					break;
				}
			}
		}
		/*
		 * `trace-cmd report -l`: "comm-pid  1d..2.  SECONDS: " (cpu digits +
		 * flags). Whichever column comes first wins: payloads hold "[prio]".
		 */
		{
			const char *lcol = NULL, *la = fx_report_l(p, e, &lcol);

			if (la && (!br || lcol < br)) {
				lfl = la;
				br = lcol;
			}
		}
		if (!br)
			return -1;
		q = br;
		while (q > p && fx_isspace(q[-1]))
			q--;
		/* "(  TGID)" or "(-------)" after comm-pid */
		if (q > p && q[-1] == ')') {
			const char *o = q - 1;

			while (o > p && *o != '(')
				o--;
			q = o;
			while (q > p && fx_isspace(q[-1]))
				q--;
		}
		dash = q;
		while (dash > p && dash[-1] != '-')
			dash--;
		if (dash <= p || !fx_int(dash, q, &pid))
			return -1;
		if (lfl) {
			fx_uint(br + 1, e, &cpu);
			p = lfl;
		} else {
			fx_uint(br + 2, e, &cpu);
			p = memchr(br, ']', (size_t)(e - br)) + 1;
		}
		while (p < e && fx_isspace(*p))
			p++;
		/* optional flags column: a token not made of the timestamp's digits */
		q = p;
		while (!lfl && q < e && !fx_isspace(*q))
			q++;
		if (!lfl && q < e && q > p && q[-1] != ':') {
			p = q;
			while (p < e && fx_isspace(*p))
				p++;
		}
		k = fx_uint(p, e, &whole);
		if (!k)
			return -1;
		p += k;
		raw = whole;
		if (p < e && *p == '.') {
			p++;
			fd = fx_uint(p, e, &frac);
			p += fd;
		}
		if (p >= e || *p != ':')
			return -1;
		p++;
		if (fd) {
			while (fd < 9) {
				frac *= 10;
				fd++;
			}
			while (fd > 9) {
				frac /= 10;
				fd--;
			}
			if (whole >= (uint64_t)INT64_MAX / 1000000000ull)
				return -3;
			ts = (int64_t)(whole * 1000000000ull + frac);
		} else {
			if (whole > (uint64_t)INT64_MAX)
				return -3;
			ts = (int64_t)whole;
		}
	} else {
		/* "comm8-pid  CPUFLAGS TIMEus[M]: " */
		if (e - p < 10 || p[8] != '-')
			return -1;
		q = p + 9;
		if (!fx_int(q, e, &pid))
			return -1;
		while (q < e && fx_isdigit(*q))
			q++;
		while (q < e && fx_isspace(*q))
			q++;
		k = fx_uint(q, e, &cpu);
		if (!k)
			return -1;
		q += k;
		while (q < e && !fx_isspace(*q))
			q++;
		while (q < e && fx_isspace(*q))
			q++;
		k = fx_uint(q, e, &whole);
		if (!k || q + k + 2 > e || memcmp(q + k, "us", 2))
			return -1;
		q += k + 2;
		while (q < e && *q != ':')
			q++;
		if (q >= e)
			return -1;
		p = q + 1;
		raw = whole;
		if (whole > (uint64_t)INT64_MAX / 1000)
			return -3;
		ts = (int64_t)(whole * 1000);
	}
	while (p < e && fx_isspace(*p))
		p++;
	name = fx_tracer_line(p, e);
	if (name) {
		/* the timerlat / hwlat / osnoise tracers' own lines carry no event name */
		ne = name + strlen(name);
	} else {
		name = p;
		while (p < e && *p != ':' && !fx_isspace(*p))
			p++;
		ne = p;
		if (ne == name || p >= e || *p != ':')
			return -1;
		p++;
		while (p < e && fx_isspace(*p))
			p++;
	}
	if (inst) {
		int n = snprintf(nbuf, sizeof(nbuf), "%.*s:%.*s", (int)instn, inst,
				 (int)(ne - name), name);

		nm = fx_name(c, nbuf, n < (int)sizeof(nbuf) ? (size_t)n : sizeof(nbuf) - 1);
	} else {
		nm = fx_name(c, name, (size_t)(ne - name));
	}
	if (!nm)
		return -2;
	if (cpu > FX_MAX_CPU)
		return -4;
	rl_trace_note_cpu(c->t, (uint32_t)cpu);
	if (c->have_lost) {
		/* the lost range: after the cpu's previous event, before this one */
		c->q[c->nq] = c->lost;
		c->q[c->nq].ts = ts;
		c->q[c->nq++].arg2 = fx_prev(c, (uint32_t)cpu, INT64_MIN);
		c->have_lost = 0;
	}
	if (!fx_prev(c, (uint32_t)cpu, ts))
		return -2;
	ev = &c->q[c->nq++];
	fx_ev(c, ev, ts, raw, (uint32_t)cpu, off, nm->id);
	c->last_ts = ts;
	/* instance events ("rtbuf:sched_switch") are carried, not modelled */
	fx_model(c, ev, pid, inst ? RL_LX_OTHER : nm->kind, p, e);
	return 1;
}

static int fx_next(struct rl_cursor *base, struct rl_event *ev, struct rl_err *err)
{
	struct fx_cursor *c = (struct fx_cursor *)base;

	for (;;) {
		const char *l, *nl;
		size_t off;
		int r;

		if (c->qpos < c->nq) {
			*ev = c->q[c->qpos++];
			if (!(ev->flags & RL_EVF_DERIVED))
				c->t->srcs[c->src].nrec++;
			return 1;
		}
		c->nq = c->qpos = 0;
		if (c->pos >= c->len) {
			if (!c->have_lost)
				return 0;
			c->have_lost = 0;
			c->q[c->nq++] = c->lost;
			continue;
		}
		off = c->pos;
		l = c->buf + c->pos;
		nl = memchr(l, '\n', c->len - c->pos);
		c->pos = nl ? (size_t)(nl - c->buf) + 1 : c->len;
		if (c->pos - c->dropped >= (4u << 20)) {
			rl_input_drop_before(c->in, off);
			c->dropped = off;
		}
		if (!nl) {
			/* a file cut inside a line: its end would parse as a wrong event */
			const char *q = l, *e = c->buf + c->len;

			while (q < e && (fx_isspace(*q) || *q == '\r'))
				q++;
			if (q < e && *q != '#') {
				c->nbad++;
				rl_trace_warn(c->t, RL_W_TRUNCATED, c->src, off,
					      "file ends inside a line (cut file?); its last %zu "
					      "bytes are not read",
					      (size_t)(e - l));
			}
			continue;
		}
		r = fx_line(c, l, nl, off);
		if (r == -2)
			return rl_err_set(err, -RL_E_NOMEM, c->t->srcs[c->src].path, off,
					  "out of memory");
		if (r == -3) {
			c->nbad++;
			rl_trace_warn(c->t, RL_W_GARBAGE, c->src, off,
				      "implausible timestamp (past 2^63 ns); line skipped");
		} else if (r == -4) {
			c->nbad++;
			rl_trace_warn(c->t, RL_W_GARBAGE, c->src, off,
				      "implausible cpu number (over %u); line skipped", FX_MAX_CPU);
		} else if (r < 0) {
			c->nbad++;
			rl_trace_warn(c->t, RL_W_GARBAGE, c->src, off,
				      "line is not an ftrace event line; skipped");
		}
	}
}

static void fx_close(struct rl_cursor *base)
{
	struct fx_cursor *c = (struct fx_cursor *)base;

	rl_lx_release(&c->lx);
	free(c->kinds);
	free(c->prev);
	free(c);
}

static const struct rl_cursor_ops fx_cursor_ops = {fx_next, fx_close};

/* Does the line at s look like an ftrace event line (" [ddd] " then "ddd.ddd: x:")? */
static int fx_looks_event(const char *s, const char *e)
{
	const char *b = memmem(s, (size_t)(e - s), "] ", 2), *q;

	if (!b || b - s < 4)
		return 0;
	for (q = b - 1; q > s && fx_isdigit(*q); q--)
		;
	if (*q != '[' || q == b - 1)
		return 0;
	return memmem(b, (size_t)(e - b), ": ", 2) != NULL;
}

static int fx_probe(const struct rl_input *in)
{
	const char *s = (const char *)in->buf, *e, *l;
	size_t n, i;
	int lines = 0, good = 0;

	if (in->is_dir || !in->len)
		return 0;
	n = in->len < 8192 ? in->len : 8192;
	for (i = 0; i < n; i++) {
		unsigned char ch = in->buf[i];

		if (ch < 0x09 || (ch > 0x0d && ch < 0x20 && ch != 0x1b))
			return 0;
	}
	if (n >= 9 && !memcmp(s, "# tracer:", 9))
		return 80;
	e = s + n;
	for (l = s; l < e && lines < 40;) {
		const char *nl = memchr(l, '\n', (size_t)(e - l));

		if (!nl)
			break;
		if (*l != '#') {
			lines++;
			good += fx_looks_event(l, nl);
		}
		l = nl + 1;
	}
	if (good >= 3 && good * 2 >= lines)
		return 60;
	if ((n >= 5 && !memcmp(s, "cpus=", 5)) || (n >= 10 && !memcmp(s, "version = ", 10)))
		return 50;
	return 0;
}

static int fx_open(struct rl_input *ins, size_t n, struct rl_trace *t,
		   const struct rl_read_opts *opts, struct rl_cursor ***out, size_t *nout,
		   struct rl_err *err)
{
	struct rl_cursor **curs = calloc(n ? n : 1, sizeof(*curs));
	size_t i;

	(void)opts;
	if (!curs)
		return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
	for (i = 0; i < n; i++) {
		struct fx_cursor *c = calloc(1, sizeof(*c));
		const char *s = (const char *)ins[i].buf;
		size_t m = ins[i].len < 4096 ? ins[i].len : 4096;

		if (!c) {
			while (i--)
				rl_cursor_close(curs[i]);
			free(curs);
			return rl_err_set(err, -RL_E_NOMEM, NULL, RL_OFF_NONE, "out of memory");
		}
		c->base.ops = &fx_cursor_ops;
		c->t = t;
		c->buf = s;
		c->len = ins[i].len;
		c->in = &ins[i];
		c->src = ins[i].src;
		rl_lx_init(&c->lx, t);
		c->latency = s && memmem(s, m, " latency trace v", 16) != NULL;
		c->lost_name = rl_strtab_intern(t->strs, "lost_events", 11);
		curs[i] = &c->base;
	}
	t->format = "ftrace-text";
	*out = curs;
	*nout = n;
	return 0;
}

const struct rl_reader_ops rl_reader_ftrace_text = {
	.name = "ftrace-text",
	.family = RL_FAM_LINUX,
	.desc = "ftrace text: tracefs trace (default or latency-format), trace-cmd report",
	.probe = fx_probe,
	.open = fx_open,
};
