/*
 * hash.c - SHA-256 of an article's normalized title and text.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>

#include "hash.h"

/* Feeds the digest s with white space folded and trimmed, in pieces. */
static int
update_folded(EVP_MD_CTX *md, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *run = NULL;
	bool pending_space = false, any = false;

	for (; *p != '\0'; p++) {
		size_t skip = 0;

		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v')
			skip = 1;
		else if (p[0] == 0xc2 && p[1] == 0xa0)
			skip = 2;
		if (skip == 0) {
			if (run == NULL) {
				if (pending_space && any &&
				    EVP_DigestUpdate(md, " ", 1) != 1)
					return -ENOMEM;
				pending_space = false;
				run = p;
			}
			any = true;
			continue;
		}
		if (run != NULL && EVP_DigestUpdate(md, run,
		    (size_t)(p - run)) != 1)
			return -ENOMEM;
		run = NULL;
		pending_space = true;
		p += skip - 1;
	}
	if (run != NULL && EVP_DigestUpdate(md, run, (size_t)(p - run)) != 1)
		return -ENOMEM;
	return 0;
}

int
content_hash(const char *title, const char *text, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	EVP_MD_CTX *md;
	int r = -ENOMEM;

	md = EVP_MD_CTX_new();
	if (md == NULL)
		return -ENOMEM;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, "v1\n", 3) != 1 ||
	    update_folded(md, title) < 0 ||
	    EVP_DigestUpdate(md, "\n\n", 2) != 1 ||
	    update_folded(md, text) < 0 ||
	    EVP_DigestFinal_ex(md, digest, &n) != 1 || n != 32)
		goto out;
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
	r = 0;
out:
	EVP_MD_CTX_free(md);
	return r;
}

int
sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return -ENOMEM;
	return 0;
}
