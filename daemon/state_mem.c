/*
 * state_mem.c - feed state kept in memory, for as long as the process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

struct entry {
	char *name;
	struct feed_state st;
	struct entry *next;
};

struct state_store {
	struct entry *head;
};

int
state_open_memory(struct state_store **ret)
{
	struct state_store *store = calloc(1, sizeof(*store));

	if (store == NULL)
		return -ENOMEM;
	*ret = store;
	return 0;
}

void
state_close(struct state_store *store)
{
	struct entry *e, *next;

	if (store == NULL)
		return;
	for (e = store->head; e != NULL; e = next) {
		next = e->next;
		free(e->name);
		free(e->st.url);
		free(e->st.etag);
		free(e->st.last_modified);
		free(e->st.last_error);
		free(e);
	}
	free(store);
}

struct feed_state *
state_get(struct state_store *store, const char *name)
{
	struct entry *e;

	for (e = store->head; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			return &e->st;
	e = calloc(1, sizeof(*e));
	if (e == NULL || (e->name = strdup(name)) == NULL) {
		free(e);
		return NULL;
	}
	e->next = store->head;
	store->head = e;
	return &e->st;
}

int
state_commit(struct state_store *store, const char *name,
    const struct feed_state *st)
{
	return 0;
}

int
state_set_str(char **slot, const char *value)
{
	char *copy = NULL;

	if (value != NULL && (copy = strdup(value)) == NULL)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}
