package io.ringmq.amqp.management;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live page in a real browser: Debian's headless chromium, driven by Selenium through Debian's chromedriver
 * (no browser download: the network is closed). A queue is declared and fed through the AMQP door; the page,
 * opened once, shows its depth, then its in-rate, and draws the rate, without being reloaded. The screenshot
 * goes to amqp/target/live-page.png and docs/ops/live-page.png (the README's picture).
 */
@Timeout(120)
class LivePageBrowserTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String QUEUE = "live-orders";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path profile;

    @Test
    void thePageShowsAQueuesDepthAndInRateAsMessagesArriveWithoutReloading() throws Exception
    {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER))
        {
            fail("the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER +
                "): apt-get install -y chromium chromium-driver, or interop/scripts/packages.sh install browser " +
                "(.ci/run installs them)");
        }
        try (ManagedServer server = ManagedServer.start(); Connection client = server.connect())
        {
            final Channel channel = client.createChannel();
            channel.queueDeclare(QUEUE, false, false, false, null);
            for (int i = 0; i < 3; i++)
            {
                channel.basicPublish("", QUEUE, null, ("order " + i).getBytes(StandardCharsets.UTF_8));
            }
            final WebDriver browser = chromium();
            try
            {
                // Basic auth in the URL: Chrome logs in with it for the page, and resends that login with the
                // page's own requests to the API (the page asks from location.origin, a URL without credentials).
                browser.get("http://guest:guest@127.0.0.1:" + server.server().managementAddress().getPort() + "/");
                final WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
                wait.withMessage("the queue's depth, 3, on the page").until(page -> "3".equals(cell(page, "ready")));
                ((JavascriptExecutor)browser).executeScript("window.notReloaded = true");

                final AtomicBoolean publishing = new AtomicBoolean(true);
                final Thread publisher = publisher(client, publishing);
                try
                {
                    wait.withMessage("an in-rate above 0 for the queue").until(page -> number(cell(page, "in")) > 0);
                    wait.withMessage("the depth growing past 3").until(page -> number(cell(page, "ready")) > 3);
                    wait.withMessage("a few seconds of rate history").until(page -> ((Number)((JavascriptExecutor)page)
                        .executeScript("return (history.get('') || []).length")).intValue() >= 5);
                }
                finally
                {
                    publishing.set(false);
                    publisher.join(WAIT.toMillis());
                }
                assertEquals(Boolean.TRUE, ((JavascriptExecutor)browser).executeScript("return window.notReloaded === true"),
                    "the page updated itself: it was never reloaded");
                assertTrue(inRatePixels(browser) > 20, "the chart drew the in-rate (blue) line");
                saveScreenshot(browser);
            }
            finally
            {
                browser.quit();
            }
        }
    }

    /** The flags that keep chromium from reaching for the (closed) network, and a profile of its own. */
    private WebDriver chromium()
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--window-size=1300,1000");
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(WAIT)
            .build();
        final ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        return driver;
    }

    /** About 100 messages a second on a channel of its own, until told to stop, 3000 at most. */
    private static Thread publisher(final Connection client, final AtomicBoolean publishing)
    {
        final Thread thread = new Thread(() ->
        {
            try (Channel channel = client.createChannel())
            {
                for (int i = 0; i < 3000 && publishing.get(); i++)
                {
                    channel.basicPublish("", QUEUE, null, ("more " + i).getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(10);
                }
            }
            catch (final IOException | java.util.concurrent.TimeoutException ex)
            {
                throw new IllegalStateException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "live-page-publisher");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The text of the queue's row's cell of class {@code column}, or null while the page has not drawn it. */
    private static String cell(final WebDriver page, final String column)
    {
        try
        {
            return page.findElement(By.cssSelector("#queues tr[data-name='" + QUEUE + "'] td." + column)).getText();
        }
        catch (final NoSuchElementException | StaleElementReferenceException ex) // the table is redrawn every poll
        {
            return null;
        }
    }

    private static double number(final String text)
    {
        return text == null || text.isEmpty() ? -1 : Double.parseDouble(text);
    }

    /** Pixels of the chart in the in-rate's colour (#1f77b4): the line is there, not only the axes. */
    private static long inRatePixels(final WebDriver browser)
    {
        return ((Number)((JavascriptExecutor)browser).executeScript(
            "const c = document.getElementById('chart');" +
            "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;" +
            "let n = 0;" +
            "for (let i = 0; i < d.length; i += 4) {" +
            "  if (Math.abs(d[i] - 31) < 40 && Math.abs(d[i + 1] - 119) < 40 && Math.abs(d[i + 2] - 180) < 40) n++;" +
            "}" +
            "return n;")).longValue();
    }

    private static void saveScreenshot(final WebDriver browser) throws IOException
    {
        final Path module = Path.of(System.getProperty("user.dir"));
        final Path target = module.resolve("target/live-page.png");
        Files.createDirectories(target.getParent());
        Files.write(target, ((org.openqa.selenium.TakesScreenshot)browser).getScreenshotAs(OutputType.BYTES));
        final Path docs = module.getParent().resolve("docs/ops/live-page.png");
        Files.createDirectories(docs.getParent());
        Files.copy(target, docs, StandardCopyOption.REPLACE_EXISTING);
    }
}
