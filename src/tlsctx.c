/* tlsctx.c: tlsd's server and client contexts (tlsctx.h). */
#include <string.h>
#include <bearssl.h>
#include "tlsctl.h"
#include "tlsctx.h"
#include "tlsnames.h"

static void restrict_engine(br_ssl_engine_context *eng, unsigned char *buf, size_t buflen)
{
  br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12) ;
  br_ssl_engine_set_suites(eng, tlsnames_suites, tlsnames_nsuites) ;
  br_ssl_engine_set_buffer(eng, buf, buflen, 1) ;
}

int tlsctx_server(br_ssl_server_context *sc, struct tlspem_chain const *c, br_skey_decoder_context const *key, unsigned char *buf, size_t buflen)
{
  switch (br_skey_decoder_key_type(key))
  {
    case BR_KEYTYPE_RSA:
      br_ssl_server_init_full_rsa(sc, c->certs, c->n, br_skey_decoder_get_rsa(key)) ;
      break ;
    case BR_KEYTYPE_EC:
      /* the issuer's key type matters only for static ECDH, not offered */
      br_ssl_server_init_full_ec(sc, c->certs, c->n, BR_KEYTYPE_EC, br_skey_decoder_get_ec(key)) ;
      break ;
    default: return 0 ;
  }
  restrict_engine(&sc->eng, buf, buflen) ;
  return br_ssl_server_reset(sc) ;
}

/* The X.509 "engine" of opportunistic TLS: the server's key is taken
 * from its first certificate, and nothing is checked. */
static void nv_start_chain(br_x509_class const **ctx, char const *name)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  (void)name ;
  v->first = 1 ;
  v->havekey = 0 ;
}

static void nodn(void *ctx, void const *buf, size_t len)
{
  (void)ctx ; (void)buf ; (void)len ;
}

static void nv_start_cert(br_x509_class const **ctx, uint32_t length)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  (void)length ;
  if (v->first) br_x509_decoder_init(&v->dc, &nodn, 0) ;
}

static void nv_append(br_x509_class const **ctx, unsigned char const *buf, size_t len)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  if (v->first) br_x509_decoder_push(&v->dc, buf, len) ;
}

static void nv_end_cert(br_x509_class const **ctx)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  if (v->first) v->havekey = br_x509_decoder_get_pkey(&v->dc) != 0 ;
  v->first = 0 ;
}

static unsigned nv_end_chain(br_x509_class const **ctx)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  if (v->havekey) return 0 ;
  return v->first ? BR_ERR_X509_EMPTY_CHAIN : (unsigned)br_x509_decoder_last_error(&v->dc) ? (unsigned)br_x509_decoder_last_error(&v->dc) : BR_ERR_X509_UNSUPPORTED ;
}

static br_x509_pkey const *nv_get_pkey(br_x509_class const *const *ctx, unsigned *usages)
{
  struct tlsctx_noverify *v = (struct tlsctx_noverify *)ctx ;
  if (usages) *usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN ;
  return v->havekey ? br_x509_decoder_get_pkey(&v->dc) : 0 ;
}

static br_x509_class const noverify_vtable = {
  sizeof(struct tlsctx_noverify),
  &nv_start_chain, &nv_start_cert, &nv_append, &nv_end_cert, &nv_end_chain, &nv_get_pkey
} ;

int tlsctx_client(br_ssl_client_context *cc, br_x509_minimal_context *xc, struct tlsctx_noverify *nv, char const *servername, br_x509_trust_anchor const *ta, size_t nta, unsigned char *buf, size_t buflen)
{
  br_ssl_client_init_full(cc, xc, ta, nta) ;
  if (!nta)
  {
    memset(nv, 0, sizeof *nv) ;
    nv->vtable = &noverify_vtable ;
    br_ssl_engine_set_x509(&cc->eng, &nv->vtable) ;
  }
  restrict_engine(&cc->eng, buf, buflen) ;
  return br_ssl_client_reset(cc, servername, 0) ;
}

int tlsctx_ready(br_ssl_engine_context *eng, stralloc *sa, void *verified)
{
  br_ssl_session_parameters sp ;
  char const *sni = br_ssl_engine_get_server_name(eng) ;
  br_ssl_engine_get_session_parameters(eng, &sp) ;
  return tlsctl_begin(sa, 'Y')
    && tlsctl_field(sa, "TLS_PROTOCOL", tlsnames_version(br_ssl_engine_get_version(eng)))
    && tlsctl_field(sa, "TLS_CIPHER", tlsnames_suite(sp.cipher_suite))
    && (!sni || !*sni || tlsctl_field(sa, "TLS_SNI", sni))
    && (!verified || !*(int *)verified || tlsctl_field(sa, "TLS_PEER_VERIFIED", "1"))
    && tlsctl_end(sa) ;
}
