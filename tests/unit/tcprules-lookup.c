/* tcprules-lookup: smtppool's reading of a rules cdb made by the real
 * tcprules (ucspi-tcp): the whole address first, then the prefixes
 * ending in '.' (':' for IPv6) longest first, then the default rule;
 * deny; variables set (empty values, values holding '=') and all of them
 * unset again for the next connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/cdb.h>
#include <skalibs/stralloc.h>
#include "tcprules.h"
#include "tap.h"

static char dir[] = "/tmp/tcprules-lookup.XXXXXX" ;

static void bail(char const *what) { printf("Bail out! %s\n", what) ; exit(1) ; }

/* Compiles rules with tcprules into dir/NAME.cdb and opens it. */
static void compile(cdb *c, char const *name, char const *rules)
{
  char cmd[512], fn[256] ;
  FILE *f ;
  snprintf(fn, sizeof fn, "%s/%s", dir, name) ;
  f = fopen(fn, "w") ;
  if (!f || fputs(rules, f) < 0 || fclose(f)) bail("cannot write the rules") ;
  snprintf(cmd, sizeof cmd, "tcprules %s/%s.cdb %s/%s.tmp < %s", dir, name, dir, name, fn) ;
  if (system(cmd)) bail("tcprules failed") ;
  snprintf(fn, sizeof fn, "%s/%s.cdb", dir, name) ;
  if (!cdb_init(c, fn)) bail("cannot open the cdb") ;
}

/* The outcome for ip: "none", "deny", or "allow" and the variables set,
 * as "allow A=x B=" in the order of the rule. */
static char const *outcome(cdb const *c, char const *ip)
{
  static char out[512] ;
  static stralloc names = STRALLOC_ZERO ;
  cdb_data d ;
  int r = tcprules_find(c, ip, &d) ;
  if (r < 0) return "broken" ;
  if (!r) return "none" ;
  r = tcprules_apply(d.s, d.len, &names) ;
  if (r < 0) return "nomem" ;
  snprintf(out, sizeof out, "%s", r ? "allow" : "deny") ;
  /* names holds NAME, then its value from before ("=..." or "!") */
  for (size_t i = 0 ; i < names.len ; i += strlen(names.s + i) + 1, i += strlen(names.s + i) + 1)
  {
    char const *v = getenv(names.s + i) ;
    size_t n = strlen(out) ;
    snprintf(out + n, sizeof out - n, " %s=%s", names.s + i, v ? v : "(unset)") ;
  }
  tcprules_unset(&names) ;
  return out ;
}

int main(void)
{
  cdb c = CDB_ZERO, none = CDB_ZERO ;
  if (system("command -v tcprules > /dev/null"))
  {
    printf("1..0 # SKIP tcprules (ucspi-tcp) is not installed\n") ;
    return 0 ;
  }
  if (!mkdtemp(dir)) bail("mkdtemp") ;
  compile(&c, "r",
    "1.2.3.4:allow,RELAYCLIENT=\"\",DATABYTES=\"100\"\n"
    "1.2.3.:deny\n"
    "1.2.:allow,NET=\"1.2\"\n"
    "=mx.example.org:allow,HOST=\"1\"\n"
    "10.0.0.1-3:allow,RANGE=\"yes\"\n"
    "10.:allow,X=\"a=b\",Y=\"\"\n"
    "::1:allow,V6=\"loop\"\n"
    "2001:db8:1::5:deny\n"
    "2001:db8::allow,V6=\"doc\"\n"
    ":allow,DEFAULT=\"1\"\n") ;
  is_str(outcome(&c, "1.2.3.4"), "allow RELAYCLIENT= DATABYTES=100", "the whole address first, with its variables") ;
  is_str(outcome(&c, "1.2.3.5"), "deny", "a dotted prefix denies") ;
  is_str(outcome(&c, "1.2.30.5"), "allow NET=1.2", "a shorter prefix after the longer ones") ;
  is_str(outcome(&c, "1.2.3.40"), "deny", "1.2.3.4 is not a prefix of 1.2.3.40: only prefixes ending in a dot") ;
  is_str(outcome(&c, "10.0.0.2"), "allow RANGE=yes", "a range tcprules expanded") ;
  is_str(outcome(&c, "10.0.0.4"), "allow X=a=b Y=", "a value holding '=', an empty value") ;
  is_str(outcome(&c, "192.0.2.1"), "allow DEFAULT=1", "the default rule") ;
  is_str(outcome(&c, "::1"), "allow V6=loop", "an IPv6 address whole") ;
  is_str(outcome(&c, "2001:db8:1::5"), "deny", "an IPv6 address denied") ;
  is_str(outcome(&c, "2001:db8::7"), "allow V6=doc", "an IPv6 prefix ending in ':'") ;
  is_str(outcome(&c, "2001:db9::7"), "allow DEFAULT=1", "an IPv6 address under no prefix") ;
  ok(!getenv("RELAYCLIENT") && !getenv("DATABYTES") && !getenv("X") && !getenv("V6"), "nothing is left set after tcprules_unset") ;
  compile(&none, "n", "1.2.3.4:allow,A=\"1\"\n") ;
  is_str(outcome(&none, "5.6.7.8"), "none", "no rule and no default: none (tcpserver allows)") ;
  is_str(outcome(&none, "1.2.3.4"), "allow A=1", "the one rule") ;
  {
    /* unterminated and unknown entries are skipped, as tcpserver does */
    static stralloc names = STRALLOC_ZERO ;
    char const data[] = "?odd\0+=x\0+NOEQ\0+K=v\0+TAIL=cut" ;
    is_int(tcprules_apply(data, sizeof data - 1, &names), 1, "odd entries do not deny") ;
    is_str(getenv("K"), "v", "the good entry among them is set") ;
    ok(!getenv("TAIL") && !getenv("NOEQ"), "an unterminated entry and one without '=' are not") ;
    tcprules_unset(&names) ;
    ok(!getenv("K"), "unset again") ;
  }
  {
    /* a variable of the service's own environment that a rule overrides
     * gets its value back for the next connection; one set twice by the
     * same rule too */
    static stralloc names = STRALLOC_ZERO ;
    char const data[] = "+TLSREQUIRED=0\0+TLSREQUIRED=2\0+NEW=1\0" ;
    setenv("TLSREQUIRED", "1", 1) ;
    is_int(tcprules_apply(data, sizeof data - 1, &names), 1, "a rule overriding the service's variable") ;
    is_str(getenv("TLSREQUIRED"), "2", "  holds the rule's last value during the connection") ;
    tcprules_unset(&names) ;
    is_str(getenv("TLSREQUIRED"), "1", "  and the service's value afterwards") ;
    ok(!getenv("NEW"), "  while a variable the service did not have is unset") ;
    unsetenv("TLSREQUIRED") ;
  }
  {
    char cmd[300] ;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir) ;
    if (system(cmd)) bail("rm") ;
  }
  return tap_done() ;
}
