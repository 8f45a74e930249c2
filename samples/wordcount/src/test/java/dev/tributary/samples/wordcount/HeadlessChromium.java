package dev.tributary.samples.wordcount;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its ChromeDriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}, or {@code CHROMIUM} and {@code CHROMEDRIVER}; the build
 * installs them, see {@code src/test/scripts/ensure-chromium.sh}), with a fresh profile,
 * the browser console collected, and screenshots of the page large and phone-sized.
 */
final class HeadlessChromium implements AutoCloseable {

	/** A large screen and a phone, in CSS pixels. */
	static final int[] LARGE = { 1440, 960 };

	static final int[] PHONE = { 390, 844 };

	private final Path profile;

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private final WebDriverWait wait;

	HeadlessChromium() {
		String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
		String chromedriver = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
		if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
			// The build's ensure-chromium step installs them; a test run outside it must not
			// pass silently without a browser.
			throw new IllegalStateException("The dashboard's browser tests need " + chromium + " and " + chromedriver
					+ ": run them with 'mvn verify', which installs Debian's chromium and chromium-driver, or install "
					+ "those packages");
		}
		try {
			this.profile = Files.createTempDirectory("chromium-profile");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + this.profile,
				"--window-size=" + LARGE[0] + "," + LARGE[1]);
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(this.service, options);
		this.wait = new WebDriverWait(this.driver, Duration.ofSeconds(30));
		// The page redraws what changed on every refresh: an element found may be gone.
		this.wait.ignoring(StaleElementReferenceException.class);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	void open(String url) {
		this.driver.get(url);
		this.wait.until((driver) -> "true".equals(find(By.tagName("body")).getDomAttribute("data-ready")));
	}

	WebElement find(By by) {
		return this.driver.findElement(by);
	}

	/** Waits for an element to be visible. */
	WebElement await(By by) {
		return this.wait.until(ExpectedConditions.visibilityOfElementLocated(by));
	}

	/** Waits for an element's text to be the given one. */
	void awaitText(By by, String text) {
		this.wait.until(ExpectedConditions.textToBe(by, text));
	}

	<T> T until(java.util.function.Function<ChromeDriver, T> condition) {
		return this.wait.until((driver) -> condition.apply(this.driver));
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * The browser console's errors since the last call: failed loads, exceptions, errors
	 * the page logged.
	 */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

	/**
	 * Screenshots of the current page as a large screen and as a phone shows it, to
	 * {@code target/dashboard-screenshots} and, with {@code -Ddashboard.screenshots=DIR}
	 * (docs/images), there too.
	 */
	void screenshots(String name, Runnable settle) {
		screenshot(name, LARGE, settle);
		screenshot(name + "-phone", PHONE, settle);
		emulate(LARGE);
		settle.run();
	}

	private void screenshot(String name, int[] size, Runnable settle) {
		emulate(size);
		settle.run();
		byte[] png = this.driver.getScreenshotAs(OutputType.BYTES);
		try {
			write(Path.of("target", "dashboard-screenshots"), name, png);
			String published = System.getProperty("dashboard.screenshots");
			if (published != null && !published.isBlank()) {
				write(Path.of(published), name, png);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path directory, String name, byte[] png) throws IOException {
		Files.createDirectories(directory);
		Files.write(directory.resolve("dashboard-" + name + ".png"), png);
	}

	/** The viewport of a device of that size, through Chromium's own emulation. */
	private void emulate(int[] size) {
		boolean phone = size == PHONE;
		this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size[0], "height",
				size[1], "deviceScaleFactor", phone ? 2 : 1, "mobile", phone));
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			deleteProfile();
		}
	}

	private void deleteProfile() {
		try (var paths = Files.walk(this.profile)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary profile is harmless.
		}
	}

}
