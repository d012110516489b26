/* remotetls.c: remote's STARTTLS step (remotetls.h). */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/ip46.h>
#include <skalibs/socket.h>
#include <skalibs/types.h>
#include "remoteout.h"
#include "remotesmtp.h"
#include "remotetls.h"
#include "tlsctl.h"
#include "tlsspawn.h"

int remotetls_isaddress(char const *s)
{
  ip46 ip ;
  size_t len = strlen(s) ;
  if (!len || s[0] == '[') return 1 ;
  return ip46_scan(s, &ip) == len ;
}

/* Runs the engine on the connection c->sock; returns the control channel
 * (the session's plaintext), or -1 with errno. The connection is then the
 * engine's alone: remote closes its own descriptor of it. */
static int spawn(struct remotetls const *t, struct smtpconn *c, char const *sni, int verify)
{
  struct tlsspawn ts = TLSSPAWN_ZERO ;
  if (!tlsspawn_start(&ts, t->tlsd, c->sock, sni, verify ? t->cafile : 0, t->timeout, 1)) return -1 ;
  fd_close(c->sock) ;
  c->sock = -1 ;
  c->rfd = c->wfd = -1 ;
  if (ndelay_on(ts.fd) < 0) { fd_close(ts.fd) ; return -1 ; }
  return ts.fd ;
}

/* The first line of a reply, for a message. */
static void firstline(stralloc *sa, struct smtpreply const *r)
{
  size_t n = 0 ;
  while (n < r->text.len && r->text.s[n] != '\n' && n < 200) n++ ;
  sa->len = 0 ;
  stralloc_catb(sa, r->text.s, n) ;
}

/* The strings up to a null one into sa (emptied first). 1, or 0 on ENOMEM. */
static int cat(stralloc *sa, ...)
{
  char const *p ;
  va_list ap ;
  int ok = 1 ;
  sa->len = 0 ;
  va_start(ap, sa) ;
  while (ok && (p = va_arg(ap, char const *))) ok = stralloc_cats(sa, p) ;
  va_end(ap) ;
  return ok ;
}

/* why, for a failure at a level that requires TLS: 0, or -1 on ENOMEM. */
static int required(struct remotetls const *t, stralloc *why, char const *a, char const *b, char const *c, char const *code)
{
  return cat(why, "TLS is required for ", t->domain, " (tlsdestinations: ", tlsdest_name(t->level), ") and ",
    a, b ? b : "", c ? c : "", ". ", code, (char const *)0) ? 0 : -1 ;
}

/* The note at the end of the report. 0, or -1 on ENOMEM. */
static int note(char const *a, char const *b, char const *c, char const *d, char const *e)
{
  static stralloc sa = STRALLOC_ZERO ;
  return cat(&sa, "TLS: ", a, b ? b : "", c ? c : "", d ? d : "", e ? e : "", "\n", (char const *)0)
    && stralloc_0(&sa) && remoteout_note(sa.s) ? 0 : -1 ;
}

int remotetls_starttls(void const *conf, struct smtpconn *c, char const *helohost, char const *host,
  char const *name, int ehlo, struct smtpext *ext, stralloc *why)
{
  static struct smtpreply r = SMTPREPLY_ZERO ;
  static stralloc rec = STRALLOC_ZERO, tmp = STRALLOC_ZERO ;
  struct remotetls const *t = conf ;
  int must = t->level >= TLSDEST_ENCRYPT, verify = t->level == TLSDEST_VERIFY ;
  char const *sni = 0, *proto, *cipher, *err ;
  int fd, st ;
  (void)host ;
  if (t->level == TLSDEST_NONE) return 1 ;
  if (!ehlo || !ext->starttls)
  {
    if (!must) return 1 ;
    return required(t, why, "it does not offer STARTTLS", 0, 0, "(#4.7.10)") ;
  }
  if (name && *name && !remotetls_isaddress(name)) sni = name ;
  else if (!remotetls_isaddress(t->domain)) sni = t->domain ;
  if (verify && !sni)
    return required(t, why, "there is no host name to verify the certificate against", 0, 0, "(#4.7.5)") ;

  if (smtpconn_puts(c, "STARTTLS\r\n") != SMTPCONN_OK || (st = smtpconn_reply(c, &r)) == SMTPCONN_DIED)
  {
    smtpconn_close(c) ;
    if (must) return required(t, why, "the connection died after STARTTLS", 0, 0, "(#4.4.2)") ;
    if (note("the connection died after STARTTLS; connected again without it", 0, 0, 0, 0) < 0) return -1 ;
    return REMOTESMTP_AGAIN ;
  }
  if (st != SMTPCONN_OK)
  {
    smtpconn_close(c) ;
    return cat(why, "the answer to STARTTLS is not an SMTP reply. (#4.4.2)", (char const *)0) ? 0 : -1 ;
  }
  if (r.code != 220)
  {
    firstline(&tmp, &r) ;
    if (!stralloc_0(&tmp)) return -1 ;
    if (must) return required(t, why, "STARTTLS was refused: ", tmp.s, 0, "(#4.7.10)") ;
    if (note("STARTTLS was refused (", tmp.s, "); went on in plaintext", 0, 0) < 0) return -1 ;
    return 1 ;
  }

  if (smtpconn_flush(c) != SMTPCONN_OK) { smtpconn_close(c) ; return 0 ; }
  fd = spawn(t, c, sni, verify) ;
  if (fd < 0)
  {
    int e = errno ;
    smtpconn_close(c) ;
    if (!cat(why, "unable to run the TLS engine ", t->tlsd, ": ", strerror(e), " (#4.3.0)", (char const *)0)) return -1 ;
    return -1 ;
  }
  st = tlsctl_read(fd, &rec, (int)(t->timeout > 86400 ? 86400 : t->timeout) * 1000) ;
  if (st <= 0)
  {
    fd_close(fd) ;
    smtpconn_close(c) ;
    err = st < 0 ? (errno == ETIMEDOUT ? "timed out" : "the engine's answer was malformed")
        : rec.len ? tlsctl_get(rec.s, rec.len, "TLS_ERROR") : "the TLS engine ended without saying why" ;
    if (!err) err = "no reason given" ;
    if (must) return required(t, why, "the TLS handshake failed: ", err, 0, "(#4.7.5)") ;
    if (note("the handshake failed (", err, "); connected again without STARTTLS", 0, 0) < 0) return -1 ;
    return REMOTESMTP_AGAIN ;
  }
  smtpconn_setfds(c, fd, fd) ;
  proto = tlsctl_get(rec.s, rec.len, "TLS_PROTOCOL") ;
  cipher = tlsctl_get(rec.s, rec.len, "TLS_CIPHER") ;
  if (!cat(&tmp, proto ? proto : "?", " ", cipher ? cipher : "?", verify ? " (verified " : " (not verified)",
        verify ? sni : "", verify ? ")" : "", (char const *)0) || !stralloc_0(&tmp)
   || note(tmp.s, 0, 0, 0, 0) < 0) return -1 ;
  st = remotesmtp_ehlo(c, helohost, &r, ext) ;
  if (st != SMTPCONN_OK)
  {
    smtpconn_close(c) ;
    return cat(why, "the connection died after the TLS handshake. (#4.4.2)", (char const *)0) ? 0 : -1 ;
  }
  if (r.code / 100 != 2)
  {
    firstline(&tmp, &r) ;
    return stralloc_0(&tmp) && cat(why, "EHLO after the TLS handshake was refused: ", tmp.s, " (#4.4.2)", (char const *)0) ? 0 : -1 ;
  }
  return 1 ;
}
