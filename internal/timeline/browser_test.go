package timeline

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findingPage draws the finding as difftest replay -html does.
func findingPage(t *testing.T) []byte {
	t.Helper()
	r, v := finding(t)
	var b bytes.Buffer
	if err := HTML(&b, &r.Old, &r.New, v, "corpus/findings/modtimer_adds_to_idle_p.ops"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// browser finds a Chromium or Chrome: $TIMERDIFF_CHROME, else the usual
// names on $PATH.
func browser() string {
	if p := os.Getenv("TIMERDIFF_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserFinding loads the finding's page in headless Chromium, checks
// that the verdict and the marked steps are on screen, and saves a
// screenshot: in $TIMERDIFF_SCREENSHOT_DIR if set, else in the test's
// temporary folder. It skips only when no browser can be found.
func TestBrowserFinding(t *testing.T) {
	exe := browser()
	if exe == "" {
		t.Skip("no Chromium or Chrome found (tried $TIMERDIFF_CHROME, chromium, chromium-browser, google-chrome, chrome, headless-shell on $PATH): apt-get install chromium to run this test")
	}
	dir := os.Getenv("TIMERDIFF_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "modtimer_adds_to_idle_p.html")
	if err := os.WriteFile(page, findingPage(t), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ctx, cancel = chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1600, 1000),
	)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+abs), chromedp.WaitVisible(chromedp.CSS("#verdict"))); err != nil {
		t.Fatalf("loading %s in %s: %v", abs, exe, err)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#verdict")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"The new version alone", "timer on idle P", "t0 in the heap of idle P0", "unnoticed timer", "The old version alone", "cause: timer on idle P at modtimer -> doaddtimer", "after a move at modtimer -> lock"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("the verdict on screen lacks %q:\n%s", want, verdict)
		}
	}

	// Every marked step is drawn on screen, inside the page's width, and
	// the alarming ones are the problems of the new version alone.
	type mark struct {
		Label         string
		Group         string
		X, Y, W, H    float64
		PageW, Screen float64
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]mark](`[...document.querySelectorAll("g.step")].map(g => {
		const r = g.getBoundingClientRect();
		return {Label: g.textContent, Group: g.dataset.group, X: r.x, Y: r.y, W: r.width, H: r.height,
			PageW: document.documentElement.scrollWidth, Screen: window.innerWidth};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	wantSteps := []struct{ text, group string }{
		{"t0.unlock's releasem", "0"},
		{"preempted in the prologue of lock(P0.timersLock)", "0"},
		{"pidleput(P0): updateTimerPMask clears P0's timerpMask bit", "0"},
		{"resumes on P2 and takes P0.timersLock", "0"},
		{"t0 in the heap of idle P0", "1"},
		{"no wakep: another M is spinning in the scheduler, so no M is started to take P0", "0"},
		{"due at 101 (now 105)", "1"},
	}
	for _, w := range wantSteps {
		found := false
		for _, m := range marks {
			if !strings.Contains(m.Label, w.text) {
				continue
			}
			found = true
			if m.W <= 0 || m.H <= 0 || m.X < 0 || m.X+m.W > m.PageW+1 {
				t.Errorf("step %q is not visible on the page: %+v", w.text, m)
			}
			if m.Group != w.group {
				t.Errorf("step %q is in group %s, want %s", w.text, m.Group, w.group)
			}
		}
		if !found {
			t.Errorf("no marked step %q on the page; the steps are:\n%v", w.text, marks)
		}
	}

	// The picture uses the page's width.
	svgW, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("svg").getBoundingClientRect().width / document.documentElement.clientWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if svgW < 0.9 {
		t.Errorf("the timeline takes %.0f%% of the page's width, want at least 90%%", 100*svgW)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "modtimer_adds_to_idle_p.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	// The timeline alone, for a closer look.
	pic, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("svg")))
	if err != nil {
		t.Fatal(err)
	}
	picShot := filepath.Join(dir, "modtimer_adds_to_idle_p.timeline.png")
	if err := os.WriteFile(picShot, pic, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (the timeline alone: %s; the page: %s)", shot, picShot, page)
}
