package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A real headless Chromium from Debian ({@code /usr/bin/chromium}, driven by {@code /usr/bin/chromedriver}: nothing
 * is downloaded), with a fresh profile per browser so two users never share Keycloak's session cookie. Collects
 * the browser console so tests can assert that no page logged an error.
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;
    private final WebDriverWait wait;
    private final List<String> consoleErrors = new ArrayList<>();

    public ConsoleBrowser(String baseUrl, String language) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The console's browser tests need Debian's Chromium: "
                    + "apt-get install -y chromium chromium-driver (bin/test installs them when run as root)");
        }
        this.baseUrl = baseUrl;
        try {
            this.profile = Files.createTempDirectory("console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=" + language,
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String consolePath) {
        driver.get(baseUrl + consolePath);
    }

    /** Fills in Keycloak's own login page, which the console redirected to. */
    public void logIn(TestUser user) {
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        username.clear();
        username.sendKeys(user.username());
        if (driver.findElements(By.id("password")).isEmpty()) {
            // identity-first login (the realm has organizations): the password comes on a second page
            driver.findElement(By.id("kc-login")).click();
        }
        await(By.id("password")).sendKeys(user.password());
        driver.findElement(By.id("kc-login")).click();
    }

    public WebElement await(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public WebElement clickable(By by) {
        return wait.until(ExpectedConditions.elementToBeClickable(by));
    }

    public void click(By by) {
        WebElement element = clickable(by);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    public void awaitText(String text) {
        wait.until(d -> {
            String body = d.findElement(By.tagName("body")).getText();
            return body.contains(text);
        });
    }

    public void awaitUrlContains(String part) {
        wait.until(ExpectedConditions.urlContains(part));
    }

    public static By button(String text) {
        return By.xpath("//button[normalize-space(.)='" + text + "' or .//span[normalize-space(.)='" + text + "']]");
    }

    /** The antd form item whose label reads {@code label}: its error text, once one is shown. */
    public String fieldError(String inputId) {
        By explain = By.xpath("//*[@id='" + inputId + "']/ancestor::div[contains(@class,'ant-form-item ')][1]"
                + "//div[contains(@class,'ant-form-item-explain-error')]");
        return await(explain).getText();
    }

    public void type(String inputId, String text) {
        WebElement input = clickable(By.id(inputId));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
    }

    /** Sets a value React sees even for characters chromedriver cannot type (e.g. a zero-width space). */
    public void setValue(String inputId, String text) {
        WebElement input = clickable(By.id(inputId));
        ((JavascriptExecutor) driver).executeScript("""
                const input = arguments[0];
                const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value').set;
                setter.call(input, arguments[1]);
                input.dispatchEvent(new Event('input', { bubbles: true }));
                """, input, text);
    }

    /** Types into an antd select's search box and picks the option whose text contains {@code optionText}. */
    public void choose(String selectInputId, String search, String optionText) {
        WebElement input = clickable(By.id(selectInputId));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", input);
        input.click();
        if (search != null) {
            input.sendKeys(search);
        }
        By option = By.xpath("//div[contains(@class,'ant-select-item-option') and not(contains(@class,'disabled'))]"
                + "[contains(normalize-space(.), '" + optionText + "')]");
        click(option);
        input.sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".ant-select-dropdown .ant-select-item-option-active")));
    }

    public void upload(String fileInputId, Path file) {
        driver.findElement(By.id(fileInputId)).sendKeys(file.toAbsolutePath().toString());
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Errors the pages logged to the browser console since the last call. */
    public List<String> consoleErrors() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(entry.getMessage());
            }
        }
        List<String> errors = List.copyOf(consoleErrors);
        consoleErrors.clear();
        return errors;
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The page as it was when the browser closed, for a failing test's report. */
    @Override
    public void close() {
        try {
            screenshot("last-" + profile.getFileName());
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
