/*
 * readers/feather-trace.h - the Feather-Trace reader's extra entry point.
 *
 * The record format itself (layouts, decoding, event names) lives in
 * model/feather-trace.h so that analyses can use it too.
 */
#ifndef RL_READERS_FEATHER_TRACE_H
#define RL_READERS_FEATHER_TRACE_H

#include "readers.h"
#include "../model/feather-trace.h"

int rl_ft_file_init(struct rl_ft_file *f, const struct rl_input *in, const struct rl_ft_opts *o,
		    struct rl_err *err);

#endif /* RL_READERS_FEATHER_TRACE_H */
