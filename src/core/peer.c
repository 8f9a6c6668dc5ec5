/* SPDX-License-Identifier: GPL-3.0-or-later */
/* peer.c - names of the peer interface's values */
#include <config.h>

#include "core/peer.h"

static const char *const input_names[] = {
	[PEER_IN_COMMAND] = "command",
	[PEER_IN_MESSAGE] = "message",
	[PEER_IN_CHUNK] = "chunk",
	[PEER_IN_AUTH] = "auth",
	[PEER_IN_REPLY] = "reply",
	[PEER_IN_REPLY_MORE] = "reply (continued)",
	[PEER_IN_GROUP] = "group",
	[PEER_IN_ANSWER] = "answer",
	[PEER_IN_STEP] = "step",
	[PEER_IN_CLOSED] = "closed",
};
_Static_assert(sizeof input_names / sizeof input_names[0] == PEER_IN_LAST,
    "one name per input");

const char *peer_input_str(enum peer_input in)
{
	return (unsigned)in < PEER_IN_LAST ? input_names[in] : "?";
}

int peer_fd(const struct peer *p)
{
	return p->ops->fd ? p->ops->fd(p) : -1;
}

int peer_timeout(const struct peer *p)
{
	return p->ops->timeout ? p->ops->timeout(p) : -1;
}

void peer_process(struct peer *p)
{
	if (p->ops->process)
		p->ops->process(p);
}

void peer_wait(struct peer *p)
{
	if (p->ops->wait)
		p->ops->wait(p);
}

int peer_cancel(struct peer *p)
{
	return p->ops->cancel ? p->ops->cancel(p) : 0;
}

int peer_done(const struct peer *p)
{
	return p->ops->done ? p->ops->done(p) : 0;
}

unsigned peer_caps(const struct peer *p)
{
	return p->ops->caps ? p->ops->caps(p) : 0;
}

enum peer_wait peer_waiting(const struct peer *p, char *what, size_t size)
{
	if (size)
		what[0] = 0;
	return p->ops->waiting ? p->ops->waiting(p, what, size) : PEER_WAIT_NONE;
}

int peer_exit_status(const struct peer *p)
{
	return p->ops->exit_status ? p->ops->exit_status(p) : 0;
}

void peer_free(struct peer *p)
{
	if (p)
		p->ops->free(p);
}
