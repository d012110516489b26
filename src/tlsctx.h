/* tlsctx.h: tlsd's BearSSL contexts, set up the one way cairn allows: TLS
 * 1.2 only, the suites of tlsnames.h only. Server: the certificate chain
 * and an RSA or EC key. Client: the server name sent as SNI; with trust
 * anchors, the chain and the name are verified (br_x509_minimal), without
 * them any certificate is taken (opportunistic TLS). */
#ifndef CAIRN_TLSCTX_H
#define CAIRN_TLSCTX_H

#include <bearssl.h>
#include <skalibs/stralloc.h>
#include "tlspem.h"

/* 1, or 0 if the key is neither RSA nor EC. buf: BR_SSL_BUFSIZE_BIDI. */
int tlsctx_server(br_ssl_server_context *, struct tlspem_chain const *, br_skey_decoder_context const *key, unsigned char *buf, size_t buflen) ;

struct tlsctx_noverify {
  br_x509_class const *vtable ;
  br_x509_decoder_context dc ;
  int first ;
  int havekey ;
} ;

/* servername may be 0 (no SNI, and no name check); nta 0: no
 * verification. 1, or 0 if BearSSL refuses (the name is too long). */
int tlsctx_client(br_ssl_client_context *, br_x509_minimal_context *, struct tlsctx_noverify *, char const *servername, br_x509_trust_anchor const *ta, size_t nta, unsigned char *buf, size_t buflen) ;

/* tlsio's ready callback: the 'Y' record with TLS_PROTOCOL, TLS_CIPHER,
 * TLS_SNI when known, TLS_PEER_VERIFIED=1 when *(int *)verified. */
int tlsctx_ready(br_ssl_engine_context *, stralloc *, void *verified) ;

#endif
