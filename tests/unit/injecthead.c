/* Unit tests for injecthead: which fields inject keeps, rewrites, removes
 * and adds, which recipients it finds, and the envelope sender. */
#include <string.h>
#include <skalibs/stralloc.h>
#include "header.h"
#include "injecthead.h"
#include "tap.h"

static struct injecthead_conf c = {
  .q = { "box", "example.org", "plus.example.net" },
  .idhost = "id.example.org",
  .user = "alice", .host = 0, .suser = "alice", .shost = 0, .name = 0,
} ;

static struct injecthead ih ;
static stralloc added ;

/* Runs a header through header_line and injecthead_field. */
static int run(char const *msg)
{
  struct header h = HEADER_ZERO ;
  char const *p = msg ;
  int r = 0 ;
  injecthead_free(&ih) ;
  memset(&ih, 0, sizeof ih) ;
  while (*p)
  {
    char const *nl = strchr(p, '\n') ;
    size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p) ;
    if (header_line(&h, p, len) != HEADER_MORE) break ;
    p += len ;
  }
  for (size_t i = 0 ; i < header_nfields(&h) && !r ; i++)
  {
    struct header_field const *f = header_field(&h, i) ;
    r = injecthead_field(&ih, &c, h.text.s + f->pos, f->len, f->namelen, f->valuepos) ;
  }
  header_free(&h) ;
  added.len = 0 ;
  if (!r) r = injecthead_added(&ih, &c, &added, 1764000000, 4242) ;
  return r ;
}

static char const *str(stralloc const *sa)
{
  static stralloc t ;
  stralloc_copyb(&t, sa->s, sa->len) ;
  stralloc_0(&t) ;
  return t.s ;
}

static char const *rcpts(void)
{
  static stralloc list, j ;
  size_t n = 0 ;
  list.len = 0 ; j.len = 0 ;
  injecthead_recipients(&ih, &list, &n) ;
  for (size_t i = 0 ; i < list.len ; i += strlen(list.s + i) + 1)
  {
    if (i) stralloc_catb(&j, "|", 1) ;
    stralloc_cats(&j, list.s + i) ;
  }
  stralloc_0(&j) ;
  return j.s ;
}

static char const *sender(char const *f)
{
  static stralloc s ;
  if (injecthead_sender(&ih, &c, f, &s)) return "(error)" ;
  return s.s ;
}

