/* tls-files-and-records: tlsd's own parsing without a network. The
 * control channel's outcome records (tlsctl.h): what the encoder makes
 * the parser takes whole and no sooner, fields are found by name, values
 * are made printable and cut to fit; malformed bytes (another status, a
 * field without '=' or with an empty name, a control byte, no end within
 * TLSCTL_MAX) are refused; tlsctl_read stops right after the record.
 * The PEM files (tlspem.h): a certificate chain, a PKCS#8 EC key that
 * belongs to the first certificate and not to another, trust anchors,
 * and the reasons given for text that is not what it should be. The
 * fixtures are throwaway keys made for this test. */
#include <string.h>
#include <unistd.h>
#include <bearssl.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "tap.h"
#include "tlsctl.h"
#include "tlspem.h"

static char const a_key[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHwz+0rqHAaFsaKwl\n"
  "4ygpFUMo3DDMxApUJNuxJBWQNwShRANCAAQHODJzLtgKM6CArljDo4Z7oDbEZZQa\n"
  "wpdf/2jflcI9ifQuKb1FrzzCVb0mcIL+JI0hdClbNeIHwGEQQKCgK44S\n"
  "-----END PRIVATE KEY-----\n"
  ;
static char const a_crt[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBfzCCASWgAwIBAgIUe6eoozm7H03wcxF8Nih1HC44+/YwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJYS5leGFtcGxlMCAXDTI2MTEyNDA5NDYyNloYDzIxMjYxMDMx\n"
  "MDk0NjI2WjAUMRIwEAYDVQQDDAlhLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQHODJzLtgKM6CArljDo4Z7oDbEZZQawpdf/2jflcI9ifQuKb1FrzzC\n"
  "Vb0mcIL+JI0hdClbNeIHwGEQQKCgK44So1MwUTAdBgNVHQ4EFgQUji2cNo/scZu/\n"
  "KrJ+XzsdTj9AUREwHwYDVR0jBBgwFoAUji2cNo/scZu/KrJ+XzsdTj9AUREwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBWO2DKMt4LLXp0V+hqcOdo\n"
  "9ws9mkvaTSscMKkWIQr8EgIhAK9gerKmoh5QJqv50I/7Qfzw/Ecpzf2N8DXf06K0\n"
  "Y01T\n"
  "-----END CERTIFICATE-----\n"
  ;
static char const b_crt[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBfzCCASWgAwIBAgIUYE7/PBm165rD7St7bT0+x3izDMgwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJYi5leGFtcGxlMCAXDTI2MTEyNDA5NDYyN1oYDzIxMjYxMDMx\n"
  "MDk0NjI3WjAUMRIwEAYDVQQDDAliLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQH3ZKpQd1rTK1VDsq16O3hpsTnSShVUM2N9njyUDgA3sz3WpTSFw6b\n"
  "Gxw30ESPjia46HudAIu+wQI7oa2ZZDHzo1MwUTAdBgNVHQ4EFgQU6BkG7OmKBAZ+\n"
  "qRltz955mM4Wc/swHwYDVR0jBBgwFoAU6BkG7OmKBAZ+qRltz955mM4Wc/swDwYD\n"
  "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiByOrBkiZ1AKxL08bYuj9ZX\n"
  "H/qkRJeskgFoQ4vupAXE7wIhALKdcDUuDwyvn9K7SsPa7F67eydbAtbz4+mRyPZ5\n"
  "GIVW\n"
  "-----END CERTIFICATE-----\n"
  ;

static stralloc sa = STRALLOC_ZERO ;

static void record(char const *what, char const *bytes, size_t len, ssize_t want)
{
  is_int((long)tlsctl_parse(bytes, len), (long)want, what) ;
}

int main(void)
{
  /* records */
  ok(tlsctl_begin(&sa, 'Y') && tlsctl_field(&sa, "TLS_PROTOCOL", "TLSv1.2") && tlsctl_field(&sa, "TLS_CIPHER", "ECDHE-RSA-AES256-GCM-SHA384") && tlsctl_end(&sa), "encode a Y record") ;
  is_mem(sa.s, sa.len, "YTLS_PROTOCOL=TLSv1.2\0TLS_CIPHER=ECDHE-RSA-AES256-GCM-SHA384\0\0", 62, "its bytes") ;
  record("the whole record parses to its length", sa.s, sa.len, (ssize_t)sa.len) ;
  {
    int prefixes = 1 ;
    for (size_t i = 0 ; i < sa.len ; i++) if (tlsctl_parse(sa.s, i)) prefixes = 0 ;
    ok(prefixes, "every prefix needs more bytes") ;
  }
  {
    stralloc more = STRALLOC_ZERO ;
    stralloc_copyb(&more, sa.s, sa.len) ;
    stralloc_cats(&more, "EHLO after") ;
    record("bytes after the record are not part of it", more.s, more.len, (ssize_t)sa.len) ;
    stralloc_free(&more) ;
  }
  is_str(tlsctl_get(sa.s, sa.len, "TLS_CIPHER"), "ECDHE-RSA-AES256-GCM-SHA384", "get TLS_CIPHER") ;
  is_str(tlsctl_get(sa.s, sa.len, "TLS_PROTOCOL"), "TLSv1.2", "get TLS_PROTOCOL") ;
  ok(!tlsctl_get(sa.s, sa.len, "TLS_SNI"), "a missing field is 0") ;
  ok(!tlsctl_get(sa.s, sa.len, "TLS"), "a name prefix is not a field") ;
  ok(tlsctl_begin(&sa, 'N') && tlsctl_field(&sa, "TLS_ERROR", "bad\r\nline\x80") && tlsctl_end(&sa), "encode an N record") ;
  is_str(tlsctl_get(sa.s, sa.len, "TLS_ERROR"), "bad??line?", "control and 8-bit bytes become ?") ;
  {
    char big[3000] ;
    memset(big, 'x', sizeof big - 1) ; big[sizeof big - 1] = 0 ;
    ok(tlsctl_begin(&sa, 'Y') && tlsctl_field(&sa, "TLS_SNI", big) && tlsctl_end(&sa), "a long value") ;
    ok(sa.len == TLSCTL_MAX && tlsctl_parse(sa.s, sa.len) == TLSCTL_MAX, "is cut so that the record is TLSCTL_MAX bytes and parses") ;
  }
  record("empty input needs more", "", 0, 0) ;
  record("Y and the end", "Y\0", 2, 2) ;
  record("another status byte", "X\0", 2, -1) ;
  record("a field without =", "Yabc\0\0", 6, -1) ;
  record("a field with an empty name", "Y=abc\0\0", 7, -1) ;
  record("a control byte in a value", "Ya=b\tc\0\0", 8, -1) ;
  record("an 8-bit byte", "Ya=\xff\0\0", 6, -1) ;
  record("an empty value is fine", "Ya=\0\0", 5, 5) ;
  {
    char big[TLSCTL_MAX + 10] ;
    memset(big, 'a', sizeof big) ;
    big[0] = 'Y' ; big[1] = 'b' ; big[2] = '=' ;
    record("no end within TLSCTL_MAX bytes", big, sizeof big, -1) ;
  }
  {
    int p[2] ;
    stralloc rec = STRALLOC_ZERO ;
    char rest[16] ;
    ok(!pipe(p) && write(p[1], "YTLS_CIPHER=x\0\0" "220 hi", 21) == 21, "a record and plaintext in a pipe") ;
    is_int(tlsctl_read(p[0], &rec, 1000), 1, "tlsctl_read: Y") ;
    is_mem(rest, (size_t)read(p[0], rest, sizeof rest), "220 hi", 6, "  and what follows stays unread") ;
    close(p[1]) ;
    is_int(tlsctl_read(p[0], &rec, 1000), 0, "EOF before a record counts as N") ;
    close(p[0]) ;
    ok(!pipe(p) && write(p[1], "YTLS", 4) == 4, "half a record") ;
    is_int(tlsctl_read(p[0], &rec, 200), -1, "  times out") ;
    close(p[0]) ; close(p[1]) ;
    stralloc_free(&rec) ;
  }

  /* PEM */
  {
    static struct tlspem_chain c ;
    static br_skey_decoder_context k ;
    char const *why = 0 ;
    stralloc two = STRALLOC_ZERO ;
    stralloc_cats(&two, a_crt) ; stralloc_cats(&two, b_crt) ;
    is_int(tlspem_chain(&c, two.s, two.len, &why), 1, "a chain of two certificates") ;
    is_int((long)c.n, 2, "  two of them") ;
    ok(c.certs[0].data_len > 300 && c.certs[0].data[0] == 0x30, "  DER, a SEQUENCE") ;
    is_int(tlspem_key(&k, a_key, strlen(a_key), &why), 1, "a PKCS#8 EC key") ;
    is_int(br_skey_decoder_key_type(&k), BR_KEYTYPE_EC, "  EC") ;
    is_int(tlspem_match(&c, &k, &why), 1, "the key belongs to the first certificate") ;
    is_int(tlspem_chain(&c, b_crt, strlen(b_crt), &why), 1, "another certificate") ;
    ok(!tlspem_match(&c, &k, &why) && strstr(why, "does not belong"), "  the key does not belong to it") ;
    ok(!tlspem_chain(&c, a_key, strlen(a_key), &why) && !strcmp(why, "no CERTIFICATE in the file"), "a key file as a chain: no CERTIFICATE") ;
    ok(!tlspem_key(&k, a_crt, strlen(a_crt), &why) && !strcmp(why, "no PRIVATE KEY in the file"), "a certificate as a key: no PRIVATE KEY") ;
    ok(!tlspem_chain(&c, "hello\n", 6, &why) && !strcmp(why, "no PEM object"), "text without PEM") ;
    ok(!tlspem_chain(&c, a_crt, 100, &why) && (!strcmp(why, "truncated PEM object") || !strcmp(why, "malformed PEM")), "a certificate cut in a line: malformed or truncated") ;
    ok(!tlspem_chain(&c, a_crt, 28, &why) && !strcmp(why, "truncated PEM object"), "a certificate cut after its BEGIN line: truncated") ;
    stralloc_copys(&two, a_key) ; stralloc_cats(&two, a_key) ;
    ok(!tlspem_key(&k, two.s, two.len, &why) && !strcmp(why, "more than one private key"), "two keys in one file") ;
    {
      genalloc ta = GENALLOC_ZERO ;
      stralloc st = STRALLOC_ZERO ;
      unsigned int skipped = 9 ;
      stralloc_copys(&two, a_crt) ; stralloc_cats(&two, b_crt) ;
      is_int(tlspem_anchors(&ta, &st, two.s, two.len, &skipped, &why), 1, "two trust anchors") ;
      is_int((long)genalloc_len(br_x509_trust_anchor, &ta), 2, "  both") ;
      is_int(skipped, 0, "  none skipped") ;
      ok(genalloc_s(br_x509_trust_anchor, &ta)[0].flags & BR_X509_TA_CA, "  a self-signed CA certificate is a CA anchor") ;
      is_int(genalloc_s(br_x509_trust_anchor, &ta)[1].pkey.key_type, BR_KEYTYPE_EC, "  with its EC key") ;
      genalloc_free(br_x509_trust_anchor, &ta) ; stralloc_free(&st) ;
    }
    stralloc_free(&two) ;
  }
  return tap_done() ;
}
