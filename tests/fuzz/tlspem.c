/* tests/fuzz/tlspem.c: libFuzzer target for tlsd's own parsing: the PEM
 * files (src/tlspem.h: objects, certificate chain, private key, trust
 * anchors, key-certificate match) and the control channel's outcome
 * records (src/tlsctl.h). The first byte chooses (modulo 5): 0 chain,
 * 1 key, 2 trust anchors, 3 a key and a chain separated by the first NUL
 * (then tlspem_match), 4 an outcome record. Checked on every input,
 * aborting on a violation:
 *  - chain: on success 1 to TLSPEM_MAXCERTS certificates, none empty,
 *    one after another exactly covering der; on failure a reason;
 *  - objects: every name is a NUL-terminated string, every object at
 *    most TLSPEM_MAXOBJ bytes;
 *  - key: on success an RSA or an EC key that BearSSL hands out;
 *  - anchors: on success every name and key lies inside the storage;
 *  - record: the parser's answer is -1, 0 or a length within the input
 *    ending with the NUL of an empty field; every prefix of a record
 *    needs more bytes (0); its fields, encoded again, give the same
 *    bytes, and tlsctl_get finds each.
 * Built and run by "make fuzz"; tests/unit/fuzz-corpus-replays.c replays
 * the corpus through the same checks. The keys in the corpus are
 * throwaway keys made for it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bearssl.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "tlsctl.h"
#include "tlspem.h"

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

#define CHECK(c) do { if (!(c)) abort() ; } while (0)

static int tp_object(char const *name, unsigned char const *der, size_t len, void *ctx, char const **why)
{
  (void)der ; (void)why ;
  CHECK(strlen(name) < 128) ;
  CHECK(len <= TLSPEM_MAXOBJ) ;
  (*(unsigned int *)ctx)++ ;
  return 1 ;
}

static void tp_chain(char const *s, size_t n)
{
  static struct tlspem_chain c ;
  char const *why = 0 ;
  int r = tlspem_chain(&c, s, n, &why) ;
  CHECK(r >= -1 && r <= 1) ;
  if (r == 0) { CHECK(why && why[0]) ; return ; }
  if (r < 0) return ;
  CHECK(c.n >= 1 && c.n <= TLSPEM_MAXCERTS) ;
  CHECK(c.off[0] == 0 && c.off[c.n] == c.der.len) ;
  for (size_t i = 0 ; i < c.n ; i++)
  {
    CHECK(c.off[i] < c.off[i + 1]) ;
    CHECK(c.certs[i].data == (unsigned char *)c.der.s + c.off[i]) ;
    CHECK(c.certs[i].data_len == c.off[i + 1] - c.off[i]) ;
  }
}

static void tp_key(char const *s, size_t n)
{
  static br_skey_decoder_context k ;
  char const *why = 0 ;
  int r = tlspem_key(&k, s, n, &why) ;
  if (r == 0) { CHECK(why && why[0]) ; return ; }
  if (r < 0) return ;
  switch (br_skey_decoder_key_type(&k))
  {
    case BR_KEYTYPE_RSA: CHECK(br_skey_decoder_get_rsa(&k)) ; break ;
    case BR_KEYTYPE_EC: CHECK(br_skey_decoder_get_ec(&k)) ; break ;
    default: CHECK(0) ;
  }
}

static int inside(stralloc const *st, unsigned char const *p, size_t len)
{
  return p >= (unsigned char const *)st->s && len <= st->len && p - (unsigned char const *)st->s <= (ptrdiff_t)(st->len - len) ;
}

static void tp_anchors(char const *s, size_t n)
{
  static genalloc ta = GENALLOC_ZERO ;
  static stralloc st = STRALLOC_ZERO ;
  unsigned int skipped = 0, objects = 0 ;
  char const *why = 0 ;
  int r = tlspem_anchors(&ta, &st, s, n, &skipped, &why) ;
  if (r == 0) { CHECK(why && why[0]) ; return ; }
  if (r < 0) return ;
  CHECK(tlspem_objects(s, n, &tp_object, &objects, &why) == 1) ;
  CHECK(genalloc_len(br_x509_trust_anchor, &ta) >= 1) ;
  CHECK(genalloc_len(br_x509_trust_anchor, &ta) + skipped <= objects) ;
  for (size_t i = 0 ; i < genalloc_len(br_x509_trust_anchor, &ta) ; i++)
  {
    br_x509_trust_anchor const *a = genalloc_s(br_x509_trust_anchor, &ta) + i ;
    CHECK(inside(&st, a->dn.data, a->dn.len)) ;
    if (a->pkey.key_type == BR_KEYTYPE_RSA)
      CHECK(inside(&st, a->pkey.key.rsa.n, a->pkey.key.rsa.nlen) && inside(&st, a->pkey.key.rsa.e, a->pkey.key.rsa.elen)) ;
    else
      CHECK(a->pkey.key_type == BR_KEYTYPE_EC && inside(&st, a->pkey.key.ec.q, a->pkey.key.ec.qlen)) ;
  }
}

static void tp_match(char const *s, size_t n)
{
  static br_skey_decoder_context k ;
  static struct tlspem_chain c ;
  char const *why = 0 ;
  char const *nul = memchr(s, 0, n) ;
  size_t kn = nul ? (size_t)(nul - s) : n ;
  if (tlspem_key(&k, s, kn, &why) != 1) return ;
  if (!nul || tlspem_chain(&c, nul + 1, n - kn - 1, &why) != 1) return ;
  why = 0 ;
  if (!tlspem_match(&c, &k, &why)) CHECK(why && why[0]) ;
}

static void tp_record(char const *s, size_t n)
{
  static stralloc again = STRALLOC_ZERO ;
  ssize_t r = tlsctl_parse(s, n) ;
  unsigned int objects = 0 ;
  (void)objects ;
  CHECK(r >= -1 && r <= (ssize_t)n) ;
  if (r <= 0) return ;
  CHECK(r <= TLSCTL_MAX && !s[r - 1] && (s[0] == 'Y' || s[0] == 'N')) ;
  for (ssize_t i = 0 ; i < r ; i++) CHECK(tlsctl_parse(s, (size_t)i) == 0) ;
  CHECK(tlsctl_begin(&again, s[0])) ;
  for (size_t i = 1 ; i < (size_t)r && s[i] ; i += strlen(s + i) + 1)
  {
    char name[TLSCTL_MAX] ;
    char const *eq = strchr(s + i, '=') ;
    char const *v ;
    CHECK(eq && eq > s + i) ;
    memcpy(name, s + i, (size_t)(eq - (s + i))) ;
    name[eq - (s + i)] = 0 ;
    CHECK(tlsctl_field(&again, name, eq + 1)) ;
    v = tlsctl_get(s, (size_t)r, name) ;
    CHECK(v && v <= eq + 1) ;   /* the first field of that name */
  }
  CHECK(tlsctl_end(&again)) ;
  CHECK(again.len == (size_t)r && !memcmp(again.s, s, again.len)) ;
}

int FUZZ_ENTRY(uint8_t const *data, size_t size)
{
  char const *s = (char const *)data + 1 ;
  if (!size) return 0 ;
  switch (data[0] % 5)
  {
    case 0: tp_chain(s, size - 1) ; break ;
    case 1: tp_key(s, size - 1) ; break ;
    case 2: tp_anchors(s, size - 1) ; break ;
    case 3: tp_match(s, size - 1) ; break ;
    case 4: tp_record(s, size - 1) ; break ;
  }
  return 0 ;
}
