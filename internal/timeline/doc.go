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
//   - Where the versions part: Part compares the two logs' (M, What)
//     sequences and HTML draws a pink line through both panels at the
//     first event that differs, outlines that event in each, and names
//     it. Both panels share one time axis (one event per column), so up
//     to that line they are the same picture.
//   - Output is deterministic: the same traces give the same bytes.
//     Write errors are returned; a log this package cannot read (a
//     switch it does not know) is a broken invariant of the tester and
//     panics.
//
// The page has no script and loads nothing: its detail is in SVG <title>
// tooltips and <details> sections holding both Text pictures.
package timeline
