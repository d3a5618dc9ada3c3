/*
 * hash.c - SHA-256 of an article's normalized title and text.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/evp.h>

#include "bytescan.h"
#include "hash.h"

/*
 * The text as it is hashed goes through a buffer, so that the digest is
 * fed in blocks rather than a call per word (the calls cost as much as
 * the hashing did).
 */
struct folded {
	EVP_MD_CTX *md;
	size_t len;
	unsigned char buf[4096];
};

static int
fold_put(struct folded *f, const unsigned char *s, size_t len)
{
	if (f->len + len > sizeof(f->buf)) {
		if (EVP_DigestUpdate(f->md, f->buf, f->len) != 1)
			return -ENOMEM;
		f->len = 0;
		if (len > sizeof(f->buf))
			return EVP_DigestUpdate(f->md, s, len) == 1 ? 0 :
			    -ENOMEM;
	}
	memcpy(f->buf + f->len, s, len);
	f->len += len;
	return 0;
}

static int
fold_flush(struct folded *f)
{
	int r = f->len > 0 && EVP_DigestUpdate(f->md, f->buf, f->len) != 1 ?
	    -ENOMEM : 0;

	f->len = 0;
	return r;
}

/* What a byte is to the folding: most are text and end nothing. */
enum { F_TEXT, F_SPACE, F_C2, F_END };

static const unsigned char fold_class[256] = {
	['\0'] = F_END,
	[' '] = F_SPACE, ['\t'] = F_SPACE, ['\n'] = F_SPACE, ['\r'] = F_SPACE,
	['\f'] = F_SPACE, ['\v'] = F_SPACE,
	[0xc2] = F_C2,		/* U+00A0 is C2 A0 */
};

/*
 * True when the eight bytes at p go into a run as they are: no control
 * character, no C2 lead byte, no two spaces side by side, no space last
 * (the byte after may be white space) and none first unless the run has
 * begun (in_run).  A yes is exact.  A no may be wrong ("has a zero byte"
 * also flags a byte just above a real one): those bytes then go the slow
 * way, which decides exactly.
 */
static inline bool
plain8(const unsigned char *p, bool in_run)
{
	uint64_t w = bytescan_load(p), sp = w ^ (BYTESCAN_ONES * ' ');
	uint64_t spaces = (sp - BYTESCAN_ONES) & ~sp & BYTESCAN_HIGHS;

	if (bytescan_below(w, 0x20) | bytescan_has(w, 0xc2) |
	    (spaces & (spaces >> 8)))
		return false;
	return p[7] != ' ' && (in_run || p[0] != ' ');
}

/*
 * Feeds s with white space folded and trimmed: each run of text goes in
 * whole, with one space before it when white space separates it from the
 * text before.  A run may hold single spaces between words.
 */
static int
update_folded(struct folded *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run;
	const unsigned char *end = p + strlen((const char *)p);
	bool pending_space = false, any = false;

	for (run = p;;) {
		/* A single space between words stays in the run: it is what
		 * the folding would put there. */
		for (;;) {
			while (end - p >= 8 && plain8(p, p > run))
				p += 8;
			if (fold_class[*p] != F_TEXT && (*p != ' ' ||
			    p == run || fold_class[p[1]] != F_TEXT))
				break;
			p++;
		}
		if (*p == 0xc2 && p[1] != 0xa0) {
			p++;		/* another character: the run goes on */
			continue;
		}
		if (p > run) {
			if (pending_space && any &&
			    fold_put(f, (const unsigned char *)" ", 1) < 0)
				return -ENOMEM;
			if (fold_put(f, run, (size_t)(p - run)) < 0)
				return -ENOMEM;
			any = true;
			pending_space = false;
		}
		if (*p == '\0')
			return 0;
		pending_space = true;
		p += *p == 0xc2 ? 2 : 1;
		run = p;
	}
}

int
content_hash(const char *title, const char *text, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	struct folded f;
	EVP_MD_CTX *md;
	int r = -ENOMEM;

	md = EVP_MD_CTX_new();
	if (md == NULL)
		return -ENOMEM;
	f.md = md;
	f.len = 0;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    fold_put(&f, (const unsigned char *)"v1\n", 3) < 0 ||
	    update_folded(&f, title) < 0 ||
	    fold_put(&f, (const unsigned char *)"\n\n", 2) < 0 ||
	    update_folded(&f, text) < 0 || fold_flush(&f) < 0 ||
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
