/* tlspem.c: tlsd's PEM files: objects, chain, key, trust anchors. */
#include <errno.h>
#include <string.h>
#include <bearssl.h>
#include "tlspem.h"

struct obj {
  stralloc der ;
  int toobig ;
} ;

static void append(void *ctx, void const *data, size_t len)
{
  struct obj *o = ctx ;
  if (o->toobig) return ;
  if (len > TLSPEM_MAXOBJ - o->der.len) { o->toobig = 1 ; return ; }
  if (!stralloc_catb(&o->der, data, len)) o->toobig = -1 ;
}

int tlspem_objects(char const *pem, size_t len, int (*f)(char const *, unsigned char const *, size_t, void *, char const **), void *ctx, char const **why)
{
  br_pem_decoder_context pc ;
  struct obj o = { STRALLOC_ZERO, 0 } ;
  char name[128] ;
  int inobj = 0, n = 0, r = 0, last = 0 ;
  if (len > TLSPEM_MAXFILE) { *why = "file too large" ; return 0 ; }
  br_pem_decoder_init(&pc) ;
  /* BearSSL needs the END line to end with a newline: one is pushed
   * after the text */
  while (!last)
  {
    size_t k ;
    if (len) { k = br_pem_decoder_push(&pc, pem, len) ; pem += k ; len -= k ; }
    else { br_pem_decoder_push(&pc, "\n", 1) ; last = 1 ; }
    switch (br_pem_decoder_event(&pc))
    {
      case BR_PEM_BEGIN_OBJ:
      {
        char const *nm = br_pem_decoder_name(&pc) ;
        size_t nl = strlen(nm) ;
        if (nl >= sizeof name) nl = sizeof name - 1 ;
        memcpy(name, nm, nl) ; name[nl] = 0 ;
        o.der.len = 0 ; o.toobig = 0 ;
        br_pem_decoder_setdest(&pc, &append, &o) ;
        inobj = 1 ;
        break ;
      }
      case BR_PEM_END_OBJ:
        inobj = 0 ;
        if (o.toobig < 0) { r = -1 ; goto end ; }
        if (o.toobig) { *why = "an object is too large" ; goto end ; }
        n++ ;
        r = (*f)(name, (unsigned char const *)o.der.s, o.der.len, ctx, why) ;
        if (r <= 0) goto end ;
        r = 0 ;
        break ;
      case BR_PEM_ERROR:
        *why = "malformed PEM" ;
        goto end ;
      default: break ;
    }
  }
  if (inobj) { *why = "truncated PEM object" ; goto end ; }
  if (!n) { *why = "no PEM object" ; goto end ; }
  r = 1 ;
 end:
  stralloc_free(&o.der) ;
  return r ;
}

static int addcert(char const *name, unsigned char const *der, size_t len, void *ctx, char const **why)
{
  struct tlspem_chain *c = ctx ;
  if (strcmp(name, "CERTIFICATE") && strcmp(name, "X509 CERTIFICATE")) return 1 ;
  if (c->n >= TLSPEM_MAXCERTS) { *why = "too many certificates" ; return 0 ; }
  if (!len) { *why = "an empty certificate" ; return 0 ; }
  if (!stralloc_catb(&c->der, (char const *)der, len)) return -1 ;
  c->off[++c->n] = c->der.len ;
  return 1 ;
}

int tlspem_chain(struct tlspem_chain *c, char const *pem, size_t len, char const **why)
{
  int r ;
  c->der.len = 0 ;
  c->n = 0 ;
  c->off[0] = 0 ;
  r = tlspem_objects(pem, len, &addcert, c, why) ;
  if (r <= 0) return r ;
  if (!c->n) { *why = "no CERTIFICATE in the file" ; return 0 ; }
  for (size_t i = 0 ; i < c->n ; i++)
  {
    c->certs[i].data = (unsigned char *)c->der.s + c->off[i] ;
    c->certs[i].data_len = c->off[i + 1] - c->off[i] ;
  }
  return 1 ;
}

struct keyctx {
  br_skey_decoder_context *dc ;
  int n ;
} ;

