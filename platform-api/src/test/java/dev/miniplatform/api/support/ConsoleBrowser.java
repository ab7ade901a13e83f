package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.auth.keycloak.KeycloakAdmin;
import org.keycloak.representations.idm.ClientRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** axe-core from the console's own devDependencies (installed by the build's npm ci), never from a CDN. */
    private static final Path AXE = Path.of("src", "main", "console", "node_modules", "axe-core", "axe.min.js");
    private static String axeSource;

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
        // a React re-render can replace an element between finding it and reading it: look again, as a person would
        this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    /**
     * Lets Keycloak's console client send a browser back to this test's server (its port is random): redirect URI,
     * web origin and post-logout redirect, added once.
     */
    public static void allowRedirectsTo(KeycloakAdmin admin, String baseUrl) {
        admin.call(realm -> {
            ClientRepresentation client = realm.clients().findByClientId("platform-console").getFirst();
            List<String> redirects = new ArrayList<>(client.getRedirectUris());
            List<String> origins = new ArrayList<>(client.getWebOrigins());
            if (!redirects.contains(baseUrl + "/*")) {
                redirects.add(baseUrl + "/*");
                origins.add(baseUrl);
                client.setRedirectUris(redirects);
                client.setWebOrigins(origins);
                Map<String, String> attributes = new HashMap<>(client.getAttributes());
                attributes.put("post.logout.redirect.uris", attributes.getOrDefault("post.logout.redirect.uris", "")
                        + "##" + baseUrl + "/*");
                client.setAttributes(attributes);
                realm.clients().get(client.getId()).update(client);
            }
            return client.getId();
        }).block(Duration.ofSeconds(30));
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
        // the page's visible text read in one script: no element reference a re-render could take away mid-read
        wait.until(d -> String.valueOf(((JavascriptExecutor) d)
                .executeScript("return document.body ? document.body.innerText : ''")).contains(text));
    }

    public void awaitNoText(String text) {
        wait.until(d -> !d.findElement(By.tagName("body")).getText().contains(text));
    }

    public void awaitGone(By by) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
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

    /**
     * Runs axe-core on the whole page as it is now (open modals and popups included) and fails listing every
     * violation of impact serious or critical: rule, help text and the elements it found. Lesser findings are
     * printed, not failed.
     */
    public void assertAccessible(String screen) {
        List<String> blocking = accessibilityViolations(screen);
        if (!blocking.isEmpty()) {
            throw new AssertionError("axe found " + blocking.size() + " serious or critical violation(s) on " + screen
                    + ":\n  " + String.join("\n  ", blocking));
        }
    }

    /**
     * For pages that are not the console's (Keycloak's own login and registration theme): axe's findings are
     * printed for the record, not failed.
     */
    public void reportAccessibility(String screen) {
        accessibilityViolations(screen).forEach(each -> System.out.println("axe (not ours, not failing) on " + screen + ": " + each));
    }

    private List<String> accessibilityViolations(String screen) {
        settle();
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
            script(axe());
        }
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.axe.run(document, { resultTypes: ['violations'] })
                  .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact || '', help: v.help,
                      nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }))))
                  .catch((e) => done('axe failed: ' + e));
                """);
        if (answer instanceof String failure) {
            throw new AssertionError(screen + ": " + failure);
        }
        List<String> blocking = new ArrayList<>();
        for (Object each : (List<?>) answer) {
            Map<?, ?> violation = (Map<?, ?>) each;
            String line = "[" + violation.get("impact") + "] " + violation.get("id") + ": " + violation.get("help")
                    + "\n      " + String.join("\n      ", ((List<?>) violation.get("nodes")).stream().map(String::valueOf).toList());
            if ("serious".equals(violation.get("impact")) || "critical".equals(violation.get("impact"))) {
                blocking.add(line);
            } else {
                System.out.println("axe (not failing) on " + screen + ": " + line);
            }
        }
        return blocking;
    }

    private static synchronized String axe() {
        if (axeSource == null) {
            if (!Files.isReadable(AXE)) {
                throw new IllegalStateException("axe-core is missing at " + AXE.toAbsolutePath()
                        + ": build the console once (./mvnw -pl platform-api generate-resources runs npm ci)");
            }
            try {
                axeSource = Files.readString(AXE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    /**
     * Waits until loading spinners are gone and antd's enter/leave animations are over (a few seconds at most: a
     * motion whose transition never ends must not stall the test), so checks see the page as a user does.
     */
    private void settle() {
        wait.until(d -> Boolean.TRUE.equals(script("return document.querySelector('.ant-spin-spinning') === null;")));
        try {
            new WebDriverWait(driver, Duration.ofSeconds(3)).until(d -> Boolean.TRUE.equals(script("""
                    const moving = /-(enter|leave|appear)(-start|-prepare|-active)?(\\s|$)/;
                    return ![...document.querySelectorAll("[class*='-enter'], [class*='-leave'], [class*='-appear']")]
                      .some((el) => moving.test(el.getAttribute('class') || ''));
                    """)));
        } catch (org.openqa.selenium.TimeoutException stillMoving) {
            // checked as it is
        }
    }

    /**
     * Tabs through the page from its start and checks what a keyboard user reaches: every visible, enabled control
     * inside {@code scope} (a CSS selector, e.g. {@code main} or a modal) must get the focus, and each focus must
     * show: its outline or box shadow (or its antd wrapper's) differs from the unfocused look.
     */
    public void assertKeyboardReachable(String screen, String scope) {
        settle();
        // transitions would let a style read right after a key press still show the unfocused look
        // Each focus is recorded by a listener on the document, which hears it after React has re-rendered (antd
        // marks a focused select with a class), so Tab can be pressed in batches. Transitions are switched off,
        // or a look read right after a key press would still be the unfocused one.
        script(FOCUS_LOOK + """
                document.querySelectorAll('[data-kb]').forEach((e) => e.removeAttribute('data-kb'));
                if (window.__kb) document.removeEventListener('focusin', window.__kb.listener);
                const kb = { seen: [], focused: {}, cycled: false };
                kb.listener = (event) => {
                  const el = event.target;
                  if (!(el instanceof Element) || el === document.body) return;
                  if (el.hasAttribute('data-kb')) { kb.cycled = true; return; }
                  el.setAttribute('data-kb', String(kb.seen.length));
                  kb.focused[kb.seen.length] = look(el);
                  kb.seen.push(el);
                };
                window.__kb = kb;
                document.addEventListener('focusin', kb.listener);
                const still = document.createElement('style');
                still.id = 'kb-still';
                still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
                document.head.appendChild(still);
                const root = document.querySelector(arguments[0]);
                // inside a modal the focus starts where the modal put it; elsewhere from the top of the document
                if (document.activeElement && !(root && root.contains(document.activeElement))) document.activeElement.blur();
                """, scope);
        int controls = ((Number) script(CONTROLS + "return controls(document.querySelector(arguments[0])).length;", scope)).intValue();
        CharSequence[] batch = new CharSequence[10];
        java.util.Arrays.fill(batch, Keys.TAB);
        for (int pressed = 0; pressed < controls * 3 + 60; pressed += batch.length) {
            keys(batch);
            if (Boolean.TRUE.equals(script("return window.__kb.cycled;"))) {
                break;
            }
        }
        script("document.removeEventListener('focusin', window.__kb.listener);");
        // antd drops a select's focused look a moment after the blur
        script("if (document.activeElement) document.activeElement.blur();");
        pause(Duration.ofMillis(300));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> result = (Map<String, List<String>>) script(CONTROLS + FOCUS_LOOK + """
                const root = document.querySelector(arguments[0]);
                const missing = [];
                const invisible = [];
                const reachedGroups = new Set(window.__kb.seen.filter((e) => e.type === 'radio').map((e) => e.name));
                for (const el of controls(root)) {
                  if (el.hasAttribute('data-kb')) continue;
                  if (el.type === 'radio' && reachedGroups.has(el.name)) continue;
                  missing.push(describe(el));
                }
                window.__kb.seen.forEach((el, i) => {
                  if (root && root.contains(el) && el.isConnected && window.__kb.focused[i] === look(el)) invisible.push(describe(el) + ' looks ' + look(el));
                });
                document.getElementById('kb-still')?.remove();
                return { missing, invisible };
                """, scope);
        if (controls == 0) {
            throw new AssertionError(screen + ": no controls in " + scope + " (wrong scope?)");
        }
        List<String> problems = new ArrayList<>();
        result.get("missing").forEach(each -> problems.add("not reached with Tab: " + each));
        result.get("invisible").forEach(each -> problems.add("no visible focus: " + each));
        if (!problems.isEmpty()) {
            throw new AssertionError(screen + " (" + scope + "), keyboard:\n  " + String.join("\n  ", problems));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final String CONTROLS = """
            const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
              + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '')
              + ' "' + (el.getAttribute('aria-label') || el.innerText || el.value || el.className || '').toString().trim().slice(0, 60) + '"';
            const controls = (root) => root ? [...root.querySelectorAll(
                'a[href], button, input, select, textarea, [tabindex], [role=button], [role=tab], [role=menuitem],'
                + ' [role=combobox], [role=checkbox], [role=radio], [role=switch], [role=slider], [contenteditable=true]')]
              .filter((el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true' && el.tabIndex >= 0
                && !(el.type === 'hidden') && !el.closest('[aria-hidden=true], [inert]')
                && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
                // a control antd hides behind its visible wrapper (a radio's input, a select's search box) counts
                && (el.offsetWidth > 1 || el.closest('.ant-radio-wrapper, .ant-checkbox-wrapper, .ant-select')))
              : [];
            """;

    /** What tells a sighted keyboard user where the focus is: outline and shadow of the element and its antd wrapper. */
    private static final String FOCUS_LOOK = """
            const look = (el) => {
              const parts = [el, el.closest('.ant-select, .ant-input-affix-wrapper, .ant-input-number, .ant-picker,'
                  + ' .ant-radio-wrapper, .ant-checkbox-wrapper, .ant-segmented-item, .ant-upload')];
              const wrapper = parts[1];
              if (wrapper) parts.push(wrapper.querySelector('.ant-radio-inner, .ant-checkbox-inner, .ant-select-selector'));
              // antd draws some focus rings on ::after (a slider's handle)
              return parts.filter(Boolean).flatMap((e) => [getComputedStyle(e), getComputedStyle(e, '::after')]).map((s) =>
                [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor].join('|')).join(' / ');
            };
            """;

    public void awaitFocus(By by) {
        WebElement target = wait.until(ExpectedConditions.presenceOfElementLocated(by));
        wait.until(d -> target.equals(d.switchTo().activeElement()));
    }

    /** Presses these keys where the focus is, as a keyboard user would. */
    public void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Ctrl+A where the focus is, so what is typed next replaces the field's text. */
    public void selectAll() {
        new Actions(driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).perform();
    }

    /** Presses Tab until the element has the focus (fails if Tab never gets there), so the next key acts on it. */
    public WebElement tabTo(By by) {
        // present is enough: antd hides a radio's or checkbox's input behind its visible look
        WebElement target = wait.until(ExpectedConditions.presenceOfElementLocated(by));
        for (int press = 0; press < 120; press++) {
            if (target.equals(driver.switchTo().activeElement())) {
                return target;
            }
            keys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached " + by);
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
