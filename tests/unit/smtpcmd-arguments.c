/* smtpcmd-arguments: smtpd's command words (smtpcmd.h): verbs in any case
 * and only as whole words, MAIL FROM with SIZE= and BODY= (each reply
 * code exact: 501 syntax, 552 size, 555 unknown parameter, 553 8-bit),
 * RCPT TO with <postmaster> and without parameters, and the address
 * literal of the server itself. */
#include <limits.h>
#include <string.h>
#include <skalibs/stralloc.h>
#include "smtpcmd.h"
#include "tap.h"

static stralloc addr = STRALLOC_ZERO ;
static struct smtpcmd_mail m ;

static char const *mail(char const *s, unsigned long databytes)
{
  return smtpcmd_mail(s, strlen(s), databytes, &addr, &m) ;
}

static char const *rcpt(char const *s)
{
  return smtpcmd_rcpt(s, strlen(s), "mx.example.org", 14, &addr) ;
}

static void reply(char const *got, char const *prefix, char const *name)
{
  ok(got && !strncmp(got, prefix, strlen(prefix)), name) ;
  if (got && strncmp(got, prefix, strlen(prefix))) printf("#   expected: %s...\n#        got: %s\n", prefix, got) ;
  if (!got) printf("#   expected: %s...\n#        got: accepted\n", prefix) ;
}

static void verb(char const *line, enum smtpcmd_verb want, size_t wantarg, char const *name)
{
  size_t arg = 999 ;
  enum smtpcmd_verb v = smtpcmd_verb(line, strlen(line), &arg) ;
  is_int(v, want, name) ;
  if (want != SMTPCMD_UNKNOWN) is_int(arg, wantarg, name) ;
}

