package dev.saga.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The order service's live page in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}; {@code .ci/run} installs them), driven as a person would: fill in the form,
 * place the order, watch its status and timeline.
 */
final class LivePage implements AutoCloseable {

  /** Debian's Chromium, or the browser named by {@code SAGA_CHROMIUM}. */
  static final Path CHROMIUM = Path.of(setting("SAGA_CHROMIUM", "/usr/bin/chromium"));

  /** Debian's chromedriver, or the driver named by {@code SAGA_CHROMEDRIVER}. */
  static final Path CHROMEDRIVER = Path.of(setting("SAGA_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ChromeDriver browser;
  private final WebDriverWait wait;

  private LivePage(ChromeDriver browser) {
    this.browser = browser;
    this.wait = new WebDriverWait(browser, WAIT);
    // The page re-renders its tables as events arrive; a reference read mid-render is read again.
    this.wait.ignoring(StaleElementReferenceException.class);
  }

  /**
   * Opens the page; without Chromium the test is skipped on a developer's machine, and fails in CI,
   * which installs it.
   */
  static LivePage open(String baseUrl) {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(installed, "Chromium and chromedriver are not installed");
    }
    assertThat(installed).as("%s and %s are installed", CHROMIUM, CHROMEDRIVER).isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in a container has no user namespace for Chromium's sandbox.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1360,1200");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    LivePage page = new LivePage(new ChromeDriver(service, options));
    page.browser.get(baseUrl + "/");
    page.wait.until(
        driver ->
            driver.findElements(By.cssSelector("#product option")).stream()
                .anyMatch(option -> !option.getAttribute("value").isEmpty()));
    page.wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "Live"));
    return page;
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Fills in the form and places the order. */
  void place(String customerId, String productId, int quantity) {
    WebElement customer = browser.findElement(By.id("customer"));
    customer.clear();
    customer.sendKeys(customerId);
    new Select(browser.findElement(By.id("product"))).selectByValue(productId);
    WebElement amount = browser.findElement(By.id("quantity"));
    amount.clear();
    amount.sendKeys(Integer.toString(quantity));
    String before = browser.findElement(By.id("place-result")).getText();
    browser.findElement(By.id("place")).click();
    wait.until(
        driver -> {
          String result = driver.findElement(By.id("place-result")).getText();
          return result.startsWith("Placed order") && !result.equals(before);
        });
  }

  /** Waits until the shown order's status reads {@code status}. */
  void awaitStatus(String status) {
    wait.until(ExpectedConditions.textToBe(By.id("order-status"), status));
  }

  /** Waits until the shown order's timeline has a row of {@code type} with {@code detail}. */
  void awaitEvent(String type, String detail) {
    wait.until(
        driver ->
            timeline("#timeline tr").stream()
                .anyMatch(
                    cells ->
                        cells.size() == 5
                            && cells.get(2).startsWith(type)
                            && cells.get(3).startsWith(detail)));
  }

  /**
   * The cells' text of the rows {@code selector} names, read in one script: the page re-renders its
   * tables as events arrive, so element references would go stale between reads.
   */
  @SuppressWarnings("unchecked")
  private List<List<String>> timeline(String selector) {
    return (List<List<String>>)
        browser.executeScript(
            "return [...document.querySelectorAll(arguments[0])]"
                + ".map(row => [...row.cells].map(cell => cell.textContent));",
            selector);
  }

  /** The trace id the page shows for the order. */
  String traceId() {
    return browser.findElement(By.id("order-trace")).getText();
  }

  /** The event types of the timeline rows marked as compensations. */
  List<String> compensations() {
    return timeline("#timeline tr.compensating").stream()
        .map(cells -> cells.get(2).split(" ")[0])
        .toList();
  }

  /** The statuses in the list of recent orders. */
  @SuppressWarnings("unchecked")
  List<String> recentStatuses() {
    return (List<String>)
        browser.executeScript(
            "return [...document.querySelectorAll('#recent .status')].map(s => s.textContent);");
  }

  /** Saves a screenshot of the page to {@code file}. */
  Path screenshot(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path taken = browser.getScreenshotAs(OutputType.FILE).toPath();
    return Files.copy(taken, file, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    browser.quit();
  }
}
