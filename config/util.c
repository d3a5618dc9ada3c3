/*
 * util.c - a string map and path joining, for the loader.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

static uint64_t
strmap_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/*
 * Adds key -> val unless key is there.  Returns 0 when added, 1 when the
 * key was there (*ret_val is its value), or -ENOMEM.
 */
int
cfg_strmap_add(struct strmap *m, const char *key, size_t val, size_t *ret_val)
{
	struct slot *slots;
	size_t cap, i, j;

	if ((m->n + 1) * 2 > m->cap) {
		cap = m->cap != 0 ? m->cap * 2 : 64;
		slots = calloc(cap, sizeof(*slots));
		if (slots == NULL)
			return -ENOMEM;
		for (i = 0; i < m->cap; i++) {
			if (m->slots[i].key == NULL)
				continue;
			j = strmap_hash(m->slots[i].key) & (cap - 1);
			while (slots[j].key != NULL)
				j = (j + 1) & (cap - 1);
			slots[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	i = strmap_hash(key) & (m->cap - 1);
	while (m->slots[i].key != NULL) {
		if (strcmp(m->slots[i].key, key) == 0) {
			*ret_val = m->slots[i].val;
			return 1;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->slots[i].key = key;
	m->slots[i].val = val;
	m->n++;
	return 0;
}

/*
 * dir + "/" + name, or name when it is absolute, with "//" and "."
 * components removed and no trailing slash.  ".." stays: with symbolic
 * links it cannot be resolved by looking at the name.  Returns 0 or
 * -ENOMEM.
 */
int
cfg_path_join(const char *dir, const char *name, char **ret)
{
	size_t dlen, nlen, i, o;
	char *tmp;

	dlen = name[0] == '/' || dir[0] == '\0' ? 0 : strlen(dir);
	nlen = strlen(name);
	tmp = malloc(dlen + nlen + 2);
	if (tmp == NULL)
		return -ENOMEM;
	memcpy(tmp, dir, dlen);
	tmp[dlen] = '/';
	memcpy(tmp + dlen + 1, name, nlen + 1);

	/* Copy tmp onto itself, skipping empty and "." components. */
	i = dlen > 0 ? 0 : 1;
	o = 0;
	if (tmp[i] == '/' || (dlen > 0 && tmp[0] == '/'))
		tmp[o++] = '/';
	while (tmp[i] != '\0') {
		size_t len;

		while (tmp[i] == '/')
			i++;
		len = strcspn(tmp + i, "/");
		if (len == 0)
			break;
		if (!(len == 1 && tmp[i] == '.')) {
			if (o > 0 && tmp[o - 1] != '/')
				tmp[o++] = '/';
			memmove(tmp + o, tmp + i, len);
			o += len;
		}
		i += len;
	}
	if (o == 0)
		tmp[o++] = '.';
	tmp[o] = '\0';
	*ret = tmp;
	return 0;
}
