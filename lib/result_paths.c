/* SPDX-License-Identifier: ISC */
/*
 * A result's equal-cost paths (several flows measured): their memory,
 * their JSON form and their part of the status line.
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "text.h"
#include "multipath.h"
#include "result.h"

int
result_set_paths(struct result *r, const struct result_path *paths,
    unsigned n)
{
	struct result_path	*copy = NULL;

	if (n > RESULT_MAXPATHS)
		n = RESULT_MAXPATHS;
	if (paths != NULL) {
		if ((copy = calloc(n > 0 ? n : 1, sizeof(*copy))) == NULL)
			return -1;
		memcpy(copy, paths, n * sizeof(*copy));
	}
	free(r->paths);
	r->paths = copy;
	r->npaths = copy != NULL ? n : 0;
	return 0;
}

/* Only the fields that apply: 0 is never a port, id or label we use. */
static json_t *
flow_json(const struct result_path *p)
{
	json_t	*o;
	int	 failed = 0;

	if ((o = json_object()) == NULL)
		return NULL;
	if (p->sport != 0)
		failed |= json_object_set_new(o, "sport",
		    json_integer(p->sport));
	if (p->dport != 0)
		failed |= json_object_set_new(o, "dport",
		    json_integer(p->dport));
	if (p->echo_id != 0)
		failed |= json_object_set_new(o, "id",
		    json_integer(p->echo_id));
	if (p->label != 0)
		failed |= json_object_set_new(o, "label",
		    json_integer(p->label));
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
path_hops_json(const struct result_path *p)
{
	json_t		*a;
	unsigned	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < p->nhops && i < RESULT_PATHHOPS; i++)
		if (json_array_append_new(a, result_addr_json(&p->hops[i])) ==
		    -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
path_json(const struct result_path *p)
{
	return json_pack("{s:o,s:o,s:s,s:o,s:o,s:I}",
	    "flow", flow_json(p),
	    "pmtu", p->pmtu > 0 ? json_integer(p->pmtu) : json_null(),
	    "state", p->blackhole ? "blackhole" : "ok",
	    "blackhole_hop", p->blackhole && p->bh_hop >= 0 ?
	    json_integer(p->bh_hop) : json_null(),
	    "hops", path_hops_json(p),
	    "flows", (json_int_t)p->flows);
}

int
result_paths_to_json(const struct result *r, json_t *o)
{
	json_t		*a;
	unsigned	 i;

	if (r->paths == NULL)
		return json_object_set_new(o, "paths", json_null()) |
		    json_object_set_new(o, "flows_tried", json_null()) |
		    json_object_set_new(o, "confident", json_null());
	if ((a = json_array()) == NULL)
		return -1;
	for (i = 0; i < r->npaths; i++)
		if (json_array_append_new(a, path_json(&r->paths[i])) == -1) {
			json_decref(a);
			return -1;
		}
	return json_object_set_new(o, "paths", a) |
	    json_object_set_new(o, "flows_tried",
	    json_integer(r->flows_tried)) |
	    json_object_set_new(o, "confident", json_boolean(r->confident));
}

/* An optional unsigned member of o: absent leaves *out 0. */
static int
get_member(const json_t *o, const char *key, json_int_t max, unsigned *out)
{
	json_t	*v;

	*out = 0;
	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > max)
		return -1;
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int
get_flow(const json_t *o, struct result_path *p)
{
	unsigned	 sport, dport, id, label;

	if (!json_is_object(o) ||
	    get_member(o, "sport", 65535, &sport) == -1 ||
	    get_member(o, "dport", 65535, &dport) == -1 ||
	    get_member(o, "id", 65535, &id) == -1 ||
	    get_member(o, "label", 0xfffff, &label) == -1)
		return -1;
	p->sport = sport;
	p->dport = dport;
	p->echo_id = id;
	p->label = label;
	return 0;
}

static int
get_path_hops(const json_t *a, int family, struct result_path *p)
{
	json_t	*v;
	size_t	 i;

	if (!json_is_array(a) || json_array_size(a) > RESULT_PATHHOPS)
		return -1;
	json_array_foreach(a, i, v) {
		if (json_is_null(v))
			continue;
		if (!json_is_string(v) ||
		    addr_parse(&p->hops[i], json_string_value(v)) == -1 ||
		    p->hops[i].family != family)
			return -1;
	}
	p->nhops = json_array_size(a);
	return 0;
}

static int
get_path(const json_t *o, int family, struct result_path *p)
{
	const char	*state;
	json_t		*v;

	memset(p, 0, sizeof(*p));
	p->pmtu = -1;
	p->bh_hop = -1;
	if (!json_is_object(o) ||
	    get_flow(json_object_get(o, "flow"), p) == -1 ||
	    get_path_hops(json_object_get(o, "hops"), family, p) == -1 ||
	    get_member(o, "flows", FLOW_MAX, &p->flows) == -1)
		return -1;
	if ((v = json_object_get(o, "pmtu")) == NULL ||
	    (!json_is_null(v) && (!json_is_integer(v) ||
	    json_integer_value(v) < 1 || json_integer_value(v) > 65535)))
		return -1;
	if (!json_is_null(v))
		p->pmtu = (int)json_integer_value(v);
	if ((state = json_string_value(json_object_get(o, "state"))) == NULL)
		return -1;
	if (strcmp(state, "blackhole") == 0)
		p->blackhole = 1;
	else if (strcmp(state, "ok") != 0)
		return -1;
	if ((v = json_object_get(o, "blackhole_hop")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 255)
			return -1;
		p->bh_hop = (int)json_integer_value(v);
	}
	return 0;
}

int
result_paths_from_json(const json_t *o, struct result *r, char *err,
    size_t errlen)
{
	struct result_path	 paths[RESULT_MAXPATHS];
	unsigned		 tried;
	json_t			*a, *v;
	size_t			 i, n;

	a = json_object_get(o, "paths");
	if (a == NULL || json_is_null(a))
		return 0;	/* one flow, or saved before paths existed */
	if (!json_is_array(a))
		return text_error(err, errlen,
		    "\"paths\" must be an array or null");
	if ((n = json_array_size(a)) > RESULT_MAXPATHS)
		return text_error(err, errlen, "\"paths\" has %zu entries, "
		    "more than %d", n, RESULT_MAXPATHS);
	for (i = 0; i < n; i++)
		if (get_path(json_array_get(a, i), r->family, &paths[i]) == -1)
			return text_error(err, errlen,
			    "\"paths\" entry %zu is not a valid path", i + 1);
	if (get_member(o, "flows_tried", FLOW_MAX, &tried) == -1)
		return text_error(err, errlen,
		    "\"flows_tried\" must be 1 to %d", FLOW_MAX);
	v = json_object_get(o, "confident");
	if (v != NULL && !json_is_boolean(v))
		return text_error(err, errlen,
		    "\"confident\" must be true or false");
	if (result_set_paths(r, paths, (unsigned)n) == -1)
		return text_error(err, errlen, "out of memory");
	r->flows_tried = tried;
	r->confident = json_is_true(v);
	return 0;
}

int
result_paths_part(const struct result *r)
{
	const struct result_path	*a, *b;
	unsigned			 i, j;
	int				 t, first = -1;

	for (i = 0; i < r->npaths; i++)
		for (j = i + 1; j < r->npaths; j++) {
			a = &r->paths[i];
			b = &r->paths[j];
			t = multipath_hops_part(a->hops, a->nhops, b->hops,
			    b->nhops);
			if (t >= 0 && (first < 0 || t < first))
				first = t;
		}
	return first;
}

void
result_paths_format(const struct result *r, char *buf, size_t len,
    size_t *off)
{
	const struct result_path	*p;
	char				 abuf[ADDR_STRLEN];
	unsigned			 i;
	int				 t;

	t = result_paths_part(r);
	text_append(buf, len, off, " (%u paths:", r->npaths);
	for (i = 0; i < r->npaths; i++) {
		p = &r->paths[i];
		text_append(buf, len, off, "%s ", i > 0 ? "," : "");
		if (p->pmtu > 0)
			text_append(buf, len, off, "%d", p->pmtu);
		else
			text_append(buf, len, off, "-");
		/* Where it parts from the others tells the paths apart. */
		if (t >= 0 && (unsigned)t < p->nhops &&
		    addr_isset(&p->hops[t]))
			text_append(buf, len, off, " via %s",
			    addr_ntop(&p->hops[t], abuf, sizeof(abuf)));
		if (p->blackhole)
			text_append(buf, len, off, " black hole");
	}
	text_append(buf, len, off, ")");
}
