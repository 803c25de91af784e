// Package timeline draws a concurrent run (a run.ConcTrace recorded with
// record=true) as a per-M timeline: in the terminal with Text, and as one
// self-contained HTML page comparing the old and the new version with HTML.
// It only reads traces; it runs nothing.
//
// What the pictures promise:
//   - Every recorded event is drawn, once, in the order of the log, in the
//     column (Text) or lane (HTML) of the M that made it. Text folds a run
//     of loads of one word by one M into one line ("t0.status.Load x3"),
//     and writes an acquisition or release ("acquired t0", "released t0")
//     on the line of the event that caused it, as "+t0" or "-t0"; the
//     line number is the index of its first event in tr.Events.
//   - The call an M is making is shown when it changes: a "> call" line
//     in Text, a box from the call's first to its last event in HTML,
//     labelled with the call as port.Call prints it and its outcome.
//     The calls are found from Event.Call, which numbers the setup calls,
//     then thread 0's, thread 1's, ...: the calls of thread m that took a
//     step are matched in order to the distinct Call values of M m's
//     events (a call that took no step records no event). If the two
//     disagree the call is shown as "call N".
//   - An M's held locks are shown when they change (Text: "M0 holds t0,
//     P0.timersLock"; HTML: a band per lock, teal for a timer's lock, the
//     status word in timerLocked; orange for a P's timersLock; gray for
//     allpLock and netpollInitLock).
//   - A switch between Ms is a line across all columns in Text, drawn
//     with '-' when the M was preempted, '=' when it blocked in lock (the
//     lock named), '~' when it spun in osyield, and '.' when the token
//     moved without a recorded switch (the M before had ended). In HTML
//     it is an arrow from lane to lane, in the same colors as the legend.
//     While another M runs, an M's column shows '|' (waiting to run), '#'
//     (blocked in lock) or '~' (spinning); its lane in HTML is gray,
//     red-hatched or purple-hatched.
//   - The Ms' Ps: an M runs one thread on one P for the whole run
//     (procresize is refused in threads), shown in its column or lane
//     name ("M1 on P1"); a call on another P's timers names that P
//     ("checkTimers(P0)") and its locks ("P0.timersLock").
//   - The verdict first: given the judge's lists (Verdict: the new
//     version's problems alone, both versions', the old one's alone),
//     both pictures open with them in the runtime's terms, grouped, and
//     number the steps of a run that make them (story.go): the releasem
//     that made a goroutine preemptible, its preemption and the P it
//     resumed on, a scheduler M's pidleput clearing an idle P's
//     timerpMask bit, the unlock after which the oracle saw a timer on
//     an idle P, a wakep that started no M, and what the drain after the
//     threads found, with the timer's due time. Steps showing a problem
//     of the new version alone are red. They are read from typed data
//     (sim.EventMark, ConcTrace.Sched, IdleAddAt, Lost, Final), never
//     from an event's text. HTML also draws an "idle Ps" lane: each P
//     while it is on the idle list, its bit, and the timer seen there.
//   - An equal run (the same results, no problem in either version) says
//     so and marks nothing as alarming: its steps are gray and no line
//     marks where the logs part.
//   - Where the versions part otherwise: Part compares the two logs' (M,
//     What) sequences and HTML draws a pink line through both panels at
//     the first event that differs, outlines that event in each, and
//     names it. Both panels share one time axis (one event per column),
//     so up to that line they are the same picture.
//   - Counts come from the run: goroutine preemptions at safe points
//     (and how many resumed on another P, which), switches between Ms by
//     reason; the legend lists only what the panels draw, with the real
//     P a goroutine moved to. The page's picture takes its full width.
//   - A tooltip names the held locks that the text line of its event
//     shows (the locks after the line's last event), so the two agree.
//   - Output is deterministic: the same traces give the same bytes.
//     Write errors are returned; a log this package cannot read (a
//     switch it does not know) is a broken invariant of the tester and
//     panics.
//
// The page has no script and loads nothing: its detail is in SVG <title>
// tooltips and <details> sections holding both Text pictures.
// TestBrowserFinding loads the finding's page in headless Chromium
// (chromedp), checks the verdict and the marked steps are on screen, and
// saves screenshots (TIMERDIFF_SCREENSHOT_DIR).
package timeline
