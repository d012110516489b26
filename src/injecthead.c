/* injecthead.c: qmail-inject's header rules (qmail-header(5)), one field
 * at a time, and the fields it adds. */
#include <string.h>
#include <strings.h>
#include <skalibs/stralloc.h>
#include <skalibs/types.h>
#include "date822.h"
#include "injecthead.h"

enum {
  H_TO, H_CC, H_BCC, H_APPARENTLYTO, H_RTO, H_RCC, H_RBCC, H_RETURNPATH,
  H_SENDER, H_FROM, H_REPLYTO, H_RETURNRECEIPTTO, H_ERRORSTO,
  H_RSENDER, H_RFROM, H_RREPLYTO, H_DATE, H_RDATE, H_MESSAGEID, H_RMESSAGEID,
  H_CONTENTLENGTH, H_N, H_OTHER = H_N
} ;

static char const *const names[H_N] = {
  "To", "Cc", "Bcc", "Apparently-To", "Resent-To", "Resent-Cc", "Resent-Bcc", "Return-Path",
  "Sender", "From", "Reply-To", "Return-Receipt-To", "Errors-To",
  "Resent-Sender", "Resent-From", "Resent-Reply-To", "Date", "Resent-Date", "Message-ID", "Resent-Message-ID",
  "Content-Length"
} ;

#define BIT(h) (1UL << (h))
#define RESENT (BIT(H_RTO) | BIT(H_RCC) | BIT(H_RBCC) | BIT(H_RSENDER) | BIT(H_RFROM) \
  | BIT(H_RREPLYTO) | BIT(H_RDATE) | BIT(H_RMESSAGEID))
#define ADDRESSES (BIT(H_TO) | BIT(H_CC) | BIT(H_BCC) | BIT(H_APPARENTLYTO) | BIT(H_RTO) | BIT(H_RCC) \
  | BIT(H_RBCC) | BIT(H_RETURNPATH) | BIT(H_SENDER) | BIT(H_FROM) | BIT(H_REPLYTO) \
  | BIT(H_RETURNRECEIPTTO) | BIT(H_ERRORSTO) | BIT(H_RSENDER) | BIT(H_RFROM) | BIT(H_RREPLYTO))
#define DROPPED (BIT(H_BCC) | BIT(H_RBCC) | BIT(H_RETURNPATH) | BIT(H_CONTENTLENGTH))

static unsigned int kind(char const *name, size_t len)
{
  for (unsigned int i = 0 ; i < H_N ; i++)
    if (strlen(names[i]) == len && !strncasecmp(names[i], name, len)) return i ;
  return H_OTHER ;
}

static stralloc *list(struct injecthead *ih, unsigned int k)
{
  switch (k)
  {
    case H_TO: case H_CC: case H_BCC: case H_APPARENTLYTO: return &ih->rcpt ;
    case H_RTO: case H_RCC: case H_RBCC: return &ih->resentrcpt ;
  }
  return &ih->addrs ;
}

enum addrlist_status injecthead_field(struct injecthead *ih, struct injecthead_conf const *c,
                                      char const *field, size_t len, size_t namelen, size_t valuepos)
{
  unsigned int k = kind(field, namelen) ;
  if ((k == H_FROM && c->deletefrom) || (k == H_MESSAGEID && c->deletemessageid)
   || (k == H_RETURNPATH && c->deletereturnpath)) return ADDRLIST_OK ;
  if (k == H_OTHER) return stralloc_catb(&ih->kept, field, len) ? ADDRLIST_OK : ADDRLIST_ENOMEM ;
  ih->seen |= BIT(k) ;
  if (ADDRESSES & BIT(k))
  {
    stralloc *to = list(ih, k) ;
    size_t start = to->len, n = 0 ;
    enum addrlist_status r ;
    ih->addrs.len = 0 ;
    ih->field.len = 0 ;
    if (!stralloc_catb(&ih->field, field, valuepos)) return ADDRLIST_ENOMEM ;
    r = addrlist_parse(field + valuepos, len - valuepos, &c->q, &ih->field, to, &n) ;
    if (r) { to->len = start ; return r ; }
    if (k == H_RETURNPATH && n && !ih->hasreturnpath)
    {
      /* the first address, with its NUL */
      if (!stralloc_copyb(&ih->returnpath, to->s + start, strlen(to->s + start) + 1)) return ADDRLIST_ENOMEM ;
      ih->hasreturnpath = 1 ;
    }
    field = ih->field.s ; len = ih->field.len ;
  }
  if (DROPPED & BIT(k)) return ADDRLIST_OK ;
  return stralloc_catb(&ih->kept, field, len) ? ADDRLIST_OK : ADDRLIST_ENOMEM ;
}

int injecthead_resent(struct injecthead const *ih)
{
  return !!(ih->seen & RESENT) ;
}

/* local@host (host 0: defaulthost), qualified, NUL-terminated in sa. */
static enum addrlist_status mkaddr(stralloc *sa, char const *local, char const *host, struct injecthead_conf const *c)
{
  stralloc tmp = STRALLOC_ZERO ;
  enum addrlist_status r = ADDRLIST_ENOMEM ;
  sa->len = 0 ;
  if (stralloc_cats(&tmp, local) && stralloc_catb(&tmp, "@", 1) && stralloc_cats(&tmp, host ? host : c->q.defaulthost))
    r = addrlist_envelope(tmp.s, tmp.len, &c->q, sa) ;
  stralloc_free(&tmp) ;
  return r ;
}

