#!/usr/bin/env bash
# Makes sure Debian's Chromium and ChromeDriver are there for the dashboard's browser tests:
# installs them with apt-get when missing (CI runs as root on Debian), and otherwise fails
# the build saying what to install. The tests never skip for want of a browser.
set -euo pipefail

chromium="${CHROMIUM:-/usr/bin/chromium}"
driver="${CHROMEDRIVER:-/usr/bin/chromedriver}"

fail() {
  echo "ensure-chromium: $*" >&2
  echo "ensure-chromium: the dashboard's browser tests (samples/wordcount) need Debian's 'chromium' and" \
    "'chromium-driver' packages ($chromium, $driver). Install them (apt-get install -y chromium" \
    "chromium-driver) or point CHROMIUM and CHROMEDRIVER at a Chromium and its matching ChromeDriver." >&2
  exit 1
}

if [ -x "$chromium" ] && [ -x "$driver" ]; then
  echo "ensure-chromium: $("$chromium" --version 2>/dev/null || echo "$chromium") with $("$driver" --version 2>/dev/null | cut -d' ' -f1-2)"
  exit 0
fi

[ "$(id -u)" = "0" ] || fail "they are missing, and this build does not run as root, so it cannot install them."
command -v apt-get > /dev/null || fail "they are missing, and there is no apt-get to install them with."

echo "ensure-chromium: installing chromium and chromium-driver with apt-get (once per machine)"
export DEBIAN_FRONTEND=noninteractive
# Other builds on the machine may hold dpkg's lock for a while: wait for it.
apt_options=(-q -o DPkg::Lock::Timeout=600)
apt-get "${apt_options[@]}" update || fail "'apt-get update' failed (no network to Debian's mirrors?)."
apt-get "${apt_options[@]}" install -y --no-install-recommends chromium chromium-driver \
  || fail "'apt-get install chromium chromium-driver' failed."
[ -x "$chromium" ] && [ -x "$driver" ] || fail "apt-get installed the packages, but $chromium or $driver is still missing."
echo "ensure-chromium: installed $("$chromium" --version 2>/dev/null)"
