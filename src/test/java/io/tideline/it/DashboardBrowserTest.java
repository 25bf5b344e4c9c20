package io.tideline.it;

import static io.tideline.support.CloudEvents.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;

/**
 * The dashboard in a real headless Chromium (Debian's package): it opens, goes live over Server-Sent Events, and
 * an event posted afterwards shows up on the page by push — the page never polls.
 */
@EndToEndTest
class DashboardBrowserTest extends EndToEndSupport {

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void launchChromium() {
        String executable = System.getenv().getOrDefault("TIDELINE_CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(executable))) {
            throw new IllegalStateException("Chromium not found at " + executable
                    + ": run the suite with ./tideline test (it installs Debian's chromium) or set TIDELINE_CHROMIUM");
        }
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(executable))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void anEventPostedAfterThePageOpenedArrivesByPush() throws Exception {
        Page page = browser.newPage();
        List<String> polls = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onRequest(request -> {
            if (request.url().contains("/v1/aggregates")) {
                polls.add(request.url());
            }
        });
        page.navigate("http://127.0.0.1:" + port + "/");
        page.waitForSelector("#status[data-state=live]");

        String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("application/cloudevents+json", metric(name + "-1", name, 42.5, Instant.now()).toString()).statusCode())
                .isEqualTo(202);

        Locator row = page.locator("tr[data-series='KEY|metric-sample|" + name + "']");
        row.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(60_000));
        assertThat(row.locator("td.count").textContent()).isEqualTo("1");
        assertThat(row.textContent()).contains(name).contains("42.5");
        assertThat(row.locator("td.guarantee").textContent()).isEqualTo("at-least-once");
        // the per-type table is fed by the same push
        page.waitForFunction("() => Number(document.querySelector('#types tr[data-type=\"metric-sample\"] td.count')?.textContent) >= 1");
        assertThat(polls).as("the page must not poll for aggregates").isEmpty();

        // the declared metrics and rules, each with its lane; a declared metric's newest window arrives by push too
        assertThat(page.locator("#declared tr[data-metric='account-spend'] td.lane").textContent()).isEqualTo("fast");
        assertThat(page.locator("#declared tr[data-metric='merchant-volume'] td.lane").textContent()).isEqualTo("standard");
        assertThat(page.locator("#declared tr[data-metric='hourly-spend-by-country'] td.lane").textContent()).isEqualTo("batch");
        assertThat(page.locator("#declared tr[data-rule='paid-not-shipped'] td.lane").textContent()).isEqualTo("standard");
        assertThat(post("application/cloudevents+json", metric(name + "-2", "checkout.latency_ms", 12.5, Instant.now()).toString())
                .statusCode()).isEqualTo(202);
        page.waitForFunction("() => document.querySelector(\"#declared tr[data-metric='checkout-latency'] td.key\")?.textContent === 'checkout.latency_ms'",
                null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        assertThat(Long.parseLong(page.locator("#declared tr[data-metric='checkout-latency'] td.count").textContent())).isPositive();

        Files.createDirectories(Path.of("target"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/dashboard.png")).setFullPage(true));
    }
}