int main(void)
{
  size_t dom ;

  verb("EHLO client.example", SMTPCMD_EHLO, 5, "EHLO with argument") ;
  verb("helo x", SMTPCMD_HELO, 5, "helo in lower case") ;
  verb("MaIl FROM:<>", SMTPCMD_MAIL, 5, "MAIL in mixed case") ;
  verb("RCPT TO:<a@b>", SMTPCMD_RCPT, 5, "RCPT") ;
  verb("DATA", SMTPCMD_DATA, 4, "DATA alone: arg at the end") ;
  verb("RSET", SMTPCMD_RSET, 4, "RSET") ;
  verb("NOOP anything", SMTPCMD_NOOP, 5, "NOOP with a string") ;
  verb("QUIT", SMTPCMD_QUIT, 4, "QUIT") ;
  verb("VRFY bob", SMTPCMD_VRFY, 5, "VRFY") ;
  verb("HELP", SMTPCMD_HELP, 4, "HELP") ;
  verb("DATAX", SMTPCMD_UNKNOWN, 0, "verb followed by a letter is unknown") ;
  verb("MAIL:FROM", SMTPCMD_UNKNOWN, 0, "verb followed by a colon is unknown") ;
  verb("STARTTLS", SMTPCMD_STARTTLS, 8, "STARTTLS, eight letters") ;
  verb("starttls x", SMTPCMD_STARTTLS, 9, "starttls with an argument (smtpd refuses it)") ;
  verb("STARTTLSX", SMTPCMD_UNKNOWN, 0, "STARTTLS followed by a letter is unknown") ;
  verb("STAR", SMTPCMD_UNKNOWN, 0, "a prefix of STARTTLS is unknown") ;
  verb("BDAT 10", SMTPCMD_UNKNOWN, 0, "BDAT is not offered") ;
  verb("", SMTPCMD_UNKNOWN, 0, "empty line") ;
  verb("HEL", SMTPCMD_UNKNOWN, 0, "three letters") ;

  ok(!mail("FROM:<alice@example.org>", 0), "MAIL FROM:<path>") ;
  is_mem(addr.s, addr.len, "alice@example.org", 17, "sender") ;
  ok(!mail("from: <alice@example.org>", 0), "lower case and a space before the path") ;
  ok(!mail("FROM:<>", 0) && !addr.len, "null sender") ;
  ok(!mail("FROM:<a@b.example> SIZE=1000 BODY=8BITMIME", 1000), "SIZE at the limit and BODY=8BITMIME") ;
  is_int(m.size, 1000, "SIZE value") ;
  is_int(m.body8, 1, "BODY=8BITMIME noted") ;
  ok(!mail("FROM:<a@b.example> body=7bit", 0) && !m.body8, "BODY=7BIT, any case") ;
  ok(!mail("FROM:<a@b.example>  SIZE=5 ", 0) && m.size == 5, "extra spaces between parameters") ;
  ok(!mail("FROM:<a@b.example> SIZE=99999999999999999999999999", 0) && m.size == ULONG_MAX, "huge SIZE without a limit: taken as the largest") ;
  reply(mail("FROM:<a@b.example> SIZE=1001", 1000), "552 5.3.4 ", "SIZE over databytes: 552") ;
  is_int(addr.len, 0, "no sender kept after an error") ;
  reply(mail("FROM:<a@b.example> SIZE=99999999999999999999999999", 1000), "552 5.3.4 ", "SIZE past ULONG_MAX with a limit: 552") ;
  reply(mail("FROM:<a@b.example> SIZE=12x", 0), "501 5.5.4 ", "SIZE not a number: 501") ;
  reply(mail("FROM:<a@b.example> SIZE=", 0), "555 5.5.4 ", "SIZE= empty is no SIZE parameter: 555") ;
  reply(mail("FROM:<a@b.example> SIZE=1 SIZE=2", 0), "501 5.5.4 ", "SIZE twice: 501") ;
  reply(mail("FROM:<a@b.example> BODY=BINARYMIME", 0), "555 5.5.4 ", "BODY=BINARYMIME: 555") ;
  reply(mail("FROM:<a@b.example> AUTH=<>", 0), "555 5.5.4 ", "unknown parameter: 555") ;
  reply(mail("FROM:<a@b.example>SIZE=1", 0), "501 5.5.4 ", "no space after the path: 501") ;
  reply(mail("TO:<a@b.example>", 0), "501 5.5.4 ", "MAIL TO: 501") ;
  reply(mail("FROM:", 0), "501 5.1.7 ", "no path: 501 5.1.7") ;
  reply(mail("FROM:<a@@b>", 0), "501 5.1.7 ", "bad path: 501 5.1.7") ;
  reply(mail("FROM:<caf\xc3\xa9@b.example>", 0), "553 5.6.7 ", "8-bit sender: 553 5.6.7") ;

  ok(!rcpt("TO:<bob@example.org>"), "RCPT TO:<path>") ;
  is_mem(addr.s, addr.len, "bob@example.org", 15, "recipient") ;
  ok(!rcpt("to:<PostMaster>"), "<postmaster> without domain, any case") ;
  is_mem(addr.s, addr.len, "postmaster@mx.example.org", 25, "postmaster@me") ;
  ok(!rcpt("TO:<@a.example,@b.example:bob@example.org>"), "source route") ;
  is_mem(addr.s, addr.len, "bob@example.org", 15, "route dropped") ;
  ok(!rcpt("TO:<bob@example.org> "), "trailing space") ;
  reply(rcpt("TO:<>"), "501 5.1.3 ", "null recipient: 501 5.1.3") ;
  reply(rcpt("TO:<bob>"), "501 5.1.3 ", "recipient without domain: 501 5.1.3") ;
  reply(rcpt("TO:<bob@example.org> NOTIFY=NEVER"), "555 5.5.4 ", "RCPT parameter: 555") ;
  reply(rcpt("TO:<postmaster> NOTIFY=NEVER"), "555 5.5.4 ", "RCPT parameter after <postmaster>: 555") ;
  reply(rcpt("TO:<bob@example.org>x"), "501 5.5.4 ", "junk after the path: 501") ;
  reply(rcpt("FROM:<bob@example.org>"), "501 5.5.4 ", "RCPT FROM: 501") ;
  reply(rcpt("TO:<b\xc3\xb6" "b@example.org>"), "553 5.6.7 ", "8-bit recipient: 553 5.6.7") ;
  {
    char s[200] = "TO:<" ;
    memset(s + 4, 'x', 65) ;
    strcpy(s + 69, "@example.org>") ;
    reply(rcpt(s), "501 5.1.3 ", "65-octet local part: 501 5.1.3") ;
  }

  ok(smtpcmd_literalme("postmaster@[192.0.2.1]", 22, "192.0.2.1", &dom) && dom == 11, "our IPv4 literal") ;
  ok(smtpcmd_literalme("postmaster@[192.0.2.1]", 22, "::ffff:192.0.2.1", &dom), "our IPv4 literal, mapped TCPLOCALIP") ;
  ok(smtpcmd_literalme("a@[IPv6:2001:db8:0::25]", 23, "2001:db8::25", &dom) && dom == 2, "our IPv6 literal, another spelling") ;
  ok(!smtpcmd_literalme("postmaster@[192.0.2.2]", 22, "192.0.2.1", &dom), "another IPv4 literal") ;
  ok(!smtpcmd_literalme("postmaster@example.org", 22, "192.0.2.1", &dom), "a domain name") ;
  ok(!smtpcmd_literalme("postmaster@[192.0.2.1]", 22, 0, &dom), "no TCPLOCALIP") ;
  return tap_done() ;
}
