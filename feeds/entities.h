/*
 * entities.h - the named character references feeds use: HTML 4's and
 * the common HTML5 ones.
 */
#ifndef FEEDSPOOL_ENTITIES_H
#define FEEDSPOOL_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

/* The longest name html_entity_char() knows. */
#define HTML_ENTITY_NAME_MAX 16

/*
 * The code point of the entity named name[0..n) (no '&', no ';'; case
 * matters, as in HTML), or 0 when there is none of that name.
 */
uint32_t html_entity_char(const char *name, size_t n);

#endif