static int addkey(char const *name, unsigned char const *der, size_t len, void *ctx, char const **why)
{
  struct keyctx *k = ctx ;
  if (strcmp(name, "RSA PRIVATE KEY") && strcmp(name, "EC PRIVATE KEY") && strcmp(name, "PRIVATE KEY")) return 1 ;
  if (k->n++) { *why = "more than one private key" ; return 0 ; }
  br_skey_decoder_init(k->dc) ;
  br_skey_decoder_push(k->dc, der, len) ;
  if (br_skey_decoder_last_error(k->dc)) { *why = "the private key does not decode (RSA or EC, PKCS#1, SEC 1 or unencrypted PKCS#8)" ; return 0 ; }
  return 1 ;
}

int tlspem_key(br_skey_decoder_context *dc, char const *pem, size_t len, char const **why)
{
  struct keyctx k = { dc, 0 } ;
  int r = tlspem_objects(pem, len, &addkey, &k, why) ;
  if (r <= 0) return r ;
  if (!k.n) { *why = "no PRIVATE KEY in the file" ; return 0 ; }
  return 1 ;
}

static void nodn(void *ctx, void const *buf, size_t len)
{
  (void)ctx ; (void)buf ; (void)len ;
}

int tlspem_match(struct tlspem_chain const *c, br_skey_decoder_context const *dc, char const **why)
{
  br_x509_decoder_context xc ;
  br_x509_pkey const *pk ;
  if (!c->n) { *why = "no certificate" ; return 0 ; }
  br_x509_decoder_init(&xc, &nodn, 0) ;
  br_x509_decoder_push(&xc, c->certs[0].data, c->certs[0].data_len) ;
  pk = br_x509_decoder_get_pkey(&xc) ;
  if (!pk) { *why = "the first certificate does not decode" ; return 0 ; }
  switch (br_skey_decoder_key_type(dc))
  {
    case BR_KEYTYPE_RSA:
    {
      br_rsa_private_key const *sk = br_skey_decoder_get_rsa(dc) ;
      unsigned char n[TLSPEM_MAXRSA / 8] ;
      br_rsa_compute_modulus mod = br_rsa_compute_modulus_get_default() ;
      size_t nlen, plen ;
      unsigned char const *p ;
      if (pk->key_type != BR_KEYTYPE_RSA) { *why = "the key is RSA, the certificate's key is not" ; return 0 ; }
      if (sk->n_bitlen > TLSPEM_MAXRSA) { *why = "the RSA key is too large" ; return 0 ; }
      nlen = mod(0, sk) ;
      if (!nlen || nlen > sizeof n || mod(n, sk) != nlen) { *why = "the RSA key is malformed" ; return 0 ; }
      p = pk->key.rsa.n ; plen = pk->key.rsa.nlen ;
      while (plen && !*p) { p++ ; plen-- ; }
      {
        unsigned char const *q = n ;
        size_t qlen = nlen ;
        while (qlen && !*q) { q++ ; qlen-- ; }
        if (plen != qlen || memcmp(p, q, plen)) { *why = "the private key does not belong to the first certificate" ; return 0 ; }
      }
      return 1 ;
    }
    case BR_KEYTYPE_EC:
    {
      br_ec_private_key const *sk = br_skey_decoder_get_ec(dc) ;
      unsigned char q[BR_EC_KBUF_PUB_MAX_SIZE] ;
      br_ec_public_key pub ;
      if (pk->key_type != BR_KEYTYPE_EC) { *why = "the key is EC, the certificate's key is not" ; return 0 ; }
      if (!br_ec_compute_pub(br_ec_get_default(), &pub, q, sk)) { *why = "the EC key's curve is not supported" ; return 0 ; }
      if (pub.curve != pk->key.ec.curve || pub.qlen != pk->key.ec.qlen || memcmp(pub.q, pk->key.ec.q, pub.qlen))
      { *why = "the private key does not belong to the first certificate" ; return 0 ; }
      return 1 ;
    }
    default:
      *why = "the private key is neither RSA nor EC" ;
      return 0 ;
  }
}

/* Anchors are built with offsets into storage, which may move while it
 * grows; the pointers are set once at the end. */
struct ta {
  size_t dn, dnlen ;
  unsigned flags ;
  unsigned char type ;
  int curve ;
  size_t a, alen, b, blen ;   /* RSA n, e; EC q, - */
} ;

struct anchorctx {
  genalloc tas ;              /* struct ta */
  stralloc *st ;
  unsigned int skipped ;
  int nomem ;
} ;

