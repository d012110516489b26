# tests/lib/tlscert.sh: test certificates (sourced after instance.sh).
#   tls_cert [ec|rsa] [CN]   a self-signed certificate for CN (default
#                            mx.example.org) in $H/control/tlscert and its
#                            key in $H/control/tlskey (mode 600)
tls_cert() {
  case ${1:-ec} in
    ec) _tc_new="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1" ;;
    rsa) _tc_new="-newkey rsa:2048" ;;
  esac
  rm -f "$H/control/tlscert" "$H/control/tlskey"
  (umask 077; openssl req -x509 $_tc_new -nodes -keyout "$H/control/tlskey" -out "$H/control/tlscert" \
    -days 2 -subj "/CN=${2:-mx.example.org}" 2>"$T/openssl.err") \
    || { echo "Bail out! openssl req: $(cat "$T/openssl.err")"; exit 1; }
}
