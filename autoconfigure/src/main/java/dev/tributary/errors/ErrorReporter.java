package dev.tributary.errors;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Logs handled errors without flooding the log (the first of each processor and kind,
 * then at most one line per interval saying how many were suppressed), and passes each
 * on to the other listeners (metrics).
 */
public class ErrorReporter {

	private static final Log logger = LogFactory.getLog(ErrorReporter.class);

	private final long intervalNanos;

	private final List<ErrorHandlingSettings.ErrorListener> delegates;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	// By processor: how many errors of each kind were handled each way since start-up.
	private final Map<String, LongAdder[][]> handled = new ConcurrentHashMap<>();

	/**
	 * Creates a reporter.
	 * @param logInterval at most one log line per processor and error kind in this interval
	 * @param delegates also told about every handled error (metrics)
	 */
	public ErrorReporter(Duration logInterval, List<ErrorHandlingSettings.ErrorListener> delegates) {
		this.intervalNanos = logInterval.toNanos();
		this.delegates = List.copyOf(delegates);
	}

	/**
	 * Reports one handled error.
	 * @param processor the processor name
	 * @param kind where the record failed
	 * @param handling what was done with it
	 * @param context the failed record's topic, partition, offset and task
	 * @param exception the error
	 */
	public void errorHandled(String processor, ErrorKind kind, ErrorHandling handling, ErrorHandlerContext context,
			Exception exception) {
		this.delegates.forEach((delegate) -> delegate.errorHandled(processor, kind, handling, context, exception));
		this.handled.computeIfAbsent(processor, (name) -> newCounters())[kind.ordinal()][handling.ordinal()].increment();
		Window window = this.windows.computeIfAbsent(processor + "/" + kind, (key) -> new Window());
		long now = System.nanoTime();
		long last = window.lastLogged.get();
		if (last != 0 && now - last < this.intervalNanos) {
			window.suppressed.incrementAndGet();
			return;
		}
		if (!window.lastLogged.compareAndSet(last, now)) {
			window.suppressed.incrementAndGet();
			return;
		}
		long suppressed = window.suppressed.getAndSet(0);
		// A punctuation has no source record to name, only the node that punctuated.
		String where = (context.topic() != null)
				? "on " + context.topic() + "-" + context.partition() + "@" + context.offset()
				: "in a punctuation of node '" + context.processorNodeId() + "'";
		String message = "Processor '" + processor + "': " + kind.tag() + " error " + where + " (task "
				+ context.taskId() + "), handled with " + handling
				+ ((suppressed > 0) ? "; " + suppressed + " more since the last report" : "");
		if (handling == ErrorHandling.FAIL) {
			logger.error(message, exception);
		}
		else {
			logger.warn(message + ": " + exception);
		}
	}

	/**
	 * How many errors of a processor this instance has handled since it started, by kind
	 * and by what was done with them.
	 * @param processor the processor name
	 * @return every kind with every handling, zero where none happened
	 */
	public Map<ErrorKind, Map<ErrorHandling, Long>> handledCounts(String processor) {
		LongAdder[][] counters = this.handled.get(processor);
		Map<ErrorKind, Map<ErrorHandling, Long>> counts = new EnumMap<>(ErrorKind.class);
		for (ErrorKind kind : ErrorKind.values()) {
			Map<ErrorHandling, Long> byHandling = new EnumMap<>(ErrorHandling.class);
			for (ErrorHandling handling : ErrorHandling.values()) {
				byHandling.put(handling, (counters != null) ? counters[kind.ordinal()][handling.ordinal()].sum() : 0L);
			}
			counts.put(kind, byHandling);
		}
		return counts;
	}

	private static LongAdder[][] newCounters() {
		LongAdder[][] counters = new LongAdder[ErrorKind.values().length][ErrorHandling.values().length];
		for (LongAdder[] row : counters) {
			for (int i = 0; i < row.length; i++) {
				row[i] = new LongAdder();
			}
		}
		return counters;
	}

	/**
	 * Reports a dead letter that could not be written (the handler logs it itself).
	 * @param processor the processor name
	 * @param topic the dead-letter topic
	 * @param exception why the write failed
	 */
	public void deadLetterFailed(String processor, String topic, Exception exception) {
		this.delegates.forEach((delegate) -> delegate.deadLetterFailed(processor, topic, exception));
	}

	/**
	 * This reporter as the listener the exception handlers are given.
	 * @return a listener that reports every error through this reporter
	 */
	public ErrorHandlingSettings.ErrorListener asListener() {
		return new ErrorHandlingSettings.ErrorListener() {

			@Override
			public void errorHandled(String processor, ErrorKind kind, ErrorHandling handling,
					ErrorHandlerContext context, Exception exception) {
				ErrorReporter.this.errorHandled(processor, kind, handling, context, exception);
			}

			@Override
			public void deadLetterFailed(String processor, String topic, Exception exception) {
				ErrorReporter.this.deadLetterFailed(processor, topic, exception);
			}

		};
	}

	private static final class Window {

		final AtomicLong lastLogged = new AtomicLong();

		final AtomicLong suppressed = new AtomicLong();

	}

}
