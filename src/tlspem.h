/* tlspem.h: the files of tlsd, our own parsing around BearSSL's decoders:
 * PEM text to DER objects (br_pem_decoder), the certificate chain (the
 * "CERTIFICATE" objects, the server's first), the private key (one
 * "RSA PRIVATE KEY", "EC PRIVATE KEY" or "PRIVATE KEY" object, through
 * br_skey_decoder), a check that the key belongs to the first
 * certificate, and trust anchors (a CA bundle) for client mode. Every
 * size is bounded: TLSPEM_MAXFILE bytes of text, TLSPEM_MAXOBJ bytes per
 * object, TLSPEM_MAXCERTS certificates in a chain. Failures of the text
 * are returned as a static string in *why (return 0); -1 means ENOMEM. */
#ifndef CAIRN_TLSPEM_H
#define CAIRN_TLSPEM_H

#include <stddef.h>
#include <bearssl.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>

#define TLSPEM_MAXFILE (1024 * 1024)
#define TLSPEM_MAXOBJ (64 * 1024)
#define TLSPEM_MAXCERTS 16
#define TLSPEM_MAXANCHORS 1000
#define TLSPEM_MAXRSA 4096         /* bits: what BearSSL handles */

/* Calls f(name, der, len, ctx) for each object in order; f returns 1 to
 * go on, 0 to stop with its *why, -1 on ENOMEM. Returns 1 at the end of a
 * well-formed text, 0 with *why (also for an empty text), -1. */
int tlspem_objects(char const *pem, size_t len, int (*f)(char const *, unsigned char const *, size_t, void *, char const **), void *ctx, char const **why) ;

struct tlspem_chain {
  stralloc der ;                           /* the certificates, one after another */
  size_t off[TLSPEM_MAXCERTS + 1] ;
  size_t n ;
  br_x509_certificate certs[TLSPEM_MAXCERTS] ; /* pointing into der, by tlspem_chain */
} ;

/* The certificate chain of pem; other objects are ignored. */
int tlspem_chain(struct tlspem_chain *, char const *pem, size_t len, char const **why) ;

/* The one private key of pem into dc (which holds it afterwards); other
 * objects ("EC PARAMETERS") are ignored. dc's type: BR_KEYTYPE_RSA or
 * BR_KEYTYPE_EC. */
int tlspem_key(br_skey_decoder_context *dc, char const *pem, size_t len, char const **why) ;

/* 1 if the public key of the first certificate of the chain is the one of
 * the private key in dc, 0 with *why if not (or if the certificate does
 * not decode). */
int tlspem_match(struct tlspem_chain const *, br_skey_decoder_context const *dc, char const **why) ;

/* Trust anchors: each certificate of pem becomes a br_x509_trust_anchor
 * (its subject name and public key, copied into storage; anchors is a
 * genalloc of br_x509_trust_anchor pointing into it, valid while storage
 * is not changed). Certificates that do not decode are skipped and
 * counted in *skipped. 0 with *why when none is usable. */
int tlspem_anchors(genalloc *anchors, stralloc *storage, char const *pem, size_t len, unsigned int *skipped, char const **why) ;

#endif
