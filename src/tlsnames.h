/* tlsnames.h: what tlsd offers and how it names things: the cipher suites
 * (TLS 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305 only), their OpenSSL
 * names, and readable texts for BearSSL's error codes. */
#ifndef CAIRN_TLSNAMES_H
#define CAIRN_TLSNAMES_H

#include <stddef.h>
#include <stdint.h>

extern uint16_t const tlsnames_suites[] ;
extern size_t const tlsnames_nsuites ;

/* "ECDHE-RSA-AES256-GCM-SHA384", or "unknown" */
char const *tlsnames_suite(unsigned int id) ;
/* "TLSv1.2", or "unknown" */
char const *tlsnames_version(unsigned int v) ;
/* "peer sent a fatal alert 40", "certificate has expired", ... into buf
 * (at least 80 bytes); returns buf. */
char const *tlsnames_error(int err, char *buf) ;

#endif
