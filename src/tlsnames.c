/* tlsnames.c: suites, versions and errors of tlsd (tlsnames.h). */
#include <stdio.h>
#include <bearssl.h>
#include "tlsnames.h"

/* Forward secrecy and AEAD only: what RFC 7525 recommends for TLS 1.2.
 * The client's order of preference decides among them. */
uint16_t const tlsnames_suites[] = {
  BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
  BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
} ;
size_t const tlsnames_nsuites = sizeof tlsnames_suites / sizeof *tlsnames_suites ;

char const *tlsnames_suite(unsigned int id)
{
  switch (id)
  {
    case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: return "ECDHE-ECDSA-AES256-GCM-SHA384" ;
    case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: return "ECDHE-RSA-AES256-GCM-SHA384" ;
    case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-ECDSA-CHACHA20-POLY1305" ;
    case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: return "ECDHE-RSA-CHACHA20-POLY1305" ;
    case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: return "ECDHE-ECDSA-AES128-GCM-SHA256" ;
    case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: return "ECDHE-RSA-AES128-GCM-SHA256" ;
    default: return "unknown" ;
  }
}

char const *tlsnames_version(unsigned int v)
{
  return v == BR_TLS12 ? "TLSv1.2" : "unknown" ;
}

static struct { int code ; char const *text ; } const errs[] = {
  { BR_ERR_BAD_PARAM, "bad parameter" },
  { BR_ERR_BAD_STATE, "bad state" },
  { BR_ERR_UNSUPPORTED_VERSION, "the peer does not speak TLS 1.2" },
  { BR_ERR_BAD_VERSION, "wrong protocol version in a record" },
  { BR_ERR_BAD_LENGTH, "bad record length (not TLS?)" },
  { BR_ERR_TOO_LARGE, "record too large" },
  { BR_ERR_BAD_MAC, "bad record MAC" },
  { BR_ERR_NO_RANDOM, "no random source" },
  { BR_ERR_UNKNOWN_TYPE, "unknown record type (not TLS?)" },
  { BR_ERR_UNEXPECTED, "unexpected message" },
  { BR_ERR_BAD_CCS, "bad ChangeCipherSpec" },
  { BR_ERR_BAD_ALERT, "bad alert" },
  { BR_ERR_BAD_HANDSHAKE, "malformed handshake message" },
  { BR_ERR_OVERSIZED_ID, "oversized session ID" },
  { BR_ERR_BAD_CIPHER_SUITE, "no cipher suite in common (ECDHE with AES-GCM or ChaCha20-Poly1305 only)" },
  { BR_ERR_BAD_COMPRESSION, "no compression method in common" },
  { BR_ERR_BAD_FRAGLEN, "bad fragment length" },
  { BR_ERR_BAD_SECRENEG, "bad secure renegotiation" },
  { BR_ERR_EXTRA_EXTENSION, "unexpected extension" },
  { BR_ERR_BAD_SNI, "bad server name indication" },
  { BR_ERR_BAD_HELLO_DONE, "bad ServerHelloDone" },
  { BR_ERR_LIMIT_EXCEEDED, "a limit was exceeded" },
  { BR_ERR_BAD_FINISHED, "bad Finished message" },
  { BR_ERR_RESUME_MISMATCH, "session resumption mismatch" },
  { BR_ERR_INVALID_ALGORITHM, "unsupported algorithm" },
  { BR_ERR_BAD_SIGNATURE, "bad signature" },
  { BR_ERR_WRONG_KEY_USAGE, "wrong key usage" },
  { BR_ERR_NO_CLIENT_AUTH, "no client certificate" },
  { BR_ERR_IO, "input/output error" },
  { BR_ERR_X509_EMPTY_CHAIN, "the peer sent no certificate" },
  { BR_ERR_X509_BAD_TIME, "a certificate has a bad time" },
  { BR_ERR_X509_UNSUPPORTED, "a certificate uses something unsupported" },
  { BR_ERR_X509_WRONG_KEY_TYPE, "a certificate has the wrong key type" },
  { BR_ERR_X509_BAD_SIGNATURE, "a certificate's signature is bad" },
  { BR_ERR_X509_TIME_UNKNOWN, "the time is unknown" },
  { BR_ERR_X509_EXPIRED, "the certificate has expired or is not yet valid" },
  { BR_ERR_X509_DN_MISMATCH, "the certificate chain is broken (issuer mismatch)" },
  { BR_ERR_X509_BAD_SERVER_NAME, "the certificate does not match the host name" },
  { BR_ERR_X509_CRITICAL_EXTENSION, "a certificate has an unsupported critical extension" },
  { BR_ERR_X509_NOT_CA, "an issuer is not a CA" },
  { BR_ERR_X509_FORBIDDEN_KEY_USAGE, "the certificate's key usage forbids this" },
  { BR_ERR_X509_WEAK_PUBLIC_KEY, "a certificate's key is too weak" },
  { BR_ERR_X509_NOT_TRUSTED, "the certificate is not signed by a trusted authority" },
} ;

static char const *alert(int a)
{
  switch (a)
  {
    case 0: return "close_notify" ;
    case 10: return "unexpected_message" ;
    case 20: return "bad_record_mac" ;
    case 40: return "handshake_failure: no cipher suite in common?" ;
    case 42: return "bad_certificate" ;
    case 43: return "unsupported_certificate" ;
    case 45: return "certificate_expired" ;
    case 46: return "certificate_unknown" ;
    case 47: return "illegal_parameter" ;
    case 48: return "unknown_ca" ;
    case 50: return "decode_error" ;
    case 51: return "decrypt_error" ;
    case 70: return "protocol_version: TLS 1.2 not spoken?" ;
    case 71: return "insufficient_security" ;
    case 80: return "internal_error" ;
    case 90: return "user_canceled" ;
    case 110: return "unsupported_extension" ;
    case 112: return "unrecognized_name" ;
    default: return "unknown alert" ;
  }
}

char const *tlsnames_error(int err, char *buf)
{
  if (err >= BR_ERR_SEND_FATAL_ALERT) { snprintf(buf, 80, "sent fatal alert %d (%s)", err - BR_ERR_SEND_FATAL_ALERT, alert(err - BR_ERR_SEND_FATAL_ALERT)) ; return buf ; }
  if (err >= BR_ERR_RECV_FATAL_ALERT) { snprintf(buf, 80, "the peer sent fatal alert %d (%s)", err - BR_ERR_RECV_FATAL_ALERT, alert(err - BR_ERR_RECV_FATAL_ALERT)) ; return buf ; }
  for (size_t i = 0 ; i < sizeof errs / sizeof *errs ; i++)
    if (errs[i].code == err) { snprintf(buf, 80, "%s", errs[i].text) ; return buf ; }
  if (err >= 32 && err < 64) snprintf(buf, 80, "malformed certificate (BearSSL X.509 error %d)", err) ;
  else snprintf(buf, 80, "BearSSL error %d", err) ;
  return buf ;
}
