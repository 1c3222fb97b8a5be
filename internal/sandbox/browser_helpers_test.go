package sandbox

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// startSandbox runs a sandbox on a free port for one test.
func startSandbox(t *testing.T) *Sandbox {
	t.Helper()
	back := testBackend(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sb, err := Start(ctx, Options{Listen: "127.0.0.1:0", Backend: back, Logger: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

// page is a headless Chromium tab on the sandbox. On failure the test's
// screenshot is written under its output folder and the path logged.
type page struct {
	t   *testing.T
	ctx context.Context
	url string
}

// openSandboxPage starts a sandbox for one browser test and opens a tab on
// it. The browser is the one testenv.Chromium names: without it the test
// skips (fails under `make test`) before anything is started.
func openSandboxPage(t *testing.T) (*Sandbox, *page) {
	t.Helper()
	chromium := testenv.Chromium(t)
	sb := startSandbox(t)
	return sb, openPage(t, sb, chromium)
}

func openPage(t *testing.T, sb *Sandbox, chromium string) *page {
	t.Helper()
	parent, err := theBrowser(chromium)
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	// A browser context of its own is a fresh profile, as a new incognito
	// window is: no cookie, storage or cache of another test.
	ctx, cancelTab := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	p := &page{t: t, ctx: ctx, url: sb.URL()}
	t.Cleanup(func() {
		if t.Failed() {
			p.screenshot("failure")
		}
		cancelTab()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return p
}

// browser is the one Chromium the package's browser tests share, started by
// the first of them: starting a browser costs about a second of both cores,
// a new browser context in it a few milliseconds. TestMain stops it.
var browser struct {
	once sync.Once
	ctx  context.Context
	err  error
	stop func()
}

// theBrowser starts the shared Chromium (the executable at chromium) on first
// use and returns the context every test's tab is made from.
func theBrowser(chromium string) (context.Context, error) {
	browser.once.Do(func() {
		profile, err := os.MkdirTemp("", "cognito-bot-sandbox-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromium),
			chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-dev-shm-usage", true),
			// Every test's window is in the foreground: none has its timers slowed.
			chromedp.Flag("disable-background-timer-throttling", true), chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.UserDataDir(profile), chromedp.WindowSize(1400, 900),
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(actx)
		browser.ctx = ctx
		browser.stop = func() {
			cancelBrowser()
			cancelAlloc()
			_ = os.RemoveAll(profile)
		}
		// The first Run starts the browser; it must not carry a timeout.
		browser.err = chromedp.Do(ctx)
	})
	return browser.ctx, browser.err
}

// stopBrowser stops the shared Chromium, if a test started it.
func stopBrowser() {
	if browser.stop != nil {
		browser.stop()
	}
}

// shotDir is where screenshots go: the -artifacts output folder when given,
// else a folder under the system temp dir that outlives the test.
func shotDir(t *testing.T) string {
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return t.ArtifactDir()
	}
	dir := filepath.Join(os.TempDir(), "cognito-bot-sandbox-shots", strings.ReplaceAll(t.Name(), "/", "_"))
	_ = os.MkdirAll(dir, 0o755)
	return dir
}

func (p *page) screenshot(name string) string {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot %s failed: %v", name, err)
		return ""
	}
	path := filepath.Join(shotDir(p.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Logf("writing screenshot: %v", err)
		return ""
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

// run performs browser steps, failing the test with what was being done.
func (p *page) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](p *page, what, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// as opens the page as a persona in a channel.
func (p *page) as(persona, channel string) {
	p.t.Helper()
	p.run("opening the page as "+persona,
		chromedp.Navigate(p.url+"/?persona="+persona+"&channel="+channel),
		chromedp.WaitVisible(chromedp.CSS(`.persona.active[data-persona="`+persona+`"]`)),
	)
}

// switchTo clicks a persona in the switcher, as a visitor would.
func (p *page) switchTo(persona string) {
	p.t.Helper()
	p.run("switching to "+persona,
		chromedp.Click(chromedp.CSS(`.persona[data-persona="`+persona+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.persona.active[data-persona="`+persona+`"]`)),
	)
}

// open clicks a channel in the sidebar by its shown name.
func (p *page) open(name string) {
	p.t.Helper()
	p.waitText("the sidebar lists "+name, ".channel", name)
	ok := eval[bool](p, "opening "+name, `(() => { const b = Array.from(document.querySelectorAll(".channel")).find(e => e.innerText.includes(`+jsString(name)+`)); if (b) b.click(); return !!b })()`)
	if !ok {
		p.t.Fatalf("no channel %s", name)
	}
	p.waitText("the conversation header", "#conv-name", name)
}

// command types a slash command into the composer and sends it.
func (p *page) command(text string) {
	p.t.Helper()
	p.run("typing "+text,
		chromedp.WaitVisible(chromedp.CSS(`#composer-input`)),
		chromedp.SendKeys(chromedp.CSS(`#composer-input`), text+"\r"),
	)
}

// click clicks the first element matching css.
func (p *page) click(what, css string) {
	p.t.Helper()
	p.run(what, chromedp.WaitVisible(chromedp.CSS(css)), chromedp.Click(chromedp.CSS(css)))
}

// waitText waits until some element matched by css contains text.
func (p *page) waitText(what, css, text string) {
	p.t.Helper()
	js := `Array.from(document.querySelectorAll(` + jsString(css) + `)).some(e => e.innerText.includes(` + jsString(text) + `))`
	p.run(what, chromedp.Steps(func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond))(ctx, t)
		return chromedp.Void{}, err
	}))
}

// settle waits, a few seconds at most and without failing, until the
// JavaScript condition js holds: for a check of what the page does after the
// event it awaited (a form closing once its answer has shown), whose own
// message says what was wrong if it never does.
func (p *page) settle(js string) {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	_ = chromedp.Do(ctx, chromedp.Steps(func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))(ctx, t)
		return chromedp.Void{}, err
	}))
}

// count returns how many elements match css.
func (p *page) count(css string) int {
	p.t.Helper()
	return eval[int](p, "counting "+css, `document.querySelectorAll(`+jsString(css)+`).length`)
}

// text returns the inner text of the first element matching css.
func (p *page) text(css string) string {
	p.t.Helper()
	return eval[string](p, "reading "+css, `(document.querySelector(`+jsString(css)+`)||{innerText:""}).innerText`)
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// typeInto focuses a field and types text into it, like a person.
func typeInto(css, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(css)), chromedp.SendKeys(chromedp.CSS(css), text))
}

// setSelect picks the option labelled label in a select, as a person would,
// firing the change event the page listens to.
func setSelect(css, label string) chromedp.Action[chromedp.Void] {
	js := `(() => { const s = document.querySelector(` + jsString(css) + `); const o = Array.from(s.options).find(o => o.textContent === ` + jsString(label) + `); s.value = o.value; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(css)), func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return chromedp.Void{}, err
	})
}