static void dnappend(void *ctx, void const *buf, size_t len)
{
  struct anchorctx *a = ctx ;
  if (!a->nomem && !stralloc_catb(a->st, buf, len)) a->nomem = 1 ;
}

static int addanchor(char const *name, unsigned char const *der, size_t len, void *ctx, char const **why)
{
  struct anchorctx *a = ctx ;
  br_x509_decoder_context xc ;
  br_x509_pkey const *pk ;
  struct ta t ;
  size_t mark = a->st->len ;
  (void)why ;
  if (strcmp(name, "CERTIFICATE") && strcmp(name, "X509 CERTIFICATE") && strcmp(name, "TRUSTED CERTIFICATE")) return 1 ;
  if (genalloc_len(struct ta, &a->tas) >= TLSPEM_MAXANCHORS) { a->skipped++ ; return 1 ; }
  t.dn = mark ;
  br_x509_decoder_init(&xc, &dnappend, a) ;
  br_x509_decoder_push(&xc, der, len) ;
  if (a->nomem) return -1 ;
  pk = br_x509_decoder_get_pkey(&xc) ;
  if (!pk) { a->st->len = mark ; a->skipped++ ; return 1 ; }
  t.dnlen = a->st->len - mark ;
  t.flags = br_x509_decoder_isCA(&xc) ? BR_X509_TA_CA : 0 ;
  t.type = pk->key_type ;
  t.curve = 0 ;
  t.b = t.blen = 0 ;
  if (pk->key_type == BR_KEYTYPE_RSA)
  {
    t.a = a->st->len ; t.alen = pk->key.rsa.nlen ;
    if (!stralloc_catb(a->st, (char const *)pk->key.rsa.n, pk->key.rsa.nlen)) return -1 ;
    t.b = a->st->len ; t.blen = pk->key.rsa.elen ;
    if (!stralloc_catb(a->st, (char const *)pk->key.rsa.e, pk->key.rsa.elen)) return -1 ;
  }
  else
  {
    t.curve = pk->key.ec.curve ;
    t.a = a->st->len ; t.alen = pk->key.ec.qlen ;
    if (!stralloc_catb(a->st, (char const *)pk->key.ec.q, pk->key.ec.qlen)) return -1 ;
  }
  if (!genalloc_append(struct ta, &a->tas, &t)) return -1 ;
  return 1 ;
}

int tlspem_anchors(genalloc *anchors, stralloc *storage, char const *pem, size_t len, unsigned int *skipped, char const **why)
{
  struct anchorctx a = { GENALLOC_ZERO, storage, 0, 0 } ;
  struct ta const *t ;
  size_t n ;
  int r ;
  storage->len = 0 ;
  genalloc_setlen(br_x509_trust_anchor, anchors, 0) ;
  r = tlspem_objects(pem, len, &addanchor, &a, why) ;
  *skipped = a.skipped ;
  if (r <= 0) goto end ;
  n = genalloc_len(struct ta, &a.tas) ;
  if (!n) { *why = "no usable CA certificate" ; r = 0 ; goto end ; }
  if (!genalloc_ready(br_x509_trust_anchor, anchors, n)) { r = -1 ; goto end ; }
  t = genalloc_s(struct ta, &a.tas) ;
  for (size_t i = 0 ; i < n ; i++)
  {
    br_x509_trust_anchor *x = genalloc_s(br_x509_trust_anchor, anchors) + i ;
    unsigned char *s = (unsigned char *)storage->s ;
    memset(x, 0, sizeof *x) ;
    x->dn.data = s + t[i].dn ;
    x->dn.len = t[i].dnlen ;
    x->flags = t[i].flags ;
    x->pkey.key_type = t[i].type ;
    if (t[i].type == BR_KEYTYPE_RSA)
    {
      x->pkey.key.rsa.n = s + t[i].a ; x->pkey.key.rsa.nlen = t[i].alen ;
      x->pkey.key.rsa.e = s + t[i].b ; x->pkey.key.rsa.elen = t[i].blen ;
    }
    else
    {
      x->pkey.key.ec.curve = t[i].curve ;
      x->pkey.key.ec.q = s + t[i].a ; x->pkey.key.ec.qlen = t[i].alen ;
    }
  }
  genalloc_setlen(br_x509_trust_anchor, anchors, n) ;
  r = 1 ;
 end:
  genalloc_free(struct ta, &a.tas) ;
  return r ;
}