enum addrlist_status injecthead_sender(struct injecthead const *ih, struct injecthead_conf const *c,
                                       char const *fsender, stralloc *sender)
{
  sender->len = 0 ;
  if (fsender)
  {
    size_t len = strlen(fsender) ;
    if (len >= 2 && fsender[0] == '<' && fsender[len - 1] == '>') { fsender++ ; len -= 2 ; }
    return addrlist_envelope(fsender, len, &c->q, sender) ;
  }
  if (ih->hasreturnpath)
    return stralloc_copyb(sender, ih->returnpath.s, ih->returnpath.len) ? ADDRLIST_OK : ADDRLIST_ENOMEM ;
  return mkaddr(sender, c->suser, c->shost, c) ;
}

/* The display name as a quoted string or a comment; a control character
 * (a newline in $NAME) would start a new header line, so it becomes a
 * space. */
static int catname(stralloc *out, char const *name, char open, char close)
{
  if (!stralloc_catb(out, &open, 1)) return 0 ;
  for (; *name ; name++)
  {
    char ch = (unsigned char)*name < 32 || *name == 127 ? ' ' : *name ;
    if ((ch == '\\' || ch == open || ch == close) && !stralloc_catb(out, "\\", 1)) return 0 ;
    if (!stralloc_catb(out, &ch, 1)) return 0 ;
  }
  return stralloc_catb(out, &close, 1) ;
}

static enum addrlist_status from(stralloc *out, struct injecthead_conf const *c)
{
  stralloc addr = STRALLOC_ZERO ;
  int named = c->name && *c->name, ok ;
  enum addrlist_status r = mkaddr(&addr, c->user, c->host, c) ;
  if (r) { stralloc_free(&addr) ; return r ; }
  addr.len-- ;   /* its NUL */
  if (named && !c->namecomment)
    ok = catname(out, c->name, '"', '"') && stralloc_cats(out, " <")
      && addrlist_quote(out, addr.s, addr.len) && stralloc_catb(out, ">", 1) ;
  else
    ok = addrlist_quote(out, addr.s, addr.len)
      && (!named || (stralloc_catb(out, " ", 1) && catname(out, c->name, '(', ')'))) ;
  stralloc_free(&addr) ;
  return ok && stralloc_catb(out, "\n", 1) ? ADDRLIST_OK : ADDRLIST_ENOMEM ;
}

enum addrlist_status injecthead_added(struct injecthead const *ih, struct injecthead_conf const *c,
                                      stralloc *out, time_t now, pid_t pid)
{
  int resent = injecthead_resent(ih) ;
  char const *pre = resent ? "Resent-" : "" ;
  if (!(ih->seen & BIT(resent ? H_RDATE : H_DATE)))
  {
    char d[DATE822_MAX] ;
    if (!stralloc_cats(out, pre) || !stralloc_cats(out, "Date: ")
     || !stralloc_catb(out, d, date822_full(d, now)) || !stralloc_catb(out, "\n", 1)) return ADDRLIST_ENOMEM ;
  }
  if (!(ih->seen & BIT(resent ? H_RMESSAGEID : H_MESSAGEID)))
  {
    char num[ULONG_FMT] ;
    if (!stralloc_cats(out, pre) || !stralloc_cats(out, "Message-ID: <")
     || !stralloc_catb(out, num, ulong_fmt(num, (unsigned long)now)) || !stralloc_catb(out, ".", 1)
     || !stralloc_catb(out, num, pid_fmt(num, pid)) || !stralloc_cats(out, ".cairn@")
     || !stralloc_cats(out, c->idhost) || !stralloc_cats(out, ">\n")) return ADDRLIST_ENOMEM ;
  }
  if (!(ih->seen & BIT(resent ? H_RFROM : H_FROM)))
  {
    enum addrlist_status r ;
    if (!stralloc_cats(out, pre) || !stralloc_cats(out, "From: ")) return ADDRLIST_ENOMEM ;
    r = from(out, c) ;
    if (r) return r ;
  }
  if (!(ih->seen & (resent ? BIT(H_RTO) | BIT(H_RCC) : BIT(H_TO) | BIT(H_CC))))
    if (!stralloc_cats(out, pre) || !stralloc_cats(out, "Cc: recipient list not shown: ;\n")) return ADDRLIST_ENOMEM ;
  return ADDRLIST_OK ;
}

int injecthead_recipients(struct injecthead const *ih, stralloc *to, size_t *n)
{
  stralloc const *from = injecthead_resent(ih) ? &ih->resentrcpt : &ih->rcpt ;
  for (size_t i = 0 ; i < from->len ; )
  {
    size_t len = strlen(from->s + i) ;
    if (len)
    {
      if (!stralloc_catb(to, from->s + i, len + 1)) return 0 ;
      (*n)++ ;
    }
    i += len + 1 ;
  }
  return 1 ;
}

void injecthead_free(struct injecthead *ih)
{
  stralloc_free(&ih->kept) ; stralloc_free(&ih->rcpt) ; stralloc_free(&ih->resentrcpt) ;
  stralloc_free(&ih->returnpath) ; stralloc_free(&ih->field) ; stralloc_free(&ih->addrs) ;
}
