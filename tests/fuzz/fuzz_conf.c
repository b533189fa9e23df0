/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes the configuration parser.  A parsed configuration must hold
 * only what pmtud.conf(5) allows: every setting within its documented
 * range, every destination named; a failed parse must name the file and
 * leave the defaults untouched (conf.h).
 */
#include <sys/socket.h>

#include <string.h>

#include "conf.h"

#include "fuzz.h"

#define SEC	1000ULL
#define HOUR	(3600 * SEC)
#define DAY	(24 * HOUR)

/* A char array field holds a terminated string. */
#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

static void
check_dest(const struct conf_dest *d)
{
	FUZZ_ASSERT(TERMINATED(d->name));
	FUZZ_ASSERT(d->name[0] != '\0');
	FUZZ_ASSERT(strpbrk(d->name, " \t#") == NULL);
	FUZZ_ASSERT(d->family == 0 || d->family == AF_INET ||
	    d->family == AF_INET6);
	FUZZ_ASSERT(d->method >= METHOD_AUTO &&
	    d->method <= METHOD_TCP);
	FUZZ_ASSERT(d->interval_ms == 0 ||
	    (d->interval_ms >= SEC && d->interval_ms <= 30 * DAY));
	FUZZ_ASSERT(d->port <= 65535);
	FUZZ_ASSERT(d->port == 0 || d->method == METHOD_TCP);
	FUZZ_ASSERT(d->walk == 0 || d->walk == 1);
	FUZZ_ASSERT(d->line >= 1);
}

static void
check_conf(const struct conf *c)
{
	size_t	i;

	FUZZ_ASSERT(TERMINATED(c->socket) && c->socket[0] == '/');
	FUZZ_ASSERT(TERMINATED(c->state) && c->state[0] == '/');
	FUZZ_ASSERT(TERMINATED(c->socket_group));
	FUZZ_ASSERT(TERMINATED(c->alert_command));
	FUZZ_ASSERT(TERMINATED(c->metrics_listen));
	FUZZ_ASSERT(c->metrics_listen[0] == '\0' ||
	    strchr(c->metrics_listen, ':') != NULL);
	FUZZ_ASSERT(c->interval_ms >= SEC && c->interval_ms <= 30 * DAY);
	FUZZ_ASSERT(c->max_pps >= 1 && c->max_pps <= 100000);
	FUZZ_ASSERT(c->alert_timeout_ms >= SEC && c->alert_timeout_ms <= HOUR);
	FUZZ_ASSERT((c->dests == NULL) == (c->ndests == 0));
	for (i = 0; i < c->ndests; i++) {
		check_dest(&c->dests[i]);
		/* Lines only grow: destinations are kept in file order. */
		if (i > 0)
			FUZZ_ASSERT(c->dests[i].line > c->dests[i - 1].line);
	}
}

/* A failed parse leaves exactly what conf_init() makes. */
static void
check_untouched(const struct conf *c)
{
	struct conf	init;

	conf_init(&init);
	FUZZ_ASSERT(c->dests == NULL && c->ndests == 0);
	FUZZ_ASSERT(memcmp(c, &init, sizeof(init)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 c;
	char		 err[512];

	conf_init(&c);
	err[0] = '\0';
	if (conf_parse((const char *)data, size, "fuzz", &c, err,
	    sizeof(err)) == 0)
		check_conf(&c);
	else {
		FUZZ_ASSERT(strncmp(err, "fuzz:", 5) == 0);
		FUZZ_ASSERT(TERMINATED(err));
		check_untouched(&c);
	}
	conf_clear(&c);
	FUZZ_ASSERT(c.dests == NULL && c.ndests == 0);
	return (0);
}
