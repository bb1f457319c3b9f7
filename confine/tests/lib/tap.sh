# shellcheck shell=sh
# TAP helpers for the host suites written in sh (sourced, not run):
#   ok DESCRIPTION, nok DESCRIPTION: one test line, counted in n (and fails)
#   is DESCRIPTION GOT EXPECTED: ok when equal, else nok with both shown
#   tap_end: the plan line; exits 1 when a test failed
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; printf '# expected: %s\n# got:      %s\n' "$3" "$2"; fi; }
tap_end() {
	echo "1..$n"
	[ "$fails" = 0 ] || exit 1
	exit 0
}