int main(void)
{
  is_int(run("To: bob\nBcc: carol@x.example.com, dave\nSubject: hi\n"), 0, "simple header") ;
  is_str(str(&ih.kept), "To: bob@box.example.org\nSubject: hi\n", "Bcc removed, To qualified, the rest kept") ;
  is_str(rcpts(), "bob@box.example.org|carol@x.example.com|dave@box.example.org", "recipients from To and Bcc") ;
  is_str(str(&added),
    "Date: Mon, 24 Nov 2025 16:00:00 +0000\n"
    "Message-ID: <1764000000.4242.cairn@id.example.org>\n"
    "From: alice@box.example.org\n", "Date, Message-ID and From added in that order") ;
  ok(!injecthead_resent(&ih), "not resent") ;

  is_int(run("bcc: x@y.example.com\nBCC : z@y.example.com\nReturn-Path: <rp@y.example.com>\nContent-Length: 12\nX: y\n"), 0, "fields to drop") ;
  is_str(str(&ih.kept), "X: y\n", "Bcc in any case, Return-Path and Content-Length removed") ;
  is_str(sender(0), "rp@y.example.com", "Return-Path sets the envelope sender") ;
  is_str(sender("f@y.example.com"), "f@y.example.com", "-f overrides Return-Path") ;
  is_str(sender("<bare>"), "bare@box.example.org", "-f <addr> is qualified, brackets dropped") ;
  is_str(sender(""), "", "-f '' is the null sender") ;
  ok(strstr(str(&added), "Cc: recipient list not shown: ;\n") != 0, "no To or Cc: qmail's Cc line added") ;

  is_int(run("Return-Path: <>\nTo: a@b.example\n"), 0, "null Return-Path") ;
  is_str(sender(0), "", "Return-Path <> gives the null sender") ;

  is_int(run("To: a@b.example\n"), 0, "no Return-Path") ;
  is_str(sender(0), "alice@box.example.org", "default sender: user@defaulthost") ;
  c.suser = "bounces" ; c.shost = "lists+" ;
  is_str(sender(0), "bounces@lists.plus.example.net", "QMAILSUSER and QMAILSHOST, qualified") ;
  c.suser = "alice" ; c.shost = 0 ;
  c.deletereturnpath = 1 ;
  is_int(run("Return-Path: <rp@y.example.com>\nTo: a@b.example\n"), 0, "QMAILINJECT=s") ;
  is_str(sender(0), "alice@box.example.org", "Return-Path ignored") ;
  c.deletereturnpath = 0 ;

  is_int(run("From: Someone <me>\nDate: x\nMessage-Id: <1@x>\nCc: c\n"), 0, "header with From, Date, Message-ID") ;
  is_str(str(&added), "", "nothing added") ;
  is_str(str(&ih.kept), "From: Someone <me@box.example.org>\nDate: x\nMessage-Id: <1@x>\nCc: c@box.example.org\n", "From qualified, Date untouched") ;

  c.deletefrom = 1 ; c.deletemessageid = 1 ;
  is_int(run("From: x@y.example\nMessage-ID: <1@x>\nTo: t@y.example\n"), 0, "QMAILINJECT=fi") ;
  is_str(str(&ih.kept), "To: t@y.example\n", "From and Message-ID dropped") ;
  ok(strstr(str(&added), "\nFrom: alice@box.example.org\n") && strstr(str(&added), "Message-ID: <"), "and made again") ;
  c.deletefrom = 0 ; c.deletemessageid = 0 ;

  c.name = "Alice \"Al\" Smith" ;
  run("To: t@y.example\n") ;
  ok(strstr(str(&added), "From: \"Alice \\\"Al\\\" Smith\" <alice@box.example.org>\n") != 0, "From with display name, quotes escaped") ;
  c.namecomment = 1 ; c.name = "Alice (A)" ;
  run("To: t@y.example\n") ;
  ok(strstr(str(&added), "From: alice@box.example.org (Alice \\(A\\))\n") != 0, "QMAILINJECT=c: name as a comment") ;
  c.namecomment = 0 ; c.name = "Evil\nBcc: x@y" ;
  run("To: t@y.example\n") ;
  ok(strstr(str(&added), "From: \"Evil Bcc: x@y\" <alice@box.example.org>\n") != 0, "newline in the name cannot start a field") ;
  c.name = 0 ; c.user = "john doe" ; c.host = "h.example" ;
  run("To: t@y.example\n") ;
  ok(strstr(str(&added), "From: \"john doe\"@h.example\n") != 0, "user name needing quotes, QMAILHOST") ;
  c.user = "alice" ; c.host = 0 ;

  /* resent messages */
  is_int(run("To: orig@x.example\nResent-To: new\nResent-Bcc: hidden@x.example\nBcc: oldhidden@x.example\n"), 0, "resent message") ;
  ok(injecthead_resent(&ih), "seen as resent") ;
  is_str(rcpts(), "new@box.example.org|hidden@x.example", "recipients from Resent- fields only") ;
  is_str(str(&ih.kept), "To: orig@x.example\nResent-To: new@box.example.org\n", "Resent-Bcc and Bcc removed") ;
  ok(strstr(str(&added), "Resent-Date: ") && strstr(str(&added), "Resent-Message-ID: ") && strstr(str(&added), "Resent-From: "),
     "Resent-Date, Resent-Message-ID, Resent-From added") ;
  ok(!strstr(str(&added), "\nDate:") && strncmp(str(&added), "Date:", 5) && !strstr(str(&added), "\nFrom:"), "not Date or From") ;

  is_int(run("To: Joe <>, undisclosed:;\nCc: x\n"), 0, "empty addresses") ;
  is_str(rcpts(), "x@box.example.org", "the empty address is not a recipient") ;

  is_int(run("To: \"unclosed\n"), ADDRLIST_ESYNTAX, "syntax error reported") ;
  is_int(run("X-Not-Address: \"unclosed\n"), 0, "other fields are not parsed") ;

  return tap_done() ;
}
