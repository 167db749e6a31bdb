#!/bin/sh
# Starts the chromium of the console's tests (KAFKALITE_CHROMIUM, else Debian's) with two more features off: the
# omnibox's WebUI popups, which Chromium preloads into a renderer process of their own for every window, headless too.
# That renderer is not the page and cost ~1.3 s of CPU per page the tests open, a third of chromium's CPU in `npm test`.
# Chromium takes only the last --disable-features switch, so the two are added to playwright-core's own list rather
# than passed in a switch of their own, which would turn playwright-core's list (test-friendly defaults) back on.
for arg do
  shift
  case $arg in --disable-features=*) arg="$arg,WebUIOmniboxPopup,WebUIOmniboxAimPopup" ;; esac
  set -- "$@" "$arg"
done
exec "${KAFKALITE_CHROMIUM:-/usr/bin/chromium}" "$@"
